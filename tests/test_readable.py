"""Which pages hold no article text to check a quote against, with near misses that do."""
from __future__ import annotations

import pytest

from citelint.verify.pagetext import PageText
from citelint.verify.readable import no_article_text

REPORT = ("The harbour board met on Friday to discuss the sale of the pier. Members said the buyers had offered "
          "more than expected, and the chair told reporters the vote would be held next month after a public "
          "meeting in the old customs house, where residents can put questions to the board.")  # 52 words


@pytest.mark.parametrize(("text", "json_ld", "words"), [
    ("", None, "no article text (an empty body"),
    ("Loading…", None, "almost no text (1 words)"),
    ("You need to enable JavaScript to run this app.", None, "built by scripts"),
    ("We value your privacy\nWe and our partners use cookies to personalise content.\nAccept all\nManage cookies",
     None, "consent or cookie wall"),
    ("Before you continue\nWe use cookies and data to deliver our services. If you choose to accept all, we will "
     "also use cookies to develop new services.\nReject all\nAccept all", None, "consent or cookie wall"),
])
def test_pages_without_article_text(text: str, json_ld: str | None, words: str) -> None:
    reason = no_article_text(PageText(text, None, json_ld))
    assert reason is not None and words in reason


@pytest.mark.parametrize(("text", "json_ld"), [
    (REPORT, None),  # a short report is still a report
    ("", REPORT),  # a script-built page whose JSON-LD articleBody holds the report
    (REPORT + " The bakery on the quay said its cookies sold out; the baker would not accept all the orders.", None),
    ("Cookie policy\n" + " ".join([REPORT] * 9) + " Accept all cookies", None),  # a long article with a cookie bar
])
def test_pages_with_article_text(text: str, json_ld: str | None) -> None:
    assert no_article_text(PageText(text, None, json_ld)) is None
