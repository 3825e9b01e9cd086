"""Every rule's case file: fail snippets must produce the rule's finding where `at` says, pass
snippets (near-misses) must not produce it."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from citelint.check import Checker
from citelint.load import load_path
from citelint.registry import load_registry
from citelint.rules import RULES
from citelint.rules.base import possessive
from citelint.selection import Selection

CASES = Path(__file__).parent / "cases"
SUFFIX = {"text": ".txt", "markdown": ".md", "html": ".html"}


def _cases() -> list[tuple[str, str, int, dict]]:
    out = []
    for path in sorted(CASES.glob("CL*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for outcome in ("fail", "pass"):
            for index, case in enumerate(data.get(outcome, [])):
                out.append((data["rule"], outcome, index, case))
    return out


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def _findings(case: dict, rule: str, tmp_path: Path, registry) -> list:
    article = tmp_path / ("article" + SUFFIX[case.get("format", "text")])
    article.write_text(case["text"], encoding="utf-8")
    if "sidecar" in case:
        (tmp_path / "article.sources.toml").write_text(case["sidecar"], encoding="utf-8")
    loaded = load_path(str(article))
    assert not loaded.problems, loaded.problems
    # Every rule runs (suppressions, and so CL901, depend on the other rules' findings), but
    # for those a case names in `ignore`: to see what a rule says when another is switched off.
    checker = Checker(registry, Selection(ignore=frozenset(case.get("ignore", []))))
    return [f for result in checker.check(loaded.document) for f in result.findings if f.code == rule]


@pytest.mark.parametrize(
    ("rule", "outcome", "index", "case"),
    _cases(),
    ids=[f"{r}-{o}-{i}" for r, o, i, _ in _cases()],
)
def test_case(rule: str, outcome: str, index: int, case: dict, tmp_path: Path, registry) -> None:
    findings = _findings(case, rule, tmp_path, registry)
    shown = [(f.span.text, f.message) for f in findings]
    if outcome == "fail":
        assert any(case["at"] in f.span.text for f in findings), f"{case.get('note', '')}: expected {rule} at {case['at']!r}, got {shown}"
    else:
        assert not findings, f"{case.get('note', '')}: expected no {rule}, got {shown}"


def test_every_rule_has_cases() -> None:
    by_rule = {}
    for rule, outcome, _, _ in _cases():
        by_rule.setdefault(rule, {"fail": 0, "pass": 0})[outcome] += 1
    verify_tests = (Path(__file__).parent / "test_verify_rules.py").read_text(encoding="utf-8")
    for rule in RULES:
        if rule.code.startswith("CL3"):
            # Verification rules need a live server: their fail and pass cases are there.
            assert verify_tests.count(f'"{rule.code}"') >= 4, f"{rule.code} needs cases in test_verify_rules.py"
            continue
        counts = by_rule.get(rule.code, {"fail": 0, "pass": 0})
        assert counts["fail"] >= 5 and counts["pass"] >= 6, f"{rule.code} needs fail and near-miss pass cases: {counts}"


def test_every_rule_documents_itself() -> None:
    for rule in RULES:
        assert "**What it flags.**" in rule.doc and "**Why editors care.**" in rule.doc, rule.code
        assert "**Bad:**" in rule.doc and "**Good:**" in rule.doc, rule.code


def test_cl103_names_and_points_at_the_publication_closing_a_longer_source(tmp_path: Path, registry) -> None:
    # The finding quotes what a reader would look up, and its column is the name's.
    text = ("The levy was dropped, the mayor said, according to audio provided by Harbour Public Radio.\n\n"
            "An island newspaper owned by Castellan also this week published the figures.\n\n"
            "A story by the website Harbrwatch says that “more than a hundred berths are poised to close.”\n")
    case = {"text": text}
    findings = _findings(case, "CL103", tmp_path, registry)
    shown = sorted((f.span.text, f.span.line, f.span.column) for f in findings)
    assert shown == [("An island newspaper owned by Castellan", 3, 1), ("Harbour Public Radio", 1, 70), ("Harbrwatch", 5, 24)]
    assert "'Harbour Public Radio' reads like a publication" in " ".join(f.message for f in findings)


@pytest.mark.parametrize(("name", "expected"), [
    ("Reuters", "Reuters'"), ("The New York Times", "The New York Times'"), ("AP", "AP's"),
    ("the BBC", "the BBC's"), ("Harbour Gazette", "Harbour Gazette's"), ("CBS", "CBS's"),
])
def test_messages_write_possessives_as_news_copy_does(name: str, expected: str) -> None:
    assert possessive(name) == expected
