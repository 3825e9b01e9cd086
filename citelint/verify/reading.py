"""Reading fetched pages: each page's text, the quotes cited to it matched, and its record for
the next run. A run of many pages on a machine of several cores reads them in parsing processes
while the fetching threads fetch on (reading a page is libxml2 with Python callbacks, ~2 ms,
holding the interpreter the threads need); otherwise a page is read in the thread that fetched
it. Either way the body is dropped once read.
"""
from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from citelint.verify.model import Page, QuoteMatch, QuoteResult, Verdict, unchecked
from citelint.verify.pagetext import PageText, PageTextError, page_text
from citelint.verify.records import Row, encode

_READABLE = ("text/html", "application/xhtml+xml", "text/plain")
# What a parsing process imports to read pages (the last three only when it reads one).
_READERS_NEED = ["citelint.verify.reading", "citelint.verify.htmltext", "citelint.verify.quotes", "citelint.verify.readable"]
_FOUND = (QuoteResult.EXACT, QuoteResult.NORMALIZED)

# Pages read in separate processes when a run fetches at least this many on a machine of two
# cores or more. Two processes: on two cores, one left the fetching threads waiting for it at
# high concurrency (bench/verify --cli: 1,000 URLs at concurrency 200, 5.5 s with one, 3.8 s
# with two; at 16, 4.7 s and 4.4 s); the operating system shares the cores among the three.
PARSE_POOL_PAGES = 64
PARSE_WORKERS = 2
# Bytes of pages handed to the parsing processes and not yet read, at most: a fetching thread
# whose page would pass it waits, so bodies never pile up when reading is slower than fetching
# (a page bigger than this alone is handed over when nothing else waits). Room for the pages
# fetched while the process starts (~0.3 s: a few hundred ordinary pages at high concurrency).
PARSE_IN_FLIGHT_BYTES = 32 * 1024 * 1024

# kept(key, target, unreadable, found, record): what becomes of a page read (see Verifier._kept)
Kept = Callable[[str, str, str | None, dict[str, QuoteMatch], Row | None], None]


class Readers:
    """Where a verifier's pages are read: a pool of parsing processes, made for the first batch
    of many pages and kept for the run, or none."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds  # reading one page's text, at most
        self._pool: Executor | None = None
        self._no_pool = False

    def batch(self, pages: int, kept: Kept) -> Reads | None:
        """The reads of a batch of ``pages`` pages in the parsing processes, or None: read them
        in the fetching threads."""
        pool = self.pool(pages)
        return Reads(pool, self.seconds, kept) if pool is not None else None

    def pool(self, pages: int) -> Executor | None:
        """The parsing processes, for a batch of ``pages`` pages: made for the first batch of
        PARSE_POOL_PAGES or more on a machine of two cores or more, where processes can be had."""
        if self._pool is not None or self._no_pool or pages < PARSE_POOL_PAGES or (os.cpu_count() or 1) < 2:
            return self._pool
        import multiprocessing

        if multiprocessing.current_process().daemon:
            self._no_pool = True  # a daemonic process (a Dask worker's) may not start processes
            return None
        # forkserver where there is one: the fetching threads are running, and forking a
        # process with threads is not safe; spawn elsewhere.
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            # The server process imports what reading needs once, and each parsing process is a
            # fork of it: ready without importing lxml, rapidfuzz and the matcher again, while
            # the fetching threads start.
            context.set_forkserver_preload(_READERS_NEED)
        try:
            self._pool = ProcessPoolExecutor(max_workers=PARSE_WORKERS, mp_context=context)
        except (OSError, ValueError, ImportError, NotImplementedError):
            # no processes to be had here (no sem_open, a sandbox): pages are read in the threads
            self._no_pool = True
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


class Reads:
    """Pages being read in the parsing processes while the fetching threads fetch on (up to
    PARSE_IN_FLIGHT_BYTES of them; a thread waits for room past that). Each is
    kept (``kept(key, target, unreadable, found, record)``) as soon as it is read, by the
    thread that sees the result; a page the pool cannot take, or loses, is read where that is
    found out: a parsing process that died costs only speed."""

    def __init__(self, pool: Executor, seconds: float,
                 kept: Kept) -> None:
        self._pool = pool
        self._seconds = seconds
        self._kept = kept
        self._idle = threading.Condition()
        self._pending = 0
        self._bytes = 0
        self._broken = False
        self._errors: list[BaseException] = []

    def submit(self, key: str, target: str, page: Page, quotes: set[str], keep: bool) -> bool:
        """Hand a page to the pool (False: read it yourself, the pool is gone)."""
        if self._broken:
            return False
        size = len(page.body or b"")
        with self._idle:
            self._idle.wait_for(lambda: self._pending == 0 or self._bytes + size <= PARSE_IN_FLIGHT_BYTES)
            self._pending += 1
            self._bytes += size
        try:
            future = self._pool.submit(read_page, page, self._seconds, quotes, keep)
        except (BrokenProcessPool, RuntimeError, OSError):
            self._broken = True
            self._release(size)
            return False
        future.add_done_callback(lambda done: self._done(done, key, target, page, quotes, keep))
        return True

    def _release(self, size: int) -> None:
        with self._idle:
            self._pending -= 1
            self._bytes -= size
            if self._pending:
                self._idle.notify()  # room for one more (waking every waiting thread costs more than it frees)
            else:
                self._idle.notify_all()  # all read: wait() and any thread with a page too big for the room

    def _done(self, future: Future[tuple[str | None, dict[str, QuoteMatch], Row | None]], key: str, target: str,
              page: Page, quotes: set[str], keep: bool) -> None:
        try:
            if future.cancelled():
                return  # the run is being shut down: nothing more is read
            try:
                outcome = future.result()
            except (BrokenProcessPool, OSError, pickle.PicklingError):
                self._broken = True
                outcome = read_page(page, self._seconds, quotes, keep)
            self._kept(key, target, *outcome)
        except BaseException as exc:  # noqa: BLE001 - raised again by wait(), in the run's thread
            self._errors.append(exc)
        finally:
            self._release(len(page.body or b""))

    def wait(self) -> None:
        """Until every page handed over is read and kept."""
        with self._idle:
            self._idle.wait_for(lambda: self._pending == 0)
        if self._errors:
            raise self._errors[0]


def read_page(page: Page, seconds: float, quotes: set[str], keep: bool) -> tuple[str | None, dict[str, QuoteMatch], Row | None]:
    """A fetched page read (in a parsing process or a fetching thread): why its text cannot be
    checked (None: it can), each quote's result, and, with ``keep``, its record for the next run
    (alive pages only)."""
    text, reason = _text_of(page, seconds)
    unreadable, found = match(text, reason, quotes)
    return unreadable, found, encode(page, text, unreadable, found) if keep and page.verdict is Verdict.ALIVE else None


def _text_of(page: Page, seconds: float) -> tuple[PageText | None, str | None]:
    """An alive page's text, or why it cannot be checked; (None, None) for a page not alive."""
    if page.verdict is not Verdict.ALIVE:
        return None, None
    media = page.content_type or "text/html"
    if media not in _READABLE or page.body is None:
        return None, f"{media}: quotes are only checked in HTML and plain-text pages"
    try:
        return page_text(page.body, page.content_type, page.charset, seconds), None
    except PageTextError as exc:
        return None, str(exc)
    except Exception as exc:  # noqa: BLE001 - one page must not end the run; the reason says what happened
        return None, f"its text could not be read ({type(exc).__name__}: {exc}; please report this)"


def match(text: PageText | None, reason: str | None, quotes: set[str]) -> tuple[str | None, dict[str, QuoteMatch]]:
    """Why the page's text cannot be checked (None: it can), and each quote's result."""
    if text is None:
        return reason, {}
    # Imported here: matching (rapidfuzz, difflib) is not needed by a run whose results are all recorded
    from citelint.verify.quotes import match_quote
    from citelint.verify.readable import no_article_text

    empty = no_article_text(text)
    found = {q: match_quote(q, text) for q in sorted(quotes)}
    if empty is not None:  # a word found is found; a word not found proves nothing on an empty page
        found = {q: r if r.result in _FOUND else unchecked(q, empty) for q, r in found.items()}
    return empty, found
