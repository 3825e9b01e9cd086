"""Freed memory goes back to the system: big blocks are mapped on their own, not kept in the heap."""
from __future__ import annotations

import sys

BIG_FILE = 1 << 20  # bytes: below this an article's strings never reach the heap's trouble
_MMAP_THRESHOLD = 128 * 1024  # glibc's default, held fixed
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
_done = False


def for_big_file(size: int) -> None:
    """Before a big article is read: ask the C library to map every block of 128 KiB or more
    on its own, so the text's copies (the decoded text, its prose view, the lowercased view)
    are unmapped when freed.

    glibc otherwise raises that threshold to the size of the first such block freed, and
    every later copy lands in the heap, which cannot shrink past the objects made after it:
    a 10 MB Markdown article then peaks about 40 MiB higher (bench/memory). Once per process;
    elsewhere than glibc, nothing.
    """
    global _done
    if _done or size < BIG_FILE or not sys.platform.startswith("linux"):
        return
    _done = True
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError):
        return
    mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)
