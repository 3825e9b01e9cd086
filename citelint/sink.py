"""Where a report goes: nowhere until the run has finished it, then all at once.

CI tools parse stdout or the -o file; a run refused half-way (an unusable cache with
--format json, a bad baseline, an interrupt) must leave a complete document or none. The
report is spooled (in memory, then a temporary file past a few MB, so a long run stays
flat) and copied to stdout on commit; -o writes a temporary file beside FILE and renames
it over FILE on commit, so FILE is never half-written.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from typing import IO, TextIO

_SPOOL_BYTES = 8 * 1024 * 1024


class ReportSink:
    """``stream`` collects the report; ``commit`` publishes it, ``discard`` drops it."""

    def __init__(self, stdout: TextIO, path: str | None = None) -> None:
        self.stdout = stdout
        self.path = path
        self._temp: str | None = None
        self.stream: IO[str]
        if path is None:
            self.stream = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES, mode="w+", encoding="utf-8", newline="")
        else:
            folder = os.path.dirname(os.path.abspath(path))
            fd, self._temp = tempfile.mkstemp(prefix=".citelint-report-", suffix=".tmp", dir=folder)
            self.stream = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        if self._temp is None:
            self.stream.seek(0)
            shutil.copyfileobj(self.stream, self.stdout)
            self.stdout.flush()
            self.stream.close()
            return
        assert self.path is not None
        self.stream.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self._temp, 0o666 & ~umask)  # as open(FILE, "w") would have made it
        os.replace(self._temp, self.path)
        self._temp = None

    def discard(self) -> None:
        self.stream.close()
        if self._temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._temp)
            self._temp = None
