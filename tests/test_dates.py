"""Publication dates as pages and front matter write them, made "YYYY-MM-DD" (or nothing)."""
from __future__ import annotations

import datetime

import pytest

from citelint.dates import front_matter_date, published, timestamp
from citelint.load import load_text


@pytest.mark.parametrize(("value", "expected"), [
    ("2019-03-05", "2019-03-05"),
    ("2019-03-05T14:02:00Z", "2019-03-05"),
    ("2019-03-05T14:02:00.123+05:30", "2019-03-05"),
    ("2019-03-05 14:02", "2019-03-05"),
    (' "2019-03-05" ', "2019-03-05"),
    (datetime.date(2019, 3, 5), "2019-03-05"),
    (datetime.datetime(2019, 3, 5, 23, 59), "2019-03-05"),
    # near misses: not a date, an impossible one, another form, too long, not text
    ("2019-02-30", None), ("05/03/2019", None), ("March 5, 2019", None), ("2019-3-5", None),
    ("2019-03-05T14:02:00Z and more words", None), ("2019-03-05" + " " * 100, None), (20190305, None), (None, None),
])
def test_published(value: object, expected: str | None) -> None:
    assert published(value) == expected


def test_timestamp_is_the_wayback_form() -> None:
    assert timestamp("2019-03-05") == "20190305"


def test_front_matter_keys_in_order_of_preference() -> None:
    assert front_matter_date("---\ntitle: Date night: a review\nupdated: 2020-01-01\npublished: 2019-03-05\n---\n") == "2019-03-05"
    assert front_matter_date("---\npublished: 2018-01-01\ndate: 2019-03-05\n---\n") == "2019-03-05"  # date first
    assert front_matter_date("---\ndate: soon\npublished: 2019-03-05\n---\n") == "2019-03-05"  # a bad date is passed over
    assert front_matter_date("---\n  date: 2019-03-05\n---\n") is None  # nested (indented) keys are not the article's
    assert front_matter_date("---\ntitle: x\n---\n") is None


def test_documents_carry_their_date() -> None:
    md = load_text("---\ndate: 2019-03-05\n---\n\nThe council said it would vote.\n", "a.md", "markdown")
    assert md.published == "2019-03-05"
    assert load_text("date: 2019-03-05\n\nThe council said it would vote.\n", "a.md", "markdown").published is None  # no front matter
    html = ('<html><head><meta name="date" content="2016-01-01"><meta property="article:published_time" '
            'content="2019-03-05T10:00:00Z"></head><body><p>The council said it would vote.</p></body></html>')
    assert load_text(html, "a.html", "html").published == "2019-03-05"  # the article's own date wins
    assert load_text("<p>The council said it would vote.</p>", "a.html", "html").published is None
    assert load_text("2019-03-05\n\nThe council said it would vote.", "a.txt", "text").published is None
