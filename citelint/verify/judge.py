"""The verdict on a cited URL from its last response: alive, dead (404, soft 404), blocked, error."""
from __future__ import annotations

import email.utils
import http
import re
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests

from citelint.verify.decode import content_type
from citelint.verify.failures import Reply
from citelint.verify.model import Page, Verdict

KEEP_BODY = frozenset({"text/html", "application/xhtml+xml", "text/plain", "application/json", "application/ld+json"})
SNIFF = 65_536  # what is read of a redirect or an error page (enough to spot a bot wall)
_NOT_FOUND = re.compile(r"/404(?![0-9])|not[-_]?found")
_BOT_WALL = (b"just a moment...", b"cf-chl", b"challenge-platform", b"captcha", b"ddos-guard")
BOT_WALL_REASON = "blocked by a bot wall (a challenge page); check it in a browser"


def judge(key: str, final_url: str, reply: Reply, hops: list[Reply]) -> Page:
    """The verdict on a URL from its last response (from the cache if no hop needed the network)."""
    response = reply.response
    status = response.status_code
    media, charset = content_type(response)
    page = Page(key, Verdict.ERROR, status_line(response), final_url=final_url, http_status=status,
                content_type=media, charset=charset, from_cache=all(r.from_cache for r in [*hops, reply]))
    if 200 <= status < 300:
        soft = _soft_404(key, final_url) if hops else None
        if soft is not None:
            return replace(page, verdict=Verdict.DEAD, reason=soft)
        keep = media is None or media in KEEP_BODY
        return replace(page, verdict=Verdict.ALIVE, body=reply.body if keep else None)
    if status in (404, 410):
        return replace(page, verdict=Verdict.DEAD)
    if bot_wall(response, reply.body or b""):
        return replace(page, verdict=Verdict.BLOCKED, reason=BOT_WALL_REASON)
    hints = {401: ": the page needs a login", 403: ": the site refused the check (it may block automated requests)"}
    if status in (401, 403, 429, 451, 999):
        return replace(page, verdict=Verdict.BLOCKED, reason=status_line(response) + hints.get(status, ""))
    if 300 <= status < 400:
        return replace(page, reason=status_line(response) + " without a Location to follow")
    return page


def _soft_404(cited: str, final: str) -> str | None:
    """A redirect to the home page or to a not-found page means the cited page is gone."""
    was, now = urlsplit(cited), urlsplit(final)
    if now.path in ("", "/") and not now.query and was.path not in ("", "/"):
        return "soft 404: redirected to the site's home page"
    if _NOT_FOUND.search(f"{now.path}?{now.query}".lower()) and not _NOT_FOUND.search(was.path.lower()):
        return f"soft 404: redirected to a not-found page ({final})"
    return None


def bot_wall(response: requests.Response, body: bytes) -> bool:
    if response.status_code not in (403, 429, 503):
        return False
    if response.headers.get("cf-mitigated", "").strip().lower() == "challenge":
        return True
    head = body[:SNIFF].lower()
    return any(marker in head for marker in _BOT_WALL)


def status_line(response: requests.Response) -> str:
    try:
        phrase = http.HTTPStatus(response.status_code).phrase
    except ValueError:
        phrase = response.reason or ""
    return f"{response.status_code} {phrase}".strip()


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
