"""Learned decisions over the rules' candidates: where sources and contents start and end,
and which drafts to keep.

The pattern extractor proposes drafts (with ``--model`` also loose ones, ``loose.py``); five
small linear models (weights in ``citelint/data/extract_model.json``, trained by
``train/train_models.py``) re-rank each source's edges among the words around it
(``source_edges.py``), each content's start and end among the boundary candidates of its
paragraph (``boundaries.py``), then keep or drop each draft. Features come from
``features.py`` and hold no open-class words.
"""
from __future__ import annotations

import bisect
import functools
import json
import math
from dataclasses import dataclass, field
from importlib import resources
from itertools import repeat
from typing import TYPE_CHECKING

from citelint.extract.boundaries import NO_BOUNDARY, TRIM, Boundaries
from citelint.extract.features import bucket, length_bucket, suffix, value, word_before, words_after
from citelint.extract.phrases import classify
from citelint.extract.source_edges import SourceEdges, choose_source
from citelint.model import CueType

if TYPE_CHECKING:
    from citelint.extract.patterns import _Draft
    from citelint.extract.segment import Layout

MODEL_FILE = "extract_model.json"


@dataclass(frozen=True)
class LinearModel:
    """A sparse linear scorer over feature strings."""

    weights: dict[str, float]
    bias: float = 0.0
    threshold: float = 0.5
    loose_threshold: float | None = None  # the keep model's bar for loose drafts, if other
    # template -> value -> weight ("dcue=-3" is tables["dcue"]["-3"]): a distance's weight is
    # looked up without building its feature string
    tables: dict[str, dict[str, float]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name, weight in self.weights.items():
            template, _, value = name.partition("=")
            self.tables.setdefault(template, {})[value] = weight
        for template in ("nsent", "dcue", "drule", "ncomma"):
            self.tables.setdefault(template, {})

    def score(self, features: list[str]) -> float:
        return self.bias + sum(map(self.weights.get, features, repeat(0.0)))  # left to right, as a loop adds

    def probability(self, features: list[str]) -> float:
        z = max(-30.0, min(30.0, self.score(features)))
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def from_json(cls, data: dict[str, object]) -> LinearModel:
        weights = data.get("weights")
        if not isinstance(weights, dict):
            raise ValueError("model: 'weights' must be an object")
        loose = data.get("loose_threshold")
        return cls({str(k): float(v) for k, v in weights.items()},
                   float(data.get("bias", 0.0)), float(data.get("threshold", 0.5)),  # type: ignore[arg-type]
                   None if loose is None else float(loose))  # type: ignore[arg-type]

    def bar(self, loose: bool) -> float:
        return self.loose_threshold if loose and self.loose_threshold is not None else self.threshold


@dataclass(frozen=True)
class Models:
    start: LinearModel
    end: LinearModel
    keep: LinearModel
    source_start: LinearModel | None = None
    source_end: LinearModel | None = None


@functools.cache
def shipped_models() -> Models:
    """The models shipped in the package, read once per process."""
    text = resources.files("citelint.data").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    models = [LinearModel.from_json(data[name]) for name in ("start", "end", "keep")]
    sources = [LinearModel.from_json(data[name]) if name in data else None for name in ("source_start", "source_end")]
    return Models(*models, *sources)


# -- content boundaries ---------------------------------------------------------------------

def choose_content(models: Models, bounds: Boundaries, draft: _Draft) -> tuple[int, int] | None:
    """The best-scoring (start, end) with start before end, or None to keep the rules' span."""
    if draft.content is None or draft.cue_type in NO_BOUNDARY:
        return None
    starts, ends = bounds.candidates(draft)
    if not starts or not ends:
        return None
    rule_start, rule_end = bounds.rule_edges(draft)
    start_scores = bounds.scores(models.start, draft, starts, False, rule_start)
    start = starts[start_scores.index(max(start_scores))]  # the first of the best, as max() picks
    legal = [e for e in ends if e > start]
    if not legal:
        return None
    end_scores = bounds.scores(models.end, draft, legal, True, rule_end)
    pair = bounds.pair_score
    totals = [score + pair(models.end, draft, start, e) for score, e in zip(end_scores, legal)]
    end = legal[totals.index(max(totals))]
    return _with_marks(bounds.prose, draft.content, rule_start, rule_end, start, end)


_OPENING = frozenset("“‘«\"'([")


def _with_marks(prose: str, rule: tuple[int, int], rule_start: int | None, rule_end: int | None,
                start: int, end: int) -> tuple[int, int]:
    """Candidates are trimmed of punctuation; give back the quotation marks that belong to the
    content (the quotes inside it are what --verify looks up): the rules' own edge where the
    model agrees with it, else the opening marks before the start and a closing run after the end."""
    if start == rule_start:
        start = rule[0]
    else:
        while start > 0 and prose[start - 1] in _OPENING:
            start -= 1
    if end == rule_end:
        end = rule[1]
    else:
        run = end
        while run < len(prose) and not prose[run].isspace() and prose[run] in TRIM and prose[run] not in "“‘«(":
            run += 1
        if any(c in "”’»\"'" for c in prose[end:run]):
            end = run
    return start, end


# -- keep or drop -------------------------------------------------------------------------

def keep_features(bounds: Boundaries, draft: _Draft, drafts: list[_Draft]) -> list[str]:
    """Features of one draft among the others (``drafts``: every draft, sorted by cue)."""
    prose, layout = bounds.prose, bounds.layout
    # only drafts whose content could reach this cue (contents are bounded by the window)
    i = bisect.bisect_left(drafts, draft.cue[0] - 3000, key=lambda d: d.cue[0])
    neighbours = drafts[i:i + 60]
    cue0, cue1 = draft.cue
    ctype = draft.cue_type.value
    loose = "T" if draft.loose else "F"
    feats = ["bias=T", f"ctype={ctype}", f"prio={bucket(draft.priority)}", f"loose={loose}"]
    cue_words = prose[cue0:cue1].split()
    feats.append(f"cuelen={length_bucket(len(cue_words))}")
    feats += [f"cue={value(w.strip(',.'))}" for w in cue_words[:4]]
    feats += [f"loose|cue={loose}|{value(w.strip(',.'))}" for w in cue_words[:4]]
    prev = word_before(prose, cue0)
    feats.append(f"prev={value(prev)}")
    feats.append(f"prev2={value(word_before(prose, cue0 - len(prev or '') - 1))}")
    nxt = words_after(prose, cue1)
    feats += [f"next={value(nxt[0])}", f"next2={value(nxt[1])}"]
    cue_key = value(cue_words[-1].strip(',.')) if cue_words else "NONE"
    feats += [f"cue|next={cue_key}|{value(nxt[0])}", f"cue|prev={cue_key}|{value(prev)}"]
    shape = "NONE"  # of the source's last word, as is
    if draft.source:
        s0, s1 = draft.source
        words = prose[s0:s1].split()
        kind = classify(prose[s0:s1]).value
        last = value(words[-1].strip(',.') if words else None)
        shape = value(words[-1]) if words else "NONE"
        feats += [f"kind={kind}", f"cue|kind={cue_key}|{kind}", f"cue|srclast={cue_key}|{last}"]
        feats += ["hassrc=T", f"srcafter={'T' if s0 >= cue1 else 'F'}", f"srclen={length_bucket(len(words))}",
                  f"srcfirst={value(words[0].strip(',.') if words else None)}", f"srclast={last}",
                  f"srcshape={shape if shape in ('Xx', 'X', 'x') else 'w'}"]
    else:
        feats.append("hassrc=F")
    in_quote = "T" if layout.in_quote(cue0) else "F"
    feats.append(f"inquote={in_quote}")
    nested = [d for d in neighbours if d is not draft and d.cue != draft.cue and d.content
              and d.content[0] <= cue0 < d.content[1]]
    feats.append(f"nested={'T' if nested else 'F'}")
    if nested:
        outer = nested[0]
        assert outer.content is not None
        feats.append(f"nestedq={'T' if prose[outer.content[0]:outer.content[0] + 1] in ('“', chr(34)) else 'F'}")
        feats.append(f"ctype|side={outer.cue_type.value}|{'T' if outer.cue[0] < cue0 else 'F'}")
    index = layout.sentence_index(cue0)
    same = sum(1 for d in neighbours if d is not draft and layout.sentence_index(d.cue[0]) == index)
    feats.append(f"samesent={bucket(same)}")
    quoted = None
    if draft.content:
        c0, c1 = draft.content
        quoted = "T" if prose[c0:c0 + 1] in ("“", chr(34)) else "F"
        feats.append(f"contlen={length_bucket(bounds.words(c0, c1))}")
        feats.append(f"contq={quoted}")
    else:
        feats.append("contlen=NONE")
    sentence = layout.sentences[index]
    feats.append(f"sentpos={length_bucket(bounds.words(sentence[0], cue0))}")
    feats.append(f"docpos={bucket(index)}")
    # the cue word against the rest: "said" nested in a quotation, "shows" with no source
    feats += [f"cue|hassrc={cue_key}|{'T' if draft.source else 'F'}", f"cue|inquote={cue_key}|{in_quote}",
              f"cue|nested={cue_key}|{'T' if nested else 'F'}", f"cue|srcshape={cue_key}|{shape}",
              f"cue|nsuf={cue_key}|{suffix(nxt[0])}", f"cue|samesent={cue_key}|{bucket(same)}",
              f"ctype|loose={ctype}|{loose}"]
    if quoted is not None:
        feats.append(f"cue|contq={cue_key}|{quoted}")
    return feats


def decide(prose: str, layout: Layout, drafts: list[_Draft], models: Models | None = None) -> list[_Draft]:
    """Re-draw each draft's source and content with the boundary models, then keep the drafts
    the keep model accepts."""
    models = models or shipped_models()
    bounds, drafts = redraw(prose, layout, drafts, models)
    keep = models.keep
    return [d for d in drafts if not droppable(d) or keep.probability(keep_features(bounds, d, drafts)) >= keep.bar(d.loose)]


def redraw(prose: str, layout: Layout, drafts: list[_Draft], models: Models) -> tuple[Boundaries, list[_Draft]]:
    """The drafts sorted by cue, their sources and contents re-drawn in place."""
    bounds = Boundaries(prose, layout)
    drafts = sorted(drafts, key=lambda d: d.cue)
    bounds.cues = [d.cue[0] for d in drafts]
    if models.source_start is not None and models.source_end is not None:
        edges = SourceEdges(prose, layout)
        for draft in drafts:
            if draft.source is None or draft.cue_type in NO_BOUNDARY:
                continue
            span = choose_source(models.source_start, models.source_end, edges, draft)
            if span is not None and span != draft.source:
                if draft.outlet == draft.source:
                    draft.outlet = span  # the source was taken for the outlet: it still is
                draft.source = span
    for done, draft in enumerate(drafts, 1):
        chosen = choose_content(models, bounds, draft)
        if chosen is not None:
            draft.content = chosen
        if not done % _FORGET_EVERY:
            bounds.forget()  # memory bounded in the article's length; the window has moved on
    return bounds, drafts


_FORGET_EVERY = 256  # drafts between two clearings of the boundary memos (a few hundred kB of them)


def droppable(draft: _Draft) -> bool:
    """What the keep model may drop: loose drafts, and verb cues of speech or belief ("the
    attacks", "a tweet" are nouns the rules took for verbs). Credits, datelines, hedges, weasel
    words and publication verbs ("the AP reported") are the linter's own business whatever
    PolNeAR annotates, and are never dropped; nor are the other patterns' drafts naming an
    outlet ("according to Reuters")."""
    if draft.loose:
        return True  # proposed for the model to decide on
    if draft.priority == 5 and draft.cue_type in (CueType.BELIEF, CueType.SPEECH):
        return True
    return draft.cue_type in (CueType.SPEECH, CueType.PUBLICATION, CueType.BELIEF) and draft.outlet is None
