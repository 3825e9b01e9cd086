"""Train the extraction models shipped in citelint/data/extract_model.json.

    python train/train_models.py [--eval-dir ../shared/eval] [--out citelint/data/extract_model.json]

Reads ``polnear_train.jsonl`` (training) and ``polnear_dev.jsonl`` (every setting is chosen on it)
from the eval directory. Pure Python, no extra dependency; deterministic (fixed seed, sorted
iteration), so the same data gives the same file.

Three models over the pattern extractor's drafts (features: ``citelint/extract/features.py``):
- ``start`` / ``end``: averaged-perceptron rankers that pick the content's first and last
  character among the boundary candidates of ``decide.boundaries``; trained on drafts whose cue
  overlaps a gold cue and whose gold content boundary is among the candidates; the number of
  epochs is chosen by dev boundary accuracy.
- ``source_start`` / ``source_end``: the same rankers over the word edges around the rules'
  source (``extract/source_edges.py``).
- ``keep``: a logistic regression (AdaGrad, L2) over the drafts the rules propose, loose ones
  included (``--model`` only); it keeps a draft whose cue is a gold cue, or whose source is the
  gold source of the attribution its cue overlaps; its L2 strength and two decision thresholds
  (trusted and loose drafts) are chosen by the dev exact F1 averaged over source, cue and
  content, as ``score_attributions.py`` computes it.
The dev scores of the shipped models are recorded in the file (``dev``) and checked by a test.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citelint.extract import decide  # noqa: E402
from citelint.extract.boundaries import NO_BOUNDARY, Boundaries, trim_end, trim_start  # noqa: E402
from citelint.extract.decide import LinearModel, Models, keep_features  # noqa: E402
from citelint.extract.patterns import PatternExtractor  # noqa: E402
from citelint.extract.source_edges import SourceEdges  # noqa: E402
from citelint.load.text import load  # noqa: E402

SEED = 12
Group = list[tuple[list[str], bool]]


def scorer(eval_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_attributions", eval_dir / "score_attributions.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def trimmed(text: str, span: list[int] | None) -> tuple[int, int] | None:
    if not span:
        return None
    start, end = trim_start(text, span[0], span[1]), trim_end(text, span[1], span[0])
    return (start, end) if start < end else None


def prepare(docs: list[dict[str, Any]]) -> list[tuple[dict[str, Any], Any, Any, list[Any]]]:
    extractor = PatternExtractor(use_model=True)  # the drafts --model sees, loose ones included
    out = []
    for doc in docs:
        document = load(doc["text"], doc["id"] + ".txt")
        layout, drafts = extractor.drafts(document)
        out.append((doc, document, layout, drafts))
    return out


def gold_for(doc: dict[str, Any], draft: Any) -> dict[str, Any] | None:
    """The gold attribution whose cue overlaps the draft's cue most."""
    text = doc["text"]
    cue = trimmed(text, list(draft.cue)) or draft.cue
    best, best_overlap = None, 0
    for att in doc["attributions"]:
        gold = trimmed(text, att.get("cue"))
        if gold is None:
            continue
        overlap = min(cue[1], gold[1]) - max(cue[0], gold[0])
        if overlap > best_overlap:
            best, best_overlap = att, overlap
    return best


def boundary_groups(prepared: list[Any]) -> tuple[list[Group], list[Group]]:
    starts: list[Group] = []
    ends: list[Group] = []
    for doc, _document, layout, drafts in prepared:
        text = doc["text"]
        bounds = Boundaries(text, layout)
        bounds.cues = sorted(d.cue[0] for d in drafts)
        for draft in drafts:
            if draft.content is None or draft.cue_type in NO_BOUNDARY:
                continue
            att = gold_for(doc, draft)
            gold = trimmed(text, att.get("content")) if att else None
            if gold is None:
                continue
            s_cands, e_cands = bounds.candidates(draft)
            rule_start, rule_end = bounds.rule_edges(draft)
            if gold[0] in s_cands:
                starts.append([(bounds.own(s, False) + bounds.relative(draft, s, False, rule_start), s == gold[0])
                               for s in s_cands])
            # the end ranker learns with the gold start given (its pair features need a start)
            e_cands = [e for e in e_cands if e > gold[0]]
            if gold[1] in e_cands:
                ends.append([(bounds.own(e, True) + bounds.relative(draft, e, True, rule_end)
                              + bounds.pair(draft, gold[0], e), e == gold[1]) for e in e_cands])
    return starts, ends


def source_groups(prepared: list[Any]) -> tuple[list[Group], list[Group]]:
    """Ranking groups for the source's first and last token, over drafts matched to a gold
    attribution whose trimmed source edges are among the candidates."""
    starts: list[Group] = []
    ends: list[Group] = []
    for doc, _document, layout, drafts in prepared:
        text = doc["text"]
        edges = SourceEdges(text, layout)
        for draft in drafts:
            if draft.source is None or draft.cue_type in NO_BOUNDARY:
                continue
            att = gold_for(doc, draft)
            gold = trimmed(text, att.get("source")) if att else None
            found = edges.candidates(draft) if gold else None
            if gold is None or found is None:
                continue
            s_cands, e_cands = found
            rule_start, rule_end = edges.rule_tokens(draft)
            firsts = [i for i in s_cands if edges.starts[i] == gold[0]]
            if not firsts:
                continue
            starts.append([(edges.start_features(draft, i, rule_start), i == firsts[0]) for i in s_cands])
            legal = [j for j in e_cands if j >= firsts[0]]
            lasts = [j for j in legal if trim_end(text, edges.ends[j], edges.starts[j]) == gold[1]]
            if lasts:
                ends.append([(edges.end_features(draft, firsts[0], j, rule_end), j == lasts[0]) for j in legal])
    return starts, ends


SHUFFLES = 3  # perceptron runs, each with its own order of the training groups, averaged


def perceptron(groups: list[Group], dev: list[Group], max_epochs: int = 12) -> tuple[LinearModel, int, float]:
    """Averaged perceptron ranker, averaged again over SHUFFLES runs that see the training groups
    in different orders (one run's dev accuracy moved by half a point when two groups were added
    to ~12,000 and so reshuffled the rest); returns the model of the best dev epoch."""
    runs = [_Run(groups, SEED + k) for k in range(SHUFFLES)]
    best: tuple[float, int, LinearModel] = (-1.0, 0, LinearModel({}))
    for epoch in range(1, max_epochs + 1):
        summed: dict[str, float] = {}
        for run in runs:
            for f, w in run.epoch().items():
                summed[f] = summed.get(f, 0.0) + w
        averaged = {f: round(w / len(runs), 5) for f, w in sorted(summed.items()) if abs(w / len(runs)) > 1e-6}
        model = LinearModel(averaged)
        accuracy = ranking_accuracy(model, dev)
        print(f"  epoch {epoch}: dev accuracy {accuracy:.4f}", file=sys.stderr)
        if accuracy > best[0]:
            best = (accuracy, epoch, model)
    return best[2], best[1], best[0]


class _Run:
    """One perceptron run: its own shuffled order, weights and running sums for averaging."""

    def __init__(self, groups: list[Group], seed: int) -> None:
        self.groups = groups
        self.rng = random.Random(seed)
        self.weights: dict[str, float] = {}
        self.totals: dict[str, float] = {}  # running sums for averaging (lazy-update trick)
        self.stamps: dict[str, int] = {}
        self.step = 0
        self.order = list(range(len(groups)))

    def epoch(self) -> dict[str, float]:
        """One pass over the groups; the averaged weights so far."""
        weights, totals, stamps = self.weights, self.totals, self.stamps
        self.rng.shuffle(self.order)
        for i in self.order:
            group = self.groups[i]
            self.step += 1
            scores = [sum(weights.get(f, 0.0) for f in feats) for feats, _ in group]
            guess = max(range(len(group)), key=lambda k: scores[k])
            if group[guess][1]:
                continue
            gold = next(k for k, (_, good) in enumerate(group) if good)
            for feats, delta in ((group[gold][0], 1.0), (group[guess][0], -1.0)):
                for f in feats:
                    w = weights.get(f, 0.0)
                    totals[f] = totals.get(f, 0.0) + w * (self.step - stamps.get(f, 0))
                    stamps[f] = self.step
                    weights[f] = w + delta
        return {f: (totals.get(f, 0.0) + w * (self.step - stamps.get(f, 0))) / self.step for f, w in weights.items()}


def ranking_accuracy(model: LinearModel, groups: list[Group]) -> float:
    right = 0
    for group in groups:
        guess = max(range(len(group)), key=lambda k: model.score(group[k][0]))
        right += group[guess][1]
    return right / len(groups) if groups else 0.0


def logistic(examples: list[tuple[list[str], bool]], l2: float, epochs: int = 8) -> LinearModel:
    rng = random.Random(SEED)
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
    rate = 0.5
    order = list(range(len(examples)))
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            feats, label = examples[i]
            z = max(-30.0, min(30.0, sum(weights.get(f, 0.0) for f in feats)))
            grad = 1.0 / (1.0 + math.exp(-z)) - (1.0 if label else 0.0)
            for f in feats:
                w = weights.get(f, 0.0)
                g = grad + l2 * w
                squares[f] = squares.get(f, 0.0) + g * g
                weights[f] = w - rate * g / math.sqrt(squares[f])
    bias = weights.pop("bias=T", 0.0)
    return LinearModel({f: round(w, 5) for f, w in sorted(weights.items()) if abs(w) > 1e-5}, round(bias, 5))


def with_boundaries(prepared: list[Any], models: Models) -> None:
    for doc, _document, layout, drafts in prepared:
        decide.redraw(doc["text"], layout, drafts, models)


def keep_label(doc: dict[str, Any], draft: Any) -> bool:
    """The keep model's label: the draft's cue is a gold cue, or its source a gold source of the
    attribution whose cue it overlaps (scored roles are exact spans; an overlapping cue alone
    scores nothing)."""
    text = doc["text"]
    cue = trimmed(text, list(draft.cue))
    if any(trimmed(text, att.get("cue")) == cue for att in doc["attributions"]):
        return True
    att = gold_for(doc, draft)
    return att is not None and draft.source is not None and trimmed(text, att.get("source")) == trimmed(text, list(draft.source))


def keep_examples(prepared: list[Any]) -> list[tuple[list[str], bool]]:
    out = []
    for doc, _document, layout, drafts in prepared:
        bounds = Boundaries(doc["text"], layout)
        drafts = sorted(drafts, key=lambda d: d.cue)
        for draft in drafts:
            if decide.droppable(draft):
                out.append((keep_features(bounds, draft, drafts), keep_label(doc, draft)))
    return out


def dev_table(score: ModuleType, dev_docs: list[dict[str, Any]], models: Models | None) -> dict[str, Any]:
    extractor = PatternExtractor(use_model=models is not None)
    preds = {}
    for doc in dev_docs:
        document = load(doc["text"], doc["id"] + ".txt")
        layout, drafts = extractor.drafts(document)
        if models is not None:
            drafts = decide.decide(document.prose, layout, drafts, models)
        atts = extractor._finish(document, layout, drafts)
        preds[doc["id"]] = [
            {role: {"start": span.start, "end": span.end} if span else None
             for role, span in (("source", a.source), ("cue", a.cue), ("content", a.content))}
            for a in atts
        ]
    table: dict[str, Any] = score.score(dev_docs, preds)
    return table


def redrawn_dev(dev_docs: list[dict[str, Any]], models: Models) -> list[tuple[Any, ...]]:
    """Dev drafts with sources and contents re-drawn: the keep model's settings are tried on them."""
    extractor = PatternExtractor(use_model=True)
    out = []
    for doc in dev_docs:
        document = load(doc["text"], doc["id"] + ".txt")
        layout, drafts = extractor.drafts(document)
        bounds, drafts = decide.redraw(document.prose, layout, drafts, models)
        out.append((doc, document, layout, bounds, drafts))
    return out


def keep_grid(score: ModuleType, redrawn: list[tuple[Any, ...]], model: LinearModel,
              bars: list[tuple[float, float]]) -> list[tuple[float, float, dict[str, Any]]]:
    """The dev table for each (threshold, loose threshold) pair; probabilities computed once."""
    extractor = PatternExtractor(use_model=True)
    probs = []
    for _doc, _document, _layout, bounds, drafts in redrawn:
        probs.append([model.probability(keep_features(bounds, d, drafts)) if decide.droppable(d) else 2.0 for d in drafts])
    out = []
    for threshold, loose in bars:
        preds = {}
        for (doc, document, layout, _bounds, drafts), p in zip(redrawn, probs):
            kept = [d for d, q in zip(drafts, p) if q >= (loose if d.loose else threshold)]
            atts = extractor._finish(document, layout, kept)
            preds[doc["id"]] = [
                {role: {"start": span.start, "end": span.end} if span else None
                 for role, span in (("source", a.source), ("cue", a.cue), ("content", a.content))}
                for a in atts
            ]
        out.append((threshold, loose, score.score([r[0] for r in redrawn], preds)))
    return out


def mean_f1(table: dict[str, Any]) -> float:
    return sum(table[f"exact.{role}"]["f1"] for role in ("source", "cue", "content")) / 3


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--out", type=Path, default=ROOT / "citelint" / "data" / "extract_model.json")
    args = ap.parse_args()
    score = scorer(args.eval_dir)
    train_docs = read(args.eval_dir / "polnear_train.jsonl")
    dev_docs = read(args.eval_dir / "polnear_dev.jsonl")
    train, dev = prepare(train_docs), prepare(dev_docs)
    print(f"{len(train_docs)} train, {len(dev_docs)} dev articles", file=sys.stderr)

    rankers = {}
    for kind, groups in (("", boundary_groups), ("source ", source_groups)):
        (train_s, train_e), (dev_s, dev_e) = groups(train), groups(dev)
        for edge, train_groups, dev_groups in (("start", train_s, dev_s), ("end", train_e, dev_e)):
            print(f"{kind}{edge} ranker: {len(train_groups)} train groups", file=sys.stderr)
            rankers[f"{kind}{edge}"] = perceptron(train_groups, dev_groups)
    start, start_epochs, start_acc = rankers["start"]
    end, end_epochs, end_acc = rankers["end"]
    source_start, source_start_epochs, source_start_acc = rankers["source start"]
    source_end, source_end_epochs, source_end_acc = rankers["source end"]
    keep_all = LinearModel({}, 30.0, 0.0)
    boundary_models = Models(start, end, keep_all, source_start, source_end)

    with_boundaries(train, boundary_models)
    examples = keep_examples(train)
    redrawn = redrawn_dev(dev_docs, boundary_models)
    bars = [(t, lt) for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
            for lt in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)]
    best: tuple[float, float, LinearModel, dict[str, Any]] | None = None
    for l2 in (1e-4, 1e-3, 1e-2):
        model = logistic(examples, l2)
        for threshold, loose, grid_table in keep_grid(score, redrawn, model, bars):
            f1 = mean_f1(grid_table)
            if best is None or f1 > best[0]:
                best = (f1, l2, LinearModel(model.weights, model.bias, threshold, loose), grid_table)
        print(f"  keep l2={l2}: best so far dev mean exact F1 {best[0]:.2f}", file=sys.stderr)
    assert best is not None
    _, l2, keep, _grid = best
    table = dev_table(score, dev_docs, Models(start, end, keep, source_start, source_end))  # as the CLI runs
    rules = dev_table(score, dev_docs, None)

    def plain(model: LinearModel) -> dict[str, Any]:
        out = {"bias": model.bias, "threshold": model.threshold}
        if model.loose_threshold is not None:
            out["loose_threshold"] = model.loose_threshold
        return {**out, "weights": dict(sorted(model.weights.items()))}

    data = {
        "format": 1,
        "trained_on": "polnear_train.jsonl; settings chosen on polnear_dev.jsonl (train/train_models.py)",
        "settings": {"seed": SEED, "start_epochs": start_epochs, "end_epochs": end_epochs, "keep_l2": l2,
                     "keep_threshold": keep.threshold, "keep_loose_threshold": keep.loose_threshold, "start_dev_accuracy": round(start_acc, 4),
                     "end_dev_accuracy": round(end_acc, 4), "source_start_epochs": source_start_epochs,
                     "source_end_epochs": source_end_epochs, "source_start_dev_accuracy": round(source_start_acc, 4),
                     "source_end_dev_accuracy": round(source_end_acc, 4)},
        "dev": {key: {k: table[key][k] for k in ("precision", "recall", "f1", "citation_recall")}
                for key in table if key.startswith("exact.")},
        "dev_rules_only": {key: {k: rules[key][k] for k in ("precision", "recall", "f1", "citation_recall")}
                           for key in rules if key.startswith("exact.")},
        "start": plain(start), "end": plain(end), "keep": plain(keep),
        "source_start": plain(source_start), "source_end": plain(source_end),
    }
    args.out.write_text(json.dumps(data, indent=0, sort_keys=False, ensure_ascii=True) + "\n", encoding="utf-8")
    for key in ("exact.source", "exact.cue", "exact.content"):
        print(f"{key}: rules {rules[key]['f1']} -> models {table[key]['f1']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
