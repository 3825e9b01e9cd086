"""HTML articles: tags, entities and non-prose elements replaced through an OffsetMap.

Block boundaries: every block-level tag (``<p>``, ``</p>``, ``<div>``, ``<li>``, ``<h1>`` …)
becomes "\\n\\n" in the prose, ``<br>`` becomes "\\n", inline tags (``<a>``, ``<b>`` …) become
"" so they never split a word. Non-prose elements (``<head>``, ``<script>``, ``<pre>``,
``<code>`` …), comments and declarations become "". Entities become their characters.
"""
from __future__ import annotations

from html.parser import HTMLParser

from citelint.load.prose import ENTITY, ProseBuilder, decode_entity, gc_paused
from citelint.model import Comment, Document, Link

BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol blockquote article section header footer aside nav main "
    "figure figcaption table thead tbody tfoot tr td th caption dd dt dl hr form fieldset "
    "address details summary pre body html center dialog legend menu hgroup search".split()
)
# Elements whose content is not prose.
SKIP_TAGS = frozenset(
    "head title script style pre code template noscript svg math iframe textarea select button "
    "object".split()
)
# Inline non-prose elements a browser would close at the end of the block they sit in.
_CLOSED_BY_BLOCKS = frozenset("code button select textarea".split())
_HEAD_CONTENT = frozenset("meta link title style script base noscript template head".split())
_BLOCK_SPECIAL = frozenset("blockquote pre body html".split())


# Event kinds recorded by _Events.
_DATA, _START, _STARTEND, _END, _DROP, _COMMENT, _OTHER, _DROP_REST = range(8)
# Inline tags that need more than a replacement; other inline tags take the fast path.
_SPECIAL = SKIP_TAGS | {"a", "q", "body", "html"}
_Attrs = list[tuple[str, str | None]]


class _Events(HTMLParser):
    """Records (offset, kind, tag or comment, attrs) for every construct html.parser sees.

    Each construct ends where the next begins, so nothing in the text is unaccounted for.
    Offsets come from ``updatepos``, which html.parser calls after every construct with its
    end offset; this avoids getpos() and its line counting, the costliest part of the parser.
    """

    def __init__(self, text: str) -> None:
        # convert_charrefs=True keeps html.parser from treating "&" specially: its own
        # character-reference handling turns the rest of a document into text after "&#"
        # with no digits. Entities are found and mapped from the raw text instead.
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[int, int, str, _Attrs | None]] = []
        self._add = self.events.append
        self._pos = 0  # offset where the construct being handled starts
        self._base = 0  # offset of self.rawdata[0] in the whole text
        self._fed = 0
        self._text = text
        self._last_gt = text.rfind(">")
        if "</>" in text:  # only then pay for the extra call on every end tag
            self.parse_endtag = self._parse_endtag  # type: ignore[method-assign]

    def feed(self, data: str) -> None:
        self._fed += len(data)
        super().feed(data)

    def goahead(self, end: bool) -> None:
        self._base = self._fed - len(self.rawdata)
        super().goahead(end)

    def updatepos(self, i: int, j: int) -> int:
        self._pos = self._base + j
        return j

    def handle_starttag(self, tag: str, attrs: _Attrs) -> None:
        self._add((self._pos, _START, tag, attrs))

    def handle_startendtag(self, tag: str, attrs: _Attrs) -> None:
        self._add((self._pos, _STARTEND, tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self._add((self._pos, _END, tag, None))

    def handle_data(self, data: str) -> None:
        if data[0] == "<":
            at = self._pos
            after = self._text[at + 1 : at + 2]
            if at > self._last_gt and (after.isalpha() or after in ("!", "/", "?")):
                # A tag or comment left open at the end: a browser drops the rest.
                self.events.append((at, _DROP_REST, "", None))
                return
            if len(data) > 1:  # a malformed construct html.parser hands back as text
                self.events.append((at, _DROP, "", None))
                return
        if not self.events or self.events[-1][1] != _DATA:  # "a < b" comes in pieces
            self.events.append((self._pos, _DATA, "", None))

    def handle_comment(self, data: str) -> None:
        self._add((self._pos, _COMMENT, data, None))

    def handle_decl(self, data: str) -> None:
        self._add((self._pos, _OTHER, "", None))

    def handle_pi(self, data: str) -> None:
        self._add((self._pos, _OTHER, "", None))

    def unknown_decl(self, data: str) -> None:
        self._add((self._pos, _OTHER, "", None))

    def _parse_endtag(self, i: int) -> int:
        if self.rawdata.startswith("</>", i):  # html.parser skips it without an event
            self.handle_decl("")
            return i + 3
        return super().parse_endtag(i)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:  # "<![foo[" : _markupbase asserts; browsers see a bogus comment
            return self.parse_bogus_comment(i, report)


def load(text: str, path: str) -> Document:
    with gc_paused():
        parser = _Events(text)
        parser.feed(text)
        parser.close()
        return _Builder(text, path).run(parser.events)


class _Builder:
    """Turns the event list into edits of the text, links, comments and quote regions."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.shell = Document(path=path, text=text, format="html", prose="")
        self.links: list[Link] = []
        self.comments: list[Comment] = []
        self.regions: list[tuple[int, int]] = []  # original offsets, mapped after building
        self.open_quotes: dict[str, list[int]] = {"blockquote": [], "q": []}
        self.skipping: dict[str, int] = {}
        self.skip_depth = 0
        self.anchor: tuple[str, int, int] | None = None  # url, tag start, tag end

    def run(self, events: list[tuple[int, int, str, _Attrs | None]]) -> Document:
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
        events.append((len(text), _OTHER, "", None))  # sentinel: where the last one ends
        for index in range(count):
            start, kind, tag, attrs = events[index]
            end = events[index + 1][0]
            if kind == _DATA:
                if self.skip_depth:
                    add((start, end, ""))
                elif next_entity < entity_count:
                    while next_entity < entity_count and entities[next_entity][0] < start:
                        next_entity += 1
                    while next_entity < entity_count and entities[next_entity][1] <= end:
                        add(entities[next_entity])
                        next_entity += 1
            elif kind == _START or kind == _END or kind == _STARTEND:
                if tag in BLOCK_TAGS:
                    if self.anchor or self.skipping or tag in _BLOCK_SPECIAL:
                        self.tag(kind, tag, attrs, start, end, True)
                    add((start, end, "\n\n"))
                else:
                    if self.skipping or tag in _SPECIAL:
                        self.tag(kind, tag, attrs, start, end, False)
                    add((start, end, "\n" if tag == "br" else ""))
            elif kind == _DROP_REST:
                add((start, len(text), ""))
                break
            elif kind == _COMMENT:
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
        self, kind: int, tag: str, attrs: _Attrs | None, start: int, end: int, block: bool
    ) -> None:
        """The bookkeeping of tags that open or close links, quotes and non-prose parts."""
        skipping = self.skipping
        if kind != _END:
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
                if url and not self.skip_depth:
                    self.anchor = (url, start, end)
            if kind == _START:
                if tag in SKIP_TAGS:
                    skipping[tag] = skipping.get(tag, 0) + 1
                    self.skip_depth += 1
                elif tag in self.open_quotes and not self.skip_depth:
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
