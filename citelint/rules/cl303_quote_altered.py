"""A quote differs from the words of the page cited for it.

**What it flags.** With `--verify`: a direct quote with a near match in the cited page whose
words differ — a dropped, added or swapped word — beyond what quotation conventions allow
(an ellipsis marks omitted words, [brackets] mark substitutions). The message shows the
source's words and a word diff.

**Why editors care.** Quotation marks promise the speaker's exact words. Silent edits are
corrections waiting to happen.

**Bad:** `had “held talks in London”` when the source says "held secret talks in London".

**Good:** `had “held secret talks in London”`, or `had “held … talks in London”`.
Standard: AP Stylebook on quotations; ellipses and brackets are the only marked changes.
"""
from __future__ import annotations

from collections.abc import Iterator

from citelint.model import Severity
from citelint.rules.base import Context, Hit, host_of
from citelint.verify.model import QuoteResult

CODE = "CL303"
SLUG = "quote-altered"
SEVERITY = Severity.ERROR
_EXCERPT = 160


def check(context: Context) -> Iterator[Hit]:
    seen: set[tuple[int, int]] = set()  # one finding per quote, however many attributions share it
    for att in context.attributions:
        if att.verification is None:
            continue
        page = att.verification.page
        for span, result in zip(att.quotes, att.verification.quotes):
            if result.result is not QuoteResult.ALTERED or (span.start, span.end) in seen:
                continue
            seen.add((span.start, span.end))
            excerpt = (result.source_excerpt or "").strip()
            if len(excerpt) > _EXCERPT:
                excerpt = excerpt[: _EXCERPT - 1].rstrip() + "…"
            # The diff reads as the edit made to the source's words: [-dropped-] {+added+}.
            diff = f": {result.diff} ([-dropped-] {{+added+}})" if result.diff else ""
            yield Hit(
                span,
                f"the quote changes the source's words{diff}; {host_of(page.final_url or page.url)} says “{excerpt}”",
                att.id,
            )
