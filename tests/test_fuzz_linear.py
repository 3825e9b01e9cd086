"""Fuzzing for super-linear time: hypothesis builds repetitive, adversarial articles (a few
tricky fragments repeated to about 200 KB, in every format) and each must be checked within
a per-byte budget. The budget is generous (80x slower per byte than normal prose, plus two
seconds, for a loaded 2-core machine; the slowest of 300 examples took 0.5 s); a quadratic
path on 200 KB of repetition still blows through it (before the fixes of issue 15, a
million "." took hours, 40 KB of "according to" 2 s and so 200 KB about a minute)."""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citelint.check import Checker
from citelint.extract import NotProse
from citelint.guard import OverBudget, time_budget
from citelint.load import load_text
from citelint.registry import load_registry

SIZE = 200_000
SECONDS_PER_BYTE = 40e-6
BASE_SECONDS = 2.0
FRAGMENTS = [
    "reportedly ", "according to ", "said ", "says ", "told ", "Critics say ", "sources said ", "It was reported ",
    ".", ". ", "!", "?", ",", ";", "—", "–", "-", "(", ")", "[", "]", "](", "“", "”", "‘", "’", '"', "'", "''", "«", "»",
    "Mr. ", "U.S. ", "A. ", "the Times ", "The AP ", "Reuters ", "the newspaper ", "the Harbour Gazette's report ",
    "a report by the ", "in an interview with ", "who ", "that ", "and ", " ", "  ", "\n", "\n\n", "\t", "\r\n",
    "https://apnews.com/a/1", "http://x.example/(y)", "<b>", "</b>", "<p>", "</p>", "<a href='https://apnews.com/x'>",
    "</a>", "<q>", "</q>", "<blockquote>", "<!--", "-->", "<!-- citelint: disable CL201 -->", "&amp;", "&#x201c;",
    "> ", "# ", "* ", "*", "_", "`", "```\n", "    ", "| a | b |\n", "---\n", "[AP](https://apnews.com/x) ",
    "[1]: https://apnews.com/r\n", "<https://apnews.com/auto>", "WASHINGTON (AP) — ", "Source: Reuters\n",
    "x", "Word ", "0", "é", "\u202e", "\x1b[5m",
]
units = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map("".join)


@pytest.fixture(scope="module")
def checker() -> Checker:
    checker = Checker(load_registry([]))
    checker.check(load_text("The AP reported that the pier was sold.", "warm", "text"))  # compile the lexicon now
    return checker


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(first=units, second=units, mix=st.booleans(), fmt=st.sampled_from(["text", "markdown", "html"]))
def test_repetitive_input_is_checked_in_linear_time(checker: Checker, first: str, second: str, mix: bool, fmt: str) -> None:
    unit = first + second if mix else first
    text = (unit * (SIZE // len(unit) + 1))[:SIZE]
    budget = BASE_SECONDS + SECONDS_PER_BYTE * len(text.encode("utf-8"))
    started = time.perf_counter()
    try:
        with time_budget(budget):  # a hang fails this example now, not the CI job later
            document = load_text(text, "fuzz", fmt)
            checker.check(document)
    except NotProse:
        pass  # refused as not prose: fine, as long as that was quick too
    except OverBudget:
        pytest.fail(f"{fmt} of {unit!r} repeated: over {budget:.1f} s for {len(text)} characters")
    elapsed = time.perf_counter() - started
    assert elapsed <= budget, f"{fmt} of {unit!r} repeated: {elapsed:.1f} s for {len(text)} characters"
