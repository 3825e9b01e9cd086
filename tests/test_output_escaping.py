"""Whatever an article and its file name hold, no raw control character (C0 but line
breaks, DEL, C1) reaches any report, the text format has no bidi override and no line
starting with "::", and every JSON and SARIF report parses (issue 15)."""
from __future__ import annotations

import io
import json
import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citelint import escape
from citelint.cli import main

FORMATS = ["text", "json", "sarif", "github", "html"]
HOSTILE = ["\x1b[5m", "\x1b]0;owned\x07", "\x07", "\x7f", "\x85", "\x9b31m", "\u202e", "\u2066", "\r", "\t",
           "\x0b", "::error::forged", "%0A", "\n::warning::x\n"]
PROSE = ["The Harbour", " Gazette reported that ", "the pier was sold. ", "Critics say ", "reportedly ",
         "[AP](https://apnews.com/", ") ", "“", "”", "<b>", "</b>", "<a href='https://x.example/", "'>", "</a>", "\n\n",
         "Sources said ", "according to the ", "Valley Herald"]
articles = st.lists(st.one_of(st.sampled_from(HOSTILE + PROSE + ["\x00"]), st.text(max_size=6)), min_size=1, max_size=30).map("".join)
names = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(st.characters(blacklist_characters="/\x00"), max_size=4)),
                 min_size=1, max_size=4).map("".join)
BAD_EVERYWHERE = {chr(c) for c in range(0x20) if c not in (9, 10, 13)} | {chr(c) for c in range(0x7F, 0xA0)}
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def check_output(fmt: str, out: str) -> None:
    bad = BAD_EVERYWHERE | ({"\t", "\r"} if fmt != "html" else set())
    raw = sorted({c for c in out if c in bad})
    assert not raw, f"{fmt} report holds raw {raw!r}"
    if fmt in ("json", "sarif"):
        json.loads(out)
    if fmt == "text":
        assert not BIDI & set(out)
        assert not any(line.startswith("::") for line in out.splitlines())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=articles, name=names, suffix=st.sampled_from([".md", ".txt", ".html"]))
def test_no_raw_control_character_reaches_any_report(text: str, name: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        try:
            with open(os.path.join(folder, name + suffix), "w", encoding="utf-8", errors="surrogatepass") as handle:
                handle.write(text)
        except (OSError, UnicodeEncodeError):
            return  # a name the file system refuses (".", "..", too long, a lone surrogate)
        for fmt in FORMATS:
            out, err = io.StringIO(), io.StringIO()
            code = main(["check", "--isolated", "--format", fmt, "--exit-zero", folder], stdout=out, stderr=err)
            assert code in (0, 2), err.getvalue()
            check_output(fmt, out.getvalue())


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_names_and_text_in_every_format(tmp_path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "::error file=x::forged.md").write_text("The Harbour\x1b[5m Gazette reported that the pier was sold.\n", encoding="utf-8")
    (tmp_path / "title\x1b]0;owned\x07.txt").write_text("Critics say\u202e the levy\x85 is unfair.\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        main(["check", "--isolated", "--include", "*.md", "--include", "*.txt", "--format", fmt, "."], stdout=out, stderr=err)
    finally:
        os.chdir(old)
    report = out.getvalue()
    check_output(fmt, report)
    if fmt == "text":
        assert "./::error file=x::forged.md:1:1: warning CL103 'The Harbour␛[5m Gazette' reads like a publication" in report
        assert "\ntitle␛]0;owned␇.txt:1:1: info CL203 'Critics say' attributes" in report


def test_escape_functions() -> None:
    assert escape.message("a\x1b[5mb\nc\td\x7f\x85\u202e") == "a␛[5mb c d␡<U+0085><U+202E>"
    assert escape.path("x\ny\x1b") == "x␊y␛"
    assert escape.line_start("::warning::x") == "./::warning::x" and escape.line_start("a::b") == "a::b"
    assert escape.data("line\r\n\tnext\x1b") == "line\r\n\tnext␛"
    assert escape.json_text('{"a":"x\x85y\x7f"}') == '{"a":"x\\u0085y\\u007f"}'
    assert json.loads(escape.json_text('{"a":"x\x85y"}')) == {"a": "x\x85y"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_file_name_that_is_not_utf8(tmp_path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    # Python reads b"\xff" of a name as the lone surrogate "\udcff", which a UTF-8 report
    # cannot hold: it used to end every format in an internal error (exit 3).
    with open(os.path.join(os.fsencode(tmp_path), b"\xff.txt"), "wb") as handle:
        handle.write(b"The Harbour Gazette reported that the pier was sold.\n")
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        code = main(["check", "--isolated", "--include", "*.txt", "--format", fmt, "."], stdout=out, stderr=err)
    finally:
        os.chdir(old)
    assert code == 0, err.getvalue()
    report = out.getvalue()
    report.encode("utf-8")  # no lone surrogate left
    check_output(fmt, report)
    if fmt == "text":
        assert report.startswith("<U+DCFF>.txt:1:1: warning CL103")
    if fmt == "sarif":
        location = json.loads(report)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "%FF.txt"  # the name's real byte
