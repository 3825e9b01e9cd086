"""Noun-phrase boundaries around a cue: the subject before it, the object after it."""
from __future__ import annotations

import bisect
import itertools
import re
from functools import cache, lru_cache

from citelint.extract.lexicon import lexicon
from citelint.extract.segment import DATELINE
from citelint.model import Kind

_TOKEN = re.compile(r"\S+")
_QUOTE_MARK = re.compile("[\"“”«»]")
_AUX = frozenset(
    """also later previously recently first earlier once further then repeatedly publicly
    privately again initially separately similarly subsequently originally explicitly
    specifically now has have had was were is are would will could may might did does do not
    never been already just often frequently always still even openly strongly sharply
    bluntly firmly widely long had reportedly has""".split()
)
_NOT_ADVERBS = frozenset("daily weekly monthly quarterly family ally rally supply reply only early assembly".split())
_BOUNDARY = frozenset(
    """that which when where while because since although though if and but or so as after
    before until than what how why whether then nor yet unless whereas who whom whose""".split()
)
_STOP_HEAD = frozenset(
    """a an the of to in on at by for with from into about as his her their its our my your
    this these those that and or but is are was were be been has have had not no""".split()
)
_NOT_HEADS = frozenset(
    """new latest first last each every recent previous other same such more most several few
    all both any unconfirmed earlier original widely often never initial much""".split()
)
_PREPOSITIONS = frozenset("in on at during after before for with from under over since by through last".split())
_PRONOUNS = {"he": Kind.PERSON, "she": Kind.PERSON, "i": Kind.PERSON, "we": Kind.UNKNOWN, "they": Kind.UNKNOWN, "it": Kind.UNKNOWN, "you": Kind.UNKNOWN}
_APPOSITIVE_OPENERS = frozenset("a an the who whose which one his her their its".split())
_EDGE = "\"“”‘’'«»()[]{}*_"
_CLAUSE_PUNCT = (",", ";", ":", "—", "–", "--")


def _is_adverb(word: str) -> bool:
    return word in _AUX or word.endswith("ly") and word.islower() and word not in _NOT_ADVERBS


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_WEEKDAYS = frozenset(WEEKDAYS)
_MONTHS = frozenset(MONTHS) | frozenset("Jan. Feb. Aug. Sept. Sep. Oct. Nov. Dec.".split())
_DAY_PARTS = frozenset("morning afternoon evening night".split())
_PERIODS = frozenset("week month year weekend night morning spring summer fall autumn winter".split())


def _time_before(prose: str, toks: list[tuple[int, int]], i: int) -> int:
    """How many of the tokens before index ``i`` are a time phrase standing between a subject
    and its verb: "The ministry on Tuesday said", "Reuters late on Monday night reported",
    "Officials last week said", "The agency on Jan. 5 said" (0 when none)."""
    words = [prose[s:e] for s, e in toks[max(0, i - 4):i]]
    n = len(words)

    def at(k: int) -> str:  # the k-th word from the end (1: the last)
        return words[n - k] if k <= n else ""

    size = 0
    if at(1) in _WEEKDAYS and at(2) == "on":
        size = 2
    elif at(1) in _DAY_PARTS and at(2) in _WEEKDAYS and at(3) == "on":
        size = 3
    elif at(1).isdigit() and len(at(1)) <= 2 and at(2) in _MONTHS and at(3) == "on":
        size = 3
    elif at(1) in _PERIODS and at(2) in ("last", "this"):
        size = 3 if at(3) in ("earlier", "later") else 2
    elif at(1) in ("yesterday", "today", "tonight"):
        size = 1
    if size and at(size + 1) == "late":
        size += 1
    return size if size < i else 0  # never the whole phrase


_MOST_TOKENS = 40  # a noun phrase after a cue is never longer; the sentence may be 1 MB


def tokens(prose: str, start: int, end: int, most: int | None = None) -> list[tuple[int, int]]:
    found = _TOKEN.finditer(prose, start, end)
    return [m.span() for m in (found if most is None else itertools.islice(found, most))]


_NEAR = 160  # characters: a subject and its appositive almost always fit


class _OutOfWords(Exception):
    """A scan reached the first word of a shortened window: the full window decides."""


def subject_before(prose: str, floor: int, cue: int) -> tuple[tuple[int, int] | None, str]:
    """The noun phrase ending just before a cue, and the word that bounded it on the left.

    Scans words right to left from ``cue`` to ``floor``: adverbs and auxiliaries next to
    the cue are skipped ("also said", "has repeatedly said"); the phrase stops at clause
    punctuation or a clause word (that, and, when …). "Name, an appositive, said" and
    "the documents, published by X, reveal" keep the appositive.
    """
    lowest = max(floor, cue - 400)  # a subject never needs more than ~40 words
    # Most subjects are a few words: read the last ~20 words first (from a space, so the first
    # is whole), and all of them only when the scan runs out of words before it is bounded.
    gap = prose.rfind(" ", lowest, cue - _NEAR) if cue - _NEAR > lowest else -1
    if gap > lowest:
        try:
            return _subject(prose, tokens(prose, gap + 1, cue), complete=False)
        except _OutOfWords:
            pass
    return _subject(prose, tokens(prose, lowest, cue), complete=True)


def _subject(prose: str, toks: list[tuple[int, int]], complete: bool) -> tuple[tuple[int, int] | None, str]:
    i = len(toks)
    while i > 0 and _is_adverb(prose[toks[i - 1][0] : toks[i - 1][1]]):
        i -= 1
    i -= _time_before(prose, toks, i)  # "The ministry on Tuesday said": the time is not the source
    while i > 0 and _is_adverb(prose[toks[i - 1][0] : toks[i - 1][1]]):
        i -= 1
    if i == 0 and not complete:
        raise _OutOfWords
    end_index = i
    if i == 0:
        return None, ""
    last = prose[toks[i - 1][0] : toks[i - 1][1]]
    if last in _DASHES and (between := _dash_appositive(prose, toks, i - 1, complete)) is not None:
        return between
    if last.endswith(","):
        # "Rosenthal, a tax lawyer at the center, said": look for the comma opening the appositive.
        j = i - 1
        while j > 0 and not prose[toks[j - 1][0] : toks[j - 1][1]].endswith(_CLAUSE_PUNCT):
            j -= 1
        if j == 0 and not complete:
            raise _OutOfWords
        if j == 0 or i - j > 25:
            return None, ","
        opener = prose[toks[j][0] : toks[j][1]].lower()
        participle = lexicon().by_pattern.match(prose, toks[j][0]) is not None
        segment = [prose[s:e].strip(",") for s, e in toks[j:i]]
        if _is_aside(segment):
            # "Lund, for one, said": an aside; the subject ends at its comma ("Lund"), or is itself a
            # name and its appositive ("Murphy, the county chairman, for example, said")
            described_subject = _subject(prose, toks[:j], complete)
            if described_subject[0] is not None:
                return described_subject
            s, e = toks[j - 1]
            return _subject(prose, [*toks[:j - 1], (s, e - 1)], complete) if e - 1 > s else (None, ",")
        named = len(segment) <= 6 and segment[-1][:1].isupper()  # "retired judge Catherine Mbeki-Hale"
        # "Richard Revesz, director of the institute, said": a name, then its description.
        named_at = j - 1
        if named_at > 0 and prose[toks[named_at][0]] == "(" and prose.endswith("),", toks[named_at][0], toks[named_at][1]):
            named_at -= 1  # "Rep. Pia Lund (D-Ore.), chair of the caucus, said": the name before its party
        described = j > 0 and prose[toks[named_at][0]].isupper() and (
            named_at < j - 1 or prose[toks[j - 1][0] : toks[j - 1][1]].endswith(","))
        if opener not in _APPOSITIVE_OPENERS and not participle and not named and not described and not re.match(r"\d", opener):
            return None, ","
        head, bound = _phrase_left(prose, toks, j, complete)
        if head is None:
            return None, bound
        if bound == "," and prose[head[0]].islower():
            # "Pia Lund, editor of the Courier, an influential daily, wrote": the role is itself
            # the appositive of a name before it
            k = bisect.bisect_left(toks, (head[0], -1))
            if k > 0 and k < len(toks) and toks[k][0] == head[0] and prose[toks[k - 1][0]].isupper():
                name, name_bound = _phrase_left(prose, toks, k, complete)
                if name is not None:
                    words = prose[name[0]:name[1]].split()
                    capitals = len(list(itertools.takewhile(lambda w: w[:1].isupper(), reversed(words))))
                    if capitals == len(words):
                        head, bound = (name[0], head[1]), name_bound
                    elif capitals:  # "Last week Pia Lund, editor …": the name is the capitalised end
                        head = (prose.rindex(" ".join(words[-capitals:]), name[0], name[1]), head[1])
        if opener.endswith("ing") and not participle:
            return head, bound  # "Trump, speaking to veterans, said": the aside is not the source
        return (head[0], toks[end_index - 1][1] - 1), bound
    return _phrase_left(prose, toks, end_index, complete)


_DASHES = frozenset(("—", "–", "--", "―"))


def _with_parenthesis(prose: str, start: int, end: int, limit: int) -> int:
    """Where a phrase trimmed of punctuation at ``end`` ends with the parenthesis it opened closed
    again (if the ")" lies before ``limit``): "Rep. Pia Lund (D-Ore.)", not "… (D-Ore"."""
    if prose.count("(", start, end) > prose.count(")", start, end) and (close := prose.find(")", end, limit)) >= 0:
        return close + 1
    return end


def _dash_appositive(prose: str, toks: list[tuple[int, int]], closing: int,
                     complete: bool) -> tuple[tuple[int, int] | None, str] | None:
    """"Jason Sims — a teacher from Mount Pleasant — said": the name before a description set off
    by dashes, with it. None when no dash opens the description in the sentence (the caller
    reads the words as it otherwise would)."""
    k = closing
    while k > 0 and closing - k < 25 and prose[toks[k - 1][0]:toks[k - 1][1]] not in _DASHES:
        k -= 1
    if k == 0 and not complete:
        raise _OutOfWords
    if k == 0 or k == closing or prose[toks[k - 1][0]:toks[k - 1][1]] not in _DASHES:
        return None
    head, bound = _phrase_left(prose, toks, k - 1, complete)
    if head is None:
        return None, bound
    return (head[0], toks[closing - 1][1]), bound


# Words set off by commas between a subject and its cue that comment on the sentence, not
# describe the subject: "Breitbart News, for one, noted"; "The ministry, in turn, said".
_ASIDES = frozenset([
    "for one", "for example", "for instance", "too", "however", "in turn", "meanwhile", "in fact", "of course",
    "though", "instead", "in particular", "for its part", "for his part", "for her part", "for their part",
    "in response", "likewise", "similarly", "in contrast", "by contrast", "separately", "moreover", "again",
    "then", "now", "later", "earlier", "also", "too, though", "at least", "at the time", "at first", "in short",
])
_WHEN = frozenset(w.lower() for w in (*WEEKDAYS, *MONTHS, "week", "month", "year", "night", "morning", "weekend"))


def _is_aside(segment: list[str]) -> bool:
    """Whether an appositive's words are a comment on the sentence ("for one") or its time
    ("on Tuesday", "last week"), not a description of the subject."""
    words = [w.lower().strip(",") for w in segment]
    if " ".join(words) in _ASIDES:
        return True
    return len(words) == 2 and words[0] in ("on", "last", "this", "earlier", "late", "in") and words[1] in _WHEN


_OPENS_CLAUSE = frozenset("that but while because since although though if when as so".split())


def _first_conjunct(prose: str, toks: list[tuple[int, int]], and_index: int,
                     complete: bool) -> tuple[int, str] | None:
    """Where a subject of two conjuncts starts, given the "and" that bounded its second one:
    one word, maybe after its determiner ("Federal and state officials", "The council and its
    lawyers"), or up to three capitalised ones ("Donald Trump and Hillary Clinton"), opening the
    clause: at the start of the sentence, after a comma or after a clause word. Not a clause of
    its own ("The plan failed and critics said", "Prices rose and analysts said")."""
    j = and_index
    while j > 0 and and_index - j < 3 and _capitalised(prose, toks[j - 1]) and not _closes(prose, toks[j - 1]):
        j -= 1
    if j == and_index:  # no capitalised run: one lowercase word
        if and_index == 0 or _closes(prose, toks[and_index - 1]):
            return None
        j = and_index - 1
        word = prose[toks[j][0]:toks[j][1]]
        lex = lexicon()
        if not word.isalpha() or word.endswith("ed") or word in lex.verb_type or word.lower() in _STOP_HEAD \
                or word.lower() in _BOUNDARY or _is_adverb(word):
            return None
        if j > 0 and prose[toks[j - 1][0]:toks[j - 1][1]].lower() in _DETERMINERS:
            j -= 1  # "The council and its lawyers"
    if j == 0:
        if not complete:
            raise _OutOfWords
        return j, ""
    before = prose[toks[j - 1][0]:toks[j - 1][1]]
    if before.endswith(_CLAUSE_PUNCT):
        return j, before[-1]
    if before.strip(_EDGE).lower() in _OPENS_CLAUSE:
        return j, before.strip(_EDGE).lower()
    return None


def _capitalised(prose: str, tok: tuple[int, int]) -> bool:
    word = prose[tok[0]:tok[1]].strip(_EDGE)
    return word[:1].isupper() and word.lower() not in _BOUNDARY


def _closes(prose: str, tok: tuple[int, int]) -> bool:
    word = prose[tok[0]:tok[1]]
    return word.endswith(_CLAUSE_PUNCT) or word.strip(_EDGE).endswith(_CLAUSE_PUNCT)


def _phrase_left(prose: str, toks: list[tuple[int, int]], end_index: int,
                 complete: bool = True) -> tuple[tuple[int, int] | None, str]:
    i = end_index
    bound = ""
    while True:
        if i == 0:
            if not complete:
                raise _OutOfWords
            break
        word = prose[toks[i - 1][0] : toks[i - 1][1]]
        bare = word.strip(_EDGE)
        if i != end_index and (word.endswith(_CLAUSE_PUNCT) or bare.endswith(_CLAUSE_PUNCT)):
            bound = word[-1]
            break
        if bare.lower() in _BOUNDARY:
            bound = bare.lower()
            break
        if not word.isalpha() and _QUOTE_MARK.search(word) or word.endswith(("’", "'")) and i != end_index and not bare[-1:].isalpha():
            bound = "quote"
            break
        if end_index - i >= 14:
            return None, "long"
        i -= 1
    if i == end_index:
        return None, bound
    start_index = i
    # "On Friday the ministry said": drop a leading prepositional phrase.
    first = prose[toks[start_index][0] : toks[start_index][1]].lower()
    if first in _PREPOSITIONS and end_index - start_index > 2:
        k = start_index + 1
        while k < end_index - 1 and (prose[toks[k][0]].isupper() or prose[toks[k][0]].isdigit()) and not prose[toks[k][0]:toks[k][1]].lower() in ("the",):
            k += 1
        start_index = k
    start, end = toks[start_index][0], toks[end_index - 1][1]
    while start < end and prose[start] in _EDGE:
        start += 1
    last = end
    while end > start and prose[end - 1] in _EDGE + ",.;:":
        end -= 1
    if prose.startswith(".", end, last) and _abbreviation(prose[max(start, prose.rfind(" ", start, end) + 1):end + 1]):
        end += 1  # "John G. Roberts Jr.", "the S.E.C.": the period is the abbreviation's
    end = _with_parenthesis(prose, start, end, last)
    words = prose[start:end].split()
    head = words[-1].lower() if words else ""
    if not head or head in _STOP_HEAD or not any(c.isalpha() for c in head):
        return None, bound
    if head in _NOT_HEADS:
        return None, bound  # "each new reported attempt": an adjective, not a subject
    lex = lexicon()
    if head in lex.verb_type and prose[end - len(head) : end][:1].islower() and head not in lex.document_heads \
            and head not in lex.report_nouns and not (len(words) > 1 and words[-2].lower() in _DETERMINERS):
        return None, bound  # "… said he believed" is two verbs, not a subject; "the talks" is a noun
    if bound in ("and", "or") and start_index == i and (conjunct := _first_conjunct(prose, toks, i - 1, complete)):
        start, bound = toks[conjunct[0]][0], conjunct[1]  # "Federal and state officials said", "Obama and Clinton said"
    return (start, end), bound


def adverbs_between(prose: str, start: int, end: int) -> bool:
    """Whether prose[start:end] holds only auxiliaries and adverbs ("has also", "repeatedly")."""
    words = prose[start:end].split()
    return bool(words) and all(_is_adverb(w) for w in words)


def sentence_subject(prose: str, sentence: tuple[int, int]) -> tuple[int, int] | None:
    """The name or pronoun opening a sentence ("Mr. Schultz generally supported …, and said"),
    after its dateline if it has one ("WASHINGTON — President Obama met …")."""
    start = sentence[0]
    dateline = DATELINE.match(prose, start, min(sentence[1], start + 120))
    if dateline is not None and dateline.end() < sentence[1]:
        start = dateline.end()
    toks = tokens(prose, start, min(sentence[1], start + 200))
    taken = 0
    if toks and prose[toks[0][0] : toks[0][1]] in ("The", "A", "An"):
        taken = 1
    start_index = taken
    while taken < len(toks):
        word = prose[toks[taken][0] : toks[taken][1]]
        if word.strip(_EDGE)[:1].isupper() and not word.endswith((",", ";", ":")):
            taken += 1
            continue
        if word.strip(_EDGE)[:1].isupper():
            taken += 1
        break
    if taken == start_index:
        return None
    first = prose[toks[start_index][0] : toks[start_index][1]].lower()
    if taken - start_index == 1 and first in ("but", "and", "so", "yet", "however,", "still,", "in", "on", "at", "as", "when", "if", "after", "before"):
        return None
    end = toks[taken - 1][1]
    while end > toks[0][0] and prose[end - 1] in _EDGE + ",.;:":
        end -= 1
    return (toks[0][0], end)


def is_named(text: str) -> bool:
    """Whether a source phrase carries a name: a capitalised word beyond a leading determiner."""
    words = text.split()
    return any(w[:1].isupper() for w in words[1:]) or bool(words) and words[0][:1].isupper() and words[0].lower() not in _DETERMINERS


_DETERMINERS = frozenset("the a an his her its their our this that these those some many several two three".split())
_OFFICIALS = frozenset("official officials aide aides diplomat diplomats adviser advisers advisor advisors".split())
_COMMON_OPENERS = _OFFICIALS | frozenset(
    "a an the some many several two three four five few other senior top former current unnamed anonymous".split()
)


def phrase_after(prose: str, start: int, limit: int) -> tuple[int, int] | None:
    """The noun phrase starting at ``start`` and ending at clause punctuation, a quote,
    "that", or a preposition that begins an adverbial ("told Reuters on Friday").

    Titles and initials ("Rep. G.K. Butterfield") do not end it, nor do "of", "for" and
    "at" inside a name ("the Roper Center for Public Opinion Research")."""
    toks = tokens(prose, start, limit, _MOST_TOKENS)
    out_end = None
    for index, (s, e) in enumerate(toks):
        word = prose[s:e]
        bare = word.strip(_EDGE + ",.;:!?")
        lower = bare.lower()
        if index and lower in ("of", "for", "at") and index + 1 < len(toks) and _capitalised_next(prose, toks, index + 1):
            continue
        if index and (lower in _BOUNDARY or lower in ("on", "in", "at", "during", "last", "this", "earlier", "about", "after", "before", "to", "for", "when")):
            break
        if word[:1] in "\"“‘«":
            break
        out_end = _with_parenthesis(prose, toks[0][0], s + len(word.rstrip(_EDGE + ",.;:!?—–")), e)
        if word.endswith(".") and _abbreviation(word):
            out_end = e
            continue
        if word.rstrip(_EDGE).endswith((",", ".", ";", ":", "!", "?", "—")) or index >= 10:
            break
    if out_end is None:
        return None
    s0 = toks[0][0]
    while s0 < out_end and prose[s0] in _EDGE:
        s0 += 1
    return (s0, out_end) if s0 < out_end else None


def inverted_source(prose: str, start: int, limit: int) -> tuple[int, int] | None:
    """The source after an inverted cue ("…,” said Alan Cole, an economist at the Tax
    Foundation."): the name, plus a descriptive appositive running to the sentence end.
    A participial aside ("said Caddell, speaking of …") is not part of it."""
    name = phrase_after(prose, start, limit)
    if name is None:
        return None
    rest = prose[name[1] : limit]
    match = re.match(r"\s*(?:\([^()]{1,40}\)\s*)?,\s*(\w+)", rest)
    if match is None:
        paren = re.match(r"\s*\([^()]{1,40}\)", rest)
        return (name[0], name[1] + paren.end()) if paren else name
    opener = match.group(1)
    if opener.endswith("ing") or opener.lower() in _BOUNDARY - {"who", "whose", "which"} or opener.lower() in ("said", "says", "adding"):
        return name
    end = limit
    quote = re.search("[\"“‘«]", prose[name[1] : limit])
    if quote:
        end = name[1] + quote.start()
    while end > name[1] and (prose[end - 1].isspace() or prose[end - 1] in ".,;:—–"):
        end -= 1
    return (name[0], end)


def _capitalised_next(prose: str, toks: list[tuple[int, int]], index: int) -> bool:
    word = prose[toks[index][0] : toks[index][1]]
    if word.lower() == "the" and index + 1 < len(toks):
        word = prose[toks[index + 1][0] : toks[index + 1][1]]
    return word[:1].isupper()


def _abbreviation(word: str) -> bool:
    """"Mr.", "Rep.", "G.K.", "D.", "Jr.", "Inc." — a period that does not end the phrase."""
    bare = word.strip(_EDGE)
    return _ABBREVIATION.fullmatch(bare) is not None


_ABBREVIATION = re.compile(r"(?:[A-Z]\.)+|(?:Mr|Mrs|Ms|Dr|Rep|Sen|Gov|Gen|Lt|Col|Sgt|Prof|Rev|St|Del|Jr|Sr|Inc|Co|Corp|Ltd|Bros|Dept)\.")


def object_after(prose: str, start: int, limit: int) -> tuple[int, int] | None:
    """The object of "told": a name ("the Associated Press", "Reuters") or a short common
    noun phrase ("reporters", "the committee"); it never runs into the reported clause
    ("told Reuters she expected …")."""
    toks = tokens(prose, start, limit, _MOST_TOKENS)
    if not toks:
        return None
    i = 0
    first = prose[toks[0][0] : toks[0][1]]
    if first.lower().strip(_EDGE) in ("the", "a", "an", "his", "her", "their", "its") and len(toks) > 1:
        i = 1
    taken = i
    word = prose[toks[i][0] : toks[i][1]] if i < len(toks) else ""
    if word[:1].isupper():
        while taken < len(toks):
            w = prose[toks[taken][0] : toks[taken][1]]
            nxt = prose[toks[taken + 1][0] : toks[taken + 1][1]] if taken + 1 < len(toks) else ""
            if w[:1].isupper() or w in ("of", "and", "for", "de", "&") and nxt[:1].isupper():
                taken += 1
                if w.endswith((",", ".", ";", ":", "’s", "'s")) and not re.fullmatch(r"(?:[A-Z]\.)+", w):
                    break
            else:
                break
    else:
        while taken < len(toks) and taken < i + 2:
            w = prose[toks[taken][0] : toks[taken][1]].lower().strip(_EDGE + ",.;:")
            if w in _BOUNDARY or w in _PRONOUNS or w in ("on", "in", "at", "last", "this", "about", "after", "before", "to", "for", "when", "him", "her", "them", "us", "me"):
                break
            taken += 1
            if prose[toks[taken - 1][0] : toks[taken - 1][1]].endswith((",", ".", ";", ":")):
                break
    if taken == i:
        return None
    s0, e0 = toks[0][0], toks[taken - 1][1]
    while e0 > s0 and prose[e0 - 1] in _EDGE + ",.;:":
        e0 -= 1
    return (s0, e0) if e0 > s0 else None


@cache
def _bare_anaphors() -> frozenset[str]:
    """"newspaper", "agency" …: the outlet anaphors without their article."""
    return frozenset(a.removeprefix("the ") for a in lexicon().outlet_anaphors)


@lru_cache(maxsize=4096)  # names recur ("Trump said" twenty times an article): classify each once
def classify(text: str) -> Kind:
    """A first guess at the kind of a source from its words (the registry refines it)."""
    lex = lexicon()
    text = text.split(",")[0]  # "the documents, published by ABC": the head comes before the comma
    words = text.replace("’", "'").split()
    if not words:
        return Kind.UNKNOWN
    lower = [w.strip(",.;:'\"").lower() for w in words]
    head = lower[-1].removesuffix("'s")
    phrase = " ".join(lower)
    if len(words) == 1 and head in _PRONOUNS:
        return _PRONOUNS[head]
    if phrase.removeprefix("the ") in _bare_anaphors():
        return Kind.OUTLET
    if head in lex.anonymous_heads or lex.familiar_pattern.search(text):
        return Kind.ANONYMOUS
    capital = [w for w in words if w[:1].isupper()]
    if capital and capital[0] is words[0] and lower[0] in _COMMON_OPENERS:
        capital = capital[1:]  # "Officials said", "Two officials": capitalised only to open the sentence
    if head in lex.document_heads and not words[-1][:1].isupper():
        return Kind.DOCUMENT
    if any(w in lex.outlet_heads for w in lower) and capital and (
        words[-1][:1].isupper() or head in ("newspaper", "daily", "broadcaster", "magazine", "tabloid")
    ):
        if head in lex.outlet_heads or any(w in ("newspaper", "daily", "broadcaster", "magazine", "tabloid", "agency", "outlet", "website") for w in lower):
            return Kind.OUTLET
    if head in lex.organization_heads or phrase in lex.organization_heads:
        return Kind.ORGANIZATION
    if head in _OFFICIALS and not capital[-1:] == words[-1:]:
        return Kind.ANONYMOUS
    if capital:
        return Kind.PERSON
    return Kind.UNKNOWN
