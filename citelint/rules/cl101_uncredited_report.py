"""An outlet's reporting is cited but no link to that outlet's report backs it.

**What it flags.** An attribution to a news outlet ("the Associated Press reported that …",
"according to Reuters", "told the BBC", a credit line) with no URL of that outlet in the
same sentence, in the same paragraph, in an earlier linked mention of the same report, or in
the article's `NAME.sources.toml`. With `--verify`, an unlinked mention taken for the report
linked just before is flagged too when its quoted words are nowhere in that report: it cites
another one. Statements of governments, agencies and organisations
("the White House said") are not reporting and are not flagged; nor is an outlet in its own
article ("told the BBC" in a BBC story). A name that fits several outlets gets one finding
here that lists them (not a second CL104).

**Why editors care.** Facts picked up from another outlet must be credited, and readers
(and citelint) can only check the credit when the original report is linked. Plain-text
drafts carry their links in the sidecar.

**Bad:** `The Associated Press reported that the talks collapsed.`

**Good:** `[The Associated Press reported](https://apnews.com/article/…) that the talks collapsed.`

A wire dateline ("WASHINGTON (AP) —") is not flagged: the story is the wire's own, and so is
what its reporters were told ("told the AP" under that dateline); another outlet's report in
it still is.
Standard: AP credit and attribution guidance; SPJ Code of Ethics ("Always attribute").
"""
from __future__ import annotations

from collections.abc import Iterator

from citelint.model import CueType, Severity
from citelint.rules.base import Context, Hit, ambiguity, another_report, host_of, outlet_name, possessive

CODE = "CL101"
SLUG = "uncredited-report"
SEVERITY = Severity.ERROR
_CITING = (CueType.SPEECH, CueType.PUBLICATION, CueType.CREDIT)


def check(context: Context) -> Iterator[Hit]:
    sidecar = context.document.sidecar
    where = f"or list it in {sidecar.path.rsplit('/', 1)[-1]}" if sidecar else "or add it to a NAME.sources.toml sidecar"
    for att in context.attributions:
        other = another_report(att)
        if att.cue_type not in _CITING or att.outlet is None or att.urls and not other:
            continue
        outlets = context.news_outlets(att)
        if not outlets:
            continue  # unknown (CL103's business), or a government, agency or organisation
        entry = context.entry(att)
        if context.resolution.is_publisher(entry):
            continue  # "Mr Obama told the BBC" in the BBC's own story
        if entry is None and len(outlets) > 1:
            # One finding for an ambiguous, unlinked name (CL104 is not repeated on it).
            yield Hit(
                att.outlet,
                f"'{context.resolution.name(att)}' could be {ambiguity(outlets)}, and no link backs its reporting; "
                f"name the outlet in full and link the original report {where}",
                att.id,
            )
            continue
        domain = f" ({entry.domains[0]})" if entry and entry.domains else ""
        if other:
            yield Hit(
                att.outlet,
                f"{possessive(outlet_name(context, att))} reporting is cited but no link backs it, and the quoted words are not in "
                f"its report linked before ({host_of(att.urls[0])}); link the report they come from{domain} {where}, "
                "or check the quote against that one",
                att.id,
            )
            continue
        yield Hit(
            att.outlet,
            f"{possessive(outlet_name(context, att))} reporting is cited but no link backs it; link the original report{domain} {where}",
            att.id,
        )
