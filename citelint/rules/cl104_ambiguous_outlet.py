"""A source name fits several outlets and nothing in the article says which one.

**What it flags.** An attribution whose name matches more than one registry entry — "ABC"
is ABC News in the US, the Australian Broadcasting Corporation and the Spanish daily ABC —
when no link, sidecar entry, dateline or earlier full-name mention picks one.

**Why editors care.** Readers cannot tell which outlet is meant, and citelint cannot check
the link against the right domain.

**Bad:** `ABC reported that the minister resigned.`

**Good:** `The Australian Broadcasting Corporation reported that …` — or link the ABC report.
Standard: project rule (outlet-name collisions: ABC, The Times, The Post, The Guardian).
"""
from __future__ import annotations

from collections.abc import Iterator

from citelint.model import Severity
from citelint.rules.base import Context, Hit

CODE = "CL104"
SLUG = "ambiguous-outlet"
SEVERITY = Severity.WARNING


def check(context: Context) -> Iterator[Hit]:
    for att in context.attributions:
        if att.resolved is not None or len(att.candidates) < 2 or att.outlet is None:
            continue
        entries = [context.registry.entries[c] for c in att.candidates if c in context.registry.entries]
        names = [f"{e.name} ({e.country})" if e.country else e.name for e in entries]
        listed = ", ".join(names[:-1]) + f" or {names[-1]}"
        yield Hit(
            att.outlet,
            f"'{context.resolution.name(att)}' could be {listed}; name the outlet in full or link its report",
            att.id,
        )
