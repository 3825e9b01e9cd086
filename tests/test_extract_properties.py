"""Property tests over the whole offline pipeline: whatever the article, extraction and the
rules never crash, every span lies inside the text and its text is the slice, and the
output is deterministic."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citelint.check import Checker
from citelint.extract import NotProse
from citelint.load import load_text
from citelint.model import Span
from citelint.registry import load_registry

REGISTRY = load_registry()
CHECKER = Checker(REGISTRY)

FRAGMENTS = [
    "The Associated Press reported that ", "according to Reuters, ", "“", "”", '"', "‘", "’", "''",
    " said ", " told the BBC ", ", the AP wrote. ", "reportedly ", "Sources said ", "critics say ",
    "WASHINGTON (AP) — ", "Source: Left2", "\n\n", "\n", ". ", ", ", " who ", " and added ",
    "Mr. Smith", "ABC", "The Times", "the newspaper", " … ", "[Assange]", "—", " (", ")",
    "Dana Whitlock, a lawyer for the union, ", "is promising to ", "called for ", "İstanbul", "ﬁ",
]
MARKUP = ["<p>", "</p>", "<q>", "</q>", "<blockquote>", "</blockquote>", "<a href='https://apnews.com/x'>",
          "</a>", "&rsquo;", "&amp;", "<!-- citelint: disable CL201 -->", "<script>", "</script>",
          "[link](https://reuters.com/y)", "`code`", "> ", "# ", "**", "_"]


def _check_spans(text: str, spans: list[Span]) -> None:
    for span in spans:
        assert 0 <= span.start <= span.end <= len(text)
        assert span.text == text[span.start : span.end]
        line = text.count("\n", 0, span.start) + 1
        column = span.start - (text.rfind("\n", 0, span.start) + 1) + 1
        assert (span.line, span.column) == (line, column)


def _run(text: str, fmt: str) -> list:
    document = load_text(text, "t", fmt)
    try:
        results = CHECKER.check(document)
    except NotProse:  # hundreds of cues in one sentence: refused as an input error, on purpose
        return []
    article = results[0]
    spans: list[Span] = []
    for att in article.attributions:
        spans += [s for s in (att.source, att.cue, att.content, att.outlet) if s is not None]
        spans += list(att.quotes)
    spans += [f.span for f in article.findings]
    _check_spans(text, spans)
    return [(a.source, a.cue, a.content, a.quotes, a.kind, a.resolved) for a in article.attributions] + [
        (f.code, f.span, f.message) for f in article.findings
    ]


texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40).map("".join)
marked = st.lists(st.one_of(st.sampled_from(FRAGMENTS + MARKUP), st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_plain_text_never_breaks_spans(text: str) -> None:
    assert _run(text, "text") == _run(text, "text")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(marked, st.sampled_from(["markdown", "html"]))
def test_markup_never_breaks_spans(text: str, fmt: str) -> None:
    assert _run(text, fmt) == _run(text, fmt)


def test_unbalanced_quotes_and_a_very_long_line() -> None:
    line = ("“He went there, " * 3000) + "” the AP wrote " + ("reportedly " * 20)
    assert _run(line, "text")  # extracted, not refused
    # Thousands of cues in one sentence are not prose: refused with the line, not extracted.
    with pytest.raises(NotProse, match="line 1: more than 24 attribution cues in one sentence"):
        CHECKER.check(load_text(("“He said it, " * 3000) + "” the AP wrote", "t", "text"))


def test_deeply_nested_html() -> None:
    html = "<div>" * 10_000 + "<p>Reuters reported that the mill shut.</p>" + "</div>" * 10_000
    _run(html, "html")
    findings = CHECKER.check(load_text(html, "deep.html", "html"))[0].findings
    assert [f.code for f in findings] == ["CL101"]


def test_ten_megabyte_article() -> None:
    # News-like density: one attributed paragraph in four. Resolution once scanned every
    # earlier name for each attribution, which made this take minutes; it must stay linear.
    plain = "The harbour board met on Tuesday to discuss the budget for the coming year and the pier. " * 3 + "\n\n"
    attributed = "The Associated Press reported that the port closed. “It is over,” the mayor said.\n\n"
    block = plain * 3 + attributed
    text = block * (10_000_000 // len(block))
    document = load_text(text, "big.txt", "text")
    article = CHECKER.check(document)[0]
    assert len(article.attributions) >= 2 * (len(text) // len(block))
    _check_spans(text, [a.cue for a in article.attributions[-5:] if a.cue])


_LETTERS = "aAbB ΣΑΣσςİıẞß.\n’“"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=_LETTERS, min_size=1, max_size=40), min_size=1, max_size=300))
def test_long_texts_lowercase_in_pieces_as_in_one(words: list[str]) -> None:
    # Pieces of 64 k characters cut at spaces: a Greek final sigma at a cut, and "İ" (two
    # characters lowercased) anywhere, give what lowercasing the whole text gives.
    from citelint.extract.segment import _LOWER_CHUNK, _lower_same_length

    unit = " ".join(words) + " "
    text = unit * (_LOWER_CHUNK // len(unit) + 2)  # always past one piece
    whole = text.lower()
    expected = whole if len(whole) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    assert _lower_same_length(text) == expected
