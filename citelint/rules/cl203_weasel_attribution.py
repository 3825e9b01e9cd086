"""A claim is put in the mouths of unnamed groups ("critics say", "experts believe").

**What it flags.** "critics say", "experts believe", "some say", "many believe", "it is
widely believed", "studies show" and similar phrases when neither the same sentence nor
the next one names who they are.

**Why editors care.** Such phrases dress a claim with authority while denying readers the
source. Name the critics or the study, or state the claim on the newsroom's own authority.

**Bad:** `Critics say the policy will raise prices.`

**Good:** `Critics, including the consumer group Which?, say the policy will raise prices.`

Standard: Wikipedia MOS:WEASEL; Ganter & Strube (2009) on weasel words.
"""
from __future__ import annotations

from collections.abc import Iterator

from citelint.model import CueType, Severity
from citelint.rules.base import Context, Hit

CODE = "CL203"
SLUG = "weasel-attribution"
SEVERITY = Severity.INFO


def check(context: Context) -> Iterator[Hit]:
    for att in context.attributions:
        if att.cue_type is not CueType.WEASEL or att.named_nearby or att.cue is None:
            continue
        cue = context.visible(att.cue)
        phrase = f"{context.visible(att.source)} {cue}" if att.source else cue
        span = context.document.original_span(att.source.start, att.cue.end) if att.source else att.cue
        yield Hit(span, f"'{phrase}' attributes the claim to unnamed people; say who, or cut the attribution", att.id)
