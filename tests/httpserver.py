"""A real HTTP server on 127.0.0.1 for tests: routes declared as data, every request logged.

Use it from any test (tests/ is on sys.path)::

    from httpserver import Route, redirect, serve

    ROUTES = {
        "/page": Route(body="<p>hello</p>"),
        "/moved": redirect("/page", 301),
        "/flaky": Route(body="ok", failures=[Route(500)]),       # 500 once, then 200
        "/slow": Route(body="x" * 100, trickle=0.5, chunk=10),    # 10 bytes every 0.5 s
    }

    def test_something():
        with serve(ROUTES) as base:           # base is the URL string "http://127.0.0.1:PORT"
            fetch(base + "/page")
            assert base.log[0].path == "/page"
            assert "cookie" not in base.log[0].headers

or as a fixture in your own test file (do not add one to a shared conftest.py)::

    @pytest.fixture
    def server():
        with serve(ROUTES) as base:
            yield base

Unknown paths get ``default`` (a 404 unless given). ``serve_many(routes, ["127.0.0.1",
"127.0.0.2"])`` serves the same routes on several loopback addresses (one port, one log) for
tests of per-host behaviour. The server speaks HTTP/1.1 with keep-alive, runs each
connection in a daemon thread, counts the requests in progress (``base.peak``) and stops
when the block ends.
"""
from __future__ import annotations

import gzip as gzip_module
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Route:
    """What the server answers on one path."""

    status: int = 200
    body: bytes | str = b""
    headers: Mapping[str, str] | Sequence[tuple[str, str]] = ()  # a sequence allows repeats (Set-Cookie)
    content_type: str | None = "text/html; charset=utf-8"  # None: no Content-Type header
    delay: float = 0.0  # seconds before the status line (latency, slow servers)
    trickle: float = 0.0  # seconds between body chunks of ``chunk`` bytes
    chunk: int = 1
    stall: float = 0.0  # seconds to wait after the headers before the body (a stalled response)
    failures: Sequence[Route] = ()  # answered, in order, to the first requests of this path
    gzip: bool = False  # gzip the body (and say so in Content-Encoding)
    close: bool = False  # no Content-Length: the body ends when the connection closes


def redirect(location: str, status: int = 302) -> Route:
    """A redirect to ``location`` (absolute or relative)."""
    return Route(status, headers={"Location": location})


@dataclass(frozen=True)
class Logged:
    """One request the server received."""

    method: str
    path: str  # with the query string
    headers: dict[str, str]  # lowercased names
    time: float  # time.monotonic() when the request line was read
    server: str  # the address the request came in on ("127.0.0.1")


@dataclass
class _State:
    routes: Mapping[str, Route]
    default: Route
    log: list[Logged] = field(default_factory=list)
    hits: dict[str, int] = field(default_factory=dict)
    active: int = 0
    peak: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)


class ServerURL(str):
    """The server's base URL ("http://127.0.0.1:PORT"), which also carries its request log."""

    state: _State

    @property
    def log(self) -> list[Logged]:
        with self.state.lock:
            return list(self.state.log)

    @property
    def peak(self) -> int:
        """The most requests that were being answered at the same time."""
        return self.state.peak

    def requests_to(self, path: str) -> list[Logged]:
        return [entry for entry in self.log if entry.path == path]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else headers and body as two writes meet the client's delayed ACK (+40 ms)
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        state = self.server.state
        entry = Logged("GET", self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic(),
                       self.server.server_address[0])
        path = self.path.split("?", 1)[0]
        with state.lock:
            state.log.append(entry)
            route = state.routes.get(self.path) or state.routes.get(path) or state.default
            seen = state.hits.get(path, 0)
            state.hits[path] = seen + 1
            state.active += 1
            state.peak = max(state.peak, state.active)
        if seen < len(route.failures):
            route = route.failures[seen]
        ended = False

        def end() -> None:
            nonlocal ended
            if not ended:
                ended = True
                with state.lock:
                    state.active -= 1

        try:
            self._answer(route, state.stopping, end)
        finally:
            end()

    do_HEAD = do_GET

    def _answer(self, route: Route, stopping: threading.Event, end: Callable[[], None]) -> None:
        """Send the route's answer; ``end()`` just before its last bytes: a client holding them
        may send its next request at once, before this thread runs again, and that must not
        count as two requests in progress (``peak``)."""
        if route.delay and stopping.wait(route.delay):
            return
        body = route.body.encode() if isinstance(route.body, str) else route.body
        if route.gzip:
            body = gzip_module.compress(body)
        self.send_response(route.status)
        if route.content_type is not None:
            self.send_header("Content-Type", route.content_type)
        if route.gzip:
            self.send_header("Content-Encoding", "gzip")
        headers = route.headers.items() if isinstance(route.headers, Mapping) else route.headers
        for name, value in headers:
            self.send_header(name, value)
        if route.close:
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "HEAD" or not body:
            end()  # the headers are the last bytes
        self.wfile.flush()
        if route.stall and stopping.wait(route.stall):
            return
        if self.command == "HEAD":
            return
        step = route.chunk if route.trickle else len(body) or 1
        for at in range(0, len(body), step):
            if at + step >= len(body):
                end()
            self.wfile.write(body[at:at + step])
            self.wfile.flush()
            if route.trickle and stopping.wait(route.trickle):
                return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 256
    state: _State

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (timeouts under test) is not news


@contextmanager
def serve(routes: Mapping[str, Route], default: Route | None = None, host: str = "127.0.0.1",
          port: int = 0) -> Iterator[ServerURL]:
    """Run a server for the block; yields its base URL (with ``.log`` and ``.peak``)."""
    with serve_many(routes, [host], default, port) as urls:
        yield urls[0]


@contextmanager
def serve_many(routes: Mapping[str, Route], hosts: Sequence[str], default: Route | None = None,
               port: int = 0) -> Iterator[list[ServerURL]]:
    """One server per address (all on one port), sharing routes, log and counters."""
    state = _State(routes, default or Route(404, "not found"))
    servers: list[_Server] = []
    try:
        for host in hosts:
            server = _Server((host, port), _Handler)
            server.state = state
            port = server.server_address[1]
            servers.append(server)
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        urls = []
        for host in hosts:
            url = ServerURL(f"http://{host}:{port}")
            url.state = state
            urls.append(url)
        yield urls
    finally:
        state.stopping.set()
        for server in servers:
            server.shutdown()
            server.server_close()


# A source list naming the outlet these servers stand for: 127.0.0.1 is "Harbour Wire".
HARBOUR_WIRE = """
[[source]]
id = "harbour-wire"
name = "Harbour Wire"
domains = ["127.0.0.1"]
kind = "wire"
status = "reliable"
"""
