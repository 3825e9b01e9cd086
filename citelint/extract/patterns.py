"""The pattern extractor: finds cues with the lexicon and builds attributions around them."""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from citelint.extract.clauses import (
    AFTER_CUE,
    after_name,
    capitalised_before,
    continuation_end,
    inner_quote,
    introduces_content,
    nonempty,
    quote_ending_at,
    rest_of_sentence,
    trim_end,
)
from citelint.extract import NotProse
from citelint.extract.guards import (
    BE_HEDGE,
    COMMA_THEN_NAME,
    FINITE_NEXT,
    GIVEN_TO,
    PASSIVE_ADVERBS,
    QUOTE_THEN_NAME,
    credit_names,
    first_is_adverb,
    given_to_before,
    headline_verb,
    not_a_subject,
    passive,
    quote_leads,
    weasel_opens_clause,
)
from citelint.extract.lexicon import lexicon, trie_pattern
from citelint.extract.loose import loose_constructions
from citelint.extract.outlets import (
    Found,
    addressee,
    bracket_credits,
    closing_participle,
    conjunct_after,
    conjunct_before,
    could_be_outlet,
    outlet_within,
    paren_credits,
    quoted_by,
)
from citelint.extract.phrases import (
    MONTHS,
    WEEKDAYS,
    adverbs_between,
    classify,
    inverted_source,
    is_named,
    object_after,
    phrase_after,
    sentence_subject,
    subject_before,
)
from citelint.extract.relative_clauses import before_relative, verb_first
from citelint.extract.segment import DATELINE as _DATELINE
from citelint.extract.segment import Layout
from citelint.model import Attribution, CueType, Document, Kind

_OPENING_QUOTES = ("“", '"', "''", "‘", "«")
_CREDIT_NAME = re.compile(r"[^\W\d][^\d]*$")  # a name: opens with a letter, no digits ("Reuters", "dpa")
_QUOTE_CLOSE_COMMA = re.compile(r"[,?!—–-]?\s*[\"”’']\s*[,]?\s*$")
_POSSESSIVE_NOUN = re.compile(r"['’]s\s+(?:(?:own|new|latest|original)\s+)?(?P<noun>[a-z]+)\b")
_REPORT_BY: re.Pattern[str] | None = None
_DETERMINER_BEFORE = re.compile(r"\b(?:an?|the|one|two|several|recent|new|latest)\s+(?:[a-z]+\s+)?$", re.I)
_NOUN_MARKERS = frozenset(
    """the a an his her their its our my your this these those some many several any no every
    each new recent latest other such of on in about for with into from by key major first""".split()
)
_BE = frozenset("was were is are been being be".split())


@dataclass(slots=True)  # an article can have tens of thousands of drafts
class _Draft:
    cue: tuple[int, int]
    cue_type: CueType
    source: tuple[int, int] | None = None
    content: tuple[int, int] | None = None
    kind: Kind | None = None
    outlet: tuple[int, int] | None = None
    bare: bool = False
    priority: int = 5
    quotes: list[tuple[int, int]] = field(default_factory=list)
    extent: tuple[int, int] | None = None  # words the draft claims beyond its cue and source
    loose: bool = False  # proposed only for the keep model: a form the rules alone do not trust here


class PatternExtractor:
    """Finds attributions in a document with lexicon-driven patterns; with ``use_model`` the
    learned decisions of ``decide.py`` re-draw content boundaries and drop unlikely drafts."""

    def __init__(self, use_model: bool = False) -> None:
        self.use_model = use_model
        # With the models, the rules also propose what they would reject alone (a needs-that
        # form without "that", a candidate verb): the keep model decides on those.
        self.loose = use_model

    def extract(self, document: Document) -> list[Attribution]:
        layout, kept = self.drafts(document)
        if self.use_model:
            from citelint.extract.decide import decide

            kept = decide(document.prose, layout, kept)
        return self._finish(document, layout, kept)

    def drafts(self, document: Document) -> tuple[Layout, list[_Draft]]:
        """The rules' candidates, before any learned decision."""
        prose = document.prose
        layout = Layout(prose, document.quote_regions)
        verbs = list(lexicon().verb_pattern.finditer(prose))  # one scan, for the density check and _verbs
        _refuse_dense(document, layout, verbs)
        drafts: list[_Draft] = []
        drafts += self._datelines(prose, layout)
        drafts += self._credits(prose, layout)
        drafts += self._phrase_cues(prose, layout, lexicon().vague_pattern, CueType.VAGUE, 1)
        drafts += self._passive_hedges(prose, layout)
        drafts += self._phrase_cues(prose, layout, lexicon().weasel_pattern, CueType.WEASEL, 2)
        drafts += self._according(prose, layout)
        drafts += self._possessive_reports(prose, layout)
        if self.loose:
            drafts += [_from_found(f) for f in loose_constructions(prose, layout)]
            verbs = sorted(verbs + list(lexicon().candidate_pattern.finditer(prose)), key=lambda m: m.start())
        drafts += self._verbs(prose, layout, verbs)
        drafts += [_from_found(f) for f in paren_credits(prose, layout) + bracket_credits(prose, layout) + quoted_by(prose, layout)]
        kept = _without_overlaps(drafts)
        kept += _second_names(prose, layout, kept)
        if self.loose:
            kept = _loose_outside_sources(kept)
        return layout, kept

    # -- cue finders -------------------------------------------------------------------

    def _datelines(self, prose: str, layout: Layout) -> list[_Draft]:
        out = []
        for block in layout.blocks[:4]:
            match = _DATELINE.match(prose, block.start, block.end)
            if not match or not match.group("credit") or not _CREDIT_NAME.match(match.group("credit")):
                continue  # "UPDATE (2:30 p.m.) —" is not a wire's credit
            credit = match.span("credit")
            out.append(_Draft(cue=match.span("dash"), cue_type=CueType.DATELINE, source=credit,
                              content=(match.end(), block.end), kind=Kind.OUTLET, outlet=credit, priority=0))
        return out

    def _credits(self, prose: str, layout: Layout) -> list[_Draft]:
        out = []
        for block in layout.blocks:
            if block.end - block.start > 120 or "\n" in prose[block.start : block.end].strip():
                continue
            match = lexicon().credit_pattern.match(prose, block.start, block.end)
            if not match:
                continue
            name = match.span("name")
            if not credit_names(prose[name[0] : name[1]]):
                continue  # "Sources: Despite Huge Sales, Developers Are Getting Stiffed": a headline
            out.append(_Draft(cue=(match.start("label"), match.end("label")), cue_type=CueType.CREDIT,
                              source=name, kind=Kind.OUTLET, outlet=name, priority=0))
        return out

    def _phrase_cues(self, prose: str, layout: Layout, pattern: re.Pattern[str], cue_type: CueType, priority: int) -> list[_Draft]:
        out = []
        for match in _anchored(prose, pattern, layout.phrase_anchors):
            if layout.in_quote(match.start()) or layout.in_excerpt(match.start()):
                continue
            if cue_type is CueType.VAGUE and re.match(r"\s+(?:in|by|from)\s+(?:the\s+)?[A-Z]", prose[match.end():match.end() + 12]):
                continue  # "according to reports in the Financial Times" names its source
            cue = match.span()
            source = None
            words = match.group().split()
            if cue_type is CueType.WEASEL and not weasel_opens_clause(prose, match.start(), match.end(), words):
                continue  # "wanted some say in the design", "had many say": a noun, not a cue
            if cue_type is CueType.WEASEL and words[0].lower() not in ("it", "is", "mistakes", "everyone"):
                # "critics say": the subject is the (unnamed) source, the verb the cue.
                split = match.start() + len(words[0])
                if words[0].lower() in ("some", "many", "most") and len(words) > 2 and words[1].lower() in ("people", "have"):
                    split = match.start() + len(" ".join(words[:2])) if words[1].lower() == "people" else split
                source = (match.start(), split)
                cue = (split + 1, match.end())
            sentence = layout.sentences[layout.sentence_index(match.start())]
            content = rest_of_sentence(prose, sentence, match.start(), match.end())
            out.append(_Draft(cue=cue, cue_type=cue_type, source=source, content=content, kind=Kind.VAGUE, priority=priority))
        return out

    def _passive_hedges(self, prose: str, layout: Layout) -> list[_Draft]:
        """"The owner was said to be furious", "is reported to have left": no one is named."""
        out = []
        lex = lexicon()
        for match in _anchored(prose, lex.passive_vague_pattern, layout.anchors(lex.passive_vague_finders)):
            be = BE_HEDGE.search(prose, max(0, match.start() - 24), match.start())
            if be is None or layout.in_quote(match.start()) or layout.in_excerpt(match.start()):
                continue
            sentence = layout.sentences[layout.sentence_index(match.start())]
            content = rest_of_sentence(prose, sentence, be.start(), match.end())
            out.append(_Draft(cue=(be.start(), match.end()), cue_type=CueType.VAGUE, content=content,
                              kind=Kind.VAGUE, priority=1))
        return out

    def _according(self, prose: str, layout: Layout) -> list[_Draft]:
        out = []
        lex = lexicon()
        for match in _anchored(prose, lex.according_pattern, layout.anchors(lex.according_finders)):
            word = match.group().lower()
            if layout.in_quote(match.start()):
                continue
            if word == "per" and not prose[match.end():match.end() + 2].strip()[:1].isupper():
                continue  # "per cent", "per capita"
            sentence = layout.sentences[layout.sentence_index(match.start())]
            source = phrase_after(prose, match.end(), sentence[1])
            if source is None:
                continue
            if word == "citing" and not prose[source[0]].isupper():
                continue  # "citing concerns" is not a source
            outlet = _by_outlet(prose, source)
            more = re.match(r"\s+(?:in|by|from)\s+", prose[source[1]:source[1] + 8])
            if more and prose[source[0]:source[1]].lower().split()[-1] in lexicon().report_nouns:
                # "according to reports in the Financial Times": the outlet completes the phrase
                named = object_after(prose, source[1] + more.end(), sentence[1])
                if named is not None:
                    source, outlet = (source[0], named[1]), named
            content = rest_of_sentence(prose, sentence, match.start(), source[1])
            out.append(_Draft(cue=match.span(), cue_type=CueType.SPEECH, source=source, content=content,
                              outlet=outlet, priority=3))
        return out

    def _possessive_reports(self, prose: str, layout: Layout) -> list[_Draft]:
        """"the FT's reporting", "Reuters' investigation": the owner is the source."""
        out = self._report_by(prose, layout)
        nouns = lexicon().report_nouns
        for match in _POSSESSIVE_NOUN.finditer(prose):
            if match.group("noun") not in nouns or not match.start() or not prose[match.start() - 1].isalnum():
                continue
            if layout.in_quote(match.start()):
                continue
            name = capitalised_before(prose, match.start())
            if name is None:
                continue
            sentence = layout.sentences[layout.sentence_index(match.start())]
            content = rest_of_sentence(prose, sentence, name[0], match.end())
            out.append(_Draft(cue=match.span("noun"), cue_type=CueType.PUBLICATION, source=name,
                              content=content, outlet=name, priority=4))
        return out

    def _report_by(self, prose: str, layout: Layout) -> list[_Draft]:
        """"a report by the Financial Times", "an investigation in The Guardian"."""
        out = []
        for match in _anchored(prose, _report_by_pattern(), layout.anchors(lexicon().report_by_finders)):
            if not _DETERMINER_BEFORE.search(prose, max(0, match.start() - 30), match.start()):
                continue  # "a report by", "the new investigation in"; not "reporting in Kyiv"
            if layout.in_quote(match.start()):
                continue
            sentence = layout.sentences[layout.sentence_index(match.start())]
            name = object_after(prose, match.end(), sentence[1])
            if name is None or not prose[name[0]:name[1]].split()[-1][:1].isupper():
                continue
            content = rest_of_sentence(prose, sentence, match.start(), name[1])
            out.append(_Draft(cue=match.span("noun"), cue_type=CueType.PUBLICATION, source=name,
                              content=content, outlet=name, priority=4))
        return out

    def _verbs(self, prose: str, layout: Layout, verbs: list[re.Match[str]]) -> list[_Draft]:
        lex = lexicon()
        out: list[_Draft] = []
        last_in_sentence: dict[int, _Draft] = {}
        verb_type = _loose_verb_types() if self.loose else lex.verb_type
        given_to = layout.anchors(lex.interviewed_by_finders)
        for match in verbs:
            form = match.group()
            if form not in verb_type:
                # Headlines capitalise verbs: "Lindsey Graham Says". Only after a capitalised word.
                lower = form.lower()
                if not (form[0].isupper() and lower in verb_type and form[1:].islower() and after_name(prose, match.start())):
                    continue
                if not headline_verb(lower):
                    continue  # "Tribune Publishing", "Obama on The Daily Show": names, not cues
                form = lower
            start, end = match.span()
            if layout.in_quote(start):
                continue
            index = layout.sentence_index(start)
            sentence = layout.sentences[index]
            if not sentence[0] <= start < sentence[1]:
                continue
            draft = self._verb(prose, layout, sentence, start, end, form, last_in_sentence.get(index), given_to)
            if draft is not None:
                out.append(draft)
                last_in_sentence[index] = draft
        return out

    def _verb(self, prose: str, layout: Layout, sentence: tuple[int, int], start: int, end: int,
              form: str, previous: _Draft | None, given_to: list[int]) -> _Draft | None:
        lex = lexicon()
        loose = form in lex.candidates
        cue_type = lex.candidates[form] if loose else lex.verb_type[form]  # a candidate verb: the keep model decides
        match_end = end
        particle = _PARTICLE.match(prose, end, min(end + 12, sentence[1]))
        if particle and (particle.group(1).lower() in lex.particles.get(form, ())
                         or self.loose and particle.group(1).lower() in lex.loose_particles.get(form, ())):
            end = particle.end()  # "called for", "pointed to": the particle is part of the cue
        elif form in lex.only_with_particle or form.startswith("call") and prose[max(0, start - 3) : start].rstrip().endswith(","):
            return None  # "a group, called the Fund, …" names; it does not attribute
        if form in lex.needs_to and not _TO.match(prose, end, end + 4):
            return None
        if end == match_end and FINITE_NEXT.match(prose, end):
            return None  # "the trade phone call said", "the report says": the word is the subject
        left = prose[sentence[0] : start]
        before = left.rstrip()
        prev_word = before.rsplit(None, 1)[-1].lower() if before else ""
        raw_prev = prev_word
        if prev_word == "first" and first_is_adverb(before):
            prev_word = ""  # "As CNN first reported": an adverb, not "the first reports"
        gerund = self.loose and form.endswith("ing") and prev_word in _GERUND_AFTER  # "by saying"
        if prev_word in _NOUN_MARKERS and not gerund or prev_word.endswith(("'s", "’s")) and form.endswith("s"):
            return None  # "his tweets", "the plans", "a question of", "Trump's attacks": nouns
        # Passive: "was reported by Reuters" names the source after "by"; without "by" it is not a cue here.
        if (prev_word in _BE or prev_word in ("widely", "been") or raw_prev in PASSIVE_ADVERBS and passive(before)) \
                and not form.endswith("ing"):
            by = _BY.match(prose, end, end + 6)
            if not by:
                return None
            source = phrase_after(prose, by.end(), sentence[1])
            if source is None:
                return None
            content = (sentence[0], trim_end(prose, sentence[0], start))
            return _Draft(cue=(start, end), cue_type=cue_type, source=source, content=nonempty(content), outlet=source, loose=loose)
        if _AND_BY.match(prose, end, end + 40):
            # "documents, published and annotated by ABC, reveal": a participle, not the cue;
            # closing the sentence it credits: "…, first reported by The Intercept."
            found = closing_participle(prose, sentence, start, end, cue_type)
            return _from_found(found) if found else None
        if before.endswith(",") and form in _INVERTING and form in lex.needs_that:
            # "Two tugboats sank in March, reports Reuters.": the source closes the sentence.
            after = phrase_after(prose, end, sentence[1])
            if after is not None and prose[after[0]].isupper() and not prose[after[1] : sentence[1]].strip(" .!?\"”’"):
                clause = nonempty((sentence[0], trim_end(prose, sentence[0], sentence[0] + len(before) - 1)))
                return _Draft(cue=(start, end), cue_type=cue_type, source=after, content=clause, outlet=after, loose=loose)
        near = left[-12:]
        closing = ('"' in near or "”" in near or "’" in near or "'" in near) and _QUOTE_CLOSE_COMMA.search(near)
        closed = closing and (layout.quotes_within(sentence[0], start) or [q for q in (quote_ending_at(prose, layout, start),) if q])
        if closed:
            # "“…,” said Smith." or "“…,” the AP wrote." (the quotation may open a sentence earlier)
            quote = closed[-1]
            between = prose[quote[1] : start].strip(" ,")
            if not between:
                source = inverted_source(prose, end, sentence[1])
            else:
                source, _ = subject_before(prose, quote[1], start)
            if source is None:
                return None
            first = quote_ending_at(prose, layout, quote[1]) or quote
            content = (first[0], continuation_end(prose, layout, sentence, max(end, source[1]), quote[1]))
            cue = self._cue_with_adverbs(prose, source, start, end) if between else (start, end)
            return _Draft(cue=cue, cue_type=cue_type, source=source, content=content, outlet=source, loose=loose)
        if form in lex.needs_that and not introduces_content(prose, end, sentence[1]):
            quoted = layout.quotes_within(sentence[0], start)
            tail = left[-80:]
            if (not quoted or start - quoted[-1][1] > 60) and not (("”" in tail or '"' in tail) and QUOTE_THEN_NAME.search(tail)) \
                    and not (not prose[end : sentence[1]].strip(" .!?\"”’") and COMMA_THEN_NAME.search(tail)):
                # "his claims", "the reports": a noun, unless a quotation was just closed ("“…,”
                # Viguerie notes") or a named subject closes the sentence ("…, the Tribune reports.")
                if not self.loose:
                    return None
                loose = True
        if _negated(before[-40:]):
            return None  # "did not respond", "declined to comment": nothing was said
        floor = sentence[0]
        quotes = layout.quotes_within(sentence[0], start)
        if quotes:
            floor = max(floor, quotes[-1][1])
        source, bound = subject_before(prose, floor, start)
        told: tuple[int, int] | None = None
        if source is not None and bound == "who" and verb_first(prose, source):
            source, told = before_relative(prose, floor, source)
        if source is not None and not_a_subject(prose, source, form, cue_type):
            return None  # "NASA is building a rover NASA plans to fly": an object and a relative clause
        if source is None and gerund:
            # "She answered by saying …": the sentence's subject speaks (loose: the model decides)
            source, loose = sentence_subject(prose, sentence), True
            if source is None or source[1] > start:
                return None
        if source is None:
            if bound in ("who", "which", "that") and (rel := _RELATIVE.search(prose, max(floor, start - 60), start)):
                source = rel.span(1)  # "an architect who said he was stiffed": the pronoun stands for him
            elif bound in ("and", "but") or form.endswith("ing") and before.endswith(","):
                # "X said A and added B"; "X issued a statement, saying …": the clause's subject speaks
                if previous is not None and previous.source is not None:
                    source = previous.source
                else:
                    source = sentence_subject(prose, sentence)
                if source is None or source[1] > start:
                    return None
            else:
                # "The plan will fail, said the minister.": the source follows the cue.
                after = phrase_after(prose, end, sentence[1]) if before.endswith(",") and form in _INVERTING else None
                if after is None or not prose[after[0]].isupper():
                    return None
                clause = nonempty((sentence[0], trim_end(prose, sentence[0], sentence[0] + len(before) - 1)))
                return _Draft(cue=(start, end), cue_type=cue_type, source=after, content=clause, outlet=after, loose=loose)
        outlet = told or _by_outlet(prose, source)
        cue = self._cue_with_adverbs(prose, source, start, end)
        content_start = end
        said_to = _TO.match(prose, end, end + 5) if form == "said" else None
        if form in ("told", "tell", "tells", "telling") or said_to:
            obj = object_after(prose, said_to.end() if said_to else end, sentence[1])
            if obj is not None:
                # "told the BBC", "told CNN's Jake Tapper"; not "told the U.N. General Assembly"
                addressed, content_start = addressee(prose, obj, sentence[1])
                outlet = addressed or outlet
        adverbial = AFTER_CUE.match(prose, content_start, sentence[1])
        if adverbial and GIVEN_TO.search(adverbial.group()) and (to := _TO_WITH.match(prose, adverbial.end(), adverbial.end() + 6)):
            # "said in a statement to The New York Times", "said in an interview with the BBC"
            obj = object_after(prose, to.end(), sentence[1])
            if obj is not None:
                if could_be_outlet(prose, obj):
                    outlet = obj
                content_start = obj[1]
                adverbial = AFTER_CUE.match(prose, content_start, sentence[1])
        content_start = adverbial.end() if adverbial else content_start
        interview = lex.interview_pattern.match(prose, content_start)
        if interview and interview.group().lower().startswith(("in an interview", "in a statement", "speaking")):
            obj = phrase_after(prose, interview.end(), sentence[1])
            if obj is not None:
                if could_be_outlet(prose, obj):
                    outlet = obj
                content_start = obj[1]
        if outlet == source and given_to and (given := given_to_before(prose, given_to, sentence[0], start)) is not None:
            phrase_start, outlet = given  # "In an interview with the BBC, the mayor said …"
            comma = prose.rfind(",", source[0], phrase_start)
            if phrase_start > source[0] and comma > source[0]:
                # "The senator, in an interview with Politico, said": the aside is not the source
                source = (source[0], comma)
        lead = _LEAD.match(prose, content_start, sentence[1])  # None only past the sentence end
        c0 = lead.end() if lead else content_start
        c1 = trim_end(prose, c0, sentence[1])
        quote_before = quote_ending_at(prose, layout, source[0])
        if quote_before is not None and not quote_leads(layout, sentence, quote_before, c0, c1):
            quote_before = None  # a quotation of another paragraph or sentence is not this cue's content
        if quote_before is not None:
            # "“A,” the narrator says, “B.”": the quotations around the attribution are the content.
            c0, c1 = quote_before[0], continuation_end(prose, layout, sentence, end, quote_before[1])
        elif c1 <= c0:
            # "…, the minister said." — the content is what came before the source.
            c0 = sentence[0]
            c1 = trim_end(prose, c0, source[0])
            if bound in ("as",):
                c1 = trim_end(prose, c0, source[0] - 3)
        elif bound == "," and prose[cue[1]:cue[1] + 1] == "," and c0 - cue[1] < 3 \
                and not prose[cue[1] + 1:cue[1] + 4].lstrip().startswith(_OPENING_QUOTES):
            # "But to prevent problems, he said, local officials should be vigilant." (not "Last
            # week, Lund said, “…”": a quotation after the cue is what was said)
            c0 = sentence[0]
        elif bound == "as" and prose[sentence[0]:source[0]].strip().lower() in ("as", ""):
            # "As the documents reveal, British officials …": the content is the main clause.
            comma = prose.find(",", end, sentence[1])
            if comma != -1:
                c0 = comma + 1
                while c0 < c1 and prose[c0].isspace():
                    c0 += 1
        return _Draft(cue=cue, cue_type=cue_type, source=source, content=nonempty((c0, c1)), outlet=outlet, loose=loose)

    @staticmethod
    def _cue_with_adverbs(prose: str, source: tuple[int, int], start: int, end: int) -> tuple[int, int]:
        """"the mayor also said", "has repeatedly said": auxiliaries and adverbs belong to the cue,
        also after an aside or a relative clause ("Trump, in particular, has sharply criticized",
        "Officials who spoke to the BBC have repeatedly said")."""
        gap = source[1]
        while gap < start and prose[gap] in " \t\n,":
            gap += 1
        if gap < start and adverbs_between(prose, gap, start):
            return (gap, end)
        first = start
        for word in reversed(list(re.finditer(r"\S+", prose[gap:start]))):
            if not adverbs_between(prose, gap + word.start(), gap + word.end()):
                break
            first = gap + word.start()
        return (first, end)

    # -- assembly ----------------------------------------------------------------------

    def _finish(self, document: Document, layout: Layout, drafts: list[_Draft]) -> list[Attribution]:
        prose = document.prose
        lex = lexicon()
        out = []
        named_sentences: set[int] = set()
        for draft in drafts:
            if draft.source and draft.outlet == draft.source:
                speaking = draft.cue_type in (CueType.SPEECH, CueType.BELIEF) \
                    and not prose[draft.cue[0]:draft.cue[1]].lower().startswith(("wrote", "writ"))
                draft.outlet = outlet_within(prose, draft.source, speaking) or draft.outlet
            if draft.source and draft.kind is None:
                draft.kind = classify(prose[draft.source[0]:draft.source[1]])
            if draft.source and draft.kind not in (Kind.ANONYMOUS, Kind.VAGUE, Kind.UNKNOWN) \
                    and is_named(prose[draft.source[0]:draft.source[1]]):
                named_sentences.add(layout.sentence_index(draft.cue[0]))
        for number, draft in enumerate(sorted(drafts, key=lambda d: d.cue), 1):
            sentence_index = layout.sentence_index(draft.cue[0])
            sentence = layout.sentences[sentence_index]
            block = layout.block_of(draft.cue[0])
            source_text = prose[draft.source[0]:draft.source[1]] if draft.source else ""
            kind = draft.kind or classify(source_text)
            bare = False
            if kind is Kind.ANONYMOUS:
                bare = _bare_anonymous(source_text) and not _described_after(prose, draft.source[1] if draft.source else 0)
            # Only anonymous sources need a reason; the pattern is long, so search only for them.
            reason = kind is Kind.ANONYMOUS and bool(lex.reason_pattern.search(prose, sentence[0], sentence[1]))
            nearby = False
            if draft.cue_type in (CueType.VAGUE, CueType.WEASEL):
                following = sentence_index + 1
                nearby = sentence_index in named_sentences or (
                    following in named_sentences and layout.sentences[following][0] < block.end
                )
            quotes = []
            if draft.content:
                for q0, q1 in layout.quotes_within(draft.content[0], draft.content[1] + 1):
                    inner = inner_quote(prose, q0, q1)
                    if inner:
                        quotes.append(document.span(*inner))
            source = document.span(*draft.source) if draft.source else None
            out.append(
                Attribution(
                    id=f"a{number}",
                    cue=document.span(*draft.cue),
                    cue_type=draft.cue_type,
                    source=source,
                    content=document.span(*draft.content) if draft.content else None,
                    quotes=tuple(quotes),
                    kind=kind,
                    outlet=source if draft.outlet == draft.source else document.span(*draft.outlet) if draft.outlet else None,
                    bare=bare,
                    anonymity_reason=reason,
                    named_nearby=nearby,
                    sentence=sentence,
                    block=(block.start, block.end),
                )
            )
        return out


_NEGATED = re.compile(r"(?:\bnot|n[’']t|\bnever|\bdeclined to|\brefused to|\bfailed to)\s*(?:\w+ly\s+)?$", re.I)


def _negated(tail: str) -> bool:
    """Whether ``tail`` ends in a negation ("did not", "declined to"). A regex search tries
    each position of the tail; most tails hold none of the words, which substring tests tell
    first (every form holds one of them, in any case the pattern matches)."""
    low = tail.lower()
    return ("not" in low or "n't" in low or "n’t" in low or "never" in low or "d to" in low) \
        and _NEGATED.search(tail) is not None
_INVERTING = frozenset("said says added wrote asked noted explained continued replied told writes adds asks reports reported".split())


def _by_outlet(prose: str, source: tuple[int, int]) -> tuple[int, int]:
    """"the documents, published by ABC" -> ABC; otherwise the source itself."""
    by = lexicon().by_pattern.search(prose, source[0], source[1])
    if by is not None and by.end() < source[1]:
        return (by.end(), source[1])
    return source


_TO = re.compile(r"\s+to\s")
_BY = re.compile(r"\s+by\s+")
_AND_BY = re.compile(r"(?:\s+(?:and|or)\s+\w+)?\s+by\s")
_TO_WITH = re.compile(r"(?:to|with)\s+")
_LEAD = re.compile(r"[\s,:]*")
_PARTICLE = re.compile(r"\s+(for|on|to|out|about|of|against|with|back|in|off)\b")
_RELATIVE = re.compile(r"\b(who|which|that)\s+(?:\w+\s+){0,2}$")
_WORD = re.compile(r"[A-Za-z]+")
_GERUND_AFTER = frozenset("by after before while when in".split())


def _report_by_pattern() -> re.Pattern[str]:
    global _REPORT_BY
    if _REPORT_BY is None:
        nouns = trie_pattern(lexicon().report_nouns)
        # The noun comes first so the engine can skip ahead to it; the determiner is checked after.
        _REPORT_BY = re.compile(rf"\b(?P<noun>{nouns})\s+(?:by|in|from)\s+(?=(?:the\s+)?[A-Z])")
    return _REPORT_BY


def _anchored(prose: str, pattern: re.Pattern[str], anchors: list[int]):  # type: ignore[no-untyped-def]
    """Matches of a phrase pattern tried only where a phrase's first word stands: Python's
    regex engine tries every alternative at every position, which is slow for long lists."""
    last = -1
    for pos in anchors:
        if pos < last:
            continue
        match = pattern.match(prose, pos)
        if match:
            last = match.end()
            yield match


# Cue words ("said", "reportedly", "according to" …) one sentence may hold. Real prose has at
# most 8 (PolNeAR train and dev); "reportedly reportedly …" has one every 11 characters and
# would cost time and memory per cue: such a file is an input error, not hundreds of findings.
MOST_CUES_PER_SENTENCE = 24


def _refuse_dense(document: Document, layout: Layout, verbs: list[re.Match[str]]) -> None:
    lex = lexicon()
    according = layout.anchors(lex.according_finders)
    if len(layout.phrase_anchors) + len(according) + len(verbs) <= MOST_CUES_PER_SENTENCE:
        return  # not that many cues in the whole article
    counts: dict[int, int] = {}
    for found in (layout.phrase_anchors, according, (m.start() for m in verbs)):
        for pos in found:
            index = layout.sentence_index(pos)
            counts[index] = counts.get(index, 0) + 1
            if counts[index] > MOST_CUES_PER_SENTENCE:
                line = document.span(*layout.sentences[index]).line
                raise NotProse(f"line {line}: more than {MOST_CUES_PER_SENTENCE} attribution cues in one sentence; "
                               "this is not prose, so the file is not checked")


def dateline_place(prose: str) -> str | None:
    """The place of a dateline opening the article ("MADRID (EFE) —" -> "MADRID"), if any."""
    start = len(prose) - len(prose.lstrip())
    match = _DATELINE.match(prose, start, start + 120)
    return " ".join(match.group("place").split()) if match else None


def _without_overlaps(drafts: list[_Draft]) -> list[_Draft]:
    """One attribution per cue: where cues overlap, the more specific pattern wins."""
    starts: list[int] = []  # kept extents, sorted and disjoint, as parallel lists
    ends: list[int] = []
    kept = []
    for draft in sorted(drafts, key=lambda d: (d.priority, d.cue)):
        lo, hi = draft.cue
        if draft.source and draft.priority < 5:
            lo, hi = min(lo, draft.source[0]), max(hi, draft.source[1])
        if draft.extent:
            lo, hi = min(lo, draft.extent[0]), max(hi, draft.extent[1])
        i = bisect.bisect_left(starts, lo)
        if i > 0 and ends[i - 1] > lo or i < len(starts) and starts[i] < hi:
            continue  # overlaps the extent before or after it
        starts.insert(i, lo)
        ends.insert(i, hi)
        kept.append(draft)
    return kept


@functools.cache
def _loose_verb_types() -> dict[str, CueType]:
    """The lexicon's verb forms and the candidate verbs, the forms a loose run takes as cues."""
    return lexicon().candidates | lexicon().verb_type


def _loose_outside_sources(drafts: list[_Draft]) -> list[_Draft]:
    """Loose drafts whose cue sits in a trusted draft's source or cue are words of a name
    ("said Ian Solomon, director for the United States"), not cues."""
    taken = sorted(span for d in drafts if not d.loose for span in (d.cue, d.source) if span)
    starts = [s for s, _ in taken]
    out = []
    for draft in drafts:
        if draft.loose:
            i = bisect.bisect_right(starts, draft.cue[0])
            if i and taken[i - 1][1] > draft.cue[0] or i < len(taken) and taken[i][0] < draft.cue[1]:
                continue
        out.append(draft)
    return out


# What places an anonymous source when it follows it: "a source on the call", "sources in the
# meetings", "a source inside the campaign" (not a time: "sources on Monday said").
_PLACED = re.compile(
    r"[ \t]+(?:in|on|at|inside|within|from|close to|near|involved in|with knowledge of|with direct knowledge of)"
    rf"[ \t]+(?!(?:{'|'.join(WEEKDAYS + MONTHS)}|the weekend|the morning|the evening|condition|background|Twitter|Facebook)\b)"
    r"(?:the|a|an|his|her|their|its)?[ \t]*[\w]"
)


def _described_after(prose: str, end: int) -> bool:
    """Whether words after an anonymous source's span describe where it stands."""
    return _PLACED.match(prose, end) is not None


def _bare_anonymous(text: str) -> bool:
    """True for "sources", "a source", "people familiar with the matter": no descriptor."""
    lex = lexicon()
    familiar = lex.familiar_pattern.search(text)
    if familiar:
        topic = familiar.group("topic").strip().lower()
        return topic in lex.generic_topics
    words = [w.lower().strip(",.") for w in text.split()]
    fillers = {"a", "an", "the", "two", "three", "four", "several", "multiple", "some", "other", "another", "many", "one", "anonymous", "unnamed", "unidentified"}
    return bool(words) and words[-1] in lex.anonymous_heads and all(w in fillers for w in words[:-1])


def _from_found(found: Found) -> _Draft:
    return _Draft(cue=found.cue, cue_type=found.cue_type, source=found.source, content=found.content,
                  kind=found.kind, outlet=found.outlet, priority=found.priority, extent=found.extent,
                  loose=found.loose)


_AND = re.compile(r"\s+and\s+")


def _second_conjunct(prose: str, source: tuple[int, int]) -> tuple[int, int] | None:
    """The words after the last "and" of a subject ("the BBC" of "Reuters and the BBC")."""
    found = None
    for found in _AND.finditer(prose, source[0], source[1]):
        pass
    if found is None or found.start() == source[0] or found.end() == source[1]:
        return None
    return found.end(), source[1]


def _second_names(prose: str, layout: Layout, kept: list[_Draft]) -> list[_Draft]:
    """"Reuters and the BBC reported", "according to Reuters and the BBC": each named source
    gets its own attribution (sharing the cue and the content), so each is resolved."""
    out = []
    for draft in kept:
        if draft.source is None or draft.outlet != draft.source:
            continue
        if draft.cue_type is not CueType.PUBLICATION and not (draft.cue_type is CueType.SPEECH and draft.priority == 3):
            continue
        sentence = layout.sentences[layout.sentence_index(draft.cue[0])]
        other: tuple[int, int] | None
        second = _second_conjunct(prose, draft.source) if draft.source[1] <= draft.cue[0] else None
        if second is not None and (other := conjunct_before(prose, second, sentence[0])) is not None:
            draft.source = draft.outlet = second  # "Reuters and the BBC reported": the subject drawn whole, split
        elif draft.source[1] <= draft.cue[0]:
            other = conjunct_before(prose, draft.source, sentence[0])
        else:
            other = conjunct_after(prose, draft.source, sentence[1])
        if other is None or layout.in_quote(other[0]):
            continue
        out.append(_Draft(cue=draft.cue, cue_type=draft.cue_type, source=other, content=draft.content,
                          outlet=other, priority=draft.priority))
    return out
