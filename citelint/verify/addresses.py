"""The address policy: citelint connects only to public addresses unless a host is allowed.

An article is untrusted input, so a cited URL (or a redirect) must not make citelint reach
the machine it runs on, the local network or a cloud metadata endpoint (SSRF). The policy is
enforced twice:

1. **Before each request** (every redirect hop too), the host is resolved and refused if any
   of its addresses is loopback, private, link-local, reserved, multicast, unspecified, or an
   IPv4-mapped, 6to4 or NAT64 form of one. This gives the reason shown to the user, and a
   refused URL is never requested.
2. **On the connected socket** (DNS rebinding): the name is resolved again when the
   connection is made, and a hostile DNS server can answer "public" to the check and
   "127.0.0.1" to the connect. So the connections of :class:`GuardedAdapter` check
   ``sock.getpeername()`` right after connecting, before a byte is sent, and close the socket
   if the peer is not allowed. Checking the address actually connected to (rather than
   pinning the first answer) needs no change to TLS hostname checks or SNI, covers every
   address urllib3 tries in turn, and cannot be raced.

A name or IP literal in ``allow_hosts`` is exempt (``--allow-host``); an allowed IP literal
also exempts any name that resolves to exactly that address.
"""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Sequence[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


def describe(ip: IPAddress) -> str | None:
    """Why an address is not public ("a loopback address"), or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner: ipaddress.IPv4Address | None = None
        form = ""
        if ip.ipv4_mapped is not None:
            inner, form = ip.ipv4_mapped, "an IPv4-mapped"
        elif ip.sixtofour is not None:
            inner, form = ip.sixtofour, "a 6to4"
        elif ip in _NAT64:
            inner, form = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "a NAT64"
        elif ip in _NAT64_LOCAL:
            return "a local-use NAT64 address"
        if inner is not None:
            kind = describe(inner)
            return None if kind is None else f"{form} form of {inner}, {kind}"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private or (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local):
        return "a private address"
    if not ip.is_global:
        return "a non-public address"
    return None


def parse_ip(text: str) -> IPAddress | None:
    """The address an IP literal (or getaddrinfo result, maybe with a %scope) stands for."""
    try:
        return ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def normalize_host(host: str) -> str:
    """Hosts compare lowercased, without a trailing dot, IP literals in canonical form."""
    host = host.strip().strip("[]").rstrip(".").lower()
    ip = parse_ip(host)
    return str(ip) if ip is not None else host


def system_resolver(host: str) -> list[str]:
    """Every address the system resolver gives for a name (raises socket.gaierror)."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class HostCheck:
    """The outcome of vetting a host before a request."""

    ok: bool
    reason: str = ""  # why not, for people
    refused: bool = False  # refused by the policy
    unresolvable: bool = False  # the name does not exist: the link is dead


_NO_SUCH_NAME = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}


class AddressPolicy:
    """Decides which hosts and peer addresses citelint may connect to."""

    def __init__(self, allow_hosts: Iterable[str] = (), resolver: Resolver | None = None) -> None:
        self.allowed = frozenset(normalize_host(h) for h in allow_hosts)
        self._resolver = resolver

    def vet_host(self, host: str) -> HostCheck:
        """Resolve a URL's host and check every address it has."""
        name = normalize_host(host)
        if name in self.allowed:
            return HostCheck(True)
        literal = parse_ip(name)
        if literal is not None:
            kind = describe(literal)
            if kind is None:
                return HostCheck(True)
            return self._refuse(f"{literal} is {kind}", name)
        try:
            addresses = (self._resolver or system_resolver)(name)
        except UnicodeError:  # not a name IDNA can encode, so no such name
            return HostCheck(False, f"name does not resolve: {name}", unresolvable=True)
        except socket.gaierror as exc:
            if exc.errno in _NO_SUCH_NAME:
                return HostCheck(False, f"name does not resolve: {name}", unresolvable=True)
            return HostCheck(False, f"DNS lookup failed for {name}: {exc.strerror or exc}")
        for address in addresses:
            refusal = self.peer_refusal(name, address)
            if refusal is not None:
                return HostCheck(False, refusal, refused=True)
        return HostCheck(True)

    def peer_refusal(self, host: str, address: str) -> str | None:
        """Why connecting to ``address`` for ``host`` is refused, or None when it is fine."""
        name = normalize_host(host)
        ip = parse_ip(address)
        if name in self.allowed or ip is None or str(ip) in self.allowed:
            return None
        kind = describe(ip)
        if kind is None:
            return None
        if parse_ip(name) == ip:
            return _refusal(f"{ip} is {kind}", name)
        return _refusal(f"{name} resolves to {ip}, {kind}", name)

    def _refuse(self, why: str, name: str) -> HostCheck:
        return HostCheck(False, _refusal(why, name), refused=True)


def _refusal(why: str, name: str) -> str:
    return f"refused: {why} (allow it with --allow-host {name})"


class PeerRefused(NewConnectionError):
    """A connection reached an address the policy refuses (DNS rebinding); nothing was sent."""

    def __init__(self, conn: HTTPConnection, reason: str) -> None:
        self.refusal = reason
        super().__init__(conn, reason)


class TLSNoAnswer(NewConnectionError):
    """The TLS handshake got no answer in time: most often a plain-HTTP port. Not retried."""

    def __init__(self, conn: HTTPConnection, reason: str) -> None:
        self.why = reason
        super().__init__(conn, reason)


SocketObserver = Callable[[socket.socket], None]


def _guarded(base: type[HTTPConnection], policy: AddressPolicy, observe: SocketObserver | None) -> Any:
    """A connection class that vets its peer after connecting and reports its sockets."""

    class Guarded(base):  # type: ignore[valid-type,misc]
        def _new_conn(self) -> socket.socket:
            sock: socket.socket = super()._new_conn()
            peer = str(sock.getpeername()[0])
            refusal = policy.peer_refusal(self.host, peer)
            if refusal is not None:
                sock.close()
                raise PeerRefused(self, refusal)
            if observe is not None:
                observe(sock)
            return sock

        def connect(self) -> None:
            try:
                super().connect()
            except (TimeoutError, socket.timeout) as exc:  # only the handshake: _new_conn raises its own
                if not isinstance(self, HTTPSConnection):
                    raise
                self.close()
                raise TLSNoAnswer(self, f"no answer to the TLS handshake within {self.timeout:g} s "
                                        "(is this port serving plain HTTP?)") from exc

        def request(self, *args: Any, **kwargs: Any) -> None:
            if observe is not None and self.sock is not None:
                observe(self.sock)  # a kept-alive connection serves this request
            super().request(*args, **kwargs)

    return Guarded


class GuardedAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections enforce the address policy on the connected peer.

    ``observe`` is told about the socket serving each request (so a deadline can end it).
    """

    def __init__(self, policy: AddressPolicy, pool_maxsize: int, observe: SocketObserver | None = None) -> None:
        self._policy = policy
        self._observe = observe
        super().__init__(pool_connections=100, pool_maxsize=pool_maxsize, max_retries=0)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)

        class Pool(HTTPConnectionPool):
            ConnectionCls = _guarded(HTTPConnection, self._policy, self._observe)

        class TLSPool(HTTPSConnectionPool):
            ConnectionCls = _guarded(HTTPSConnection, self._policy, self._observe)

        self.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": TLSPool}
