"""The visible text of an HTML page, read by lxml's parser (libxml2) with callbacks and no tree.

No tree is built: a parser target receives start tags, end tags and text, and writes one line
per block. That keeps memory to the text itself, and lets the reading stop, with a reason,
once a page has more elements than any article (``MAX_ELEMENTS``) or has taken longer than
its time allowance (the markup is fed in pieces and the clock checked between them): a 30 kB
gzip that expands to 20 MB of ``<b>x</b>`` costs a fraction of a second, not a minute.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from lxml import etree  # no stubs shipped (see the mypy overrides in pyproject.toml)

MAX_ELEMENTS = 250_000  # real article pages have 1,000-20,000
FEED = 1 << 16  # characters fed to the parser at a time (the clock is read between pieces)

# Elements whose content a reader never sees.
SKIP = frozenset("script style noscript template svg iframe object canvas title".split())
BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dd dt blockquote article section header footer aside "
    "nav main figure figcaption table caption thead tbody tfoot tr td th pre hr address details "
    "summary form fieldset legend center dialog menu hgroup search body html button".split()
)


class TooCostly(Exception):
    """The page's markup is past what is read (the message says which limit)."""


@dataclass
class _Target:
    """lxml parser target: text by blocks, the first title, JSON-LD scripts."""

    deadline: float
    out: list[str] = field(default_factory=list)
    title: list[str] | None = None  # collecting the first <title>
    title_text: str | None = None
    scripts: list[str] = field(default_factory=list)
    skip: int = 0  # depth inside elements never shown
    pre: int = 0  # depth inside <pre>: its newlines are line breaks
    json_ld: list[str] | None = None  # collecting a JSON-LD script
    elements: int = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise TooCostly(f"the page has more than {MAX_ELEMENTS:,} elements: its text is not read")
        if not self.elements & 1023 and time.monotonic() > self.deadline:
            raise TooCostly("reading the page's text took longer than allowed")
        if tag in SKIP or self.skip:
            self.skip += 1
            if self.skip == 1 and tag == "title" and self.title_text is None:
                self.title = []
            elif self.skip == 1 and tag == "script" and _is_json_ld(attrib.get("type")):
                self.json_ld = []
            return
        if tag == "br":
            self.out.append("\n")
        elif tag in BLOCK:
            self.out.append("\n")
            self.pre += tag == "pre"

    def end(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1
            if not self.skip:
                if self.title is not None:
                    self.title_text = " ".join("".join(self.title).split()) or None
                    self.title = None
                if self.json_ld is not None:
                    self.scripts.append("".join(self.json_ld))
                    self.json_ld = None
            return
        if tag in BLOCK:
            self.out.append("\n")
            self.pre -= tag == "pre" and self.pre > 0

    def data(self, text: str) -> None:
        if self.skip:
            if self.title is not None:
                self.title.append(text)
            elif self.json_ld is not None:
                self.json_ld.append(text)
            return
        self.out.append(text if self.pre else text.replace("\n", " "))

    def close(self) -> None:
        return None


def _is_json_ld(kind: str | None) -> bool:
    return kind is not None and kind.split(";")[0].strip().lower() == "application/ld+json"


def html_text(markup: str, seconds: float) -> tuple[str, str | None, list[str]]:
    """The page's text (blocks on lines of their own, not yet collapsed), its title and the
    raw text of its JSON-LD scripts. Raises TooCostly past MAX_ELEMENTS or ``seconds``."""
    target = _Target(time.monotonic() + seconds)
    parser = etree.HTMLParser(target=target, huge_tree=True, no_network=True, remove_comments=True, remove_pis=True)
    try:
        try:
            for at in range(0, len(markup), FEED):
                parser.feed(markup[at : at + FEED])
                if time.monotonic() > target.deadline:
                    raise TooCostly("reading the page's text took longer than allowed")
            parser.close()
        except etree.LxmlError:
            pass  # libxml2 recovers from any markup; what it gives up on (an empty document) has no more text
        return "".join(target.out), target.title_text, target.scripts
    finally:
        # The parser and its target form a reference cycle, which the command line's rare
        # garbage collections would leave holding every page's text pieces: let go of them now.
        target.out, target.scripts = [], []
