"""Records of fetched pages, beside the HTTP cache: what a warm run needs of a page fetched
within the cache's lifetime, so it sends no request, reads no response, parses nothing and,
for a quote matched before, matches nothing.

One table, ``record``: per URL, its verdict fields (``meta``, small JSON), its text (``text``,
zlib-compressed JSON, or NULL with the reason it cannot be read) and the results of the quotes
matched against that text so far (``results``, JSON by quote). A record is written when the
page is fetched alive, with the results of the quotes of that run, and served instead of the
fetch while it is fresh (the cache's TTL; stale ones too offline). A warm run reads the meta and
the results; the text only when a quote has no result yet (then that result is added). Results
are those of this version of citelint: another version's are dropped, never reused. The HTTP
cache does not keep the bodies of recorded pages: the record is all a later run needs. Never
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

import orjson

from citelint import __version__
from citelint.verify.model import Page, QuoteMatch, QuoteResult, Verdict
from citelint.verify.pagetext import PageText

RECORDS_FILE = "page-records.sqlite"
# Of the records, of how text is read and of how its quotes are matched: a change invalidates
# every entry. (A release also drops every stored quote result: see _results.)
VERSION = 2
_BATCH = 500  # URLs looked up in one query (SQLite's default limit of parameters is 999)

Row = tuple[str, bytes | None, str]  # meta, text, results: a record as stored (see encode)


@dataclass(frozen=True)
class PageRecord:
    """An alive page as a warm run needs it: the verdict's fields, why its quotes cannot be
    checked (None: they can), and the results of the quotes matched against it before."""

    reason: str  # the page's status line ("200 OK")
    final_url: str | None
    http_status: int | None
    content_type: str | None
    charset: str | None
    readable: bool  # a text was read (it is fetched with PageRecords.text when needed)
    unreadable: str | None  # why its quotes cannot be checked: no text (a PDF …) or no article text
    stored: float  # time.time() when it was fetched
    results: dict[str, QuoteMatch]
    meta: str  # as stored: an update touches this record only, not one written since

    def page(self, key: str) -> Page:
        return Page(key, Verdict.ALIVE, self.reason, final_url=self.final_url, http_status=self.http_status,
                    content_type=self.content_type, charset=self.charset, from_cache=True)


class PageRecords:
    """Records of fetched pages by URL; safe to use from the fetch workers."""

    BUSY_SECONDS = 30.0  # how long a statement waits for a lock another run holds

    def __init__(self, directory: Path, read_only: bool = False) -> None:
        self._lock = threading.Lock()
        self._read_only = read_only
        self._path = directory / RECORDS_FILE
        self.problem: str | None = None  # writing given up (for one warning)
        self._db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(directory / RECORDS_FILE, timeout=self.BUSY_SECONDS, check_same_thread=False,
                                 isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # a lost entry is only read again
            if not read_only:
                db.execute("DROP TABLE IF EXISTS page")  # version 1's records: never read again
            db.execute("CREATE TABLE IF NOT EXISTS record (key TEXT PRIMARY KEY, meta TEXT, text BLOB, results TEXT)")
            self._db = db
        except (sqlite3.Error, OSError):
            self._db = None  # damaged or unwritable: every page is read as if uncached

    @property
    def usable(self) -> bool:
        """Whether records can be kept (the database opened)."""
        return self._db is not None and not self._read_only

    def fresh(self, keys: Iterable[str], ttl: float, stale_ok: bool = False) -> Iterator[tuple[str, PageRecord]]:
        """The fresh records of these URLs (fetched less than ``ttl`` seconds ago; any age
        with ``stale_ok``), a few hundred per query, without their texts: a warm run asks for
        thousands."""
        if self._db is None:
            return
        wanted = list(keys)
        oldest = time.time() - ttl
        for at in range(0, len(wanted), _BATCH):
            chunk = wanted[at : at + _BATCH]
            try:
                with self._lock:
                    rows = self._db.execute(
                        f"SELECT key, meta, results FROM record WHERE key IN ({','.join('?' * len(chunk))})",
                        chunk).fetchall()
            except sqlite3.Error:
                return
            for key, meta, results in rows:
                record = _record(meta, results)
                if record is not None and (stale_ok or record.stored >= oldest):
                    yield key, record

    def text(self, key: str, record: PageRecord) -> PageText | None:
        """The text of a record given by ``fresh`` (None if it is gone or damaged since)."""
        if self._db is None or not record.readable:
            return None
        try:
            with self._lock:
                row = self._db.execute("SELECT meta, text FROM record WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None or row[0] != record.meta or row[1] is None:
            return None  # replaced by another run meanwhile
        return _text(row[1])

    def put_encoded(self, key: str, row: Row) -> None:
        """Keep an alive page's record (``key``: the URL as fetched), made by ``encode`` (perhaps
        in a parsing process): what a warm run needs of it."""
        if self._db is None or self._read_only:
            return
        try:
            with self._lock:
                self._db.execute("INSERT OR REPLACE INTO record (key, meta, text, results) VALUES (?, ?, ?, ?)",
                                 (key, *row))
        except sqlite3.Error as exc:
            self._give_up_writing(exc)

    def add_results(self, key: str, record: PageRecord, found: dict[str, QuoteMatch]) -> None:
        """Keep the results of quotes newly matched against a record's text."""
        if self._db is None or self._read_only or not found:
            return
        value = _encode_results({**record.results, **found})
        try:
            with self._lock:
                self._db.execute("UPDATE record SET results = ? WHERE key = ? AND meta = ?",
                                 (value, key, record.meta))
        except sqlite3.Error as exc:
            self._give_up_writing(exc)

    def _give_up_writing(self, error: sqlite3.Error) -> None:
        """A write that failed (the records kept locked by another run past BUSY_SECONDS, a
        full disk …): this run writes no more records (no longer ``usable``, so its later
        batches keep their pages in the HTTP cache, as without records). Not keeping them costs
        the next run time, never this run's result; trying each page again could cost
        BUSY_SECONDS a page."""
        self._read_only = True
        self.problem = f"the page records {self._path} could not be written ({error}): this run keeps no more of them"

    def close(self) -> None:
        if self._db is not None:
            with self._lock:
                self._db.close()
            self._db = None


def encode(page: Page, text: PageText | None, unreadable: str | None, found: dict[str, QuoteMatch]) -> Row:
    """An alive page's record as stored: its outcome, its text (compressed), why its quotes
    cannot be checked (``unreadable``: no text, or no article text) and the quotes' results."""
    meta = json.dumps([VERSION, time.time(), page.reason, page.final_url, page.http_status, page.content_type,
                       page.charset, text is not None, unreadable, __version__])
    body = None
    if text is not None:
        # level 1: on the real pages of bench/realpages 0.18 ms a page against 0.43 ms at level 6,
        # for 10% more bytes (7.2 kB against 6.5 kB); a cold run compresses every page it reads
        body = zlib.compress(_json_bytes([text.text, text.title, text.json_ld_body]), 1)
    return meta, body, _encode_results(found)


def _json_bytes(value: list[str | None]) -> bytes:
    """JSON as UTF-8; orjson is ~4x faster on a page's text, and refuses a lone surrogate (a
    JSON-LD body may hold an escaped one), which json writes escaped."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return json.dumps(value).encode("utf-8")


def _encode_results(found: dict[str, QuoteMatch]) -> str:
    return json.dumps({q: [m.result.value, m.score, m.source_excerpt, m.diff, m.weak, m.reason]
                       for q, m in sorted(found.items())})


def _record(meta: str, results: str | None) -> PageRecord | None:
    """A stored record, or None when it is damaged or of another version of the extraction."""
    try:
        version, stored, reason, final_url, status, media, charset, readable, unreadable, release = json.loads(meta)
    except (ValueError, TypeError):
        return None
    strings = (reason, final_url, media, charset, unreadable)
    if version != VERSION or not isinstance(stored, (int, float)) or not isinstance(reason, str) \
            or not all(v is None or isinstance(v, str) for v in strings[1:]) \
            or not (status is None or isinstance(status, int)) or not isinstance(readable, bool) \
            or not readable and unreadable is None:
        return None  # a record says either that a text was read or why there is none
    found = _results(results) if release == __version__ else {}
    return PageRecord(reason, final_url, status, media, charset, readable, unreadable, float(stored), found, meta)


def _results(value: str | None) -> dict[str, QuoteMatch]:
    """Stored quote results; damaged ones are dropped, all of them (their quotes are matched again)."""
    if not value:
        return {}
    try:
        stored = json.loads(value)
        return {quote: QuoteMatch(quote, QuoteResult(result), float(score), excerpt, diff, bool(weak), reason)
                for quote, (result, score, excerpt, diff, weak, reason) in stored.items()
                if all(v is None or isinstance(v, str) for v in (excerpt, diff, reason))}
    except (ValueError, TypeError, AttributeError):
        return {}


def _text(value: bytes) -> PageText | None:
    try:
        text = json.loads(zlib.decompress(value))
    except (zlib.error, ValueError, TypeError):
        return None
    if not (isinstance(text, list) and len(text) == 3 and isinstance(text[0], str)
            and all(v is None or isinstance(v, str) for v in text[1:])):
        return None
    return PageText(text[0], text[1], text[2])
