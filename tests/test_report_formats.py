"""The SARIF and GitHub report formats against hand-written expectations (tests/golden/).

The golden input is built below from model records, with every span's offsets, lines and
columns worked out by hand (and checked against ``Document.original_span``). In the SARIF
golden file a fingerprint is written as the list of its documented parts
``[path, code, normalised span text, occurrence index]``; the test hashes them as the
sarif_format docstring says (sha256 of the parts joined by NUL) and compares.
"""
from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from citelint.check import Checker, FileResult
from citelint.model import Document, Finding, InputError, Severity, Span
from citelint.registry import load_registry
from citelint.report import FORMATS, Totals, render, writer
from citelint.report.sarif_format import artifact_uri
from citelint.rules import RULES

GOLDEN = Path(__file__).parent / "golden"

A_PATH = "news/a story.md"
A_TEXT = "# Title\n\nAP said the minister reportedly resigned, sources said.\n"
B_PATH = "b.txt"
B_TEXT = "The Daily\nBugle wrote it.\n"

# Hand-computed: line 3 starts at offset 9; "AP said the minister " is 21 characters and
# "reportedly resigned, " another 21, so "reportedly" is at column 22, "sources said" at 43.
AP = Span(9, 11, "AP", 3, 1, 3, 3)
REPORTEDLY = Span(30, 40, "reportedly", 3, 22, 3, 32)
SOURCES_SAID = Span(51, 63, "sources said", 3, 43, 3, 55)
DAILY_BUGLE = Span(4, 15, "Daily\nBugle", 1, 5, 2, 6)


def _doc(path: str, text: str) -> Document:
    return Document(path, text, "text", text)


def test_hand_computed_spans_match_the_model() -> None:
    a, b = _doc(A_PATH, A_TEXT), _doc(B_PATH, B_TEXT)
    assert a.original_span(9, 11) == AP
    assert a.original_span(30, 40) == REPORTEDLY
    assert a.original_span(51, 63) == SOURCES_SAID
    assert b.original_span(4, 15) == DAILY_BUGLE


def _finding(code: str, severity: Severity, message: str, path: str, span: Span) -> Finding:
    slug = next(r.slug for r in RULES if r.code == code)
    return Finding(code, slug, severity, message, path, span)


RESULTS = [
    FileResult(A_PATH, (), (
        _finding("CL101", Severity.ERROR, "AP's reporting is cited, but no link to AP backs it", A_PATH, AP),
        _finding("CL201", Severity.WARNING, '"reportedly": no named source, 100% vague', A_PATH, REPORTEDLY),
        # A line break in a message becomes a space when the Finding is made (escape.message).
        _finding("CL202", Severity.INFO, '"sources said" with no reason for anonymity\nname the source', A_PATH, SOURCES_SAID),
    )),
    FileResult(B_PATH, (), (
        _finding("CL103", Severity.WARNING, "'Daily Bugle' is not in the registry", B_PATH, DAILY_BUGLE),
    )),
]
ERRORS = [InputError("missing.md", "cannot read: no such file")]


def _hash_parts(value: Any) -> Any:
    """Golden fingerprints are their parts; hash them as documented."""
    if isinstance(value, dict):
        if "citelint/v1" in value and isinstance(value["citelint/v1"], list):
            return {"citelint/v1": hashlib.sha256("\0".join(value["citelint/v1"]).encode()).hexdigest()}
        return {k: _hash_parts(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_hash_parts(v) for v in value]
    return value


def _sarif(results: list[FileResult], errors: list[InputError] | None = None) -> Any:
    return json.loads(render("sarif", results, errors))


def test_formats_are_registered() -> None:
    assert "sarif" in FORMATS and "github" in FORMATS


# ---- GitHub -------------------------------------------------------------------------------


def test_github_matches_golden() -> None:
    assert render("github", RESULTS, ERRORS) == (GOLDEN / "report.github.txt").read_text(encoding="utf-8")


def test_github_escapes_properties_and_messages() -> None:
    path = "odd:name,50%\r\n.md"
    span = Span(0, 2, "AP", 1, 1, 1, 3)
    message = "a: b, 7% \r\nc::d"
    out = render("github", [FileResult(path, (), (_finding("CL101", Severity.ERROR, message, path, span),))])
    # Control characters are made visible first (the path's CR LF as control pictures, the
    # message's as spaces, see citelint.escape), then GitHub's own escaping applies.
    assert out == (
        "::error file=odd%3Aname%2C50%25\u240d\u240a.md,line=1,col=1,endLine=1,endColumn=3,"
        "title=CL101 uncredited-report::a: b, 7%25   c::d\n"
    )
    assert out.count("\n") == 1  # a message can never start a second workflow command


def test_github_input_error_is_escaped_too() -> None:
    out = render("github", [], [InputError("a,b.md", "bad byte at 3:4\nstop")])
    assert out == "::error file=a%2Cb.md::bad byte at 3:4 stop\n"


def _many(n: int, severity: Severity, code: str = "CL201") -> FileResult:
    findings = tuple(
        _finding(code, severity, f"finding {i}", "many.md", Span(i * 10, i * 10 + 2, "xx", i + 1, 1, i + 1, 3))
        for i in range(n)
    )
    return FileResult("many.md", (), findings)


def test_github_ten_of_a_level_need_no_notice() -> None:
    lines = render("github", [_many(10, Severity.WARNING)]).splitlines()
    assert len(lines) == 10 and all(line.startswith("::warning ") for line in lines)


def test_github_more_than_ten_warnings_add_a_notice() -> None:
    lines = render("github", [_many(37, Severity.WARNING)]).splitlines()
    assert len(lines) == 38
    assert lines[-1] == (
        "::notice title=citelint::37 warnings; GitHub shows at most 10 annotations of each level per step,"
        " see the job log or upload SARIF for all of them"
    )


def test_github_notice_counts_input_errors_and_names_every_level_over() -> None:
    errors = [InputError(f"e{i}.md", "unreadable") for i in range(2)]
    last = render("github", [_many(11, Severity.ERROR, "CL101"), _many(12, Severity.WARNING)], errors).splitlines()[-1]
    assert last.startswith("::notice title=citelint::13 errors, 12 warnings; GitHub shows at most 10 ")


def test_github_notice_moves_to_a_level_with_room() -> None:
    # 11 notices already fill the notice slots: the summary would be hidden as a 12th.
    last = render("github", [_many(11, Severity.INFO, "CL202")]).splitlines()[-1]
    assert last.startswith("::warning title=citelint::11 notices; GitHub shows at most 10 ")


# ---- SARIF --------------------------------------------------------------------------------


def test_sarif_matches_golden() -> None:
    expected = _hash_parts(json.loads((GOLDEN / "report.sarif.json").read_text(encoding="utf-8")))
    actual = _sarif(RESULTS, ERRORS)
    driver = actual["runs"][0]["tool"]["driver"]
    assert isinstance(driver.pop("version"), str)
    assert isinstance(driver.pop("rules"), list)
    del expected["runs"][0]["tool"]["driver"]["version"], expected["runs"][0]["tool"]["driver"]["rules"]
    expected["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] = Path.cwd().as_uri().rstrip("/") + "/"
    assert actual == expected


def test_sarif_relative_paths_are_based_on_srcroot_and_absolute_ones_are_file_uris(tmp_path: Path) -> None:
    span = Span(0, 2, "AP", 1, 1, 1, 3)
    outside = str(tmp_path / "x.md")
    results = [FileResult(p, (), (_finding("CL101", Severity.ERROR, "m", p, span),)) for p in ("articles/a.md", outside, "-")]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in _sarif(results)["runs"][0]["results"]]
    assert locations == [{"uri": "articles/a.md", "uriBaseId": "%SRCROOT%"},
                         {"uri": Path(outside).as_uri()}, {"uri": "-"}]


def test_sarif_rules() -> None:
    rules = _sarif([])["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in RULES]
    cl201 = next(r for r in rules if r["id"] == "CL201")
    doc = next(r.doc for r in RULES if r.code == "CL201")
    assert cl201 == {
        "id": "CL201",
        "name": "vague-attribution",
        "shortDescription": {"text": 'A claim is attributed to unnamed reports ("reportedly", "according to reports").'},
        "fullDescription": {"text": doc},
        "help": {"text": doc, "markdown": doc},
        "helpUri": "https://github.com/citelint/citelint/blob/main/docs/rules.md#cl201",
        "defaultConfiguration": {"level": "warning"},
    }
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in rules}
    assert (levels["CL101"], levels["CL103"], levels["CL202"], levels["CL901"]) == ("error", "warning", "note", "note")
    for rule in rules:
        assert rule["helpUri"].endswith("#" + rule["id"].lower())
        assert rule["shortDescription"]["text"] and rule["help"]["text"]


def test_sarif_required_properties() -> None:
    log = _sarif(RESULTS, ERRORS)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "citelint"
    for result in run["results"]:
        assert set(result) >= {"ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints"}
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        region = result["locations"][0]["physicalLocation"]["region"]
        assert all(isinstance(region[k], int) and region[k] >= 1 for k in ("startLine", "startColumn", "endLine", "endColumn"))
    assert isinstance(run["invocations"][0]["executionSuccessful"], bool)


def test_sarif_without_input_errors_is_successful() -> None:
    invocation = _sarif(RESULTS)["runs"][0]["invocations"][0]
    assert invocation == {"executionSuccessful": True, "toolExecutionNotifications": []}


@pytest.mark.parametrize(("path", "uri"), [
    ("news/a story.md", "news/a%20story.md"),
    ("café/été.md", "caf%C3%A9/%C3%A9t%C3%A9.md"),
    ("a#b?c%d.md", "a%23b%3Fc%25d.md"),
    ("/srv/news/x.md", "file:///srv/news/x.md"),
    ("-", "-"),
])
def test_sarif_uris_are_percent_encoded(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri


def _check(tmp_path: Path, name: str, text: str) -> list[FileResult]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    document = _doc(str(path), text)
    return Checker(load_registry([])).check(document)


def test_sarif_regions_are_citelints_columns(tmp_path: Path) -> None:
    # The emoji is one code point (two UTF-16 units): the run says columns count code points.
    results = _check(tmp_path, "a.txt", "Intro line.\n\U0001F600 The minister reportedly resigned on Friday.\n")
    findings = [f for r in results for f in r.findings if f.code == "CL201"]
    assert findings and findings[0].span.column == 16 and findings[0].span.end_column == 26
    log = _sarif(results)
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"
    region = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "CL201")["locations"][0]["physicalLocation"]["region"]
    f = findings[0]
    assert region == {"startLine": f.span.line, "startColumn": f.span.column, "endLine": f.span.end_line, "endColumn": f.span.end_column}
    assert region == {"startLine": 2, "startColumn": 16, "endLine": 2, "endColumn": 26}


def _fingerprints(results: list[FileResult]) -> dict[str, str]:
    return {
        r["ruleId"] + ":" + str(i): r["partialFingerprints"]["citelint/v1"]
        for i, r in enumerate(_sarif(results)["runs"][0]["results"])
    }


def test_sarif_fingerprints_survive_lines_inserted_above(tmp_path: Path) -> None:
    body = "The minister reportedly resigned. Critics say the plan failed.\n"
    before = _check(tmp_path, "a.txt", body)
    after = _check(tmp_path, "a.txt", "A new first line.\n\nAnd  another.\n" + body)
    lines_before = [f.span.line for r in before for f in r.findings]
    lines_after = [f.span.line for r in after for f in r.findings]
    assert lines_before and lines_after == [n + 3 for n in lines_before]
    prints = _fingerprints(before)
    assert prints == _fingerprints(after)
    assert len(set(prints.values())) == len(prints)  # different findings, different fingerprints


def test_sarif_fingerprints_tell_identical_findings_apart_and_ignore_case_and_spacing() -> None:
    def result(*spans: Span) -> FileResult:
        return FileResult("a.md", (), tuple(_finding("CL201", Severity.WARNING, "m", "a.md", s) for s in spans))

    first, second = Span(0, 10, "reportedly", 1, 1, 1, 11), Span(20, 30, "Reportedly", 2, 1, 2, 11)
    one, two = _fingerprints([result(first, second)]).values()
    assert one != two
    moved = Span(40, 51, "REPORTEDLY\n", 5, 1, 6, 1)
    assert _fingerprints([result(moved)])["CL201:0"] == one


def test_sarif_streams_valid_json_over_several_files() -> None:
    out = io.StringIO()
    w = writer("sarif", out)
    totals = Totals()
    head = out.getvalue()
    assert head.startswith('{"$schema":') and '"results":[' in head  # the prefix is written up front
    for result in RESULTS * 3:
        totals.add(result)
        w.file(result)
        assert out.getvalue().startswith(head)
    w.finish(totals)
    log = json.loads(out.getvalue())
    assert len(log["runs"][0]["results"]) == 3 * sum(len(r.findings) for r in RESULTS)
    prints = [r["partialFingerprints"]["citelint/v1"] for r in log["runs"][0]["results"]]
    assert len(set(prints)) == len(prints)  # repeats of a file get the next occurrence index


# ---- through the command line -------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["sarif", "github"])
def test_cli_writes_the_format(tmp_path: Path, fmt: str) -> None:
    from citelint.cli import main

    article = tmp_path / "a.txt"
    article.write_text("The minister reportedly resigned.\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "--isolated", "--format", fmt, str(article), str(tmp_path / "gone.md")], stdout=out, stderr=err)
    assert code == 2  # the missing input
    if fmt == "sarif":
        run = json.loads(out.getvalue())["runs"][0]
        assert [r["ruleId"] for r in run["results"]] == ["CL201"]
        assert run["results"][0]["locations"][0]["physicalLocation"]["region"] == {
            "startLine": 1, "startColumn": 14, "endLine": 1, "endColumn": 24}
        assert run["invocations"][0]["executionSuccessful"] is False
        assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in run["invocations"][0]["toolExecutionNotifications"]] == [
            (tmp_path / "gone.md").as_uri()]
    else:
        lines = out.getvalue().splitlines()
        assert lines[0].startswith(f"::warning file={article},line=1,col=14,endLine=1,endColumn=24,title=CL201 vague-attribution::")
        assert lines[1].startswith(f"::error file={tmp_path / 'gone.md'}::")
        assert len(lines) == 2
