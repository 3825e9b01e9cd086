"""Attribution extraction: from a Document's prose to Attribution records.

Span-finding sits behind the small ``Extractor`` protocol so a learned tagger can later
replace or complement the pattern extractor without touching the rest of the pipeline.
"""
from __future__ import annotations

from typing import Protocol

from citelint.model import Attribution, Document


class Extractor(Protocol):
    def extract(self, document: Document) -> list[Attribution]: ...


def default_extractor(use_model: bool = True) -> Extractor:
    """The pattern extractor, with the shipped learned decisions unless ``use_model`` is false."""
    from citelint.extract.patterns import PatternExtractor

    return PatternExtractor(use_model=use_model)


def extract(document: Document, extractor: Extractor | None = None) -> list[Attribution]:
    return (extractor or default_extractor()).extract(document)
