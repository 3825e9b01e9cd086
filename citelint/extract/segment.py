"""Paragraphs, sentences and quotations of a prose view (all as prose offset ranges)."""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from citelint.extract.lexicon import Finders, Lexicon, lexicon

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r]*\n\s*")
# A sentence ends at . ! ? (with closing quotes/brackets) before whitespace and a capital,
# digit or opening quote; abbreviations are filtered afterwards.
# Possessive runs tried only where a run starts: a million "." cannot be rescanned from
# every position inside it (a retry from mid-run could only reach the same failing end).
# ''A: two apostrophes open a quote.
# The first mark comes first and the look back after it (not before): a pattern that opens
# with a character class is scanned for that class at C speed; one that opens with a look
# back is tried at every position.
_SENTENCE_END = re.compile(r"[.!?](?<![.!?]{2})[.!?]*+[\"”’')\]]*+(?=\s+[\"“‘'(\[]{0,2}[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm st jr sr inc corp co ltd
    no nos vol jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u d.c a.m p.m
    vs v mt ft rev hon pres supt insp det sen. atty dept univ est fig al approx del""".split()
)
# A dateline ("WASHINGTON —", "ORLANDO, Fla. (Reuters) -"), matched where a block or sentence
# starts (re.match with a position: a "^" would match only at offset 0, so a dateline after a
# headline line went unseen). Its wire credit and dash after "Fla." do not start a sentence.
_CREDIT = r"\((?P<credit>[^()\n]{1,40})\)"
_DASH = r"(?P<dash>[—–]|--?)"
DATELINE = re.compile(
    rf"(?P<place>[A-Z][A-Z.'’ -]{{1,40}}?[A-Z.])(?:,\s*[A-Z][\w.' -]{{1,30}}?)?\s*(?:{_CREDIT}\s*)?{_DASH}\s*"
)
_CREDIT_AND_DASH = re.compile(rf"\s*{_CREDIT}\s*{_DASH}\s")
_WORD = re.compile(r"(?<![\w'’-])[A-Za-z]+")
_QUOTE_MARK = re.compile("[“”‘’«»„\"]")
_OPEN = {"“": "”", "‘": "’", "«": "»", "„": "“"}


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph and the sentences in it (prose ranges)."""

    start: int
    end: int
    sentences: tuple[tuple[int, int], ...]


def paragraphs(prose: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for match in _PARAGRAPH_BREAK.finditer(prose):
        if prose[pos : match.start()].strip():
            out.append(_strip(prose, pos, match.start()))
        pos = match.end()
    if prose[pos:].strip():
        out.append(_strip(prose, pos, len(prose)))
    return out


def _strip(prose: str, start: int, end: int) -> tuple[int, int]:
    while start < end and prose[start].isspace():
        start += 1
    while end > start and prose[end - 1].isspace():
        end -= 1
    return start, end


_INITIALS = re.compile(r"(?:[a-z]\.){1,3}[a-z]")


def _name_before(prose: str, start: int, word_start: int) -> bool:
    """Whether the word before ``word_start`` is a title ("Rep.") or a first name ("Mary"):
    initials after it are the middle of a name, not a sentence's end ("Washington, D.C. The")."""
    space = prose.rfind(" ", start, max(start, word_start - 1))
    before = prose[space + 1:word_start].strip()
    return before.lower().rstrip(".") in _ABBREVIATIONS or before[:1].isupper() and before[-1:].isalpha()


def sentences(prose: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    for match in _SENTENCE_END.finditer(prose, start, end):
        dot = match.start()
        if prose[dot] == ".":
            # the word before the dot, from the white space before it (a space, nearly always)
            word = prose[max(start, prose.rfind(" ", start, dot) + 1):dot]
            if "\n" in word or "\t" in word or "\xa0" in word:
                word = re.split("[\n\t\xa0]", word)[-1]
            word = word.lower().lstrip("(\"“‘'")
            if word in _ABBREVIATIONS or len(word) == 1 and word.isalpha():
                continue  # "Mr. Smith", "Donald J. Trump", "U.S. officials"
            if _INITIALS.fullmatch(word) and _name_before(prose, start, dot - len(word)):
                continue  # "Rep. G.K. Butterfield", "Mary J.L. Okafor"
            if prose[match.end():match.end() + 1].isspace() and _CREDIT_AND_DASH.match(prose, match.end(), end):
                continue
        out.append(_strip(prose, pos, match.end()))
        pos = match.end()
    if prose[pos:end].strip():
        out.append(_strip(prose, pos, end))
    if end - start <= LONGEST_SENTENCE:  # no sentence to cut
        return [s for s in out if s[0] < s[1]]
    return [piece for s in out if s[0] < s[1] for piece in _cut(prose, *s)]


# No sentence of real prose is this long (the longest in PolNeAR is 1,613 characters);
# a run without sentence ends (a list, a table, "reportedly reportedly …") is cut into
# pieces so that content spans, which run to the sentence end, stay short.
LONGEST_SENTENCE = 2500


def _cut(prose: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start <= LONGEST_SENTENCE:
        return [(start, end)]
    pieces = []
    while end - start > LONGEST_SENTENCE:
        limit = start + LONGEST_SENTENCE
        space = max(prose.rfind(" ", start + LONGEST_SENTENCE // 2, limit), prose.rfind("\n", start + LONGEST_SENTENCE // 2, limit))
        cut = space if space > start else limit
        pieces.append(_strip(prose, start, cut))
        start = _strip(prose, cut, end)[0]
    pieces.append((start, end))
    return [p for p in pieces if p[0] < p[1]]


def blocks(prose: str) -> list[Block]:
    return [Block(s, e, tuple(sentences(prose, s, e))) for s, e in paragraphs(prose)]


def quotations(prose: str, paras: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Outer quotation ranges (marks included), paragraph-spanning quotes joined.

    Curly quotes pair by kind; straight double quotes (and '') toggle within a paragraph. A
    paragraph that ends inside an open quote continues it when the next paragraph opens
    with a quote mark (the newspaper convention for multi-paragraph quotes).
    """
    original = prose
    if "''" in prose:
        prose = prose.replace("''", '"\x00')  # ''…'' (two apostrophes) is a double quote mark
    out: list[tuple[int, int]] = []
    carry: int | None = None
    for index, (p_start, p_end) in enumerate(paras):
        open_at: int | None = None
        closer = ""
        i = p_start
        if carry is not None:
            first = prose[p_start] if p_start < p_end else ""
            if first in "“\"":
                open_at, closer = carry, "”" if first == "“" else '"'
                i = p_start + 1
            carry = None
        while i < p_end:
            mark = _QUOTE_MARK.search(prose, i, p_end)
            if mark is None:
                break
            i = mark.start()
            ch = prose[i]
            if open_at is None:
                if ch in "“«„" or ch == '"' and _opens(prose, i, p_start):
                    open_at, closer = i, _OPEN.get(ch, '"')
                elif ch == "‘" and _opens(prose, i, p_start):
                    open_at, closer = i, "’"
            elif ch == closer or closer == '"' and ch == "”" or closer == "”" and ch == '"' and not _opens(prose, i, p_start):
                if closer == "’" and i + 1 < p_end and prose[i + 1].isalpha():
                    i += 1  # an apostrophe inside a single-quoted passage ("don’t")
                    continue
                out.append((open_at, i + 2 if original.startswith("''", i) else i + 1))
                open_at = None
            i += 1
        if open_at is not None:
            nxt = paras[index + 1][0] if index + 1 < len(paras) else None
            if nxt is not None and prose[nxt] in "“\"" and closer in "”\"":
                carry = open_at
            else:
                out.append((open_at, p_end))
    out.sort()
    return out


def _opens(prose: str, i: int, floor: int) -> bool:
    before = prose[i - 1] if i > floor else " "
    after = prose[i + 1] if i + 1 < len(prose) else " "
    return (before.isspace() or before in "([{—–-/:;,") and not after.isspace()


_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))  # a-z kept, all else a space


def _words_in(lowered: str, wanted: frozenset[bytes]) -> frozenset[str]:
    """Which of the ``wanted`` words occur in a lowercased text as whole runs of ASCII
    letters: one C pass each to encode, blank and split, where a substring test per word
    scanned the text some sixty times."""
    return frozenset(w.decode() for w in wanted.intersection(lowered.encode("ascii", "replace").translate(_LETTERS_ONLY).split()))


def _anchors(lowered: str, finders: Finders, words: frozenset[str] | None = None) -> list[int]:
    """Start offsets of the phrases the finders match, at word starts, sorted.

    ``words`` (from ``_words_in``) rules out a first word of ASCII letters that is not a
    whole run of letters in the text: a phrase starts at a word start and its first word is
    followed by a space, or by neither a letter nor a hyphen, so where it occurs it is one.
    Only the finders of words present are then visited."""
    by_word, others = _by_first_word(finders)
    if words is None:
        chosen = [finder for first, finder in finders if first in lowered]
    else:
        chosen = [by_word[w] for w in words.intersection(by_word)]
        chosen += [finder for first, finder in others if first in lowered]
    found = []
    for finder in chosen:
        for match in finder.finditer(lowered):
            pos = match.start()
            if pos == 0 or not (lowered[pos - 1].isalnum() or lowered[pos - 1] in "'’-"):
                found.append(pos)
    found.sort()
    return found


_FIRST_WORDS: dict[int, tuple[Finders, dict[str, re.Pattern[str]], Finders]] = {}


def _by_first_word(finders: Finders) -> tuple[dict[str, re.Pattern[str]], Finders]:
    """The finders whose first word is ASCII letters, by that word, and the others (worked
    out once per set of finders: the lexicon's live for the whole run)."""
    known = _FIRST_WORDS.get(id(finders))
    if known is None or known[0] is not finders:
        by_word = {first: finder for first, finder in finders if first.isascii() and first.isalpha()}
        others = tuple((first, finder) for first, finder in finders if first not in by_word)
        known = _FIRST_WORDS[id(finders)] = (finders, by_word, others)
    return known[1], known[2]


_EVERY: dict[int, tuple[Lexicon, tuple[Finders, ...], frozenset[bytes]]] = {}


def _every_finder(lex: Lexicon) -> tuple[tuple[Finders, ...], frozenset[bytes]]:
    """The finder sets a Layout runs and the first words of all of them (once per lexicon)."""
    known = _EVERY.get(id(lex))
    if known is None or known[0] is not lex:
        every = (lex.phrase_finders, lex.according_finders, lex.report_by_finders, lex.interviewed_by_finders,
                 lex.passive_vague_finders)
        words = frozenset(first.encode() for finders in every for first in _by_first_word(finders)[0])
        known = _EVERY[id(lex)] = (lex, every, words)
    return known[1], known[2]


_LOWER_CHUNK = 1 << 16  # characters lowercased at a time


def _lower_same_length(text: str) -> str:
    """text.lower(), keeping every offset: a few characters ("İ") lowercase to two, and a text
    with one is lowercased a character at a time.

    A long text is lowercased a piece at a time, cut at spaces (so a Greek final sigma, which
    looks at its neighbours, is judged as in the whole): CPython's str.lower() of a text with
    non-ASCII characters first allocates twelve bytes per character, 120 MB for a 10 MB
    article, where pieces of 64 k characters need under a megabyte."""
    if len(text) <= _LOWER_CHUNK or text.isascii():
        pieces = [text.lower()]
    else:
        pieces = []
        start = 0
        while start < len(text):
            end = min(start + _LOWER_CHUNK, len(text))
            if end < len(text):
                space = text.rfind(" ", start + 1, end)
                end = space if space > start else end
            pieces.append(text[start:end].lower())
            start = end
    if sum(map(len, pieces)) == len(text):
        return pieces[0] if len(pieces) == 1 else "".join(pieces)
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class Layout:
    """Blocks, sentences and quotations of one document, with fast position lookups."""

    def __init__(self, prose: str, extra_quotes: tuple[tuple[int, int], ...] = ()) -> None:
        self.prose = prose
        self.blocks = blocks(prose)
        # quotations() returns them sorted: dropping repeats in order spares a sort of every quote.
        self.quotes = list(dict.fromkeys(quotations(prose, [(b.start, b.end) for b in self.blocks])))
        # A block quotation (<blockquote>, Markdown ">") is an excerpt whose own attributions
        # count ("…, as reported by the AP"); only inline quotations (<q>) hide cues.
        self._block_starts = [b.start for b in self.blocks]
        whole = [r for r in extra_quotes if self._whole_blocks(r)]
        self.quote_regions = sorted(set(extra_quotes) - set(whole))
        self._excerpts = sorted(whole)
        self._excerpt_starts = [r[0] for r in self._excerpts]
        self._excerpt_ends = list(itertools.accumulate((r[1] for r in self._excerpts), max))
        self._region_starts = [r[0] for r in self.quote_regions]
        # Regions may nest (<blockquote> holding <q>): the furthest end reached so far decides.
        self._region_ends = []
        furthest = -1
        for _, end in self.quote_regions:
            furthest = max(furthest, end)
            self._region_ends.append(furthest)
        self._quote_starts = [q[0] for q in self.quotes]
        self.sentences = [s for b in self.blocks for s in b.sentences]
        # Every finder the extractor asks for is run now, so the lowercased copy (as big as the
        # prose: 20 MB for a 10 MB article with curly quotes) is gone before cues are built.
        lowered = _lower_same_length(prose)
        lex = lexicon()
        every, first_words = _every_finder(lex)
        words = _words_in(lowered, first_words)
        self._anchor_cache: dict[int, list[int]] = {id(finders): _anchors(lowered, finders, words) for finders in every}
        del lowered, words
        self.phrase_anchors = self._anchor_cache[id(lex.phrase_finders)]
        self.sentence_starts = [s[0] for s in self.sentences]  # sorted: bisect finds a position's sentence

    def _whole_blocks(self, region: tuple[int, int]) -> bool:
        start, end = _strip(self.prose, *region)
        i = bisect.bisect_left(self._block_starts, start)
        j = bisect.bisect_left(self._block_starts, end) - 1
        return i < len(self.blocks) and self.blocks[i].start == start and j >= i and self.blocks[j].end == end

    def anchors(self, finders: Finders) -> list[int]:
        """Where any of the finders' phrases starts, as whole words, ignoring case (found once
        per document and finders: several passes ask for the same)."""
        found = self._anchor_cache.get(id(finders))
        if found is None:  # a finder not run in __init__: lowercase again
            found = self._anchor_cache[id(finders)] = _anchors(_lower_same_length(self.prose), finders)
        return found

    def quote_at(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self._quote_starts, pos) - 1
        if i >= 0 and pos < self.quotes[i][1]:
            return self.quotes[i]  # quotations never overlap, so only the nearest can hold pos
        return None

    def in_quote(self, pos: int) -> bool:
        """Inside quotation marks, or inside markup that quotes (<blockquote>, <q>, Markdown >)."""
        if self.quote_at(pos) is not None:
            return True
        if not self.quote_regions:
            return False
        i = bisect.bisect_right(self._region_starts, pos) - 1
        return i >= 0 and pos < self._region_ends[i]

    def in_excerpt(self, pos: int) -> bool:
        """Inside a block quotation: its named attributions count, its hedges are the quoted author's."""
        i = bisect.bisect_right(self._excerpt_starts, pos) - 1
        return i >= 0 and pos < self._excerpt_ends[i]

    def quotes_within(self, start: int, end: int) -> list[tuple[int, int]]:
        i = bisect.bisect_left(self._quote_starts, start)
        out = []
        while i < len(self.quotes) and self.quotes[i][0] < end:
            if self.quotes[i][1] <= end:
                out.append(self.quotes[i])
            i += 1
        return out

    def sentence_index(self, pos: int) -> int:
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        return i if i > 0 else 0

    def block_of(self, pos: int) -> Block:
        i = bisect.bisect_right(self._block_starts, pos) - 1
        return self.blocks[i if i > 0 else 0]
