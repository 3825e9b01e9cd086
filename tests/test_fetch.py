"""The fetcher against a real local server: verdicts, redirects, retries, deadlines, caps, politeness."""
from __future__ import annotations

import gzip
import itertools
import socket
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from dataclasses import replace
from email.utils import formatdate

import pytest
from httpserver import Route, ServerURL, redirect, serve, serve_many

from citelint.verify import addresses
from citelint.verify.fetch import Fetcher, FetchSettings, Progress
from citelint.verify.model import Page, Verdict

FAST = FetchSettings(
    timeout=1.0, connect_timeout=0.5, read_timeout=0.5, backoff=0.01, min_interval=0.0, retry_after_cap=2.0,
    use_cache=False, allow_hosts=frozenset({"127.0.0.1", "127.0.0.2"}),
)
HTML = "<html><body><p>The minister said talks would resume.</p></body></html>"


ROUTES = {
    "/page": Route(body=HTML),
    "/plain-type": Route(body=HTML, content_type="text/html"),
    "/latin1": Route(body="café".encode("latin-1"), content_type="text/html; charset=utf-8"),
    "/gone": Route(404, "no such page"),
    "/removed": Route(410),
    "/a": redirect("/b", 301),
    "/b": redirect("c"),
    "/c": redirect("/page?from=c", 307),
    "/dir/rel": redirect("../page"),
    "/loop1": redirect("/loop2"),
    "/loop2": redirect("/loop1"),
    "/self": redirect("/self"),
    **{f"/hop{i}": redirect(f"/hop{i + 1}") for i in range(12)},
    "/hop12": Route(body=HTML),
    "/flaky": Route(body=HTML, failures=[Route(500)]),
    "/down": Route(503),
    "/busy": Route(body=HTML, failures=[Route(429, headers={"Retry-After": "1"})]),
    "/busy-long": Route(429, headers={"Retry-After": "3600"}),
    "/busy-always": Route(429),
    "/stalled": Route(body=HTML, stall=5),
    "/trickle": Route(body="x" * 200, trickle=0.05, chunk=1),
    "/slow-headers": Route(body=HTML, delay=3),
    "/big": Route(body=b"x" * 60_000),
    "/gz": Route(body=HTML, gzip=True),
    "/deflate": Route(body=zlib.compress(HTML.encode()), headers={"Content-Encoding": "deflate"}),
    "/raw-deflate": Route(body=zlib.compress(HTML.encode())[2:-4], headers={"Content-Encoding": "deflate"}),
    "/brotli": Route(body=b"\x1b\x00", headers={"Content-Encoding": "br"}),
    "/pdf": Route(body=b"%PDF-1.7" + b"\0" * 10_000, content_type="application/pdf"),
    "/json": Route(body='{"a": 1}', content_type="application/json"),
    "/untyped": Route(body=HTML, content_type=None),
    "/soft": redirect("/"),
    "/": Route(body="<h1>Home</h1>"),
    "/moved-away": redirect("/errors/page-not-found?from=x"),
    "/errors/page-not-found": Route(body="<h1>Sorry</h1>"),
    "/wall": Route(403, "<title>Just a moment...</title>", headers={"cf-mitigated": "challenge"}),
    "/wall-503": Route(503, "<title>Just a moment...</title><div id=cf-chl-widget>"),
    "/login": Route(401),
    "/forbidden": Route(403),
    "/legal": Route(451),
    "/teapot": Route(418),
    "/cookie": Route(302, headers=[("Location", "/cookie2"), ("Set-Cookie", "session=abc; Path=/")]),
    "/cookie2": Route(body=HTML, headers=[("Set-Cookie", "other=1; Path=/")]),
    "/close-delimited": Route(body=HTML, close=True),
    "/bad-location": redirect("http://[::1"),
    "/blank-location": redirect("  "),
}


@pytest.fixture(scope="module")
def server() -> Iterator[ServerURL]:
    with serve(ROUTES) as base:
        yield base


def fetch(url: str, settings: FetchSettings = FAST) -> Page:
    with Fetcher(settings) as fetcher:
        return fetcher.fetch_all([url])[url]


def test_html_page_is_alive_with_its_body_and_charset(server: ServerURL) -> None:
    page = fetch(server + "/page")
    assert (page.verdict, page.reason, page.http_status) == (Verdict.ALIVE, "200 OK", 200)
    assert page.body == HTML.encode()
    assert (page.content_type, page.charset) == ("text/html", "utf-8")
    assert page.final_url == server + "/page" and not page.from_cache and not page.refused


def test_charset_is_only_what_the_header_says(server: ServerURL) -> None:
    assert fetch(server + "/plain-type").charset is None
    wrong = fetch(server + "/latin1")  # bytes are kept as sent; decoding is the page-text layer's job
    assert wrong.body == "café".encode("latin-1") and wrong.charset == "utf-8"


@pytest.mark.parametrize(("path", "reason"), [("/gone", "404 Not Found"), ("/removed", "410 Gone")])
def test_missing_pages_are_dead(server: ServerURL, path: str, reason: str) -> None:
    page = fetch(server + path)
    assert (page.verdict, page.reason, page.body) == (Verdict.DEAD, reason, None)


def test_redirect_chain_records_the_final_url(server: ServerURL) -> None:
    page = fetch(server + "/a")
    assert page.verdict is Verdict.ALIVE
    assert page.final_url == server + "/page?from=c"
    assert page.url == server + "/a"


def test_relative_location_resolves_against_the_current_url(server: ServerURL) -> None:
    assert fetch(server + "/dir/rel").final_url == server + "/page"


@pytest.mark.parametrize("path", ["/loop1", "/self"])
def test_redirect_loop_is_an_error(server: ServerURL, path: str) -> None:
    page = fetch(server + path)
    assert page.verdict is Verdict.ERROR and page.reason.startswith("redirect loop")


def test_a_malformed_or_empty_location_is_an_error(server: ServerURL) -> None:
    page = fetch(server + "/bad-location")
    assert page.verdict is Verdict.ERROR and page.reason.startswith("redirected to a malformed URL")
    blank = fetch(server + "/blank-location")
    assert (blank.verdict, blank.reason) == (Verdict.ERROR, "302 Found without a Location to follow")


def test_too_many_redirects(server: ServerURL) -> None:
    page = fetch(server + "/hop0")  # twelve hops
    assert (page.verdict, page.reason) == (Verdict.ERROR, "more than 10 redirects")
    assert fetch(server + "/hop2").verdict is Verdict.ALIVE  # ten hops
    assert fetch(server + "/hop9", replace(FAST, max_redirects=2)).reason == "more than 2 redirects"


def test_server_error_then_success_is_retried(server: ServerURL) -> None:
    assert fetch(server + "/flaky").verdict is Verdict.ALIVE
    assert len(server.requests_to("/flaky")) == 2


def test_persistent_server_error_after_retries(server: ServerURL) -> None:
    page = fetch(server + "/down")
    assert (page.verdict, page.reason, page.http_status) == (Verdict.ERROR, "503 Service Unavailable (after 2 retries)", 503)
    assert len(server.requests_to("/down")) == 3


def test_retry_after_seconds_is_honoured(server: ServerURL) -> None:
    page = fetch(server + "/busy", replace(FAST, timeout=3.0))
    assert page.verdict is Verdict.ALIVE
    first, second = server.requests_to("/busy")
    assert second.time - first.time >= 0.95


def test_retry_after_http_date_is_honoured() -> None:
    when = formatdate(time.time() + 1, usegmt=True)
    routes = {"/p": Route(body=HTML, failures=[Route(429, headers={"Retry-After": when})])}
    with serve(routes) as base:
        assert fetch(base + "/p", replace(FAST, timeout=3.0)).verdict is Verdict.ALIVE
        assert len(base.log) == 2
    far = formatdate(time.time() + 3600, usegmt=True)
    with serve({"/p": Route(429, headers={"Retry-After": far})}) as base:
        page = fetch(base + "/p")
        assert (page.verdict, page.reason) == (Verdict.BLOCKED, "rate-limited (Retry-After 3600 s)")


def test_retry_after_beyond_the_cap_gives_up_at_once(server: ServerURL) -> None:
    page = fetch(server + "/busy-long")
    assert (page.verdict, page.reason, page.http_status) == (Verdict.BLOCKED, "rate-limited (Retry-After 3600 s)", 429)
    assert len(server.requests_to("/busy-long")) == 1


def test_rate_limited_after_retries_is_blocked(server: ServerURL) -> None:
    page = fetch(server + "/busy-always")
    assert page.verdict is Verdict.BLOCKED and page.reason.endswith("(after 2 retries)")
    assert len(server.requests_to("/busy-always")) == 3


def test_stalled_response_is_blocked_within_the_deadline(server: ServerURL) -> None:
    started = time.monotonic()
    page = fetch(server + "/stalled")
    assert page.verdict is Verdict.BLOCKED and page.reason.startswith("timed out")
    assert time.monotonic() - started < 1.5


def test_trickling_body_ends_at_the_deadline(server: ServerURL) -> None:
    started = time.monotonic()  # a byte every 50 ms: no read ever times out, only the deadline can end it
    page = fetch(server + "/trickle")
    assert (page.verdict, page.reason) == (Verdict.BLOCKED, "timed out after 1 s")
    assert time.monotonic() - started < 1.5


def test_slow_headers_time_out_and_are_retried(server: ServerURL) -> None:
    page = fetch(server + "/slow-headers", replace(FAST, read_timeout=0.2, timeout=2.0))
    assert page.verdict is Verdict.BLOCKED and page.reason.startswith("timed out")


def test_oversized_body_is_an_error(server: ServerURL) -> None:
    page = fetch(server + "/big", replace(FAST, max_bytes=50_000))
    assert (page.verdict, page.reason, page.body) == (Verdict.ERROR, "page larger than 50 kB", None)
    assert fetch(server + "/big").verdict is Verdict.ALIVE


def test_gzip_bomb_stops_at_the_decompressed_cap() -> None:
    bomb = gzip.compress(b"\0" * 100_000_000, compresslevel=9)  # 100 kB on the wire
    with serve({"/bomb": Route(body=bomb, headers={"Content-Encoding": "gzip"})}) as base:
        started = time.monotonic()
        tracemalloc.start()
        try:
            page = fetch(base + "/bomb", replace(FAST, timeout=5.0))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert (page.verdict, page.reason) == (Verdict.ERROR, "page expands beyond 20 MB")
        assert peak < 25_000_000  # the cap and one piece, never the 100 MB
        assert time.monotonic() - started < 2.0


@pytest.mark.parametrize("path", ["/gz", "/deflate", "/raw-deflate"])
def test_compressed_bodies_are_decoded(server: ServerURL, path: str) -> None:
    page = fetch(server + path)
    assert page.verdict is Verdict.ALIVE and page.body == HTML.encode()


def test_unknown_content_encoding_is_an_error(server: ServerURL) -> None:
    page = fetch(server + "/brotli")
    assert (page.verdict, page.reason) == (Verdict.ERROR, "unsupported content encoding 'br'")


def test_non_html_is_alive_without_a_body(server: ServerURL) -> None:
    page = fetch(server + "/pdf")
    assert (page.verdict, page.content_type, page.body) == (Verdict.ALIVE, "application/pdf", None)
    assert fetch(server + "/json").body == b'{"a": 1}'
    untyped = fetch(server + "/untyped")
    assert untyped.content_type is None and untyped.body == HTML.encode()


def test_close_delimited_body_is_read_to_the_end(server: ServerURL) -> None:
    assert fetch(server + "/close-delimited").body == HTML.encode()


def test_redirect_to_the_home_page_is_a_soft_404(server: ServerURL) -> None:
    page = fetch(server + "/soft")
    assert (page.verdict, page.reason) == (Verdict.DEAD, "soft 404: redirected to the site's home page")
    assert page.final_url == server + "/" and page.http_status == 200
    assert fetch(server + "/").verdict is Verdict.ALIVE  # citing the home page itself is fine


def test_redirect_to_a_not_found_page_is_a_soft_404(server: ServerURL) -> None:
    page = fetch(server + "/moved-away")
    assert page.verdict is Verdict.DEAD and page.reason.startswith("soft 404: redirected to a not-found page")


@pytest.mark.parametrize("path", ["/wall", "/wall-503"])
def test_bot_walls_are_blocked_and_not_retried(server: ServerURL, path: str) -> None:
    page = fetch(server + path)
    assert page.verdict is Verdict.BLOCKED and "bot wall" in page.reason
    assert len(server.requests_to(path)) == 1


@pytest.mark.parametrize(("path", "start"), [("/login", "401 Unauthorized"), ("/forbidden", "403 Forbidden"),
                                             ("/legal", "451 Unavailable For Legal Reasons")])
def test_refusals_are_blocked_not_dead(server: ServerURL, path: str, start: str) -> None:
    page = fetch(server + path)
    assert page.verdict is Verdict.BLOCKED and page.reason.startswith(start)


def test_other_client_errors_are_errors_with_the_status(server: ServerURL) -> None:
    page = fetch(server + "/teapot")
    assert (page.verdict, page.http_status) == (Verdict.ERROR, 418) and page.reason.startswith("418")


def test_no_cookie_is_ever_sent_back(server: ServerURL) -> None:
    with Fetcher(FAST) as fetcher:
        assert fetcher.fetch_all([server + "/cookie"])[server + "/cookie"].verdict is Verdict.ALIVE
        fetcher.fetch_all([server + "/cookie2?again"])
    for entry in server.requests_to("/cookie2") + server.requests_to("/cookie2?again"):
        assert "cookie" not in entry.headers


def test_requests_say_who_is_asking(server: ServerURL) -> None:
    fetch(server + "/page?ua")
    headers = server.requests_to("/page?ua")[0].headers
    assert headers["user-agent"].startswith("citelint/") and "source-citation checker" in headers["user-agent"]
    assert "authorization" not in headers


def test_connection_refused_is_an_error() -> None:
    with serve({}) as base:
        port = base.rsplit(":", 1)[1]
    page = fetch(f"http://127.0.0.1:{port}/gone-server")
    assert page.verdict is Verdict.ERROR and page.reason.startswith("connection failed: connection refused")


def test_a_name_that_does_not_resolve_is_dead(monkeypatch: pytest.MonkeyPatch) -> None:
    def resolver(host: str) -> list[str]:
        if host == "gone.test":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(addresses, "system_resolver", resolver)
    page = fetch("https://gone.test/story")
    assert (page.verdict, page.reason) == (Verdict.DEAD, "name does not resolve: gone.test")
    flaky = fetch("https://flaky-dns.test/story")  # not known to be gone: not dead
    assert (flaky.verdict, flaky.reason) == (Verdict.ERROR, "DNS lookup failed for flaky-dns.test: Temporary failure in name resolution")


def test_each_url_is_fetched_once_whatever_its_fragment(server: ServerURL) -> None:
    urls = [server + "/page?frag#one", server + "/page?frag#two", server + "/page?frag"]
    with Fetcher(FAST) as fetcher:
        pages = fetcher.fetch_all(urls)
    assert list(pages) == urls and {p.url for p in pages.values()} == set(urls)
    assert all(p.verdict is Verdict.ALIVE for p in pages.values())
    assert len(server.requests_to("/page?frag")) == 1


@pytest.mark.parametrize("url", ["", "   ", "http://", "https:///path", "http://[::1", "http://exa mple.com/",
                                 "http://example.com:99999/", "//example.com/x", "example.com/x", "http://ex\x00ample.com/"])
def test_malformed_urls_are_errors_not_exceptions(url: str) -> None:
    page = fetch(url)
    assert page.verdict is Verdict.ERROR and page.reason and page.url == url


def test_progress_is_reported_after_each_url(server: ServerURL) -> None:
    seen: list[Progress] = []
    urls = [server + f"/page?p={i}" for i in range(5)] + ["ftp://example.com/"]
    with Fetcher(FAST, progress=seen.append) as fetcher:
        fetcher.fetch_all(urls)
    assert [p.done for p in seen] == [1, 2, 3, 4, 5, 6] and {p.total for p in seen} == {6}
    assert {p.host for p in seen} == {"127.0.0.1", "example.com"}
    assert all(a.elapsed <= b.elapsed for a, b in itertools.pairwise(seen))


def test_per_host_limit_and_interval() -> None:
    with serve({}, default=Route(body=HTML, delay=0.1)) as base:
        with Fetcher(replace(FAST, per_host=2, max_concurrency=8)) as fetcher:
            pages = fetcher.fetch_all([base + f"/p{i}" for i in range(8)])
        assert all(p.verdict is Verdict.ALIVE for p in pages.values())
        assert base.peak == 2
    with serve_many({}, ["127.0.0.1", "127.0.0.2"], default=Route(body=HTML, delay=0.1)) as (one, two):
        with Fetcher(replace(FAST, per_host=4, max_concurrency=3)) as fetcher:
            fetcher.fetch_all([one + f"/p{i}" for i in range(6)] + [two + f"/p{i}" for i in range(6)])
        assert one.peak == 3  # the two addresses share one counter: three workers in all
    with serve({}, default=Route(body=HTML)) as base:
        with Fetcher(replace(FAST, min_interval=0.05, per_host=4)) as fetcher:
            fetcher.fetch_all([base + f"/p{i}" for i in range(6)])
        times = sorted(entry.time for entry in base.log)
        # Arrival times at the server jitter by a few ms on a loaded machine: every gap is near
        # the interval, and the six starts span five intervals.
        assert min(b - a for a, b in itertools.pairwise(times)) >= 0.03
        assert times[-1] - times[0] >= 5 * 0.045


def test_a_slow_host_does_not_hold_up_the_others() -> None:
    quick = {f"/f{i}": Route(body=HTML) for i in range(6)}  # the two addresses share routes: paths differ
    with serve_many(quick, ["127.0.0.1", "127.0.0.2"], default=Route(body=HTML, delay=0.25)) as (slow, fast):
        urls = [slow + f"/s{i}" for i in range(8)] + [fast + f"/f{i}" for i in range(6)]
        started = time.monotonic()
        with Fetcher(replace(FAST, per_host=2, max_concurrency=4, timeout=5.0)) as fetcher:
            pages = fetcher.fetch_all(urls)
        assert all(p.verdict is Verdict.ALIVE for p in pages.values())
        fast_done = max(e.time for e in fast.log if e.path.startswith("/f"))
        assert fast_done - started < 0.2  # not queued behind the slow host's eight URLs (1 s at two at a time)
