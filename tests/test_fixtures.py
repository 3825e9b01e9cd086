"""Fixture articles against their hand-written expectations (fixtures/expected/NAME.expected)."""
from __future__ import annotations

from pathlib import Path

import pytest

from citelint.check import Checker
from citelint.load import load_path
from citelint.registry import load_registry

ROOT = Path(__file__).parent.parent / "fixtures"
ARTICLES = sorted(
    p for p in [*(ROOT / "articles").iterdir(), ROOT / "example" / "draft.md"]
    if p.suffix in (".txt", ".md", ".html")
)


def _expected(article: Path) -> set[tuple[str, int, str]]:
    path = ROOT / "expected" / (article.stem + ".expected")
    rows = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, number, text = line.split("\t")
        rows.add((code, int(number), text))
    return rows


@pytest.mark.parametrize("article", ARTICLES, ids=[p.name for p in ARTICLES])
def test_fixture_matches_expectations(article: Path) -> None:
    loaded = load_path(str(article))
    assert not loaded.problems
    results = Checker(load_registry()).check(loaded.document)
    got = {(f.code, f.span.line, f.span.text) for r in results for f in r.findings}
    expected = _expected(article)
    assert sorted(got - expected) == [], "unexpected findings"
    assert sorted(expected - got) == [], "missing findings"
