"""Whose article this is: the publishing outlet, and the site the article's own links go to.

An outlet does not credit itself: "Mr Obama told the BBC" in the BBC's own story is no
uncredited pickup, and a link to the site's own earlier story backs no other outlet's report.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from citelint.model import Document
from citelint.registry import Entry, Registry, normalize_name

_SECOND_LEVEL = frozenset("co com org net gov ac edu ne or go gob nic".split())


@dataclass(frozen=True)
class Publisher:
    """The outlet whose article a document is (``entry``, may be unknown) and its own site."""

    entry: Entry | None
    origin: str  # where it was learnt: "--publisher", "config", "sidecar", "canonical URL", …
    site: str | None = None  # registrable domain of the page's own address ("bbc.co.uk")
    names: tuple[str, ...] = ()  # what the page calls its publisher (og:site_name, JSON-LD)

    def named(self, name: str) -> bool:
        """Whether a name is the publisher's own ("the Ledger" on the Harlow Bay Ledger's
        site): its words, less "the", all stand in one of the publisher's names."""
        words = {w.casefold() for w in normalize_name(name).split()}
        if not words:
            return False
        own = [*self.names, *(self.entry.names if self.entry else ())]
        return any(words <= {w.casefold() for w in normalize_name(n).split()} for n in own)

    def owns(self, url: str, registry: Registry) -> bool:
        """Whether a link goes to the publisher's own site (relative links always do)."""
        host = _host(url)
        if host is None:
            return not _has_scheme(url)  # "/military/…", "#top", "story.html"
        if self.site and (host == self.site or host.endswith("." + self.site)):
            return True
        return self.entry is not None and registry.lookup_url(url) is self.entry


def site_of(url: str | None) -> str | None:
    """The registrable domain of a URL's host, by the common rule (no public-suffix list)."""
    host = _host(url) if url else None
    if not host:
        return None
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def find_publisher(document: Document, registry: Registry, configured: str | None = None,
                   configured_origin: str = "--publisher") -> Publisher | None:
    """The publisher, most explicit source first: the command line or config, the sidecar's
    ``publisher = "ID"``, then the page's canonical address, ``og:site_name`` and JSON-LD."""
    page = document.page
    site = site_of(page.url) if page else None
    names = tuple(n for n in ((page.site_name,) + page.publishers if page else ()) if n)
    if configured:
        entry = registry.get(configured)
        if entry is not None:
            return Publisher(entry, configured_origin, site, names)
    sidecar = document.sidecar.publisher if document.sidecar else None
    if sidecar:
        entry = registry.get(sidecar)
        if entry is not None:
            return Publisher(entry, "sidecar", site, names)
    if page is None:
        return None
    if page.url:
        entry = registry.lookup_url(page.url)
        if entry is not None:
            return Publisher(entry, "canonical URL", site, names)
    for origin, candidates in (("og:site_name", (page.site_name,)), ("JSON-LD publisher", page.publishers)):
        for name in candidates:
            if name:
                match = registry.lookup_name(name)
                if len(match.strong) == 1:
                    return Publisher(match.strong[0], origin, site, names)
    for url in page.publisher_urls:
        entry = registry.lookup_url(url)
        if entry is not None:
            return Publisher(entry, "JSON-LD publisher", site, names)
    if site or names:
        return Publisher(None, "og:site_name" if names else "canonical URL", site, names)
    return None


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.lower().rstrip(".").removeprefix("www.") if host else None


def _has_scheme(url: str) -> bool:
    head, colon, _ = url.partition(":")
    return bool(colon) and head.isascii() and head[:1].isalpha() and all(c.isalnum() or c in "+-." for c in head)
