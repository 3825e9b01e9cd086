"""The attribution lexicon (data/lexicon.toml), loaded and compiled once, on first use."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from citelint.model import CueType


def trie_pattern(words: list[str] | set[str] | frozenset[str]) -> str:
    """A regex alternation of ``words`` factored into a trie ("sa(?:id|ys)"): CPython's
    engine tries alternatives one by one, so shared prefixes make matching far faster."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


Finders = tuple[tuple[str, re.Pattern[str]], ...]


def _finders(phrases: list[str]) -> Finders:
    """One pattern per first word, over lowercased text: each starts with a literal, which
    CPython's engine finds at C speed, so only real phrase starts reach Python code. Each
    comes with its first word: most words are absent from most articles, and a substring
    test says so several times faster than a regex scan."""
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        words = phrase.lower().split()
        groups.setdefault(words[0], []).append(" ".join(words))
    out = []
    for first, group in sorted(groups.items()):
        rests = sorted({g[len(first):] for g in group}, key=len, reverse=True)
        tail = "|".join(re.escape(r).replace(r"\ ", r"\s+") for r in rests)
        out.append((first, re.compile(f"{re.escape(first)}(?:{tail})(?![\\w-])")))
    return tuple(out)


def _alternation(phrases: list[str] | set[str]) -> str:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


@dataclass(frozen=True)
class Lexicon:
    verb_type: dict[str, CueType]  # inflected form -> cue type
    needs_that: frozenset[str]
    candidates: dict[str, CueType]  # forms proposed only to the keep model (--model), by type
    candidate_pattern: re.Pattern[str]  # finds those forms (lowercase)
    loose_particles: dict[str, frozenset[str]]  # particles joining a cue under --model only
    needs_to: frozenset[str]  # forms that are cues only before "to" ("wants to")
    particles: dict[str, frozenset[str]]  # form -> particles that join the cue ("called for")
    only_with_particle: frozenset[str]  # forms that are cues only with their particle
    verb_pattern: re.Pattern[str]
    phrase_finders: Finders  # vague and weasel phrases, lowercase, by first word
    according_pattern: re.Pattern[str]
    according_finders: Finders
    interview_pattern: re.Pattern[str]
    by_pattern: re.Pattern[str]
    vague_pattern: re.Pattern[str]
    weasel_pattern: re.Pattern[str]
    reason_pattern: re.Pattern[str]
    credit_pattern: re.Pattern[str]
    report_nouns: frozenset[str]
    report_by_finders: Finders  # "report by", "story in" …, lowercase
    anonymous_heads: frozenset[str]
    familiar_pattern: re.Pattern[str]
    generic_topics: frozenset[str]
    outlet_anaphors: frozenset[str]
    outlet_heads: frozenset[str]
    document_heads: frozenset[str]
    organization_heads: frozenset[str]
    interviewed_by_pattern: re.Pattern[str]  # "in an interview with", "in a statement to" …
    interviewed_by_finders: Finders
    passive_vague_pattern: re.Pattern[str]  # "said to be" …, after a form of "be"
    passive_vague_finders: Finders
    audience_heads: frozenset[str]
    journalists: frozenset[str]


@cache
def lexicon() -> Lexicon:
    data = tomllib.loads(resources.files("citelint.data").joinpath("lexicon.toml").read_text(encoding="utf-8"))
    verb_type: dict[str, CueType] = {}
    # Order matters: a form listed as publication ("reported") is a publication cue.
    groups = (("stance", CueType.BELIEF), ("to_verbs", CueType.BELIEF), ("belief", CueType.BELIEF),
              ("speech", CueType.SPEECH), ("publication", CueType.PUBLICATION))
    for group, cue_type in groups:
        for entry in data["verbs"][group]:
            for form in entry.split("|"):
                verb_type[form] = cue_type
    needs_to = {f for entry in data["verbs"]["to_verbs"] for f in entry.split("|")}
    needs_to -= {f for g in ("speech", "publication", "belief", "stance") for e in data["verbs"][g] for f in e.split("|")}
    particles: dict[str, frozenset[str]] = {}
    only: set[str] = set()
    for entry, words in data["particles"].items():
        if entry == "only_with_particle":
            continue
        forms = entry.split("|")
        for form in forms:
            particles[form] = frozenset(words)
            verb_type.setdefault(form, CueType.BELIEF)
        if forms[0] in data["particles"]["only_with_particle"]:
            only.update(forms)
    candidates: dict[str, CueType] = {}
    for group, cue_type in (("stance", CueType.BELIEF), ("speech", CueType.SPEECH)):
        for entry in data["candidates"][group]:
            for form in entry.split("|"):
                if form not in verb_type:
                    candidates[form] = cue_type
    words = r"(?<![\w'’-])(?:{})(?![\w-])"
    phrases = data["phrases"]
    nouns = data["nouns"]
    return Lexicon(
        verb_type=verb_type,
        needs_that=frozenset(data["verbs"]["needs_that"]),
        candidates=candidates,
        loose_particles={form: frozenset(words) for entry, words in data["candidates"]["particles"].items()
                         for form in entry.split("|")},
        candidate_pattern=re.compile(words.format(trie_pattern(frozenset(candidates))) if candidates else "(?!)"),
        needs_to=frozenset(needs_to),
        particles=particles,
        only_with_particle=frozenset(only),
        # Lowercase forms, and capitalised ones for headlines ("Graham Says"); case-sensitive
        # so "Post" and "Reports" in names are not tried as cues.
        verb_pattern=re.compile(words.format(trie_pattern(
            [v for v in verb_type if " " not in v] + [v.capitalize() for v in verb_type if " " not in v]
        ))),
        according_finders=_finders(phrases["according"]),
        according_pattern=re.compile(words.format(_alternation(phrases["according"])), re.I),
        interview_pattern=re.compile(words.format(_alternation(phrases["interview"])), re.I),
        by_pattern=re.compile(
            r"(?<![\w-])(?:{})(?:\s+(?:and|or)\s+\w+)?\s+(?:by|in)\s+".format(_alternation(data["verbs"]["by_participles"])),
            re.I,
        ),
        phrase_finders=_finders(data["vague"]["cues"] + data["weasel"]["cues"]),
        vague_pattern=re.compile(words.format(_alternation(data["vague"]["cues"])), re.I),
        weasel_pattern=re.compile(words.format(_alternation(data["weasel"]["cues"])), re.I),
        reason_pattern=re.compile(_alternation(data["anonymity"]["reasons"]), re.I),
        credit_pattern=re.compile(
            r"[ \t*_]*(?P<label>{})[ \t*_]*[:：—–-][ \t*_]*(?P<name>\S.{{0,80}}?)[ \t*_.]*$".format(
                _alternation(data["credit"]["labels"])
            ),
            re.I,
        ),
        report_nouns=frozenset(nouns["report"]),
        report_by_finders=_finders([f"{n} {p}" for n in nouns["report"] for p in ("by", "in", "from")]),
        anonymous_heads=frozenset(nouns["anonymous"]),
        familiar_pattern=re.compile(
            r"(?<!\w)(?:{})\s+(?P<topic>[^,.;:]+)".format(_alternation(nouns["familiar"])), re.I
        ),
        generic_topics=frozenset(nouns["generic_topics"]),
        outlet_anaphors=frozenset(nouns["outlet_anaphors"]),
        outlet_heads=frozenset(nouns["outlet_heads"]),
        document_heads=frozenset(nouns["document_heads"]),
        organization_heads=frozenset(nouns["organization_heads"]),
        interviewed_by_pattern=re.compile(words.format(_alternation(phrases["interviewed_by"])), re.I),
        interviewed_by_finders=_finders(phrases["interviewed_by"]),
        passive_vague_pattern=re.compile(words.format(_alternation(data["vague"]["passive"])), re.I),
        passive_vague_finders=_finders(data["vague"]["passive"]),
        audience_heads=frozenset(nouns["audience"]),
        journalists=frozenset(nouns["journalists"]),
    )
