"""A source that reads like a publication is not in the source registry.

**What it flags.** Credit lines ("Source: Left2"), wire credits ("(Zeitblatt) —") and
sources described as publications ("the Ruritanian daily Zeitblatt reported", "according to
the Valley Herald") whose name matches no registry entry. A longer source phrase that ends in a
publication's name ("an email … obtained by the Valley Herald") is flagged on that name, and
not at all when the registry knows it; a book's publisher in parentheses is no credit.

**Why editors care.** citelint can only check that a link goes to the named outlet when it
knows the outlet. An unknown name may be a typo, an obscure site, or a source the standards
desk has not assessed.

**Bad:** `Source: Left2`

**Good:** `Source: Reuters` — or add the outlet to the newsroom's list with `--sources newsroom.toml`.
Standard: project rule; the registry is non-exhaustive, so unknown names go to a reviewer.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from citelint.extract.lexicon import lexicon
from citelint.extract.phrases import classify
from citelint.model import Attribution, CueType, Kind, Severity, Span
from citelint.rules.base import Context, Hit

CODE = "CL103"
SLUG = "unknown-outlet"
SEVERITY = Severity.WARNING


# A publication's name closing a longer source: "audio provided by Wyoming Public Radio".
_TRAILING_NAME = re.compile(r"(?:\b[Tt]he\s+)?[A-Z][\w&.'’-]*(?:\s+(?:[A-Z][\w&.'’-]*|of|and|&))*$")


def _publication(context: Context, att: Attribution, name: str) -> tuple[str, Span]:
    """The words to name and point at: the publication's name when the source phrase ends in
    one ("early results of exit polls conducted for the Associates Press"), else the phrase."""
    assert att.outlet is not None
    document = context.document
    length = len(document.prose)
    start = document.offsets.to_prose(att.outlet.start, length)
    end = document.offsets.to_prose(att.outlet.end, length, end=True)
    text = document.prose[start:end].rstrip()  # Markdown's syntax is blanked to spaces in the prose
    match = _TRAILING_NAME.search(text)
    if match is None:
        return name, att.outlet
    before = text[:match.start()].split()
    if not before or not before[-1].replace("-", "").isalpha() or not before[-1].islower():
        return name, att.outlet  # no lowercase description before a name: the phrase is the name
    found = " ".join(match.group(0).split())
    heads = lexicon().outlet_heads
    described = before[-1].strip(",") in heads  # "a story by the website Politco": named by its kind
    if not described and found.split()[-1].lower().strip(".,") not in heads and classify(found) is not Kind.OUTLET:
        return name, att.outlet  # "An Israeli newspaper owned by Adelson": Adelson is no publication
    return found, document.span(start + match.start(), start + match.end())


def check(context: Context) -> Iterator[Hit]:
    for att in context.attributions:
        if att.resolved is not None or att.candidates or att.outlet is None:
            continue
        if att.cue_type in (CueType.VAGUE, CueType.WEASEL, CueType.BELIEF):
            continue
        if att.outlet == att.source and att.kind is not Kind.OUTLET:
            continue
        name = context.resolution.name(att)
        if att.outlet != att.source and classify(name) is not Kind.OUTLET:
            continue  # "told reporters", "told the committee": not a publication
        if name.lower().strip() in lexicon().outlet_anaphors:  # "the newspaper" names no outlet
            continue
        words = name.split()
        if len(words) == 1 and words[0].lower().strip(".,;:") in lexicon().outlet_heads:
            continue  # "Star", "Post" alone (a headline's capitals, a surname): a word, not a name
        publisher = context.resolution.publisher
        if publisher is not None and publisher.named(name):
            continue  # "told the Ledger" on the Harlow Bay Ledger's own site
        shown, span = _publication(context, att, name)
        if shown != name and context.registry.lookup_name(shown).all:
            continue  # "an email … obtained by The Huffington Post": the publication is known
        yield Hit(
            span,
            f"'{shown}' reads like a publication but is not in the source registry; "
            "check the name, or add the outlet to the newsroom's source list (--sources)",
            att.id,
        )
