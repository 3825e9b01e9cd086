"""The address policy (SSRF), DNS rebinding, schemes, and what is never sent: cookies, credentials."""
from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
import urllib3.util.connection
from httpserver import Route, ServerURL, serve

from citelint.verify import addresses
from citelint.verify.addresses import AddressPolicy, describe
from citelint.verify.fetch import Fetcher, FetchSettings
from citelint.verify.model import Page, Verdict

LOCAL = frozenset({"127.0.0.1"})
OPEN = FetchSettings(timeout=1.0, connect_timeout=0.5, read_timeout=0.5, backoff=0.01, min_interval=0.0, use_cache=False)
ALLOWED = replace(OPEN, allow_hosts=LOCAL)

ROUTES = {
    "/page": Route(body="<p>hello</p>"),
    "/to-private": Route(302, headers={"Location": "http://10.0.0.1/"}),
    "/to-metadata": Route(301, headers={"Location": "http://169.254.169.254/latest/meta-data"}),
    "/to-file": Route(302, headers={"Location": "file:///etc/passwd"}),
    "/to-ftp": Route(302, headers={"Location": "ftp://example.com/x"}),
    "/cookie": Route(302, headers=[("Set-Cookie", "id=secret; Path=/"), ("Location", "/after-cookie")]),
    "/after-cookie": Route(body="<p>ok</p>"),
}


@pytest.fixture(scope="module")
def server() -> Iterator[ServerURL]:
    with serve(ROUTES) as base:
        yield base


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address a connection is attempted to."""
    seen: list[str] = []
    real = urllib3.util.connection.create_connection

    def spy(address: tuple[str, int], *args: object, **kwargs: object) -> object:
        seen.append(address[0])
        return real(address, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(urllib3.util.connection, "create_connection", spy)
    return seen


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, Sequence[str]]) -> None:
    monkeypatch.setattr(addresses, "system_resolver", lambda host: list(answers[host]))


def fetch(url: str, settings: FetchSettings = OPEN) -> Page:
    with Fetcher(settings) as fetcher:
        return fetcher.fetch_all([url])[url]


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "a loopback address"),
    ("127.8.9.10", "a loopback address"),
    ("10.0.0.1", "a private address"),
    ("172.16.5.4", "a private address"),
    ("192.168.1.1", "a private address"),
    ("169.254.169.254", "a link-local address"),
    ("100.64.0.1", "a non-public address"),
    ("0.0.0.0", "an unspecified address"),
    ("224.0.0.251", "a multicast address"),
    ("240.0.0.1", "a reserved address"),
    ("255.255.255.255", "a reserved address"),
    ("::1", "a loopback address"),
    ("::", "an unspecified address"),
    ("fe80::1", "a link-local address"),
    ("fc00::1", "a private address"),
    ("fd00:ec2::254", "a private address"),
    ("fec0::1", "a private address"),
    ("ff02::1", "a multicast address"),
    ("::ffff:127.0.0.1", "an IPv4-mapped form of 127.0.0.1, a loopback address"),
    ("::ffff:169.254.169.254", "an IPv4-mapped form of 169.254.169.254, a link-local address"),
    ("2002:7f00:1::", "a 6to4 form of 127.0.0.1, a loopback address"),
    ("2002:a9fe:a9fe::1", "a 6to4 form of 169.254.169.254, a link-local address"),
    ("64:ff9b::a9fe:a9fe", "a NAT64 form of 169.254.169.254, a link-local address"),
    ("64:ff9b::10.1.2.3", "a NAT64 form of 10.1.2.3, a private address"),
    ("64:ff9b:1::1", "a local-use NAT64 address"),
    ("::127.0.0.1", "a reserved address"),
    ("2001:db8::1", "a private address"),
])
def test_non_public_addresses_are_named(address: str, kind: str) -> None:
    assert describe(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8",
                                     "2002:5db8:d822::1", "64:ff9b::5db8:d822"])
def test_public_addresses_pass(address: str) -> None:
    assert describe(ipaddress.ip_address(address)) is None


def test_loopback_is_refused_and_never_requested(server: ServerURL, connects: list[str]) -> None:
    page = fetch(server + "/page")
    assert page.verdict is Verdict.ERROR and page.refused
    assert page.reason == "refused: 127.0.0.1 is a loopback address (allow it with --allow-host 127.0.0.1)"
    assert connects == [] and server.requests_to("/page") == []


def test_allowed_host_is_reached(server: ServerURL) -> None:
    page = fetch(server + "/page?allowed", ALLOWED)
    assert page.verdict is Verdict.ALIVE and not page.refused


@pytest.mark.parametrize(("path", "reason"), [
    ("/to-private", "refused: 10.0.0.1 is a private address (allow it with --allow-host 10.0.0.1)"),
    ("/to-metadata", "refused: 169.254.169.254 is a link-local address (allow it with --allow-host 169.254.169.254)"),
])
def test_redirects_to_private_addresses_are_refused(server: ServerURL, connects: list[str], path: str,
                                                    reason: str) -> None:
    page = fetch(server + path, ALLOWED)
    assert (page.verdict, page.reason, page.refused) == (Verdict.ERROR, reason, True)
    assert page.final_url is not None and page.final_url.startswith(("http://10.", "http://169.254."))
    assert set(connects) == {"127.0.0.1"}  # the redirect target was never connected to


@pytest.mark.parametrize("url", ["http://[::1]:9/", "http://[::ffff:127.0.0.1]:9/", "http://0.0.0.0:9/",
                                 "http://[fe80::1]/", "http://2130706433/"])
def test_other_spellings_of_local_addresses_are_refused(url: str, connects: list[str]) -> None:
    page = fetch(url)
    assert page.verdict is Verdict.ERROR and page.refused and page.reason.startswith("refused: ")
    assert connects == []


def test_a_name_resolving_to_any_private_address_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                            connects: list[str]) -> None:
    fake_dns(monkeypatch, {"metadata.test": ["169.254.169.254"], "mixed.test": ["93.184.216.34", "10.1.2.3"]})
    page = fetch("http://metadata.test/latest/meta-data")
    assert page.reason == ("refused: metadata.test resolves to 169.254.169.254, a link-local address "
                           "(allow it with --allow-host metadata.test)")
    assert fetch("http://mixed.test/").reason.startswith("refused: mixed.test resolves to 10.1.2.3, a private address")
    assert connects == []


def test_dns_rebinding_is_caught_at_the_connected_socket(server: ServerURL, monkeypatch: pytest.MonkeyPatch) -> None:
    # The check sees a public address; the connection then resolves localhost to 127.0.0.1 for real.
    fake_dns(monkeypatch, {"localhost": ["93.184.216.34"]})
    port = server.rsplit(":", 1)[1]
    page = fetch(f"http://localhost:{port}/page?rebind")
    assert page.verdict is Verdict.ERROR and page.refused
    assert page.reason == ("refused: localhost resolves to 127.0.0.1, a loopback address "
                           "(allow it with --allow-host localhost)")
    assert server.requests_to("/page?rebind") == []  # connected, vetted, closed: not a byte sent


def test_an_allowed_address_also_allows_names_resolving_to_it(server: ServerURL) -> None:
    port = server.rsplit(":", 1)[1]
    assert fetch(f"http://localhost:{port}/page", ALLOWED).verdict is Verdict.ALIVE


def test_allow_list_entries_are_normalised() -> None:
    policy = AddressPolicy(["[::1]", "Example.COM.", "127.000.0.1"])
    assert policy.vet_host("::1").ok and policy.vet_host("example.com").ok
    assert policy.peer_refusal("example.com", "10.0.0.1") is None
    assert not policy.vet_host("127.0.0.2").ok


@pytest.mark.parametrize("url", ["ftp://example.com/file", "file:///etc/passwd", "javascript:alert(1)",
                                 "data:text/html,<p>hi</p>", "mailto:desk@example.com", "gopher://example.com/"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    page = fetch(url)
    assert page.verdict is Verdict.ERROR and page.reason.startswith("unsupported scheme")


@pytest.mark.parametrize("path", ["/to-file", "/to-ftp"])
def test_redirects_to_other_schemes_are_not_followed(server: ServerURL, path: str) -> None:
    page = fetch(server + path, ALLOWED)
    assert page.verdict is Verdict.ERROR and page.reason.startswith("redirected to an unsupported scheme")


def test_no_cookie_is_stored_or_sent(server: ServerURL) -> None:
    with Fetcher(ALLOWED) as fetcher:
        fetcher.fetch_all([server + "/cookie"])
        fetcher.fetch_all([server + "/page?second"])
    assert [e.headers.get("cookie") for e in server.requests_to("/after-cookie")] == [None]
    assert "cookie" not in server.requests_to("/page?second")[0].headers


def test_a_request_says_who_it_is_and_nothing_more(server: ServerURL) -> None:
    with Fetcher(ALLOWED) as fetcher:
        fetcher.fetch_all([server + "/page?headers", server + "/cookie"])
    for entry in server.requests_to("/page?headers") + server.requests_to("/after-cookie"):
        assert set(entry.headers) == {"host", "user-agent", "accept", "accept-encoding"}
        assert entry.headers["user-agent"] == ALLOWED.user_agent and "citelint" in entry.headers["user-agent"]
        assert entry.headers["accept-encoding"] == "gzip, deflate"


def test_credentials_are_never_sent(server: ServerURL, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login editor password hunter2\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    port = server.rsplit(":", 1)[1]
    assert fetch(f"http://user:pass@127.0.0.1:{port}/page?creds", ALLOWED).verdict is Verdict.ALIVE
    assert fetch(server + "/page?netrc", ALLOWED).verdict is Verdict.ALIVE
    for entry in server.requests_to("/page?creds") + server.requests_to("/page?netrc"):
        assert "authorization" not in entry.headers


def test_proxy_variables_are_ignored(server: ServerURL, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert fetch(server + "/page?proxy", ALLOWED).verdict is Verdict.ALIVE
    assert len(server.requests_to("/page?proxy")) == 1
