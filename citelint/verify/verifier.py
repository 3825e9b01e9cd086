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
from citelint.verify.reading import Readers, Reads, match, read_page
from citelint.verify.records import PageRecord, PageRecords, Row

if TYPE_CHECKING:
    from citelint.verify.fetch import Fetcher
    from citelint.verify.schedule import FetchRun

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
        dates = list(dates)
        return self.verify_documents((atts, dates[i] if i < len(dates) else None) for i, atts in enumerate(batches))

    def verify_documents(self, documents: Iterable[tuple[tuple[Attribution, ...], str | None]]) -> list[dict[str, Verification]]:
        """As ``verify``, for (attributions, date) pairs that may still be in the making (a
        generator that prepares each document): each document's pages are on their way as soon
        as it comes, while the later ones are prepared.

        A quote that comes after its page was read (a later document citing the same page) is
        matched against the page's record once the pages are in. Without records that would
        cost a second fetch, so then the documents are all taken first.
        """
        if self._records is None or not self._records.usable:
            documents = list(documents)
        wanted: dict[str, set[str]] = {}  # fetch key -> quotes to match in that page
        cited_on: dict[str, str] = {}  # fetch key -> the date of the first dated article citing it
        taken: list[tuple[Attribution, ...]] = []
        fetching = _Pass(self, wanted, cited_on)
        try:
            for atts, date in documents:
                keys = []
                for att in atts:
                    quotes = [q.text for q in att.quotes]
                    for url in att.urls:
                        key = fetch_key(url)
                        with self._lock:  # the fetching threads read it
                            wanted.setdefault(key, set()).update(quotes)
                        if date and key not in cited_on:
                            cited_on[key] = date
                        keys.append(key)
                taken.append(atts)
                fetching.add(keys)
            fetching.finish()
        finally:
            fetching.abandon()
        self.check_pages(wanted, cited_on)  # the quotes that came after their page was read
        return [{a.id: self._verify(a) for a in atts if a.urls} for atts in taken]

    def check_pages(self, wanted: dict[str, set[str]], cited_on: dict[str, str] | None = None) -> None:
        """Fetch the pages (fetch keys) not yet known and match the quotes wanted in each:
        for ``citelint audit``'s group of hosts, and pages to read again."""
        fetching = _Pass(self, wanted, cited_on or {})
        try:
            fetching.add(wanted)
            fetching.finish()
        finally:
            fetching.abandon()

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


class _Pass:
    """One pass of a verifier over pages: keys ``add``-ed while it goes are looked up in the
    page records or fetched, each page read as it arrives (in a parsing process, once the pass
    has PARSE_POOL_PAGES pages to fetch, or in its fetching thread) with the quotes ``wanted``
    of it at that moment; ``finish`` waits for them all."""

    def __init__(self, verifier: Verifier, wanted: dict[str, set[str]], cited_on: dict[str, str]) -> None:
        self.verifier = verifier
        self.wanted = wanted
        self.cited_on = cited_on
        self._seen: set[str] = set()  # keys taken by this pass
        self._fetching: FetchRun | None = None
        self._count = 0  # keys to fetch
        self._reads: Reads | None = None  # the parsing processes, when this pass has many pages

    def add(self, keys: Iterable[str]) -> None:
        """Check these pages too: those not known yet, and those known whose text some quote
        wanted was never matched against."""
        v = self.verifier
        todo = [k for k in dict.fromkeys(keys) if k not in self._seen and (k not in v.pages or v._again(k, self.wanted[k]))]
        if not todo:
            return
        self._seen.update(todo)
        # Pages fetched alive within the cache's lifetime: their records stand in for the fetch
        # (no request, no response read, no parsing); only their quotes are matched.
        known: set[str] = set()
        if v._records is not None:
            settings = v.settings
            for key, record in v._records.fresh(todo, settings.cache_ttl, stale_ok=settings.offline):
                if v._from_record(key, record, self.wanted[key] - v._results.get(key, {}).keys()):
                    known.add(key)
        v._responded = v._responded or bool(known)
        remaining = [key for key in todo if key not in known]
        if not remaining:
            return
        self._count += len(remaining)
        if self._reads is None:
            self._reads = v._readers.batch(self._count, v._kept)  # None: pages are read in the fetching threads
        if self._fetching is None:
            # Each page fetched here is kept as a record (in _digest): the HTTP cache need not
            # hold its body too, which costs a serialisation of every body on the cold run.
            self._fetching = v.fetcher.fetching(self._digest, store=v._records is None or not v._records.usable)
        self._fetching.add(remaining)

    def finish(self) -> None:
        """Every page added fetched and read, dead ones' archived copies looked up (--archive)."""
        v = self.verifier
        fetched = self._fetching.finish() if self._fetching is not None else {}
        v._responded = v._responded or any(p.http_status is not None for p in fetched.values())
        for key, page in fetched.items():
            v.pages[key] = v._offline_guard(page)
        if v.archive_url is not None:
            v._archived([k for k in fetched if v.pages[k].verdict is Verdict.DEAD], self._digest, self.cited_on)
        if self._reads is not None:
            self._reads.wait()  # every page read and its quotes matched before anyone asks for results

    def abandon(self) -> None:
        """After ``finish``, nothing; before it (the batch given up), stop fetching."""
        if self._fetching is not None:
            self._fetching.abandon()

    def _digest(self, key: str, page: Page, into: str | None = None) -> Page:
        """In the fetching thread: read the page with the quotes wanted of it now, drop its body."""
        v = self.verifier
        target = into or key  # a snapshot's quotes are the dead page's
        with v._lock:
            quotes = self.wanted.get(target, set()) - v._results.get(target, {}).keys()
        keep = into is None and v._records is not None  # a snapshot stands for another URL: not kept
        reads = self._reads
        if reads is not None and page.verdict is Verdict.ALIVE and page.body is not None:
            if reads.submit(key, target, page, quotes, keep):
                return replace(page, body=None)  # read in a parsing process while this thread fetches on
        v._kept(key, target, *read_page(page, v._readers.seconds, quotes, keep))
        return replace(page, body=None)  # bodies can be megabytes: never kept past this point
