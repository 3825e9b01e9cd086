"""Issue 10, extraction half: a quote, its cue and its source stand in one paragraph; words
that are no cue stay quiet; the outlet span is the outlet's name. All text is invented; the
expected spans are written by hand from the sentences."""
from __future__ import annotations

from pathlib import Path

import pytest

from citelint.extract import extract
from citelint.load import load_path
from citelint.model import Attribution, CueType, Document, Kind


def _doc(text: str) -> Document:
    return Document(path="t.txt", text=text, format="text", prose=text)


def _by_cue(atts: list[Attribution], cue: str) -> list[Attribution]:
    return [a for a in atts if a.cue is not None and a.cue.text == cue]


def _one(text: str, cue: str) -> Attribution:
    atts = _by_cue(extract(_doc(text)), cue)
    assert len(atts) == 1, [(a.cue.text if a.cue else None) for a in extract(_doc(text))]
    return atts[0]


def _content(att: Attribution) -> str | None:
    return att.content.text if att.content else None


# -- quotes attach within one paragraph ---------------------------------------------------


def test_a_quote_closing_a_paragraph_is_not_the_next_paragraphs_content() -> None:
    text = "The mayor said the plan was “dead on arrival.”\n\nThe Guardian reported on Tuesday that the council “voted 7-2.”"
    att = _one(text, "reported")
    assert _content(att) == "that the council “voted 7-2.”"
    assert [q.text for q in att.quotes] == ["voted 7-2"]


def test_a_cue_without_a_quote_does_not_reach_back_to_the_previous_paragraph() -> None:
    text = "The mayor said the plan was “dead on arrival.”\n\nThe Guardian reported on Tuesday that the council voted to proceed."
    att = _one(text, "reported")
    assert _content(att) == "that the council voted to proceed"
    assert att.quotes == ()


def test_a_linked_cue_after_a_paragraph_ending_in_a_quote(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "The mayor said the plan was “dead on arrival.”\n\n"
        "[The Guardian reported](https://www.theguardian.com/uk/2031/may/02/ferry) that the council voted 7-2.\n",
        encoding="utf-8",
    )
    doc = load_path(str(path)).document
    assert doc is not None
    (att,) = _by_cue(extract(doc), "reported")
    assert _content(att) == "that the council voted 7-2" and att.quotes == ()


def test_a_cue_with_its_own_content_does_not_take_the_previous_sentences_quote() -> None:
    text = "He called the inspector “a friend.” Okafor revealed that she had kept the ledger for years."
    att = _one(text, "revealed")
    assert _content(att) == "that she had kept the ledger for years"
    assert att.quotes == ()


def test_a_quote_before_the_source_in_the_same_sentence_is_still_the_content() -> None:
    att = _one("“It was never safe,” the harbour master says, “and it never will be.”", "says")
    assert [q.text for q in att.quotes] == ["It was never safe", "and it never will be"]


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        ("“The quay is safe. It has always been safe,” Okafor notes.", "notes", "Okafor"),
        ("“The quay is safe. It has always been safe,” explained harbour lawyer Dana Whitlock.", "explained", "harbour lawyer Dana Whitlock"),
    ],
)
def test_a_quote_of_several_sentences_before_the_cue(text: str, cue: str, source: str) -> None:
    att = _one(text, cue)
    assert att.source is not None and att.source.text == source
    assert [q.text for q in att.quotes] == ["The quay is safe. It has always been safe"]


def test_the_multi_paragraph_quote_convention_still_attaches() -> None:
    # A paragraph that opens a quotation without closing it continues into the next one.
    text = (
        "“We ran the ferry for forty years without a single loss of life.\n\n"
        "“Then the board cut the crew by half,” the captain said.\n\n"
        "The board declined to comment."
    )
    att = _one(text, "said")
    assert att.source is not None and att.source.text == "the captain"
    assert att.content is not None and att.content.text.startswith("“We ran the ferry")
    assert att.content.text.endswith("by half,”")


def test_a_long_article_keeps_every_quote_in_its_paragraph() -> None:
    # Twenty paragraphs alternating a quote-ending paragraph and a reported paragraph: no
    # reported paragraph may take the quote of the paragraph above it.
    paragraphs = []
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"] * 2
    for n in range(10):
        paragraphs.append(f"Pier {n} was, in the words of its keeper, “beyond repair {n}.”")
        paragraphs.append(f"The Guardian reported on {days[n]} that the council had voted to demolish pier {n}.")
    atts = _by_cue(extract(_doc("\n\n".join(paragraphs))), "reported")
    assert len(atts) == 10
    for n, att in enumerate(atts):
        assert _content(att) == f"that the council had voted to demolish pier {n}"
        assert att.quotes == ()


# -- words that are no cue ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("The agency is building a rover NASA plans to fly to the outer moons in 2034.", "plans"),
        ("It carries a rover NASA plans to land near the pole.", "plans"),
        ("Tribune Publishing bought the Harbor Gazette in May.", "Publishing"),
        ("The firm wanted some say in the design of the terminal.", "say"),
        ("The readout of the trade phone call said little about tariffs.", "call"),
        ("Mayor Ellen Tran on The Weekly Show", "Show"),
    ],
)
def test_words_that_are_no_cue(text: str, word: str) -> None:
    assert not _by_cue(extract(_doc(text)), word)


def test_headline_verbs_still_count() -> None:
    att = _one("Harbour Master Says Quay Will Close", "Says")
    assert att.source is not None and att.source.text == "Harbour Master"


def test_plans_with_a_real_subject_is_still_a_cue() -> None:
    att = _one("NASA plans to fly a rover to the outer moons in 2034.", "plans")
    assert att.source is not None and att.source.text == "NASA"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Obama told the U.N. General Assembly that the blockade had to end.", "Obama"),
        ("The mayor told the crowd that fares would rise.", "The mayor"),
        ("The envoy told the Security Council on Friday that the strait was mined.", "The envoy"),
        ("The minister told lawmakers that the budget was final.", "The minister"),
    ],
)
def test_the_audience_is_not_the_outlet(text: str, source: str) -> None:
    att = _one(text, "told")
    assert att.source is not None and att.source.text == source
    assert att.outlet is not None and att.outlet.text == source


def test_told_an_outlet_keeps_the_outlet() -> None:
    att = _one("The mayor told the Associated Press that fares would rise.", "told")
    assert att.outlet is not None and att.outlet.text == "the Associated Press"
    assert _content(att) == "that fares would rise"


# -- missed phrasing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cue", "source", "outlet"),
    [
        ("As CNN first reported, the harbour board sold the pier.", "first reported", "CNN", "CNN"),
        ("The sale was first reported by The Intercept.", "reported", "The Intercept", "The Intercept"),
        ("The deal was signed in May, first reported by The Intercept.", "first reported", "The Intercept", "The Intercept"),
        ("In an interview with the BBC, the mayor said fares would rise.", "said", "the mayor", "the BBC"),
        ("The mayor said in a statement to The New York Times that fares would rise.", "said", "The mayor", "The New York Times"),
        ("The mayor said in an interview with Reuters that fares would rise.", "said", "The mayor", "Reuters"),
        ("NPR's Hollis Varga reported that the talks had stalled.", "reported", "NPR's Hollis Varga", "NPR"),
        ("The dock will close, according to Oona Brackett of the New York Times.", "according to", "Oona Brackett of the New York Times", "the New York Times"),
        ("Two tugboats sank in March, reports Reuters.", "reports", "Reuters", "Reuters"),
        ("Crews cleared the quay overnight, the Chicago Tribune reports.", "reports", "the Chicago Tribune", "the Chicago Tribune"),
        ("The minister was quoted by Reuters as saying the pier was unsafe.", "quoted", "The minister", "Reuters"),
        ("A Reuters investigation found that the pier was unsafe.", "found", "A Reuters investigation", "Reuters"),
        ("An AP analysis shows that fares rose by a third.", "shows", "An AP analysis", "AP"),
        ("The senator told CNN's Dara Pell that the bill was dead.", "told", "The senator", "CNN"),
        ("The senator told Dara Pell of CNN that the bill was dead.", "told", "The senator", "CNN"),
        ("The senator, in an interview with Politico, said the bill was dead.", "said", "The senator", "Politico"),
    ],
)
def test_credit_phrasing(text: str, cue: str, source: str, outlet: str) -> None:
    att = _one(text, cue)
    assert att.source is not None and att.source.text == source
    assert att.outlet is not None and att.outlet.text == outlet


def test_told_an_outlets_journalist_leaves_the_person_out_of_the_content() -> None:
    att = _one("The senator told NBC's “Meet the Press” on Sunday that the bill was dead.", "told")
    assert att.outlet is not None and att.outlet.text == "NBC"
    assert _content(att) == "that the bill was dead"


def test_quoted_by_content_is_what_was_said() -> None:
    att = _one("The minister was quoted by Reuters as saying the pier was unsafe.", "quoted")
    assert _content(att) == "the pier was unsafe"
    assert not _by_cue(extract(_doc("The minister was quoted by Reuters as saying the pier was unsafe.")), "saying")


def test_a_parenthesised_credit_closes_the_sentence() -> None:
    att = _one("The pier was closed on Monday (Reuters). Repairs start in May.", "(")
    assert att.cue_type is CueType.CREDIT
    assert att.source is not None and att.source.text == "Reuters"
    assert _content(att) == "The pier was closed on Monday"


@pytest.mark.parametrize(
    "text",
    [
        "The bill's sponsor, Senator Marla Quist (D-Ohio), spoke first.",
        "The bill was backed by Senator Marla Quist (D-Ohio).",
        "The port joined the North Sea Harbours Association (NSHA).",
        "The ferry sank in 1931 (Figure 2) near the pier.",
    ],
)
def test_parentheses_that_credit_no_one(text: str) -> None:
    assert not [a for a in extract(_doc(text)) if a.cue_type is CueType.CREDIT]


def test_two_outlets_sharing_a_cue_are_two_attributions() -> None:
    atts = _by_cue(extract(_doc("Reuters and the BBC reported that the pier was closed.")), "reported")
    assert sorted(a.source.text for a in atts if a.source) == ["Reuters", "the BBC"]
    assert all(_content(a) == "that the pier was closed" for a in atts)
    atts = _by_cue(extract(_doc("The pier was closed, according to Reuters and the BBC.")), "according to")
    assert sorted(a.source.text for a in atts if a.source) == ["Reuters", "the BBC"]


def test_a_pair_of_names_that_is_not_a_subject_is_not_split() -> None:
    atts = _by_cue(extract(_doc("The pier closed in May and the BBC reported that it would not reopen.")), "reported")
    assert [a.source.text for a in atts if a.source] == ["the BBC"]


def test_bracketed_credit_under_an_excerpt(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "The operator told staff the service would end.\n\n"
        "> Sailings will drop to two a day from June.\n\n[Engadget]\n\n[Updated on Tuesday]\n",
        encoding="utf-8",
    )
    doc = load_path(str(path)).document
    assert doc is not None
    credits = [a for a in extract(doc) if a.cue_type is CueType.CREDIT]
    assert [a.source.text for a in credits if a.source] == ["Engadget"]


def test_attributions_inside_block_quotations(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(
        "<p>The court heard the appeal on Monday.</p>"
        "<blockquote><p>“We will appeal,” said one lawyer, as reported by the Associated Press. "
        "The ruling reportedly surprised the bench.</p></blockquote>"
        "<p>He called it <q>a ruling Reuters reported</q> too early.</p>",
        encoding="utf-8",
    )
    doc = load_path(str(path)).document
    assert doc is not None
    atts = extract(doc)
    assert [a.source.text for a in _by_cue(atts, "as reported by") if a.source] == ["the Associated Press"]
    # The excerpt's own hedges are the quoted author's, and inline quotations still hide cues.
    assert not _by_cue(atts, "reportedly")
    assert not [a for a in atts if a.source and a.source.text == "Reuters"]


@pytest.mark.parametrize(
    ("text", "source", "bare"),
    [
        ("People familiar with the talks say a deal is near.", "People familiar with the talks", True),
        ("Two people briefed on the talks said a deal was near.", "Two people briefed on the talks", True),
        ("A person with knowledge of the harbour board's accounts said the deal was near.", "A person with knowledge of the harbour board's accounts", False),
        ("Officials said the pier was unsafe.", "Officials", False),
        ("Senior officials said the pier was unsafe.", "Senior officials", False),
    ],
)
def test_anonymous_phrasing(text: str, source: str, bare: bool) -> None:
    att = [a for a in extract(_doc(text)) if a.cue_type is CueType.SPEECH][0]
    assert att.source is not None and att.source.text == source
    assert att.kind is Kind.ANONYMOUS and att.bare is bare


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("The mayor was said to be furious about the delay.", "was said to be"),
        ("The contractor allegedly skimmed the funds.", "allegedly"),
        ("The ferry is reported to have sailed without lights.", "is reported to have"),
    ],
)
def test_vague_phrasing(text: str, cue: str) -> None:
    att = _one(text, cue)
    assert att.cue_type is CueType.VAGUE and att.source is None


def test_reported_to_a_body_is_not_vague() -> None:
    atts = extract(_doc("The readings were reported to the regulator on Monday, the company said."))
    assert not [a for a in atts if a.cue_type is CueType.VAGUE]


# -- hostile input: the new patterns stay linear (a generous bound turns a hang into a failure)


@pytest.mark.parametrize(
    "text",
    [
        "It carries a rover " + "A" * 5000 + "! plans to fly.",  # a long capitalised run before a cue
        "(Reuters) " * 20000,
        "> quoted words\n\n[Engadget]\n\n" * 4000,
        "The minister was quoted by Reuters as saying " * 3000,
        "Reuters and the BBC reported that " * 3000,
        "NPR's " * 3000 + "Hollis Varga reported that it rained.",
        "He was said to be " * 5000,
        # Separate sentences: one endless sentence of "said In an interview with …" is slow
        # before this change too (phrase_after scans to the sentence end; see the speed issue).
        "In an interview with the BBC, the mayor said so. " * 3000,
        "Talking to " * 3000 + "the BBC, the mayor said so.",
    ],
    ids=["caps-run", "parens", "brackets", "quoted-by", "pairs", "possessives", "hedges", "interviews", "talking-to"],
)
def test_new_patterns_do_not_hang(text: str) -> None:
    import time

    from citelint.extract import NotProse

    started = time.monotonic()
    try:
        extract(_doc(text))
    except NotProse:
        pass  # refused as not prose (too many cues in one sentence) is an answer too, if quick
    assert time.monotonic() - started < 20


def test_a_sentence_ends_before_a_quote_opened_with_two_apostrophes() -> None:
    # Some newspapers' archives write a double quote mark as two apostrophes.
    text = "''The vote stands,'' said Dana Whitlock, a lawyer for the union. ''That is final.''"
    att = _one(text, "said")
    assert att.source is not None and att.source.text == "Dana Whitlock, a lawyer for the union"
