"""citelint audit on a real Dask LocalCluster (two worker processes): the Parquet tables hold
what the JSON report of ``check`` holds for the same files, an interrupted audit resumes
without redoing finished partitions, and an --out of another audit is refused; with
--verify (two loopback hosts), each URL of the archive is fetched once and the findings are
those of ``check --verify``.

The archive is generated (tests/archivegen.py: made-up text, Markdown, HTML and plain text,
credited and uncredited reports, mismatched links, sidecars, unreadable files).
"""
from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from archivegen import build
from clihelpers import run_in


PARTITION = 7


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    build(root, 40)
    return root


def cli(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """``citelint COMMAND --isolated ARGS…`` run in ``cwd``."""
    return run_in(cwd, *args[:1], "--isolated", *args[1:])


def audit(archive: Path, out: Path, *extra: str) -> tuple[int, str]:
    code, _, err = cli(["audit", "--out", str(out), "--workers", "2", "--partition-size", str(PARTITION),
                        "--include", "*.md", "--include", "*.html", "--include", "*.txt", *extra, "."], archive)
    return code, err


def rows(out: Path, table: str) -> list[dict[str, object]]:
    return pq.read_table(out / table).to_pylist()


def test_the_tables_hold_what_the_json_report_holds(archive: Path, tmp_path: Path) -> None:
    code, err = audit(archive, tmp_path / "audit")
    checked, report, _ = cli(["check", "--format", "json", "--include", "*.md", "--include", "*.html",
                              "--include", "*.txt", "."], archive)
    report_json = json.loads(report)
    assert code == checked == 2  # findings, and files that cannot be read: as check says
    files = [f for f in report_json["files"]]
    assert sum(len(f["attributions"]) for f in files) > 100 and sum(len(f["findings"]) for f in files) > 20

    expected_attributions = sorted(
        (f["path"], a["id"], a["kind"], (a["source"] or {}).get("text"), a["cue"]["text"], a["cue"]["line"],
         (a["content"] or {}).get("text"), tuple(q["text"] for q in a["quotes"]), (a["resolved"] or {}).get("id"),
         tuple(a["urls"]))
        for f in files for a in f["attributions"])
    got_attributions = sorted(
        (r["path"], r["attribution"], r["kind"], r["source_text"], r["cue_text"], r["cue_line"], r["content_text"],
         tuple(r["quotes"]), r["resolved_id"], tuple(r["urls"]))  # type: ignore[arg-type]
        for r in rows(tmp_path / "audit", "attributions"))
    assert got_attributions == expected_attributions

    expected_findings = sorted((f["path"], x["code"], x["severity"], x["line"], x["column"], x["end_line"], x["end_column"],
                                x["message"], x["attribution"]) for f in files for x in f["findings"])
    got_findings = sorted((r["path"], r["code"], r["severity"], r["line"], r["column"], r["end_line"], r["end_column"],
                           r["message"], r["attribution"]) for r in rows(tmp_path / "audit", "findings"))
    assert got_findings == expected_findings

    assert sorted((r["path"], r["message"]) for r in rows(tmp_path / "audit", "errors")) == \
        sorted((e["path"], e["message"]) for e in report_json["errors"])
    urls = rows(tmp_path / "audit", "urls")
    assert len(urls) == sum(len(a["urls"]) for f in files for a in f["attributions"])
    assert {r["host"] for r in urls} >= {"www.reuters.com", "apnews.com"}
    summary = report_json["summary"]
    assert f"{summary['files']} files checked, {summary['attributions']} attributions: " in err


def test_an_interrupted_audit_resumes_with_the_partitions_left(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "audit"
    audit(archive, out)
    before = {p.name: p.stat().st_mtime_ns for p in (out / "findings").iterdir()}
    everything = sorted(map(json.dumps, rows(out, "attributions")))
    assert len(before) >= 5
    # A crash after partition 2 was written but before its marker: its marker is missing.
    (out / "_done" / "part-00002.json").unlink()
    (out / "attributions" / "part-00002.parquet").unlink()
    code, err = audit(archive, out)
    assert code == 2 and f"{len(before) - 1} already done" in err
    after = {p.name: p.stat().st_mtime_ns for p in (out / "findings").iterdir()}
    assert [name for name in after if after[name] != before[name]] == ["part-00002.parquet"]
    assert sorted(map(json.dumps, rows(out, "attributions"))) == everything


def test_an_out_of_another_audit_or_of_something_else_is_refused(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "audit"
    audit(archive, out)
    code, err = audit(archive, out, "--ignore", "CL101")
    assert code == 2 and "holds an audit of other files or options" in err
    other = tmp_path / "notes"
    other.mkdir()
    (other / "todo.txt").write_text("keep me", encoding="utf-8")
    code, err = audit(archive, other)
    assert code == 2 and "is not empty and holds no audit" in err
    assert [p.name for p in other.iterdir()] == ["todo.txt"]


def test_without_dask_the_audit_says_how_to_get_it(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails, as when the extra is not installed
    code, err = audit(archive, tmp_path / "audit")
    assert code == 2 and "pip install 'citelint[dask]'" in err


def test_manifests_and_globs_name_the_archive(archive: Path, tmp_path: Path) -> None:
    articles = sorted(p.relative_to(archive).as_posix() for p in archive.rglob("*.md"))[:9]
    (tmp_path / "list.txt").write_text("# the spring articles\n" + "\n".join(articles) + "\n", encoding="utf-8")
    out = tmp_path / "audit"
    code, _, err = cli(["audit", "--out", str(out), "--workers", "2", f"@{tmp_path / 'list.txt'}"], archive)
    assert code in (0, 1, 2), err
    named = {r["path"] for r in rows(out, "attributions")}
    assert named <= set(articles) and len(named) >= 7  # only the listed files (a few have no attributions)
    unreadable = {r["path"] for r in rows(out, "errors")} & set(articles)
    assert json.loads((out / "_done" / "part-00000.json").read_text(encoding="utf-8"))["files"] + len(unreadable) == len(articles)
    shutil.rmtree(out)
    first = articles[0].split("/")[0]
    code, _, err = cli(["audit", "--out", str(out), "--workers", "2", f"{first}/**/*.md"], archive)
    named = {r["path"] for r in rows(out, "attributions")}
    in_first = {p.relative_to(archive).as_posix() for p in (archive / first).rglob("*.md")}
    assert named <= in_first and len(named) >= len(in_first) // 2, err


# -- audit --verify -------------------------------------------------------------------------

SOURCES = """
[[source]]
id = "harbour-wire"
name = "Harbour Wire"
domains = ["127.0.0.1"]
kind = "wire"

[[source]]
id = "valley-post"
name = "Valley Post"
domains = ["127.0.0.2"]
kind = "newspaper"
"""
PAGES = 30


def page(i: int) -> str:
    return (f"<html><head><title>Pier {i}</title></head><body><article><h1>Pier {i} sale delayed</h1>"
            f"<p>The harbour board of district {i} delayed the sale of the old pier on Monday, officials said, "
            f"after traders asked for a public hearing.</p>"
            f"<p>“We will hear every trader in district {i} before anything is signed,” the chair, Ona Brisk, "
            f"told reporters at the quay.</p></article></body></html>")


def citing(base: tuple[str, str], i: int, form: int) -> str:
    outlet, host = ("Harbour Wire", base[0]) if i % 2 else ("Valley Post", base[1])
    url = f"{host}/pier/{i}" if i % 7 else f"{host}/gone/{i}"  # every seventh link is dead
    words = [f"will hear every trader in district {i} before anything is signed",  # exact
             f"will hear every trader in district {i} before the deal is signed",  # altered
             f"has already sold the pier in district {i} to a hotel chain"][form % 3]  # not there
    return f"[{outlet} reported]({url}) that the chair said “{words}.”\n\nThe board meets again in May."


@pytest.fixture(scope="module")
def cited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str]]]:
    from httpserver import Route, serve_many

    routes = {f"/pier/{i}": Route(body=page(i)) for i in range(PAGES)}
    with serve_many(routes, ["127.0.0.1", "127.0.0.2"]) as bases:
        root = tmp_path_factory.mktemp("cited")
        (root / "sources.toml").write_text(SOURCES, encoding="utf-8")
        for d in range(12):  # 12 articles of 5 citations: every page cited twice, from different partitions
            paragraphs = [citing((bases[0], bases[1]), (d * 5 + k) % PAGES, d + k) for k in range(5)]
            (root / f"story-{d:02}.md").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        yield root, bases


def test_an_audit_with_verify_fetches_each_url_once_and_reports_what_check_does(
        cited: tuple[Path, list[str]], tmp_path: Path) -> None:
    root, bases = cited
    network = ["--sources", "sources.toml", "--verify", "--allow-host", "127.0.0.1", "--allow-host", "127.0.0.2",
               "--timeout", "10", "--host-interval", "0"]
    code, report, err = cli(["check", "--format", "json", "--cache-dir", str(tmp_path / "check-cache"), *network, "."], root)
    expected = json.loads(report)
    before = len(bases[0].log)
    out = tmp_path / "audit"
    audited, _, err = cli(["audit", "--out", str(out), "--workers", "2", "--partition-size", "3",
                           "--cache-dir", str(tmp_path / "audit-cache"), *network, "."], root)
    assert (audited, code) == (1, 1), err
    requested = [e.path for e in bases[0].log[before:]]
    distinct = {url for f in expected["files"] for a in f["attributions"] for url in a["urls"]}
    assert len(distinct) == PAGES
    # Each URL requested once across the archive, however many articles (in other partitions) cite it.
    assert sorted(requested) == sorted("/" + url.split("/", 3)[3] for url in distinct)

    got_findings = sorted((r["path"], r["code"], r["line"], r["column"], r["message"]) for r in rows(out, "findings"))
    want_findings = sorted((f["path"], x["code"], x["line"], x["column"], x["message"]) for f in expected["files"]
                           for x in f["findings"])
    assert got_findings == want_findings
    assert {c for _, c, *_ in got_findings} >= {"CL301", "CL302", "CL303"}
    got = sorted((r["path"], r["attribution"], r["status"], r["verified_url"], tuple(r["quote_results"]))  # type: ignore[arg-type]
                 for r in rows(out, "attributions"))
    want = sorted((f["path"], a["id"], (a["verification"] or {}).get("status"), (a["verification"] or {}).get("url"),
                   tuple(q["result"] for q in (a["verification"] or {}).get("quotes", ())))
                  for f in expected["files"] for a in f["attributions"])
    assert got == want
    fetched = rows(out, "fetched")
    assert len(fetched) == len(distinct) and {r["verdict"] for r in fetched} == {"alive", "dead"}


def test_an_audit_with_verify_resumes_without_fetching_again(cited: tuple[Path, list[str]], tmp_path: Path) -> None:
    root, bases = cited
    args = ["audit", "--out", str(tmp_path / "audit"), "--workers", "2", "--partition-size", "3",
            "--cache-dir", str(tmp_path / "cache"), "--sources", "sources.toml", "--verify", "--allow-host", "127.0.0.1",
            "--allow-host", "127.0.0.2", "--timeout", "10", "--host-interval", "0", "."]
    cli(args, root)
    findings = sorted(map(json.dumps, rows(tmp_path / "audit", "findings")))
    # Interrupted while the rules ran on partition 1: its marker and tables are missing.
    for table in ("_done/part-00001.json", "findings/part-00001.parquet", "attributions/part-00001.parquet"):
        (tmp_path / "audit" / table).unlink()
    before = len(bases[0].log)
    code, _, err = cli(args, root)
    assert code == 1 and "3 already done" in err, err
    assert len(bases[0].log) == before  # every page was fetched before the interruption
    assert sorted(map(json.dumps, rows(tmp_path / "audit", "findings"))) == findings


def test_an_audit_interrupted_while_fetching_fetches_only_the_groups_left(cited: tuple[Path, list[str]], tmp_path: Path) -> None:
    root, _ = cited
    out = tmp_path / "audit"
    args = ["audit", "--out", str(out), "--workers", "2", "--partition-size", "3",
            "--cache-dir", str(tmp_path / "cache"), "--sources", "sources.toml", "--verify", "--allow-host", "127.0.0.1",
            "--allow-host", "127.0.0.2", "--timeout", "10", "--host-interval", "0", "."]
    cli(args, root)
    findings = sorted(map(json.dumps, rows(out, "findings")))
    groups = sorted(p.name for p in (out / "fetched").iterdir())
    assert groups == ["group-00000.parquet", "group-00001.parquet"]  # one per host here
    # Interrupted after the first host's group was fetched: no second group, no rules run yet.
    for path in [out / "_fetched" / "group-00001.json", out / "fetched" / "group-00001.parquet",
                 out / "quote_results" / "group-00001.parquet", *(out / "_done").iterdir(), *(out / "findings").iterdir()]:
        path.unlink()
    first = (out / "fetched" / "group-00000.parquet").stat().st_mtime_ns
    code, _, err = cli(args, root)
    assert code == 1, err
    assert (out / "fetched" / "group-00000.parquet").stat().st_mtime_ns == first  # not fetched again
    assert sorted(p.name for p in (out / "fetched").iterdir()) == groups
    assert sorted(map(json.dumps, rows(out, "findings"))) == findings


def test_stdin_or_an_unreadable_manifest_is_refused_and_leaves_no_plan(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "audit"
    code, _, err = cli(["audit", "--out", str(out), "-"], archive)
    assert code == 2 and "an audit reads files, not standard input" in err and not out.exists()
    code, _, err = cli(["audit", "--out", str(out), ".", f"@{tmp_path / 'missing.txt'}"], archive)
    assert code == 2 and f"cannot read the manifest {tmp_path / 'missing.txt'}: No such file or directory" in err
    assert not out.exists()
