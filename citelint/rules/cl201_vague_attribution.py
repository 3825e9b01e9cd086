"""A claim is attributed to unnamed reports ("reportedly", "according to reports").

**What it flags.** "reportedly", "according to (media) reports", "it was reported",
"reports say" and similar cues when neither the same sentence nor the next one in the
paragraph names who reported it, and no link in the sentence leads to the report. A
headline's "reportedly" is not flagged when the story below names and links the report.

**Why editors care.** "Media reports" or "sources say" is not good enough: readers cannot
weigh a claim when they do not know who made it, and the newsroom cannot check it.

**Bad:** `The minister reportedly resigned on Friday.`

**Good:** `The minister resigned on Friday, Reuters reported, citing two officials.`

Words inside a direct quotation are the speaker's and are not flagged.
Standard: NPR Ethics Handbook, "Attribution"; Wikipedia MOS:WEASEL.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from citelint.model import Attribution, CueType, Severity
from citelint.rules.base import Context, Hit

CODE = "CL201"
SLUG = "vague-attribution"
SEVERITY = Severity.WARNING


_NOT_SPACE = re.compile(r"\S")
_CLOSING = (".", "!", "?", "”", '"', "’", "'", ":", ";")


def _headline(context: Context, att: Attribution, first_words: int) -> bool:
    """Whether the cue stands in the article's headline: its first block, short, unpunctuated.
    ``first_words``: where the prose's first words start (nothing but white space before)."""
    prose = context.document.prose
    start, end = att.block
    if start > first_words:
        return False
    text = prose[start:end].strip()
    return len(text.split()) <= 25 and not text.endswith(_CLOSING)


def _first_words(prose: str) -> int:
    """The offset of the prose's first character that is not white space (its length if none);
    found once, not by copying the prose before each cue."""
    found = _NOT_SPACE.search(prose)  # \S is the complement of str.isspace, as str.strip uses
    return found.start() if found else len(prose)


def check(context: Context) -> Iterator[Hit]:
    first_words: int | None = None
    for att in context.attributions:
        if att.cue_type is not CueType.VAGUE or att.named_nearby or att.cue is None:
            continue
        if context.links_in(att.sentence):
            continue  # "It is [reportedly](https://…) …": the link names the report
        if first_words is None:
            first_words = _first_words(context.document.prose)
        if _headline(context, att, first_words) and any(a.urls and a.resolved for a in context.attributions):
            continue  # "Minister reportedly quits" over a story that names and links the report
        yield Hit(
            att.cue,
            f"'{context.visible(att.cue)}' attributes the claim to no one; name who reported it and link the report",
            att.id,
        )
