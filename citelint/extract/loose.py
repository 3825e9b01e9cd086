"""Constructions the rules propose only to the keep model (``--model``): attributions without a
speaking subject ("Asked about the merger, she …", "… a lead in the latest Quinnipiac poll",
"Obama is expected to join her") and a transcript's "NAME:". Each finder returns ``Found``
drafts marked ``loose``; the keep model decides on them. A quotation signed with a dash
("“…” ― Name") is found here too, but trusted: it is as plain an attribution as "said"."""
from __future__ import annotations

import re
from collections.abc import Iterator

from citelint.extract.clauses import nonempty, quote_ending_at, trim_end
from citelint.extract.outlets import Found
from citelint.extract.segment import Layout
from citelint.model import CueType

_ASKED = re.compile(r"(?<![\w-])(?P<cue>[Aa]sked)\s+(?P<rest>(?:about|whether|if|why|what|how|who|where|when|for)\b)")
_IN_POLL = re.compile(
    r"(?<![\w-])(?P<cue>[Ii]n)\s+(?P<source>(?:an?|the|this|that|its|his|her|their|[A-Z][\w.'’/-]*)\s"
    r"[^,.;:!?\n“”\"]{0,80}?\b(?:polls?|surveys?|study|report|analysis))\b"
)
_NAME_WORD = r"[A-Z][\w.'’-]*"
_DASH_CREDIT = re.compile(
    rf"(?<=[”\"])[ \t\u00a0]*(?P<cue>[―—–]|--)[ \t\u00a0]*(?P<name>{_NAME_WORD}(?:[ \u00a0]{_NAME_WORD}){{0,5}})"
    r"[ \t.]*(?=\n|$)"
)
_SPEAKER = re.compile(rf"[ \t]*(?P<name>{_NAME_WORD}(?: {_NAME_WORD}){{0,4}})[ \t]*(?P<cue>:)[ \t]+(?=\S)")
_EXPECTED = re.compile(r"(?<![\w-])(?P<cue>(?:is|are|was|were)\s+(?:widely\s+|not\s+|also\s+)?expected)\s+to\s")
_PRIORITY = 4  # before verb cues ("Asked" is also a verb form)


def loose_constructions(prose: str, layout: Layout) -> list[Found]:
    return (asked(prose, layout) + in_polls(prose, layout) + signed_quotations(prose, layout)
            + speakers(prose, layout) + expected(prose, layout))


def _cues(pattern: re.Pattern[str], prose: str, layout: Layout) -> Iterator[tuple[re.Match[str], tuple[int, int], tuple[int, int]]]:
    """The pattern's matches whose "cue" group is outside quotation marks, with that cue and
    the sentence it stands in."""
    for match in pattern.finditer(prose):
        cue = match.span("cue")
        if not layout.in_quote(cue[0]):
            yield match, cue, layout.sentences[layout.sentence_index(cue[0])]


def asked(prose: str, layout: Layout) -> list[Found]:
    """"Asked about the merger, she …": the question is the content, no one is its source."""
    out = []
    for match, cue, sentence in _cues(_ASKED, prose, layout):
        if prose[sentence[0]:cue[0]].strip(" \"“‘'").lower() not in ("", "when", "if", "but", "and", "once"):
            continue  # "Asked" opens the sentence (after "When" at most)
        comma = prose.find(",", cue[1], sentence[1])
        if comma == -1:
            continue
        content = nonempty((match.start("rest"), trim_end(prose, match.start("rest"), comma)))
        out.append(Found(cue, CueType.SPEECH, None, content, None, None, _PRIORITY, loose=True))
    return out


def in_polls(prose: str, layout: Layout) -> list[Found]:
    """"… a growing lead in the latest Quinnipiac poll": the poll is the source, the rest of the
    clause the content."""
    out = []
    for match, cue, sentence in _cues(_IN_POLL, prose, layout):
        source = match.span("source")
        if not (sentence[0] <= cue[0] and source[1] <= sentence[1]):
            continue
        if not prose[sentence[0]:cue[0]].strip():
            # "In a new Fox News poll, 45 percent …": the main clause after the comma
            comma = prose.find(",", source[1], sentence[1])
            if comma == -1 or comma - source[1] > 40:
                continue
            c0 = comma + 1
            while c0 < sentence[1] and prose[c0].isspace():
                c0 += 1
            content = nonempty((c0, trim_end(prose, c0, sentence[1])))
        else:
            content = nonempty((sentence[0], trim_end(prose, sentence[0], cue[0])))
        out.append(Found(cue, CueType.SPEECH, source, content, None, None, _PRIORITY, loose=True))
    return out


def signed_quotations(prose: str, layout: Layout) -> list[Found]:
    """"“We can build a wall around him.” ― Steve Quinlan": trusted, not loose."""
    out = []
    for match in _DASH_CREDIT.finditer(prose):
        cue = match.span("cue")
        quote = quote_ending_at(prose, layout, cue[0])
        if quote is None:
            # Quotations one per line may pair badly: from the line's first opening mark to the
            # closing mark the pattern stands on (just before the match).
            close = match.start()
            line = prose.rfind("\n", 0, close) + 1
            opening = min((i for i in (prose.find("“", line, close), prose.find('"', line, close - 1)) if i != -1),
                          default=-1)
            if opening == -1:
                continue
            quote = (opening, close)
        name = match.span("name")
        out.append(Found(cue, CueType.SPEECH, name, quote, name, None, _PRIORITY))
    return out


def speakers(prose: str, layout: Layout) -> list[Found]:
    """"JOEL BENENSON: This is a man who …", "Q: How did things go?": a transcript's speaker
    opening a paragraph."""
    out = []
    for block in layout.blocks:
        speaker = _SPEAKER.match(prose, block.start, block.end)
        if speaker is None or layout.in_quote(speaker.start()):
            continue
        c0 = speaker.end()
        content = nonempty((c0, trim_end(prose, c0, block.end)))
        if content is not None:
            out.append(Found(speaker.span("cue"), CueType.SPEECH, speaker.span("name"), content, None, None,
                             _PRIORITY, loose=True))
    return out


def expected(prose: str, layout: Layout) -> list[Found]:
    """"Obama is expected to join her": no one expects it aloud; the sentence is the content."""
    out = []
    for _, cue, sentence in _cues(_EXPECTED, prose, layout):
        content = nonempty((sentence[0], trim_end(prose, sentence[0], sentence[1])))
        out.append(Found(cue, CueType.BELIEF, None, content, None, None, _PRIORITY, loose=True))
    return out
