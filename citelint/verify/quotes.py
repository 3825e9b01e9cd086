"""Quote matching against a fetched page: exact, normalized, altered (near match) or missing.

The ladder of shared/research/verification-notes.md §3:
1. exact: the quote (whitespace collapsed, the writer's enclosing marks and edge punctuation
   dropped) is a substring of the page's text at word boundaries;
2. normalized: the quote's words equal a run of the page's words once both are folded (NFKC,
   invisible characters dropped, apostrophes unified, casefolded; punctuation, quote marks and
   dashes are not words). An ellipsis splits the quote into pieces that must appear in order
   at most ELLIPSIS_GAP words apart; "[Assange]" stands for 0-WILDCARD page words; "[T]he" is
   "The"; "[sic]" is dropped;
3. altered: a near match found by rapidfuzz in a few candidate regions, with a word diff;
4. missing.

Bounds: the page's text is only searched with str.find/str.count (C, linear), never with a
regex built from the quote. The fuzzy tier compares FUZZY_WORDS quote words at most, locates
with LOCATE_CHARS of them, in at most REGIONS regions voted for by ANCHORS long quote words.
"""
from __future__ import annotations

import bisect
import functools
import html
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz import fuzz

from citelint.verify.model import QuoteMatch, QuoteResult
from citelint.verify.pagetext import PageText

# A near match needs this similarity (rapidfuzz ratio, 0-100, of the folded words). Measured on
# the fixture article: a dropped or swapped word in a 5-14 word quote scores 87-97, two
# changes in nine words 88; paraphrases score ~76 and invented quotes on the page's own topic
# 43-72. Below 85, a few shared common words are too likely to be chance. Short quotes are
# the exception: one changed word in "held talks in Paris" costs more than 15 points, so a
# single-word edit with at least ONE_EDIT_MATCHED words matching around it is altered too.
ALTERED_MIN = 85.0
ONE_EDIT_MATCHED = 3
WEAK_WORDS, WEAK_CHARS = 3, 12  # shorter quotes are weak evidence (vellum, §3)
WILDCARD = 5  # page words one "[bracketed]" substitution may stand for
ELLIPSIS_GAP = 60  # page words an ellipsis may skip
EXCERPT_CHARS = 300
DIFF_CHARS = 400
CONTEXT = 2  # unchanged words kept on each side of a change in a diff
FUZZY_WORDS = 400  # quote words the fuzzy tier compares (about 2,400 characters)
LOCATE_CHARS = 500  # quote characters rapidfuzz aligns when choosing a region
WHOLE_PAGE = 30_000  # pages with fewer word characters are aligned whole
ANCHORS, ANCHOR_HITS, REGIONS = 12, 300, 4
MAX_OCCURRENCES = 10_000  # occurrences of one normalized piece followed; later ones dropped
MAX_PIECES = 12  # a quote cut into more pieces by brackets and ellipses skips tier 2
MAX_REJECTS = 10_000  # exact hits without word boundaries skipped before giving up
CHUNK = 4096  # characters folded at a time (split at whitespace)

_WILD, _GAP = "\ue000", "\ue001"  # private-use markers that survive folding
_WORD = re.compile(r"\w+(?:'\w+)*")
_TOKEN = re.compile(rf"{_WILD}|{_GAP}|\w+(?:'\w+)*")
_DISPLAY = re.compile(r"\w+(?:['‘’ʼ‛′]\w+)*")
_ELLIPSIS = re.compile(r"[\[(]\s*(?:…|\.(?:\s*\.){2,})\s*[\])]|…|\.(?:\s*\.){2,}")
_SIC = re.compile(r"[\[(]\s*sic\s*[\])]", re.I)
_BRACKET = re.compile(r"(\w*)\[([^\[\]\n]{0,80})\](\w*)")
_SPACE = re.compile(r"\s")
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);")
_EDGE = " \t\r\n\u00a0\"'“”‘’«»„‟‹›‚‛,.;:"
_APOSTROPHE = re.compile("[‘’‚‛′ʼ]")


def match_quote(quote: str, page: PageText) -> QuoteMatch:
    """How ``quote`` appears in the page's text or its JSON-LD articleBody (the best wins)."""
    q = _clean(quote)
    pieces, links, bare = _pattern(q)
    weak = len(bare.split()) < WEAK_WORDS or len(bare) < WEAK_CHARS
    texts = [t for t in (page.text, page.json_ld_body) if t]
    if not bare:
        return QuoteMatch(quote, QuoteResult.MISSING, 0.0, weak=True)
    flat = " ".join(q.split())
    for text in texts:
        found = _exact(flat, _flat(text))
        if found is not None:
            return QuoteMatch(quote, QuoteResult.EXACT, 100.0, _excerpt(found), weak=weak)
    for text in texts:
        index = _index(text)
        span = _normalized(pieces, links, index.words)
        if span is not None:
            excerpt = _excerpt(text[index.span(span[0])[0] : index.span(span[1])[1]])
            return QuoteMatch(quote, QuoteResult.NORMALIZED, 100.0, excerpt, weak=weak)
    if weak:  # a few words may be near anything: never "altered"
        return QuoteMatch(quote, QuoteResult.MISSING, 0.0, weak=True)
    shown, folded = _quote_words(q)
    best: _Near | None = None
    for text in texts:
        near = _fuzzy(folded, _index(text))
        if near is not None and (best is None or near.score > best.score):
            best = near
    if best is None or (best.score < ALTERED_MIN and not _one_edit(best.words, folded)):
        return QuoteMatch(quote, QuoteResult.MISSING, best.score if best else 0.0)
    original = best.index.text[best.start : best.end]
    diff = _diff(_display(original, best.words), best.words, shown, folded)
    return QuoteMatch(quote, QuoteResult.ALTERED, best.score, _excerpt(original), diff)


# -- the quote ---------------------------------------------------------------------------


def _clean(quote: str) -> str:
    """Entities decoded once, then the enclosing marks and the writer's edge punctuation."""
    if _ENTITY.search(quote):
        quote = html.unescape(quote)
    return quote.strip(_EDGE)


def _pattern(q: str) -> tuple[list[str], list[int], str]:
    """Pieces of folded words (" a b "), the page words allowed between them, the bare text."""
    marked = _BRACKET.sub(_bracket, _ELLIPSIS.sub(f" {_GAP} ", _SIC.sub(" ", q)))
    pieces: list[list[str]] = []
    links: list[int] = []
    pending = 0
    for token in _TOKEN.findall(_fold(marked)):
        if token in (_WILD, _GAP):
            if pieces:  # markers before the first word or after the last change nothing
                pending += WILDCARD if token == _WILD else ELLIPSIS_GAP
            continue
        if pending or not pieces:
            pieces.append([])
            if pending:
                links.append(pending)
            pending = 0
        pieces[-1].append(token)
    bare = " ".join(marked.replace(_WILD, " ").replace(_GAP, " ").split()).strip(_EDGE)
    return [" " + " ".join(p) + " " for p in pieces], links, bare


def _bracket(match: re.Match[str]) -> str:
    before, inside, after = match.groups()
    if len(inside) == 1 and inside.isalpha() and after and not before:
        return inside + after  # "[T]he": the same word with another case
    return f" {_WILD} "  # "[Assange]", "walk[ed]": a short substitution


def _quote_words(q: str) -> tuple[list[str], list[str]]:
    """The quote's words as written and folded, brackets opened, for the fuzzy tier."""
    text = _ELLIPSIS.sub(" ", _SIC.sub(" ", q)).replace("[", "").replace("]", "")
    folded = _WORD.findall(_fold(text))[:FUZZY_WORDS]
    return _display(text, folded), folded


def _display(original: str, folded: list[str]) -> list[str]:
    """The original spelling of ``folded`` words, when the two tokenise alike."""
    shown = _DISPLAY.findall(_invisible().sub("", original))
    if len(shown) == len(folded) or (len(folded) == FUZZY_WORDS and len(shown) > FUZZY_WORDS):
        return shown[: len(folded)]
    return folded


# -- folding and the per-text index --------------------------------------------------------


@functools.cache
def _invisible() -> re.Pattern[str]:
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


def _fold(text: str) -> str:
    """NFKC, invisible characters dropped, apostrophes unified, casefolded."""
    if text.isascii():
        return text.lower()
    text = _invisible().sub("", unicodedata.normalize("NFKC", text).replace("\u2019", "'"))
    return _APOSTROPHE.sub("'", text).casefold()


@dataclass(frozen=True)
class _Index:
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
        found = list(_WORD.finditer(folded))
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
        if chunk[i].isascii():  # the common case, without the cost of _fold
            pieces.append(chunk[i].lower())
            back.append(i)
            i += 1
            continue
        j = i + 1
        while j < n and unicodedata.category(chunk[j])[0] == "M":
            j += 1
        piece = _fold(chunk[i:j])
        pieces.append(piece)
        back.extend([i] * len(piece))
        i = j
    back.append(n)
    return "".join(pieces), back


@functools.lru_cache(maxsize=4)
def _index(text: str) -> _Index:
    starts = _chunk_starts(text)
    parts: list[str] = []
    firsts: list[int] = []
    count = 0
    for lo, hi in zip(starts, starts[1:] + [len(text)]):
        firsts.append(count)
        words = _WORD.findall(_fold(text[lo:hi]))
        if words:
            parts.append(" ".join(words))
            count += len(words)
    return _Index(text, " " + " ".join(parts) + " ", starts, firsts)


def _chunk_starts(text: str) -> list[int]:
    """Cut points every CHUNK characters, at whitespace (words never straddle two chunks)."""
    starts = [0]
    while starts[-1] + CHUNK < len(text):
        cut = _SPACE.search(text, starts[-1] + CHUNK, starts[-1] + 2 * CHUNK)
        starts.append(cut.start() if cut else starts[-1] + 2 * CHUNK)
    return starts


@functools.lru_cache(maxsize=4)
def _flat(text: str) -> str:
    return " ".join(text.split())


# -- tiers -----------------------------------------------------------------------------------


def _exact(quote: str, flat: str) -> str | None:
    """``quote`` in ``flat`` at word boundaries (a weak quote's "yes" is not in "yesterday")."""
    left, right = _is_word(quote[0]), _is_word(quote[-1])
    at = flat.find(quote)
    for _ in range(MAX_REJECTS):
        if at < 0:
            return None
        end = at + len(quote)
        if not (left and at and _is_word(flat[at - 1])) and not (
            right and end < len(flat) and _is_word(flat[end])
        ):
            return flat[at:end]
        at = flat.find(quote, at + 1)
    return None


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _normalized(pieces: list[str], links: list[int], words: str) -> tuple[int, int] | None:
    """Word indices of the first and last word of the earliest chain of pieces, in order.

    A state is (end, start): where a chain's last piece ends (its trailing space) and where its
    first piece begins. An occurrence of the next piece extends the state ending last before it
    (the smallest gap) if the gap is within the link. Later pieces are only looked for within
    reach of a state, and each stretch of the text is scanned once per piece.
    """
    if not pieces or len(pieces) > MAX_PIECES:
        return None
    states = [(at + len(pieces[0]) - 1, at) for at in _occurrences(pieces[0], words)]
    for piece, gap in zip(pieces[1:], links):
        ends = [end for end, _ in states]
        reach = 64 * (gap + 1)  # characters: no run of `gap` words is longer in practice
        reached: list[tuple[int, int]] = []
        scanned = 0
        for end in ends:
            limit = end + reach + len(piece)
            at = words.find(piece, max(end, scanned), limit)
            while at >= 0 and len(reached) < MAX_OCCURRENCES:
                i = bisect.bisect_right(ends, at) - 1
                if at - ends[i] <= reach and words.count(" ", ends[i], at) <= gap:
                    reached.append((at + len(piece) - 1, states[i][1]))
                at = words.find(piece, at + 1, limit)
            scanned = end + reach + 1
            if len(reached) >= MAX_OCCURRENCES:
                break
        states = reached
    if not states:
        return None
    end, start = states[0]
    return words.count(" ", 0, start + 1) - 1, words.count(" ", 0, end) - 1


def _occurrences(piece: str, words: str, limit: int = MAX_OCCURRENCES) -> list[int]:
    found: list[int] = []
    at = words.find(piece)
    while at >= 0 and len(found) < limit:
        found.append(at)
        at = words.find(piece, at + 1)
    return found


@dataclass(frozen=True)
class _Near:
    score: float
    index: _Index
    start: int  # offsets in index.text
    end: int
    words: list[str]  # the page's folded words there


def _fuzzy(quote: list[str], index: _Index) -> _Near | None:
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
    return _Near(score, index, index.span(k)[0], index.span(k + b - a - 1)[1], page[a:b])


def _joined(index: _Index, k: int) -> bool:
    """Whether words ``k`` and ``k + 1`` are separated by nothing but spaces in the text."""
    between = index.text[index.span(k)[1] : index.span(k + 1)[0]]
    return not between.strip()


def _one_edit(page: list[str], quote: list[str]) -> bool:
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
        found = _occurrences(needle, words, ANCHOR_HITS + 1)
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


# -- output ------------------------------------------------------------------------------


def _diff(
    source: list[str], folded_source: list[str], quote: list[str], folded: list[str]
) -> str | None:
    """Changed words with CONTEXT words around them: "… held [-secret-] talks in …"."""
    ops = SequenceMatcher(None, folded_source, folded, autojunk=False).get_opcodes()
    if all(tag == "equal" for tag, *_ in ops):
        return None
    out: list[str] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            kept = quote[j1:j2]
            head = kept[:CONTEXT] if n else []
            tail = kept[-CONTEXT:] if n < len(ops) - 1 else []
            if len(kept) > len(head) + len(tail):
                out.extend([*head, "…", *tail])
            else:
                out.extend(kept)
            continue
        if i2 > i1:
            out.append("[-" + " ".join(source[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(quote[j1:j2]) + "+}")
    text = " ".join(out)
    return text if len(text) <= DIFF_CHARS else text[: DIFF_CHARS - 1].rsplit(" ", 1)[0] + " …"


def _excerpt(original: str) -> str:
    """The page's words as a reader sees them: invisible characters out, whitespace collapsed,
    at most EXCERPT_CHARS characters (cut at a space)."""
    text = " ".join(_invisible().sub("", original).split())
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text.rfind(" ", 0, EXCERPT_CHARS - 1)
    return text[: cut if cut > EXCERPT_CHARS // 2 else EXCERPT_CHARS - 1] + "…"
