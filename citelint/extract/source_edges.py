"""Source boundaries: where a draft's source starts and ends, re-chosen by two small rankers.

The rules' subject finder often stops a word early or late: it takes "talk Dave Gorab" or
"Republican contender Donald Trump" where the source is the name, keeps an appositive ("Barkley,
who said he …") or stops inside a coordination ("he and Brafman"). Candidates are the word edges
a few words around the rules' own span, within the sentence and on the rules' side of the cue;
two rankers (weights in ``extract_model.json``) pick the start, then the end. Features are the
closed-class words, shapes and punctuation around each edge (``features.value``), its distance
from the rules' edge and the cue, and the length of the span: never an open-class word.
"""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from citelint.extract.features import bucket, length_bucket, value

if TYPE_CHECKING:
    from citelint.extract.decide import LinearModel
    from citelint.extract.patterns import _Draft
    from citelint.extract.segment import Layout

_TOKENS = re.compile(r"\w+(?:['’.\-]\w+)*\.?|[^\w\s]")
_ABBREVIATIONS = frozenset("Mr. Mrs. Ms. Dr. Jr. Sr. Sen. Rep. Gov. Gen. Col. Lt. Sgt. Inc. Corp. Ltd. Co. Bros. Prof. Rev. St.".split())
_LEFT = 8  # words the start may move left of the rules' start (coordinations: "he and Brafman")
_RIGHT = 14  # words the end may move right of the rules' end, for a source after its cue


class SourceEdges:
    """Token edges of one document and the source candidates of its drafts."""

    def __init__(self, prose: str, layout: Layout) -> None:
        self.prose = prose
        self.layout = layout
        spans = [m.span() for m in _TOKENS.finditer(prose)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def _token(self, i: int) -> str | None:
        if i < 0 or i >= len(self.starts):
            return None
        return self.prose[self.starts[i]:self.ends[i]]

    def _gap_newline(self, i: int) -> bool:
        """Whether a line break separates token i from token i + 1."""
        return 0 <= i < len(self.starts) - 1 and "\n" in self.prose[self.ends[i]:self.starts[i + 1]]

    def candidates(self, draft: _Draft) -> tuple[list[int], list[int]] | None:
        """Token indexes where the source may start and where it may end (inclusive), or None."""
        if draft.source is None:
            return None
        s0, s1 = draft.source
        sentence = self.layout.sentences[self.layout.sentence_index(draft.cue[0])]
        first = bisect.bisect_left(self.starts, s0)
        last = bisect.bisect_left(self.ends, s1)  # the token ending at s1 (or the one holding it)
        if first >= len(self.starts) or last >= len(self.starts) or last < first:
            return None
        before = s1 <= draft.cue[0]
        lo_pos = sentence[0] if before else draft.cue[1]
        hi_pos = draft.cue[0] if before else sentence[1]
        lo = max(bisect.bisect_left(self.starts, lo_pos), first - _LEFT)
        hi = bisect.bisect_right(self.ends, hi_pos) - 1  # last token ending by hi_pos
        if not before:
            hi = min(hi, last + _RIGHT)
        # Never across a full stop the sentence splitter missed (a caption's credit after
        # markup, "…Protection. Credit …"): candidates stay on the cue's side of it.
        if before:
            for i in range(last - 1, lo - 1, -1):
                if self._full_stop(i):
                    lo = i + 1
                    break
            if lo > last:
                return None
        else:
            for i in range(first, hi):
                if self._full_stop(i):
                    hi = i
                    break
        starts = [i for i in range(lo, last + 1) if self.prose[self.starts[i]].isalnum() or i == first]
        ends = [i for i in range(first, hi + 1) if self.prose[self.starts[i]].isalnum() or i == last]
        if not starts or not ends:
            return None
        return starts, ends

    def _full_stop(self, i: int) -> bool:
        """Whether token i ends a sentence: a word of three letters or more closed by a point
        (not "Mr.", "Jr.", "U.S." or an initial) with a capital after it."""
        word = self.prose[self.starts[i]:self.ends[i]]
        if not word.endswith(".") or len(word) < 4 or "." in word[:-1] or word in _ABBREVIATIONS:
            return False
        nxt = self._token(i + 1)
        return nxt is not None and nxt[:1].isupper()

    def rule_tokens(self, draft: _Draft) -> tuple[int, int]:
        assert draft.source is not None
        return bisect.bisect_left(self.starts, draft.source[0]), bisect.bisect_left(self.ends, draft.source[1])

    def start_features(self, draft: _Draft, i: int, rule: int) -> list[str]:
        prev = "NL" if self._gap_newline(i - 1) else value(self._token(i - 1))
        tok = value(self._token(i))
        prev2 = value(self._token(i - 2))
        side = "B" if draft.source and draft.source[1] <= draft.cue[0] else "A"
        at_rule = "T" if i == rule else "F"
        return [f"ss_tok={tok}", f"ss_prev={prev}", f"ss_prev2={prev2}", f"ss_side={side}",
                f"ss_rule={at_rule}", f"ss_dist={bucket(i - rule)}", f"ss_prev|tok={prev}|{tok}",
                f"ss_rule|prev={at_rule}|{prev}", f"ss_side|dist={side}|{bucket(i - rule)}",
                f"ss_prev2|prev={prev2}|{prev}"]

    def end_features(self, draft: _Draft, start: int, j: int, rule: int) -> list[str]:
        last = value(self._token(j))
        nxt = "NL" if self._gap_newline(j) else value(self._token(j + 1))
        nxt2 = value(self._token(j + 2))
        side = "B" if draft.source and draft.source[1] <= draft.cue[0] else "A"
        at_rule = "T" if j == rule else "F"
        to_cue = bisect.bisect_left(self.starts, draft.cue[0]) - j - 1 if side == "B" else -1
        commas = sum(1 for k in range(start, j + 1) if self.prose[self.starts[k]] == ",")
        return [f"se_last={last}", f"se_next={nxt}", f"se_next2={nxt2}", f"se_side={side}",
                f"se_rule={at_rule}", f"se_dist={bucket(j - rule)}", f"se_last|next={last}|{nxt}",
                f"se_rule|next={at_rule}|{nxt}", f"se_tocue={bucket(to_cue)}", f"se_len={length_bucket(j - start + 1)}",
                f"se_commas={bucket(commas)}", f"se_side|dist={side}|{bucket(j - rule)}",
                f"se_next|next2={nxt}|{nxt2}"]

    def span(self, start: int, end: int) -> tuple[int, int]:
        s0, s1 = self.starts[start], self.ends[end]
        word = self.prose[self.starts[end]:s1]
        if word.endswith(".") and "." not in word[:-1] and len(word) > 3 and word not in _ABBREVIATIONS:
            s1 -= 1  # a sentence's full stop, not an abbreviation's ("poll." but "Jr.", "U.S.", "H.")
        return s0, s1


def choose_source(start_model: LinearModel, end_model: LinearModel, edges: SourceEdges,
                  draft: _Draft) -> tuple[int, int] | None:
    """The best-scoring source span for the draft, or None to keep the rules' one."""
    found = edges.candidates(draft)
    if found is None:
        return None
    starts, ends = found
    rule_start, rule_end = edges.rule_tokens(draft)
    start = max(starts, key=lambda i: start_model.score(edges.start_features(draft, i, rule_start)))
    legal = [j for j in ends if j >= start]
    if not legal:
        return None
    end = max(legal, key=lambda j: end_model.score(edges.end_features(draft, start, j, rule_end)))
    span = edges.span(start, end)
    if span[0] >= span[1] or not _balanced(edges.prose[span[0]:span[1]]):
        return None  # "Daily Show” host Trevor Noah": a span that cuts a quotation in two
    return span


def _balanced(text: str) -> bool:
    """Whether the double quotation marks of a span pair up (apostrophes are not counted)."""
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0
