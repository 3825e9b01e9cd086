"""Hostile and odd input through the command line, each run in a child process with a
timeout, so a hang fails the test instead of the CI run. Every case checks the exit code,
the message, and that a good article beside the bad one is still reported."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = "Critics say the harbour levy is unfair, the council heard on Tuesday.\n"
WALL_CLOCK = 90  # seconds: generous on a loaded 2-core machine; the inputs take about 1 s


def cli(cwd: Path, *args: str, stdin: bytes | None = None, timeout: float = WALL_CLOCK) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(cwd / ".no-user-config"), "PYTHONPATH": str(ROOT)}
    for name in list(env):
        if name.startswith("CITELINT_"):
            del env[name]
    # Walks read plain text too here: the adversarial inputs come in .txt, .md and .html.
    walk = ["--include", "*.txt", "--include", "*.md", "--include", "*.html"]
    return subprocess.run([sys.executable, "-m", "citelint", "check", "--isolated", *walk, *args], cwd=cwd, env=env,
                          input=stdin.decode("latin-1") if stdin is not None else None,
                          capture_output=True, text=True, timeout=timeout)


def with_good(tmp_path: Path) -> Path:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    return tmp_path


def good_reported(out: str) -> bool:
    return any(line.startswith("good.txt:1:1: ") and " CL203 " in line for line in out.splitlines())


def links(fmt: str, n: int) -> str:
    if fmt == "md":
        return " ".join(f"[the AP reported](https://apnews.com/article/{i}) that" for i in range(n))
    if fmt == "html":
        return "<p>" + " ".join(f'<a href="https://apnews.com/article/{i}">the AP reported</a> that' for i in range(n)) + "</p>"
    return " ".join(f"The AP reported https://apnews.com/article/{i} that" for i in range(n))


DENSE = {  # issue 15's inputs that are not prose: one "sentence" of thousands of cues
    "reportedly": lambda fmt: "reportedly " * 100_000,
    "according-to": lambda fmt: "according to " * 80_000,
    "said": lambda fmt: "said " * 200_000,
    "links": lambda fmt: links(fmt, 20_000),
}


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
@pytest.mark.parametrize("name", sorted(DENSE))
def test_a_sentence_of_thousands_of_cues_is_an_input_error(tmp_path: Path, name: str, fmt: str) -> None:
    with_good(tmp_path)
    (tmp_path / f"bad.{fmt}").write_text(DENSE[name](fmt), encoding="utf-8")
    proc = cli(tmp_path, ".")
    assert proc.returncode == 2, proc.stderr
    assert f"bad.{fmt}: error: line 1: more than 24 attribution cues in one sentence; this is not prose, so the file is not checked" in proc.stdout
    assert good_reported(proc.stdout)


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_a_million_full_stops(tmp_path: Path, fmt: str) -> None:
    with_good(tmp_path)
    (tmp_path / f"dots.{fmt}").write_text("." * 1_000_000, encoding="utf-8")
    proc = cli(tmp_path, "--format", "json", ".")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [f["path"] for f in report["files"]] == [f"dots.{fmt}", "good.txt"]
    assert report["files"][0]["attributions"] == [] and report["errors"] == []


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("tail", ["", "<b>x</b> >"])
def test_a_quarter_million_unclosed_comments(tmp_path: Path, fmt: str, tail: str) -> None:
    # html.parser searched the rest of the text for a closer at every "<!--": 17 s for
    # 50,000 of them, past the time budget for these (an input error, not a check).
    with_good(tmp_path)
    (tmp_path / f"comments.{fmt}").write_text("<!--" * 250_000 + tail, encoding="utf-8")
    proc = cli(tmp_path, "--format", "json", ".")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [f["path"] for f in report["files"]] == [f"comments.{fmt}", "good.txt"]
    assert report["files"][0]["attributions"] == [] and report["errors"] == []


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_one_paragraph_of_twenty_thousand_linked_sentences(tmp_path: Path, fmt: str) -> None:
    if fmt == "md":
        text = " ".join(f"The AP reported that pier {i} was sold ([story](https://apnews.com/article/{i}))." for i in range(20_000))
    elif fmt == "html":
        text = "<p>" + " ".join(f'The AP reported that pier {i} was sold (<a href="https://apnews.com/article/{i}">story</a>).' for i in range(20_000)) + "</p>"
    else:
        text = " ".join(f"The AP reported that pier {i} was sold (https://apnews.com/article/{i})." for i in range(20_000))
    (tmp_path / f"long.{fmt}").write_text(text, encoding="utf-8")
    with_good(tmp_path)
    proc = cli(tmp_path, "--format", "json", f"long.{fmt}", "good.txt")
    assert proc.returncode == 0, proc.stderr
    files = json.loads(proc.stdout)["files"]
    assert [f["path"] for f in files] == [f"long.{fmt}", "good.txt"] and files[1]["findings"][0]["code"] == "CL203"
    attributions = files[0]["attributions"]
    assert len(attributions) == 20_000
    assert all(a["resolved"] == {"id": "ap", "name": "Associated Press"} for a in attributions)
    # Each is backed by its own link, and never by a copy of the paragraph's 20,000.
    assert all(f"https://apnews.com/article/{i}" in a["urls"] for i, a in enumerate(attributions))
    assert max(len(a["urls"]) for a in attributions) <= 11


def test_stdin_is_capped_like_files(tmp_path: Path) -> None:
    with_good(tmp_path)
    proc = cli(tmp_path, "-", "good.txt", stdin=b"a" * (50 * 1024 * 1024 + 10))
    assert proc.returncode == 2
    assert "-: error: stdin holds more than the 50 MB limit of an article" in proc.stdout
    assert good_reported(proc.stdout)


def test_time_budget_reports_the_file_and_checks_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from citelint import guard
    from citelint.cli import main

    monkeypatch.setattr(guard, "BASE_SECONDS", 0.3)
    monkeypatch.setattr(guard, "SECONDS_PER_MB", 0.0)
    paragraph = "The Harbour Gazette reported that the pier was sold. Critics say the price was low, the mayor said.\n\n"
    (tmp_path / "big.txt").write_text(paragraph * 60_000, encoding="utf-8")  # about 6 MB: seconds of work
    with_good(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        code = main(["check", "--isolated", "--include", "*.txt", "."], stdout=out, stderr=err)
    finally:
        os.chdir(old)
    assert code == 2
    assert "big.txt: error: not checked: still unfinished after 0.3 s (the time budget for a file this size)" in out.getvalue()
    assert good_reported(out.getvalue())


# -- reads: only regular files, every read capped, bounded nesting ----------------------------

def test_fifo_named_on_the_command_line(tmp_path: Path) -> None:
    with_good(tmp_path)
    os.mkfifo(tmp_path / "pipe.md")  # nobody ever writes: opening it to read would block forever
    proc = cli(tmp_path, "pipe.md", "good.txt")
    assert proc.returncode == 2
    assert "pipe.md: error: not a regular file (a FIFO)" in proc.stdout
    assert good_reported(proc.stdout)


def test_fifo_in_a_walked_directory(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "good.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(tmp_path / "news" / "pipe.txt")
    proc = cli(tmp_path, "news")
    # A walk never opens special files (as a FIFO is no article, it is passed over like a
    # directory of build output); named on the command line it is an input error (above).
    assert proc.returncode == 0
    assert "pipe.txt" not in proc.stdout + proc.stderr
    assert "news/good.txt:1:1: info CL203" in proc.stdout


def test_device_named_as_an_article(tmp_path: Path) -> None:
    with_good(tmp_path)
    proc = cli(tmp_path, "/dev/zero", "good.txt")
    assert proc.returncode == 2
    assert "/dev/zero: error: not a regular file (a character device)" in proc.stdout
    assert good_reported(proc.stdout)


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_special_file_as_a_sidecar(tmp_path: Path, kind: str) -> None:
    with_good(tmp_path)
    (tmp_path / "story.txt").write_text("The Harbour Gazette reported that the pier was sold.\n", encoding="utf-8")
    if kind == "fifo":
        os.mkfifo(tmp_path / "story.sources.toml")
        reason = "a FIFO"
    else:
        os.symlink("/dev/zero", tmp_path / "story.sources.toml")  # would fill memory if read whole
        reason = "a character device"
    proc = cli(tmp_path, "story.txt", "good.txt")
    assert proc.returncode == 2
    assert f"story.sources.toml: error: cannot read sidecar: not a regular file ({reason})" in proc.stdout
    assert "story.txt:1:1: warning CL103" in proc.stdout  # the article itself is still checked
    assert good_reported(proc.stdout)


def test_sidecar_over_the_cap(tmp_path: Path) -> None:
    with_good(tmp_path)
    (tmp_path / "story.txt").write_text("The Harbour Gazette reported that the pier was sold.\n", encoding="utf-8")
    (tmp_path / "story.sources.toml").write_text("# padding\n" * 600_000, encoding="utf-8")
    proc = cli(tmp_path, "story.txt", "good.txt")
    assert proc.returncode == 2
    assert "story.sources.toml: error: cannot read sidecar: file is 5.7 MB, over the 5 MB limit" in proc.stdout
    assert good_reported(proc.stdout)


@pytest.mark.parametrize("nesting", ["a = " + "[" * 5000 + "]" * 5000, "a = " + "{b = " * 5000 + "}" * 5000])
def test_deeply_nested_sidecar_toml(tmp_path: Path, nesting: str) -> None:
    with_good(tmp_path)
    (tmp_path / "story.txt").write_text("The Harbour Gazette reported that the pier was sold.\n", encoding="utf-8")
    (tmp_path / "story.sources.toml").write_text(nesting + "\n", encoding="utf-8")
    proc = cli(tmp_path, "story.txt", "good.txt")
    assert proc.returncode == 2, proc.stderr
    assert "story.sources.toml: error: invalid TOML: arrays or tables nested too deeply" in proc.stdout
    assert good_reported(proc.stdout)


@pytest.mark.parametrize(("option", "message"), [
    ("--config", "citelint: error: {path}: cannot read configuration: not a regular file ({kind})"),
    ("--sources", "citelint: error: {path}: cannot read source list: not a regular file ({kind})"),
    ("--baseline", "citelint: error: {path}: cannot read baseline: not a regular file ({kind})"),
])
@pytest.mark.parametrize("kind", ["a FIFO", "a character device"])
def test_special_files_as_config_source_list_or_baseline(tmp_path: Path, option: str, message: str, kind: str) -> None:
    with_good(tmp_path)
    if kind == "a FIFO":
        os.mkfifo(tmp_path / "special")
        path = "special"
    else:
        path = "/dev/zero"
    proc = subprocess.run([sys.executable, "-m", "citelint", "check", option, path, "good.txt"], cwd=tmp_path,
                          env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "x"), "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=WALL_CLOCK)
    assert proc.returncode == 2 and proc.stdout == ""
    assert message.format(path=path, kind=kind) in proc.stderr


@pytest.mark.parametrize(("name", "text", "message"), [
    ("citelint.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n", "citelint.toml: invalid TOML: arrays or tables nested too deeply"),
    ("list.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n", "list.toml: invalid TOML: arrays or tables nested too deeply"),
    ("base.json", "[" * 100_000 + "]" * 100_000, "base.json: baseline is not valid JSON (nested too deeply)"),
])
def test_deeply_nested_config_source_list_and_baseline(tmp_path: Path, name: str, text: str, message: str) -> None:
    with_good(tmp_path)
    (tmp_path / name).write_text(text, encoding="utf-8")
    option = {"citelint.toml": [], "list.toml": ["--sources", "list.toml"], "base.json": ["--baseline", "base.json"]}[name]
    proc = subprocess.run([sys.executable, "-m", "citelint", "check", *option, "good.txt"], cwd=tmp_path,
                          env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "x"), "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=WALL_CLOCK)
    assert proc.returncode == 2 and proc.stdout == ""
    assert message in proc.stderr and "Traceback" not in proc.stderr
