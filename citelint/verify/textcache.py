"""The extracted text of cached pages, beside the page cache, so a warm run parses nothing.

Keyed by a hash of the page's body (with its media type and charset), so a page that changed
is read again; entries are zlib-compressed JSON, never pickles. It is an optimisation only:
any error reading or writing it (a damaged file, a full disk, a lock) means "not cached".
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import zlib
from pathlib import Path

from citelint.verify.pagetext import PageText

TEXT_FILE = "page-text.sqlite"
VERSION = 1  # of the extraction: a change in how text is read invalidates every entry


class TextCache:
    """Page texts by body hash; safe to use from the fetch workers."""

    def __init__(self, directory: Path, read_only: bool = False) -> None:
        self._lock = threading.Lock()
        self._read_only = read_only
        self._db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(directory / TEXT_FILE, timeout=30, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # a lost entry is only read again
            db.execute("CREATE TABLE IF NOT EXISTS text (key TEXT PRIMARY KEY, value BLOB)")
            self._db = db
        except (sqlite3.Error, OSError):
            self._db = None  # damaged or unwritable: every page is read as if uncached

    @staticmethod
    def key(body: bytes, content_type: str | None, charset: str | None) -> str:
        digest = hashlib.sha256(body).hexdigest()
        return f"{VERSION}:{content_type or ''}:{charset or ''}:{digest}"

    def get(self, key: str) -> PageText | None:
        if self._db is None:
            return None
        try:
            with self._lock:
                row = self._db.execute("SELECT value FROM text WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            text, title, json_ld = json.loads(zlib.decompress(row[0]))
        except (sqlite3.Error, zlib.error, ValueError, TypeError):
            return None
        if not isinstance(text, str) or not all(v is None or isinstance(v, str) for v in (title, json_ld)):
            return None
        return PageText(text, title, json_ld)

    def put(self, key: str, page: PageText) -> None:
        if self._db is None or self._read_only:
            return
        value = zlib.compress(json.dumps([page.text, page.title, page.json_ld_body]).encode("utf-8"), 6)
        try:
            with self._lock:
                self._db.execute("INSERT OR REPLACE INTO text (key, value) VALUES (?, ?)", (key, value))
        except sqlite3.Error:
            pass  # not caching costs the next run time, never this run's result

    def close(self) -> None:
        if self._db is not None:
            with self._lock:
                self._db.close()
            self._db = None
