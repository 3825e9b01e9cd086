"""The text report against hand-written golden files (colour off and on, with the source
line, statistics), and the terminal behaviour around it: --color, NO_COLOR, plain-word
option errors, the --verify warning, singular counts, cp1252 input, 'sources' and config."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from citelint.check import FileResult
from citelint.model import Finding, InputError, Severity, Span
from citelint.report import ReportOptions, Totals, writer
from citelint.report.input_errors import InputErrors
from citelint.report.text_format import shorten

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
TOKENS = {"{bold}": "\033[1m", "{dim}": "\033[2m", "{red}": "\033[1;31m", "{yellow}": "\033[1;33m",
          "{cyan}": "\033[1;36m", "{reset}": "\033[0m"}

LONG = ("In a statement that ran to several pages and covered the port's finances in detail, critics say "
        "the levy will drive cruise lines to other ports along the coast this summer and next.")
STORY = f"# Harbour levy\n\nThe council reportedly approved the levy on Monday.\n\n{LONG}\n"


def _span(text: str, start: int, end: int) -> Span:
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    end_line = text.count("\n", 0, end) + 1
    end_column = end - (text.rfind("\n", 0, end) + 1) + 1
    return Span(start, end, text[start:end], line, column, end_line, end_column)


def _story() -> FileResult:
    vague = Finding("CL201", "vague-attribution", Severity.WARNING,
                    "'reportedly' attributes the claim to no one; name who reported it", "story.md", _span(STORY, 28, 38))
    weasel = Finding("CL203", "weasel-attribution", Severity.INFO,
                     "'critics say' attributes the claim to unnamed people; say who", "story.md", _span(STORY, 153, 164))
    assert (vague.span.text, weasel.span.text) == ("reportedly", "critics say")
    return FileResult("story.md", (), (vague, weasel), text=STORY)


def _other() -> FileResult:
    text = "Critics say it is too late.\n"
    return FileResult("other.md", (), (Finding("CL203", "weasel-attribution", Severity.INFO, "m", "other.md",
                                               _span(text, 0, 11)),), text=text)


ERRORS = [InputError("missing.md", "no such file or directory")]


def render(results: list[FileResult], **options: bool) -> str:
    out = io.StringIO()
    w = writer("text", out, ReportOptions(**options))
    totals = Totals(errors=InputErrors(ERRORS))
    for result in results:
        totals.add(result)
        w.file(result)
    w.finish(totals)
    return out.getvalue()


def golden(name: str) -> str:
    text = (GOLDEN / name).read_text(encoding="utf-8")
    for token, code in TOKENS.items():
        text = text.replace(token, code)
    return text


@pytest.mark.parametrize(("name", "results", "options"), [
    ("report.text.txt", [_story()], {}),
    ("report.text-source.txt", [_story()], {"show_source": True}),
    ("report.text-source-color.txt", [_story()], {"show_source": True, "colour": True}),
    ("report.text-statistics.txt", [_story(), _other()], {"statistics": True}),
    ("report.text-statistics-color.txt", [_story(), _other()], {"statistics": True, "colour": True}),
])
def test_text_report_matches_golden(name: str, results: list[FileResult], options: dict[str, bool]) -> None:
    assert render(results, **options) == golden(name)


def test_no_escape_codes_without_colour() -> None:
    assert "\033" not in render([_story(), _other()], show_source=True)


@pytest.mark.parametrize(("line", "start", "end", "shown", "carets"), [
    ("short line", 6, 10, "short line", (6, 10)),
    ("a\tb\x1b[31mred", 2, 3, "a b\ufffd[31mred", (2, 3)),  # tab and ESC cannot move or recolour
    ("x" * 200, 0, 3, "x" * 88 + "…", (0, 3)),  # at the start: no leading ellipsis
    ("x" * 200, 197, 200, "…" + "x" * 88, (86, 89)),  # at the end: no trailing one
    ("x" * 300, 100, 290, "…" + "x" * 176 + "…", (25, 177)),  # a long span is cut at twice the width
])
def test_shorten(line: str, start: int, end: int, shown: str, carets: tuple[int, int]) -> None:
    assert shorten(line, start, end) == (shown, *carets)


def test_a_span_over_several_lines_is_underlined_to_the_end_of_its_first() -> None:
    text = "The council said\nit reportedly agreed.\n"
    finding = Finding("CL201", "vague-attribution", Severity.WARNING, "m", "a.md", _span(text, 12, 30))
    out = render([FileResult("a.md", (), (finding,), text=text)], show_source=True)
    assert "1 | The council said\n  |             ^^^^\n" in out


def test_carets_line_up_under_wide_characters_and_combining_marks() -> None:
    text = "東京の記者 reportedly said so. Cafe\u0301 reportedly too.\n"
    first = text.index("reportedly")
    second = text.index("reportedly", first + 1)
    findings = tuple(Finding("CL201", "vague-attribution", Severity.WARNING, "m", "a.md", _span(text, s, s + 10))
                     for s in (first, second))
    out = render([FileResult("a.md", (), findings, text=text)], show_source=True).split("\n\n")
    assert "  | " + " " * 11 + "^" * 10 + "\n" in out[0]  # five wide characters are ten columns
    assert "  | " + " " * 36 + "^" * 10 + "\n" in out[1]  # 10 + 26 columns: e + U+0301 is one


def run(*args: str, env: dict[str, str] | None = None, stdin: bytes = b"", cwd: Path = ROOT) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "citelint", *args], input=stdin, capture_output=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=60)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


EXAMPLE = "fixtures/example/draft.md"


def test_color_always_never_and_no_color() -> None:
    clean = {"NO_COLOR": ""}
    assert "\033[" in run("check", "--color", "always", EXAMPLE, env=clean)[1]
    assert "\033[" not in run("check", "--color", "never", EXAMPLE, env=clean)[1]
    assert "\033[" not in run("check", EXAMPLE, env=clean)[1]  # auto: a pipe is not a terminal
    assert "\033[" in run("check", "--color", "always", EXAMPLE, env={"NO_COLOR": "1"})[1]  # the flag wins


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_auto_colours_a_terminal_unless_no_color() -> None:
    def on_a_terminal(env: dict[str, str]) -> str:
        leader, follower = os.openpty()
        try:
            subprocess.run([sys.executable, "-m", "citelint", "check", EXAMPLE], stdout=follower, stderr=subprocess.DEVNULL,
                           cwd=ROOT, env={**os.environ, "TERM": "xterm", **env}, timeout=60)
            os.close(follower)
            chunks = []
            while True:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # EIO once the terminal is drained
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks).decode()
        finally:
            os.close(leader)

    assert "\033[1;31merror\033[0m" in on_a_terminal({"NO_COLOR": ""})
    assert "\033[" not in on_a_terminal({"NO_COLOR": "1"})


def test_show_source_and_statistics_through_the_command_line() -> None:
    code, out, _ = run("check", "--show-source", EXAMPLE)
    assert code == 1 and "\n24 | " in out and "\n   | ^" in out
    code, out, _ = run("check", "--statistics", EXAMPLE)
    assert out.splitlines()[0] == "2  CL101  uncredited-report"
    assert sum(int(line.split()[0]) for line in out.splitlines()) == 6  # CL101 ×2, CL201, CL202, CL105, CL106


@pytest.mark.parametrize(("args", "message"), [
    (["--timeout", "abc"], "citelint: error: --timeout: expected a number of seconds, got 'abc'"),
    (["--timeout", "0"], "citelint: error: --timeout: must be more than 0 seconds, not 0"),
    (["--timeout", "nan"], "citelint: error: --timeout: must be a finite number of seconds, not nan"),
    (["--per-host", "two"], "citelint: error: --per-host: expected a whole number, got 'two'"),
    (["--max-concurrency", "0"], "citelint: error: --max-concurrency: expected a whole number of at least 1, got '0'"),
    (["--color", "blue"], "citelint: error: --color: invalid choice: 'blue' (choose from "),  # quoting varies by Python
])
def test_option_errors_name_the_option_in_plain_words(args: list[str], message: str) -> None:
    code, out, err = run("check", *args, EXAMPLE)
    assert code == 2 and out == ""
    assert err.splitlines()[-1] == message or message.endswith("from ") and err.splitlines()[-1].startswith(message)


def test_selecting_only_verify_rules_without_verify_warns() -> None:
    code, out, err = run("check", "--select", "CL301", EXAMPLE)
    assert code == 0 and out == ""
    assert "citelint: warning: --select CL301: CL301 need --verify" in err
    assert "warning" not in run("check", "--select", "CL301,CL201", "-q", EXAMPLE)[2]
    assert "need --verify" not in run("check", "--select", "CL2", EXAMPLE)[2]
    assert "need --verify" in run("check", "--select", "CL3", EXAMPLE)[2]


def test_a_walk_that_finds_no_articles_says_so(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("The minister reportedly resigned.\n", encoding="utf-8")
    code, out, err = run("check", str(tmp_path))
    assert (code, out) == (0, "")
    assert "citelint: warning: no articles found in " in err and "(see --include)" in err
    assert "no articles" not in run("check", "--include", "*.txt", str(tmp_path))[2]


def test_summary_counts_are_singular_for_one(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("The minister reportedly resigned.\n", encoding="utf-8")
    _, _, err = run("check", str(tmp_path / "a.md"))
    assert err.strip() == "1 file checked, 1 attribution: 0 errors, 1 warning, 0 info"


WORD_EXPORT = ("The harbour master said the \u201cnew\u201d quay would open in May \u2013 a month late.\r\n\r\n"
               "Critics say the caf\u00e9 on the pier will close\u2026\r\n").encode("cp1252")


def test_cp1252_text_is_read_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(WORD_EXPORT)
    code, out, err = run("check", str(path))
    assert code == 0
    assert "info CL203 'Critics say'" in out
    assert ("export.txt: not valid UTF-8: byte 0x93 at line 1, column 29; read as Windows-1252 "
            "(Word's plain text), save it as UTF-8 to be sure") in err
    assert "note" not in run("check", "-q", str(path))[2]


@pytest.mark.parametrize("data", [
    "\u043f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440, said the AP.\n".encode("koi8_r"),  # Cyrillic: runs of high bytes
    "\u65e5\u672c\u8a9e\u306e\u8a18\u4e8b, said the AP.\n".encode("shift_jis"),
    "Caf\u00e9 \u201cquote\u201d".encode("utf-8") + b" and a stray \x93 byte",  # mostly UTF-8: not cp1252
    b"An undefined cp1252 byte \x81 here.\n",
])
def test_bytes_that_are_not_plausibly_cp1252_stay_errors(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "odd.txt"
    path.write_bytes(data)
    code, out, _ = run("check", str(path))
    assert code == 2 and "error: not valid UTF-8" in out


def test_sources_command_reads_the_configured_sources(tmp_path: Path) -> None:
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "local.toml").write_text(
        '[[source]]\nid = "harbour-gazette"\nname = "Harbour Gazette"\naliases = ["the Gazette"]\n'
        'domains = ["harbourgazette.example"]\nkind = "newspaper"\nstatus = "reliable"\n', encoding="utf-8")
    (tmp_path / "citelint.toml").write_text('sources = ["lists/local.toml"]\n', encoding="utf-8")
    code, out, _ = run("sources", "Harbour Gazette", cwd=tmp_path)
    assert code == 0 and out.startswith("harbour-gazette: Harbour Gazette\n")
    assert run("sources", "--isolated", "Harbour Gazette", cwd=tmp_path)[0] == 1


def test_readme_show_source_example_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("$ citelint check --show-source fixtures/example/draft.md\n…\n")
    shown = readme[start:readme.index("…\n```", start)].split("\n", 2)[2]
    assert shown and shown in run("check", "--show-source", EXAMPLE)[1], "README --show-source example is stale"
