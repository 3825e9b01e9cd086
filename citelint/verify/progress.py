"""The verifier as the command line runs it: a progress line on a terminal's stderr."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TextIO

from citelint.model import Attribution
from citelint.registry import Registry
from citelint.verify.settings import FetchSettings, Progress
from citelint.verify.model import Verification
from citelint.verify.verifier import Verifier


class ProgressVerifier:
    """The verifier with a progress line on a terminal's stderr (silent otherwise)."""

    def __init__(self, settings: FetchSettings, registry: Registry, err: TextIO | None,
                 archive_url: str | None = None) -> None:
        self.err = err
        self.shown = False
        self.inner = Verifier(settings, registry, self._progress if err else None, archive_url)

    @property
    def cache_problem(self) -> str | None:
        """A damaged cache that was moved aside or bypassed (for one warning), once opened."""
        return self.inner.cache_problem

    def verify(self, batches: Iterable[tuple[Attribution, ...]], dates: Sequence[str | None] = ()) -> list[dict[str, Verification]]:
        return self.inner.verify(batches, dates)

    def verify_documents(self, documents: Iterable[tuple[tuple[Attribution, ...], str | None]]) -> list[dict[str, Verification]]:
        return self.inner.verify_documents(documents)

    def close(self) -> None:
        self.inner.close()

    def _progress(self, p: Progress) -> None:
        assert self.err is not None
        rate = p.done / p.elapsed if p.elapsed > 0 else 0.0
        eta = f", ETA {(p.total - p.done) / rate:.0f} s" if rate and p.done < p.total else ""
        self.err.write(f"\rverifying {p.done}/{p.total} URLs ({p.host}){eta}\x1b[K")
        self.err.flush()
        self.shown = True

    def progress_done(self) -> None:
        if self.shown and self.err is not None:
            self.err.write("\r\x1b[K")
            self.err.flush()
