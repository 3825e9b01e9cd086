"""--jobs N: files checked in worker processes give the report of one process, byte for byte.

The archive is generated (tests/archivegen.py: made-up text, many paragraphs, credited and
uncredited reports, mismatched links, sidecars, unreadable files); every comparison is
between a run with --jobs 1 and the same run with workers, and each also checks that the
report is not trivially empty, so a broken pool cannot pass by reporting nothing twice.
"""
from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from archivegen import build
from httpserver import Route, serve_many

from citelint.check import Checker, FileResult, Prepared
from citelint.cli import main
from citelint.config import Settings
from citelint.jobs import CHUNK, IN_FLIGHT, in_workers
from citelint.model import Document, InputError
from citelint.pipeline import FileChecker, Run, RunOptions
from citelint.registry import load_registry



@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A pool that deadlocks fails the run (with every thread's stack) instead of hanging CI."""
    import faulthandler

    faulthandler.dump_traceback_later(180, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    build(root, 90)  # 11 chunks of 8: more than the 2 × IN_FLIGHT a pool of two holds at once
    return root


def _run(args: list[str], cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(cwd)
    try:
        code = main(["check", "--isolated", *args], stdout=out, stderr=err)
    finally:
        os.chdir(here)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("options", [
    ["--format", "json"], ["--format", "sarif"], ["--format", "github"], ["--format", "html"],
    ["--format", "text", "--show-source"], ["--format", "text", "--statistics"],
])
def test_workers_write_the_report_of_one_process_byte_for_byte(archive: Path, options: list[str]) -> None:
    one = _run([*options, "--jobs", "1", "."], archive)
    two = _run([*options, "--jobs", "2", "."], archive)
    assert two == one
    code, report, summary = one
    assert code == 2  # the archive has unreadable files: input errors outrank findings
    assert summary.startswith("89 files checked, 13") and summary.endswith("; 11 input errors\n")  # counts move with the rules
    assert len(report) > 1000


def test_the_json_report_covers_every_article_in_walk_order(archive: Path) -> None:
    code, report, _ = _run(["--format", "json", "--jobs", "2", "."], archive)
    data = json.loads(report)
    articles = [f["path"] for f in data["files"] if f["path"].endswith((".md", ".html"))]
    expected = sorted(str(p.relative_to(archive)) for p in archive.rglob("story-*") if not p.name.endswith(".toml"))
    assert articles == [p for p in expected if p != "2000/01/story-000050.md"]  # walk order; 50 is not UTF-8
    assert [e["path"] for e in data["errors"] if "UTF-8" in e["message"]] == ["2000/01/story-000050.md"]
    assert sum(len(f["findings"]) for f in data["files"]) > 200


def test_input_errors_found_in_workers_are_reported_as_with_one_job(archive: Path) -> None:
    args = ["--format", "json", ".", "missing-folder", "2000/01/no-such.md"]
    one, two = _run([*args, "--jobs", "1"], archive), _run([*args, "--jobs", "2"], archive)
    assert two == one
    errors = json.loads(two[1])["errors"]
    messages = " | ".join(f"{e['path']}: {e['message']}" for e in errors)
    assert "missing-folder: no such file or directory" in messages
    assert "2000/01/no-such.md: no such file or directory" in messages
    assert "is not a registry id" in messages  # sidecar refs, checked in the workers
    assert any(e["path"].endswith(".sources.toml") and "no-such-outlet" not in e["message"] for e in errors)  # broken TOML
    assert two[0] == 2


def test_exit_codes_are_those_of_one_job(archive: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    for n in range(20):
        (clean / f"note-{n:02d}.md").write_text(f"# Note {n}\n\nThe committee met on Tuesday and adjourned.\n", encoding="utf-8")
    for folder, expected in ((clean, 0), (archive / "2000" / "01", 2)):
        one = _run(["--jobs", "1", "."], folder)
        two = _run(["--jobs", "2", "."], folder)
        assert one[0] == two[0] == expected
        assert one == two
    findings_only = [str(p) for p in sorted((archive / "2000" / "01").glob("story-00000[0-8].md"))]
    one, two = _run(["--jobs", "1", *findings_only], archive), _run(["--jobs", "0", *findings_only], archive)
    assert one == two and one[0] == 1


def test_stdin_is_read_by_the_parent_and_checked_like_a_file(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (archive / "2000" / "01" / "story-000001.md").read_bytes()

    class Stdin:
        buffer = io.BytesIO(text)

    results = []
    for jobs in ("1", "2"):
        Stdin.buffer = io.BytesIO(text)
        monkeypatch.setattr("sys.stdin", Stdin)
        results.append(_run(["--format", "json", "--jobs", jobs, "--stdin-filename", "piped.md", "-"], archive))
    assert results[0] == results[1]
    assert json.loads(results[0][1])["files"][0]["path"] == "piped.md"


def test_jobs_must_be_a_whole_number_of_at_least_zero(archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = _run(["--jobs", "-1", "."], archive)
    assert code == 2 and "--jobs/-j: expected 0 (one per core) or more, got '-1'" in capsys.readouterr().err
    config = tmp_path / "citelint.toml"
    config.write_text("jobs = -2\n", encoding="utf-8")
    out, err_io = io.StringIO(), io.StringIO()
    assert main(["check", "--config", str(config), str(archive / "2000" / "01" / "story-000001.md")], out, err_io) == 2
    assert "key 'jobs' must be 0 (one per core) or more" in err_io.getvalue()
    config.write_text("jobs = 2\n", encoding="utf-8")
    out = io.StringIO()
    main(["show-config", "--config", str(config)], out, io.StringIO())
    assert f"jobs            = 2  # {config}\n" in out.getvalue()


# -- failures inside workers -------------------------------------------------------------
# The checkers below are module-level classes so that spawned workers can unpickle them.

class BoomChecker(Checker):
    """Raises while running the rules on one article, as a bug in a rule would."""

    def check(self, document: Document, prepared: Prepared | None = None,
              verifications: dict | None = None) -> list[FileResult]:  # type: ignore[type-arg]
        if document.path.endswith("story-000012.md"):
            raise RuntimeError("a rule tripped over story 12")
        return super().check(document, prepared, verifications)


class DyingChecker(Checker):
    """Ends the worker process outright on one article (as the kernel's OOM killer would)."""

    def prepare(self, document: Document) -> Prepared:
        if document.path.endswith("story-000013.md") and os.environ.get("CITELINT_TEST_WORKER") == "1":
            os._exit(9)
        return super().prepare(document)


def _run_with(checker: Checker, jobs: int, cwd: Path) -> tuple[int, str, str]:
    settings = Settings()
    settings.set("format", "json", "test")
    settings.set("jobs", jobs, "test")
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(cwd)
    try:
        code = Run(checker, settings, RunOptions(paths=(".",)), out, err).execute()
    finally:
        os.chdir(here)
    return code, out.getvalue(), err.getvalue()


def test_an_internal_error_in_a_worker_is_reported_and_the_other_files_still_checked(archive: Path) -> None:
    checker = BoomChecker(load_registry([]))
    one, two = _run_with(checker, 1, archive), _run_with(checker, 2, archive)
    assert two == one
    assert two[0] == 3
    data = json.loads(two[1])
    boom = [e for e in data["errors"] if e["path"].endswith("story-000012.md")]
    assert boom and "internal error while checking: RuntimeError: a rule tripped over story 12" in boom[0]["message"]
    assert len(data["files"]) > 80
    assert not any(f["path"].endswith("story-000012.md") for f in data["files"])


def test_a_worker_that_dies_costs_only_its_own_file(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITELINT_TEST_WORKER", "1")  # spawned workers inherit it; the parent never prepares
    code, report, _ = _run_with(DyingChecker(load_registry([])), 2, archive)
    monkeypatch.delenv("CITELINT_TEST_WORKER")
    reference = json.loads(_run_with(Checker(load_registry([])), 1, archive)[1])
    data = json.loads(report)
    assert code == 3
    died = [e for e in data["errors"] if e["path"].endswith("story-000013.md")]
    assert died and "ended unexpectedly" in died[0]["message"]
    assert [f for f in reference["files"] if not f["path"].endswith("story-000013.md")] == data["files"]


def test_workers_pull_the_walk_lazily_with_a_bounded_number_of_files_in_flight(archive: Path) -> None:
    pulled = 0

    def items() -> Iterator[str | InputError]:
        nonlocal pulled
        paths = sorted(str(p) for p in archive.rglob("story-*.md"))
        for path in paths * 3:  # more files than may be in flight
            pulled += 1
            yield path

    outcomes = in_workers(FileChecker(Checker(load_registry([]))), items(), 2)
    first = next(outcomes)
    assert first.results is not None
    assert pulled <= (2 * IN_FLIGHT + 2) * CHUNK  # the walk is not read to its end before checking
    rest = list(outcomes)
    assert pulled == len(rest) + 1 > (2 * IN_FLIGHT + 2) * CHUNK


# -- verification: workers prepare, the parent fetches each URL once --------------------

PAGE = ("<html><body><article><h1>Harbour board sells the old pier</h1>"
        "<p>The harbour board held talks for most of the spring about the future of the old pier, which has been "
        "closed to the public since a storm damaged its deck two winters ago.</p>"
        "<p>The council voted 7-2 to approve the sale on Tuesday evening, after a debate that ran past midnight and "
        "drew a crowd of residents who filled the public gallery and the corridor outside.</p>"
        "<p>The buyer, a local trust, has promised to repair the deck within three years and to keep the pier open "
        "to anglers and walkers, the board said in a statement issued after the vote.</p></article></body></html>")
REGISTRY = '[[source]]\nid = "harbour-wire"\nname = "Harbour Wire"\ndomains = ["127.0.0.1"]\nkind = "wire"\nstatus = "reliable"\n'


def test_with_verify_each_distinct_url_is_fetched_once_and_the_report_is_the_same(tmp_path: Path) -> None:
    with serve_many({f"/story/{k}": Route(body=PAGE) for k in range(6)}, ["127.0.0.1"]) as urls:
        site = urls[0]
        folder = tmp_path / "desk"
        folder.mkdir()
        (tmp_path / "sources.toml").write_text(REGISTRY, encoding="utf-8")
        for n in range(40):
            quote = "voted 7-2 to approve the sale" if n % 3 else "voted 9-0 to block the sale"
            (folder / f"brief-{n:02d}.md").write_text(
                f"# Brief {n}\n\nThe pier sale went ahead. [Harbour Wire reported]({site}/story/{n % 6}) "
                f"that the council \u201c{quote}.\u201d\n\nThe mayor declined to comment.\n", encoding="utf-8")
        runs = []
        for jobs in ("1", "2"):
            before = len(site.log)
            runs.append(_run(["--format", "json", "--verify", "--allow-host", "127.0.0.1", "--timeout", "5",
                              "--cache-dir", str(tmp_path / f"cache-{jobs}"), "--sources", str(tmp_path / "sources.toml"),
                              "--jobs", jobs, "desk"], tmp_path))
            fetched = [entry.path for entry in site.log[before:]]
            assert sorted(fetched) == sorted(f"/story/{k}" for k in range(6)), fetched
    assert runs[0] == runs[1]
    findings = [f["code"] for f in json.loads(runs[1][1])["files"] for f in f["findings"]]
    assert findings.count("CL302") + findings.count("CL303") >= 10  # the misquotes, caught from the fetched pages


def test_a_baseline_written_and_applied_with_workers_is_the_one_of_one_job(archive: Path, tmp_path: Path) -> None:
    written = {}
    for jobs in ("1", "2"):
        path = tmp_path / f"baseline-{jobs}.json"
        code, _, err = _run(["--jobs", jobs, "--write-baseline", str(path), "2000/01"], archive)
        assert code == 2 and "to the baseline" in err  # input errors: still written, exit 2
        written[jobs] = path.read_text(encoding="utf-8")
    assert written["1"] == written["2"] and len(written["1"]) > 10_000
    one = _run(["--format", "json", "--jobs", "1", "--baseline", str(tmp_path / "baseline-1.json"), "."], archive)
    two = _run(["--format", "json", "--jobs", "2", "--baseline", str(tmp_path / "baseline-1.json"), "."], archive)
    assert one == two
    assert "more in the baseline" in two[2]
    assert json.loads(two[1])["files"][0]["findings"] == []  # 2000/01 is all in the baseline


def test_input_that_is_not_prose_is_an_input_error_in_workers_too(archive: Path, tmp_path: Path) -> None:
    desk = tmp_path / "desk"
    shutil.copytree(archive / "2000" / "01", desk / "01")
    cues = " ".join(f"officials said, aides said, the mayor said ({n})" for n in range(400))
    (desk / "01" / "story-000003.md").write_text(f"# Not an article\n\n{cues}.\n", encoding="utf-8")
    one = _run(["--format", "json", "--jobs", "1", "desk"], tmp_path)
    two = _run(["--format", "json", "--jobs", "2", "desk"], tmp_path)
    assert one == two
    errors = {e["path"]: e["message"] for e in json.loads(two[1])["errors"]}
    assert "attribution cues in one sentence" in errors["desk/01/story-000003.md"]
    assert two[0] == 2
