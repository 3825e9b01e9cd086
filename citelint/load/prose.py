"""Building a document's prose view and the OffsetMap that aligns it with the original."""
from __future__ import annotations

import bisect
import contextlib
import gc
import html
import html.entities
import re
from collections.abc import Iterable, Iterator

from citelint.model import OffsetMap


def blank(segment: str) -> str:
    """Spaces of the same length as ``segment``, keeping its newlines (line structure)."""
    if "\n" not in segment:
        return " " * len(segment)
    return "\n".join(" " * len(part) for part in segment.split("\n"))


def blank_ranges(text: str, ranges: Iterable[tuple[int, int]]) -> str:
    """``text`` with every (start, end) range blanked; ranges may be unsorted or overlap."""
    parts: list[str] = []
    append = parts.append
    pos = 0
    for start, end in sorted(ranges):
        if end <= pos:
            continue
        if start < pos:
            start = pos
        append(text[pos:start])
        segment = text[start:end]
        append(" " * (end - start) if "\n" not in segment else blank(segment))
        pos = end
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)


class ProseBuilder:
    """Assembles a prose view from a base string aligned with the original text.

    ``base`` has the original's length (the original itself, or a copy with markup blanked to
    spaces). Edits are given left to right and must not overlap; the stretches between them
    are kept verbatim. ``replace`` lets a string of any length stand for a range (an entity
    for its character, a tag for ``"\\n\\n"`` or ``""``); ``blank`` turns a range into spaces,
    one-to-one with the original.
    """

    def __init__(self, base: str) -> None:
        self._base = base
        self._edits: list[tuple[int, int, str | None]] = []  # None: blank, one-to-one
        self._pos = 0
        self._segments: list[tuple[int, int, int, bool]] = []
        self._length = 0

    @property
    def position(self) -> int:
        """The original offset up to which edits have been given."""
        return self._pos

    def keep(self, start: int, end: int) -> None:
        """Keep ``base[start:end]`` verbatim (stretches between edits are kept anyway)."""
        self._check(start, end)

    def blank(self, start: int, end: int) -> None:
        self._check(start, end)
        self._edits.append((start, end, None))

    def replace(self, start: int, end: int, replacement: str) -> None:
        self._check(start, end)
        self._edits.append((start, end, replacement))

    def extend(self, edits: list[tuple[int, int, str]]) -> None:
        """Many ``replace`` edits at once, already sorted and not overlapping."""
        if edits:
            self._check(edits[0][0], edits[-1][1])
            self._edits.extend(edits)

    def _check(self, start: int, end: int) -> None:
        if start < self._pos or end < start:
            raise ValueError(f"edits must go left to right: {start}..{end} after {self._pos}")
        self._pos = end

    def build(self) -> tuple[str, OffsetMap]:
        """The prose view and its OffsetMap (the identity map when nothing changed length)."""
        base = self._base
        parts: list[str] = []
        segments: list[tuple[int, int, int, bool]] = []
        append, add = parts.append, segments.append
        replaced = False
        pos = length = 0
        verbatim_from = 0  # original offset where the current one-to-one run began
        run_prose = 0  # prose offset of that run
        for start, end, replacement in self._edits:
            if start < pos:
                raise ValueError(f"overlapping edits at {start}")
            if replacement is None:  # blank: one-to-one, the run goes on
                append(base[pos:start])
                append(blank(base[start:end]))
                length += end - pos
                pos = end
                continue
            replaced = True
            append(base[pos:start])
            length += start - pos
            if start > verbatim_from:
                add((run_prose, verbatim_from, start, True))
            if replacement:
                add((length, start, end, False))
                append(replacement)
                length += len(replacement)
            pos = verbatim_from = end
            run_prose = length
        append(base[pos:])
        length += len(base) - pos
        if len(base) > verbatim_from:
            add((run_prose, verbatim_from, len(base), True))
        self._segments, self._length = segments, length
        prose = "".join(parts)
        if not replaced:
            return prose, OffsetMap()
        if not segments:  # everything was removed; keep the map total
            return prose, OffsetMap([(0, 0, 0, True)])
        return prose, OffsetMap(segments)

    def to_prose(self, offsets: list[int]) -> list[int]:
        """The prose offsets at which original ``offsets`` land (after ``build``)."""
        segments = self._segments
        if not segments:
            return [min(o, self._length) for o in offsets]
        starts = [s[1] for s in segments]
        return [_to_prose(segments, starts, self._length, o) for o in offsets]


def _to_prose(
    segments: list[tuple[int, int, int, bool]], starts: list[int], length: int, offset: int
) -> int:
    i = bisect.bisect_right(starts, offset) - 1
    if i < 0:
        return 0
    p0, o0, o1, verbatim = segments[i]
    if offset >= o1:  # in a removed stretch after this segment
        if i + 1 < len(segments):
            return segments[i + 1][0]
        return length
    if verbatim:
        return p0 + (offset - o0)
    return p0


ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entity(raw: str) -> str | None:
    """The character(s) an HTML entity (``&amp;``, ``&#8217;``, ``&#x2019;``) stands for, or
    None when it is unknown; only ``;``-terminated references are decoded."""
    if raw[1] == "#":
        return html.unescape(raw)
    return html.entities.html5.get(raw[1:])


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a loader allocates many small tuples that
    cannot form cycles; it otherwise re-scans them over and over (a quarter of HTML time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
