"""Records of fetched pages, beside the HTTP cache: what a warm run needs of a page fetched
within the cache's lifetime, so it sends no request, reads no response and parses nothing.

One table, ``page``: a URL's record, its verdict fields and its text (or why its text cannot
be read), written when the page is fetched alive and served instead of the fetch while it is
fresh (the cache's TTL; stale ones too offline). The HTTP cache does not keep the bodies of
recorded pages: the record is all a later run needs. Entries are zlib-compressed JSON, never
pickles. It is an optimisation only: any error reading or writing it (a damaged file, a full
disk, a lock) means "not cached" (and then the HTTP cache keeps the bodies, as before).
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from citelint.verify.model import Page, Verdict
from citelint.verify.pagetext import PageText

RECORDS_FILE = "page-records.sqlite"
VERSION = 1  # of the records and of how text is read: a change invalidates every entry
_BATCH = 500  # URLs looked up in one query (SQLite's default limit of parameters is 999)


@dataclass(frozen=True)
class PageRecord:
    """An alive page as a warm run needs it: the verdict's fields and the page's text, or why
    its text cannot be read (a PDF, a page past the size read …)."""

    reason: str  # the page's status line ("200 OK")
    final_url: str | None
    http_status: int | None
    content_type: str | None
    charset: str | None
    text: PageText | None
    unreadable: str | None  # set when text is None
    stored: float  # time.time() when it was fetched

    def page(self, key: str) -> Page:
        return Page(key, Verdict.ALIVE, self.reason, final_url=self.final_url, http_status=self.http_status,
                    content_type=self.content_type, charset=self.charset, from_cache=True)


class PageRecords:
    """Records of fetched pages by URL; safe to use from the fetch workers."""

    def __init__(self, directory: Path, read_only: bool = False) -> None:
        self._lock = threading.Lock()
        self._read_only = read_only
        self._db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(directory / RECORDS_FILE, timeout=30, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # a lost entry is only read again
            db.execute("CREATE TABLE IF NOT EXISTS page (key TEXT PRIMARY KEY, value BLOB)")
            self._db = db
        except (sqlite3.Error, OSError):
            self._db = None  # damaged or unwritable: every page is read as if uncached

    @property
    def usable(self) -> bool:
        """Whether records can be kept (the database opened)."""
        return self._db is not None and not self._read_only

    def fresh(self, keys: Iterable[str], ttl: float, stale_ok: bool = False) -> Iterator[tuple[str, PageRecord]]:
        """The fresh records of these URLs (fetched less than ``ttl`` seconds ago; any age
        with ``stale_ok``), a few hundred per query, each read when the caller takes it: a
        warm run asks for thousands, and holds one page's text at a time."""
        if self._db is None:
            return
        wanted = list(keys)
        oldest = time.time() - ttl
        for at in range(0, len(wanted), _BATCH):
            chunk = wanted[at : at + _BATCH]
            try:
                with self._lock:
                    rows = self._db.execute(
                        f"SELECT key, value FROM page WHERE key IN ({','.join('?' * len(chunk))})", chunk).fetchall()
            except sqlite3.Error:
                return
            for key, value in rows:
                record = _record(value)
                if record is not None and (stale_ok or record.stored >= oldest):
                    yield key, record

    def put_encoded(self, key: str, value: bytes) -> None:
        """Keep an alive page's record (``key``: the URL as fetched), made by ``encode`` (perhaps
        in a parsing process): what a warm run needs of it."""
        if self._db is None or self._read_only:
            return
        try:
            with self._lock:
                self._db.execute("INSERT OR REPLACE INTO page (key, value) VALUES (?, ?)", (key, value))
        except sqlite3.Error:
            pass  # not caching costs the next run time, never this run's result

    def close(self) -> None:
        if self._db is not None:
            with self._lock:
                self._db.close()
            self._db = None


def encode(page: Page, text: PageText | None, unreadable: str | None) -> bytes:
    """An alive page's record as stored: its outcome and text, compressed."""
    body = [VERSION, time.time(), page.reason, page.final_url, page.http_status, page.content_type, page.charset,
            [text.text, text.title, text.json_ld_body] if text is not None else None, unreadable]
    return zlib.compress(json.dumps(body).encode("utf-8"), 6)


def _record(value: bytes) -> PageRecord | None:
    """A stored record, or None when it is damaged or of another version of the extraction."""
    try:
        version, stored, reason, final_url, status, media, charset, text, unreadable = json.loads(zlib.decompress(value))
    except (zlib.error, ValueError, TypeError):
        return None
    strings = (reason, final_url, media, charset, unreadable)
    if version != VERSION or not isinstance(stored, (int, float)) or not isinstance(reason, str) \
            or not all(v is None or isinstance(v, str) for v in strings[1:]) \
            or not (status is None or isinstance(status, int)):
        return None
    page_text: PageText | None = None
    if text is not None:
        if not (isinstance(text, list) and len(text) == 3 and isinstance(text[0], str)
                and all(v is None or isinstance(v, str) for v in text[1:])):
            return None
        page_text = PageText(text[0], text[1], text[2])
    elif unreadable is None:
        return None  # a record says either what the text is or why there is none
    return PageRecord(reason, final_url, status, media, charset, page_text, unreadable, float(stored))
