"""What an HTML page says about itself: its address and its publisher (for "whose article is this")."""
from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from citelint.dates import published
from citelint.load.html_events import END, START, STARTEND, Event
from citelint.load.prose import decode_entity, ENTITY
from citelint.model import PageMeta

_MAX_JSON_LD = 2_000_000  # characters of one JSON-LD block worth reading
_MAX_DEPTH = 12  # how deep a JSON-LD graph is searched for its publisher
# Where pages give their publication date, most specific first (meta property or name).
_DATE_ORDER = ("article:published_time", "datePublished", "itemprop", "og:published_time", "pubdate",
               "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created")
_DATE_META = frozenset(k for k in _DATE_ORDER if k not in ("datePublished", "itemprop"))


def read(text: str, events: list[Event]) -> PageMeta:
    """The page's canonical address, its ``<base>``, and the publisher names it declares.

    Sources, most trusted first: ``<link rel=canonical>``, ``og:url``; ``og:site_name``;
    JSON-LD ``publisher`` (name and url) of the page's article.
    """
    canonical = og_url = base = site_name = None
    publishers: list[str] = []
    publisher_urls: list[str] = []
    dates: dict[str, str] = {}  # where a publication date was read -> "YYYY-MM-DD" (the first of each)
    ld_start: int | None = None
    for index, (offset, kind, tag, attrs) in enumerate(events):
        if kind == END and tag == "script" and ld_start is not None:
            _json_ld(text[ld_start:offset], publishers, publisher_urls, dates)
            ld_start = None
            continue
        if kind not in (START, STARTEND) or tag not in ("meta", "link", "base", "script"):
            continue
        values = {name: _unescape(value or "") for name, value in attrs or ()}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or "").strip().lower()
            content = values.get("content", "").strip()
            if key == "og:site_name" and content and site_name is None:
                site_name = content
            elif key == "og:url" and content and og_url is None:
                og_url = content
            elif key in _DATE_META or values.get("itemprop", "").strip() == "datePublished":
                date = published(content)
                if date is not None:
                    dates.setdefault(key if key in _DATE_META else "itemprop", date)
        elif tag == "link":
            rels = values.get("rel", "").lower().split()
            if "canonical" in rels and values.get("href", "").strip() and canonical is None:
                canonical = values["href"].strip()
        elif tag == "base":
            if values.get("href", "").strip() and base is None:
                base = values["href"].strip()
        elif kind == START and values.get("type", "").strip().lower() == "application/ld+json":
            ld_start = events[index + 1][0] if index + 1 < len(events) else len(text)
    url = next((u for u in (canonical, og_url) if _absolute(u)), None)
    if base is not None:
        base = urljoin(url or "", base) if not _absolute(base) else base
    return PageMeta(
        url=url,
        base=base if base and _absolute(base) else url,
        site_name=site_name,
        publishers=tuple(dict.fromkeys(publishers)),
        publisher_urls=tuple(u for u in dict.fromkeys(publisher_urls) if _absolute(u)),
        published=next((dates[k] for k in _DATE_ORDER if k in dates), None),
    )


def _absolute(url: str | None) -> bool:
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _unescape(value: str) -> str:
    # html.parser leaves entities in attribute values to us (convert_charrefs covers data only).
    return ENTITY.sub(lambda m: decode_entity(m.group()) or m.group(), value) if "&" in value else value


def _json_ld(raw: str, names: list[str], urls: list[str], dates: dict[str, str]) -> None:
    if len(raw) > _MAX_JSON_LD:
        return
    try:
        data = json.loads(raw.strip().removeprefix("<!--").removesuffix("-->"))
    except (ValueError, RecursionError):
        return  # broken JSON-LD is common; the page is still read
    if "datePublished" not in dates:
        date = next((d for value in _values(data, "datePublished", 0) if (d := published(value)) is not None), None)
        if date is not None:
            dates["datePublished"] = date
    for publisher in _publishers(data, 0):
        if isinstance(publisher, str):
            names.append(publisher.strip())
        elif isinstance(publisher, dict):
            name, url = publisher.get("name"), publisher.get("url")
            if isinstance(name, str) and name.strip():
                names.append(name.strip())
            if isinstance(url, str) and url.strip():
                urls.append(url.strip())


def _values(node: object, name: str, depth: int) -> Iterator[object]:
    """Every value of key ``name`` in a JSON-LD graph (bounded in depth and breadth)."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, list):
        for item in node[:200]:
            yield from _values(item, name, depth + 1)
    elif isinstance(node, dict):
        for key, value in list(node.items())[:200]:
            if key == name:
                yield value
            elif isinstance(value, (dict, list)):
                yield from _values(value, name, depth + 1)


def _publishers(node: object, depth: int) -> Iterator[object]:
    """Every ``publisher`` value in a JSON-LD graph (bounded in depth)."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, list):
        for item in node[:200]:
            yield from _publishers(item, depth + 1)
    elif isinstance(node, dict):
        for key, value in list(node.items())[:200]:
            if key == "publisher":
                if isinstance(value, list):
                    yield from value[:10]
                else:
                    yield value
            elif isinstance(value, (dict, list)):
                yield from _publishers(value, depth + 1)
