"""Fetch cited URLs politely and safely: one Page per distinct URL.

How it holds together:

- **Scheduling.** ``fetch_all`` hands a URL to the thread pool only while its host has fewer
  than ``per_host`` URLs in flight, taking hosts in turn, so the workers waiting on one
  host never starve the others. Each request (every retry and redirect hop) also passes a
  per-host gate: a semaphore of ``per_host`` and a minimum interval between starts.
- **One session** for all threads (a pool of ``max_concurrency`` connections per host). It
  never stores or sends cookies, sends no credentials (``trust_env = False``: no ``.netrc``;
  it also ignores proxy variables such as ``HTTPS_PROXY`` and ``REQUESTS_CA_BUNDLE``, so
  citelint always connects directly to the address it has vetted), and says who it is.
- **Redirects by hand**, each hop checked by the address policy (``addresses.py``).
- **Deadline.** Connect and read timeouts are clipped to what is left of the URL's total
  deadline, and a watchdog thread shuts down the socket of any request still running at
  its deadline: a server trickling one byte a second (in the headers or the body) cannot
  hold a worker, because a blocking read only ends when data stops coming.
- **Caps.** Bodies are streamed raw and decoded here (gzip, deflate) with ``max_length``,
  so a gzip bomb is stopped at ``max_decompressed`` bytes, not in memory.
"""
from __future__ import annotations

import email.utils
import http
import math
import os
import queue
import random
import re
import socket
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http.cookiejar import Cookie, DefaultCookiePolicy
from types import TracebackType
from typing import Any, Self
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.request import Request as CookieRequest

import requests
import urllib3.exceptions

from citelint import __version__
from citelint.verify.addresses import (
    AddressPolicy,
    GuardedAdapter,
    HostCheck,
    PeerRefused,
)
from citelint.verify.cache import PageCache
from citelint.verify.model import Page, Verdict

_KEEP_BODY = frozenset({"text/html", "application/xhtml+xml", "text/plain", "application/json", "application/ld+json"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 16_384
_SNIFF = 65_536  # what is read of a redirect or an error page (enough to spot a bot wall)
_HOSTNAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")
_NOT_FOUND = re.compile(r"/404(?![0-9])|not[-_]?found")
_BOT_WALL = (b"just a moment...", b"cf-chl", b"challenge-platform", b"captcha", b"ddos-guard")


@dataclass(frozen=True)
class FetchSettings:
    """How to fetch: limits, politeness, caps and the cache."""

    timeout: float = 20.0  # total deadline per URL, all retries and redirects included
    connect_timeout: float = 5.0
    read_timeout: float = 10.0  # per socket read
    max_concurrency: int = 16  # worker threads
    per_host: int = 4  # concurrent requests per host
    min_interval: float = 0.1  # seconds between request starts to one host
    retries: int = 2  # for connection errors, timeouts, 429 and 5xx
    retry_after_cap: float = 30.0  # longest Retry-After honoured; beyond it: "blocked (rate-limited)"
    backoff: float = 0.5  # base of exponential backoff with jitter
    max_bytes: int = 5_000_000  # body cap (streamed), compressed bytes on the wire
    max_decompressed: int = 20_000_000  # cap after gzip/deflate decoding (gzip bombs)
    max_redirects: int = 10
    user_agent: str = f"citelint/{__version__} (+https://github.com/citelint/citelint; source-citation checker)"
    allow_hosts: frozenset[str] = frozenset()  # hostnames or IP literals exempt from the address policy
    cache_dir: str | None = None  # None: platformdirs user cache dir / "citelint"
    use_cache: bool = True
    offline: bool = False  # cache only; uncached URLs get Verdict.ERROR "not in the cache (--offline)"
    cache_ttl: float = 86_400.0  # seconds a success stays fresh

    def __post_init__(self) -> None:
        if self.max_concurrency < 1 or self.per_host < 1 or self.retries < 0 or self.max_redirects < 0:
            raise ValueError("max_concurrency and per_host must be at least 1, retries and max_redirects at least 0")
        if min(self.timeout, self.connect_timeout, self.read_timeout) <= 0:
            raise ValueError("timeouts must be positive")


Digest = Callable[[str, Page], Page]


def fetch_key(url: str) -> str:
    """What a cited URL is fetched as: one fetch per key (the fragment is not sent)."""
    return url.strip().split("#", 1)[0]


@dataclass(frozen=True)
class Progress:
    """Emitted (in the thread that called fetch_all) after each distinct URL completes."""

    done: int
    total: int
    host: str
    elapsed: float


@dataclass
class _Reply:
    """A response whose body has been read (within the caps) or left unread (body None)."""

    response: requests.Response
    body: bytes | None
    from_cache: bool = False


@dataclass(frozen=True)
class _Failure:
    """A request that gave no usable response; ``retry`` when another try may help."""

    verdict: Verdict
    reason: str
    status: int | None = None
    retry: bool = False
    wait: float | None = None  # the server's Retry-After, in seconds
    refused: bool = False


class Fetcher:
    """Fetches many URLs at once; use as a context manager or call close()."""

    def __init__(self, settings: FetchSettings, progress: Callable[[Progress], None] | None = None) -> None:
        self.settings = settings
        self._progress = progress
        self._policy = AddressPolicy(settings.allow_hosts)
        self._vetted: dict[str, HostCheck] = {}
        self._gates = _HostGates(settings.per_host, settings.min_interval)
        self._watchdog = _Watchdog()
        caching = settings.use_cache or settings.offline
        # The network goes through a plain session; the cache is read and filled explicitly.
        self._cache = PageCache(settings.cache_dir, settings.cache_ttl, settings.offline) if caching else None
        self._session = requests.Session()
        adapter = GuardedAdapter(self._policy, settings.max_concurrency, self._watchdog.observe)
        for session in (self._session, self._cache.session if self._cache else None):
            if session is not None:  # same headers in both, so a cached response's Vary matches
                _configure(session, settings, adapter)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()
        if self._cache is not None:
            self._cache.close()
        self._watchdog.close()

    def fetch_all(self, urls: Iterable[str], digest: Digest | None = None) -> dict[str, Page]:
        """Fetch every distinct URL once (fragments ignored); results keyed by the URL as given.

        ``digest(key, page)``, when given, runs in the worker as soon as a page is fetched and
        its return value is kept instead: read the body there, and drop it.
        """
        given = list(dict.fromkeys(urls))
        keys = {url: fetch_key(url) for url in given}
        pending: dict[str, deque[str]] = {}
        for key in dict.fromkeys(keys.values()):
            pending.setdefault(_host(key), deque()).append(key)
        pages: dict[str, Page] = {}
        self._run(pending, pages, sum(len(q) for q in pending.values()), time.monotonic(), digest)
        return {url: replace(pages[keys[url]], url=url) for url in given}

    def _run(self, pending: dict[str, deque[str]], pages: dict[str, Page], total: int, started: float,
             digest: Digest | None) -> None:
        """Keep at most per_host URLs of each host in the pool, taking hosts in turn."""
        done: queue.Queue[tuple[str, str, Page | BaseException]] = queue.Queue()
        running = dict.fromkeys(pending, 0)
        ready = deque(pending)
        inflight = 0

        def work(key: str, host: str) -> None:
            try:
                page = self._fetch(key)
                done.put((key, host, digest(key, page) if digest is not None else page))
            except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
                done.put((key, host, exc))

        with ThreadPoolExecutor(self.settings.max_concurrency, thread_name_prefix="citelint-fetch") as pool:
            while inflight or ready:
                while ready and inflight < self.settings.max_concurrency:
                    host = ready.popleft()
                    pool.submit(work, pending[host].popleft(), host)
                    running[host] += 1
                    inflight += 1
                    if pending[host] and running[host] < self.settings.per_host:
                        ready.append(host)
                key, host, outcome = done.get()
                inflight -= 1
                running[host] -= 1
                if pending[host] and running[host] == self.settings.per_host - 1:
                    ready.append(host)  # it was full, so it was not waiting in ready
                if isinstance(outcome, BaseException):
                    raise outcome
                pages[key] = outcome
                self._report(len(pages), total, host, started)

    def _report(self, done: int, total: int, host: str, started: float) -> None:
        if self._progress is not None:
            self._progress(Progress(done, total, host, time.monotonic() - started))

    def _fetch(self, key: str) -> Page:
        """Follow one URL's redirects by hand, each hop vetted, all within one deadline."""
        target = _check_url(key)
        if isinstance(target, _Failure):
            return _page(key, target)
        deadline = time.monotonic() + self.settings.timeout
        hops: list[_Reply] = []
        current = target
        visited = {target}
        while True:
            got = self._get(current, deadline)
            if isinstance(got, _Failure):
                return _page(key, got, final_url=current if hops else None)
            location = got.response.headers.get("Location", "").strip()
            if got.response.status_code not in _REDIRECTS or not location:
                break
            if len(hops) >= self.settings.max_redirects:
                return _page(key, _Failure(Verdict.ERROR, f"more than {self.settings.max_redirects} redirects"), current)
            nxt = _check_url(_fix_latin1(location), base=current)
            if isinstance(nxt, _Failure):
                return _page(key, nxt, final_url=current)
            if nxt in visited:
                return _page(key, _Failure(Verdict.ERROR, f"redirect loop (back to {nxt})"), current)
            hops.append(got)
            visited.add(nxt)
            current = nxt
        page = _judge(key, current, got, hops)
        if self._cache is not None and page.verdict is Verdict.ALIVE:
            self._cache.store([(r.response, r.body or b"") for r in [*hops, got] if not r.from_cache])
        return page

    def _get(self, url: str, deadline: float) -> _Reply | _Failure:
        """One hop: from the cache, or vetted and requested with retries."""
        if self._cache is not None:
            hit = self._cache.lookup(url)
            if hit is not None:
                return _Reply(hit, hit.content, from_cache=True)
            if self.settings.offline:
                return _Failure(Verdict.ERROR, "not in the cache (--offline)")
        host = _host(url)
        check = self._vet(host)
        if not check.ok:
            return _Failure(Verdict.DEAD if check.unresolvable else Verdict.ERROR, check.reason, refused=check.refused)
        s = self.settings
        attempt = 0
        while True:
            got = self._attempt(url, host, deadline)
            if isinstance(got, _Reply) or not got.retry:
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

    def _attempt(self, url: str, host: str, deadline: float) -> _Reply | _Failure:
        """One request through the host's gate, under the watchdog."""
        s = self.settings
        if not self._gates.enter(host, deadline):
            return _timed_out(s.timeout)
        watch = self._watchdog.arm(deadline)
        try:
            left = max(deadline - time.monotonic(), 0.001)
            try:
                response = self._session.get(
                    url, stream=True, allow_redirects=False, timeout=(min(s.connect_timeout, left), min(s.read_timeout, left))
                )
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                got: _Reply | _Failure = _from_exception(exc, s)
            else:
                try:
                    got = self._consume(response, deadline)
                finally:
                    response.close()
        finally:
            fired = self._watchdog.disarm(watch)
            self._gates.leave(host)
        return _timed_out(s.timeout) if fired else got

    def _consume(self, response: requests.Response, deadline: float) -> _Reply | _Failure:
        """Read as much of the body as the status calls for."""
        s = self.settings
        status = response.status_code
        if 200 <= status < 300:
            media, _ = _content_type(response)
            if media is not None and media not in _KEEP_BODY:
                return _Reply(response, None)
            body = _read(response, s.max_bytes, s.max_decompressed, deadline, s)
            return body if isinstance(body, _Failure) else _Reply(response, body)
        sniff = _read(response, _SNIFF, _SNIFF, deadline, s, truncate=True)
        if isinstance(sniff, _Failure):
            return sniff
        if status != 429 and status < 500:
            return _Reply(response, sniff)
        if _bot_wall(response, sniff):
            return _Failure(Verdict.BLOCKED, _BOT_WALL_REASON, status)
        wait = _retry_after(response.headers.get("Retry-After"))
        shown = f"Retry-After {math.ceil(wait)} s" if wait is not None else ""
        if status == 429:
            if wait is not None and wait > s.retry_after_cap:
                return _Failure(Verdict.BLOCKED, f"rate-limited ({shown})", status)
            return _Failure(Verdict.BLOCKED, "429 Too Many Requests: rate-limited", status, retry=True, wait=wait)
        if wait is not None and wait > s.retry_after_cap:
            return _Failure(Verdict.ERROR, f"{_status(response)} ({shown})", status)
        return _Failure(Verdict.ERROR, _status(response), status, retry=True, wait=wait)


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


def _check_url(url: str, base: str | None = None) -> str | _Failure:
    """The URL to request (credentials and fragment dropped), or why it cannot be requested.

    ``base`` is the URL whose redirect this is (``url`` is then its Location, maybe relative).
    """
    hop = "redirected to a " if base else ""
    try:
        parts = urlsplit(urljoin(base, url) if base else url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            if not scheme:
                return _Failure(Verdict.ERROR, f"{hop}malformed URL: no scheme (http:// or https://)")
            return _Failure(Verdict.ERROR, f"{'redirected to an ' if base else ''}unsupported scheme '{scheme}:'")
        host = parts.hostname
        port = parts.port
        if not host:
            return _Failure(Verdict.ERROR, f"{hop}malformed URL: no host")
        netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port is not None else "")
        prepared = requests.Request("GET", urlunsplit((scheme, netloc, parts.path, parts.query, ""))).prepare().url
    except (ValueError, UnicodeError, requests.RequestException) as exc:
        return _Failure(Verdict.ERROR, f"{hop}malformed URL: {exc}")
    if not prepared or not (":" in host or _HOSTNAME.fullmatch(_host(prepared))):
        return _Failure(Verdict.ERROR, f"{hop}malformed URL: invalid host name {host!r}")
    return prepared


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _fix_latin1(location: str) -> str:
    """http.client decodes headers as Latin-1; most servers meant UTF-8 (as requests assumes)."""
    try:
        return location.encode("latin1").decode("utf8")
    except UnicodeError:
        return location


def _page(key: str, failure: _Failure, final_url: str | None = None) -> Page:
    return Page(key, failure.verdict, failure.reason, final_url=final_url, http_status=failure.status, refused=failure.refused)


def _timed_out(timeout: float) -> _Failure:
    return _Failure(Verdict.BLOCKED, f"timed out after {timeout:g} s")


_BOT_WALL_REASON = "blocked by a bot wall (a challenge page); check it in a browser"


def _judge(key: str, final_url: str, reply: _Reply, hops: list[_Reply]) -> Page:
    """The verdict on a URL from its last response (from the cache if no hop needed the network)."""
    response = reply.response
    status = response.status_code
    media, charset = _content_type(response)
    page = Page(key, Verdict.ERROR, _status(response), final_url=final_url, http_status=status,
                content_type=media, charset=charset, from_cache=all(r.from_cache for r in [*hops, reply]))
    if 200 <= status < 300:
        soft = _soft_404(key, final_url) if hops else None
        if soft is not None:
            return replace(page, verdict=Verdict.DEAD, reason=soft)
        keep = media is None or media in _KEEP_BODY
        return replace(page, verdict=Verdict.ALIVE, body=reply.body if keep else None)
    if status in (404, 410):
        return replace(page, verdict=Verdict.DEAD)
    if _bot_wall(response, reply.body or b""):
        return replace(page, verdict=Verdict.BLOCKED, reason=_BOT_WALL_REASON)
    hints = {401: ": the page needs a login", 403: ": the site refused the check (it may block automated requests)"}
    if status in (401, 403, 429, 451, 999):
        return replace(page, verdict=Verdict.BLOCKED, reason=_status(response) + hints.get(status, ""))
    if 300 <= status < 400:
        return replace(page, reason=_status(response) + " without a Location to follow")
    return page


def _soft_404(cited: str, final: str) -> str | None:
    """A redirect to the home page or to a not-found page means the cited page is gone."""
    was, now = urlsplit(cited), urlsplit(final)
    if now.path in ("", "/") and not now.query and was.path not in ("", "/"):
        return "soft 404: redirected to the site's home page"
    if _NOT_FOUND.search(f"{now.path}?{now.query}".lower()) and not _NOT_FOUND.search(was.path.lower()):
        return f"soft 404: redirected to a not-found page ({final})"
    return None


def _bot_wall(response: requests.Response, body: bytes) -> bool:
    if response.status_code not in (403, 429, 503):
        return False
    if response.headers.get("cf-mitigated", "").strip().lower() == "challenge":
        return True
    head = body[:_SNIFF].lower()
    return any(marker in head for marker in _BOT_WALL)


def _status(response: requests.Response) -> str:
    try:
        phrase = http.HTTPStatus(response.status_code).phrase
    except ValueError:
        phrase = response.reason or ""
    return f"{response.status_code} {phrase}".strip()


def _content_type(response: requests.Response) -> tuple[str | None, str | None]:
    """Media type (lowercase) and charset from the Content-Type header."""
    header = response.headers.get("Content-Type")
    if not header:
        return None, None
    media, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return media.strip().lower() or None, charset


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _size(n: int) -> str:
    return f"{n / 1e6:g} MB" if n >= 1_000_000 else f"{n / 1e3:g} kB" if n >= 1000 else f"{n} bytes"


def _read(response: requests.Response, wire_cap: int, cap: int, deadline: float, s: FetchSettings,
          truncate: bool = False) -> bytes | _Failure:
    """Stream the raw body, decode it here and stop at either cap (or just stop, ``truncate``)."""
    try:
        inflater = _Inflater(response.headers.get("Content-Encoding", ""))
    except ValueError as exc:
        return b"" if truncate else _Failure(Verdict.ERROR, str(exc), response.status_code)
    out = bytearray()
    wire = 0
    try:
        for chunk in response.raw.stream(_CHUNK, decode_content=False):
            wire += len(chunk)
            for piece in inflater.decode(chunk, cap - len(out) + 1):
                out += piece
            if truncate and (wire >= wire_cap or len(out) >= cap):
                return bytes(out[:cap])
            if wire > wire_cap:
                return _Failure(Verdict.ERROR, f"page larger than {_size(wire_cap)}", response.status_code)
            if len(out) > cap:
                return _Failure(Verdict.ERROR, f"page expands beyond {_size(cap)}", response.status_code)
            if time.monotonic() > deadline:
                return _timed_out(s.timeout)
    except zlib.error:
        return b"" if truncate else _Failure(Verdict.ERROR, "page body is not valid gzip/deflate", response.status_code)
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        return _from_exception(exc, s)
    return bytes(out)


class _Inflater:
    """Bounded gzip/deflate decoding, in pieces of at most 1 MB, never more than asked for."""

    PIECE = 1 << 20

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding.strip().lower()
        if self.encoding in ("", "identity"):
            self._z: Any = None
        elif self.encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.encoding == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise ValueError(f"unsupported content encoding '{self.encoding}'")
        self._started = False

    def decode(self, data: bytes, room: int) -> Iterator[bytes]:
        """The decoded pieces of ``data``, stopping once ``room`` bytes have come out."""
        if self._z is None:
            yield data
            return
        while data and room > 0:
            try:
                piece: bytes = self._z.decompress(data, min(room, self.PIECE))
            except zlib.error:
                if self.encoding != "deflate" or self._started:
                    raise
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send it
                continue
            self._started = True
            room -= len(piece)
            yield piece
            data = self._z.unconsumed_tail
            if self._z.eof and self._z.unused_data and self.encoding != "deflate":
                data = self._z.unused_data  # the next member of a multi-member gzip
                self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)


def _from_exception(exc: BaseException, s: FetchSettings) -> _Failure:
    """A failed request as a short, actionable reason; retried unless retrying cannot help."""
    refused = _cause(exc, PeerRefused)
    if refused is not None:
        return _Failure(Verdict.ERROR, refused.refusal, refused=True)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return _Failure(Verdict.BLOCKED, f"timed out: could not connect within {s.connect_timeout:g} s", retry=True)
    if isinstance(exc, (requests.exceptions.ReadTimeout, urllib3.exceptions.ReadTimeoutError, socket.timeout)):
        return _Failure(Verdict.BLOCKED, f"timed out: no data for {s.read_timeout:g} s", retry=True)
    if isinstance(exc, requests.exceptions.SSLError) or _cause(exc, urllib3.exceptions.SSLError):
        return _Failure(Verdict.ERROR, f"TLS error: {_innermost(exc)}")
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, urllib3.exceptions.LocationParseError)):
        return _Failure(Verdict.ERROR, f"malformed URL: {exc}")
    return _Failure(Verdict.ERROR, f"connection failed: {_innermost(exc)}", retry=True)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """An exception, its causes and the errors it wraps (urllib3 keeps them in .reason and args)."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        e = stack.pop(0)
        if id(e) not in seen:
            seen.add(id(e))
            yield e
            nested = [getattr(e, "reason", None), e.__cause__, e.__context__, *e.args]
            stack.extend(n for n in nested if isinstance(n, BaseException))


def _cause(exc: BaseException, kind: type[Any]) -> Any:
    """The first exception of ``kind`` among exc and its causes, or None."""
    return next((e for e in _causes(exc) if isinstance(e, kind)), None)


def _innermost(exc: BaseException) -> str:
    """The operating system's words for a failure ("connection refused"), else the message."""
    for e in _causes(exc):
        if isinstance(e, OSError) and e.strerror:
            return str(e.strerror).lower()
    text = str(exc)
    return text if len(text) < 160 else text[:157] + "…"


@dataclass
class _Gate:
    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0


class _HostGates:
    """Per-host concurrency and a minimum interval between request starts."""

    def __init__(self, per_host: int, interval: float) -> None:
        self._per_host = per_host
        self._interval = interval
        self._gates: dict[str, _Gate] = {}
        self._lock = threading.Lock()

    def _gate(self, host: str) -> _Gate:
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = self._gates[host] = _Gate(threading.Semaphore(self._per_host))
            return gate

    def enter(self, host: str, deadline: float) -> bool:
        """Wait for a slot and this host's next start time; False if the deadline comes first."""
        gate = self._gate(host)
        if not gate.slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
            return False
        with gate.lock:
            now = time.monotonic()
            start = max(now, gate.next_start)
            gate.next_start = start + self._interval
        if start >= deadline:
            gate.slots.release()
            return False
        if start > now:
            time.sleep(start - now)
        return True

    def leave(self, host: str) -> None:
        self._gate(host).slots.release()

    def pause(self, host: str, until: float) -> None:
        gate = self._gate(host)
        with gate.lock:
            gate.next_start = max(gate.next_start, until)


@dataclass
class _Watch:
    deadline: float
    sockets: list[socket.socket] = field(default_factory=list)
    fired: bool = False


class _Watchdog:
    """Shuts down the sockets of requests that outlive their deadline.

    Each worker arms a watch before a request; the connection reports the socket serving it
    (``observe``) and the watch keeps its own duplicate of the descriptor, so shutting it
    down can never touch a descriptor that was closed and reused meanwhile.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._watches: dict[int, _Watch] = {}
        self._thread: threading.Thread | None = None
        self._closed = False

    def arm(self, deadline: float) -> _Watch:
        watch = _Watch(deadline)
        with self._cond:
            self._watches[threading.get_ident()] = watch
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="citelint-deadline", daemon=True)
                self._thread.start()
            self._cond.notify()
        return watch

    def observe(self, sock: socket.socket) -> None:
        watch = self._watches.get(threading.get_ident())
        if watch is None:
            return
        dup = socket.socket(fileno=os.dup(sock.fileno()))
        with self._cond:
            watch.sockets.append(dup)
            if watch.fired:
                _shutdown(dup)

    def disarm(self, watch: _Watch) -> bool:
        """Forget the watch; True if it fired (the request ran past its deadline)."""
        with self._cond:
            self._watches.pop(threading.get_ident(), None)
            for sock in watch.sockets:
                sock.close()
            return watch.fired

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _run(self) -> None:
        with self._cond:
            while not self._closed:
                now = time.monotonic()
                waiting = [w for w in self._watches.values() if not w.fired]
                for watch in waiting:
                    if watch.deadline <= now:
                        watch.fired = True
                        for sock in watch.sockets:
                            _shutdown(sock)
                upcoming = [w.deadline for w in waiting if not w.fired]
                self._cond.wait(min(upcoming) - now if upcoming else None)


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
