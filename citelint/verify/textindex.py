"""A page text's folded words and the way back to the original characters.

Folding: NFKC, invisible (format) characters dropped, apostrophes unified, casefolded. The
index holds the text's folded words as one string (" w1 w2 … "), searched with str.find, and
where each CHUNK of the text starts, so a word's original offsets are found by refolding one
chunk, never the whole text.
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass

CHUNK = 4096  # characters folded at a time (split at whitespace)
MAX_OCCURRENCES = 10_000  # occurrences of one piece followed; later ones dropped
WORD = re.compile(r"\w+(?:'\w+)*")
_SPACE = re.compile(r"\s")
_APOSTROPHE = re.compile("[‘’‚‛′ʼ]")


@functools.cache
def invisible() -> re.Pattern[str]:
    """Format characters (category Cf): soft hyphen, zero-width, bidi marks, BOM …"""
    planes = (range(0x20000), range(0xE0000, 0xE0080))  # every Cf character is in these
    found = [c for r in planes for c in r if unicodedata.category(chr(c)) == "Cf"]
    runs: list[list[int]] = []
    for c in found:
        if runs and runs[-1][1] == c - 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    ranges = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs)
    return re.compile(f"[{ranges}]+")


def fold(text: str) -> str:
    """NFKC, invisible characters dropped, apostrophes unified, casefolded."""
    if text.isascii():
        return text.lower()
    text = invisible().sub("", unicodedata.normalize("NFKC", text).replace("\u2019", "'"))
    return _APOSTROPHE.sub("'", text).casefold()


@dataclass(frozen=True)
class TextIndex:
    """A text's folded words (" w1 w2 … "), and where each chunk of the text starts."""

    text: str
    words: str
    starts: list[int]  # chunk offsets in text
    firsts: list[int]  # index of each chunk's first word

    def span(self, k: int) -> tuple[int, int]:
        """Word ``k``'s offsets in the original text (refolding one chunk)."""
        c = bisect.bisect_right(self.firsts, k) - 1
        lo = self.starts[c]
        hi = self.starts[c + 1] if c + 1 < len(self.starts) else len(self.text)
        folded, back = _fold_map(self.text[lo:hi])
        found = list(WORD.finditer(folded))
        if not found:
            return lo, lo
        m = found[min(k - self.firsts[c], len(found) - 1)]
        return lo + back[m.start()], lo + back[m.end()]


def _fold_map(chunk: str) -> tuple[str, list[int]]:
    """``chunk`` folded by grapheme-ish clusters, with each folded offset's original offset."""
    if chunk.isascii():
        return chunk.lower(), list(range(len(chunk) + 1))
    pieces: list[str] = []
    back: list[int] = []
    i, n = 0, len(chunk)
    while i < n:
        if chunk[i].isascii():  # the common case, without the cost of fold
            pieces.append(chunk[i].lower())
            back.append(i)
            i += 1
            continue
        j = i + 1
        while j < n and unicodedata.category(chunk[j])[0] == "M":
            j += 1
        piece = fold(chunk[i:j])
        pieces.append(piece)
        back.extend([i] * len(piece))
        i = j
    back.append(n)
    return "".join(pieces), back


@functools.lru_cache(maxsize=4)
def text_index(text: str) -> TextIndex:
    starts = _chunk_starts(text)
    parts: list[str] = []
    firsts: list[int] = []
    count = 0
    for lo, hi in zip(starts, starts[1:] + [len(text)]):
        firsts.append(count)
        words = WORD.findall(fold(text[lo:hi]))
        if words:
            parts.append(" ".join(words))
            count += len(words)
    return TextIndex(text, " " + " ".join(parts) + " ", starts, firsts)


def _chunk_starts(text: str) -> list[int]:
    """Cut points every CHUNK characters, at whitespace (words never straddle two chunks)."""
    starts = [0]
    while starts[-1] + CHUNK < len(text):
        cut = _SPACE.search(text, starts[-1] + CHUNK, starts[-1] + 2 * CHUNK)
        starts.append(cut.start() if cut else starts[-1] + 2 * CHUNK)
    return starts


@functools.lru_cache(maxsize=4)
def flat(text: str) -> str:
    return " ".join(text.split())


def occurrences(piece: str, words: str, limit: int = MAX_OCCURRENCES) -> list[int]:
    found: list[int] = []
    at = words.find(piece)
    while at >= 0 and len(found) < limit:
        found.append(at)
        at = words.find(piece, at + 1)
    return found
