"""Verification of prepared documents: fetch every distinct cited URL once, read the pages,
match each attribution's quotes. All network I/O of a run happens here, before rules."""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from collections.abc import Callable, Iterable

from citelint.model import Attribution
from citelint.registry import Registry
from citelint.verify.fetch import Fetcher, FetchSettings, Progress
from citelint.verify.model import Page, QuoteMatch, QuoteResult, Verdict, Verification
from citelint.verify.pagetext import PageText, page_text
from citelint.verify.quotes import match_quote

_READABLE = ("text/html", "application/xhtml+xml", "text/plain")
_RANK = {QuoteResult.EXACT: 3, QuoteResult.NORMALIZED: 2, QuoteResult.ALTERED: 1, QuoteResult.MISSING: 0}


class Verifier:
    """Checks attributions' URLs and quotes; reusable across batches of documents in one run,
    so a URL cited by many articles is fetched once."""

    def __init__(self, settings: FetchSettings, registry: Registry,
                 progress: Callable[[Progress], None] | None = None, keep_pages: int = 64) -> None:
        self.fetcher = Fetcher(settings, progress)
        self.registry = registry
        self.pages: dict[str, Page] = {}  # every URL of the run, without bodies
        self._texts: OrderedDict[str, PageText | None] = OrderedDict()  # recent page texts only
        self._keep = keep_pages
        self._responded = False  # has any cited host answered yet? (see _offline_guard)

    def close(self) -> None:
        self.fetcher.close()

    def __enter__(self) -> Verifier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def verify(self, batches: Iterable[tuple[Attribution, ...]]) -> list[dict[str, Verification]]:
        """For each document's attributions, the verification of each one that cites a URL."""
        batches = list(batches)
        wanted = [u for atts in batches for a in atts for u in a.urls if u not in self.pages]
        fetched = self.fetcher.fetch_all(dict.fromkeys(wanted))
        self._responded = self._responded or any(p.http_status is not None for p in fetched.values())
        for url, page in fetched.items():
            self._remember(url, self._offline_guard(page))
        return [{a.id: self._verify(a) for a in atts if a.urls} for atts in batches]

    def _offline_guard(self, page: Page) -> Page:
        """A machine without DNS would call every link dead. Until some cited host has
        answered in this run, an unresolvable name is "could not check", not "gone"."""
        if self._responded or page.verdict is not Verdict.DEAD or not page.reason.startswith("name does not resolve"):
            return page
        reason = f"{page.reason}; no cited host has resolved in this run, so this machine may be offline (--offline reads the cache)"
        return replace(page, verdict=Verdict.ERROR, reason=reason)

    def _remember(self, url: str, page: Page) -> None:
        text: PageText | None = None
        if page.verdict is Verdict.ALIVE and page.body is not None and (page.content_type or "text/html") in _READABLE:
            text = page_text(page.body, page.content_type, page.charset)
        self._texts[url] = text
        self._texts.move_to_end(url)
        while len(self._texts) > self._keep:
            self._texts.popitem(last=False)
        # Bodies can be megabytes: keep the verdict for the rest of the run, not the page.
        self.pages[url] = Page(page.url, page.verdict, page.reason, page.final_url, page.http_status,
                               page.content_type, page.charset, None, page.from_cache, page.refused)

    def _text(self, url: str) -> PageText | None:
        if url not in self._texts:
            return None  # evicted; only happens for a URL first seen many batches ago
        return self._texts[url]

    def _verify(self, att: Attribution) -> Verification:
        primary = self._primary(att)
        page = self.pages[primary]
        texts = [t for t in (self._text(u) for u in att.urls) if t is not None]
        alive_unreadable = page.verdict is Verdict.ALIVE and self._text(primary) is None
        if not att.quotes or not texts:
            return Verification(page, (), not_html=alive_unreadable)
        results = tuple(self._best(q.text, texts) for q in att.quotes)
        return Verification(page, results, not_html=alive_unreadable)

    def _primary(self, att: Attribution) -> str:
        """The URL of the named outlet if one backs the attribution, else the first."""
        if att.resolved is not None:
            for url in att.urls:
                entry = self.registry.lookup_url(url)
                if entry is not None and entry.id == att.resolved.id:
                    return url
        return att.urls[0]

    @staticmethod
    def _best(quote: str, texts: list[PageText]) -> QuoteMatch:
        results = [match_quote(quote, text) for text in texts]
        return max(results, key=lambda r: (_RANK[r.result], r.score))
