"""Reading HTML into a flat list of events with exact offsets (html.parser underneath).

Each event is ``(offset, kind, tag or comment, attrs)``; an event ends where the next one
begins, so every character of the text belongs to exactly one event. The loader
(``load/html.py``), main-content detection (``load/page_content.py``) and page metadata
(``load/page_meta.py``) all read this one list.
"""
from __future__ import annotations

import _markupbase
import re
from html import unescape
from html.parser import HTMLParser

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

# What ParserBase.parse_comment (overridden below) looks for after "<!--".
_COMMENT_CLOSE = _markupbase._commentclose  # type: ignore[attr-defined]

# Start tags without attributes that no version of html.parser treats specially (no raw text
# after them, as after <script>, <style>, <title>, <textarea>, <noscript>, <plaintext>).
_PLAIN_TAGS = frozenset(
    "p b i u s em strong span div br hr li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote q cite "
    "table thead tbody tfoot tr td th sup sub small big figure figcaption section article "
    "header footer aside nav main center mark abbr time".split()
)
_PLAIN_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]{0,9})>")

# Event kinds.
DATA, START, STARTEND, END, DROP, COMMENT, OTHER, DROP_REST = range(8)
Attrs = list[tuple[str, str | None]]


class Events(HTMLParser):
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
        self.events: list[tuple[int, int, str, Attrs | None]] = []
        self._add = self.events.append
        self._pos = 0  # offset where the construct being handled starts
        self._base = 0  # offset of self.rawdata[0] in the whole text
        self._fed = 0
        self._text = text
        self._last_gt = text.rfind(">")
        # Where the last comment closer starts: html.parser looks for one after every "<!--",
        # to the end of the text, so a text of many unclosed "<!--" took quadratic time.
        self._last_close = -1
        for match in _COMMENT_CLOSE.finditer(text):
            self._last_close = match.start()
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

    def parse_starttag(self, i: int) -> int:
        # "<p>", "<b>": what html.parser would do (lowercase the tag, report it, no attributes)
        # without its general start-tag scan; a page of markup is mostly such tags
        match = _PLAIN_START.match(self.rawdata, i)
        if match is None or (tag := match.group(1).lower()) not in _PLAIN_TAGS:
            return int(super().parse_starttag(i))
        self.lasttag = tag
        self._HTMLParser__starttag_text = match.group()
        self._add((self._pos, START, tag, []))
        return match.end()

    def handle_starttag(self, tag: str, attrs: Attrs) -> None:
        self._add((self._pos, START, tag, attrs))

    def handle_startendtag(self, tag: str, attrs: Attrs) -> None:
        self._add((self._pos, STARTEND, tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self._add((self._pos, END, tag, None))

    def handle_data(self, data: str) -> None:
        if data[0] == "<":
            at = self._pos
            after = self._text[at + 1 : at + 2]
            if at > self._last_gt and (after.isalpha() or after in ("!", "/", "?")):
                # A tag or comment left open at the end: a browser drops the rest.
                self.events.append((at, DROP_REST, "", None))
                return
            if len(data) > 1:  # a malformed construct html.parser hands back as text
                self.events.append((at, DROP, "", None))
                return
        if not self.events or self.events[-1][1] != DATA:  # "a < b" comes in pieces
            self.events.append((self._pos, DATA, "", None))

    def handle_comment(self, data: str) -> None:
        self._add((self._pos, COMMENT, data, None))

    def handle_decl(self, data: str) -> None:
        self._add((self._pos, OTHER, "", None))

    def handle_pi(self, data: str) -> None:
        self._add((self._pos, OTHER, "", None))

    def unknown_decl(self, data: str) -> None:
        self._add((self._pos, OTHER, "", None))

    def parse_comment(self, i: int, report: bool = True) -> int:
        if self._base + i + 4 <= self._last_close:
            return int(super().parse_comment(i, report))
        # No closer after this "<!--": what html.parser does then (once the whole text is in),
        # done at once: the text to the next ">" (or "<") is data. It would first search the
        # rest of the text for a closer, at every "<!--".
        rawdata = self.rawdata
        k = rawdata.find(">", i + 1) if self._base + i < self._last_gt else -1
        if k < 0:
            k = rawdata.find("<", i + 1)
            k = i + 1 if k < 0 else k
        else:
            k += 1
        self.handle_data(unescape(rawdata[i:k]) if self.convert_charrefs and not self.cdata_elem else rawdata[i:k])
        return k

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


Event = tuple[int, int, str, Attrs | None]


def parse(text: str) -> list[Event]:
    """The events of ``text`` in document order (the caller pauses the garbage collector)."""
    parser = Events(text)
    parser.feed(text)
    parser.close()
    return parser.events
