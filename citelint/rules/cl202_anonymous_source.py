"""An anonymous source is neither described nor given a reason for anonymity.

**What it flags.** Bare anonymous sourcing — "sources said", "a source told", "according
to sources", "an insider said", "people familiar with the matter said" — with no
description of who the source is and no reason why anonymity was granted in the sentence.

A source is flagged where it is introduced; a re-mention ("the source added", "sources also
said") is not flagged again.

**Why editors care.** "Simply quoting 'a source', unmodified, is almost always prohibited"
(AP). Readers should learn as much as possible about who the source is and why they could
not be named.

**Bad:** `Sources said the deal was off.`

**Good:** `Two ministry officials, who spoke on condition of anonymity because they were not
authorized to discuss the talks, said the deal was off.`
Standard: AP Stylebook on anonymous sources; NYT Confidential News Sources Policy.
"""
from __future__ import annotations

from collections.abc import Iterator

from citelint.model import Kind, Severity
from citelint.rules.base import Context, Hit

CODE = "CL202"
SLUG = "anonymous-source"
SEVERITY = Severity.INFO


_DEFINITE = ("the ", "these ", "those ", "that ", "this ")


def check(context: Context) -> Iterator[Hit]:
    if not any(att.kind is Kind.ANONYMOUS for att in context.attributions):
        return
    # The sources named so far (each as its set of folded words), and all their words: a
    # long article names the same few sources thousands of times, so both stay small.
    earlier: set[frozenset[str]] = set()
    earlier_words: set[str] = set()
    for att in context.attributions:
        if att.source is None:
            continue
        name = (context.visible(att.source) if att.kind is Kind.ANONYMOUS else att.source.text).casefold()
        words = frozenset(name.replace(",", " ").split())
        # "the insider added" after "an insider said": the same source, met again.
        again = name.startswith(_DEFINITE) and name.split()[-1] in earlier_words
        again = again or words in earlier
        earlier.add(words)
        earlier_words |= words
        if att.kind is not Kind.ANONYMOUS or again or not att.bare or att.anonymity_reason:
            continue
        yield Hit(
            att.source,
            f"'{context.visible(att.source)}' is an anonymous source with no description and no reason for anonymity; "
            "say who they are (e.g. 'a senior ministry official') and why they were not named",
            att.id,
        )
