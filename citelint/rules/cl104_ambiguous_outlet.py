"""A source name fits several outlets and nothing in the article says which one.

**What it flags.** An attribution whose name matches more than one registry entry — "ABC"
is ABC News in the US, the Australian Broadcasting Corporation and the Spanish daily ABC —
when no link, sidecar entry, dateline or earlier full-name mention picks one.

When the same mention is also uncredited, CL101 reports it once, naming the candidates,
and this rule does not repeat it.

**Why editors care.** Readers cannot tell which outlet is meant, and citelint cannot check
the link against the right domain.

**Bad:** `ABC reported that the minister resigned.`

**Good:** `The Australian Broadcasting Corporation reported that …` — or link the ABC report.
Standard: project rule (outlet-name collisions: ABC, The Times, The Post, The Guardian).
"""
from __future__ import annotations

from collections.abc import Iterator

from citelint.model import Severity
from citelint.rules.base import Context, Hit, ambiguity

CODE = "CL104"
SLUG = "ambiguous-outlet"
SEVERITY = Severity.WARNING


def check(context: Context) -> Iterator[Hit]:
    for att in context.attributions:
        if att.resolved is not None or att.outlet is None:
            continue
        outlets = context.news_outlets(att)
        if len(outlets) < 2:
            continue  # "CDC" could be two agencies: not a question of which outlet reported it
        yield Hit(
            att.outlet,
            f"'{context.resolution.name(att)}' could be {ambiguity(outlets)}; name the outlet in full or link its report",
            att.id,
        )
