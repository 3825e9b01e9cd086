"""The on-disk cache of fetched pages: requests-cache over SQLite, successes only.

requests-cache would write a response itself by reading ``response.content`` whole, which
ignores the fetcher's byte cap, decompression cap and deadline. So the session is opened
``read_only`` and the fetcher stores what it has read within its caps with :func:`store`:
a 200 page and, when a redirected URL ends on one, each redirect hop (so an offline run of
a redirected URL works). Failures are never stored, so they are checked again next run.

The database uses WAL and a busy timeout, so two runs sharing a cache directory do not
corrupt it or fail on a lock. Entries are serialised as JSON, never pickled: a cache
directory restored from somewhere else cannot run code.
"""
from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import platformdirs
import requests
from requests_cache import CachedSession

CACHE_FILE = "http-cache.sqlite"


class CacheError(Exception):
    """The cache directory cannot be created or opened (a usage error, not a crash)."""


def default_cache_dir() -> Path:
    """The platform's user cache directory for citelint (~/.cache/citelint on Linux)."""
    return platformdirs.user_cache_path("citelint")


def open_session(cache_dir: str | None, ttl: float, offline: bool) -> CachedSession:
    """A session that reads the cache in ``cache_dir`` (created if missing).

    Offline, a stale entry is better than none, so expired entries are served too.
    """
    directory = Path(cache_dir).expanduser() if cache_dir else default_cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CacheError(f"cannot create the cache directory {directory}: {exc.strerror or exc}") from exc
    if not os.access(directory, os.W_OK | os.X_OK):
        raise CacheError(f"cannot write to the cache directory {directory}: permission denied")
    path = directory / CACHE_FILE
    try:
        return CachedSession(
            str(path),
            backend="sqlite",
            serializer="json",
            wal=True,
            busy_timeout=30_000,
            allowable_codes=(200,),
            allowable_methods=("GET",),
            expire_after=ttl,
            read_only=True,
            stale_if_error=offline,
        )
    except sqlite3.Error as exc:
        raise CacheError(f"cannot open the cache {path}: {exc}") from exc


def lookup(session: CachedSession, url: str) -> requests.Response | None:
    """The fresh cached response for a GET of ``url`` (stale ones too offline), or None."""
    response = session.get(url, only_if_cached=True, allow_redirects=False)
    return response if getattr(response, "from_cache", False) and response.status_code != 504 else None


def store(session: CachedSession, response: requests.Response, body: bytes, ttl: float) -> None:
    """Cache a response whose body the fetcher has read (decoded, within its caps) or dropped.

    The response must be closed or read to its end: requests-cache would otherwise read the
    rest of the stream.
    """
    response.close()
    response._content = body  # what requests-cache stores; it never touches the socket again
    response._content_consumed = True
    response.headers.pop("Content-Encoding", None)  # the stored body is already decoded
    response.headers["Content-Length"] = str(len(body))
    expires = datetime.now(timezone.utc) + timedelta(seconds=ttl)
    session.cache.save_response(response, expires=expires)
