"""A time budget per file: a file that takes far longer than its size warrants is reported
as an input error and the run goes on with the other files."""
from __future__ import annotations

import math
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

# Normal prose is checked at about 2 MB/s; the budget allows a quarter of that plus a
# fixed allowance, so only a pathological slowdown (a hang) ever reaches it.
BASE_SECONDS = 30.0
SECONDS_PER_MB = 2.0


class OverBudget(Exception):
    """The file's budget ran out; ``message`` says so for the report."""

    def __init__(self, seconds: float) -> None:
        self.message = f"not checked: still unfinished after {seconds:g} s (the time budget for a file this size)"
        super().__init__(self.message)


def budget_for(size: int) -> float:
    return BASE_SECONDS + SECONDS_PER_MB * size / 1_000_000


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise OverBudget inside the block once ``seconds`` have passed (wall clock).

    Uses SIGALRM, so it guards only in the main thread of a POSIX process; elsewhere the
    block runs unguarded (the work itself is linear in the input, see bench/adversarial).
    """
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread() \
            or not math.isfinite(seconds) or seconds <= 0:
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise OverBudget(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
