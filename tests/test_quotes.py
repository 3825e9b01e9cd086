"""Quote matching: exact, normalized, altered and missing, on pages written for these tests."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from citelint.verify.model import QuoteMatch, QuoteResult
from citelint.verify.pagetext import PageText, page_text
from citelint.verify.quotes import match_quote

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"
EXACT, NORMALIZED = QuoteResult.EXACT, QuoteResult.NORMALIZED
ALTERED, MISSING = QuoteResult.ALTERED, QuoteResult.MISSING
STRANDED = "We will not leave the island’s night workers stranded"


@pytest.fixture(scope="module")
def ferry() -> PageText:
    return page_text((PAGES / "ferry-article.html").read_bytes(), "text/html", None)


def check(quote: str, page: PageText) -> QuoteMatch:
    found = match_quote(quote, page)
    assert found.text == quote
    return found


@pytest.mark.parametrize(
    "quote",
    [
        "We will not leave the island’s night workers stranded",
        "“We will not leave the island’s night workers stranded,”",  # marks and comma: the writer's
        "We will not leave the island’s night workers stranded.",
        "Gull Line &amp; Sons",  # entities in the quote are decoded once
        "Its director told Reuters reporters that the fuel bill had doubled.",  # <b>Reu</b>ters
        "“Ask him about the numbers”",
    ],
)
def test_exact(ferry: PageText, quote: str) -> None:
    found = check(quote, ferry)
    assert (found.result, found.score, found.weak) == (EXACT, 100.0, False)


def test_exact_reports_the_page_words() -> None:
    page = PageText("She said the talks, held in London, were over.", None, None)
    found = check("the talks, held in London,", page)
    assert (found.result, found.source_excerpt) == (EXACT, "the talks, held in London")


@pytest.mark.parametrize(
    "quote, excerpt",
    [
        # straight apostrophe for the page's curly one
        ("We will not leave the island's night workers stranded",
         "We will not leave the island’s night workers stranded"),
        ("the TOWN council voted on thursday", "The town council voted on Thursday"),  # case
        ("The crossing is their only way home - every single night",  # hyphen for an em dash
         "The crossing is their only way home — every single night"),
        ("The crossing is their only way home--every single night",
         "The crossing is their only way home — every single night"),
        # a soft hyphen on the page ("inter&shy;island"); the excerpt leaves it out
        ("but the interisland service stays", "but the interisland service stays"),
        ("who declined to comment", "who declined to comment"),  # zero-width space on the page
        # quotes nested in the writer's own flip from double to single
        ("‘We will not leave the island’s night workers stranded,’ said Councillor Maren Tollis",
         "We will not leave the island’s night workers stranded,” said Councillor Maren Tollis"),
    ],
)
def test_normalized(ferry: PageText, quote: str, excerpt: str) -> None:
    found = check(quote, ferry)
    assert (found.result, found.score, found.source_excerpt) == (NORMALIZED, 100.0, excerpt)


@pytest.mark.parametrize(
    "quote",
    [
        f"{STRANDED} … The crossing is their only way home",
        f"{STRANDED} ... every single night",
        f"{STRANDED}. . . the transport committee",
        f"{STRANDED} [...] every single night",
        f"{STRANDED}, […] said Councillor Maren Tollis",
    ],
)
def test_ellipsis_fragments_in_order(ferry: PageText, quote: str) -> None:
    assert check(quote, ferry).result == NORMALIZED


def test_ellipsis_fragments_out_of_order_are_not_normalized(ferry: PageText) -> None:
    quote = f"The crossing is their only way home … {STRANDED}"
    assert check(quote, ferry).result in (ALTERED, MISSING)


def _gap_page(words: int) -> PageText:
    filler = " ".join(f"filler{i}" for i in range(words))
    return PageText(f"The council met on Monday. {filler} The budget was approved.", None, None)


def test_ellipsis_gap_of_sixty_words_is_allowed_and_sixty_one_is_not() -> None:
    quote = "The council met on Monday … The budget was approved"
    assert check(quote, _gap_page(60)).result == NORMALIZED
    assert check(quote, _gap_page(61)).result != NORMALIZED


@pytest.mark.parametrize(
    "quote",
    [
        "“Ask [Pell] about the numbers,”",  # "him" on the page
        "Ask [the treasurer, Tomas Pell,] about the numbers",
        "[T]he fuel bill had doubled",  # "the" on the page
        "Its director told Reuters reporters that [t]he fuel bill had doubled",
        "the fuel bill had doubled [sic]",
        "[The] operator, Gull Line & Sons, had asked for a subsidy",  # a leading substitution
    ],
)
def test_brackets(ferry: PageText, quote: str) -> None:
    assert check(quote, ferry).result == NORMALIZED


def test_a_bracket_stands_for_at_most_five_words() -> None:
    page = PageText("He told one two three four five six people to leave at once.", None, None)
    assert check("He told [them] people to leave at once", page).result != NORMALIZED
    page = PageText("He told one two three four five people to leave at once.", None, None)
    assert check("He told [them] people to leave at once", page).result == NORMALIZED


def test_dropped_word_is_altered_with_a_diff(ferry: PageText) -> None:
    quote = "The town council voted on Thursday to keep the ferry running until the spring review"
    found = check(quote, ferry)
    assert found.result == ALTERED
    assert 85 <= found.score < 100
    assert found.source_excerpt == (
        "The town council voted on Thursday to keep the night ferry running until the spring review"
    )
    assert found.diff == "… keep the [-night-] ferry running …"


def test_swapped_word_is_altered(ferry: PageText) -> None:
    found = check("Its director told Reuters reporters that the fuel bill had tripled", ferry)
    assert found.result == ALTERED
    assert found.source_excerpt == (
        "Its director told Reuters reporters that the fuel bill had doubled"
    )
    assert found.diff == "… bill had [-doubled-] {+tripled+}"


def test_one_changed_word_in_a_short_quote_is_altered() -> None:
    page = PageText("Officials said she held secret talks in London last week.", None, None)
    dropped = check("held talks in London", page)
    assert (dropped.result, dropped.source_excerpt) == (ALTERED, "held secret talks in London")
    assert dropped.diff == "held [-secret-] talks in …"
    swapped = check("held secret talks in Paris", page)
    assert (swapped.result, swapped.diff) == (ALTERED, "… talks in [-London-] {+Paris+}")
    assert check("she held talks in Paris", page).result == MISSING  # two changes
    assert check("held secret meetings", page).result == MISSING  # only two words left


def test_fabricated_quote_is_missing(ferry: PageText) -> None:
    found = check("We are closing the ferry because nobody uses it after dark", ferry)
    assert found.result == MISSING
    assert found.source_excerpt is None and found.diff is None
    assert 0 <= found.score < 85


def test_short_quotes_are_weak_and_never_altered() -> None:
    text = "Asked yesterday whether the ferry stays, she said yes. The night ferry runs."
    page = PageText(text, None, None)
    assert (check("yes", page).result, check("yes", page).weak) == (EXACT, True)
    assert (check("Yes", page).result, check("Yes", page).weak) == (NORMALIZED, True)
    missing = check("yes", PageText("Asked yesterday, she nodded.", None, None))
    assert (missing.result, missing.weak) == (MISSING, True)  # "yes" in "yesterday" is not a word
    near = check("night ferries", page)  # close to "night ferry", but too short to say altered
    assert (near.result, near.weak, near.diff) == (MISSING, True, None)
    assert check("The night ferry runs", page).weak is False


def test_a_quote_found_only_in_json_ld(ferry: PageText) -> None:
    found = check("A clause kept out of the printed edition said the operator would publish", ferry)
    assert found.result == EXACT
    quarry = page_text((PAGES / "js-built.html").read_bytes(), "text/html", None)
    assert check("“We are asking for a pause, not a ban,”", quarry).result == EXACT
    assert check("we are asking for a pause - not a ban", quarry).result == NORMALIZED


def test_the_best_of_text_and_json_ld_wins() -> None:
    page = PageText("The mayor said the plan was dead.", None, "The mayor said it was finished.")
    assert check("it was finished", page).result == EXACT
    assert check("The Plan Was Dead", page).result == NORMALIZED


def test_empty_pages_and_quotes() -> None:
    assert check("anything at all here", PageText("", None, None)).result == MISSING
    nothing = QuoteMatch("“ … ”", MISSING, 0.0, weak=True)
    assert check("“ … ”", PageText("text", None, None)) == nothing


def test_long_excerpts_and_diffs_are_capped() -> None:
    words = [f"word{i}" for i in range(400)]
    page = PageText(" ".join(words), None, None)
    quote = " ".join(words[:150] + ["changed"] + words[151:300])
    found = check(quote, page)
    assert found.result == ALTERED
    assert found.source_excerpt is not None and len(found.source_excerpt) <= 300
    assert found.diff == "… word148 word149 [-word150-] {+changed+} word151 word152 …"


# -- bounds: huge pages and long quotes finish (timings are in the commit report, not asserted)


def _huge_page(rng: random.Random, size: int) -> tuple[str, list[str]]:
    syllables = ["ka", "lo", "mi", "ren", "tas", "vu", "el", "dor", "pi", "sen", "ul", "ba"]
    vocab = ["".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(3000)]
    weights = [1 / (rank + 1) for rank in range(len(vocab))]  # Zipf-like, like real prose
    words: list[str] = []
    length = 0
    while length < size:
        chunk = rng.choices(vocab, weights, k=1000)
        words.extend(chunk)
        length += sum(len(w) + 1 for w in chunk)
    return " ".join(words), vocab


def test_huge_page_and_long_quotes_are_bounded() -> None:
    rng = random.Random(7)
    text, vocab = _huge_page(rng, 5_000_000)
    page = PageText(text, None, None)
    # A 2,000-character quote that is not there.
    fabricated = " ".join(rng.choices(vocab, k=400))[:2000]
    assert check(fabricated, page).result == MISSING
    # A 2,000-character passage from the middle of the page with one word changed.
    start = text.index(" ", 2_500_000) + 1
    passage = text[start : text.rindex(" ", start, start + 2000)].split()
    passage[len(passage) // 2] = "zzchanged"
    found = check(" ".join(passage), page)
    assert found.result == ALTERED and "{+zzchanged+}" in (found.diff or "")
    # Many ellipses, each piece a common word.
    common = " … ".join(vocab[:40])
    assert check(common, page).result in (ALTERED, MISSING)


def test_repetitive_page_and_quote_are_bounded() -> None:
    page = PageText("the ferry " * 500_000, None, None)
    assert check("the ferry " * 200 + "the boat", page).result in (ALTERED, MISSING)
    assert check("the ferry … " * 11 + "the ferry", page).result == NORMALIZED


STRIKE = PageText(
    "The dockers met on Tuesday.\n“We will not return to work until the pay offer is improved and the lockout stops,” "
    "the union’s secretary, Mara Quint, told the rally.\nThe port authority declined to comment on the dispute.",
    None, None,
)


def test_altered_excerpt_is_only_the_sources_matching_words() -> None:
    # The writer added a word at the end: the excerpt stops at the source's last matching word
    # (never "… stops,” the"), and the diff shows the addition alone, not the page's next word.
    found = check("We will not return to work until the pay offer is improved and the lockout stops today", STRIKE)
    assert found.result is ALTERED
    assert found.source_excerpt == "We will not return to work until the pay offer is improved and the lockout stops"
    assert found.diff == "… lockout stops {+today+}"


def test_altered_excerpt_keeps_a_swapped_last_word_within_the_clause() -> None:
    found = check("We will not return to work until the pay offer is improved and the lockout ends", STRIKE)
    assert found.result is ALTERED
    assert found.source_excerpt == "We will not return to work until the pay offer is improved and the lockout stops"
    assert found.diff is not None and found.diff.endswith("the lockout [-stops-] {+ends+}")


def test_altered_excerpt_does_not_reach_back_past_punctuation() -> None:
    found = check("Dockers said we will not return to work until the pay offer is improved and the lockout stops", STRIKE)
    assert found.result is ALTERED
    assert found.source_excerpt is not None and found.source_excerpt.startswith("We will not return")
    assert found.diff is not None and found.diff.startswith("{+Dockers said+}")
