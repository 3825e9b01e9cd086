"""Subjects that a relative clause follows: "Officials who spoke on condition of anonymity
said". The pattern extractor's left scan stops at "who" and finds the clause ("spoke on
condition of anonymity"); the subject is the noun phrase before it, and an outlet the clause
names as the one spoken to ("who spoke with Reuters") is the attribution's outlet.
"""
from __future__ import annotations

import re

from citelint.extract.lexicon import lexicon
from citelint.extract.outlets import addressee
from citelint.extract.phrases import object_after, subject_before

Span = tuple[int, int]

_WHO_BEFORE = re.compile(r"(?:^|\s)who\s+$", re.I)
# Words that open a noun phrase: "the man who Lund said was …" is no relative clause's verb
_NOT_VERB_FIRST = frozenset("he she they we i you it the a an this that these those his her their its our my your "
                            "some many most all several few both each every no one two three".split())
_COPULAS = frozenset("is are was were be been being am has have had means".split())
_SPOKE_WITH = re.compile(r"\b(?:spoke|spoken|speaking|talked|talking|told|gave\s+interviews?)\s+(?:(?:to|with)\s+)?", re.I)


def verb_first(prose: str, clause: Span) -> bool:
    """Whether the words after "who" open with its verb ("who spoke with Reuters", "who were
    evacuated"), the pronoun being the clause's subject, not its object ("who Lund said")."""
    first = prose[clause[0]:clause[1]].split(None, 1)[0] if clause[1] > clause[0] else ""
    return first[:1].islower() and first.lower() not in _NOT_VERB_FIRST


def before_relative(prose: str, floor: int, clause: Span) -> tuple[Span | None, Span | None]:
    """The subject before the relative clause ``clause`` and the outlet it was spoken to, if
    the clause names one; the clause itself (and no outlet) when no noun phrase stands before
    it, or when "…, who spoke with Reuters, said" sets it off as an apposition."""
    who = _WHO_BEFORE.search(prose, max(floor, clause[0] - 8), clause[0])
    if who is None:
        return clause, None
    head, _ = subject_before(prose, floor, who.start())
    if head is None or prose[head[1] - 1] in ",;:—–(":
        return clause, None
    head = after_last_verb(prose, head)
    if head is None:
        return clause, None
    told = None
    spoke = _SPOKE_WITH.search(prose, clause[0], clause[1])
    if spoke is not None and (obj := object_after(prose, spoke.end(), clause[1])) is not None:
        told, _ = addressee(prose, obj, clause[1])
    return head, told


def after_last_verb(prose: str, phrase: Span) -> Span | None:
    """The noun phrase a relative clause hangs on, not the clause before it: "scoffed Arianna
    Gil, 22, who …" -> "Arianna Gil, 22"; "it is usually the Republicans who …" -> "the
    Republicans" (after the last cue verb or copula, the adverbs after it and any dash)."""
    verbs = lexicon().verb_type
    words = [(m.start(), m.end(), m.group().strip(",;:")) for m in re.finditer(r"\S+", prose[phrase[0]:phrase[1]])]
    first = 0
    for k, (_, _, bare) in enumerate(words):
        if bare.islower() and (bare in _COPULAS or bare in verbs or _past_verb(bare, words[k - 1][2] if k else "")):
            first = k + 1
    while first < len(words) and (words[first][2].endswith("ly") and words[first][2].islower()
                                  or not any(c.isalnum() for c in words[first][2])):
        first += 1  # "is usually the Republicans", "- Democrats in Iowa"
    return (phrase[0] + words[first][0], phrase[1]) if first < len(words) else None


def _past_verb(word: str, before: str) -> bool:
    """"scoffed", "rebuked" as verbs: past forms not after a determiner or a degree word ("the
    embattled mayor", "a more reserved response" are adjectives)."""
    return len(word) > 4 and word.endswith("ed") and before.lower() not in _NOT_VERB_FIRST | {"more", "most", "very"} \
        and not before.endswith("ly")
