"""The outlet an attribution relies on is marked unreliable or deprecated in the registry.

**What it flags.** Attributions resolved to a registry entry whose status is `unreliable`
or `deprecated` (state propaganda outlets such as RT and Sputnik; outlets with a documented
record of fabrication).

**Why editors care.** Relaying such an outlet's claims lends them credibility. Use a
reliable source for the fact, or say plainly what the outlet is and why it is quoted.

**Bad:** `RT reported that the protests were staged.`

**Good:** `Russian state broadcaster RT, which the EU has banned, claimed without evidence that …`
— or cite a reliable outlet. A mere mention ("a link to RT") is not flagged.

The status is advice from the registry (see its sources), not a verdict.
Standard: Wikipedia's perennial sources consensus (WP:RSP) as advice, not a verdict.
"""
from __future__ import annotations

from collections.abc import Iterator

from citelint.model import CueType, Severity
from citelint.rules.base import Context, Hit

CODE = "CL105"
SLUG = "unreliable-source"
SEVERITY = Severity.WARNING


def check(context: Context) -> Iterator[Hit]:
    for att in context.attributions:
        entry = context.entry(att)
        if entry is None or entry.status not in ("unreliable", "deprecated") or att.outlet is None:
            continue
        if att.cue_type in (CueType.VAGUE, CueType.WEASEL):
            continue
        yield Hit(
            att.outlet,
            f"{entry.name} is marked {entry.status} in the source registry; "
            "confirm the claim with a reliable source, or tell readers what this outlet is",
            att.id,
        )
