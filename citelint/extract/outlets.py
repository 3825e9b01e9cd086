"""Which words of an attribution name the outlet, and credit phrasing that names one.

The outlet span is what resolution looks up in the registry, so it must be the outlet's name
alone: "NPR" in "NPR's Mary Louise Kelly", "the New York Times" in "Sui-Lee Wee of the New
York Times", "Reuters" in "A Reuters investigation". The audience of "told" ("the U.N.
General Assembly", "the crowd") is never the outlet. The finders here add credit forms the
verb and phrase patterns do not see: "(Reuters)" closing a sentence, a "[Engadget]" line
under an excerpt, and "was quoted by Reuters as saying".
"""
from __future__ import annotations

import re
from typing import NamedTuple

from citelint.extract.clauses import capitalised_before, trim_end
from citelint.extract.lexicon import lexicon
from citelint.extract.phrases import classify, object_after, phrase_after, subject_before
from citelint.extract.segment import Layout
from citelint.model import CueType, Kind

Span = tuple[int, int]

_NAME = r"[A-Z][\w&.'’-]*(?:\s+(?:[A-Z][\w&.'’-]*|of|for|and|&|de|del|der))*"
_POSSESSIVE = re.compile(rf"(?:the\s+)?(?P<o>{_NAME}?)['’]s?\s+(?P<rest>\S.*)$", re.S)
_AT_OUTLET = re.compile(r"\s(?:of|for|at|from|with)\s+(?P<o>(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+(?:[A-Z][\w&.'’-]*|of|for|and|&))*)$")
_DETERMINERS = r"(?:(?i:a|an|the|one|another|two|its|this)\s+)?(?:(?:new|recent|latest)\s+)?"
_WORD_BEFORE_NOUN = re.compile(rf"{_DETERMINERS}(?!(?i:a|an|the|one|another|two|its|this)\s)(?P<o>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){{0,4}})\s+(?:[a-z][\w-]*\s+)?(?P<noun>[a-z]+)$")
_PAREN_CREDIT = re.compile(r"\((?P<name>[A-Z][\w&.'’-]*(?:[ /][A-Z][\w&.'’-]*){0,3})\)(?=[.!?\"”’]*(?:\s|$))")
_PARTY_LABEL = re.compile(r"[DRIL](?:-[A-Z][\w.]*)?|[A-Z]{1,2}-[A-Z][\w.]*|[IVXLC]+|[A-Z]")
_BRACKET_CREDIT = re.compile(r"\s*\[\s*(?:(?:via|source|from)\s*:?\s*)?(?P<name>[A-Z][^\[\]\n]{0,60}?)\s*\]\s*$", re.I)
_BRACKET_NAME = re.compile(r"(?:The\s+)?[A-Z][A-Za-z&.'’-]*(?:\s+(?:[A-Z][A-Za-z&.'’-]*|of|and|&)){0,4}")
_QUOTED_BY = re.compile(r"(?P<cue>quoted)\s+by\s+")  # a literal first: the engine skips ahead to it
_BE_BEFORE = re.compile(r"\b(?:was|were|is|are|been|being)\s+(?:(?:also|later|once|widely|first|\w+ly)\s+)?$")
_AS_SAYING = re.compile(r"\s+as\s+(?:saying|telling|writing|stating)\b[\s,:]*")
_INITIALS = re.compile(r"[A-Z][\w&'’-]*")


class Found(NamedTuple):
    """A draft attribution, as plain spans (the pattern extractor turns it into its own draft)."""

    cue: Span
    cue_type: CueType
    source: Span | None
    content: Span | None
    outlet: Span | None
    kind: Kind | None
    priority: int
    extent: Span | None = None
    loose: bool = False  # proposed only for the keep model (--model): see loose.py


def could_be_outlet(prose: str, span: Span) -> bool:
    """Whether the object of "told" / "in an interview with" can be a news outlet: a name or
    an outlet noun ("the newspaper"), not an audience ("the U.N. General Assembly", "the
    crowd", "lawmakers") and not a body ("the committee")."""
    lex = lexicon()
    text = prose[span[0] : span[1]]
    lower = " ".join(text.lower().split())
    if lower in lex.outlet_anaphors or "the " + lower in lex.outlet_anaphors:
        return True
    words = lower.replace("’", "'").split()
    head = words[-1].strip(".,;:'\"") if words else ""
    if not head or head in lex.audience_heads:
        return False
    if head in lex.organization_heads and head not in lex.outlet_heads:
        return False
    return any(w[:1].isupper() for w in text.split() if w.lower() not in ("the", "a", "an"))


_OWNED = re.compile(r"\s+(?:[“\"‘][^”\"’\n]{1,60}[”\"’]|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})")


def addressee(prose: str, obj: Span, limit: int) -> tuple[Span | None, int]:
    """The outlet named by the object of "told" (or "in an interview with"), if it can be one,
    and where the object ends: "the BBC"; "CNN's Jake Tapper" and "NBC's “Meet the Press”"
    (the outlet owns the person or the show); "Jake Tapper of CNN"."""
    s0, s1 = obj
    if prose.endswith(("'s", "’s"), s0, s1) and s1 - s0 > 2:
        owner = (s0, s1 - 2)
        owned = _OWNED.match(prose, s1, min(limit, s1 + 80))
        return (owner if could_be_outlet(prose, owner) else None), owned.end() if owned else s1
    inner = outlet_within(prose, obj)
    if inner is not None:
        return inner, s1
    return (obj if could_be_outlet(prose, obj) else None), s1


def outlet_within(prose: str, source: Span, speaking: bool = False) -> Span | None:
    """The outlet named inside a source phrase, when the source is a journalist or a piece of
    an outlet's work: "NPR's Mary Louise Kelly", "Sui-Lee Wee of the New York Times", "a
    reporter for The Guardian", "A Reuters investigation", "An AP analysis". Not a former
    one's; nor, with ``speaking`` (spoken words: "said", "argued", not "wrote"), a named
    person's job told in an apposition ("Mr. O'Brien, an editor for The New York Times, said")."""
    lex = lexicon()
    s0, s1 = source
    text = prose[s0:s1]
    if len(text) > 120 or " " not in text or text.lower() == text:
        return None  # a pronoun or a single name holds no other name
    match = _POSSESSIVE.match(text) if "'" in text or "’" in text else None
    if match and match.group("o"):
        rest = match.group("rest").split()
        heads = lex.outlet_heads | lex.organization_heads
        person = all(w[:1].isupper() and w.lower().strip(",.") not in heads for w in rest)
        if person or any(w.lower().strip(",") in lex.journalists for w in rest[:3]):
            return _shifted(s0, match.span("o"))  # "NPR's Mary Louise Kelly"; not "The People's Daily"
    match = _AT_OUTLET.search(text) if any(f" {p} " in text for p in ("of", "for", "at", "from", "with")) else None
    if match:
        before = text[: match.start()].strip(" ,")
        words = before.split()
        person_named = before.split(",", 1)[0].strip()
        if speaking and "," in before and person_named[:1].isupper() and classify(person_named) is Kind.PERSON \
                or "former" in before.lower().split():
            # "said Mr. O'Brien, a political analyst at MSNBC": a named person's job described,
            # who speaks for themselves, not the outlet's reporting (nor does a former editor)
            return None
        journalist = any(w.lower().strip(",") in lex.journalists for w in words)
        person = (len(words) >= 2 and words[0][:1].isupper() and words[-1][:1].isupper() and "," not in before
                  and words[0].lower() not in ("the", "a", "an") and classify(before) is Kind.PERSON)
        named = prose[s0 + match.start("o") : s0 + match.end("o")]
        if (journalist or person) and classify(named) not in (Kind.ORGANIZATION,):
            return _shifted(s0, match.span("o"))
    last = text.rsplit(None, 1)[-1] if text.strip() else ""
    match = _WORD_BEFORE_NOUN.fullmatch(text) if last in lex.report_nouns else None
    if match and match.group("noun").lower() in lex.report_nouns and match.group("noun").islower():
        return _shifted(s0, match.span("o"))
    return None


def _shifted(base: int, span: Span) -> Span:
    return (base + span[0], base + span[1])


def conjunct_before(prose: str, source: Span, floor: int) -> Span | None:
    """"Reuters and the BBC reported": the first name of a pair of named sources."""
    start = source[0]
    match = re.search(r"(?:,\s*|\s+)and\s+$", prose[max(floor, start - 8) : start])
    if match is None or not prose[source[0] : source[1]].split()[-1][:1].isupper():
        return None
    end = max(floor, start - 8) + match.start()
    name = capitalised_before(prose, end)
    if name is None or name[0] < floor:
        return None
    words = prose[name[0] : name[1]].split()
    if words and words[0] in ("The", "A", "An") and len(words) == 1:
        return None
    # Only a whole subject: "Reuters and the BBC", not "in May and the BBC".
    left = prose[max(floor, name[0] - 40) : name[0]].strip()
    if left and not left.endswith((",", ";", ":", "—", "–")) and left.split()[-1].lower() not in ("as", "that", "but", "and", "while"):
        return None
    return name


def conjunct_after(prose: str, source: Span, limit: int) -> Span | None:
    """"according to Reuters and the BBC": the second name of a pair of named sources."""
    match = re.match(r"\s+and\s+", prose[source[1] : source[1] + 8])
    if match is None or not prose[source[0]:source[1]][:1].isupper() and not prose[source[0]:source[1]].startswith("the "):
        return None
    obj = object_after(prose, source[1] + match.end(), limit)
    if obj is None or not any(w[:1].isupper() for w in prose[obj[0] : obj[1]].split()):
        return None
    return obj


_BOOK_PUBLISHER = re.compile(r"\b(?:University Press|Books|Publishing(?: Group| House)?|Publishers)$")


def paren_credits(prose: str, layout: Layout) -> list[Found]:
    """"The port reopened on Monday (Reuters).": a parenthesised name closing a sentence
    credits the outlet the sentence comes from. Party labels ("(D-Ohio)"), numbers and
    acronyms of the words just before ("the World Health Organization (WHO)") are not."""
    out = []
    for match in _PAREN_CREDIT.finditer(prose):
        start = match.start()
        if layout.in_quote(start):
            continue
        name = match.group("name")
        if _PARTY_LABEL.fullmatch(name) or len(name) < 2 or _BOOK_PUBLISHER.search(name):
            continue  # "(D-Ohio)"; "the book “Strangers” (Harbour University Press)": a book's publisher
        index = layout.sentence_index(start)
        sentence = layout.sentences[index]
        if not sentence[0] <= start < sentence[1]:
            continue
        after = prose[match.end() : sentence[1]].strip(" .!?\"”’")
        if after:
            continue  # not at the end of its sentence
        before = prose[max(sentence[0], start - 80) : start].rstrip()
        if not before or _acronym_of(name, before):
            continue
        content = (sentence[0], trim_end(prose, sentence[0], start))
        out.append(Found(cue=(start, start + 1), cue_type=CueType.CREDIT, source=match.span("name"),
                         content=content if content[1] > content[0] else None, outlet=match.span("name"),
                         kind=None, priority=0, extent=match.span()))
    return out


def _acronym_of(name: str, before: str) -> bool:
    """"the World Health Organization (WHO)": the letters are the initials just before."""
    letters = name.replace(".", "").replace("&", "")
    if not letters.isupper():
        return False
    initials = "".join(w[0] for w in _INITIALS.findall(before.split(",")[-1]))
    return bool(initials) and initials.endswith(letters[: len(initials)]) or letters in initials


def bracket_credits(prose: str, layout: Layout) -> list[Found]:
    """"[Engadget]" or "[via The Verge]" on a line of its own, under an excerpt."""
    out = []
    for index, block in enumerate(layout.blocks):
        if block.end - block.start > 80 or prose[block.start] != "[" or index == 0:
            continue
        match = _BRACKET_CREDIT.match(prose, block.start, block.end)
        if match is None or not _BRACKET_NAME.fullmatch(match.group("name")):
            continue
        previous = layout.blocks[index - 1]
        if not layout.in_excerpt(previous.start) and prose[previous.end - 1] not in "\"”’»":
            continue  # only under an excerpt: a bracketed label elsewhere ("[Updated]") is no credit
        name = match.span("name")
        label = (block.start, block.start + 1)
        out.append(Found(cue=label, cue_type=CueType.CREDIT, source=name, content=None, outlet=name,
                         kind=Kind.OUTLET, priority=0, extent=(block.start, block.end)))
    return out


def quoted_by(prose: str, layout: Layout) -> list[Found]:
    """"The minister was quoted by Reuters as saying the pier was unsafe": the minister is the
    source, Reuters the outlet whose report carries the words."""
    out = []
    for match in _QUOTED_BY.finditer(prose):
        be = _BE_BEFORE.search(prose, max(0, match.start() - 30), match.start())
        if be is None or layout.in_quote(match.start()):
            continue
        sentence = layout.sentences[layout.sentence_index(match.start())]
        outlet = object_after(prose, match.end(), min(sentence[1], match.end() + 200))
        if outlet is None or not could_be_outlet(prose, outlet):
            continue
        saying = _AS_SAYING.match(prose, outlet[1], sentence[1])
        source, _ = subject_before(prose, sentence[0], be.start())
        if source is None:
            continue
        if saying:
            content: Span | None = (saying.end(), trim_end(prose, saying.end(), sentence[1]))
            extent_end = saying.end()
        else:
            content = None
            extent_end = outlet[1]
        if content is not None and content[1] <= content[0]:
            content = None
        out.append(Found(cue=match.span("cue"), cue_type=CueType.SPEECH, source=source, content=content,
                         outlet=outlet, kind=None, priority=3, extent=(match.start("cue"), extent_end)))
    return out


def closing_participle(prose: str, sentence: Span, start: int, end: int, cue_type: CueType) -> Found | None:
    """"The plan was dropped in May, first reported by The Intercept.": a participle whose
    by-phrase closes the sentence credits the outlet for the whole sentence."""
    if cue_type is not CueType.PUBLICATION:
        return None
    by = re.match(r"\s+by\s+", prose[end : end + 6])
    if by is None:
        return None
    source = phrase_after(prose, end + by.end(), sentence[1])
    if source is None or not prose[source[0] : source[1]].split()[-1][:1].isupper():
        return None
    if prose[source[1] : sentence[1]].strip(" .!?\"”’)"):
        return None  # the participle modifies a subject: "the documents, published by ABC, reveal"
    cue0 = start
    first = re.search(r"\bfirst\s+$", prose[max(sentence[0], start - 7) : start])
    if first:
        cue0 = max(sentence[0], start - 7) + first.start()
    content = (sentence[0], trim_end(prose, sentence[0], cue0))
    return Found(cue=(cue0, end), cue_type=cue_type, source=source, content=content if content[1] > content[0] else None,
                 outlet=source, kind=None, priority=5)
