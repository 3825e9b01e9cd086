"""The page cited for an attribution is gone.

**What it flags.** With `--verify`: the primary URL backing an attribution answers 404 or
410, its host does not exist, or it is a soft 404 (it redirects to the site's home page or
to a "not found" page).

**Why editors care.** A dead link breaks the promise that readers can check the source,
and often means the report was moved, corrected or retracted.

**Bad:** `[Reuters reported](https://www.reuters.com/world/old-address) that …` → 404

**Good:** link the report's current address, or an archived copy (web.archive.org) when the
original is gone.

With `--archive`, an archived copy is looked up (a Wayback-style availability endpoint,
`--archive-url`); the finding names it, and the quotes are checked against it.

Blocked pages (401, 403, 429, bot walls, timeouts) are not dead: see CL304.
Standard: SPJ Code of Ethics (readers must be able to check sources); link-checker practice (lychee, IABot soft-404 rules).
"""
from __future__ import annotations

from collections.abc import Iterator

from citelint.model import Severity
from citelint.rules.base import Context, Hit, url_span
from citelint.verify.model import Verdict

CODE = "CL301"
SLUG = "dead-link"
SEVERITY = Severity.ERROR


def check(context: Context) -> Iterator[Hit]:
    seen: set[str] = set()  # one finding per URL, however many attributions it backs
    for att in context.attributions:
        page = att.verification.page if att.verification else None
        if page is None or page.verdict is not Verdict.DEAD or page.url in seen:
            continue
        seen.add(page.url)
        advice = (f"an archived copy is at {page.archived} (its quotes were checked there): link it"
                  if page.archived else "link the report's current address or an archived copy")
        yield Hit(url_span(context, att, page.url), f"the cited page is gone ({page.reason}): {page.url}; {advice}", att.id)
