"""Baselines: keyed on file + code + span text, matched as a multiset, stable JSON on disk."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from citelint.baseline import Baseline, BaselineError, BaselineKey, normalize_path, normalize_text
from citelint.check import Checker, FileResult
from citelint.load import load_path
from citelint.model import Finding, Severity, Span
from citelint.registry import load_registry

ARTICLE = """The Nowhere Gazette reported that the county had spent its entire road budget by June.

The council said the bridge would reopen in May.
"""
EDITED = """A new first paragraph, written after the baseline.

And a second one.

The Nowhere Gazette reported that the county had spent its entire road budget by June.

The council said the bridge would reopen in May.
"""


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(load_registry())


def _check(checker: Checker, path: Path) -> list[FileResult]:
    return checker.check(load_path(str(path)).document)


def _finding(path: str, code: str, text: str, start: int, line: int = 1) -> Finding:
    span = Span(start, start + len(text), text, line, 1, line, len(text) + 1)
    return Finding(code, "rule", Severity.WARNING, "message", path, span)


def _result(path: str, *findings: Finding, is_article: bool = True) -> FileResult:
    return FileResult(path, (), tuple(sorted(findings, key=lambda f: f.sort_key)), is_article)


def test_round_trip(tmp_path: Path) -> None:
    result = _result(
        "news/a.md",
        _finding("news/a.md", "CL103", "The Nowhere Gazette", 0),
        _finding("news/a.md", "CL103", "The Nowhere Gazette", 100, 3),
        _finding("news/a.md", "CL101", "officials", 50, 2),
    )
    sidecar = _result("news/a.sources.toml", _finding("news/a.sources.toml", "CL106", "[[source]]", 0), is_article=False)
    baseline = Baseline.from_results([result, sidecar])
    target = tmp_path / "baseline.json"
    baseline.write(str(target))
    loaded = Baseline.load(str(target))
    assert loaded == baseline
    assert len(loaded) == 4
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data == {
        "version": 1,
        "tool": "citelint",
        "findings": [
            {"path": "news/a.md", "code": "CL101", "text": "officials", "count": 1},
            {"path": "news/a.md", "code": "CL103", "text": "the nowhere gazette", "count": 2},
            {"path": "news/a.sources.toml", "code": "CL106", "text": "[[source]]", "count": 1},
        ],
    }
    # Stable and human-diffable: indented, newline-terminated, identical when rewritten.
    first = target.read_bytes()
    assert first.endswith(b"\n") and b'\n  "findings": [\n' in first
    loaded.write(str(target))
    assert target.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["baseline.json"]  # no temp file left behind


def test_filter_hides_old_findings_and_shows_new(checker: Checker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(ARTICLE, encoding="utf-8")
    before = _check(checker, Path("a.txt"))
    assert [f.code for r in before for f in r.findings] == ["CL103"]
    baseline = Baseline.from_results(before)
    baseline.write("baseline.json")
    baseline = Baseline.load("baseline.json")

    filtered, hidden = baseline.filter(before[0])
    assert (filtered.findings, hidden) == ((), 1)
    assert filtered.attributions == before[0].attributions and filtered.path == before[0].path

    Path("a.txt").write_text(ARTICLE + "\nThe Marsh Ledger reported that taxes rose.\n", encoding="utf-8")
    after = _check(checker, Path("a.txt"))
    filtered, hidden = baseline.filter(after[0])
    assert hidden == 1
    assert [(f.code, f.span.text) for f in filtered.findings] == [("CL103", "The Marsh Ledger")]


def test_inserted_lines_above_keep_finding_hidden(checker: Checker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(ARTICLE, encoding="utf-8")
    before = _check(checker, Path("a.txt"))
    Baseline.from_results(before).write("baseline.json")

    Path("a.txt").write_text(EDITED, encoding="utf-8")
    after = _check(checker, Path("a.txt"))
    assert [f.span.line for f in after[0].findings] == [5]  # it moved from line 1
    filtered, hidden = Baseline.load("baseline.json").filter(after[0])
    assert (filtered.findings, hidden) == ((), 1)


def test_changed_attribution_text_is_new(checker: Checker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(ARTICLE, encoding="utf-8")
    baseline = Baseline.from_results(_check(checker, Path("a.txt")))
    Path("a.txt").write_text(ARTICLE.replace("Nowhere Gazette", "Nowhere Herald"), encoding="utf-8")
    filtered, hidden = baseline.filter(_check(checker, Path("a.txt"))[0])
    assert hidden == 0
    assert [f.span.text for f in filtered.findings] == ["The Nowhere Herald"]


def test_path_is_part_of_the_key(checker: Checker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(ARTICLE, encoding="utf-8")
    Path("b.txt").write_text(ARTICLE, encoding="utf-8")
    baseline = Baseline.from_results(_check(checker, Path("a.txt")))
    filtered, hidden = baseline.filter(_check(checker, Path("b.txt"))[0])
    assert hidden == 0 and len(filtered.findings) == 1


def test_duplicates_are_a_multiset() -> None:
    text = "The Nowhere Gazette"
    old = _result("a.md", _finding("a.md", "CL103", text, 0, 1), _finding("a.md", "CL103", text, 100, 3))
    baseline = Baseline.from_results([old])
    assert baseline.counts == {BaselineKey("a.md", "CL103", "the nowhere gazette"): 2}

    new = _result(
        "a.md",
        _finding("a.md", "CL103", text, 0, 1),
        _finding("a.md", "CL103", text, 100, 3),
        _finding("a.md", "CL103", text, 200, 5),
        _finding("a.md", "CL101", "officials", 150, 4),
    )
    filtered, hidden = baseline.filter(new)
    assert hidden == 2
    # The reported duplicate is deterministically the last one in the file.
    assert [(f.code, f.span.start) for f in filtered.findings] == [("CL101", 150), ("CL103", 200)]

    fewer, hidden = baseline.filter(_result("a.md", _finding("a.md", "CL103", text, 40, 2)))
    assert (fewer.findings, hidden) == ((), 1)


def test_filter_does_not_consume_the_baseline() -> None:
    result = _result("a.md", _finding("a.md", "CL103", "X", 0))
    baseline = Baseline.from_results([result])
    assert baseline.filter(result)[1] == 1
    assert baseline.filter(result)[1] == 1


def test_sidecar_findings_are_baselined() -> None:
    sidecar = _result(
        "a.sources.toml",
        _finding("a.sources.toml", "CL106", "[[source]]", 0, 1),
        _finding("a.sources.toml", "CL106", "[[source]]", 40, 5),
        is_article=False,
    )
    baseline = Baseline.from_results([sidecar])
    filtered, hidden = baseline.filter(sidecar)
    assert (filtered.findings, hidden, filtered.is_article) == ((), 2, False)


def test_sidecar_findings_from_the_real_pipeline(checker: Checker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("The tram depot will be sold, according to Reuters.\n", encoding="utf-8")
    Path("a.sources.toml").write_text('[[source]]\nref = "ap"\nurl = "https://apnews.com/article/x"\n', encoding="utf-8")
    results = _check(checker, Path("a.txt"))
    sidecars = [r for r in results if not r.is_article]
    assert sidecars and sidecars[0].findings
    baseline = Baseline.from_results(results)
    Path("a.sources.toml").write_text('# a comment\n\n[[source]]\nref = "ap"\nurl = "https://apnews.com/article/x"\n', encoding="utf-8")
    for result in _check(checker, Path("a.txt")):
        filtered, _ = baseline.filter(result)
        assert filtered.findings == ()


def test_text_normalisation() -> None:
    assert normalize_text("  The\u00a0Nowhere\n  GAZETTE ") == "the nowhere gazette"
    assert normalize_text("\u201cQuoted\u201d \u2014 it\u2019s") == "\"quoted\" - it's"
    assert normalize_text("Stra\u00dfe") == normalize_text("STRASSE")
    a = _result("a.md", _finding("a.md", "CL103", "the  \u2018Nowhere\u2019\nGazette", 0))
    b = _result("a.md", _finding("a.md", "CL103", "The 'Nowhere' Gazette", 0))
    assert Baseline.from_results([a]).filter(b)[1] == 1


def test_paths_normalised() -> None:
    assert normalize_path("news\\world\\a.md") == "news/world/a.md"
    assert normalize_path("./news/a.md") == "news/a.md"
    assert normalize_path(os.path.join(os.getcwd(), "news", "a.md")) == "news/a.md"
    windows = _result("news\\a.md", _finding("news\\a.md", "CL103", "X", 0))
    posix = _result("news/a.md", _finding("news/a.md", "CL103", "X", 0))
    baseline = Baseline.from_results([windows])
    assert list(baseline) == [BaselineKey("news/a.md", "CL103", "x")]
    assert baseline.filter(posix)[1] == 1


def test_backslash_paths_in_file_are_normalised(tmp_path: Path) -> None:
    target = tmp_path / "b.json"
    target.write_text(json.dumps({"version": 1, "tool": "citelint", "findings": [
        {"path": "news\\a.md", "code": "CL103", "text": "The  Nowhere Gazette", "count": 1},
        {"path": "news/a.md", "code": "CL103", "text": "the nowhere gazette", "count": 2},
    ]}), encoding="utf-8")
    baseline = Baseline.load(str(target))
    assert baseline.counts == {BaselineKey("news/a.md", "CL103", "the nowhere gazette"): 3}


@pytest.mark.parametrize(("content", "message"), [
    ("not json {", "not valid JSON"),
    ("", "not valid JSON"),
    ("[]", "top level"),
    ('{"tool": "citelint", "findings": []}', "missing key 'version'"),
    ('{"version": 2, "tool": "citelint", "findings": []}', "unsupported version 2"),
    ('{"version": "1", "findings": []}', "unsupported version '1'"),
    ('{"version": true, "findings": []}', "unsupported version True"),
    ('{"version": 1, "tool": "other", "findings": []}', "'other'"),
    ('{"version": 1, "tool": "citelint"}', "missing key 'findings'"),
    ('{"version": 1, "findings": {}}', "must be a list"),
    ('{"version": 1, "findings": [1]}', "findings[0] must be an object"),
    ('{"version": 1, "findings": [{"path": "a", "code": "CL101", "count": 1}]}', "missing key 'text'"),
    ('{"version": 1, "findings": [{"path": "a", "code": "CL101", "text": "x"}]}', "missing key 'count'"),
    ('{"version": 1, "findings": [{"path": 1, "code": "CL101", "text": "x", "count": 1}]}', "'path' must be a string"),
    ('{"version": 1, "findings": [{"path": "a", "code": "CL101", "text": "x", "count": 0}]}', "positive integer"),
])
def test_malformed_files_raise(tmp_path: Path, content: str, message: str) -> None:
    target = tmp_path / "broken-baseline.json"
    target.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError) as info:
        Baseline.load(str(target))
    assert str(target) in str(info.value)
    assert message in str(info.value)


def test_missing_and_undecodable_files_raise(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(BaselineError, match="nope.json: baseline file not found"):
        Baseline.load(str(missing))
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(BaselineError, match="binary.json"):
        Baseline.load(str(binary))


def test_write_failure_raises_and_keeps_old_file(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="missing-dir"):
        Baseline().write(str(tmp_path / "missing-dir" / "b.json"))
    target = tmp_path / "b.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    Baseline.from_results([_result("a.md", _finding("a.md", "CL103", "X", 0))]).write(str(target))
    assert json.loads(target.read_text(encoding="utf-8"))["findings"][0]["text"] == "x"
    assert target.stat().st_mode & 0o777 == 0o640  # the existing file's mode survives


def test_empty_baseline_hides_nothing() -> None:
    result = _result("a.md", _finding("a.md", "CL103", "X", 0))
    assert Baseline().filter(result) == (result, 0)
    assert len(Baseline()) == 0
