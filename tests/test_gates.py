"""The deadline watchdog on real sockets: a request past its deadline has its socket shut
down whatever other requests are in flight, and one within it is left alone."""
from __future__ import annotations

import socket
import threading
import time

from citelint.verify.gates import Watchdog


def _blocked_read(dog: Watchdog, seconds: float) -> tuple[bytes, float, bool]:
    """Arm a watch of ``seconds``, then wait on a socket nobody writes to."""
    here, there = socket.socketpair()
    try:
        watch = dog.arm(time.monotonic() + seconds)
        dog.observe(here)
        started = time.monotonic()
        here.settimeout(10)
        data = here.recv(16)  # returns b"" once the watchdog shuts the socket down
        return data, time.monotonic() - started, dog.disarm(watch)
    finally:
        here.close()
        there.close()


def test_a_short_deadline_armed_after_long_ones_still_fires_on_time() -> None:
    dog = Watchdog()
    release = threading.Event()
    armed = threading.Barrier(9)

    def long_request() -> None:  # armed first: the watchdog sleeps until their (late) deadline
        watch = dog.arm(time.monotonic() + 60)
        armed.wait()
        release.wait(10)
        dog.disarm(watch)

    others = [threading.Thread(target=long_request) for _ in range(8)]
    for thread in others:
        thread.start()
    armed.wait()
    try:
        data, waited, fired = _blocked_read(dog, 0.3)
    finally:
        release.set()
        for thread in others:
            thread.join()
        dog.close()
    assert data == b"" and fired
    assert 0.1 <= waited < 3  # its deadline (0.3 s), not the others' (60 s)


def test_a_request_within_its_deadline_is_left_alone() -> None:
    dog = Watchdog()
    here, there = socket.socketpair()
    try:
        watch = dog.arm(time.monotonic() + 5)
        dog.observe(here)
        there.sendall(b"answer")
        assert here.recv(16) == b"answer"
        assert dog.disarm(watch) is False
        there.sendall(b"later")
        assert here.recv(16) == b"later"  # the watch's own duplicate was closed, not this socket
    finally:
        dog.close()
        here.close()
        there.close()
