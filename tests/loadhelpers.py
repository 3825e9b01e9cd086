"""Helpers shared by the loader tests: find words in a document's prose view."""
from __future__ import annotations

import re

from citelint.model import Document, Span


def span_of(doc: Document, word: str, nth: int = 0) -> Span:
    """The Span of the nth occurrence of ``word`` in the prose, mapped to the original."""
    at = -1
    for _ in range(nth + 1):
        at = doc.prose.index(word, at + 1)
    return doc.span(at, at + len(word))


def blocks(doc: Document) -> list[str]:
    """Paragraphs as the extractor splits them, whitespace collapsed."""
    return [" ".join(b.split()) for b in re.split(r"\n\s*\n", doc.prose) if b.strip()]
