"""The on-disk cache of fetched pages: requests-cache over SQLite, successes only.

requests-cache would write a response itself by reading ``response.content`` whole, which
ignores the fetcher's byte cap, decompression cap and deadline. So the session is opened
``read_only`` and never sends anything: the fetcher looks pages up (only-if-cached: a miss is
None, never a request) and hands :meth:`PageCache.store` what it has read within its caps:
the page of a URL found alive and each redirect hop on the way (so an offline run of a
redirected URL works). Failures are never stored, so they are checked again next run.

Writes happen in one background thread, in batches of one transaction each, so storing a
page never holds up the worker that fetched it. The database uses WAL and a busy timeout,
so two runs sharing a cache directory do not corrupt it or fail on a lock. Entries are
serialised as JSON, never pickled: a cache directory restored from elsewhere cannot run code.
"""
from __future__ import annotations

import os
import queue
import sqlite3
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import cast

import requests
from requests.structures import CaseInsensitiveDict
from requests_cache import CachedSession
from requests_cache.backends.sqlite import SQLiteCache
from requests_cache.models.response import CachedResponse

from citelint.verify.cachedir import CacheError, CacheUnusable, default_cache_dir, usable_directory

__all__ = ["CACHE_FILE", "CacheError", "CacheUnusable", "PageCache", "default_cache_dir"]

CACHE_FILE = "http-cache.sqlite"
WRITE_BACKLOG = 64  # pages waiting to be written, at most (each up to the 20 MB body cap, usually ~100 kB)


class PageCache:
    """Looks up and stores fetched responses in ``cache_dir`` (created if missing).

    Offline, a stale entry is better than none, so expired entries are served too (as
    requests-cache's ``only_if_cached`` with ``stale_if_error`` would).
    """

    # Seconds close() waits for the queued writes. requests-cache retries BEGIN until it gets
    # the database, so a cache that another process keeps locked (or that cannot be written at
    # all) would hold the run's end for ever: past this, the writes are given up, and said so.
    CLOSE_WAIT = 30.0
    BUSY_MS = 30_000  # how long one statement waits for a lock another run holds (milliseconds)
    OPEN_WAIT = 30.0  # opening gives up past this (each try itself may wait BUSY_MS, twice)

    def __init__(self, cache_dir: str | None, ttl: float, offline: bool) -> None:
        directory = usable_directory(cache_dir)
        self.path = directory / CACHE_FILE
        self._ttl = ttl
        self._offline = offline
        self.problem: str | None = None  # a damaged cache that was moved aside: warn once
        self.session = self._open_healthy()  # for lookups, from any thread
        # A cache with no responses (a first run; or one whose pages all live in the verifier's
        # page records, which store nothing here) is not asked: every lookup passes one lock
        # around one SQLite connection, ~0.1 ms of a thread's time, which 200 fetching threads
        # queue for. Responses stored by this run make it worth asking again.
        self._empty = self._no_responses()
        self._writes = self._open() if not offline else None  # its own connection: readers never wait on it
        # Bounded: when the writer falls behind, fetch workers wait instead of bodies piling up.
        self._pending: queue.Queue[list[tuple[requests.Response, bytes, datetime]] | None] = queue.Queue(WRITE_BACKLOG)
        self._given_up = False  # the writer could not write for CLOSE_WAIT: nothing more is queued
        self._writer: threading.Thread | None = None
        self._lock = threading.Lock()

    def _open_healthy(self) -> CachedSession:
        """The cache, or a new one when the file is damaged (garbage, truncated, a directory in
        its place): the damaged one is moved aside, never deleted, and the run goes on."""
        try:
            return self._probe(self._open())
        except CacheUnusable:
            raise  # locked or not writable: not damage, nothing to move aside
        except CacheError as exc:
            if not os.path.lexists(self.path) or "locked" in str(exc):
                raise
            damage = exc
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):  # SQLite's journal files belong to the damaged file
                if os.path.lexists(f"{self.path}{suffix}"):
                    os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
            session = self._probe(self._open())
        except (OSError, CacheError) as exc:
            raise CacheUnusable(f"the cache {self.path} is damaged ({damage.__cause__ or damage}) and could not be "
                                f"replaced ({exc}); running without a cache") from exc
        self.problem = f"the cache {self.path} was damaged ({damage.__cause__ or damage}); moved it aside to {aside.name} and started a new one"
        return session

    @staticmethod
    def _probe(session: CachedSession) -> CachedSession:
        """Read the schema once: a file that is not a database fails here, not mid-run."""
        backend = cast(SQLiteCache, session.cache)
        try:
            with backend.responses.connection() as conn:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            closing: requests.Session = session  # CachedSession.close also closes the database
            closing.close()
            raise CacheError(f"cannot open the cache: {exc}") from exc
        return session

    def _open(self) -> CachedSession:
        """A session on the cache; a run that opens it while another creates it waits its turn,
        up to OPEN_WAIT: past it (a run that keeps it locked, hung or stopped) this run goes on
        without a cache. (A lock taken between ``_writable``'s probe and this open still holds
        requests-cache's table creation for as long as it lasts: a window of milliseconds.)"""
        self._writable()
        deadline = time.monotonic() + self.OPEN_WAIT
        while True:
            try:
                return CachedSession(
                    str(self.path), backend="sqlite", serializer="json", wal=True, busy_timeout=self.BUSY_MS,
                    allowable_codes=(200,), allowable_methods=("GET",), expire_after=self._ttl,
                    read_only=True, stale_if_error=self._offline,
                )
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc):
                    raise CacheError(f"cannot open the cache {self.path}: {exc}") from exc
                if time.monotonic() >= deadline:
                    raise CacheUnusable(f"the cache {self.path} is locked by another process (waited {self.OPEN_WAIT:g} s); "
                                        "running without a cache") from exc
                time.sleep(0.1)
            except sqlite3.Error as exc:
                raise CacheError(f"cannot open the cache {self.path}: {exc}") from exc

    def _writable(self) -> None:
        """Raise CacheUnusable unless the database can be written within OPEN_WAIT.

        requests-cache opens a cache with a write (its tables) and retries that write for as
        long as it fails: on a cache another process keeps locked (hung, stopped) or one that
        cannot be written, opening would never return. So ask first, with a bounded wait.
        """
        if not self.path.is_file():
            return  # created by the open (a directory in its place is the damage handling's)
        try:
            probe = sqlite3.connect(self.path, timeout=self.OPEN_WAIT, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            finally:
                probe.close()
        except sqlite3.OperationalError as exc:
            why = "is locked by another process" if "locked" in str(exc) else f"cannot be written ({exc})"
            raise CacheUnusable(f"the cache {self.path} {why}; running without a cache "
                                f"(waited {self.OPEN_WAIT:g} s)") from exc
        except sqlite3.Error:
            pass  # not a database: the open finds it damaged and replaces it

    def _no_responses(self) -> bool:
        backend = cast(SQLiteCache, self.session.cache)
        try:
            with backend.responses.connection() as conn:
                return conn.execute(f"SELECT 1 FROM {backend.responses.table_name} LIMIT 1").fetchone() is None
        except sqlite3.Error:
            return False  # lookups will say what they can

    def lookup(self, url: str) -> requests.Response | None:
        """The cached response for a GET of ``url``, or None; never touches the network.

        This is requests-cache's ``only_if_cached`` without the session around it (request
        merging, Vary checks for headers that never change here, the redirect-alias table):
        a third of the cost, which matters when thousands of URLs are looked up at once.
        """
        if self._empty:
            return None
        backend = self.session.cache
        request = requests.PreparedRequest()  # the URL is already prepared: the key needs no more
        request.method, request.url, request.headers, request.body = "GET", url, CaseInsensitiveDict(), None
        try:
            response = backend.responses.get(backend.create_key(request))
        except (sqlite3.Error, ValueError, TypeError):
            return None  # an unreadable entry is a miss
        if not isinstance(response, CachedResponse) or (response.is_expired and not self._offline):
            return None
        return response

    def store(self, replies: Sequence[tuple[requests.Response, bytes]]) -> None:
        """Queue responses whose bodies the fetcher has read (decoded, within its caps) or dropped.

        Each response is closed first, so requests-cache never reads from its socket.
        """
        expires = datetime.now(UTC) + timedelta(seconds=self._ttl)
        batch = []
        for response, body in replies:
            response.close()
            response._content = body  # what requests-cache stores
            response._content_consumed = True
            response.headers.pop("Content-Encoding", None)  # the stored body is already decoded
            response.headers["Content-Length"] = str(len(body))
            batch.append((response, body, expires))
        if self._writes is None or self._given_up:
            return
        self._empty = False
        with self._lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write, name="citelint-cache-writer", daemon=True)
                self._writer.start()
        try:
            self._pending.put(batch, timeout=self.CLOSE_WAIT)
        except queue.Full:  # the writer has not finished a batch for CLOSE_WAIT: it cannot write
            self._give_up()

    def _give_up(self) -> None:
        self._given_up = True
        self.problem = (f"the cache {self.path} could not be written within {self.CLOSE_WAIT:g} s (another process "
                        "holds it, or it cannot be written): this run's pages were not stored in it")

    def close(self) -> None:
        """Finish the queued writes (within CLOSE_WAIT; ``problem`` says so past it) and close
        the database."""
        with self._lock:
            writer, self._writer = self._writer, None
        sessions = [self.session, self._writes]
        if writer is not None:
            deadline = time.monotonic() + self.CLOSE_WAIT
            try:
                self._pending.put(None, block=not self._given_up, timeout=self.CLOSE_WAIT)
            except queue.Full:
                pass  # a writer that cannot write: it would not read the end either
            if not self._given_up:
                writer.join(max(0.0, deadline - time.monotonic()))
            if writer.is_alive():  # a daemon thread: it ends with the process
                sessions.remove(self._writes)  # still in its hands
                self._give_up()
        for session in sessions:
            if session is not None:
                closing: requests.Session = session  # CachedSession.close also closes the database
                closing.close()

    def _write(self) -> None:
        assert self._writes is not None
        backend = cast(SQLiteCache, self._writes.cache)
        done = False
        while not done:
            batches = [self._pending.get()]
            while not self._pending.empty() and batches[-1] is not None:
                batches.append(self._pending.get_nowait())
            done = batches[-1] is None
            # The writer must keep draining its bounded queue, or workers would wait forever; a
            # cache that cannot be written costs the next run time, never this run's result.
            try:
                with backend.responses.bulk_commit():
                    for batch in batches:
                        for response, _, expires in batch or ():
                            try:
                                backend.save_response(response, expires=expires)
                            except sqlite3.Error:
                                raise
                            except Exception:  # noqa: BLE001 - a response that cannot be stored is skipped
                                continue
            except Exception:  # noqa: BLE001 - see above
                _roll_back(backend)


def _roll_back(backend: SQLiteCache) -> None:
    """End a transaction an error left open. requests-cache's bulk_commit rolls back only on
    OperationalError: after any other error every later BEGIN would fail, and the writer,
    which retries BEGIN until it succeeds, would spin for ever (and close() wait on it)."""
    try:
        with backend.responses.connection() as conn:
            if conn.in_transaction:
                conn.rollback()
    except sqlite3.Error:
        pass
