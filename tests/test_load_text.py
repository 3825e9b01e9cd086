"""Plain-text loading: prose is the text, bare URLs are links and not prose."""
from __future__ import annotations

import pytest
from loadhelpers import span_of

from citelint.load import format_for, load_text


def test_prose_is_the_text_and_the_map_is_the_identity() -> None:
    text = "The AP reported on Monday.\n\nReuters said nothing.\n"
    doc = load_text(text, "a.txt", "text")
    assert doc.format == "text"
    assert doc.prose == text
    assert doc.offsets.identity
    assert doc.links == () and doc.comments == () and doc.quote_regions == ()


def test_word_span_has_original_offsets_and_one_based_position() -> None:
    text = "First line.\nThe AP said, according to Reuters.\n"
    doc = load_text(text, "a.txt", "text")
    span = span_of(doc, "Reuters")
    assert (span.start, span.end) == (38, 45)
    assert span.text == "Reuters"
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 27, 2, 34)


def test_bare_url_is_a_link_anchored_on_itself_and_blanked() -> None:
    text = "Read it at https://apnews.com/article/x-1. Then more."
    doc = load_text(text, "a.txt", "text")
    (link,) = doc.links
    assert link.url == "https://apnews.com/article/x-1"
    assert (link.anchor.start, link.anchor.end) == (11, 41)
    assert link.anchor.text == text[11:41]
    assert "apnews" not in doc.prose
    assert doc.prose == "Read it at " + " " * 30 + ". Then more."
    assert doc.offsets.identity


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("(see https://x.com/a)", "https://x.com/a"),
        ("see https://en.wikipedia.org/wiki/Foo_(bar).", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("“https://x.com/q?a=1”, he said", "https://x.com/q?a=1"),
        ("at https://x.com/p!?", "https://x.com/p"),
        ("'http://x.org/a';", "http://x.org/a"),
        ("HTTPS://X.COM/A is shouted", "HTTPS://X.COM/A"),
    ],
)
def test_trailing_punctuation_is_not_part_of_the_url(text: str, url: str) -> None:
    doc = load_text(text, "a.txt", "text")
    assert [link.url for link in doc.links] == [url]
    assert doc.links[0].anchor.text == url


@pytest.mark.parametrize("text", ["ftp://x.com/a", "xhttps://x.com", "a http:// b", "mail@https://x"])
def test_near_misses_are_not_urls(text: str) -> None:
    assert load_text(text, "a.txt", "text").links == ()


def test_crlf_text_keeps_crlf_and_positions() -> None:
    text = "Intro.\r\n\r\nThe AP reported https://ap.org/x\r\n"
    doc = load_text(text, "a.txt", "text")
    assert doc.text == text
    span = span_of(doc, "AP")
    assert (span.line, span.column) == (3, 5)
    (link,) = doc.links
    assert link.anchor.text == "https://ap.org/x"
    assert (link.anchor.line, link.anchor.column) == (3, 17)
    assert "\r\n\r\n" in doc.prose


def test_format_for_suffixes() -> None:
    assert format_for("a/b.MD") == "markdown"
    assert format_for("x.markdown") == "markdown"
    assert format_for("x.htm") == "html"
    assert format_for("x.html") == "html"
    assert format_for("x.txt") == "text"
    assert format_for("notes.rst") == "text"
    assert format_for("-") == "text"


def test_unknown_format_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown format 'rtf'"):
        load_text("x", "a.rtf", "rtf")
