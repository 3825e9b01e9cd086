"""Quoted words do not appear in the page cited for them.

**What it flags.** With `--verify`: a direct quote in an attribution that appears nowhere in
the cited page's text (nor its JSON-LD article body), not even approximately, after allowing
for curly quotes, dashes, case, invisible characters, ellipses (fragments in order) and
[bracketed] substitutions.

**Why editors care.** A quote the source does not contain is either misattributed, taken from
another report, or invented. It is the most serious sourcing error a linter can catch.

**Bad:** `The Guardian reported that diplomats had “agreed to a ceasefire”` when the Guardian
page says nothing of the kind.

**Good:** quote the source's exact words, or link the report that contains them.

Very short quotes (under three words) are weak evidence and are not flagged.
Standard: AP Stylebook on quotations (never alter quotations, even to correct minor grammatical errors).
"""
from __future__ import annotations

from collections.abc import Iterator

from citelint.model import Severity
from citelint.rules.base import Context, Hit, another_report, host_of
from citelint.verify.model import QuoteResult

CODE = "CL302"
SLUG = "quote-not-found"
SEVERITY = Severity.ERROR


def check(context: Context) -> Iterator[Hit]:
    seen: set[tuple[int, int]] = set()  # one finding per quote, however many attributions share it
    for att in context.attributions:
        if att.verification is None or another_report(att):
            continue  # an unlinked mention citing another report than the one linked before: CL101
        page = att.verification.page
        for span, result in zip(att.quotes, att.verification.quotes):
            if result.result is not QuoteResult.MISSING or result.weak or (span.start, span.end) in seen:
                continue
            seen.add((span.start, span.end))
            yield Hit(
                span,
                f"these quoted words are not in the cited page ({host_of(page.final_url or page.url)}); "
                "check the quote against the source or link the report that contains it",
                att.id,
            )
