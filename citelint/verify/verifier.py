"""Verification of prepared documents: fetch every distinct cited URL once, match each
attribution's quotes against its pages. All network I/O of a run happens here, before rules.

Memory is bounded by design, not by a cache that can evict: a page's text is read as soon as
the page arrives (in a parsing process while the fetching thread goes on, or in that thread),
every quote of the batch cited to that URL is matched there, and the body and text are
dropped; pages waiting to be read are bounded by their bytes. Only verdicts and quote results
(a few hundred bytes each) outlive a page. A quote met again in a later batch reuses its
result; a new quote for a page of an earlier batch is matched against the page's record (or
the page is read again from the cache).
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from citelint.model import Attribution
from citelint.registry import Registry
from citelint.verify.archive import lookup_url, snapshot
from citelint.verify.cachedir import usable_directory
from citelint.verify.keys import fetch_key
from citelint.verify.settings import FetchSettings, Progress
from citelint.verify.model import Page, QuoteMatch, QuoteResult, Verdict, Verification, unchecked
from citelint.verify.pagetext import READ_SECONDS
from citelint.verify.reading import Readers, match, read_page
from citelint.verify.records import PageRecord, PageRecords, Row

if TYPE_CHECKING:
    from citelint.verify.fetch import Fetcher

_RANK = {QuoteResult.EXACT: 4, QuoteResult.NORMALIZED: 3, QuoteResult.ALTERED: 2, QuoteResult.MISSING: 1,
         QuoteResult.UNCHECKED: 0}


class Verifier:
    """Checks attributions' URLs and quotes; reusable across batches of documents in one run,
    so a URL cited by many articles is fetched once."""

    def __init__(self, settings: FetchSettings, registry: Registry,
                 progress: Callable[[Progress], None] | None = None, archive_url: str | None = None) -> None:
        self.settings = settings
        self._progress = progress
        self._fetcher: Fetcher | None = None  # made when first needed (see fetcher)
        self.registry = registry
        self.archive_url = archive_url  # --archive: where dead pages' archived copies are looked up
        self._readers = Readers(min(READ_SECONDS, settings.timeout))  # reading a page's text: bounded like its fetch
        self._records: PageRecords | None = None  # a warm run fetches and parses nothing
        if settings.use_cache or settings.offline:
            # CacheError here, before any work, when the directory cannot be used
            self._records = PageRecords(usable_directory(settings.cache_dir), read_only=settings.offline)
        self.pages: dict[str, Page] = {}  # fetch key -> every URL's verdict for the run, without body
        self._unreadable: dict[str, str | None] = {}  # fetch key -> why its text cannot be read
        self._results: dict[str, dict[str, QuoteMatch]] = {}  # fetch key -> quote -> result
        self._lock = threading.Lock()
        self._responded = False  # has any cited host answered yet? (see _offline_guard)

    @property
    def fetcher(self) -> Fetcher:
        """The fetcher, made when first needed: a warm run whose pages all have fresh records
        never imports the HTTP stack (a fifth of its time)."""
        if self._fetcher is None:
            from citelint.verify.fetch import Fetcher

            self._fetcher = Fetcher(self.settings, self._progress)
        return self._fetcher

    @property
    def cache_problem(self) -> str | None:
        """A damaged HTTP cache that was moved aside or bypassed, once the fetcher has opened
        it, or page records that could not be written (for one warning each)."""
        if self._fetcher is not None and self._fetcher.cache_problem is not None:
            return self._fetcher.cache_problem
        return self._records.problem if self._records is not None else None

    def close(self) -> None:
        self._readers.close()
        if self._fetcher is not None:
            self._fetcher.close()
        if self._records is not None:
            self._records.close()

    def __enter__(self) -> Verifier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def verify(self, batches: Iterable[tuple[Attribution, ...]],
               dates: Sequence[str | None] = ()) -> list[dict[str, Verification]]:
        """For each document's attributions, the verification of each one that cites a URL.
        ``dates``, aligned with the batches, are the documents' publication dates ("YYYY-MM-DD"
        or None): a dead page's archived copy is asked for nearest the first citing one."""
        batches = list(batches)
        wanted: dict[str, set[str]] = {}  # fetch key -> quotes to match in that page
        cited_on: dict[str, str] = {}  # fetch key -> the date of the first dated article citing it
        for index, atts in enumerate(batches):
            date = dates[index] if index < len(dates) else None
            for att in atts:
                for url in att.urls:
                    key = fetch_key(url)
                    wanted.setdefault(key, set()).update(q.text for q in att.quotes)
                    if date and key not in cited_on:
                        cited_on[key] = date
        self.check_pages(wanted, cited_on)
        return [{a.id: self._verify(a) for a in atts if a.urls} for atts in batches]

    def check_pages(self, wanted: dict[str, set[str]], cited_on: dict[str, str] | None = None) -> None:
        """Fetch the pages (fetch keys) not yet known and match the quotes wanted in each:
        ``verify`` for a batch of documents, ``citelint audit`` for one group of hosts."""
        cited_on = cited_on or {}
        todo = [key for key, quotes in wanted.items() if key not in self.pages or self._again(key, quotes)]

        reads = self._readers.batch(len(todo), self._kept)  # None: pages are read in the fetching threads

        def digest(key: str, page: Page, into: str | None = None) -> Page:  # in the fetch worker
            target = into or key  # a snapshot's quotes are the dead page's
            quotes = wanted.get(target, set()) - self._results.get(target, {}).keys()
            keep = into is None and self._records is not None  # a snapshot stands for another URL: not kept
            if reads is not None and page.verdict is Verdict.ALIVE and page.body is not None:
                if reads.submit(key, target, page, quotes, keep):
                    return replace(page, body=None)  # read in a parsing process while this thread fetches on
            self._kept(key, target, *read_page(page, self._readers.seconds, quotes, keep))
            return replace(page, body=None)  # bodies can be megabytes: never kept past this point

        # Pages fetched alive within the cache's lifetime: their records stand in for the fetch
        # (no request, no response read, no parsing); only their quotes are matched.
        settings = self.settings
        known: set[str] = set()
        if self._records is not None:
            for key, record in self._records.fresh(todo, settings.cache_ttl, stale_ok=settings.offline):
                if self._from_record(key, record, wanted[key] - self._results.get(key, {}).keys()):
                    known.add(key)
        self._responded = self._responded or bool(known)
        # Each page fetched here is kept as a record (below, in digest): the HTTP cache need not
        # hold its body too, which costs a serialisation of every body on the cold run.
        remaining = [key for key in todo if key not in known]
        fetched = self.fetcher.fetch_all(remaining, digest, store=self._records is None or not self._records.usable) \
            if remaining else {}
        self._responded = self._responded or any(p.http_status is not None for p in fetched.values())
        for key, page in fetched.items():
            self.pages[key] = self._offline_guard(page)
        if self.archive_url is not None:
            self._archived([k for k in fetched if self.pages[k].verdict is Verdict.DEAD], digest, cited_on)
        if reads is not None:
            reads.wait()  # every page read and its quotes matched before anyone asks for results

    def known(self, key: str) -> tuple[Page, str | None, dict[str, QuoteMatch]] | None:
        """What this run found of a fetch key: its page (no body), why its text cannot be
        checked, and its quotes' results; None if it was never checked."""
        page = self.pages.get(key)
        if page is None:
            return None
        return page, self._unreadable.get(key), dict(self._results.get(key, {}))

    def learn(self, key: str, page: Page, unreadable: str | None, results: dict[str, QuoteMatch]) -> None:
        """Take a page's outcome found elsewhere (an audit's fetching task): ``verify`` then
        fetches nothing for it, and matches again only quotes it has no result for."""
        self.pages[key] = page
        self._unreadable[key] = unreadable
        self._results.setdefault(key, {}).update(results)

    def _from_record(self, key: str, record: PageRecord, quotes: set[str]) -> bool:
        """The page and quote results of a fresh record: results found before are taken as
        they are, a quote new to the page is matched against the recorded text (and its result
        kept). False when that text is gone: the page is fetched."""
        assert self._records is not None
        found = {q: record.results[q] for q in quotes if q in record.results}
        missing = quotes - found.keys()
        if missing and record.readable:
            text = self._records.text(key, record)
            if text is None:
                return False
            new = match(text, None, missing)[1]
            self._records.add_results(key, record, new)
            found.update(new)
        self.pages[key] = record.page(key)
        self._store(key, record.unreadable, found)
        return True

    def _kept(self, key: str, target: str, unreadable: str | None, found: dict[str, QuoteMatch],
              record: Row | None) -> None:
        """A page read: its record kept for the next run, its quotes' results for this one."""
        if record is not None and self._records is not None:
            self._records.put_encoded(key, record)
        self._store(target, unreadable, found)

    def _store(self, key: str, unreadable: str | None, found: dict[str, QuoteMatch]) -> None:
        with self._lock:
            self._unreadable[key] = unreadable
            self._results.setdefault(key, {}).update(found)

    def _archived(self, dead: list[str], digest: Callable[[str, Page, str], Page], cited_on: dict[str, str]) -> None:
        """Look up an archived copy of each dead page (nearest the date of the article citing
        it, when it has one); read the copies found as the pages."""
        assert self.archive_url is not None
        if not dead:
            return
        queries = {lookup_url(self.archive_url, key, cited_on.get(key)): key for key in dead}
        answers = self.fetcher.fetch_all(queries)
        copies = {fetch_key(snap): queries[q] for q, answer in answers.items() if (snap := snapshot(answer)) is not None}
        if not copies:
            return
        read = self.fetcher.fetch_all(copies, lambda key, page: digest(key, page, copies[key]))
        for copy, page in read.items():
            if page.verdict is Verdict.ALIVE:
                key = copies[copy]
                self.pages[key] = replace(self.pages[key], archived=copy)

    def _again(self, key: str, quotes: set[str]) -> bool:
        """Whether a page of an earlier batch must be read again: it was readable and some of
        these quotes were never matched against it."""
        page = self.pages[key]
        readable = page.verdict is Verdict.ALIVE and self._unreadable.get(key) is None
        return readable and not quotes <= self._results.get(key, {}).keys()

    def _offline_guard(self, page: Page) -> Page:
        """A machine without DNS would call every link dead. Until some cited host has
        answered in this run, an unresolvable name is "could not check", not "gone"."""
        if self._responded or page.verdict is not Verdict.DEAD or not page.reason.startswith("name does not resolve"):
            return page
        reason = f"{page.reason}; no cited host has resolved in this run, so this machine may be offline (--offline reads the cache)"
        return replace(page, verdict=Verdict.ERROR, reason=reason)

    def _verify(self, att: Attribution) -> Verification:
        primary = self._primary(att)
        page = replace(self.pages[fetch_key(primary)], url=primary)
        results = tuple(self._best(q.text, att.urls) for q in att.quotes)
        unread = self._unreadable.get(fetch_key(primary)) if page.verdict is Verdict.ALIVE else None
        if unread is not None and all(r.result is not QuoteResult.UNCHECKED for r in results):
            unread = None  # another cited page held the quotes
        return Verification(page, results, unreadable=unread if att.quotes else None)

    def _best(self, quote: str, urls: tuple[str, ...]) -> QuoteMatch:
        """The best result for ``quote`` over the attribution's pages (the first one's reason
        when none could be read)."""
        best: QuoteMatch | None = None
        for url in urls:
            key = fetch_key(url)
            found = self._results.get(key, {}).get(quote) or unchecked(quote, self._why(key))
            if best is None or (_RANK[found.result], found.score) > (_RANK[best.result], best.score):
                best = found
        assert best is not None
        return best

    def _why(self, key: str) -> str:
        """Why a page's quotes were not checked."""
        page = self.pages[key]
        if page.verdict is Verdict.DEAD:
            return f"the cited page is gone ({page.reason})"
        if page.verdict is not Verdict.ALIVE:
            return f"the cited page could not be fetched ({page.reason})"
        return self._unreadable.get(key) or "the page's text was not read"

    def _primary(self, att: Attribution) -> str:
        """The URL of the named outlet if one backs the attribution, else the first."""
        if att.resolved is not None:
            for url in att.urls:
                entry = self.registry.lookup_url(url)
                if entry is not None and entry.id == att.resolved.id:
                    return url
        return att.urls[0]
