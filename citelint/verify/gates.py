"""Per-host gates (concurrency and a minimum interval between request starts) and the deadline
watchdog that shuts down the socket of a request still running at its deadline."""
from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass, field


@dataclass
class _Gate:
    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0


class HostGates:
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
    lock: threading.Lock = field(default_factory=threading.Lock)  # sockets and fired, with the watchdog


class Watchdog:
    """Shuts down the sockets of requests that outlive their deadline.

    Each worker arms a watch before a request; the connection reports the socket serving it
    (``observe``) and the watch keeps its own duplicate of the descriptor, so shutting it
    down can never touch a descriptor that was closed and reused meanwhile.

    A worker touches only its own watch (and its own entry in the table, one dict operation):
    with hundreds of requests at once, one lock for all of them was taken three times per
    request by every worker. The thread is woken only for a deadline before its next wake-up.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._watches: dict[int, _Watch] = {}
        self._thread: threading.Thread | None = None
        self._closed = False
        self._wake: float | None = None  # when the asleep thread wakes next (None: not asleep, or only when told)

    def arm(self, deadline: float) -> _Watch:
        watch = _Watch(deadline)
        self._watches[threading.get_ident()] = watch
        wake = self._wake
        if wake is None or deadline < wake:
            # Only a deadline before the thread's next wake-up needs it now (with one timeout
            # for all requests, almost never), or a thread not asleep (it may have scanned
            # the table before this watch was in it).
            with self._cond:
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
        with watch.lock:
            watch.sockets.append(dup)
            if watch.fired:
                _shutdown(dup)

    def disarm(self, watch: _Watch) -> bool:
        """Forget the watch; True if it fired (the request ran past its deadline)."""
        self._watches.pop(threading.get_ident(), None)
        with watch.lock:
            sockets, watch.sockets = watch.sockets, []
            fired = watch.fired
        for sock in sockets:
            sock.close()
        return fired

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _run(self) -> None:
        with self._cond:
            while not self._closed:
                now = time.monotonic()
                upcoming = []
                for watch in list(self._watches.values()):
                    if watch.fired:
                        continue
                    if watch.deadline <= now:
                        with watch.lock:
                            watch.fired = True
                            for sock in watch.sockets:
                                _shutdown(sock)
                    else:
                        upcoming.append(watch.deadline)
                self._wake = min(upcoming) if upcoming else None
                self._cond.wait(self._wake - now if self._wake is not None else None)
                self._wake = None  # awake: a watch armed now must tell the thread


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
