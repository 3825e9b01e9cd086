"""What a cited URL is fetched as, and its host: light enough for a run that fetches nothing."""
from __future__ import annotations

from urllib.parse import urlsplit


def fetch_key(url: str) -> str:
    """What a cited URL is fetched as: one fetch per key (the fragment is not sent)."""
    return url.strip().split("#", 1)[0]


def host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""
