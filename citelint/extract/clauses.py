"""Where content starts and ends around a cue: sentence remainders, quotations that close
before a source or continue after it, and the words inside quotation marks (prose offsets)."""
from __future__ import annotations

import re

from citelint.extract.segment import Layout

AFTER_CUE = re.compile(
    r"\s*(?:(?:on|last|this|earlier|late|early)\s+)?(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|year|today|yesterday|night|morning|afternoon|evening)\s*)?"
    r"(?:(?:in|during|at|via|on)\s+(?:a|an|the|his|her|their|its)\s+(?:[\w-]+\s+){0,2}?(?:statement|interview|tweet|post|letter|speech|email|e-mail|news conference|press conference|briefing|release|report|message|video|filing|note|memo|op-ed|column|blog post|appearance)\s*)?"
)


def after_name(prose: str, pos: int) -> bool:
    """Whether a capitalised word ends just before ``pos`` ("Lindsey Graham| Says")."""
    j = pos
    while j > 0 and prose[j - 1] == " ":
        j -= 1
    return j < pos and j > 0 and (prose[j - 1].isalpha() or prose[j - 1] == ".") and _capital_word_ending(prose, j)


def _capital_word_ending(prose: str, end: int) -> bool:
    k = end
    while k > 0 and (prose[k - 1].isalnum() or prose[k - 1] in ".-’'"):
        k -= 1
    return prose[k:end][:1].isupper()


def quote_ending_at(prose: str, layout: Layout, pos: int) -> tuple[int, int] | None:
    """The quotation that closes just before ``pos`` (across spaces and a comma), wherever
    it opened: a quote can span sentences ("“It makes no sense. It fails,” he said")."""
    j = pos
    while j > 0 and prose[j - 1] in " \t\n,":
        j -= 1
    if j == 0 or prose[j - 1] not in "\"”’'»":
        return None
    quote = layout.quote_at(j - 1)
    return quote if quote is not None and quote[1] == j else None


def continuation_end(prose: str, layout: Layout, sentence: tuple[int, int], after: int, default: int) -> int:
    """Where the quoted content ends: a quotation continuing after the cue ("“A,” X said,
    “B.”", or "“A,” X said. “B.”" opening the next sentence) extends it."""
    limit = layout.block_of(after).end
    probe = after
    while probe < limit and prose[probe] in " \t,.;:—–-\n":
        probe += 1
    quote = layout.quote_at(probe)
    if quote is not None and quote[0] == probe:
        return quote[1]
    return default


def capitalised_before(prose: str, end: int) -> tuple[int, int] | None:
    """The run of up to five capitalised words (and a leading "the") that ends at ``end``."""
    start = end
    count = 0
    while count < 5:
        j = start
        while j > 0 and prose[j - 1] == " ":
            j -= 1
        k = j
        while k > 0 and (prose[k - 1].isalnum() or prose[k - 1] in "&.-"):
            k -= 1
        word = prose[k:j]
        if not word or not word[0].isupper() or (count and j == start):
            break
        start, count = k, count + 1
    if count == 0:
        return None
    j = start
    while j > 0 and prose[j - 1] == " ":
        j -= 1
    if prose[max(j - 3, 0):j] in ("the", "The") and (j - 3 == 0 or not prose[j - 4].isalnum()):
        start = j - 3
    return (start, end)


_OPENS_CONTENT = re.compile(r"\s*(?:that\b|[:“\"‘]|,\s*[“\"‘])")
_LEAD_THAT = re.compile(r"[\s,:]*(?:that\s+)?")


def introduces_content(prose: str, end: int, limit: int) -> bool:
    after = AFTER_CUE.match(prose, end, limit)
    pos = after.end() if after else end
    return _OPENS_CONTENT.match(prose, pos, pos + 8) is not None


def rest_of_sentence(prose: str, sentence: tuple[int, int], cue_start: int, cue_end: int) -> tuple[int, int] | None:
    lead = _LEAD_THAT.match(prose, cue_end, sentence[1])  # None only past the sentence end
    c0 = lead.end() if lead else cue_end
    c1 = trim_end(prose, c0, sentence[1])
    if c1 - c0 >= 3:
        return (c0, c1)
    c1 = trim_end(prose, sentence[0], cue_start)
    return (sentence[0], c1) if c1 - sentence[0] >= 3 else None


def trim_end(prose: str, start: int, end: int) -> int:
    while end > start and (prose[end - 1].isspace() or prose[end - 1] in ",;:—–-"):
        end -= 1
    if end > start and prose[end - 1] in ".!?" and not prose[max(start, end - 4):end].lower().endswith(("mr.", "u.s.", "jr.")):
        end -= 1
    return end


def nonempty(span: tuple[int, int]) -> tuple[int, int] | None:
    return span if span[1] > span[0] else None


def inner_quote(prose: str, start: int, end: int) -> tuple[int, int] | None:
    marks = 2 if prose.startswith("''", start) else 1
    if prose[start] in "\"“‘«„'":
        start += marks
    if end > start and prose[end - 1] in "\"”’»'":
        end -= marks if prose[end - 2 : end] == "''" else 1
    while start < end and prose[start].isspace():
        start += 1
    while end > start and (prose[end - 1].isspace() or prose[end - 1] in ",."):
        end -= 1
    return (start, end) if end > start else None
