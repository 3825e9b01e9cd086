"""Page text for quote checking: block-aware visible text, JSON-LD articleBody, charsets."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from citelint.verify.pagetext import PageText, page_text

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"


def html(markup: str) -> PageText:
    return page_text(markup.encode("utf-8"), "text/html", "utf-8")


# -- visible text ------------------------------------------------------------------------


def test_blocks_never_glue_and_inline_markup_never_splits_a_word() -> None:
    page = html("<p>Said reporters.</p><p>The <b>Reu</b>ters desk<br>agreed.</p><div>Next</div>")
    assert page.text == "Said reporters.\nThe Reuters desk\nagreed.\nNext"


@pytest.mark.parametrize(
    "markup, text",
    [
        ("<ul><li>One</li><li>Two</li></ul>", "One\nTwo"),
        ("<table><tr><th>Vote</th><td>7</td></tr><tr><td>Against</td><td>2</td></tr></table>",
         "Vote\n7\nAgainst\n2"),
        ("<h1>Head</h1>line<hr>rule", "Head\nline\nrule"),
        ("<dl><dt>Term</dt><dd>Meaning</dd></dl>", "Term\nMeaning"),
        ("<figure><img src=x><figcaption>Caption</figcaption></figure>after", "Caption\nafter"),
        ("<p>one\n   two\tthree</p>", "one two three"),  # source newlines are spaces
        ("<pre>line one\n  line two</pre>", "line one\nline two"),  # except inside <pre>
        ("<span>a</span> <span>b</span><i>c</i>", "a bc"),
    ],
)
def test_block_boundaries(markup: str, text: str) -> None:
    assert html(markup).text == text


def test_invisible_elements_are_skipped_and_nav_is_kept() -> None:
    page = html(
        "<html><head><title>T</title><style>p{}</style><script>var s='talks in Paris'</script>"
        "</head><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
        "<noscript>Enable JS</noscript><template><p>later</p></template>"
        "<svg><title>icon</title><text>svg text</text></svg><iframe>frame</iframe>"
        "<object>obj</object><canvas>drawing</canvas><!-- a comment -->"
        "<p>Body</p></body></html>"
    )
    assert page.text == "Home World\nBody"
    assert page.title == "T"


def test_entities_are_decoded_once() -> None:
    page = html("<p>&ldquo;No,&rdquo; said AP&rsquo;s desk &amp; &amp;lt;b&amp;gt; &#8212; a&nbsp;b")
    assert page.text == "“No,” said AP’s desk & &lt;b&gt; — a b"


def test_a_bare_charref_does_not_swallow_the_rest_of_the_page() -> None:
    # html.parser alone turns everything after "&#;" into text, tags included.
    page = html("<p>a &#; b &# c &amp; d</p><p>next</p>")
    assert page.text == "a &#; b &# c & d\nnext"


def test_invisible_characters_stay_in_the_text() -> None:
    # Matching normalises them; the text keeps what the page has.
    page = html("<p>inter&shy;island com&#8203;ment</p>")
    assert page.text == "inter\u00adisland com\u200bment"


def test_deep_nesting_does_not_overflow() -> None:
    page = html("<div>" * 10_000 + "deep <b>text</b>" + "</div>" * 10_000 + "<p>after</p>")
    assert page.text == "deep text\nafter"
    unclosed = html("<p><span>" * 10_000 + "still here")
    assert unclosed.text == "still here"


def test_title_is_collapsed_and_absent_title_is_none() -> None:
    assert html("<title>\n  Ferry   news </title><p>x</p>").title == "Ferry news"
    assert html("<p>x</p>").title is None


# -- JSON-LD ------------------------------------------------------------------------------

LD = '<script type="application/ld+json">{}</script>'


def test_article_body_inside_graph() -> None:
    data = '{"@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle", "articleBody": "In it."}]}'
    assert html(LD.format(data)).json_ld_body == "In it."


def test_invalid_json_is_skipped_and_other_scripts_still_read() -> None:
    markup = LD.format('{"articleBody": "broken",}') + LD.format('[{"articleBody": "Good."}]')
    assert html(markup).json_ld_body == "Good."


@pytest.mark.parametrize(
    "data, body",
    [
        ('{"@type": "ReportageNewsArticle", "articleBody": "A.\nB  c."}', "A.\nB c."),
        ('{"mainEntity": {"hasPart": [{"articleBody": "Nested deep."}]}}', "Nested deep."),
        ('{"articleBody": "<p>Tag &amp; <b>bold</b></p><p>Second</p>"}', "Tag & bold\nSecond"),
        ('{"articleBody": "Caf&eacute; &#8220;quoted&#8221;"}', "Café “quoted”"),
        ('{"articleBody": ["Part one.", "Part two."]}', "Part one.\nPart two."),
        ('{"headline": "No body here"}', None),
        ("[" * 5000 + "]" * 5000, None),  # too deep for the json module: skipped, not raised
    ],
)
def test_article_body_forms(data: str, body: str | None) -> None:
    assert html(LD.format(data)).json_ld_body == body


def test_json_ld_type_with_parameters_and_other_scripts_ignored() -> None:
    markup = (
        '<script type="Application/LD+JSON; charset=utf-8">{"articleBody": "Found."}</script>'
        '<script type="application/json">{"articleBody": "Not JSON-LD."}</script>'
    )
    assert html(markup).json_ld_body == "Found."


# -- decoding --------------------------------------------------------------------------------

CP1252_PAGE = "<p>\u201cCaf\u00e9\u201d \u2014 na\u00efve</p>"
CP1252_TEXT = "\u201cCaf\u00e9\u201d \u2014 na\u00efve"


def test_http_charset_is_used() -> None:
    assert page_text(CP1252_PAGE.encode("cp1252"), "text/html", "windows-1252").text == CP1252_TEXT


def test_meta_charset_when_the_header_has_none() -> None:
    body = ('<meta charset="windows-1252">' + CP1252_PAGE).encode("cp1252")
    assert page_text(body, "text/html", None).text == CP1252_TEXT


def test_http_equiv_charset() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    body = meta + CP1252_PAGE
    assert page_text(body.encode("cp1252"), "text/html", None).text == CP1252_TEXT


def test_a_wrong_http_charset_falls_back_to_the_meta_charset() -> None:
    body = ('<meta charset="windows-1252">' + CP1252_PAGE).encode("cp1252")
    assert page_text(body, "text/html", "utf-8").text == CP1252_TEXT  # not valid UTF-8
    assert page_text(body, "text/html", "no-such-charset").text == CP1252_TEXT


def test_latin1_labels_mean_windows_1252() -> None:
    assert page_text(CP1252_PAGE.encode("cp1252"), "text/html", "ISO-8859-1").text == CP1252_TEXT


def test_a_bom_wins_over_the_http_charset() -> None:
    body = codecs.BOM_UTF8 + CP1252_PAGE.encode("utf-8")
    assert page_text(body, "text/html", "iso-8859-1").text == CP1252_TEXT
    utf16 = codecs.BOM_UTF16_LE + CP1252_PAGE.encode("utf-16-le")
    assert page_text(utf16, "text/html", None).text == CP1252_TEXT


def test_a_utf16_meta_label_in_an_ascii_readable_page_means_utf8() -> None:
    body = ('<meta charset="utf-16">' + CP1252_PAGE).encode("utf-8")
    assert page_text(body, "text/html", None).text == CP1252_TEXT


def test_undecodable_bytes_with_no_declaration_are_replaced_not_raised() -> None:
    assert page_text(b"<p>caf\xe9 \xff ok</p>", "text/html", None).text == "caf\ufffd \ufffd ok"
    assert page_text(b"<p>caf\xe9</p>", "text/html", "utf-8").text == "caf\ufffd"


# -- content types ---------------------------------------------------------------------------


def test_plain_text_is_decoded_and_returned_line_by_line() -> None:
    body = "First  line\u00a0here\r\n\r\n\u201cSecond\u201d line\n".encode("cp1252")
    page = page_text(body, "text/plain", "windows-1252")
    assert page == PageText("First line here\n\u201cSecond\u201d line", None, None)


def test_other_types_give_empty_text() -> None:
    assert page_text(b"%PDF-1.7 ...", "application/pdf", None) == PageText("", None, None)


def test_without_a_content_type_markup_is_sniffed() -> None:
    assert page_text(b"  <p>a</p><p>b</p>", None, None).text == "a\nb"
    assert page_text(b"just words", None, None).text == "just words"


def test_media_type_parameters_and_case_are_ignored() -> None:
    assert page_text(b"<p>x</p>", "Text/HTML; charset=utf-8", None).text == "x"


# -- fixture pages --------------------------------------------------------------------------


def test_article_fixture() -> None:
    page = page_text((PAGES / "ferry-article.html").read_bytes(), "text/html", None)
    lines = page.text.split("\n")
    assert lines[:3] == ["Home", "News", "Sport"]  # nav is visible text
    assert "The ferry will close in March" not in page.text  # script
    assert "font-weight" not in page.text  # style
    assert "The operator, Gull Line & Sons, had asked for a subsidy of £40,000." in page.text
    assert "told Reuters reporters" in page.text
    blockquote = (
        "The vote was close, but the inter\u00adisland service stays."
        " Nobody wanted to be the one who ended it."
    )
    assert blockquote in lines  # its own line, soft hyphen kept
    assert page.title == "Elvery council keeps the night ferry – for now | The Elvery Tide"
    assert page.json_ld_body is not None  # from @graph; the unterminated second script is skipped
    assert page.json_ld_body.startswith("PORT ELVERY - The town council voted on Thursday")
    assert page.json_ld_body.endswith("would publish its fuel costs every quarter.")


def test_js_built_fixture_has_its_text_only_in_json_ld() -> None:
    page = page_text((PAGES / "js-built.html").read_bytes(), "text/html", None)
    assert page.text == ""  # the <noscript> notice is not text; the body is built by script
    assert page.title == "Quarry inquiry opens"
    assert page.json_ld_body == (
        "BRACKMOOR \u2013 A public inquiry into the Brackmoor quarry extension opened on Monday.\n"
        "\u201cWe are asking for a pause, not a ban,\u201d said Oskar Venn"
        " of the residents\u2019 group."
    )


def test_windows_1252_fixture() -> None:
    page = page_text((PAGES / "rates-cp1252.html").read_bytes(), "text/html", None)
    assert page.title == "Caf\u00e9 owners win rates appeal"
    assert "\u201cIt\u2019s a fair result for a small street,\u201d said R\u00e9ka" in page.text


def test_a_page_of_millions_of_elements_is_refused_quickly() -> None:
    import time

    from citelint.verify.pagetext import PageTextError

    bomb = b"<html><body>" + b"<b>x</b>" * 2_500_000 + b"</body></html>"  # 20 MB, as a 30 kB gzip would expand
    started = time.monotonic()
    with pytest.raises(PageTextError, match="more than 250,000 elements"):
        page_text(bomb, "text/html", None)
    assert time.monotonic() - started < 10  # a generous bound: it takes a fraction of a second


def test_a_page_read_past_its_time_allowance_is_refused() -> None:
    from citelint.verify.pagetext import PageTextError

    long_page = ("<p>" + "The board met again. " * 50 + "</p>") * 2000  # 2 MB, 4,000 elements
    assert "The board met again." in page_text(long_page.encode(), "text/html", None).text
    with pytest.raises(PageTextError, match="took longer than allowed"):
        page_text(long_page.encode(), "text/html", None, seconds=0.0)


def test_many_elements_under_the_cap_are_read() -> None:
    page = "<ul>" + "".join(f"<li>item {i}</li>" for i in range(100_000)) + "</ul>"
    text = page_text(page.encode(), "text/html", None).text
    assert text.startswith("item 0\nitem 1\n") and text.endswith("item 99999")


@pytest.mark.parametrize("body", [b"", b" ", b"<!-- only a comment -->", b"<html></html>", b"<script>x()</script>"])
def test_empty_and_degenerate_pages_give_empty_text(body: bytes) -> None:
    assert page_text(body, "text/html", None).text == ""


def test_the_flat_text_is_the_lines_joined_by_spaces() -> None:
    """Exact matching searches ``flat``, made with the lines: it must be the page's text with
    every run of white space (line breaks included) one space, whatever the markup."""
    markup = ("<html><body><nav><ul>" + "".join(f"<li><a href=/{k}>Teaser {k}</a></li>" for k in range(40)) + "</ul></nav>"
              "<article><h1>  Quay \\t closes </h1><p>First&nbsp;line,\\n  wrapped\\r\\n here.</p><p>\\u2003</p>"
              "<pre>kept\\n  as   is</pre><p>a<br>b<br><br>c</p><table><tr><td>x</td><td> y </td></tr></table>"
              "<p>“Quoted”\\u2028words</p></article></body></html>")
    for body, media in ((markup.encode(), "text/html"), ("  one\\n\\n\\ttwo  three \\n".encode(), "text/plain")):
        page = page_text(body, media, "utf-8")
        assert page.flat == " ".join(page.text.split())
        assert page.flat
