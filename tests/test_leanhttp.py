"""bench/leanhttp.py, the benchmarks' event-loop server: what it answers is what a client sees."""
from __future__ import annotations

import http.client
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from leanhttp import LeanServer, response  # noqa: E402


def pages(path: str) -> tuple[bytes, bytes] | None:
    if path.startswith("/article/"):
        return response(200, f"<p>page {path.rsplit('/', 1)[1]} “curly”</p>".encode())
    return None


def test_answers_keep_alive_get_head_and_404_on_every_address() -> None:
    with LeanServer(["127.0.0.1", "127.0.0.2"], pages, latency=0.02).running() as server:
        for host in ("127.0.0.1", "127.0.0.2"):
            conn = http.client.HTTPConnection(host, server.port, timeout=5)
            started = time.monotonic()
            conn.request("GET", "/article/7")
            first = conn.getresponse()
            assert first.status == 200
            assert first.getheader("Content-Type") == "text/html; charset=utf-8"
            assert first.read().decode() == "<p>page 7 “curly”</p>"
            assert time.monotonic() - started >= 0.02  # the latency is served
            conn.request("HEAD", "/article/8")  # the same connection: keep-alive
            head = conn.getresponse()
            assert head.status == 200 and head.read() == b""
            assert head.getheader("Content-Length") == str(len("<p>page 8 “curly”</p>".encode()))
            conn.request("GET", "/elsewhere")
            missing = conn.getresponse()
            assert missing.status == 404 and missing.read() == b"not found"
            conn.close()
        assert server.requests == 6


def test_many_connections_at_once_are_all_answered() -> None:
    import concurrent.futures

    def fetch(n: int) -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", f"/article/{n}")
        body = conn.getresponse().read()
        conn.close()
        return body

    with LeanServer(["127.0.0.1"], pages, latency=0.05).running() as server:
        with concurrent.futures.ThreadPoolExecutor(100) as pool:
            bodies = list(pool.map(fetch, range(200)))
    assert bodies == [f"<p>page {n} “curly”</p>".encode() for n in range(200)]
    assert server.requests == 200
