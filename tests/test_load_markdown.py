"""Markdown loading: what is prose, what is a link, a comment, a quote; offsets stay exact."""
from __future__ import annotations


import pytest

from loadhelpers import blocks, span_of

from citelint.load import load_text
from citelint.model import Document


def md(text: str) -> Document:
    return load_text(text, "a.md", "markdown")




def links(doc: Document) -> list[tuple[str, str]]:
    return [(link.url, link.anchor.text) for link in doc.links]


def test_inline_link_anchor_span_and_prose() -> None:
    text = 'The AP [reported the deal](https://apnews.com/a "AP story") on Monday.'
    doc = md(text)
    (link,) = doc.links
    assert link.url == "https://apnews.com/a"
    assert (link.anchor.start, link.anchor.end) == (8, 25)
    assert link.anchor.text == "reported the deal"
    assert (link.anchor.line, link.anchor.column) == (1, 9)
    assert blocks(doc) == ["The AP reported the deal on Monday."]
    assert "apnews" not in doc.prose and "AP story" not in doc.prose
    span = span_of(doc, "Monday")
    assert text[span.start : span.end] == "Monday"
    assert span.start == text.index("Monday")


def test_link_forms() -> None:
    text = (
        "A [pointy](<https://x.com/a b>) and [ref][R1] and [Collapsed][] and [short] and "
        "[missing] and <https://auto.example/p?q=1> and https://bare.example/x.\n\n"
        "[r1]: https://reuters.com/one\n"
        '[collapsed]: <https://c.example> "Title"\n'
        "[SHORT]: https://s.example 'x'\n"
    )
    doc = md(text)
    assert links(doc) == [
        ("https://x.com/a b", "pointy"),
        ("https://reuters.com/one", "ref"),
        ("https://c.example", "Collapsed"),
        ("https://s.example", "short"),
        ("https://auto.example/p?q=1", "https://auto.example/p?q=1"),
        ("https://bare.example/x", "https://bare.example/x"),
    ]
    assert blocks(doc) == ["A pointy and ref and Collapsed and short and [missing] and and ."]
    for link in doc.links:
        assert text[link.anchor.start : link.anchor.end] == link.anchor.text


def test_reference_labels_match_case_insensitively_with_whitespace_collapsed() -> None:
    doc = md("See [The  Wire\nStory][].\n\n[the wire story]: https://w.example\n")
    assert links(doc) == [("https://w.example", "The  Wire\nStory")]


def test_link_url_escapes_and_entities_are_decoded() -> None:
    doc = md(r"[a](https://x.com/a\_b?c=1&amp;d=2)")
    assert links(doc) == [("https://x.com/a_b?c=1&d=2", "a")]


def test_image_is_neither_prose_nor_link() -> None:
    doc = md("Look ![a photo by Reuters](https://img.example/p.jpg) here.")
    assert doc.links == ()
    assert blocks(doc) == ["Look here."]


def test_html_link_and_inline_tags() -> None:
    text = 'Per <a href="https://bbc.co.uk/n?a=1&amp;b=2"> the BBC </a>, <b>Reu</b>ters said.'
    doc = md(text)
    assert links(doc) == [("https://bbc.co.uk/n?a=1&b=2", "the BBC")]
    assert blocks(doc) == ["Per the BBC , Reuters said."]
    span = span_of(doc, "Reuters")
    assert span.text == "Reu</b>ters"
    assert (span.start, span.end) == (text.index("Reu"), text.index("ters") + 4)


def test_intraword_emphasis_does_not_split_the_word() -> None:
    doc = md("**Reu**ters and __The__ AP")
    assert blocks(doc) == ["Reuters and The AP"]
    span = span_of(doc, "Reuters")
    assert span.text == "Reu**ters"
    assert (span.start, span.end) == (2, 11)


def test_emphasis_markers_blanked_but_not_snake_case_or_arithmetic() -> None:
    text = "The *AP* and _Reuters_ and ~~CNN~~ saw snake_case_name, 5 * 3 and a_b_."
    doc = md(text)
    assert blocks(doc) == ["The AP and Reuters and CNN saw snake_case_name, 5 * 3 and a_b_."]
    assert doc.offsets.identity


def test_code_is_not_prose() -> None:
    text = (
        "Before `the AP said` after and ``a ` tick``.\n\n"
        "```python\nprint('Reuters reported')\n```\n\n"
        "~~~\nunclosed? no\n~~~\n\n"
        "    indented code says Reuters\n\n"
        "After.\n"
    )
    doc = md(text)
    assert blocks(doc) == ["Before after and .", "After."]
    assert "Reuters" not in doc.prose and "print" not in doc.prose
    assert len(doc.prose) == len(text) and doc.offsets.identity


def test_unclosed_fence_runs_to_the_end() -> None:
    doc = md("Intro.\n\n```\nThe AP reported\n\nmore")
    assert blocks(doc) == ["Intro."]


def test_unmatched_backticks_stay_text() -> None:
    doc = md("It`s odd `` but fine.")
    assert blocks(doc) == ["It`s odd `` but fine."]


def test_indented_lines_in_a_list_are_prose() -> None:
    text = "- item one\n\n    continued by the AP\n"
    doc = md(text)
    assert blocks(doc) == ["item one", "continued by the AP"]


def test_front_matter_yaml_and_toml() -> None:
    yaml = "---\ntitle: The AP reported\n---\nBody text.\n"
    assert blocks(md(yaml)) == ["Body text."]
    toml = '+++\ntitle = "Reuters"\n+++\n\nBody.\n'
    assert blocks(md(toml)) == ["Body."]
    not_front = "Text\n---\ntitle: x\n---\n"
    assert "title: x" in md(not_front).prose


def test_comments_are_collected_and_not_prose() -> None:
    text = "A.\n<!-- citelint: disable CL201 -->\nB <!--\n  multi\n  line -->C.\n```\n<!-- no -->\n```\n"
    doc = md(text)
    assert [c.body for c in doc.comments] == ["citelint: disable CL201", "multi\n  line"]
    first, second = doc.comments
    assert first.span.text == "<!-- citelint: disable CL201 -->"
    assert (first.span.start, first.span.line, first.span.column) == (3, 2, 1)
    assert second.span.text == "<!--\n  multi\n  line -->"
    assert (second.span.line, second.span.end_line) == (3, 5)
    assert "citelint" not in doc.prose and "multi" not in doc.prose


def test_block_quotes_are_quote_regions() -> None:
    text = "Intro.\n\n> The AP said\n> > nested too\nlazy line\n\nAfter.\n\n> second\n"
    doc = md(text)
    regions = [doc.prose[s:e] for s, e in doc.quote_regions]
    assert [" ".join(r.split()) for r in regions] == ["The AP said nested too lazy line", "second"]
    assert ">" not in doc.prose
    start, end = doc.quote_regions[0]
    span = doc.span(start, end)
    assert span.text == "The AP said\n> > nested too\nlazy line"


def test_headings_list_items_and_table_rows_are_blocks() -> None:
    text = (
        "# The AP reports #\n"
        "Body under it.\n"
        "Setext\n======\n"
        "- first item\n"
        "- second item\n"
        "  1. nested\n"
        "| Outlet | Claim |\n"
        "|--------|:-----:|\n"
        "| AP | said \\| x |\n"
        "***\n"
        "End.\n"
    )
    doc = md(text)
    assert blocks(doc) == [
        "The AP reports",
        "Body under it. Setext",
        "first item",
        "second item",
        "nested",
        "Outlet Claim",
        "AP said | x",
        "End.",
    ]
    span = span_of(doc, "nested")
    assert (span.line, span.column) == (7, 6)
    span = span_of(doc, "Claim")
    assert (span.line, span.column, span.text) == (8, 12, "Claim")


def test_hashtag_mid_line_and_without_space_is_not_a_heading() -> None:
    doc = md("Trending: #AP and\n#hashtag at the start")
    assert blocks(doc) == ["Trending: #AP and #hashtag at the start"]


def test_escapes_blank_the_backslash() -> None:
    text = "Not \\*emphasis\\* nor \\[link](x) and a hard break\\\nhere."
    doc = md(text)
    assert blocks(doc) == ["Not *emphasis* nor [link](x) and a hard break here."]
    assert doc.links == ()


def test_entities_decode_through_the_offset_map() -> None:
    text = "He said &ldquo;no&rdquo; &amp; left &#8217;twas &#x2014; &bogus; &amp"
    doc = md(text)
    assert doc.prose == "He said “no” & left ’twas — &bogus; &amp"
    span = span_of(doc, "“no”")
    assert span.text == "&ldquo;no&rdquo;"
    span = span_of(doc, "left")
    assert (span.start, span.end) == (text.index("left"), text.index("left") + 4)
    span = span_of(doc, "’twas")
    assert span.text == "&#8217;twas"


def test_entities_in_code_stay_code() -> None:
    assert "&amp;" not in md("`&amp;`").prose and "&" not in md("`&amp;`").prose


def test_crlf_markdown() -> None:
    text = "# Title\r\n\r\nThe [AP](https://ap.org) said.\r\n\r\n> quoted\r\n"
    doc = md(text)
    assert doc.text == text
    assert blocks(doc) == ["Title", "The AP said.", "quoted"]
    (link,) = doc.links
    assert (link.anchor.text, link.anchor.line, link.anchor.column) == ("AP", 3, 6)
    start, end = doc.quote_regions[0]
    assert doc.span(start, end).text == "quoted"


def test_script_and_style_in_markdown_are_not_prose() -> None:
    doc = md("Text <script>var ap = 'Reuters';</script> more <pre>AP said</pre> end.")
    assert blocks(doc) == ["Text more end."]


def test_link_text_keeps_code_and_emphasis_handling() -> None:
    doc = md("[the *AP* `x` story](https://ap.org)")
    assert links(doc) == [("https://ap.org", "the *AP* `x` story")]
    assert blocks(doc) == ["the AP story"]


def test_url_inside_link_text_is_not_a_second_link() -> None:
    doc = md("[https://ap.org](https://ap.org)")
    assert links(doc) == [("https://ap.org", "https://ap.org")]


@pytest.mark.parametrize(
    "text",
    [
        "[unclosed link(https://x.com",
        "[a](https://x.com",
        "](x) [ ] [[[",
        "> ```\n> code\nnot code",
        "<!-- unterminated comment",
        "* * not a list\n*\n**",
        "<a href='x'>unterminated anchor",
        "|a|\n|-|\n|b|\n",
        "1. \n2)\n",
    ],
)
def test_broken_markdown_loads(text: str) -> None:
    doc = md(text)
    assert len(doc.prose) >= 0
    for link in doc.links:
        assert text[link.anchor.start : link.anchor.end] == link.anchor.text


def test_html_block_tags_in_markdown_separate_blocks() -> None:
    text = "<p>Said reporters.</p><p>The AP</p>"
    doc = md(text)
    assert blocks(doc) == ["Said reporters.", "The AP"]
    span = span_of(doc, "AP")
    assert span.start == text.index("AP")


def test_footnotes_are_not_reference_definitions() -> None:
    doc = md("Claim.[^1]\n\n[^1]: Reuters\n")
    assert doc.links == ()
    assert "Reuters" in doc.prose
