"""The fuzzy tier of quote matching: the best near match of a quote's words in a few regions of
a page, voted for by its rarest words, and the run of page words that best covers it."""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz import fuzz

from citelint.verify.textindex import TextIndex, occurrences

ONE_EDIT_MATCHED = 3  # words matching around a single-word edit for a short quote to be "altered"
LOCATE_CHARS = 500  # quote characters rapidfuzz aligns when choosing a region
WHOLE_PAGE = 30_000  # pages with fewer word characters are aligned whole
ANCHORS, ANCHOR_HITS, REGIONS = 12, 300, 4


@dataclass(frozen=True)
class Near:
    score: float
    index: TextIndex
    start: int  # offsets in index.text
    end: int
    words: list[str]  # the page's folded words there


def fuzzy(quote: list[str], index: TextIndex) -> Near | None:
    """The best near match of ``quote`` (folded words) in a few regions of the page."""
    joined = " ".join(quote)
    words = index.words
    locate = joined[:LOCATE_CHARS].rsplit(" ", 1)[0] if len(joined) > LOCATE_CHARS else joined
    if len(words) <= WHOLE_PAGE + 3 * len(joined):
        regions = [(0, len(words))]
    else:
        regions = _regions(quote, joined, words)
    best = None
    for lo, hi in regions:
        found = fuzz.partial_ratio_alignment(locate, words[lo:hi])
        if found is not None and (best is None or found.score > best[0]):
            best = (found.score, lo + found.dest_start)
    if best is None:
        return None
    # The words around the located start, wide enough for the whole quote plus what it dropped.
    slack = 3 + len(quote) // 4
    lo = max(0, words.rfind(" ", 0, best[1] + 1))
    for _ in range(slack):
        lo = max(0, words.rfind(" ", 0, lo))
    hi = lo
    for _ in range(len(quote) + 2 * slack):
        hi = words.find(" ", hi + 1)
        if hi < 0:
            hi = len(words)
            break
    page = words[lo:hi].split()
    a, b, lead, trail = _best_span(page, quote)
    if a >= b:
        return None
    first = words.count(" ", 0, lo + 1) - 1  # the index of page[0] among all words
    # A quote's unmatched first or last words stand for the page's words beside the match (a
    # swapped word) only within one clause: never past punctuation, a closing quote mark …
    while lead and a > 0 and _joined(index, first + a - 1):
        a, lead = a - 1, lead - 1
    while trail and b < len(page) and _joined(index, first + b - 1):
        b, trail = b + 1, trail - 1
    score = round(fuzz.ratio(joined, " ".join(page[a:b])), 1)
    k = first + a
    return Near(score, index, index.span(k)[0], index.span(k + b - a - 1)[1], page[a:b])


def _joined(index: TextIndex, k: int) -> bool:
    """Whether words ``k`` and ``k + 1`` are separated by nothing but spaces in the text."""
    between = index.text[index.span(k)[1] : index.span(k + 1)[0]]
    return not between.strip()


def one_edit(page: list[str], quote: list[str]) -> bool:
    """Whether ``quote`` is ``page`` with one word swapped, added or dropped."""
    ops = SequenceMatcher(None, page, quote, autojunk=False).get_opcodes()
    edits = [(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal"]
    matched = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
    return len(edits) == 1 and max(edits[0]) == 1 and matched >= ONE_EDIT_MATCHED


def _regions(quote: list[str], joined: str, words: str) -> list[tuple[int, int]]:
    """Where the quote may start: diagonals voted for by its longest (rarest-looking) words
    and word pairs; each anchor is one find per occurrence, stopped at ANCHOR_HITS."""
    padded = f" {joined} "
    grams = {*quote, *(f"{a} {b}" for a, b in zip(quote, quote[1:]))}  # pairs: rarer than words
    hits: list[tuple[int, str]] = []
    anchors = 0
    for gram in sorted(grams, key=lambda g: (-len(g), g))[: 3 * ANCHORS]:
        needle = f" {gram} "
        found = occurrences(needle, words, ANCHOR_HITS + 1)
        if 0 < len(found) <= ANCHOR_HITS:  # one that is everywhere anchors nothing
            hits.extend((at - padded.find(needle), gram) for at in found)
            anchors += 1
            if anchors == ANCHORS:
                break
    hits.sort()
    tolerance = 40 + len(joined) // 4
    votes: list[tuple[int, int]] = []
    counts: dict[str, int] = {}
    j = 0
    for i, (diagonal, _) in enumerate(hits):  # two pointers: distinct anchors per window
        while j < len(hits) and hits[j][0] - diagonal <= tolerance:
            counts[hits[j][1]] = counts.get(hits[j][1], 0) + 1
            j += 1
        votes.append((-len(counts), diagonal))
        counts[hits[i][1]] -= 1
        if not counts[hits[i][1]]:
            del counts[hits[i][1]]
    chosen: list[int] = []
    for _, diagonal in sorted(votes):
        if all(abs(diagonal - c) > tolerance for c in chosen):
            chosen.append(diagonal)
            if len(chosen) == REGIONS:
                break
    slack = 20 + len(joined) // 4
    return [(max(0, d - slack), d + len(joined) + tolerance + slack) for d in chosen]


def _best_span(page: list[str], quote: list[str]) -> tuple[int, int, int, int]:
    """The run of ``page`` words that best covers the quote: the pair of matching blocks that
    maximises 2·matched / (quote words + run words), so a stray "the" far away is left out;
    and the quote's unmatched words before and after it (a swapped first or last word, or
    words the writer added)."""
    matcher = SequenceMatcher(None, page, quote, autojunk=False)
    blocks = sorted((b for b in matcher.get_matching_blocks() if b.size), key=lambda b: -b.size)
    if not blocks:
        return 0, 0, 0, 0
    blocks = sorted(blocks[:80], key=lambda b: b.a)
    best, pair = -1.0, (blocks[0], blocks[0])
    for i, first in enumerate(blocks):
        matched = 0
        for last in blocks[i:]:
            matched += last.size
            dice = 2 * matched / (len(quote) + last.a + last.size - first.a)
            if dice > best:
                best, pair = dice, (first, last)
    first, last = pair
    return first.a, last.a + last.size, first.b, len(quote) - last.b - last.size
