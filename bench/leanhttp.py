"""A lean HTTP/1.1 server for the benchmarks: one event loop, answers prepared in advance.

bench/verify measures a client on the machine that also runs the server it talks to. The tests'
server (tests/httpserver.py: the standard library's ThreadingHTTPServer, a thread per
connection, headers parsed by the email package) took about 1.1 CPU-s per 1,000 requests on
this two-core machine: CPU a real server on another machine does not take from the client,
and that slows a client in proportion to the CPU it needs itself, so it skewed comparisons
between clients. This one reads each request's head, waits the latency on the event loop and
writes a response whose bytes were made before the run (about 0.1 CPU-s per 1,000 requests).

It knows only what the benchmarks need: GET and HEAD, keep-alive, a fixed latency, a table of
paths, 404 for the rest, and a count of the requests it answered.
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

_MAX_HEAD = 64 * 1024


def response(status: int, body: bytes, content_type: str = "text/html; charset=utf-8") -> tuple[bytes, bytes]:
    """A response as (head, body) bytes."""
    reason = {200: "OK", 404: "Not Found"}.get(status, "Status")
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("ascii")
    return head, body


class LeanServer:
    """Listens on ``hosts`` (one port for all); ``answer(path)`` gives (head, body) or None (404)."""

    def __init__(self, hosts: Sequence[str], answer: Callable[[str], tuple[bytes, bytes] | None],
                 latency: float) -> None:
        self.hosts = list(hosts)
        self.answer = answer
        self.latency = latency
        self.requests = 0
        self.port = 0
        self._not_found = response(404, b"not found", "text/plain")
        self._loop = asyncio.new_event_loop()
        self._servers: list[asyncio.base_events.Server] = []

    async def _start(self) -> None:
        for host in self.hosts:
            server = await asyncio.start_server(self._connection, host, self.port, backlog=1024)
            self.port = server.sockets[0].getsockname()[1]
            self._servers.append(server)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                if len(head) > _MAX_HEAD:
                    return
                method, _, rest = head.partition(b" ")
                path = rest.partition(b" ")[0].decode("latin-1")
                self.requests += 1
                if self.latency:
                    await asyncio.sleep(self.latency)
                found = self.answer(path) or self._not_found
                writer.write(found[0] if method == b"HEAD" else found[0] + found[1])
                await writer.drain()
                if b"\r\nconnection: close" in head.lower():
                    return
        except ConnectionError:
            return
        finally:
            writer.close()

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._start())
        ready.set()
        self._loop.run_forever()
        for server in self._servers:
            server.close()
        # Connections still open (keep-alive) end here, on the running loop, not when their
        # coroutines are collected after it is closed.
        pending = asyncio.all_tasks(self._loop)
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.close()

    @contextmanager
    def running(self) -> Iterator[LeanServer]:
        ready = threading.Event()
        thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        thread.start()
        ready.wait()
        try:
            yield self
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            thread.join(timeout=5)
