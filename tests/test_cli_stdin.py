"""stdin the way ruff reads it: --stdin-filename alone reads stdin, and the name picks the
format and the sidecar beside it; "-" without a name is plain text, and says so."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
EXAMPLE = "fixtures/example/draft.md"  # with fixtures/example/draft.sources.toml beside it


def run(*args: str, stdin: bytes = b"", cwd: Path = ROOT) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "citelint", *args], input=stdin, capture_output=True, cwd=cwd, timeout=60)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def example() -> bytes:
    return (ROOT / EXAMPLE).read_bytes()


def test_stdin_filename_alone_reads_stdin_like_the_named_file() -> None:
    named = run("check", EXAMPLE)
    piped = run("check", "--stdin-filename", EXAMPLE, stdin=example())
    assert piped == named
    # The sidecar was read: its unused entry (CL106) is reported, and the AP and Reuters it
    # lists back their attributions (no CL101 for them).
    assert "draft.sources.toml:13:1: info CL106 " in piped[1]
    assert not [line for line in piped[1].splitlines()
                if " CL101 " in line and ("Associated Press" in line or "Reuters" in line)]


def test_dash_and_stdin_filename_together_are_the_same() -> None:
    assert run("check", "-", "--stdin-filename", EXAMPLE, stdin=example()) == run("check", EXAMPLE)


def test_the_name_picks_the_format() -> None:
    article = b"[Reuters reported](https://example.com/x) that the mill shut.\n"
    code, out, _ = run("check", "--stdin-filename", "news/mill.md", stdin=article)
    assert code == 1 and out.startswith("news/mill.md:1:2: error CL102 ")
    code_span = b"Write `the minister reportedly resigned` in the template.\n"
    assert "CL201" not in run("check", "--stdin-filename", "news/mill.md", stdin=code_span)[1]  # code is not prose
    assert "news/mill.txt:1:21: warning CL201 " in run("check", "--stdin-filename", "news/mill.txt", stdin=code_span)[1]


def test_dash_without_a_name_is_plain_text_and_says_so() -> None:
    code, out, err = run("check", "-", stdin=example())
    assert code == 1
    # No sidecar: the New York Times mention that Markdown would back through the sidecar is
    # uncredited; the AP's bare URL still backs its report in plain text.
    assert "-:24:1: error CL101 The New York Times" in out
    assert "apnews.com" not in out
    assert "reading stdin as plain text; give --stdin-filename NAME.md" in err
    assert "note" not in run("check", "-q", "-", stdin=example())[2]


def test_named_paths_give_way_to_stdin_with_a_warning() -> None:
    code, out, err = run("check", "--stdin-filename", "x.md", "fixtures/articles", stdin=b"The minister reportedly resigned.\n")
    assert "citelint: warning: ignoring fixtures/articles: --stdin-filename reads standard input" in err
    assert {line.split(":")[0] for line in out.splitlines()} == {"x.md"}
    assert "1 file checked" in err


def test_force_exclude_skips_an_excluded_stdin_filename(tmp_path: Path) -> None:
    (tmp_path / "citelint.toml").write_text('exclude = ["drafts"]\n', encoding="utf-8")
    article = b"The minister reportedly resigned.\n"
    code, out, err = run("check", "--force-exclude", "--stdin-filename", "drafts/a.md", stdin=article, cwd=tmp_path)
    assert (code, out) == (0, "") and "0 files checked" in err
    code, out, err = run("check", "--stdin-filename", "drafts/a.md", stdin=article, cwd=tmp_path)
    assert "drafts/a.md:1:14: warning CL201 " in out
