"""The link backing an attribution goes to a different site than the outlet it names.

**What it flags.** An attribution resolved to a registry outlet whose backing links (in the
same sentence, or the sidecar entry for that outlet) all go to domains that are not the
outlet's own.

**Why editors care.** "Reuters reported" linked to an aggregator, a rewrite or the wrong
outlet sends readers to a copy they cannot trust, and hides whether the original exists.

**Bad:** `[Reuters reported](https://news-digest.example/reuters-story) that …`

**Good:** `[Reuters reported](https://www.reuters.com/world/…) that …`

Subdomains count as the outlet's own (edition.cnn.com is CNN). With `--verify` the link is
judged by the page it finally lands on after redirects.
Standard: SPJ Code of Ethics ("Always attribute"; link to original sources).
"""
from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from citelint.model import Severity
from citelint.rules.base import Context, Hit, possessive

CODE = "CL102"
SLUG = "link-mismatch"
SEVERITY = Severity.ERROR


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or url).removeprefix("www.")
    except ValueError:
        return url


def check(context: Context) -> Iterator[Hit]:
    registry = context.registry
    for att in context.attributions:
        entry = context.entry(att)
        if entry is None or not att.urls or att.outlet is None or not entry.domains:
            continue
        if not context.news_outlets(att):
            continue  # a government's or organisation's statement may be linked anywhere
        page = att.verification.page if att.verification else None
        # With --verify, a link is judged by where it lands (a shortener to reuters.com is Reuters's).
        landed = {page.url: page.final_url} if page is not None and page.final_url else {}
        effective = [landed.get(url, url) for url in att.urls]
        if any(registry.lookup_url(url) == entry for url in effective):  # ==, not is: with --jobs the entry was resolved in a worker
            continue
        foreign = effective[0]
        sidecar = context.resolution.sidecar_mismatch.get(att.id)
        origin = f" (from the sidecar, line {sidecar.span.line})" if sidecar else ""
        yield Hit(
            att.outlet,
            f"the link backing {entry.name} goes to {_host(foreign)}{origin}, not to {entry.domains[0]}; "
            f"link {possessive(entry.name)} own report",
            att.id,
        )
