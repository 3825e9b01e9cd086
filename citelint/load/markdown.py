"""Markdown articles: markup blanked to spaces, entities and block breaks mapped.

Almost all markup (code, front matter, link syntax, URLs, markers) is blanked to spaces of
equal length, so prose offsets equal original offsets. Three things are *replaced* through
the OffsetMap: entities (``&rsquo;`` → ``’``); inline markup inside a word (``**Reu**ters``,
``<b>Reu</b>ters``) → "" so it never splits the word; and the newline ending a heading,
a table row or the line before a heading, list item or table, which becomes "\\n\\n".
So in the prose every paragraph, heading, list item and table row is its own block,
separated by a blank line (``\\n\\s*\\n``); lines within a paragraph stay single newlines.

The passes live by concern: block structure in ``markdown_blocks``, inline markup in
``markdown_inline``, the patterns they share in ``markdown_syntax``; this module runs them
and builds the Document.
"""
from __future__ import annotations

from citelint.load.markdown_blocks import BlockPass
from citelint.load.markdown_inline import InlinePass
from citelint.load.markdown_syntax import (
    NEUTRAL,
    PARA_BREAK,
    merge_touching,
)
from citelint.load.prose import ENTITY, ProseBuilder, blank_ranges, decode_entity, gc_paused
from citelint.model import Comment, Document, Link


class _Loader(BlockPass, InlinePass):
    """One Markdown document in the making; each pass finds markup in ``work`` (the text
    with what earlier passes consumed blanked) and records blanks, drops and links."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.doc = Document(path=path, text=text, format="markdown", prose="")
        self.blanks: list[tuple[int, int]] = []  # block-level markup: spaces in the prose
        self.drops: list[tuple[int, int]] = []  # inline markup: spaces, or "" inside a word
        self.breaks: set[int] = set()  # newlines that become "\n\n"
        self.quotes: list[tuple[int, int]] = []  # original ranges of block quotes
        self.definitions: dict[str, str] = {}
        self.block_tags: list[tuple[int, int]] = []  # HTML block tags: "\n\n" in the prose
        self.escaped: list[tuple[int, int]] = []  # backslash escapes, neutralised in work
        self.links: list[Link] = []
        self.comments: list[Comment] = []
        self.work = text
        self.paragraphs: list[int] = []
        self.published: str | None = None  # the front matter's date, if it gives one

    def run(self) -> Document:
        self.blocks()
        self.work = blank_ranges(self.text, self.blanks)
        self.paragraphs = [m.start() for m in PARA_BREAK.finditer(self.work)]
        for inline_pass in (
            self.html_comments, self.code_spans, self.escapes, self.raw_elements,
            self.links_and_images, self.autolinks, self.html_tags, self.bare_urls,
        ):  # fmt: skip
            committed = len(self.drops)
            blanks = inline_pass()
            if inline_pass != self.escapes:  # escapes are neutralised in work, not blanked
                blanks = blanks + self.drops[committed:]
            if blanks:
                self.work = blank_ranges(self.work, blanks)
        return self.build()

    def restore_escapes(self, out: str) -> str:
        """Put back the escaped characters that are still prose ("\\*" → " *")."""
        if not self.escaped:
            return out
        text, parts, pos = self.text, [], 0
        for start, end in self.escaped:
            parts.append(out[pos:start])
            for at in range(start, end):
                if out[at] != NEUTRAL:  # blanked by a later pass
                    parts.append(out[at])
                else:
                    parts.append(" " if at == start else text[at])
            pos = end
        parts.append(out[pos:])
        return "".join(parts)

    def build(self) -> Document:
        text = self.text
        emphasis = self.emphasis()
        self.drops.extend(emphasis)
        # work already has every blank and drop but these: finish it into the prose base.
        out = self.restore_escapes(blank_ranges(self.work, emphasis))
        edits: list[tuple[int, int, str]] = []
        n = len(text)
        for start, end in merge_touching(self.drops):
            if 0 < start and end < n and not out[start - 1].isspace() and not out[end].isspace():
                if "\n" not in text[start:end]:
                    edits.append((start, end, ""))
        for match in ENTITY.finditer(self.work):
            value = decode_entity(match.group())
            if value is not None:
                edits.append((match.start(), match.end(), value))
        edits.extend((at, at + 1, "\n\n") for at in self.breaks if at < n and out[at] == "\n")
        edits.extend((start, end, "\n\n") for start, end in self.block_tags)
        edits.sort()
        builder = ProseBuilder(out)
        done = 0
        for start, end, replacement in edits:
            if start >= done:
                builder.replace(start, end, replacement)
                done = end
        prose, offsets = builder.build()
        bounds = builder.to_prose([x for q in self.quotes for x in q])
        regions = tuple(
            (bounds[i], bounds[i + 1])
            for i in range(0, len(bounds), 2)
            if bounds[i + 1] > bounds[i]
        )
        self.links.sort(key=lambda link: (link.anchor.start, link.anchor.end))
        return Document(
            path=self.doc.path,
            text=text,
            format="markdown",
            prose=prose,
            offsets=offsets,
            links=tuple(self.links),
            comments=tuple(self.comments),
            quote_regions=regions,
            published=self.published,
            _lines=self.doc.lines,
        )


def load(text: str, path: str) -> Document:
    with gc_paused():
        return _Loader(text, path).run()
