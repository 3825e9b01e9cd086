"""The input errors of a run, kept for the report's end without holding them all in memory."""
from __future__ import annotations

import heapq
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from citelint.model import InputError

HELD = 1_000  # errors kept in memory; each further batch is sorted and spilled to a temporary file


def _key(error: InputError) -> tuple[str, str]:
    return (error.path, error.message)


class InputErrors:
    """A run's input errors: counted as they come, listed sorted by path and message at the end.

    An archive of a million articles may have a hundred thousand unreadable files or broken
    sidecars. Past ``HELD`` errors, each batch is sorted and written to one temporary file
    (pickled: a file name may hold bytes no text encoding keeps), and ``sorted`` merges the
    batches back as it goes, so memory stays flat however many files a run covers.
    """

    def __init__(self, errors: Iterable[InputError] = ()) -> None:
        self._held: list[InputError] = []
        self._count = 0
        self._spill: IO[bytes] | None = None
        self._runs: list[int] = []  # file offset where each spilled, sorted batch begins
        self.extend(errors)

    def append(self, error: InputError) -> None:
        self._held.append(error)
        self._count += 1
        if len(self._held) >= HELD:
            self._write_run()

    def extend(self, errors: Iterable[InputError]) -> None:
        for error in errors:
            self.append(error)

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def sorted(self) -> Iterator[InputError]:
        """Every error, sorted by (path, message); errors with the same key in the order met."""
        held = sorted(self._held, key=_key)
        if not self._runs:
            yield from held
            return
        # heapq.merge keeps the order of its inputs among equal keys: batches in the order written, the held ones last.
        yield from heapq.merge(*(self._read_run(i) for i in range(len(self._runs))), held, key=_key)

    def close(self) -> None:
        if self._spill is not None:
            self._spill.close()
            self._spill = None

    def _write_run(self) -> None:
        if self._spill is None:
            self._spill = tempfile.TemporaryFile(prefix="citelint-errors-")
        self._spill.seek(0, 2)
        self._runs.append(self._spill.tell())
        pickler = pickle.Pickler(self._spill, protocol=pickle.HIGHEST_PROTOCOL)
        for error in sorted(self._held, key=_key):
            pickler.dump(error)
            pickler.clear_memo()
        self._held.clear()

    def _read_run(self, index: int) -> Iterator[InputError]:
        spill = self._spill
        assert spill is not None
        position = self._runs[index]
        count = HELD
        for _ in range(count):  # every spilled batch holds exactly HELD errors
            spill.seek(position)
            error = pickle.load(spill)
            position = spill.tell()
            assert isinstance(error, InputError)
            yield error
