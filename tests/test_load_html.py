"""HTML loading: tags and entities mapped, non-prose elements dropped, links/quotes found."""
from __future__ import annotations


import pytest

from loadhelpers import blocks, span_of

from citelint.load import load_text
from citelint.model import Document


def page(text: str) -> Document:
    return load_text(text, "a.html", "html")




def test_blocks_never_glue_and_inline_tags_never_split() -> None:
    doc = page("<p>Said reporters.</p><p>The <b>Reu</b>ters desk<br>agreed.</p><div>Next</div>")
    assert blocks(doc) == ["Said reporters.", "The Reuters desk agreed.", "Next"]
    assert "\n\n" in doc.prose[doc.prose.index("reporters.") :]
    assert "desk\nagreed" in doc.prose


def test_word_span_maps_to_the_original_through_tags() -> None:
    text = "<html>\n<body>\n<p>The <b>Reu</b>ters report</p>\n</body></html>"
    doc = page(text)
    span = span_of(doc, "Reuters")
    assert span.text == "Reu</b>ters"
    assert (span.start, span.end) == (text.index("Reu"), text.index("ters") + 4)
    assert (span.line, span.column, span.end_line, span.end_column) == (3, 11, 3, 22)
    span = span_of(doc, "report")
    assert (span.start, span.text, span.line, span.column) == (text.index("report"), "report", 3, 23)


def test_entities_decode_and_map() -> None:
    text = "<p>&ldquo;No,&rdquo; said the AP&#8217;s desk &amp; &#x2014; &nbsp;x &bogus; &amp no;</p>"
    doc = page(text)
    assert blocks(doc) == ["“No,” said the AP’s desk & — x &bogus; &amp no;"]
    span = span_of(doc, "“No,”")
    assert span.text == "&ldquo;No,&rdquo;"
    span = span_of(doc, "AP’s")
    assert span.text == "AP&#8217;s"
    assert "\xa0" in doc.prose


def test_non_prose_elements_are_absent() -> None:
    text = (
        "<!DOCTYPE html><html><head><title>AP title</title><meta charset='utf-8'>"
        "<style>p { color: red }</style></head><body>"
        "<script>var said = 'Reuters reported';</script>"
        "<p>Visible <code>the AP said</code> text.</p>"
        "<pre>pre <p>Reuters</p> text</pre>"
        "<template>AP</template><noscript>AP</noscript><svg><text>AP</text></svg>"
        "<textarea>AP</textarea><select><option>AP</option></select><button>AP</button>"
        "<?php echo 'AP'; ?><![CDATA[ AP ]]>"
        "<p>End.</p></body></html>"
    )
    doc = page(text)
    assert blocks(doc) == ["Visible text.", "End."]


def test_attribute_values_are_not_prose() -> None:
    doc = page('<p title="The AP reported">Body <img alt="Reuters photo" src="x.jpg"> text</p>')
    assert blocks(doc) == ["Body text"]


def test_links_with_anchor_spans() -> None:
    text = (
        '<p>Per <a href=" https://apnews.com/a?x=1&amp;y=2 "> the AP </a>, and '
        "<a href='https://bbc.co.uk/n'><b>BBC</b> News</a>, "
        '<a href="https://empty.example/"></a> and <a name="anchor">no href</a>.</p>'
    )
    doc = page(text)
    assert [(link.url, link.anchor.text) for link in doc.links] == [
        ("https://apnews.com/a?x=1&y=2", "the AP"),
        ("https://bbc.co.uk/n", "<b>BBC</b> News"),
        ("https://empty.example/", '<a href="https://empty.example/">'),
    ]
    first = doc.links[0].anchor
    assert first.start == text.index("the AP")
    for link in doc.links:
        assert text[link.anchor.start : link.anchor.end] == link.anchor.text


def test_unclosed_anchor_ends_at_the_block() -> None:
    text = '<p>See <a href="https://x.com">the report</p><p>Next para</p>'
    doc = page(text)
    assert [(link.url, link.anchor.text) for link in doc.links] == [("https://x.com", "the report")]


def test_comments_are_collected() -> None:
    text = "<p>A</p>\n<!-- citelint: disable CL201 -->\n<p>B<!--x--></p>"
    doc = page(text)
    assert [c.body for c in doc.comments] == ["citelint: disable CL201", "x"]
    comment = doc.comments[0]
    assert comment.span.text == "<!-- citelint: disable CL201 -->"
    assert (comment.span.line, comment.span.column) == (2, 1)
    assert "citelint" not in doc.prose


def test_blockquote_and_q_are_quote_regions() -> None:
    text = (
        "<p>Intro.</p><blockquote><p>The AP said <blockquote>nested</blockquote> so.</p>"
        "</blockquote><p>He called it <q>a mess</q>.</p>"
    )
    doc = page(text)
    regions = [" ".join(doc.prose[s:e].split()) for s, e in doc.quote_regions]
    assert regions == ["The AP said nested so.", "a mess"]
    start, end = doc.quote_regions[1]
    assert doc.span(start, end).text == "a mess"


def test_unclosed_blockquote_runs_to_the_end() -> None:
    doc = page("<p>a</p><blockquote>quoted to the end")
    ((start, end),) = doc.quote_regions
    assert doc.prose[start:end].strip() == "quoted to the end"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>a < b and c > d</p>", ["a < b and c > d"]),
        ("<p>1 <2 & 3</p>", ["1 <2 & 3"]),
        ("<p>Q&#A about &#; and &#x;</p><p>after</p>", ["Q&#A about &#; and &#x;", "after"]),
        ("<p>stray</p></p></div><p>fine</p>", ["stray", "fine"]),
        ("<p>unclosed <b>bold <i>italic", ["unclosed bold italic"]),
        ("<p>x</p><!-- never closed", ["x"]),
        ('<p>x</p><div class="never', ["x"]),
        ("<p>x</> y</p>", ["x y"]),
        ("<![if !IE]><p>x</p><![endif]>", ["x"]),
        ("<![foo[ bar ]]><p>ok</p>", ["ok"]),
        ("<p class=unquoted id=a>text</p>", ["text"]),
        ("<P>Upper</P><DIV>Case</DIV>", ["Upper", "Case"]),
        ("<p>Use <code>x</p><p>The AP said</p>", ["Use", "The AP said"]),
        ("<head><title>t</title><p>body without body tag</p>", ["body without body tag"]),
    ],
)
def test_broken_html_never_crashes_and_text_stays_text(text: str, expected: list[str]) -> None:
    assert blocks(page(text)) == expected


def test_html_nested_ten_thousand_deep() -> None:
    depth = 10_000
    text = "<div><b>" * depth + "The AP said." + "</b></div>" * depth
    doc = page(text)
    assert blocks(doc) == ["The AP said."]
    span = span_of(doc, "AP")
    assert span.start == text.index("AP")


def test_quotes_nested_ten_thousand_deep() -> None:
    text = "<blockquote>" * 10_000 + "deep" + "</blockquote>" * 10_000
    doc = page(text)
    ((start, end),) = doc.quote_regions
    assert doc.prose[start:end].strip() == "deep"


def test_crlf_html() -> None:
    text = "<p>One.</p>\r\n\r\n<p>The AP\r\nsaid.</p>\r\n"
    doc = page(text)
    span = span_of(doc, "said")
    assert (span.line, span.column) == (4, 1)
    assert blocks(doc) == ["One.", "The AP said."]
