"""Reports are complete or absent: a run refused after checking began leaves nothing on
stdout and leaves the -o file as it was; a finished run writes the whole document."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from citelint.cli import main

ARTICLE = "[Reuters reported](https://www.reuters.com/x) that the mill shut. Critics say it was sold cheaply.\n"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def unusable_cache(tmp_path: Path) -> list[str]:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    return ["--verify", "--offline", "--cache-dir", str(blocker / "cache")]


def bad_baseline(tmp_path: Path) -> list[str]:
    (tmp_path / "baseline.json").write_text('{"version": 1, "findings": 7}', encoding="utf-8")
    return ["--baseline", str(tmp_path / "baseline.json")]


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "text", "html"])
@pytest.mark.parametrize("refusal", [unusable_cache, bad_baseline])
def test_refused_run_writes_no_report(tmp_path: Path, article: Path, fmt: str, refusal) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("check", "--format", fmt, *refusal(tmp_path), str(article))
    assert code == 2 and "citelint: error:" in err
    assert out == ""  # before: '{"version":1,"tool":{…},"files":[' for json


def test_refused_run_leaves_the_output_file_as_it_was(tmp_path: Path, article: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text('{"previous": "report"}\n', encoding="utf-8")
    code, out, _ = run("check", "--format", "json", "-o", str(target), *unusable_cache(tmp_path), str(article))
    assert code == 2 and out == ""
    assert target.read_text(encoding="utf-8") == '{"previous": "report"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "file", "report.json"]  # no temporary left


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_finished_run_writes_the_whole_document(tmp_path: Path, article: Path, fmt: str) -> None:
    target = tmp_path / f"report.{fmt}"
    code, out, _ = run("check", "--format", fmt, "-o", str(target), str(article))
    assert code == 0 and out == ""
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document  # parses: complete
    code, out, _ = run("check", "--format", fmt, str(article))
    assert json.loads(out) == document
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", target.name]


def test_long_reports_spill_to_disk_and_still_arrive_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from citelint import sink

    monkeypatch.setattr(sink, "_SPOOL_BYTES", 64 * 1024)  # the report below is several times that
    body = "Critics say the levy is unfair. Sources said so. The minister reportedly resigned.\n\n" * 50
    for i in range(20):
        (tmp_path / f"{i:03d}.txt").write_text(body, encoding="utf-8")
    code, out, _ = run("check", "--format", "json", "--exit-zero", "--include", "*.txt", str(tmp_path))
    assert code == 0 and len(out) > 4 * 64 * 1024
    report = json.loads(out)
    assert len(report["files"]) == 20 and report["summary"]["findings"]["warning"] == 20 * 50  # one "reportedly" a paragraph
