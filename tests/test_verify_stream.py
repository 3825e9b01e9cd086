"""Fetching while a batch is still being prepared: URLs added to a run of fetching as each
document comes, against real local servers. The pages and articles are made up here."""
from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from httpserver import HARBOUR_WIRE, Route, ServerURL, serve, serve_many

from citelint.check import Checker
from citelint.load import load_text
from citelint.model import Attribution
from citelint.registry import load_registry
from citelint.selection import Selection
from citelint.verify.fetch import Fetcher, FetchSettings
from citelint.verify.model import QuoteResult, Verdict
from citelint.verify.records import RECORDS_FILE
from citelint.verify.verifier import Verifier

HTML = "<html><body><p>The minister said talks would resume.</p></body></html>"
FAST = FetchSettings(timeout=5.0, backoff=0.01, min_interval=0.0, use_cache=False,
                     allow_hosts=frozenset({"127.0.0.1", "127.0.0.2", "127.0.0.3"}))


def _until(condition: object, seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def test_urls_added_while_the_run_goes_are_each_fetched_once_within_the_host_limits() -> None:
    hosts = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
    with serve_many({}, hosts, default=Route(body=HTML, delay=0.05)) as bases:
        with Fetcher(replace(FAST, per_host=2, max_concurrency=5)) as fetcher:
            run = fetcher.fetching()
            first = [f"{base}/p{i}" for base in bases for i in range(6)]
            run.add(first)
            assert _until(lambda: len(bases[0].log) >= 2)  # started before the rest is known
            # more of the same hosts, the first URLs again (one with a fragment), a new host's
            later = [f"{base}/p{i}" for base in bases[:2] for i in range(6, 12)]
            run.add([*later, first[0], first[1] + "#section"])
            pages = run.finish()
            run.abandon()  # after finish: nothing to stop
    paths = [f"/p{i}" for i in range(12)]
    log = bases[0].log  # the three addresses' requests (one server)
    assert sorted(e.path for e in log if e.server == "127.0.0.1") == sorted(paths)
    assert sorted(e.path for e in log if e.server == "127.0.0.2") == sorted(paths)
    assert sorted(e.path for e in log if e.server == "127.0.0.3") == sorted(paths[:6])
    assert bases[0].peak <= 5  # the pool's size (the per-host limit is tested with fetch_all)
    assert set(pages) == {*first, *later, first[1] + "#section"}
    assert all(page.verdict is Verdict.ALIVE for page in pages.values())
    assert pages[first[1] + "#section"].url == first[1] + "#section"


def test_a_failure_in_the_fetching_is_raised_by_finish_and_the_rest_not_started() -> None:
    calls: list[str] = []

    def fetch(key: str) -> object:
        calls.append(key)
        raise RuntimeError("boom")

    from citelint.verify.schedule import FetchRun

    run = FetchRun(fetch, None, 1, 1, lambda done, total, host: None)  # type: ignore[arg-type]
    run.add([f"http://127.0.0.1/p{i}" for i in range(5)])
    with pytest.raises(RuntimeError, match="boom"):
        run.finish()
    assert len(calls) == 1


# -- the verifier, fed one document at a time ----------------------------------------------

def page(i: int) -> str:
    return (f"<html><body><article><h1>Ward {i} keeps its ferry</h1>"
            f"<p>“We will keep the ward {i} ferry running all winter,” the harbour master said on Monday.</p>"
            f"<p>The council of ward {i} met behind closed doors for three hours.</p>"
            f"<p>Traders on the quay said the winter crossings carried {40 + i} vans a day last year, and the "
            "ferry company warned that a new engine would be needed before the spring if the service ran on.</p>"
            "<p>A public meeting on the timetable is planned for the first week of December at the ward hall, "
            "where residents will be asked whether the early morning crossing should be kept.</p>"
            "</article></body></html>")


@pytest.fixture(scope="module")
def server() -> Iterator[ServerURL]:
    with serve({f"/ward/{i}": Route(body=page(i), delay=0.02) for i in range(30)}) as base:
        yield base


def prepared(tmp_path: Path, text: str) -> tuple[Attribution, ...]:
    (tmp_path / "sources.toml").write_text(HARBOUR_WIRE, encoding="utf-8")
    registry = load_registry([str(tmp_path / "sources.toml")])
    document = load_text(text, "a.md", "markdown")
    return Checker(registry, Selection(frozenset(), frozenset(), {})).prepare(document).resolution.attributions


def cite(base: str, i: int, words: str) -> str:
    return f"[Harbour Wire reported]({base}/ward/{i}) that the council “{words}.”\n\nNo vote was held."


def test_a_batch_is_fetched_while_its_documents_come_and_a_late_quote_is_matched_from_the_record(
        server: ServerURL, tmp_path: Path) -> None:
    first = prepared(tmp_path, "\n\n".join(cite(server, i, f"will keep the ward {i} ferry running all winter")
                                           for i in range(10)))
    # the same ten pages again with words of their second paragraph, and ten pages new
    second = prepared(tmp_path, "\n\n".join(
        [*(cite(server, i, f"has sold the ward {i} ferry to a private company") for i in range(5)),
         *(cite(server, i, f"The council of ward {i} met behind closed doors") for i in range(5, 10)),
         *(cite(server, i, f"will keep the ward {i} ferry running all summer") for i in range(10, 20))]))
    settings = FetchSettings(allow_hosts=frozenset({"127.0.0.1"}), cache_dir=str(tmp_path / "cache"), per_host=4,
                             min_interval=0.0)
    records = tmp_path / "cache" / RECORDS_FILE
    read_before_second: list[bool] = []

    def documents() -> Iterator[tuple[tuple[Attribution, ...], str | None]]:
        yield first, None
        # the first document's pages are fetched and read before the second document is given
        read_before_second.append(_until(lambda: records.exists() and sqlite3.connect(records).execute(
            "SELECT count(*) FROM record").fetchone()[0] == 10))
        yield second, None

    with Verifier(settings, load_registry([str(tmp_path / "sources.toml")])) as verifier:
        one, two = verifier.verify_documents(documents())
    assert read_before_second == [True]
    assert [r.result for v in one.values() for r in v.quotes] == [QuoteResult.EXACT] * 10
    got = [r.result for v in two.values() for r in v.quotes]
    assert got == [QuoteResult.MISSING] * 5 + [QuoteResult.EXACT] * 5 + [QuoteResult.ALTERED] * 10
    for i in range(20):  # each page once, though two documents cite the first ten
        assert len(server.requests_to(f"/ward/{i}")) == 1


def test_documents_that_fail_to_come_stop_the_fetching(server: ServerURL, tmp_path: Path) -> None:
    first = prepared(tmp_path, "\n\n".join(cite(server, i, "will keep the ferry") for i in range(20, 30)))
    settings = FetchSettings(allow_hosts=frozenset({"127.0.0.1"}), cache_dir=str(tmp_path / "cache"), per_host=1,
                             min_interval=0.2)

    def documents() -> Iterator[tuple[tuple[Attribution, ...], str | None]]:
        yield first, None
        raise KeyboardInterrupt  # the person running it gave up

    started = time.monotonic()
    with Verifier(settings, load_registry([str(tmp_path / "sources.toml")])) as verifier:
        with pytest.raises(KeyboardInterrupt):
            verifier.verify_documents(documents())
    # ten URLs at one per 0.2 s would take 2 s; the ones in flight end, the rest never start
    assert time.monotonic() - started < 1.5
    assert sum(len(server.requests_to(f"/ward/{i}")) for i in range(20, 30)) <= 2
    assert not [t for t in threading.enumerate() if t.name.startswith(("citelint-schedule", "citelint-fetch"))]
