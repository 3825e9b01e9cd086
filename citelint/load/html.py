"""HTML articles: tags, entities and non-prose elements replaced through an OffsetMap.

Block boundaries: every block-level tag (``<p>``, ``</p>``, ``<div>``, ``<li>``, ``<h1>`` …)
becomes "\\n\\n" in the prose, ``<br>`` becomes "\\n", inline tags (``<a>``, ``<b>`` …) become
"" so they never split a word. Non-prose elements (``<head>``, ``<script>``, ``<pre>``,
``<code>`` …), comments and declarations become "". Entities become their characters.
"""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import urljoin

from citelint.load.html_events import (
    COMMENT,
    DATA,
    DROP_REST,
    END,
    OTHER,
    START,
    STARTEND,
    Attrs,
    BLOCK_TAGS,
    SKIP_TAGS,
    Event,
    parse,
)
from citelint.load import page_content, page_meta
from citelint.load.prose import ENTITY, ProseBuilder, decode_entity, gc_paused
from citelint.model import Comment, Document, Link

# Inline non-prose elements a browser would close at the end of the block they sit in.
_CLOSED_BY_BLOCKS = frozenset("code button select textarea".split())
_HEAD_CONTENT = frozenset("meta link title style script base noscript template head".split())
_BLOCK_SPECIAL = frozenset("blockquote pre body html".split())


# Inline tags that need more than a replacement; other inline tags take the fast path.
_SPECIAL = SKIP_TAGS | {"a", "q", "body", "html"}


def load(text: str, path: str, whole_page: bool = False) -> Document:
    """The Document of an HTML page or fragment; page furniture is not prose (see page_content)."""
    with gc_paused():
        events = parse(text)
        meta = page_meta.read(text, events)
        furniture, summary = page_content.find_furniture(text, events, whole_page)
        document = _Builder(text, path, meta.base, furniture).run(events)
        return replace(document, page=meta, furniture=summary, published=meta.published)


class _Builder:
    """Turns the event list into edits of the text, links, comments and quote regions."""

    def __init__(self, text: str, path: str, base: str | None = None,
                 furniture: list[tuple[int, int]] | None = None) -> None:
        self.text = text
        self.base = base  # relative links are taken against it
        self.furniture = furniture or []  # sorted original ranges that are not the article
        self.masked = False  # whether the event being handled is in page furniture
        self.shell = Document(path=path, text=text, format="html", prose="")
        self.links: list[Link] = []
        self.comments: list[Comment] = []
        self.regions: list[tuple[int, int]] = []  # original offsets, mapped after building
        self.open_quotes: dict[str, list[int]] = {"blockquote": [], "q": []}
        self.skipping: dict[str, int] = {}
        self.skip_depth = 0
        self.anchor: tuple[str, int, int] | None = None  # url, tag start, tag end

    def run(self, events: list[Event]) -> Document:
        text = self.text
        edits: list[tuple[int, int, str]] = []
        add = edits.append
        entities = [
            (m.start(), m.end(), value)
            for m in ENTITY.finditer(text)
            if (value := decode_entity(m.group())) is not None
        ]
        next_entity, entity_count = 0, len(entities)
        count = len(events)
        events.append((len(text), OTHER, "", None))  # sentinel: where the last one ends
        furniture, next_range, range_count = self.furniture, 0, len(self.furniture)
        for index in range(count):
            start, kind, tag, attrs = events[index]
            end = events[index + 1][0]
            if range_count:
                while next_range < range_count and furniture[next_range][1] <= start:
                    next_range += 1
                self.masked = next_range < range_count and furniture[next_range][0] <= start
            if kind == DATA:
                if self.skip_depth or self.masked:
                    add((start, end, ""))
                elif next_entity < entity_count:
                    while next_entity < entity_count and entities[next_entity][0] < start:
                        next_entity += 1
                    while next_entity < entity_count and entities[next_entity][1] <= end:
                        add(entities[next_entity])
                        next_entity += 1
            elif kind == START or kind == END or kind == STARTEND:
                if tag in BLOCK_TAGS:
                    if self.anchor or self.skipping or self.masked or tag in _BLOCK_SPECIAL:
                        self.tag(kind, tag, attrs, start, end, True)
                    add((start, end, "\n\n"))
                else:
                    if self.skipping or self.masked or tag in _SPECIAL:
                        self.tag(kind, tag, attrs, start, end, False)
                    add((start, end, "\n" if tag == "br" else ""))
            elif kind == DROP_REST:
                add((start, len(text), ""))
                break
            elif kind == COMMENT:
                self.comments.append(Comment(tag.strip(), self.shell.original_span(start, end)))
                add((start, end, ""))
            else:
                add((start, end, ""))
        self.close_anchor(len(text))
        builder = ProseBuilder(text)
        builder.extend(edits)
        prose, offsets = builder.build()
        for stack in self.open_quotes.values():
            self.regions.extend((opened, len(text)) for opened in stack)
        bounds = builder.to_prose([x for pair in self.regions for x in pair])
        pairs = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
        self.links.sort(key=lambda link: (link.anchor.start, link.anchor.end))
        return Document(
            path=self.shell.path,
            text=text,
            format="html",
            prose=prose,
            offsets=offsets,
            links=tuple(self.links),
            comments=tuple(self.comments),
            quote_regions=_merge(pairs),
            _lines=self.shell.lines,
        )

    def tag(
        self, kind: int, tag: str, attrs: Attrs | None, start: int, end: int, block: bool
    ) -> None:
        """The bookkeeping of tags that open or close links, quotes and non-prose parts."""
        skipping = self.skipping
        if kind != END:
            if skipping.get("head") and tag not in _HEAD_CONTENT:
                self.leave_head()  # a body element closes an unclosed <head>
            if block:
                self.close_anchor(start)
                for inline in _CLOSED_BY_BLOCKS:
                    while skipping.get(inline):
                        self.unskip(inline)
            if tag == "a":
                self.close_anchor(start)
                href = next((value for name, value in attrs or () if name == "href"), None)
                url = _clean_url(href)
                if url and self.base and not urlsplit_scheme(url):
                    url = _joined(self.base, url)
                if url and not self.skip_depth and not self.masked:
                    self.anchor = (url, start, end)
            if kind == START:
                if tag in SKIP_TAGS:
                    skipping[tag] = skipping.get(tag, 0) + 1
                    self.skip_depth += 1
                elif tag in self.open_quotes and not self.skip_depth and not self.masked:
                    self.open_quotes[tag].append(end)
            return
        if tag == "a" or block:
            self.close_anchor(start)
        if tag in self.open_quotes and self.open_quotes[tag] and not self.skip_depth:
            self.regions.append((self.open_quotes[tag].pop(), start))
        if tag in SKIP_TAGS:
            self.unskip(tag)
        if tag in ("body", "html"):
            self.leave_head()

    def unskip(self, tag: str) -> None:
        count = self.skipping.get(tag, 0)
        if count:
            if count == 1:
                del self.skipping[tag]
            else:
                self.skipping[tag] = count - 1
            self.skip_depth -= 1

    def leave_head(self) -> None:
        self.skip_depth -= self.skipping.pop("head", 0)

    def close_anchor(self, at: int) -> None:
        if self.anchor is None:
            return
        url, tag_start, text_start = self.anchor
        inner = self.text[text_start:at]
        left = len(inner) - len(inner.lstrip())
        right = len(inner.rstrip())
        if right > left:
            span = self.shell.original_span(text_start + left, text_start + right)
        else:
            span = self.shell.original_span(tag_start, text_start)
        self.links.append(Link(url, span))
        self.anchor = None


def _joined(base: str, url: str) -> str:
    try:
        return urljoin(base, url)
    except ValueError:  # "//[not-an-address" and the like: keep what the page says
        return url


def urlsplit_scheme(url: str) -> str:
    """The scheme of a URL ("" for a relative one), without urlsplit's cost or its errors."""
    colon = url.find(":")
    if colon <= 0:
        return ""
    scheme = url[:colon]
    return scheme.lower() if scheme.isascii() and scheme[0].isalpha() and all(c.isalnum() or c in "+-." for c in scheme) else ""


def _clean_url(href: str | None) -> str:
    """An href as a browser reads it: outer whitespace stripped, tabs and newlines dropped."""
    if not href:
        return ""
    return href.strip().replace("\t", "").replace("\n", "").replace("\r", "")


def _merge(regions: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Union of overlapping ranges (nested quotes give one region), sorted."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(regions):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)
