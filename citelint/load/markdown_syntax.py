"""Markdown syntax: the patterns the Markdown loader's passes match, and small helpers."""
from __future__ import annotations

import html
import re
import unicodedata

from citelint.model import Comment, Document, Link

FRONT_MATTER = re.compile(
    r"\A(---|\+\+\+)[ \t]*\r?\n(?:[^\n]*\n)*?(?:\1|\.\.\.)[ \t]*\r?(?:\n|\Z)"
)
QUOTE = re.compile(r"(?:[ ]{0,3}>[ ]?)+")
FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})([^\r]*)")
HEADING = re.compile(r"[ ]{0,3}#{1,6}(?:[ \t]+|(?=\r?$))")
CLOSING_HASHES = re.compile(r"(?<=[ \t])#+[ \t]*\r?$")
RULE = re.compile(r"[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*\r?$")
SETEXT = re.compile(r"[ ]{0,3}(?:=+|-+)[ \t]*\r?$")
LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(?:\[[ xX]\](?=[ \t]))?|(?=\r?$))")
REF_DEF = re.compile(
    r"""[ ]{0,3}\[((?:[^\[\]\\]|\\.){1,999})\]:[ \t]*(<[^<>\n]*>|\S+)"""
    r"""(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\r?$"""
)
DELIMITER_ROW = re.compile(r"[ ]{0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*\r?$")
PIPE = re.compile(r"(?<!\\)\|")
PARA_BREAK = re.compile(r"\n[ \t\r]*\n")
# Each opens with a single character (a literal or a class), never a repeat or an alternation:
# CPython's engine skips ahead to such a character at C speed and tries a pattern that opens
# with a repeat at every position (five to fifteen times slower on prose).
TICKS = re.compile(r"``*+")
ESCAPE = re.compile(r"\\(?:[!-/:-@\[-`{-~]|(?=\r?\n))")
RAW_ELEMENT = re.compile(r"<(script|style|pre|textarea)(?:\s[^>]*)?>", re.I)
BRACKET = re.compile(r"!\[|\[|\]")
DESTINATION = re.compile(
    r"""\([ \t]*(?:\r?\n[ \t]*)?(?:<([^<>\n]*)>|((?:[^\s()]|\((?:[^\s()])*\))*))"""
    r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)"""
)
LABEL = re.compile(r"\[((?:[^\[\]\\]|\\.){0,999})\]")
AUTOLINK = re.compile(
    r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)>"
)
TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s+[A-Za-z_:][\w.:-]*"
    r"""(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*/?>|<![A-Za-z][^<>]*>"""
)
HREF = re.compile(r"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
DELIMITER = re.compile(r"[*_~](?:(?<=\*)\**+|(?<=_)_*+|(?<=~)~)")  # "\*+|_+|~~", opening with a class
TEXT_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
NEUTRAL = "\x1a"  # stands in for escaped characters while looking for markup
SPECIAL_START = frozenset(" \t\r>#-*_+=`~[|0123456789")
ITEM_START = frozenset("-*+0123456789")


class LoaderState:
    """What the passes of one Markdown document share (set by ``markdown._Loader``)."""

    text: str
    doc: Document
    blanks: list[tuple[int, int]]  # block-level markup: spaces in the prose
    drops: list[tuple[int, int]]  # inline markup: spaces, or "" inside a word
    breaks: set[int]  # newlines that become "\n\n"
    quotes: list[tuple[int, int]]  # original ranges of block quotes
    definitions: dict[str, str]
    block_tags: list[tuple[int, int]]  # HTML block tags: "\n\n" in the prose
    escaped: list[tuple[int, int]]  # backslash escapes, neutralised in work
    links: list[Link]
    comments: list[Comment]
    work: str
    paragraphs: list[int]
    published: str | None  # the front matter's publication date

    def span_link(self, url: str, start: int, end: int) -> None:
        if url:
            self.links.append(Link(url, self.doc.original_span(start, end)))


def label_key(label: str) -> str:
    """Reference labels match case-insensitively with whitespace collapsed."""
    return " ".join(label.split()).casefold()


def clean_url(url: str) -> str:
    return html.unescape(TEXT_ESCAPE.sub(r"\1", url.strip()))


def is_punct(char: str) -> bool:
    if char < "\x80":
        return char in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    return unicodedata.category(char)[0] in "PS"


def merge_touching(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
