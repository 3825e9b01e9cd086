"""Pages read in a parsing process: a run of many pages reads, matches and records each page in
a separate process (the fetching threads keep the interpreter), with the results of reading
them in the threads; a parsing process that dies costs only speed. A real server on loopback
with 120 generated pages (exact, altered and fabricated quotes, a redirect, a PDF, a dead link)."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from httpserver import ServerURL
from test_verify_records import PAGES, prepared, server, settings, summary, article  # noqa: F401 - fixture

from citelint.verify import reading
from citelint.verify.records import RECORDS_FILE
from citelint.verify.verifier import Verifier

pytestmark = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the pool is used on machines of two cores or more")


def run(tmp_path: Path, base: str, cache: str) -> tuple[dict, Verifier]:  # type: ignore[type-arg]
    attributions, registry = prepared(tmp_path, article(base))
    verifier = Verifier(settings(tmp_path, cache_dir=str(tmp_path / cache)), registry)  # type: ignore[arg-type]
    try:
        return verifier.verify([attributions])[0], verifier
    finally:
        verifier.close()


def test_pages_read_in_a_process_give_the_results_of_the_threads(server: ServerURL, tmp_path: Path,  # noqa: F811
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    pooled, verifier = run(tmp_path, server, "pooled")
    assert verifier._readers._pool is not None  # 123 pages: past PARSE_POOL_PAGES
    monkeypatch.setattr(reading, "PARSE_POOL_PAGES", 10**9)
    threaded, verifier = run(tmp_path, server, "threaded")
    assert verifier._readers._pool is None
    assert summary(pooled) == summary(threaded)
    results = [q.result.value for v in pooled.values() for q in v.quotes]
    assert results.count("exact") >= PAGES // 3 and "missing" in results
    # the records written by the parsing process serve a warm run like the threads' do
    assert (tmp_path / "pooled" / RECORDS_FILE).exists()
    requests = len(server.log)
    warm, _ = run(tmp_path, server, "pooled")
    assert summary(warm) == summary(pooled)
    assert [entry.path for entry in server.log[requests:]] == ["/gone"]


def test_a_parsing_process_that_dies_costs_only_speed(server: ServerURL, tmp_path: Path,  # noqa: F811
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    expected, _ = run(tmp_path, server, "reference")
    real = reading.Readers.pool

    def killed(self: reading.Readers, pages: int) -> object:
        pool = real(self, pages)
        if pool is not None and not getattr(self, "_killed", False):
            self._killed = True  # type: ignore[attr-defined]
            pool.submit(os.getpid).result()  # start the process, then end it as the OOM killer would
            for pid in list(pool._processes):  # type: ignore[attr-defined]
                os.kill(pid, signal.SIGKILL)
        return pool

    read_here: list[str] = []
    text_of = reading._text_of

    def counted(page: object, seconds: float) -> object:  # only this process's reads are counted
        read_here.append(page.url)  # type: ignore[attr-defined]
        return text_of(page, seconds)  # type: ignore[arg-type]

    monkeypatch.setattr(reading.Readers, "pool", killed)
    monkeypatch.setattr(reading, "_text_of", counted)
    found, verifier = run(tmp_path, server, "killed")
    assert getattr(verifier._readers, "_killed", False)
    assert summary(found) == summary(expected)
    assert len(read_here) >= PAGES  # every page read in the fetching threads instead
