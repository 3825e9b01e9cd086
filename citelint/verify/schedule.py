"""Handing URLs to the fetching threads, politely, while more of them are still coming.

A :class:`FetchRun` takes URLs as they become known — the verifier adds each document's as
soon as it is prepared, so the first pages are on their way while the rest of the batch is
still being extracted — and fetches each distinct one once. One scheduling thread keeps at
most ``per_host`` URLs of a host in the thread pool and takes hosts in turn, so the threads
waiting on one slow host never starve the others; it alone touches the scheduling state, and
everything reaches it through one queue (URLs added, URLs done, the end).
"""
from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from citelint.verify.model import Page
from citelint.verify.urls import fetch_key, host_of


@dataclass(frozen=True)
class _Done:
    key: str
    host: str
    outcome: Page | BaseException


_END = object()  # no more URLs (or: stop now, with FetchRun.abandon)


class FetchRun:
    """One run of fetching: ``add`` URLs (from any one thread), then ``finish`` for the pages.

    ``fetch(key)`` fetches one URL in a pool thread and ``digest(key, page)`` (there too) makes
    what is kept of it; ``report(done, total, host)`` is told of each URL done (``total``: the
    URLs added so far).
    """

    def __init__(self, fetch: Callable[[str], Page], digest: Callable[[str, Page], Page] | None,
                 concurrency: int, per_host: int, report: Callable[[int, int, str], None]) -> None:
        self._fetch = fetch
        self._digest = digest
        self._concurrency = concurrency
        self._per_host = per_host
        self._report = report
        self._inbox: queue.SimpleQueue[list[str] | _Done | object] = queue.SimpleQueue()
        self._keys: dict[str, str] = {}  # each URL as given -> its fetch key
        self._added: set[str] = set()  # fetch keys handed to the scheduler
        self._pages: dict[str, Page] = {}  # fetch key -> its page (the scheduler's, until it ends)
        self._error: BaseException | None = None
        self._stopping = False
        self._thread: threading.Thread | None = None

    def add(self, urls: Iterable[str]) -> None:
        """Fetch these URLs too (each distinct one once; fragments ignored)."""
        new = []
        for url in urls:
            if url in self._keys:
                continue
            key = self._keys[url] = fetch_key(url)
            if key not in self._added:
                self._added.add(key)
                new.append(key)
        if not new:
            return
        self._inbox.put(new)
        if self._thread is None:
            self._thread = threading.Thread(target=self._schedule, name="citelint-schedule", daemon=True)
            self._thread.start()

    def finish(self) -> dict[str, Page]:
        """No more URLs: wait for every one, and return their pages keyed by the URLs as given.
        A failure of the fetching itself (not a failed request: that is a page) is raised here."""
        self._end()
        if self._error is not None:
            raise self._error
        pages = self._pages
        # a page already named so is not copied (dataclass replace is slow)
        return {url: page if (page := pages[key]).url == url else replace(page, url=url) for url, key in self._keys.items()}

    def abandon(self) -> None:
        """Stop: no URL is started any more; returns once the requests in flight have ended
        (each within its deadline). For a run given up (an interrupted batch)."""
        self._stopping = True
        self._end()

    def _end(self) -> None:
        if self._thread is not None:
            self._inbox.put(_END)
            self._thread.join()
            self._thread = None

    def _schedule(self) -> None:
        """The scheduling thread: at most per_host URLs of each host in the pool, hosts in turn."""
        pending: dict[str, deque[str]] = {}  # host -> its URLs not yet started
        running: dict[str, int] = {}  # host -> its URLs in the pool
        ready: deque[str] = deque()  # hosts with URLs pending and room in the pool, each once
        inflight = 0
        ended = False
        total = 0

        def work(key: str, host: str) -> None:
            try:
                page = self._fetch(key)
                self._inbox.put(_Done(key, host, self._digest(key, page) if self._digest is not None else page))
            except BaseException as exc:  # noqa: BLE001 - raised again by finish(), in the calling thread
                self._inbox.put(_Done(key, host, exc))

        with ThreadPoolExecutor(self._concurrency, thread_name_prefix="citelint-fetch") as pool:
            while True:
                while ready and inflight < self._concurrency and not self._stopping:
                    host = ready.popleft()
                    pool.submit(work, pending[host].popleft(), host)
                    running[host] += 1
                    inflight += 1
                    if pending[host] and running[host] < self._per_host:
                        ready.append(host)
                if ended and (not inflight and (not ready or self._stopping)):
                    return
                message = self._inbox.get()
                if message is _END:
                    ended = True
                elif isinstance(message, list):
                    total += len(message)
                    for key in message:
                        host = host_of(key)
                        queued = pending.setdefault(host, deque())
                        running.setdefault(host, 0)
                        if not queued and running[host] < self._per_host:
                            ready.append(host)  # it had nothing pending, so it was not waiting in ready
                        queued.append(key)
                elif isinstance(message, _Done):
                    inflight -= 1
                    running[message.host] -= 1
                    if pending[message.host] and running[message.host] == self._per_host - 1:
                        ready.append(message.host)  # it was full, so it was not waiting in ready
                    if isinstance(message.outcome, BaseException):
                        if self._error is None:
                            self._error = message.outcome
                        self._stopping = True  # the rest is not started; the finish raises
                        continue
                    self._pages[message.key] = message.outcome
                    self._report(len(self._pages), total, message.host)
