"""Whether a fetched page holds article text at all: a page built by scripts, a consent wall
or an empty body cannot show that a quote is missing from the report it stands for."""
from __future__ import annotations

import itertools
import re

from citelint.verify.pagetext import PageText

# Under this many words of visible text (and no JSON-LD articleBody), a page is a shell.
# The shortest real report pages seen in the fixtures and the accuracy benchmark have ~60.
MIN_WORDS = 40
# A consent or cookie wall can be long, but says so and little else.
CONSENT_MAX_WORDS = 400
_CONSENT = re.compile(r"\b(?:cookies?|consent|privacy (?:settings|choices|preferences))\b", re.I)
# A consent wall has buttons: a line that is only "Accept all", "Reject all", "I agree" …
_ACCEPT = re.compile(r"^\s*(?:(?:accept|agree|allow|reject|manage|refuse)(?: all| all cookies| cookies| and continue)?|i agree|i accept)\s*$",
                     re.I | re.M)
_SCRIPTS = re.compile(r"\b(?:enable|turn on|requires?) javascript\b|\bjavascript (?:is )?(?:disabled|required)\b", re.I)
_WORD = re.compile(r"\w+")


def no_article_text(page: PageText) -> str | None:
    """Why ``page`` has no article text to check quotes against, or None when it has some."""
    if page.json_ld_body and _words(page.json_ld_body, MIN_WORDS) >= MIN_WORDS:
        return None
    words = _words(page.text, CONSENT_MAX_WORDS)  # only counts under CONSENT_MAX_WORDS matter
    if words == 0:
        return "the page has no article text (an empty body, or a page built by scripts)"
    if words < CONSENT_MAX_WORDS and _CONSENT.search(page.text) and _ACCEPT.search(page.text):
        return "the page is a consent or cookie wall, not the article"
    if words < MIN_WORDS:
        if _SCRIPTS.search(page.text):
            return f"the page has no article text (built by scripts: {words} words without them)"
        return f"the page has almost no text ({words} words): not enough to show a quote is missing"
    return None


def _words(text: str, most: int) -> int:
    """The number of words in ``text``, counted up to ``most`` (a page can be megabytes)."""
    return sum(1 for _ in itertools.islice(_WORD.finditer(text), most))
