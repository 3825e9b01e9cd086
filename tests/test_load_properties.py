"""Properties every loader keeps on any input: no exceptions, exact spans, a monotonic map."""
from __future__ import annotations

import random
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citelint.load import html_events, load_text
from citelint.load.prose import ProseBuilder, blank
from citelint.model import Document, Span

FAST = settings(max_examples=200, deadline=None)

COMMON = [
    "\n", "\n\n", "\r\n", "\r\n\r\n", " ", "  ", "\t", "    ", "word", "The AP said", "Reuters",
    "&amp;", "&rsquo;", "&#8217;", "&#x2019;", "&bogus;", "&", "&#", "&#x;", "&amp",
    "<", ">", "\"", "'", "“", "”", "‘", "’", "«", "»", "(", ")", "[", "]", "\\",
    "https://x.com/a_(b)", "http://y.org/p?q=1&r=2.", "é", "\u00a0", "\x0b",
]  # fmt: skip
MARKDOWN = COMMON + [
    "```", "~~~", "```py", "`", "``", "![", "](", "](https://x.com \"t\")", "][r]", "[]",
    "[r]: https://r.x \"T\"", "[r]", ">", "> ", "> > ", "*", "**", "_", "__", "~~", "#", "# ",
    "###### ", "- ", "* ", "+ ", "1. ", "2) ", "- [ ] ", "|", "|---|", "| --- | :-: |", "---",
    "***", "===", "+++", "<!--", "-->", "<!-- citelint: disable CL201 -->", "<b>", "</b>",
    '<a href="https://h.x">', "</a>", "<https://auto.x/y>", "<me@x.org>", "\\*", "\\`",
    "<script>", "</script>", "<pre>", "</pre>", "snake_case", "a*b", " * ",
]  # fmt: skip
HTML = COMMON + [
    "<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<i>", "</I>", "<br>", "<br/>", "<hr />",
    "<a href='https://x.com/?a=1&amp;b'>", "<a href=\"\">", "<a>", "</a>", "<!--", "-->",
    "<!-- c -->", "<!-- citelint: disable CL201 -->", "<script>", "</script>", "<style>",
    "</style>", "<pre>", "</pre>", "<code>", "</code>", "<blockquote>", "</blockquote>",
    "<q>", "</q>", "</", "</>", "<!DOCTYPE html>", "<![CDATA[", "]]>", "<![if !IE]>",
    "<![endif]>", "<![foo[", "<?php", "?>", "<head>", "</head>", "<title>", "</title>",
    "<body>", "<p class=x", '<p class="y">', "<img src=x alt='AP'>", "<li>", "<td>",
    "<svg>", "</svg>", "<textarea>", "<x-custom>", "< b", "<3",
]  # fmt: skip


def fragments(pieces: list[str]) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(pieces), st.text(max_size=4))
    return st.lists(piece, max_size=40).map("".join)


def position(text: str, offset: int) -> tuple[int, int]:
    """Line and column the slow, obvious way."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def assert_exact(doc: Document, span: Span) -> None:
    text = doc.text
    assert 0 <= span.start <= span.end <= len(text)
    assert span.text == text[span.start : span.end]
    assert (span.line, span.column) == position(text, span.start)
    assert (span.end_line, span.end_column) == position(text, span.end)


def assert_document_sound(doc: Document, rng: random.Random) -> None:
    text, prose, offsets = doc.text, doc.prose, doc.offsets
    for link in doc.links:
        assert_exact(doc, link.anchor)
        assert link.url
    for comment in doc.comments:
        assert_exact(doc, comment.span)
        assert comment.span.text.startswith("<")  # "<!--", or a bogus "</…>" comment
    last_end = -1
    for start, end in doc.quote_regions:
        assert last_end <= start < end <= len(prose)
        last_end = end
        assert_exact(doc, doc.span(start, end))
    starts = [offsets.start(p) for p in range(len(prose) + 1)]
    ends = [offsets.end(p) for p in range(len(prose) + 1)]
    assert starts == sorted(starts) and ends == sorted(ends)
    assert all(0 <= o <= len(text) for o in starts + ends)
    for p, char in enumerate(prose):
        assert starts[p] <= ends[p + 1]
        if not char.isspace():  # a character of the original, or what an entity stands for
            original = text[starts[p] : ends[p + 1]]
            assert original == char or (original.startswith("&") and original.endswith(";"))
    for _ in range(20):
        i = rng.randint(0, len(prose))
        j = rng.randint(i, len(prose))
        assert_exact(doc, doc.span(i, j))


def assert_same(a: Document, b: Document) -> None:
    assert (a.prose, a.links, a.comments, a.quote_regions) == (b.prose, b.links, b.comments, b.quote_regions)
    n = len(a.prose) + 1
    assert [a.offsets.start(p) for p in range(n)] == [b.offsets.start(p) for p in range(n)]
    assert [a.offsets.end(p) for p in range(n)] == [b.offsets.end(p) for p in range(n)]


@FAST
@given(text=st.text(max_size=300), fmt=st.sampled_from(["text", "markdown", "html"]), seed=st.integers())
def test_any_text_in_any_format(text: str, fmt: str, seed: int) -> None:
    doc = load_text(text, "a", fmt)
    assert doc.text == text
    assert_document_sound(doc, random.Random(seed))


@FAST
@given(text=fragments(MARKDOWN), seed=st.integers())
def test_random_markdown(text: str, seed: int) -> None:
    doc = load_text(text, "a.md", "markdown")
    assert_document_sound(doc, random.Random(seed))
    assert_same(doc, load_text(text, "a.md", "markdown"))


@FAST
@given(text=fragments(HTML), seed=st.integers())
def test_random_html(text: str, seed: int) -> None:
    doc = load_text(text, "a.html", "html")
    assert_document_sound(doc, random.Random(seed))
    assert_same(doc, load_text(text, "a.html", "html"))


class _GeneralStartTags(html_events.Events):
    """The event reader with html.parser's own start-tag scan for every tag."""

    parse_starttag = HTMLParser.parse_starttag


@FAST
@given(text=fragments(HTML + ["<P>", "<Span>", "<b >", "<b/>", "<em>", "<title>", "<noscript>", "<plaintext>",
                              "<sup>", "<li>x", "<h2>", "<table>", "<tr>", "<abbreviation>"]))
def test_plain_start_tags_read_as_html_parser_reads_them(text: str) -> None:
    """Attribute-less start tags are read by a shortcut: the same events as the general scan."""
    general = _GeneralStartTags(text)
    general.feed(text)
    general.close()
    assert html_events.parse(text) == general.events


@FAST
@given(text=fragments(COMMON + ["https://a.b/c(d", "www.x.com", "said"]), seed=st.integers())
def test_random_plain_text(text: str, seed: int) -> None:
    doc = load_text(text, "a.txt", "text")
    assert len(doc.prose) == len(text) and doc.offsets.identity
    assert_document_sound(doc, random.Random(seed))


def test_ten_megabytes_of_markdown() -> None:
    rng = random.Random(7)
    prose = (
        "Officials said on Monday that the council would review the budget, according to"
        " a statement, and the minister told reporters the report was accurate.\n"
    )
    parts = [
        prose * 4 + "\n",
        prose * 3 + "\n",
        "# Heading about the AP\n\n",
        "The **AP** [reported](https://apnews.com/a) that `x` &rsquo;rose&rsquo; 5 * 3.\n",
        "> A quote from Reuters\n> continues\n\n",
        "- item with snake_case\n- second <b>item</b>\n\n",
        "```\ncode by Reuters\n```\n\n",
        "| a | b |\n|---|---|\n| c | d |\n\n",
        "See [ref][r] and <https://auto.example/x> and https://bare.example/y.\n\n",
        "<!-- citelint: disable CL201 -->\n",
        "Unbalanced [bracket and `tick and *star and _under.\n\n",
    ]
    chunks: list[str] = []
    size = 0
    while size < 10_000_000:
        piece = rng.choice(parts)
        chunks.append(piece)
        size += len(piece)
    chunks.append("[r]: https://reuters.com/r\n")
    text = "".join(chunks)
    doc = load_text(text, "big.md", "markdown")
    assert "code by Reuters" not in doc.prose
    assert len(doc.links) > 20_000
    rng2 = random.Random(1)
    for link in rng2.sample(doc.links, 50):
        assert_exact(doc, link.anchor)
    for _ in range(50):
        i = rng2.randrange(len(doc.prose))
        assert_exact(doc, doc.span(i, min(i + rng2.randrange(200), len(doc.prose))))
    tail = doc.prose.rindex("Heading")
    span = doc.span(tail, tail + len("Heading"))
    assert span.text == "Heading"


def test_markdown_deeply_nested_quotes_and_brackets() -> None:
    text = ">" * 10_000 + " deep\n" + "[" * 10_000 + "x" + "]" * 10_000 + "(https://x.com)\n" + "*" * 10_000
    doc = load_text(text, "a.md", "markdown")
    assert_document_sound(doc, random.Random(0))


@st.composite
def edited_text(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str | None]]]:
    text = draw(st.text(alphabet="ab \n&;<>", max_size=60))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=12))))
    edits: list[tuple[int, int, str | None]] = []
    for start, end in zip(cuts[::2], cuts[1::2]):
        edits.append((start, end, draw(st.sampled_from([None, "", "\n\n", "X", "XYZ"]))))
    return text, edits


@FAST
@given(case=edited_text())
def test_prose_builder_maps_every_edit(case: tuple[str, list[tuple[int, int, str | None]]]) -> None:
    text, edits = case
    builder = ProseBuilder(text)
    for start, end, replacement in edits:
        if replacement is None:
            builder.blank(start, end)
        else:
            builder.replace(start, end, replacement)
    prose, offsets = builder.build()
    expected, pos = [], 0
    for start, end, replacement in edits:
        expected.append(text[pos:start])
        expected.append(blank(text[start:end]) if replacement is None else replacement)
        pos = end
    expected.append(text[pos:])
    assert prose == "".join(expected)
    if all(r is None for _, _, r in edits):
        assert offsets.identity
    # Each replacement maps to exactly the range it stands for; kept text maps one-to-one.
    landing = builder.to_prose([x for start, end, _ in edits for x in (start, end)])
    for (start, end, replacement), p0, p1 in zip(edits, landing[::2], landing[1::2]):
        if replacement:
            assert p1 - p0 == len(replacement)
            assert (offsets.start(p0), offsets.end(p1)) == (start, end)
    for p, char in enumerate(prose):
        if char in "ab&;<>":
            assert text[offsets.start(p)] == char and offsets.end(p + 1) == offsets.start(p) + 1


def test_prose_builder_rejects_edits_out_of_order() -> None:
    builder = ProseBuilder("abcdef")
    builder.replace(3, 4, "")
    with pytest.raises(ValueError, match="left to right"):
        builder.replace(1, 2, "")
