"""The on-disk cache: warm runs make no requests, offline reads only the cache, failures are rechecked."""
from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from httpserver import Route, ServerURL, serve

from citelint.verify.cache import CACHE_FILE, CacheError, PageCache
from citelint.verify.fetch import Fetcher, FetchSettings
from citelint.verify.model import Page, Verdict

HTML = "<p>The minister said talks would resume.</p>"
ROUTES = {
    "/page": Route(body=HTML),
    "/gz": Route(body=HTML, gzip=True, headers={"Vary": "Accept-Encoding, User-Agent"}),
    "/pdf": Route(body=b"%PDF-1.7", content_type="application/pdf"),
    "/r1": Route(301, headers={"Location": "/r2"}),
    "/r2": Route(302, headers={"Location": "/page?final"}),
    "/page?final": Route(body=HTML),
    "/gone": Route(404),
    "/down": Route(500),
    "/soft": Route(302, headers={"Location": "/"}),
    "/": Route(body="home"),
}


@pytest.fixture
def server() -> Iterator[ServerURL]:
    with serve(ROUTES, default=Route(body=HTML)) as base:
        yield base


def settings(cache_dir: Path | None, **changes: object) -> FetchSettings:
    base = FetchSettings(timeout=1.0, backoff=0.01, retries=1, min_interval=0.0,
                         cache_dir=None if cache_dir is None else str(cache_dir), allow_hosts=frozenset({"127.0.0.1"}))
    return replace(base, **changes)  # type: ignore[arg-type]


def run(urls: list[str], s: FetchSettings) -> dict[str, Page]:
    with Fetcher(s) as fetcher:
        return fetcher.fetch_all(urls)


def test_a_warm_run_makes_no_requests(server: ServerURL, tmp_path: Path) -> None:
    urls = [server + p for p in ("/page", "/gz", "/pdf", "/r1")]
    cold = run(urls, settings(tmp_path))
    assert not any(p.from_cache for p in cold.values())
    requests_made = len(server.log)
    warm = run(urls, settings(tmp_path))
    assert len(server.log) == requests_made
    for url in urls:
        assert warm[url].from_cache
        assert replace(warm[url], from_cache=False) == cold[url]
    assert warm[server + "/gz"].body == HTML.encode()  # stored decoded
    assert (warm[server + "/pdf"].content_type, warm[server + "/pdf"].body) == ("application/pdf", None)
    assert (tmp_path / CACHE_FILE).exists()


def test_offline_reads_only_the_cache(server: ServerURL, tmp_path: Path) -> None:
    run([server + "/page", server + "/r1"], settings(tmp_path))
    before = len(server.log)
    pages = run([server + "/page", server + "/r1", server + "/never-fetched"], settings(tmp_path, offline=True))
    assert len(server.log) == before
    assert pages[server + "/page"].verdict is Verdict.ALIVE and pages[server + "/page"].from_cache
    redirected = pages[server + "/r1"]  # its hops were cached too
    assert (redirected.verdict, redirected.final_url) == (Verdict.ALIVE, server + "/page?final")
    missing = pages[server + "/never-fetched"]
    assert (missing.verdict, missing.reason) == (Verdict.ERROR, "not in the cache (--offline)")


def test_offline_without_a_cache_never_touches_the_network(tmp_path: Path) -> None:
    page = run(["http://127.0.0.1:9/x"], settings(tmp_path, offline=True, allow_hosts=frozenset()))["http://127.0.0.1:9/x"]
    assert (page.verdict, page.reason, page.refused) == (Verdict.ERROR, "not in the cache (--offline)", False)


def test_failures_are_not_cached(server: ServerURL, tmp_path: Path) -> None:
    urls = [server + "/gone", server + "/down", server + "/soft"]
    first = run(urls, settings(tmp_path))
    assert [p.verdict for p in first.values()] == [Verdict.DEAD, Verdict.ERROR, Verdict.DEAD]
    before = len(server.log)
    second = run(urls, settings(tmp_path))
    assert len(server.log) > before and not any(p.from_cache for p in second.values())
    assert [p.verdict for p in second.values()] == [Verdict.DEAD, Verdict.ERROR, Verdict.DEAD]


def test_entries_expire_after_the_ttl_but_serve_offline(server: ServerURL, tmp_path: Path) -> None:
    run([server + "/page"], settings(tmp_path, cache_ttl=0.3))
    assert run([server + "/page"], settings(tmp_path, cache_ttl=0.3))[server + "/page"].from_cache
    time.sleep(0.4)
    stale = run([server + "/page"], settings(tmp_path, offline=True))[server + "/page"]
    assert stale.verdict is Verdict.ALIVE and stale.from_cache  # offline, stale beats nothing
    again = run([server + "/page"], settings(tmp_path, cache_ttl=0.3))[server + "/page"]
    assert not again.from_cache and len(server.requests_to("/page")) == 2


def test_no_cache_means_no_cache_file(server: ServerURL, tmp_path: Path) -> None:
    run([server + "/page"], settings(tmp_path, use_cache=False))
    run([server + "/page"], settings(tmp_path, use_cache=False))
    assert len(server.requests_to("/page")) == 2 and not (tmp_path / CACHE_FILE).exists()


def test_default_cache_dir_is_the_platform_one(server: ServerURL, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    run([server + "/page"], settings(None))
    assert (tmp_path / "xdg" / "citelint" / CACHE_FILE).exists()


def test_an_unusable_cache_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(CacheError, match="cannot create the cache directory .*file/cache"):
        Fetcher(settings(blocker / "cache"))


def test_two_fetchers_writing_one_cache_at_once(server: ServerURL, tmp_path: Path) -> None:
    urls = [server + f"/shared{i}" for i in range(40)]
    results: list[dict[str, Page]] = []

    def work(order: list[str]) -> None:
        results.append(run(order, settings(tmp_path)))

    threads = [threading.Thread(target=work, args=(urls,)), threading.Thread(target=work, args=(urls[::-1],))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and all(p.verdict is Verdict.ALIVE for r in results for p in r.values())
    _assert_cache_is_whole(tmp_path, urls)


def test_two_processes_writing_one_cache_at_once(server: ServerURL, tmp_path: Path) -> None:
    urls = [server + f"/proc{i}" for i in range(30)]
    script = (
        "import sys\n"
        "from citelint.verify.fetch import Fetcher, FetchSettings\n"
        "s = FetchSettings(min_interval=0, cache_dir=sys.argv[1], allow_hosts=frozenset({'127.0.0.1'}))\n"
        "urls = sys.argv[2:]\n"
        "with Fetcher(s) as f:\n"
        "    pages = f.fetch_all(urls)\n"
        "assert all(p.verdict.value == 'alive' for p in pages.values()), pages\n"
    )
    root = Path(__file__).resolve().parent.parent
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path), *order], cwd=root)
             for order in (urls, urls[::-1])]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    _assert_cache_is_whole(tmp_path, urls)


def _assert_cache_is_whole(cache_dir: Path, urls: list[str]) -> None:
    with sqlite3.connect(cache_dir / CACHE_FILE) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    pages = run(urls, settings(cache_dir, offline=True))
    assert all(p.verdict is Verdict.ALIVE and p.from_cache for p in pages.values())


def _responses(server: ServerURL, paths: list[str]) -> list[requests.Response]:
    got = []
    for path in paths:
        response = requests.get(server + path, timeout=5)
        got.append(response)
    return got


def test_a_response_that_cannot_be_stored_neither_hangs_nor_loses_the_others(server: ServerURL, tmp_path: Path) -> None:
    good = _responses(server, [f"/stored{i}" for i in range(5)])
    broken = requests.Response()  # no request, no URL: requests-cache cannot serialise it
    broken.status_code, broken.url, broken.raw = 200, server + "/broken", io.BytesIO(b"")
    cache = PageCache(str(tmp_path), 3600, offline=False)
    cache.store([(r, r.content) for r in good[:2]] + [(broken, b"<p>x</p>")] + [(r, r.content) for r in good[2:]])
    closing = threading.Thread(target=cache.close)
    closing.start()
    closing.join(timeout=20)
    assert not closing.is_alive(), "the cache writer hangs after a response it cannot store"
    again = PageCache(str(tmp_path), 3600, offline=True)
    try:
        assert all(again.lookup(r.url) is not None for r in good)
        assert again.lookup(server + "/broken") is None
    finally:
        again.close()


def test_an_empty_cache_finds_what_this_run_stores(server: ServerURL, tmp_path: Path) -> None:
    # an empty cache is not asked at all, until this run stores a page in it
    cache = PageCache(str(tmp_path), 3600, offline=False)
    try:
        (response,) = _responses(server, ["/later"])
        assert cache.lookup(response.url) is None
        cache.store([(response, response.content)])
        deadline = time.monotonic() + 10
        while cache.lookup(response.url) is None and time.monotonic() < deadline:
            time.sleep(0.02)  # written by the cache's own thread
        hit = cache.lookup(response.url)
        assert hit is not None and hit.content == HTML.encode()
    finally:
        cache.close()


def test_a_cache_another_process_keeps_locked_does_not_hold_the_end_of_the_run(
        server: ServerURL, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # requests-cache retries BEGIN until it gets the database: without a bound, a cache held by
    # a hung process would keep close() (the end of every run) waiting for ever
    monkeypatch.setattr(PageCache, "CLOSE_WAIT", 1.0)
    fetcher = Fetcher(settings(tmp_path))
    holder = sqlite3.connect(tmp_path / CACHE_FILE, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's write transaction, never ended
    try:
        pages = fetcher.fetch_all([server + f"/held{i}" for i in range(3)])
        assert all(p.verdict is Verdict.ALIVE for p in pages.values())
        started = time.monotonic()
        fetcher.close()
        assert time.monotonic() - started < 10
        assert fetcher.cache_problem is not None and "could not be written within 1 s" in fetcher.cache_problem
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_cache_locked_when_the_run_starts_is_bypassed_not_waited_for(
        server: ServerURL, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # requests-cache opens a cache with a write it retries for as long as it fails
    run([server + "/before"], settings(tmp_path))  # the cache exists
    monkeypatch.setattr(PageCache, "OPEN_WAIT", 1.0)
    holder = sqlite3.connect(tmp_path / CACHE_FILE, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's write transaction, never ended
    try:
        started = time.monotonic()
        with Fetcher(settings(tmp_path)) as fetcher:
            pages = fetcher.fetch_all([server + "/before", server + "/while-locked"])
            assert not fetcher.caching
            assert fetcher.cache_problem is not None and "locked by another process" in fetcher.cache_problem
        assert time.monotonic() - started < 10
        assert all(p.verdict is Verdict.ALIVE and not p.from_cache for p in pages.values())
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    again = run([server + "/before"], settings(tmp_path, offline=True))  # the cache itself was left alone
    assert again[server + "/before"].from_cache


def test_a_cache_locked_during_the_run_never_holds_up_the_fetching(
        server: ServerURL, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # pages wait for the cache's writer in a bounded queue: with the writer stuck on a lock
    # taken after the cache was opened, the fetching threads must not wait on it for ever
    monkeypatch.setattr(PageCache, "CLOSE_WAIT", 1.0)
    monkeypatch.setattr("citelint.verify.cache.WRITE_BACKLOG", 4)
    fetcher = Fetcher(settings(tmp_path, per_host=8))
    holder = sqlite3.connect(tmp_path / CACHE_FILE, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        pages = fetcher.fetch_all([server + f"/during{i}" for i in range(40)])
        fetcher.close()
        assert time.monotonic() - started < 15
        assert len(pages) == 40 and all(p.verdict is Verdict.ALIVE for p in pages.values())
        assert fetcher.cache_problem is not None and "could not be written within 1 s" in fetcher.cache_problem
    finally:
        holder.execute("ROLLBACK")
        holder.close()
