"""Archived copies of dead pages: a Wayback-style availability lookup (``--archive``).

The endpoint answers ``GET {archive_url}?url=URL&timestamp=YYYYMMDD`` (the date of the article
that cites the page, when the article gives one) with the Internet Archive's JSON::

    {"archived_snapshots": {"closest": {"available": true, "status": "200",
                                        "url": "http://web.archive.org/web/2019…/https://…"}}}

The endpoint and the snapshot are fetched by the same fetcher as every cited page, so the
same address policy, caps and deadlines apply: an article cannot aim the lookup anywhere a
cited link could not go.
"""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlsplit

from citelint.dates import timestamp
from citelint.verify.model import Page, Verdict

DEFAULT_ARCHIVE_URL = "https://archive.org/wayback/available"
MAX_ANSWER = 100_000  # bytes of JSON read from the endpoint


def lookup_url(endpoint: str, url: str, published: str | None = None) -> str:
    """The availability query for ``url``; with the citing article's date ("YYYY-MM-DD"),
    for the snapshot nearest it (the API's ``timestamp``)."""
    near = f"&timestamp={timestamp(published)}" if published else ""
    return f"{endpoint}{'&' if '?' in endpoint else '?'}url={quote(url, safe='')}{near}"


def snapshot(answer: Page) -> str | None:
    """The snapshot URL in the endpoint's answer, or None (no copy, an error, not that JSON)."""
    if answer.verdict is not Verdict.ALIVE or answer.body is None or len(answer.body) > MAX_ANSWER:
        return None
    try:
        data: Any = json.loads(answer.body.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        return None
    closest = data.get("archived_snapshots", {}).get("closest") if isinstance(data, dict) else None
    if not isinstance(closest, dict) or closest.get("available") is not True:
        return None
    found = closest.get("url")
    status = str(closest.get("status", "200"))
    if not isinstance(found, str) or not status.startswith("2") or len(found) > 2000:
        return None
    try:
        scheme = urlsplit(found).scheme.lower()
    except ValueError:
        return None
    return found if scheme in ("http", "https") else None
