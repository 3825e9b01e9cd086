"""A newsroom repository as citelint meets it: exactly which files a run checks.

The tree has what such repositories really hold beside the articles: a git checkout with a
.gitignore (and a nested one, a negation, an .ignore file), a virtualenv under an arbitrary
name, node_modules, build output, an egg-info folder with an empty file, a README, style
docs, test data, drafts, requirements.txt and robots.txt, a FIFO and a symlink loop. Runs go
through the command line (a subprocess, so a FIFO opened by mistake hangs into a timeout
instead of passing).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TIMEOUT = 60  # seconds: generous; only turns a hang (an opened FIFO) into a failure

MILL = """\
# Harbour mill to close in spring

The Harbour Gazette reported on Tuesday that the paper mill on Quay Road will close in
April, ending 140 years of production on the site.

"We could not find a buyer," the mill's owner, Anna Petrov, told reporters outside the gates.
She said 212 workers would be offered redundancy or jobs at the company's inland plant.

According to [Reuters](https://www.reuters.com/business/harbour-mill-2026-03-03/), the
company had sought a buyer since last summer.
"""

COUNCIL = """\
<!doctype html>
<html><head><title>Council approves the harbour levy</title></head>
<body>
<article>
<h1>Council approves the harbour levy</h1>
<p>The council voted 7-2 on Monday night to approve a levy on cruise passengers,
<a href="https://apnews.com/article/harbour-levy-9f2e">the Associated Press reported</a>.</p>
<p>"It is a fair price for a crowded quay," said Councillor Ruth Obi, who proposed it.</p>
<script>var tracking = "The BBC reported nothing";</script>
</article>
</body></html>
"""

WIRE = """\
The Associated Press reported that ferry services resumed on Friday
after a three-day strike.

Union officials said crews had accepted a 4 percent raise.
"""

WIRE_SIDECAR = """\
[[source]]
ref = "ap"
url = "https://apnews.com/article/ferry-strike-ends-3c1a"
"""

NOT_AN_ARTICLE = "The Harbour Gazette reported that this file must never be checked.\n"


def write(root: Path, relative: str, text: str = NOT_AN_ARTICLE) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    root = tmp_path / "newsroom"
    root.mkdir()
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(root)], check=True, timeout=TIMEOUT)
    else:
        (root / ".git" / "info").mkdir(parents=True)
    write(root, ".gitignore", "# generated and private\n_site/\n*.tmp.md\n!keep.tmp.md\nnotes/private/\n")
    write(root, ".ignore", "archive/2019/\n")
    write(root, "pyproject.toml", '[project]\nname = "newsroom-site"\n\n[tool.citelint]\n'
          'exclude = ["drafts", "README.md", "docs", "tests"]\n'
          'include = ["*.md", "*.markdown", "*.html", "*.htm", "articles/**/*.txt"]\n')
    write(root, "README.md", "# Newsroom site\n\nThe AP reported that this is a README.\n")
    write(root, "requirements.txt", "mkdocs==1.6\n")
    write(root, "robots.txt", "User-agent: *\nDisallow: /drafts/\n")
    write(root, "docs/style.md")
    write(root, "tests/fixtures/sample.md")
    write(root, "drafts/next-week.md")
    write(root, "venv/pyvenv.cfg", "home = /usr/bin\n")
    write(root, "venv/lib/python3.11/site-packages/pkg/README.md")
    write(root, "tools-env/pyvenv.cfg", "home = /usr/bin\n")  # a virtualenv under any name
    write(root, "tools-env/share/doc.md")
    write(root, ".venv/lib/notes.md")
    write(root, "node_modules/markdown-it/README.md")
    write(root, "build/index.html")
    write(root, "dist/articles/mill.html")
    write(root, "__pycache__/stale.md")
    write(root, "newsroom_site.egg-info/PKG-INFO", "Name: newsroom-site\n")
    write(root, "newsroom_site.egg-info/dependency_links.txt", "")
    write(root, "_site/index.html")  # gitignored build output
    write(root, "notes/private/sources.md")  # gitignored
    write(root, "notes/public.md", MILL)
    write(root, "archive/2019/old.md")  # .ignore
    write(root, "archive/2020/ferry.md", MILL)
    write(root, "articles/2026/mill-closure.md", MILL)
    write(root, "articles/2026/mill-closure.sources.toml",
          '[[source]]\nname = "Harbour Gazette"\nurl = "https://harbourgazette.example/2026/03/mill"\n')
    write(root, "articles/2026/council-vote.html", COUNCIL)
    write(root, "articles/2026/ferry-strike.txt", WIRE)
    write(root, "articles/2026/ferry-strike.sources.toml", WIRE_SIDECAR)
    write(root, "articles/2026/draft.tmp.md")  # gitignored
    write(root, "articles/2026/keep.tmp.md", MILL)  # re-included by !keep.tmp.md
    write(root, "articles/2026/notes.txt", "Desk notes: call the harbour master.\n")  # articles/**/*.txt
    write(root, "articles/embargo/.gitignore", "embargoed.md\n")  # a nested ignore file
    write(root, "articles/embargo/embargoed.md")
    write(root, "articles/embargo/published.md", MILL)
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "articles" / "2026" / "pipe.md")  # opening it would block
    (root / "articles" / "loop").symlink_to(root / "articles", target_is_directory=True)
    return root


def checked(root: Path, *args: str, cwd: Path | None = None) -> tuple[list[str], dict[str, object]]:
    """The articles a run checked (in report order) and its JSON report."""
    proc = subprocess.run([sys.executable, "-m", "citelint", "check", "--format", "json", *args],
                          cwd=cwd or root, capture_output=True, timeout=TIMEOUT)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    # Sidecars appear as files only when a finding is theirs (CL106): not articles.
    paths = [f["path"] for f in report["files"] if not f["path"].endswith(".sources.toml")]
    return paths, report


CONFIGURED = [
    "archive/2020/ferry.md",
    "articles/2026/council-vote.html",
    "articles/2026/ferry-strike.txt",
    "articles/2026/keep.tmp.md",
    "articles/2026/mill-closure.md",
    "articles/2026/notes.txt",
    "articles/embargo/published.md",
    "notes/public.md",
]


def test_a_walk_checks_the_articles_and_nothing_else(newsroom: Path) -> None:
    paths, report = checked(newsroom)
    assert paths == CONFIGURED
    summary = report["summary"]
    assert isinstance(summary, dict) and summary["files"] == len(CONFIGURED)


def test_the_default_path_is_the_working_directory(newsroom: Path) -> None:
    assert checked(newsroom)[0] == checked(newsroom, ".")[0] == checked(newsroom, "./")[0] == CONFIGURED


def test_without_configuration_plain_text_is_not_read_and_nothing_is_excluded(newsroom: Path) -> None:
    paths, _ = checked(newsroom, "--isolated")
    assert paths == [
        "README.md",
        "archive/2020/ferry.md",
        "articles/2026/council-vote.html",
        "articles/2026/keep.tmp.md",
        "articles/2026/mill-closure.md",
        "articles/embargo/published.md",
        "docs/style.md",
        "drafts/next-week.md",
        "notes/public.md",
        "tests/fixtures/sample.md",
    ]


def test_include_on_the_command_line_replaces_the_configured_globs(newsroom: Path) -> None:
    paths, _ = checked(newsroom, "--include", "*.html", "--include", "*.htm")
    assert paths == ["articles/2026/council-vote.html"]


def test_ignore_files_above_a_walked_subdirectory_apply(newsroom: Path) -> None:
    paths, _ = checked(newsroom, ".", cwd=newsroom / "articles")
    # Shown relative to the working directory; the root .gitignore still hides draft.tmp.md.
    assert paths == ["2026/council-vote.html", "2026/ferry-strike.txt", "2026/keep.tmp.md",
                     "2026/mill-closure.md", "2026/notes.txt", "embargo/published.md"]


NAMED = ["drafts/next-week.md", "articles/2026/mill-closure.md", "README.md", "./docs/style.md",
         "requirements.txt", "articles/2026/draft.tmp.md", "node_modules/markdown-it/README.md",
         "tools-env/share/doc.md", ".venv/lib/notes.md"]


def test_named_files_are_checked_whatever_their_suffix_or_exclusion(newsroom: Path) -> None:
    paths, _ = checked(newsroom, *NAMED)
    assert paths == ["drafts/next-week.md", "articles/2026/mill-closure.md", "README.md", "docs/style.md",
                     "requirements.txt", "articles/2026/draft.tmp.md", "node_modules/markdown-it/README.md",
                     "tools-env/share/doc.md", ".venv/lib/notes.md"]


def test_force_exclude_applies_exclude_to_named_files(newsroom: Path) -> None:
    paths, _ = checked(newsroom, "--force-exclude", *NAMED)
    # exclude = drafts, README.md, docs, tests, and the directories a walk skips (node_modules,
    # a virtualenv, hidden ones); .gitignore is for walks, as in ruff.
    assert paths == ["articles/2026/mill-closure.md", "requirements.txt", "articles/2026/draft.tmp.md"]
    named_dir, _ = checked(newsroom, "--force-exclude", "drafts", "articles/embargo")
    assert named_dir == ["articles/embargo/published.md"]


def test_absolute_paths_under_the_working_directory_are_shown_relative(newsroom: Path) -> None:
    paths, _ = checked(newsroom, str(newsroom / "articles" / "2026" / "mill-closure.md"), str(newsroom / "notes"))
    assert paths == ["articles/2026/mill-closure.md", "notes/public.md"]


def test_sidecars_beside_walked_articles_are_read(newsroom: Path) -> None:
    _, report = checked(newsroom)
    files = {f["path"]: f for f in report["files"]}  # type: ignore[attr-defined]
    # ferry-strike.sources.toml backs the AP: no CL101 for it; without the sidecar there is one.
    assert "CL101" not in {f["code"] for f in files["articles/2026/ferry-strike.txt"]["findings"]}
    (newsroom / "articles" / "2026" / "ferry-strike.sources.toml").unlink()
    _, report = checked(newsroom)
    files = {f["path"]: f for f in report["files"]}  # type: ignore[attr-defined]
    assert "CL101" in {f["code"] for f in files["articles/2026/ferry-strike.txt"]["findings"]}


@pytest.mark.parametrize("fmt", ["text", "github", "sarif", "json", "html"])
def test_every_format_names_files_without_dot_slash(newsroom: Path, fmt: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "citelint", "check", "--format", fmt, "--fail-on", "warning", "."],
                          cwd=newsroom, capture_output=True, timeout=TIMEOUT)
    out = proc.stdout.decode()
    assert proc.returncode == 1 and "articles/2026/mill-closure.md" in out
    assert "./articles" not in out
    assert "/newsroom/" not in out.replace(newsroom.resolve().as_uri() + "/", "")  # SARIF's base URI names it once
    if fmt == "sarif":
        run = json.loads(out)["runs"][0]
        assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == newsroom.resolve().as_uri() + "/"
        assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] for r in run["results"]} == {"%SRCROOT%"}
