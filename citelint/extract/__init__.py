"""Attribution extraction: from a Document's prose to Attribution records.

Span-finding sits behind the small ``Extractor`` protocol so a learned tagger can later
replace or complement the pattern extractor without touching the rest of the pipeline.
"""
from __future__ import annotations

from typing import Protocol

from citelint.model import Attribution, Document


class NotProse(Exception):
    """A document whose text cannot be prose (e.g. a sentence made of hundreds of cues):
    reported as an input error instead of spending time and memory on it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Extractor(Protocol):
    def extract(self, document: Document) -> list[Attribution]: ...


def default_extractor(use_model: bool = False) -> Extractor:
    """The pattern extractor; with ``use_model``, the shipped learned decisions too."""
    from citelint.extract.patterns import PatternExtractor

    return PatternExtractor(use_model=use_model)


def extract(document: Document, extractor: Extractor | None = None) -> list[Attribution]:
    return (extractor or default_extractor()).extract(document)
