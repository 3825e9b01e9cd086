"""Quote matching against a fetched page: exact, normalized, altered (near match) or missing.

The ladder of shared/research/verification-notes.md §3:
1. exact: the quote (whitespace collapsed, the writer's enclosing marks and edge punctuation
   dropped) is a substring of the page's text at word boundaries;
2. normalized: the quote's words equal a run of the page's words once both are folded (NFKC,
   invisible characters dropped, apostrophes unified, casefolded; punctuation, quote marks and
   dashes are not words). An ellipsis splits the quote into pieces that must appear in order
   at most ELLIPSIS_GAP words apart; "[Assange]" stands for 0-WILDCARD page words; "[T]he" is
   "The"; "[sic]" is dropped;
3. altered: a near match found by rapidfuzz in a few candidate regions, with a word diff
   (``nearmatch.py``);
4. missing.

The page's folded words and the way back to its characters are in ``textindex.py``.

Bounds: the page's text is only searched with str.find/str.count (C, linear), never with a
regex built from the quote. The fuzzy tier compares FUZZY_WORDS quote words at most, locates
with LOCATE_CHARS of them, in at most REGIONS regions voted for by ANCHORS long quote words.
"""
from __future__ import annotations

import bisect
import html
import re
from difflib import SequenceMatcher

from citelint.verify.model import QuoteMatch, QuoteResult
from citelint.verify.nearmatch import Near, fuzzy, one_edit
from citelint.verify.pagetext import PageText
from citelint.verify.textindex import MAX_OCCURRENCES, WORD, flat, fold, invisible, occurrences, text_index

# A near match needs this similarity (rapidfuzz ratio, 0-100, of the folded words). Measured on
# the fixture article: a dropped or swapped word in a 5-14 word quote scores 87-97, two
# changes in nine words 88; paraphrases score ~76 and invented quotes on the page's own topic
# 43-72. Below 85, a few shared common words are too likely to be chance. Short quotes are
# the exception: one changed word in "held talks in Paris" costs more than 15 points, so a
# single-word edit with at least ONE_EDIT_MATCHED words matching around it is altered too.
ALTERED_MIN = 85.0
WEAK_WORDS, WEAK_CHARS = 3, 12  # shorter quotes are weak evidence (vellum, §3)
WILDCARD = 5  # page words one "[bracketed]" substitution may stand for
ELLIPSIS_GAP = 60  # page words an ellipsis may skip
EXCERPT_CHARS = 300
DIFF_CHARS = 400
CONTEXT = 2  # unchanged words kept on each side of a change in a diff
FUZZY_WORDS = 400  # quote words the fuzzy tier compares (about 2,400 characters)
MAX_PIECES = 12  # a quote cut into more pieces by brackets and ellipses skips tier 2
MAX_REJECTS = 10_000  # exact hits without word boundaries skipped before giving up

_WILD, _GAP = "\ue000", "\ue001"  # private-use markers that survive folding
_TOKEN = re.compile(rf"{_WILD}|{_GAP}|\w+(?:'\w+)*")
_DISPLAY = re.compile(r"\w+(?:['‘’ʼ‛′]\w+)*")
_ELLIPSIS = re.compile(r"[\[(]\s*(?:…|\.(?:\s*\.){2,})\s*[\])]|…|\.(?:\s*\.){2,}")
_SIC = re.compile(r"[\[(]\s*sic\s*[\])]", re.I)
_BRACKET = re.compile(r"(\w*)\[([^\[\]\n]{0,80})\](\w*)")
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);")
_EDGE = " \t\r\n\u00a0\"'“”‘’«»„‟‹›‚‛,.;:"


def match_quote(quote: str, page: PageText) -> QuoteMatch:
    """How ``quote`` appears in the page's text or its JSON-LD articleBody (the best wins)."""
    q = _clean(quote)
    pieces, links, bare = _pattern(q)
    weak = len(bare.split()) < WEAK_WORDS or len(bare) < WEAK_CHARS
    texts = [t for t in (page.text, page.json_ld_body) if t]
    if not bare:
        return QuoteMatch(quote, QuoteResult.MISSING, 0.0, weak=True)
    written = " ".join(q.split())
    for text in texts:
        found = _exact(written, page.flat if text is page.text and page.flat is not None else flat(text))
        if found is not None:
            return QuoteMatch(quote, QuoteResult.EXACT, 100.0, _excerpt(found), weak=weak)
    for text in texts:
        index = text_index(text)
        span = _normalized(pieces, links, index.words)
        if span is not None:
            excerpt = _excerpt(text[index.span(span[0])[0] : index.span(span[1])[1]])
            return QuoteMatch(quote, QuoteResult.NORMALIZED, 100.0, excerpt, weak=weak)
    if weak:  # a few words may be near anything: never "altered"
        return QuoteMatch(quote, QuoteResult.MISSING, 0.0, weak=True)
    shown, folded = _quote_words(q)
    best: Near | None = None
    for text in texts:
        near = fuzzy(folded, text_index(text))
        if near is not None and (best is None or near.score > best.score):
            best = near
    if best is None or (best.score < ALTERED_MIN and not one_edit(best.words, folded)):
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
    for token in _TOKEN.findall(fold(marked)):
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
    folded = WORD.findall(fold(text))[:FUZZY_WORDS]
    return _display(text, folded), folded


def _display(original: str, folded: list[str]) -> list[str]:
    """The original spelling of ``folded`` words, when the two tokenise alike."""
    shown = _DISPLAY.findall(invisible().sub("", original))
    if len(shown) == len(folded) or (len(folded) == FUZZY_WORDS and len(shown) > FUZZY_WORDS):
        return shown[: len(folded)]
    return folded


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
    states = [(at + len(pieces[0]) - 1, at) for at in occurrences(pieces[0], words)]
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
    text = " ".join(invisible().sub("", original).split())
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text.rfind(" ", 0, EXCERPT_CHARS - 1)
    return text[: cut if cut > EXCERPT_CHARS // 2 else EXCERPT_CHARS - 1] + "…"
