"""Whether a word the lexicon knows is a cue where it stands, and which words around it
belong to the attribution: "wanted some say" is a noun, "the trade phone call said" has its
cue in "said", "a rover NASA plans to fly" is a relative clause, a quotation that closed in
another paragraph is not this cue's content."""
from __future__ import annotations

import bisect
import re

from citelint.extract.lexicon import lexicon
from citelint.extract.outlets import addressee
from citelint.extract.phrases import object_after
from citelint.extract.segment import Layout
from citelint.model import CueType

_BE = frozenset("was were is are been being be".split())
QUOTE_THEN_NAME = re.compile(r"[,?!]?[”\"]\s+(?:[A-Z][\w.'’-]*\s+){1,4}$")
COMMA_THEN_NAME = re.compile(r",\s+(?:the\s+)?(?:[A-Z][\w.&'’-]*\s+){1,5}$")
FINITE_NEXT = re.compile(r"\s+(?:said|says|reported|told|wrote|added|showed|noted)\b")
PASSIVE_ADVERBS = frozenset("first also widely originally initially previously later earlier once repeatedly".split())
FIRST_NOUN = frozenset("the a an its his her their our this that my your these those".split())
FINITE = frozenset("is are was were has have had will would can could should does did".split())
GIVEN_TO = re.compile(r"\b(?:statement|interview|email|e-mail|letter|comments|remarks|message|note)\s*$")


NOT_A_NAME_START = frozenset(
    "despite after before when while if how why what as in on at with without for from to is are was were".split()
)


def credit_names(text: str) -> bool:
    """A credit line names sources ("Reuters", "AP, Reuters and staff reports"): short names,
    not a sentence ("Despite Huge Sales, Developers Are Getting Stiffed On Bonuses")."""
    parts = [p.split() for p in re.split(r"[,;/]|\band\b|&", text) if p.strip()]
    return bool(parts) and parts[0][0].lower() not in NOT_A_NAME_START and all(len(p) <= 6 for p in parts)


def quote_leads(layout: Layout, sentence: tuple[int, int], quote: tuple[int, int], c0: int, c1: int) -> bool:
    """Whether a quotation closing just before the source is the cue's content: it must close
    in the cue's paragraph (one continued from an earlier paragraph by the multi-paragraph
    convention does), and in the cue's sentence unless the cue has no content of its own."""
    if quote[1] <= layout.block_of(sentence[0]).start:
        return False
    return quote[1] > sentence[0] or c1 <= c0


BE_HEDGE = re.compile(r"\b(?:was|were|is|are|been)\s+(?:(?:also|widely|once|long|often)\s+)?$", re.I)
CLAUSE_OPENERS = frozenset("and but or while though although yet because since as so that whereas where when if even still".split())


def weasel_opens_clause(prose: str, start: int, end: int, words: list[str]) -> bool:
    """"Some say …" opens a clause (after a sentence start, punctuation or a conjunction);
    after any other word it is an object: "wanted some say", "have some say over"."""
    if words[0].lower() not in ("some", "many", "others", "most"):
        return True
    if re.match(r"\s+(?:in|over|on)\b", prose[end : end + 6]) and words[-1].lower() == "say":
        return False  # "some say in the design"
    before = prose[max(0, start - 30) : start].rstrip()
    if not before or not before[-1].isalpha():
        return True
    return before.split()[-1].lower() in CLAUSE_OPENERS


def first_is_adverb(before: str) -> bool:
    """"CNN first reported" (an adverb) versus "the first reports" (an adjective)."""
    words = before.split()
    return len(words) >= 2 and words[-2].lower().strip(",") not in FIRST_NOUN


def passive(before: str) -> bool:
    """"was reported", "was first reported", "has been widely reported": a form of "be" before
    the participle, with adverbs in between."""
    words = [w.lower() for w in before[-60:].split()[-4:]]
    while words and words[-1] in PASSIVE_ADVERBS:
        words.pop()
    return bool(words) and (words[-1] in _BE or words[-1] in ("widely", "been"))




def not_a_subject(prose: str, source: tuple[int, int], form: str, cue_type: CueType) -> bool:
    """A phrase the subject scan took that cannot be the subject of the cue: it ends in a name
    after "a"/"an" ("an NBC show"), holds a finite verb ("NASA is building a rover NASA"), or is
    an object noun with a name after it that starts a relative clause ("a rover NASA plans to fly")."""
    if INDEFINITE_NAME.search(prose, source[0], source[1]) and form.lower() not in lexicon().report_nouns:
        return True  # "listed an NBC show as his favourite": "an NBC" is no subject, "show" a noun
    if cue_type is not CueType.BELIEF:
        return False  # speech and publication subjects are trusted as the scan found them
    head = re.split(r"\s-+\s|[—–]", prose[source[0] : source[1]].split(",")[0])[-1]  # a dash opens an aside
    words = head.split()
    if any(w.lower() in FINITE for w in words[1:]):
        return True
    object_then_name = OBJECT_THEN_NAME.search(head)
    return object_then_name is not None and object_then_name.group(1) not in lexicon().journalists


# An acronym after "a"/"an" right before the cue: the cue is a noun ("an NBC show"; "a Morning
# Consult Poll found" has its noun, and "a CNN report that …" is a report noun's attribution).
INDEFINITE_NAME = re.compile(r"(?:^|(?<=\s))(?:a|an|A|An)\s+[A-Z]{2,6}$")
OBJECT_THEN_NAME = re.compile(r"(?:^|\s)(?:a|an|the|A|An|The)\s+([a-z]+)\s+[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*\s*$")


def given_to_before(prose: str, anchors: list[int], start: int, end: int) -> tuple[int, tuple[int, int]] | None:
    """"In an interview with the BBC, the mayor said": the outlet named before the source.
    ``anchors`` are where the lexicon's phrases start in the document, sorted."""
    i = bisect.bisect_left(anchors, end) - 1
    if i < 0 or anchors[i] < start:
        return None
    last = lexicon().interviewed_by_pattern.match(prose, anchors[i], end)
    if last is None:
        return None
    obj = object_after(prose, last.end(), min(end, last.end() + 200))
    if obj is None:
        return None
    addressed, _ = addressee(prose, obj, end)
    return (last.start(), addressed) if addressed is not None else None


def headline_verb(form: str) -> bool:
    """A capitalised cue in a headline ("Lindsey Graham Says …", "Study Finds …") is a
    finite verb, never a base form or a gerund: "Tribune Publishing", "The Daily Show"."""
    return not form.endswith("ing") and (form.endswith(("s", "ed")) or form in IRREGULAR_PAST)


IRREGULAR_PAST = frozenset("said told wrote found showed knew thought felt broke".split())
