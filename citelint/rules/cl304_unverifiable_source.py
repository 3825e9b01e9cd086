"""The page cited for an attribution could not be checked.

**What it flags.** With `--verify`: the primary URL was blocked (401, 403, 451, 429 after
retries, a bot wall, a timeout), failed (a server error, a redirect loop, a page over the size
limit, cut short by the deadline), was refused by the address policy, was not in the cache in
`--offline` mode, was not fetched before the run's `--verify-budget` ran out, or holds no
text to check the attribution's quotes against (a PDF or an image, a page built by scripts, a
consent wall, an empty body, markup too large to read).

**Why editors care.** Nothing is known to be wrong, but nothing was checked either: someone
has to open the source by hand before publication.

**Bad:** a quote attributed to a paywalled page that answers 403.

**Good:** check it by hand, or add a readable copy (an archive link, the sidecar) to the
source list.
Standard: project rule (blocked is not dead: the source needs a human check).
"""
from __future__ import annotations

from collections.abc import Iterator

from citelint.model import Severity
from citelint.rules.base import Context, Hit, url_span
from citelint.verify.model import Verdict

CODE = "CL304"
SLUG = "unverifiable-source"
SEVERITY = Severity.INFO


def check(context: Context) -> Iterator[Hit]:
    seen: set[str] = set()  # one finding per URL, however many attributions it backs
    for att in context.attributions:
        verification = att.verification
        if verification is None:
            continue
        page = verification.page
        if page.verdict in (Verdict.BLOCKED, Verdict.ERROR):
            reason = page.reason
        elif verification.unreadable is not None:
            reason = verification.unreadable
        else:
            continue
        if page.url in seen:
            continue
        seen.add(page.url)
        yield Hit(url_span(context, att, page.url), f"{page.url} could not be checked ({reason}); check the source by hand", att.id)
