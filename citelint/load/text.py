"""Plain-text articles: the prose is the text itself, with bare URLs blanked and kept as links.

Paragraphs are separated by blank lines exactly as written ("\\n\\n", or "\\r\\n\\r\\n"
which ``\\n\\s*\\n`` also matches); the OffsetMap is always the identity.

Plain text has no markup, but suppressions are written as in Markdown: a
``<!-- citelint… -->`` comment on one line is a comment, not prose (other ``<!-- -->`` text
is left alone: in plain text it is more likely quoted than meant).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from citelint.load.prose import blank_ranges
from citelint.model import Comment, Document, Link

_DIRECTIVE = re.compile(r"<!--(\s*citelint\b[^\n]*?)-->", re.I)
# Found by their "://" (a literal the regex engine scans for fast), the scheme checked after.
_AFTER_SCHEME = re.compile(r"://[^\s<>\"`{}|\\^]+")
_SCHEMES = ("http", "https")
_NOT_BEFORE = frozenset("@/.+-_")
_TRAILING = frozenset(".,;:!?\"'”’»*_~")
_CLOSERS = {")": "(", "]": "["}


def find_urls(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Bare http(s) URLs in ``text[start:end]`` as (start, end), GFM-style.

    Trailing punctuation is not part of a URL; a closing parenthesis or bracket is, when it
    balances one inside the URL ("https://en.wikipedia.org/wiki/Foo_(bar)").
    """
    for match in _AFTER_SCHEME.finditer(text, start, len(text) if end is None else end):
        colon, url_end = match.span()
        scheme = text[max(colon - 5, start) : colon].lower()
        if scheme.endswith("https"):
            url_start = colon - 5
        elif scheme.endswith("http"):
            url_start = colon - 4
        else:
            continue
        if url_start > start:
            before = text[url_start - 1]
            if before.isalnum() or before in _NOT_BEFORE:
                continue
        while url_end > colon + 3:
            last = text[url_end - 1]
            if last in _TRAILING:
                url_end -= 1
            elif last in _CLOSERS:
                url = text[url_start:url_end]
                if url.count(_CLOSERS[last]) >= url.count(last):
                    break
                url_end -= 1
            else:
                break
        if url_end > colon + 3:  # something after the scheme
            yield url_start, url_end


def load(text: str, path: str) -> Document:
    links: list[Link] = []
    doc = Document(path=path, text=text, format="text", prose=text)
    comments = [(m.start(), m.end(), m.group(1)) for m in _DIRECTIVE.finditer(text)] if "<!--" in text else []
    ranges = [(start, end) for start, end, _ in comments]
    for start, end in find_urls(text):
        if not any(c_start <= start < c_end for c_start, c_end, _ in comments):
            ranges.append((start, end))
            links.append(Link(text[start:end], doc.original_span(start, end)))
    if not ranges:
        return doc
    return Document(
        path=path,
        text=text,
        format="text",
        prose=blank_ranges(text, ranges),
        links=tuple(links),
        comments=tuple(Comment(body.strip(), doc.original_span(start, end)) for start, end, body in comments),
        _lines=doc.lines,
    )
