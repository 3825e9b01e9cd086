"""Feature strings for the learned extraction decisions, drawn from a closed vocabulary only.

A feature is ``template=value`` (values joined by ``|`` in conjunctions). Values are closed-class
words, the lexicon's own entries, word shapes, punctuation, small-number buckets and cue types:
never an open-class word, so a trained model cannot store the text it was trained on.
"""
from __future__ import annotations

import functools
import re

from citelint.extract.lexicon import lexicon

CLOSED = frozenset(
    """a an the this that these those some any no every each all both either neither another other
    such what which whose who whom whoever whatever when where why how whether if unless because
    since as though although while whereas until till once than so and or nor but yet for
    i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
    myself yourself himself herself itself ourselves themselves one ones
    of to in on at by with from into onto upon about above below over under after before during
    through throughout between among against without within along across around behind beyond
    near toward towards despite like unlike per via off out up down
    be is am are was were been being have has had having do does did done doing
    will would shall should can could may might must ought
    not n't never also there here then now just only even still already
    mr mrs ms dr""".split()
)
SHAPES = frozenset({"Xx", "X", "x", "d", "xd", "w"})  # capitalised, all caps, lowercase, digits, mixed, other
PUNCT = frozenset(list(",.;:!?()[]—–-\"'“”‘’«»/&%$") + ["NONE", "NL"])
BUCKETS = frozenset(str(n) for n in range(-8, 9)) | {"far", "-far"}
SUFFIXES = frozenset({"-ing", "-ed", "-ly", "-s", "-"})
FLAGS = frozenset({"T", "F", "A", "B"})  # true/false; after/before the cue
TEMPLATES = frozenset(
    """bias ctype prio hassrc srcafter srclen srcfirst srclast srcshape cue cuelen prev next next2 prev2
    inquote nested nestedq samesent contlen contq cutq docpos sentpos drafts
    side rule isent ipara nsent pchar nchar pword nword nword2 inq closeq dcue dcont drule ncomma
    rulestart thatb loose loose|cue kind cue|next cue|prev cue|kind cue|srclast
    nsuf nsuf2 nword|nsuf2 clen csent sameq cross|csent ocue ocue|side
    cue|hassrc cue|inquote cue|nested cue|srcshape cue|nsuf cue|samesent ctype|loose cue|contq
    ss_tok ss_prev ss_prev2 ss_side ss_rule ss_dist ss_prev|tok ss_rule|prev ss_side|dist ss_prev2|prev
    se_last se_next se_next2 se_side se_rule se_dist se_last|next se_rule|next se_tocue se_len se_commas
    se_side|dist se_next|next2
    side|rule side|isent side|pword side|nword pword|nword pchar|nword ctype|side ctype|rule
    inq|nword inq|isent contq|rule contq|isent cross cross|isent cross|closeq cross|rule cross|side qedge qedge|isent""".split()
)
TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_LAST_TOKEN = re.compile(r"(\w+(?:['’]\w+)*|[^\w\s])\s*$")


@functools.cache
def lexicon_words() -> frozenset[str]:
    """Every single word the lexicon lists as a cue form, report noun or head word."""
    lex = lexicon()
    words: set[str] = set()
    for group in (lex.verb_type, lex.candidates, lex.report_nouns, lex.anonymous_heads, lex.outlet_heads,
                  lex.document_heads, lex.organization_heads, lex.audience_heads, lex.journalists):
        for entry in group:
            words.update(entry.lower().split())
    return frozenset(words)


def allowed_values() -> frozenset[str]:
    from citelint.model import CueType, Kind

    return CLOSED | lexicon_words() | SHAPES | PUNCT | BUCKETS | SUFFIXES | FLAGS | {t.value for t in CueType} | {k.value for k in Kind}


@functools.lru_cache(maxsize=1 << 16)
def value(token: str | None) -> str:
    """A token as a feature value: itself when closed-class, a lexicon word or punctuation; else its shape."""
    if token is None:
        return "NONE"
    lower = token.lower()
    if lower in CLOSED or lower in lexicon_words():
        return lower
    if len(token) == 1 and not token.isalnum():
        return token if token in PUNCT else "w"
    if token.isdigit():
        return "d"
    if token.isalpha():
        if token.isupper() and len(token) > 1:
            return "X"
        return "Xx" if token[0].isupper() else "x"
    return "xd" if any(c.isdigit() for c in token) else "w"


def word_before(text: str, pos: int) -> str | None:
    match = _LAST_TOKEN.search(text, max(0, pos - 40), pos)
    if match is None:
        return None
    if "\n" in text[match.end(1):pos]:
        return "NL"
    return match.group(1)


def words_after(text: str, pos: int, count: int = 2) -> list[str | None]:
    out: list[str | None] = []
    for match in TOKEN.finditer(text, pos, min(len(text), pos + 60)):
        if "\n" in text[pos:match.start()] and not out:
            out.append("NL")
        out.append(match.group())
        if len(out) >= count:
            break
    while len(out) < count:
        out.append(None)
    return out


def suffix(token: str | None) -> str:
    """The inflection a lowercase word ends with ("-ing", "-ed", "-ly", "-s"), else "-": a
    participle after "and" continues a list of actions, not the content."""
    if not token or not token.isalpha() or not token.islower():
        return "-"
    for end in ("ing", "ed", "ly", "s"):
        if token.endswith(end) and len(token) > len(end) + 2:
            return "-" + end
    return "-"


def bucket(n: int, limit: int = 8) -> str:
    if n > limit:
        return "far"
    if n < -limit:
        return "-far"
    return str(n)


def length_bucket(words: int) -> str:
    """Word counts on a rough log scale (0, 1, 2, 3, 4, 5-6, 7-8 …)."""
    for edge, label in ((0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (6, 5), (10, 6), (20, 7), (40, 8)):
        if words <= edge:
            return str(label)
    return "far"


def word_count(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())
