"""Records of verification: what fetching a cited URL gave, and how each quote matched."""
from __future__ import annotations

import enum
from dataclasses import dataclass


class Verdict(str, enum.Enum):
    """What became of a cited URL (a JSON contract value)."""

    ALIVE = "alive"  # the page was fetched
    DEAD = "dead"  # 404, 410, DNS failure, soft 404 (redirect to the home page …)
    BLOCKED = "blocked"  # 401, 403, 451, 429 after retries, bot walls, timeouts: not dead
    ERROR = "error"  # anything else: refused by policy, bad URL, not in the cache offline, TLS …


@dataclass(frozen=True)
class Page:
    """The outcome of fetching one cited URL."""

    url: str  # as cited
    verdict: Verdict
    reason: str  # for people: "404 Not Found", "refused: 127.0.0.1 is a loopback address (--allow-host)"
    final_url: str | None = None  # after redirects
    http_status: int | None = None
    content_type: str | None = None  # media type only, lowercase ("text/html")
    charset: str | None = None  # from the Content-Type header, if any
    body: bytes | None = None  # capped; only for alive pages
    from_cache: bool = False
    refused: bool = False  # blocked by the address policy (never requested)
    archived: str | None = None  # a dead page's archived copy (--archive), which its quotes were checked against


class QuoteResult(str, enum.Enum):
    """How a quote matched the cited page (a JSON contract value)."""

    EXACT = "exact"  # verbatim (after entity decoding and whitespace)
    NORMALIZED = "normalized"  # equal once quotes, dashes, case and invisible characters are normalised
    ALTERED = "altered"  # a near match: the words differ
    MISSING = "missing"  # nothing close enough
    UNCHECKED = "unchecked"  # the page could not be read; QuoteMatch.reason says why


@dataclass(frozen=True)
class QuoteMatch:
    """One quote's result against one page's text."""

    text: str  # the quote as written in the article
    result: QuoteResult
    score: float  # 0-100: share of the quote's words found in order
    source_excerpt: str | None = None  # the page's words where it matched best
    diff: str | None = None  # word diff for altered quotes: "talks in [-London-] {+Paris+}"
    weak: bool = False  # too short to be strong evidence either way
    reason: str | None = None  # why the quote could not be checked (result UNCHECKED)


@dataclass(frozen=True)
class Verification:
    """What checking an attribution's primary URL found: the page's fate and, aligned with
    the attribution's ``quotes``, one result per quote (UNCHECKED, with the reason, when no
    cited page could be read)."""

    page: Page
    quotes: tuple[QuoteMatch, ...] = ()
    unreadable: str | None = None  # alive, but its text cannot be checked: why (a PDF, no article text …)


def unchecked(quote: str, reason: str) -> QuoteMatch:
    """The result of a quote that could not be checked, and why."""
    return QuoteMatch(quote, QuoteResult.UNCHECKED, 0.0, reason=reason)
