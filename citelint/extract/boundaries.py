"""Content boundary candidates of one document and their features, computed once per position.

A candidate start or end is a sentence edge, a punctuation or quotation mark, or the edge of a
clause word ("and", "that", "saying" …) near a cue. Features split in two: those of the position
alone (the characters and closed-class words around it), cached per document with their score
under each model; and those relative to a draft (side of the cue, distance, the rules' own edge).
"""
from __future__ import annotations

import bisect
import re
from array import array
from itertools import repeat
from typing import TYPE_CHECKING

from citelint.extract.features import TOKEN as _TOKEN
from citelint.extract.features import bucket, length_bucket, suffix, value
from citelint.model import CueType

if TYPE_CHECKING:
    from citelint.extract.decide import LinearModel
    from citelint.extract.patterns import _Draft
    from citelint.extract.segment import Layout

TRIM = " \t\r\n\"'“”‘’«».,;:!?()[]—–-"
_BREAKS = re.compile(r"[,;:—–()]|[\"“”‘’«»]|\b(?:and|but|while|which|who|whom|saying|as|because|though|although|"
                     r"after|before|when|if|that|whether|since|until|where|adding|according)\b")
_CLOSE_QUOTES = frozenset("”’»\"")
_WORDS = re.compile(r"\S+")
NO_BOUNDARY = (CueType.DATELINE, CueType.CREDIT)
_MOST = 40  # candidates per side at most
_REACH = 800  # characters a content may reach before its cue (twice that after)


def trim_start(prose: str, pos: int, end: int) -> int:
    while pos < end and prose[pos] in TRIM:
        pos += 1
    return pos


def trim_end(prose: str, pos: int, start: int) -> int:
    while pos > start and prose[pos - 1] in TRIM:
        pos -= 1
    return pos


class Boundaries:
    """Candidate positions of one document, with per-position features cached."""

    def __init__(self, prose: str, layout: Layout) -> None:
        self.prose = prose
        self.layout = layout
        # Offsets held in flat arrays (8 bytes each, not a 32-byte int object and a pointer): a
        # 10 MB article has millions of tokens; bisect reads arrays as it reads lists.
        self._word_starts = array("q", [m.start() for m in _WORDS.finditer(prose)])
        self._token_starts = array("q")
        self._token_ends = array("q")
        for match in _TOKEN.finditer(prose):
            start, end = match.span()
            self._token_starts.append(start)
            self._token_ends.append(end)
        self._commas = array("q", [m.start() for m in re.finditer(",", prose)])
        raw = {p for s0, s1 in layout.sentences for p in (s0, s1)}
        for match in _BREAKS.finditer(prose):
            raw.update((match.start(), match.end()))
        self._raw = sorted(raw)
        self._trimmed_sentence_starts = {trim_start(prose, s0, s1) for s0, s1 in layout.sentences}
        self._trimmed_sentence_ends = {trim_end(prose, s1, s0) for s0, s1 in layout.sentences}
        self._block_edges = {trim_start(prose, b.start, b.end) for b in layout.blocks} | \
            {trim_end(prose, b.end, b.start) for b in layout.blocks}
        self.cues: list[int] = []  # where the drafts' cues start, sorted (set by the caller)
        self._own: dict[tuple[int, bool], list[str]] = {}
        self._scores: dict[tuple[int, int, bool], float] = {}
        self._side_scores: dict[tuple[int, int, bool, str, str], float] = {}
        self._draft_scores: dict[tuple[int, int, str, bool, str], float] = {}
        self._pair_scores: dict[tuple[int, tuple[str, ...]], float] = {}

    def forget(self) -> None:
        """Drop the cached features and sums (they are memos: nothing computed changes). The
        caller, going through a document's drafts in order, does so now and then: only
        neighbouring drafts share positions, and a 10 MB article's memos took gigabytes."""
        for memo in (self._own, self._scores, self._side_scores, self._draft_scores, self._pair_scores):
            memo.clear()

    def token_before(self, pos: int) -> str | None:
        i = bisect.bisect_right(self._token_ends, pos) - 1
        if i < 0:
            return None
        if "\n" in self.prose[self._token_ends[i]:pos]:
            return "NL"
        return self.prose[self._token_starts[i]:self._token_ends[i]]

    def tokens_after(self, pos: int) -> tuple[str | None, str | None]:
        i = bisect.bisect_left(self._token_starts, pos)
        out: list[str | None] = []
        if i < len(self._token_starts) and "\n" in self.prose[pos:self._token_starts[i]]:
            out.append("NL")
        while len(out) < 2 and i < len(self._token_starts):
            out.append(self.prose[self._token_starts[i]:self._token_ends[i]])
            i += 1
        while len(out) < 2:
            out.append(None)
        return out[0], out[1]

    def words(self, start: int, end: int) -> int:
        return bisect.bisect_left(self._word_starts, end) - bisect.bisect_left(self._word_starts, start)

    def window(self, draft: _Draft) -> tuple[int, int]:
        """A content may span from the sentence before the cue's to two after, within its paragraph."""
        layout = self.layout
        index = layout.sentence_index(draft.cue[0])
        block = layout.block_of(draft.cue[0])
        first, last = index, index
        if first > 0 and layout.sentences[first - 1][0] >= block.start:
            first -= 1
        while last < index + 2 and last + 1 < len(layout.sentences) and layout.sentences[last + 1][1] <= block.end:
            last += 1
        lo = layout.sentences[first][0]
        quote = layout.quote_at(lo)
        if quote is not None and quote[0] >= block.start:
            lo = quote[0]  # a quotation of several sentences before the cue: its opening
        # bounded, so an endless sentence of cues stays linear
        return max(lo, draft.cue[0] - _REACH), min(layout.sentences[last][1], draft.cue[1] + 2 * _REACH)

    def candidates(self, draft: _Draft) -> tuple[list[int], list[int]]:
        """Candidate content starts and ends (trimmed, deduplicated) around a draft's cue."""
        prose = self.prose
        lo, hi = self.window(draft)
        raw = set(self._raw[bisect.bisect_left(self._raw, lo):bisect.bisect_right(self._raw, hi)])
        raw.update((lo, hi, draft.cue[1]))
        if draft.content:
            raw.update(draft.content)
        blocked = [draft.cue] + ([draft.source] if draft.source else [])
        starts: set[int] = set()
        ends: set[int] = set()
        for pos in raw:
            if any(b0 < pos < b1 for b0, b1 in blocked):
                continue
            s = trim_start(prose, pos, hi)
            if s < hi and not any(b0 <= s < b1 for b0, b1 in blocked):
                starts.add(s)
            e = trim_end(prose, pos, lo)
            if e > lo and not any(b0 < e <= b1 for b0, b1 in blocked):
                ends.add(e)
        if len(starts) > _MOST:  # only in text dense with marks: keep those nearest the cue
            starts = set(sorted(starts, key=lambda p: abs(p - draft.cue[0]))[:_MOST])
        if len(ends) > _MOST:
            ends = set(sorted(ends, key=lambda p: abs(p - draft.cue[1]))[:_MOST])
        return sorted(starts), sorted(ends)

    def own(self, pos: int, is_end: bool) -> list[str]:
        """Features of the position alone."""
        key = (pos, is_end)
        cached = self._own.get(key)
        if cached is not None:
            return cached
        prose = self.prose
        raw = pos
        if is_end:  # look past the punctuation the scorer trims: "said," / "it.”"
            while raw < len(prose) and prose[raw] in TRIM and prose[raw] != "\n":
                raw += 1
        back = pos
        if not is_end:
            while back > 0 and prose[back - 1] in TRIM and prose[back - 1] != "\n":
                back -= 1
        pchar = value(prose[raw - 1]) if raw > 0 and not prose[raw - 1].isspace() else "NONE"
        after = prose[raw:raw + 3].lstrip(" ")
        nchar = "NL" if after.startswith("\n") else value(after[0]) if after else "NONE"
        pword = value(self.token_before(pos if is_end else back))
        following = self.tokens_after(raw if is_end else pos)
        nword, nword2 = value(following[0]), value(following[1])
        quote = self.layout.quote_at(pos - 1 if is_end else pos)
        inq = "T" if quote is not None and (quote[0] < pos - 1 if is_end else quote[1] > pos + 1) else "F"
        closeq = "T" if any(c in _CLOSE_QUOTES for c in prose[max(0, pos - 1):raw + 1]) else "F"
        isent = "T" if pos in (self._trimmed_sentence_ends if is_end else self._trimmed_sentence_starts) else "F"
        ipara = "T" if pos in self._block_edges else "F"
        if is_end:
            qedge = "T" if quote is not None and quote[1] <= raw + 1 else "F"
        else:
            qedge = "T" if quote is not None and quote[0] >= back - 1 else "F"
        feats = [
            f"isent={isent}", f"ipara={ipara}", f"pchar={pchar}", f"nchar={nchar}", f"pword={pword}",
            f"nword={nword}", f"nword2={nword2}", f"inq={inq}", f"closeq={closeq}",
            f"pword|nword={pword}|{nword}", f"pchar|nword={pchar}|{nword}", f"inq|nword={inq}|{nword}",
            f"inq|isent={inq}|{isent}", f"qedge={qedge}", f"qedge|isent={qedge}|{isent}",
        ]
        if is_end:
            nsuf2 = suffix(following[1])
            feats += [f"nsuf={suffix(following[0])}", f"nsuf2={nsuf2}", f"nword|nsuf2={nword}|{nsuf2}"]
        self._own[key] = feats
        return feats

    def own_score(self, model: LinearModel, pos: int, is_end: bool) -> float:
        key = (id(model), pos, is_end)
        score = self._scores.get(key)
        if score is None:
            score = self._scores[key] = sum(map(model.weights.get, self.own(pos, is_end), repeat(0.0)))
        return score

    def _distances(self, draft: _Draft, pos: int, is_end: bool, rule: int | None) -> tuple[str, str, str, str]:
        """Bucketed distances of a position from a draft: sentences, words from the cue, words
        from the rules' edge, commas between it and the cue."""
        after = pos >= draft.cue[1]
        lo, hi = (draft.cue[1], pos) if after else (pos, draft.cue[0])
        dcue = length_bucket(self.words(lo, hi))
        dcue = dcue if after or dcue == "0" else "-" + dcue
        if rule is None:
            drule = "NONE"
        else:
            n = self.words(min(rule, pos), max(rule, pos))
            drule = bucket(n if pos >= rule else -n)
        commas = bisect.bisect_left(self._commas, max(lo, hi)) - bisect.bisect_left(self._commas, min(lo, hi))
        index = self.layout.sentence_index
        nsent = bucket(index(pos - 1 if is_end else pos) - index(draft.cue[0]))
        return nsent, dcue, drule, bucket(commas)

    @staticmethod
    def _quoted(prose: str, draft: _Draft) -> str:
        content = draft.content
        return "T" if content and prose[content[0]:content[0] + 1] in ("“", '"', "‘") else "F"

    def relative(self, draft: _Draft, pos: int, is_end: bool, rule: int | None) -> list[str]:
        """Features of the position seen from a draft: side of the cue, distances, the rules' edge."""
        own = self.own(pos, is_end)
        isent, pword, nword = own[0][6:], own[4][6:], own[5][6:]
        side = "T" if pos >= draft.cue[1] else "F"
        at_rule = "T" if pos == rule else "F"
        nsent, dcue, drule, ncomma = self._distances(draft, pos, is_end, rule)
        contq = self._quoted(self.prose, draft)
        ctype = draft.cue_type.value
        return [
            "bias=T", f"side={side}", f"rule={at_rule}", f"nsent={nsent}", f"dcue={dcue}", f"drule={drule}",
            f"ncomma={ncomma}", f"contq={contq}", f"ctype={ctype}",
            f"side|rule={side}|{at_rule}", f"side|isent={side}|{isent}", f"side|pword={side}|{pword}",
            f"side|nword={side}|{nword}", f"ctype|side={ctype}|{side}", f"ctype|rule={ctype}|{at_rule}",
            f"contq|rule={contq}|{at_rule}", f"contq|isent={contq}|{isent}",
        ]

    def _base(self, model: LinearModel, pos: int, is_end: bool, side: str, contq: str) -> float:
        """The weights of a position's own features and of those joined with its side of the cue."""
        key = (id(model), pos, is_end, side, contq)
        base = self._side_scores.get(key)
        if base is None:
            w = model.weights
            own = self.own(pos, is_end)
            isent, pword, nword = own[0][6:], own[4][6:], own[5][6:]
            base = self.own_score(model, pos, is_end) + w.get(f"side|isent={side}|{isent}", 0.0) \
                + w.get(f"side|pword={side}|{pword}", 0.0) + w.get(f"side|nword={side}|{nword}", 0.0) \
                + w.get(f"contq|isent={contq}|{isent}", 0.0)
            self._side_scores[key] = base
        return base

    def _fixed(self, model: LinearModel, draft: _Draft, side: str, is_rule: bool, contq: str) -> float:
        """The weights of the features that depend on the draft and the side alone."""
        key = (id(model), id(draft), side, is_rule, contq)
        fixed = self._draft_scores.get(key)
        if fixed is None:
            w = model.weights
            ctype = draft.cue_type.value
            at_rule = "T" if is_rule else "F"
            fixed = w.get("bias=T", 0.0) + w.get(f"side={side}", 0.0) + w.get(f"rule={at_rule}", 0.0) \
                + w.get(f"contq={contq}", 0.0) + w.get(f"ctype={ctype}", 0.0) + w.get(f"side|rule={side}|{at_rule}", 0.0) \
                + w.get(f"ctype|side={ctype}|{side}", 0.0) + w.get(f"ctype|rule={ctype}|{at_rule}", 0.0) \
                + w.get(f"contq|rule={contq}|{at_rule}", 0.0)
            self._draft_scores[key] = fixed
        return fixed

    def scores(self, model: LinearModel, draft: _Draft, positions: list[int], is_end: bool,
               rule: int | None) -> list[float]:
        """The weights of ``own(...)`` and ``relative(...)`` of each position summed (the features
        training sees), with what depends on the position and side alone, or on the draft alone,
        summed once and cached, the bisections of the cue and the rules' edge done once, and each
        distance's weight read from the model's table of its template."""
        tables = model.tables
        w_nsent, w_dcue, w_drule, w_ncomma = tables["nsent"], tables["dcue"], tables["drule"], tables["ncomma"]
        words, commas = self._word_starts, self._commas
        sentence_starts = self.layout.sentence_starts
        cue0, cue1 = draft.cue
        word_cue0, word_cue1 = bisect.bisect_left(words, cue0), bisect.bisect_left(words, cue1)
        comma_cue0, comma_cue1 = bisect.bisect_left(commas, cue0), bisect.bisect_left(commas, cue1)
        word_rule = bisect.bisect_left(words, rule) if rule is not None else 0
        sentence_cue = max(bisect.bisect_right(sentence_starts, cue0) - 1, 0)
        side_scores, draft_scores = self._side_scores, self._draft_scores
        contq = self._quoted(self.prose, draft)
        out = []
        for pos in positions:
            after = pos >= cue1
            side = "T" if after else "F"
            base = side_scores.get((id(model), pos, is_end, side, contq))
            if base is None:
                base = self._base(model, pos, is_end, side, contq)
            fixed = draft_scores.get((id(model), id(draft), side, pos == rule, contq))
            if fixed is None:
                fixed = self._fixed(model, draft, side, pos == rule, contq)
            word_pos = bisect.bisect_left(words, pos)
            n = word_pos - word_cue1 if after else word_cue0 - word_pos
            dcue = _LENGTHS[n] if n < len(_LENGTHS) else length_bucket(n)
            if not after and dcue != "0":
                dcue = "-" + dcue
            if rule is None:
                drule = "NONE"
            else:
                n = abs(word_pos - word_rule)
                drule = bucket(n if pos >= rule else -n)
            comma_pos = bisect.bisect_left(commas, pos)
            ncomma = comma_pos - comma_cue1 if after else comma_cue0 - comma_pos
            if ncomma < 0:
                ncomma = -ncomma  # a position inside the cue (min and max swapped)
            sentence = max(bisect.bisect_right(sentence_starts, pos - 1 if is_end else pos) - 1, 0)
            out.append(base + fixed + w_nsent.get(bucket(sentence - sentence_cue), 0.0) + w_dcue.get(dcue, 0.0)
                       + w_drule.get(drule, 0.0) + w_ncomma.get(bucket(ncomma), 0.0))
        return out

    def _pair_values(self, draft: _Draft, start: int, end: int) -> tuple[str, ...]:
        own = self.own(end, True)
        cross = "T" if start < draft.cue[0] and end > draft.cue[1] else "F"
        side = "T" if end >= draft.cue[1] else "F"
        index = self.layout.sentence_index
        csent = bucket(index(end - 1) - index(start))
        quote = self.layout.quote_at(start)
        sameq = "T" if quote is not None and quote[0] <= start and end <= quote[1] else "F"
        others = bisect.bisect_left(self.cues, end) - bisect.bisect_left(self.cues, start)
        others -= start <= draft.cue[0] < end
        ocue = "T" if others > 0 else "F"  # the content would run over another attribution's cue
        return cross, own[0][6:], own[8][7:], side, length_bucket(self.words(start, end)), csent, sameq, ocue

    def pair(self, draft: _Draft, start: int, end: int) -> list[str]:
        """End features that depend on the chosen start: does the content run across the cue
        ("“A,” she said, “B.”")?"""
        return _pair_features(self._pair_values(draft, start, end))

    def pair_score(self, model: LinearModel, draft: _Draft, start: int, end: int) -> float:
        """The weights of ``pair(...)`` summed; few value combinations occur, each summed once."""
        values = self._pair_values(draft, start, end)
        key = (id(model), values)
        score = self._pair_scores.get(key)
        if score is None:
            get = model.weights.get
            score = 0.0
            for feature in _pair_features(values):
                score += get(feature, 0.0)
            self._pair_scores[key] = score
        return score

    def rule_edges(self, draft: _Draft) -> tuple[int | None, int | None]:
        if draft.content is None:
            return None, None
        lo, hi = self.window(draft)
        return trim_start(self.prose, draft.content[0], hi), trim_end(self.prose, draft.content[1], lo)


_LENGTHS = tuple(length_bucket(n) for n in range(64))


def _pair_features(values: tuple[str, ...]) -> list[str]:
    cross, isent, closeq, side, clen, csent, sameq, ocue = values
    return [f"cross={cross}", f"cross|isent={cross}|{isent}", f"cross|closeq={cross}|{closeq}",
            f"cross|side={cross}|{side}", f"clen={clen}", f"csent={csent}",
            f"sameq={sameq}", f"cross|csent={cross}|{csent}", f"ocue={ocue}", f"ocue|side={ocue}|{side}"]
