"""Fetch cited URLs politely and safely: one Page per distinct URL.

How it holds together:

- **Scheduling** (``schedule.py``). A URL goes to the thread pool only while its host has
  fewer than ``per_host`` URLs in flight, hosts taken in turn, so the workers waiting on one
  host never starve the others; URLs may be added while the run goes. Each request (every
  retry and redirect hop) also passes a per-host gate: a semaphore of ``per_host`` and a
  minimum interval between starts.
- **One session** for all threads (a pool of ``max_concurrency`` connections per host). It
  never stores or sends cookies, sends no credentials (``trust_env = False``: no ``.netrc``;
  it also ignores proxy variables such as ``HTTPS_PROXY`` and ``REQUESTS_CA_BUNDLE``, so
  citelint always connects directly to the address it has vetted), and says who it is.
- **Redirects by hand**, each hop checked by the address policy (``addresses.py``).
- **Deadline.** Connect and read timeouts are clipped to what is left of the URL's total
  deadline, and a watchdog thread shuts down the socket of any request still running at
  its deadline: a server trickling one byte a second (in the headers or the body) cannot
  hold a worker, because a blocking read only ends when data stops coming.
- **Caps.** Bodies are streamed raw and decoded with ``max_length`` (``decode.py``), so a
  gzip bomb is stopped at ``max_decompressed`` bytes, not in memory.

Beside it: ``schedule.py`` (the run of fetching), ``gates.py`` (per-host gates, the deadline
watchdog), ``urls.py`` (which URLs may be requested), ``decode.py`` (bodies within the caps),
``failures.py`` (failed requests as reasons), ``judge.py`` (the verdict on a response),
``settings.py``.
"""
from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from http.cookiejar import Cookie, DefaultCookiePolicy
from types import TracebackType
from typing import Self
from urllib.request import Request as CookieRequest

import requests
import urllib3.exceptions

from citelint.verify.addresses import AddressPolicy, GuardedAdapter, HostCheck
from citelint.verify.cache import CacheUnusable, PageCache
from citelint.verify.decode import content_type, read_body
from citelint.verify.failures import Failure, Reply, failed_page, from_exception, timed_out
from citelint.verify.gates import HostGates, Watchdog
from citelint.verify.judge import BOT_WALL_REASON, KEEP_BODY, SNIFF, bot_wall, judge, retry_after, status_line
from citelint.verify.model import Page, Verdict
from citelint.verify.schedule import FetchRun
from citelint.verify.settings import FetchSettings, Progress
from citelint.verify.urls import check_url, fetch_key, fix_latin1, host_of

__all__ = ["Digest", "FetchSettings", "Fetcher", "Progress", "fetch_key"]
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
Digest = Callable[[str, Page], Page]


class Fetcher:
    """Fetches many URLs at once; use as a context manager or call close()."""

    def __init__(self, settings: FetchSettings, progress: Callable[[Progress], None] | None = None) -> None:
        self.settings = settings
        self._progress = progress
        self._policy = AddressPolicy(settings.allow_hosts)
        self._vetted: dict[str, HostCheck] = {}
        self._gates = HostGates(settings.per_host, settings.min_interval)
        self._watchdog = Watchdog()
        self._budget_end: float | None = None
        caching = settings.use_cache or settings.offline
        # The network goes through a plain session; the cache is read and filled explicitly.
        self._cache: PageCache | None = None
        self.cache_problem: str | None = None  # a damaged cache moved aside or bypassed: warn once
        if caching:
            try:
                self._cache = PageCache(settings.cache_dir, settings.cache_ttl, settings.offline)
                self.cache_problem = self._cache.problem
            except CacheUnusable as exc:
                self.cache_problem = str(exc)
        self._session = requests.Session()
        self._adapter = GuardedAdapter(self._policy, settings.max_concurrency, self._watchdog.observe)
        for session in (self._session, self._cache.session if self._cache else None):
            if session is not None:  # same headers in both, so a cached response's Vary matches
                _configure(session, settings, self._adapter)

    @property
    def caching(self) -> bool:
        """Whether pages are read from and stored in the cache this run."""
        return self._cache is not None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()
        if self._cache is not None:
            self._cache.close()
            self.cache_problem = self._cache.problem or self.cache_problem  # the writes given up, if they were
        self._watchdog.close()

    def fetch_all(self, urls: Iterable[str], digest: Digest | None = None, store: bool = True) -> dict[str, Page]:
        """Fetch every distinct URL once (fragments ignored); results keyed by the URL as given.

        ``digest(key, page)``, when given, runs in the worker as soon as a page is fetched and
        its return value is kept instead: read the body there, and drop it. ``store=False``:
        the responses are not written to the page cache (it is still read), for a caller that
        keeps what it needs of each page itself (the verifier's page records).
        """
        run = self.fetching(digest, store)
        try:
            run.add(urls)
            return run.finish()
        finally:
            run.abandon()  # after finish(): nothing left to stop

    def fetching(self, digest: Digest | None = None, store: bool = True) -> FetchRun:
        """A run of fetching that takes URLs while it goes (``add``, then ``finish``); as
        ``fetch_all`` for the rest. The run's budget (``--verify-budget``) starts with the first."""
        if self.settings.budget is not None and self._budget_end is None:
            self._budget_end = time.monotonic() + self.settings.budget  # the run's fetching starts now
        started = time.monotonic()
        return FetchRun(lambda key: self._fetch(key, store), digest, self.settings.max_concurrency,
                        self.settings.per_host, lambda done, total, host: self._report(done, total, host, started))

    def _report(self, done: int, total: int, host: str, started: float) -> None:
        if self._progress is not None:
            self._progress(Progress(done, total, host, time.monotonic() - started))

    def _fetch(self, key: str, store: bool = True) -> Page:
        """One URL within the run's budget: not started once it is spent, cut when it runs out."""
        end = self._budget_end
        if end is None or time.monotonic() < end:
            page = self._follow(key, end, store)
            if end is None or page.verdict is not Verdict.BLOCKED or not page.reason.startswith("timed out"):
                return page
            if time.monotonic() < end:
                return page
        return failed_page(key, Failure(Verdict.ERROR, f"not checked: run budget spent (--verify-budget {self.settings.budget:g} s)"))

    def _follow(self, key: str, budget_end: float | None, store: bool = True) -> Page:
        """Follow one URL's redirects by hand, each hop vetted, all within one deadline."""
        target = check_url(key)
        if isinstance(target, Failure):
            return failed_page(key, target)
        deadline = time.monotonic() + self.settings.timeout
        if budget_end is not None:
            deadline = min(deadline, budget_end)
        hops: list[Reply] = []
        current = target
        visited = {target}
        while True:
            got = self._get(current, deadline)
            if isinstance(got, Failure):
                return failed_page(key, got, final_url=current if hops else None)
            location = got.response.headers.get("Location", "").strip()
            if got.response.status_code not in _REDIRECTS or not location:
                break
            if len(hops) >= self.settings.max_redirects:
                return failed_page(key, Failure(Verdict.ERROR, f"more than {self.settings.max_redirects} redirects"), current)
            nxt = check_url(fix_latin1(location), base=current)
            if isinstance(nxt, Failure):
                return failed_page(key, nxt, final_url=current)
            if nxt in visited:
                return failed_page(key, Failure(Verdict.ERROR, f"redirect loop (back to {nxt})"), current)
            hops.append(got)
            visited.add(nxt)
            current = nxt
        page = judge(key, current, got, hops)
        if self._cache is not None and store and page.verdict is Verdict.ALIVE:
            self._cache.store([(r.response, r.body or b"") for r in [*hops, got] if not r.from_cache])
        return page

    def _get(self, url: str, deadline: float) -> Reply | Failure:
        """One hop: from the cache, or vetted and requested with retries."""
        if self._cache is not None:
            hit = self._cache.lookup(url)
            if hit is not None:
                return Reply(hit, hit.content, from_cache=True)
            if self.settings.offline:
                return Failure(Verdict.ERROR, "not in the cache (--offline)")
        host = host_of(url)
        check = self._vet(host)
        if not check.ok:
            return Failure(Verdict.DEAD if check.unresolvable else Verdict.ERROR, check.reason, refused=check.refused)
        s = self.settings
        attempt = 0
        while True:
            got = self._attempt(url, host, deadline)
            if isinstance(got, Reply) or not got.retry:
                return got
            delay = got.wait if got.wait is not None else s.backoff * 2**attempt * (1 + random.random())
            if attempt == s.retries or time.monotonic() + delay >= deadline:
                break
            if got.wait is not None:
                self._gates.pause(host, time.monotonic() + delay)  # the host asked everyone to wait
            time.sleep(delay)
            attempt += 1
        suffix = f" (after {attempt} {'retry' if attempt == 1 else 'retries'})" if attempt else ""
        return replace(got, reason=got.reason + suffix, retry=False)

    def _vet(self, host: str) -> HostCheck:
        check = self._vetted.get(host)  # a race only means one more lookup
        if check is None:
            check = self._policy.vet_host(host)
            if check.ok or check.refused or check.unresolvable:  # a DNS hiccup is asked again
                self._vetted[host] = check
        return check

    def _attempt(self, url: str, host: str, deadline: float) -> Reply | Failure:
        """One request through the host's gate, under the watchdog."""
        s = self.settings
        if not self._gates.enter(host, deadline):
            return timed_out(s.timeout)
        watch = self._watchdog.arm(deadline)
        try:
            left = max(deadline - time.monotonic(), 0.001)
            try:
                response = self._adapter.send(
                    self._request(url), stream=True, timeout=(min(s.connect_timeout, left), min(s.read_timeout, left))
                )
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                got: Reply | Failure = from_exception(exc, s)
            else:
                try:
                    got = self._consume(response, deadline)
                finally:
                    response.close()
        finally:
            fired = self._watchdog.disarm(watch)
            self._gates.leave(host)
        return timed_out(s.timeout) if fired else got

    def _request(self, url: str) -> requests.PreparedRequest:
        """A GET of ``url`` (prepared by ``check_url``) as the session would send it.

        Sent by the adapter itself: the session's merging of settings, cookies, hooks and
        environment (none of which this session has: see ``_configure``) cost more than the
        rest of a request's Python, and 200 fetching threads queue for it.
        """
        request = requests.PreparedRequest()
        request.method, request.url, request.body = "GET", url, None
        request.prepare_headers(self._session.headers)
        request.prepare_cookies(self._session.cookies)  # none are ever kept (a stored response carries the jar)
        return request

    def _consume(self, response: requests.Response, deadline: float) -> Reply | Failure:
        """Read as much of the body as the status calls for."""
        s = self.settings
        status = response.status_code
        if 200 <= status < 300:
            media, _ = content_type(response)
            if media is not None and media not in KEEP_BODY:
                return Reply(response, None)
            body = read_body(response, s.max_bytes, s.max_decompressed, deadline, s)
            return body if isinstance(body, Failure) else Reply(response, body)
        sniff = read_body(response, SNIFF, SNIFF, deadline, s, truncate=True)
        if isinstance(sniff, Failure):
            return sniff
        if status != 429 and status < 500:
            return Reply(response, sniff)
        if bot_wall(response, sniff):
            return Failure(Verdict.BLOCKED, BOT_WALL_REASON, status)
        wait = retry_after(response.headers.get("Retry-After"))
        shown = f"Retry-After {math.ceil(wait)} s" if wait is not None else ""
        if status == 429:
            if wait is not None and wait > s.retry_after_cap:
                return Failure(Verdict.BLOCKED, f"rate-limited ({shown})", status)
            return Failure(Verdict.BLOCKED, "429 Too Many Requests: rate-limited", status, retry=True, wait=wait)
        if wait is not None and wait > s.retry_after_cap:
            return Failure(Verdict.ERROR, f"{status_line(response)} ({shown})", status)
        return Failure(Verdict.ERROR, status_line(response), status, retry=True, wait=wait)


def _configure(session: requests.Session, s: FetchSettings, adapter: GuardedAdapter) -> None:
    """No cookies, no credentials, no proxies, an honest User-Agent, redirects left to us."""
    session.trust_env = False
    session.cookies.set_policy(_NoCookies())
    session.headers.clear()
    session.headers.update(
        {"User-Agent": s.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Encoding": "gzip, deflate"}
    )
    # requests reads a whole redirect response to prepare Response.next; a redirect's body is
    # unbounded, so let it see no redirect target (Location is read by the fetcher).
    setattr(session, "get_redirect_target", _no_redirect_target)  # noqa: B010 - mypy refuses a method assignment
    session.mount("http://", adapter)
    session.mount("https://", adapter)


def _no_redirect_target(response: requests.Response) -> str | None:
    return None


class _NoCookies(DefaultCookiePolicy):
    """Cookies are never stored, so never sent."""

    def set_ok(self, cookie: Cookie, request: CookieRequest) -> bool:
        return False

    def return_ok(self, cookie: Cookie, request: CookieRequest) -> bool:
        return False
