"""Where fetched pages are kept, and whether that directory can be used: light enough to
ask before the HTTP stack is imported (a warm run may never need it)."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs


class CacheError(Exception):
    """The cache directory cannot be created or opened (a usage error, not a crash)."""


class CacheUnusable(CacheError):
    """The cache file is damaged and could not be replaced: the run goes on without a cache."""


def default_cache_dir() -> Path:
    """The platform's user cache directory for citelint (~/.cache/citelint on Linux)."""
    return platformdirs.user_cache_path("citelint")


def usable_directory(cache_dir: str | None) -> Path:
    """The cache directory (created if missing); CacheError when it cannot be used."""
    directory = Path(cache_dir).expanduser() if cache_dir else default_cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CacheError(f"cannot create the cache directory {directory}: {exc.strerror or exc}") from exc
    if not os.access(directory, os.W_OK | os.X_OK):
        raise CacheError(f"cannot write to the cache directory {directory}: permission denied")
    return directory
