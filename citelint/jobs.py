"""``--jobs N``: files loaded, extracted, resolved (and, offline, checked) in worker processes.

The parent walks the inputs lazily and sends chunks of paths to a process pool; the outcomes
come back and are handed on in discovery order, so the report is the one a single process
writes, byte for byte. At most a few chunks per worker are in flight: memory does not grow
with the number of files. Fetching (``--verify``) stays in the parent, which thus still
fetches each distinct URL once per run; workers only prepare those files.

Workers are started with ``spawn`` (nothing inherited but what is sent: the same on every
platform, and safe beside the fetcher's threads). A worker that dies (killed, out of memory
in C code) costs only its own file: the files that were in flight are checked again one at a
time, and the one that kills a worker again is reported as an internal error.
"""
from __future__ import annotations

import gc
import multiprocessing
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from citelint.model import InputError
from citelint.pipeline import FileChecker, Outcome, read_stdin

CHUNK = 8  # files per task: fewer round trips, still fine-grained enough to balance
IN_FLIGHT = 4  # chunks per worker queued at once: enough to keep workers busy, bounded memory

Work = tuple[str, bytes | None]  # a path (or "-" with stdin's bytes)
Entry = Outcome | Work  # in discovery order: an outcome known in the parent, or work for a worker

_checker: FileChecker | None = None  # in a worker: set once by _start


def _start(file_checker: FileChecker) -> None:
    global _checker
    _checker = file_checker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    gc.set_threshold(100_000, 50, 50)  # as in the parent (see pipeline.Run.execute)
    gc.freeze()


def _check(work: list[Work]) -> list[Outcome]:
    assert _checker is not None
    return [_checker(item, stdin) for item, stdin in work]


def _executor(file_checker: FileChecker, jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(jobs, multiprocessing.get_context("spawn"), initializer=_start, initargs=(file_checker,))


Pending = tuple[list[Entry], "Future[list[Outcome]] | None", ProcessPoolExecutor | None]


def in_workers(file_checker: FileChecker, items: Iterable[str | InputError], jobs: int) -> Iterator[Outcome]:
    """The outcome of each discovered item, in order, the work done by ``jobs`` processes."""
    pool: ProcessPoolExecutor | None = None  # started at the first file (a run may have none)
    pending: deque[Pending] = deque()
    try:
        for chunk in _chunks(file_checker, items):
            work = [e for e in chunk if not isinstance(e, Outcome)]
            future = None
            if work:
                if pool is None:
                    pool = _executor(file_checker, jobs)
                try:
                    future = pool.submit(_check, work)
                except BrokenProcessPool:  # a worker died since the last chunk: the chunks it held are redone below
                    pool.shutdown(wait=True, cancel_futures=True)
                    pool = _executor(file_checker, jobs)
                    future = pool.submit(_check, work)
            pending.append((chunk, future, pool))
            while len(pending) > jobs * IN_FLIGHT:
                outcomes, dead = _collect(file_checker, *pending.popleft())
                if dead is not None and dead is pool:
                    pool.shutdown(wait=True, cancel_futures=True)
                    pool = _executor(file_checker, jobs)
                yield from outcomes
        while pending:
            outcomes, _ = _collect(file_checker, *pending.popleft())
            yield from outcomes
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _chunks(file_checker: FileChecker, items: Iterable[str | InputError]) -> Iterator[list[Entry]]:
    chunk: list[Entry] = []
    work = 0
    for item in items:
        if isinstance(item, InputError):
            chunk.append(Outcome(item.path, [item]))
            continue
        if item == "-":
            stdin = read_stdin(file_checker)  # the parent's stdin, not a worker's
            chunk.append(stdin if isinstance(stdin, Outcome) else (item, stdin))
        else:
            chunk.append((item, None))
        work += 1
        if work >= CHUNK:
            yield chunk
            chunk, work = [], 0
    if chunk:
        yield chunk


def _collect(file_checker: FileChecker, entries: list[Entry], future: Future[list[Outcome]] | None,
             executor: ProcessPoolExecutor | None) -> tuple[list[Outcome], ProcessPoolExecutor | None]:
    """The chunk's outcomes in order, and the executor if it broke (its other futures are lost too)."""
    dead = None
    try:
        done = future.result() if future is not None else []
    except BrokenProcessPool:
        dead = executor
        done = _one_by_one(file_checker, [e for e in entries if not isinstance(e, Outcome)])
    outcomes = iter(done)
    return [e if isinstance(e, Outcome) else next(outcomes) for e in entries], dead


def _one_by_one(file_checker: FileChecker, work: list[Work]) -> list[Outcome]:
    """Each file in a worker by itself: a worker that dies now names the file that killed it."""
    done = []
    alone = _executor(file_checker, 1)
    try:
        for item in work:
            try:
                done.append(alone.submit(_check, [item]).result()[0])
            except BrokenProcessPool:
                alone.shutdown(wait=True)
                alone = _executor(file_checker, 1)
                display = file_checker.display(item[0])
                done.append(Outcome(display, [InputError(display, "internal error while checking: the worker process "
                                    "checking this file ended unexpectedly (out of memory, or killed) (please report this)")],
                                    internal=True))
    finally:
        alone.shutdown(wait=True)
    return done
