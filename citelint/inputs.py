"""Reading the files citelint is given (articles, sidecars, configs, source lists,
baselines): regular files only, never more than a cap, and TOML of bounded depth.

A FIFO would block the run forever and /dev/zero would fill memory, so a file is opened
without blocking and refused unless fstat says it is a regular file; the read stops one
byte past the cap.
"""
from __future__ import annotations

import os
import stat
import tomllib
from typing import Any

MB = 1024 * 1024
_KINDS = (
    (stat.S_ISDIR, "is a directory"),
    (stat.S_ISFIFO, "not a regular file (a FIFO)"),
    (stat.S_ISCHR, "not a regular file (a character device)"),
    (stat.S_ISBLK, "not a regular file (a block device)"),
    (stat.S_ISSOCK, "not a regular file (a socket)"),
)


class ReadError(Exception):
    """A file that cannot be read; ``message`` is the reason (lower case, no path)."""

    def __init__(self, message: str, missing: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.missing = missing  # no such file: some callers treat that as "none given"


def open_regular(path: str | os.PathLike[str]) -> tuple[int, int]:
    """A read-only descriptor of the regular file at ``path`` and its size; ReadError for
    anything else (opened without blocking, so a FIFO is refused, not waited on)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ReadError("no such file", missing=True) from None
    except OSError as error:
        raise ReadError(reason(error)) from None
    try:
        info = os.fstat(fd)
    except OSError as error:
        os.close(fd)
        raise ReadError(reason(error)) from None
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ReadError(next((m for test, m in _KINDS if test(info.st_mode)), "not a regular file"))
    return fd, info.st_size


def read_fd(fd: int, limit: int, size: int | None = None) -> bytes:
    """Up to ``limit + 1`` bytes of an open descriptor (one more tells it was over); closes it.

    With the file's ``size``, that much (and one byte) is asked for first: a buffer of the
    whole limit (50 MB) for every small article costs more than reading it.
    """
    try:
        first = limit + 1 if size is None or size >= limit else size + 1
        data = _read(fd, first)
        if len(data) == first < limit + 1:  # it grew since it was measured: read on, up to the limit
            data += _read(fd, limit + 1 - first)
        return data
    finally:
        os.close(fd)


def _read(fd: int, count: int) -> bytes:
    """``count`` bytes, or fewer at the end of the file (``os.read``: no file object per article)."""
    chunks = []
    while count > 0:
        chunk = os.read(fd, count)
        if not chunk:
            break
        chunks.append(chunk)
        count -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at ``path``; ReadError if it is anything else, is
    over ``limit`` bytes or cannot be read."""
    fd, size = open_regular(path)
    if size > limit:
        os.close(fd)
        raise ReadError(over(limit, size))
    try:
        data = read_fd(fd, limit, size)
    except OSError as error:
        raise ReadError(reason(error)) from None
    if len(data) > limit:  # it grew while being read
        raise ReadError(over(limit))
    return data


def read_text(path: str | os.PathLike[str], limit: int) -> str:
    """``read_regular`` decoded as UTF-8 (a BOM is dropped); ReadError names the bad byte."""
    data = read_regular(path, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ReadError(f"line {line}: not valid UTF-8 (byte {error.start}; save the file as UTF-8)") from None


def over(limit: int, size: int | None = None) -> str:
    cap = f"{limit / MB:g} MB" if limit >= MB else f"{limit} bytes"
    if size is None:
        return f"file is over the {cap} limit"
    return f"file is {size / MB:.1f} MB, over the {cap} limit" if size >= MB else f"file is {size} bytes, over the {cap} limit"


def reason(error: OSError) -> str:
    """The OS's own wording (strerror), lower-cased like the rest of citelint's messages."""
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]


def loads_toml(text: str) -> dict[str, Any]:
    """tomllib.loads, with nesting too deep for the parser's recursion reported as a
    TOMLDecodeError (a sidecar of ``a = [[[[…`` must be an input error, not a crash)."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError("arrays or tables nested too deeply") from None
