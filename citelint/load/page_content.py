"""Main-content detection: which blocks of an HTML page's visible text are the article.

A news page as served carries menus, teasers, sidebars, comment widgets, cookie notices,
hidden duplicate copies and footers around the article. Left in, they give findings about
text no editor wrote. The page is cut into blocks of visible text (the text between two
block-level tags) with the markup that surrounds each one; a main-content extractor
(readability-lxml, a port of the reading mode of Firefox) says which words are the article; a block is the article when most of its
words stand, in order, in the extractor's text. Around that core, captions, subheads and
quotations between article blocks are kept (extractors often drop them), hidden copies are
dropped, and nothing marked as furniture (navigation, related stories, sharing, comments,
consent) is brought back.

Everything not kept is returned as original-text ranges that the loader turns into
non-prose, so offsets stay in the one coordinate system. Pages without any chrome (a
fragment, a CMS export) are read whole, as is everything with ``--whole-page``.
"""
from __future__ import annotations

import html
import logging
import re
import sys
from dataclasses import dataclass, field

from citelint.load.html_events import BLOCK_TAGS, DATA, END, SKIP_TAGS, START, STARTEND, Event
from citelint.model import Furniture

# Flags carried down the element stack and OR-ed over each block.
HIDDEN = 1  # hidden, aria-hidden="true", display:none / visibility:hidden
MARKED = 2  # class, id or role says navigation, related, sharing, comments, consent …
CHROME = 4  # inside <nav>, <aside>, <footer>, <header>, <menu>
SKIP = 8  # not prose at all (script, style, head …)
ANCHOR = 16  # inside a link
INTEGRAL = 32  # caption, figcaption, blockquote, subhead: part of an article when inside one
EXEMPT = 64  # a pull quote or an article wrapper whose class merely mentions a furniture word

_SUSPECT = HIDDEN | MARKED | CHROME
_CHROME_TAGS = frozenset("nav aside footer header menu".split())
_INTEGRAL_TAGS = frozenset("figcaption caption blockquote h2 h3 h4 h5 h6".split())
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr keygen".split())
_HEAD_CONTENT = frozenset("meta link title style script base noscript template head".split())
# Tags a new start tag of the same name closes (HTML's implied end tags, the common cases).
_SELF_CLOSING_SIBLINGS = frozenset("p li dt dd tr td th option".split())
_FURNITURE_ROLES = frozenset("navigation banner contentinfo complementary search menu menubar dialog alertdialog".split())
_FURNITURE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|related|recommend\w*|more-?stories|"
    r"read-?more|popular|trending|most-?(?:read|viewed|popular)|share|sharing|social|comments?|"
    r"disqus|subscribe|subscription|newsletter|signup|sign-up|cookies?|consent|gdpr|promo\w*|"
    r"sponsor\w*|advert\w*|ads?|adslot|outbrain|taboola|sidebar|rail|footer|masthead|teasers?|"
    r"widget|recirc\w*|paywall|modal|popup|banner)(?:$|[\s_-])",
    re.I,
)
_EXEMPT_WORDS = re.compile(r"pull-?quote|pullquote|article-?body|story-?body|entry-?content|post-?content", re.I)
_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WORD = re.compile(r"\w+")

_MATCHED = 0.5  # share of a block's words that must stand in the article text
_GRAM = 4  # words per n-gram when matching blocks against the extractor's text
_COVER = [True] * _GRAM
_MIN_ARTICLE_WORDS = 25
_MAX_CHARS = 8_000_000  # the largest real page measured is 1.3 MB
_MAX_ELEMENTS = 20_000  # ... has 2,400 elements; a long live blog may pass this and is read by markup  # below this the extractor found no article


@dataclass
class Block:
    """Visible text between two block-level tags: original range, words, and its markup."""

    start: int
    end: int
    flags: int = 0
    words: list[str] = field(default_factory=list)
    link_words: int = 0
    marks: tuple[int, ...] = ()  # suspect ancestors (hidden, marked, chrome): element numbers


def find_furniture(text: str, events: list[Event], whole_page: bool = False) -> tuple[list[tuple[int, int]], Furniture]:
    """Original-text ranges that are page furniture, and a summary of the decision."""
    blocks, suspects = _blocks(text, events)
    count = len(blocks)
    if whole_page:
        return [], Furniture("whole-page", count, count)
    if suspects is None:
        return [], Furniture("none", count, count)
    elements = sum(1 for event in events if event[1] == START)
    # Past these sizes (hundreds of times a real news page) the extractor's cost is not worth
    # it: a page that big or that tag-dense is read by its markup alone, in linear time.
    article = _article_words(text) if len(text) <= _MAX_CHARS and elements <= _MAX_ELEMENTS else None
    if article is None:
        # No article found by the extractor (it skips hidden elements, so a page whose story
        # waits in a hidden template looks empty to it): set aside what markup marks as
        # furniture, and hidden text unless it is where most of the page's words are.
        _settle(blocks, suspects, [False] * count, 0)
        hidden = sum(len(b.words) for b in blocks if b.flags & HIDDEN and not b.flags & (MARKED | CHROME))
        shown = sum(len(b.words) for b in blocks if not b.flags & _SUSPECT)
        dropped = _SUSPECT if shown >= hidden else MARKED | CHROME
        keep = [not b.flags & dropped for b in blocks]
        method = "markup"
    else:
        keep = _align(blocks, suspects, article)
        method = "main-content"
    ranges = [(b.start, b.end) for b, kept in zip(blocks, keep) if not kept]
    return ranges, Furniture(method, count, sum(keep))


def _own_flags(tag: str, attrs: list[tuple[str, str | None]] | None) -> int:
    flags = 0
    if tag in SKIP_TAGS:
        flags |= SKIP
    if tag in _CHROME_TAGS:
        flags |= CHROME
    if tag in _INTEGRAL_TAGS:
        flags |= INTEGRAL
    if tag == "a":
        flags |= ANCHOR
    if not attrs:
        return flags
    words: list[str] = []
    for name, value in attrs:
        if name == "hidden":
            flags |= HIDDEN
        elif value is None:
            continue
        elif name == "aria-hidden" and value.strip().lower() == "true":
            flags |= HIDDEN
        elif name == "style" and _HIDING_STYLE.search(value):
            flags |= HIDDEN
        elif name == "role" and value.strip().lower() in _FURNITURE_ROLES:
            flags |= MARKED
        elif name in ("class", "id"):
            # "js-…" names are hooks for scripts, not descriptions of the content.
            words.extend(w for w in value.split() if not w.lower().startswith(("js-", "js_")))
    if words:
        joined = " ".join(words)
        if _EXEMPT_WORDS.search(joined):
            flags = (flags | EXEMPT) & ~(MARKED | CHROME)
        elif _FURNITURE_WORDS.search(joined):
            flags |= MARKED
    return flags


def _blocks(text: str, events: list[Event]) -> tuple[list[Block], list[int] | None]:
    """The page's blocks of visible text, and the own flags of every suspect element (an
    element that is hidden, marked as furniture or a chrome tag) by number; None when the
    page has no such element at all (a fragment)."""
    blocks: list[Block] = []
    stack: list[tuple[str, int, tuple[int, ...]]] = []  # (tag, flags and marks before it opened)
    flags = 0
    marks: tuple[int, ...] = ()
    suspects: list[int] = []  # own flags of each suspect element, by element number
    chrome = False
    current = Block(0, 0)
    count = len(events)
    for index, (offset, kind, tag, attrs) in enumerate(events):
        if kind == DATA:
            if flags & SKIP:
                continue
            end = events[index + 1][0] if index + 1 < count else len(text)
            chunk = text[offset:end]
            # Interned: a page repeats a few thousand words millions of times (a 10 MB page held
            # each occurrence as its own string, about 90 MB).
            words = list(map(sys.intern, _WORD.findall((html.unescape(chunk) if "&" in chunk else chunk).casefold())))
            if words:
                if not current.words:
                    current.marks = marks
                current.words.extend(words)
                current.flags |= flags
                if flags & ANCHOR:
                    current.link_words += len(words)
            continue
        if kind != START and kind != END and kind != STARTEND:
            continue
        if tag in BLOCK_TAGS:
            current.end = offset
            if current.words:
                blocks.append(current)
            after = events[index + 1][0] if index + 1 < count else len(text)
            current = Block(after, after)
        if kind == START and tag not in _VOID:
            if stack and stack[-1][0] == "head" and tag not in _HEAD_CONTENT:
                _, flags, marks = stack.pop()  # a body element closes an unclosed <head>
            if tag in _SELF_CLOSING_SIBLINGS and stack and stack[-1][0] == tag:
                _, flags, marks = stack.pop()
            elif tag in BLOCK_TAGS and stack and stack[-1][0] == "p":
                _, flags, marks = stack.pop()  # a block start closes an open paragraph
            own = _own_flags(tag, attrs)
            stack.append((tag, flags, marks))
            flags |= own & ~_SUSPECT
            if own & _SUSPECT:
                chrome = True
                marks = (*marks, len(suspects))
                suspects.append(own)
        elif kind == END:
            for depth in range(len(stack) - 1, max(len(stack) - 40, -1), -1):
                if stack[depth][0] == tag:
                    _, flags, marks = stack[depth]
                    del stack[depth:]
                    break
    current.end = len(text)
    if current.words:
        blocks.append(current)
    return blocks, suspects if chrome else None


def _article_words(text: str) -> list[str] | None:
    """The words of the page's main content as readability finds it (None: nothing found)."""
    try:
        import lxml.html
        from readability import Document as Readable
    except ImportError:  # pragma: no cover - declared dependencies; the page is read whole
        return None
    logging.getLogger("readability.readability").setLevel(logging.CRITICAL)
    try:
        summary = Readable(text).summary(html_partial=True)
        extracted = lxml.html.fromstring(summary).text_content() if summary.strip() else ""
    except MemoryError:
        raise  # not the page's fault: the file is reported, not silently read another way
    except Exception:  # noqa: BLE001 - the extractor's failure on odd markup must not lose the page
        return None
    words = list(map(sys.intern, _WORD.findall(extracted.casefold())))  # shared, as the blocks' words
    return words if len(words) >= _MIN_ARTICLE_WORDS else None


def _settle(blocks: list[Block], suspects: list[int], long: list[bool], article_words: int) -> None:
    """Give each block the furniture flags of its suspect ancestors, except of those that
    hold the article itself: a wrapper whose class says "social" or "sidebar", or a hidden
    template the page's script shows, is not furniture when the article is inside it."""
    inside = [0] * len(suspects)  # matched words inside each suspect element
    visible = 0
    for block, matched in zip(blocks, long):
        if matched:
            for mark in block.marks:
                inside[mark] += len(block.words)
            if not any(suspects[m] & HIDDEN for m in block.marks):
                visible += len(block.words)
    # Hidden copies go unless the visible text does not hold the article (then the
    # article is the hidden element: a template, shown by the page's script).
    article_visible = visible >= 0.5 * article_words
    for block in blocks:
        for mark in block.marks:
            own = suspects[mark]
            wrapper = article_words and inside[mark] >= 0.3 * article_words
            if own & HIDDEN and (article_visible or not wrapper):
                block.flags |= HIDDEN
            if own & (MARKED | CHROME) and not wrapper:
                block.flags |= own & (MARKED | CHROME)


def _align(blocks: list[Block], suspects: list[int], article: list[str]) -> list[bool]:
    """Which blocks are the article: matched against its words, then the gaps closed."""
    # n-grams of the article's words, n = 1 … _GRAM: a block is looked up word run by word
    # run (linear in the page; a substring search per block would be quadratic).
    grams = [{tuple(article[i : i + n]) for i in range(len(article) - n + 1)} for n in range(1, _GRAM + 1)]
    whole = grams[_GRAM - 1]
    matched = [False] * len(blocks)
    long = [False] * len(blocks)
    for i, block in enumerate(blocks):
        words = block.words
        if len(words) < _GRAM:
            matched[i] = tuple(words) in grams[len(words) - 1]
            continue
        covered = [False] * len(words)
        for j in range(len(words) - _GRAM + 1):
            if tuple(words[j : j + _GRAM]) in whole:
                covered[j : j + _GRAM] = _COVER
        matched[i] = long[i] = sum(covered) >= _MATCHED * len(words)
    _settle(blocks, suspects, long, len(article))
    keep = [long[i] and not block.flags & (HIDDEN | MARKED) for i, block in enumerate(blocks)]
    cores = [i for i, k in enumerate(keep) if k]
    if not cores:
        return keep
    first, last = cores[0], cores[-1]
    for i in range(len(blocks)):
        if keep[i]:
            continue
        block = blocks[i]
        if block.flags & _SUSPECT:
            continue
        linky = block.link_words * 2 >= len(block.words)
        if first < i < last:
            # Between article blocks: short matches, captions, subheads, quotations, and
            # plain text that is not a list of links.
            keep[i] = matched[i] or bool(block.flags & INTEGRAL) or not linky
        elif first - 3 <= i < first and block.flags & INTEGRAL and not linky:
            keep[i] = True  # a lead image's caption or a standfirst just above the text
    return keep
