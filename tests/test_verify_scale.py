"""Every quote gets a result, whatever the number of URLs per document or per run: long
articles and archives checked through the command line against a real local server, and the
verifier across batches. Pages and articles are generated here (made-up councils and figures)."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from httpserver import HARBOUR_WIRE, Route, serve

from citelint.cli import main

REGISTRY = HARBOUR_WIRE
PAGES = 130


def page(i: int) -> str:
    return (f"<html><head><title>District {i}</title></head><body><nav>Home Politics</nav><article>"
            f"<h1>District {i} council delays the harbour budget</h1>"
            f"<p>The council of district {i} held closed talks on the harbour budget on Tuesday, officials said, "
            f"after a week of protests by ferry crews and traders.</p>"
            f"<p>“We will publish every figure for district {i} before the vote on Friday,” the treasurer, "
            f"Ines Calder, told reporters outside the town hall.</p>"
            f"<p>Opposition members said the delay would cost the district {i * 7} jobs over the winter.</p>"
            "</article></body></html>")


def quote(i: int) -> str:
    """The quote cited for page i: exact, altered (a dropped word) or fabricated, by i mod 3."""
    kind = i % 3
    if kind == 0:
        return f"will publish every figure for district {i} before the vote on Friday"
    if kind == 1:
        return f"will publish every figure for district {i} before the vote Friday"
    return f"has agreed with the ferry crews of district {i} to end their strike at midnight"


EXPECTED = {0: "exact", 1: "altered", 2: "missing"}
CODES = {0: None, 1: "CL303", 2: "CL302"}


@pytest.fixture(scope="module")
def server() -> str:
    routes = {f"/news/{i}": Route(body=page(i)) for i in range(PAGES)}
    with serve(routes) as base:
        yield base  # a str carrying .log


def paragraph(base: str, i: int) -> str:
    # The unquoted paragraph after each citation keeps the extractor from attaching a quote to
    # the next paragraph's cue (quote attachment is tested with the extractor, not here).
    return f"[Harbour Wire reported]({base}/news/{i}) that the council “{quote(i)}.”\n\nThe council meets again in March."


def run(tmp_path: Path, *paths: Path) -> dict:
    (tmp_path / "sources.toml").write_text(REGISTRY, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    main(["check", "--format", "json", "--verify", "--allow-host", "127.0.0.1", "--cache-dir", str(tmp_path / "cache"),
          "--sources", str(tmp_path / "sources.toml"), "--timeout", "10", "--per-host", "8", "--max-concurrency", "16",
          *map(str, paths)], stdout=out, stderr=err)
    return json.loads(out.getvalue())


def results(report: dict) -> dict[str, list[str]]:
    """Each cited URL's path -> the results of the quotes cited to it."""
    found: dict[str, list[str]] = {}
    for entry in report["files"]:
        for att in entry["attributions"]:
            if att["verification"] is not None:
                path = att["verification"]["url"].split("/", 3)[3]
                found.setdefault(path, []).extend(q["result"] for q in att["verification"]["quotes"])
    return found


def test_one_article_citing_130_pages_gets_a_result_for_every_quote(server: str, tmp_path: Path) -> None:
    article = tmp_path / "roundup.md"
    article.write_text("\n\n".join(paragraph(server, i) for i in range(PAGES)), encoding="utf-8")
    report = run(tmp_path, article)
    got = results(report)
    assert len(got) == PAGES
    assert got == {f"news/{i}": [EXPECTED[i % 3]] for i in range(PAGES)}
    codes = sorted(f["code"] for f in report["files"][0]["findings"] if f["code"].startswith("CL3"))
    assert codes == sorted(c for i in range(PAGES) if (c := CODES[i % 3]) is not None)


def test_an_archive_citing_130_pages_across_documents_gets_a_result_for_every_quote(server: str, tmp_path: Path) -> None:
    # 26 documents of 5 citations each, and every page cited again by a second document with
    # another form of its quote: the second citation is matched too, never skipped.
    docs = tmp_path / "archive"
    docs.mkdir()
    for d in range(PAGES // 5):
        cited = range(d * 5, d * 5 + 5)
        again = [(i + 5) % PAGES for i in cited]
        text = "\n\n".join([*(paragraph(server, i) for i in cited),
                            *(f"[Harbour Wire reported]({server}/news/{i}) that the council "
                              f"“will publish every figure for district {i}.”\n\nThe vote is on Friday." for i in again)])
        (docs / f"story-{d:03}.md").write_text(text, encoding="utf-8")
    report = run(tmp_path, docs)
    got = results(report)
    assert len(got) == PAGES
    assert {k: sorted(v) for k, v in got.items()} == {f"news/{i}": sorted([EXPECTED[i % 3], "exact"]) for i in range(PAGES)}


def test_a_later_batch_reads_an_earlier_page_again_for_a_new_quote(server: str, tmp_path: Path) -> None:
    from citelint.check import Checker
    from citelint.load import load_path
    from citelint.registry import load_registry
    from citelint.selection import Selection
    from citelint.verify.fetch import FetchSettings
    from citelint.verify.verifier import Verifier

    (tmp_path / "sources.toml").write_text(REGISTRY, encoding="utf-8")
    registry = load_registry([str(tmp_path / "sources.toml")])
    checker = Checker(registry, Selection(frozenset(), frozenset(), {}))
    first, second = tmp_path / "first.md", tmp_path / "second.md"
    first.write_text("\n\n".join(paragraph(server, i) for i in range(100)), encoding="utf-8")
    second.write_text("\n\n".join(f"[Harbour Wire reported]({server}/news/{i}) that the council "
                                  f"“held closed talks on the harbour budget on Tuesday.”\n\nNo vote was held."
                                  for i in range(100)), encoding="utf-8")
    settings = FetchSettings(allow_hosts=frozenset({"127.0.0.1"}), cache_dir=str(tmp_path / "cache"), per_host=8)
    with Verifier(settings, registry) as verifier:
        batches = [checker.prepare(load_path(str(p)).document).resolution.attributions for p in (first, second)]
        one = verifier.verify([batches[0]])[0]
        two = verifier.verify([batches[1]])[0]
    assert sorted(r.result.value for v in one.values() for r in v.quotes) == sorted(EXPECTED[i % 3] for i in range(100))
    assert [r.result.value for v in two.values() for r in v.quotes] == ["exact"] * 100


def test_a_warm_run_makes_no_request_and_parses_no_page(server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from citelint.verify import reading

    parsed: list[int] = []
    real = reading.page_text

    def counting(*args: object, **kwargs: object) -> object:
        parsed.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reading, "page_text", counting)
    article = tmp_path / "roundup.md"
    article.write_text("\n\n".join(paragraph(server, i) for i in range(40)), encoding="utf-8")
    cold = run(tmp_path, article)
    assert len(parsed) == 40
    parsed.clear()
    requests = len(server.log)  # type: ignore[attr-defined]
    warm = run(tmp_path, article)
    assert parsed == [] and len(server.log) == requests  # type: ignore[attr-defined]
    assert results(warm) == results(cold) == {f"news/{i}": [EXPECTED[i % 3]] for i in range(40)}


def test_damaged_page_records_are_only_slower(server: str, tmp_path: Path) -> None:
    article = tmp_path / "roundup.md"
    article.write_text("\n\n".join(paragraph(server, i) for i in range(10)), encoding="utf-8")
    cold = run(tmp_path, article)
    (tmp_path / "cache" / "page-records.sqlite").write_bytes(b"garbage, not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (tmp_path / "cache" / f"page-records.sqlite{suffix}").unlink(missing_ok=True)
    assert results(run(tmp_path, article)) == results(cold)
