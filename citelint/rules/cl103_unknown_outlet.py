"""A source that reads like a publication is not in the source registry.

**What it flags.** Credit lines ("Source: Left2"), wire credits ("(Zeitblatt) —") and
sources described as publications ("the Ruritanian daily Zeitblatt reported", "according to
the Valley Herald") whose name matches no registry entry.

**Why editors care.** citelint can only check that a link goes to the named outlet when it
knows the outlet. An unknown name may be a typo, an obscure site, or a source the standards
desk has not assessed.

**Bad:** `Source: Left2`

**Good:** `Source: Reuters` — or add the outlet to the newsroom's list with `--sources newsroom.toml`.
Standard: project rule; the registry is non-exhaustive, so unknown names go to a reviewer.
"""
from __future__ import annotations

from collections.abc import Iterator

from citelint.extract.lexicon import lexicon
from citelint.extract.phrases import classify
from citelint.model import CueType, Kind, Severity
from citelint.rules.base import Context, Hit

CODE = "CL103"
SLUG = "unknown-outlet"
SEVERITY = Severity.WARNING
_ANAPHORS = ("the newspaper", "the paper", "the daily", "the agency", "the outlet", "the broadcaster", "the network", "the site", "the website", "the magazine")


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
        if name.lower().strip() in _ANAPHORS:
            continue
        words = name.split()
        if len(words) == 1 and words[0].lower().strip(".,;:") in lexicon().outlet_heads:
            continue  # "Star", "Post" alone (a headline's capitals, a surname): a word, not a name
        publisher = context.resolution.publisher
        if publisher is not None and publisher.named(name):
            continue  # "told the Ledger" on the Harlow Bay Ledger's own site
        yield Hit(
            att.outlet,
            f"'{name}' reads like a publication but is not in the source registry; "
            "check the name, or add the outlet to the newsroom's source list (--sources)",
            att.id,
        )
