"""The pattern extractor on original sentences covering every attribution pattern the core
issue names. Expected spans are written by hand from the sentence, not from the code."""
from __future__ import annotations

import pytest

from citelint.extract import extract
from citelint.extract.relative_clauses import after_last_verb
from citelint.model import CueType, Document, Kind


def _doc(text: str) -> Document:
    return Document(path="t.txt", text=text, format="text", prose=text)


def _one(text: str, cue: str):
    atts = [a for a in extract(_doc(text)) if a.cue and a.cue.text == cue]
    assert len(atts) == 1, [(a.cue.text if a.cue else None) for a in extract(_doc(text))]
    return atts[0]


def _last_source(text: str) -> str | None:
    """The source of the sentence's last "said" (or "wrote", "noted") attribution."""
    cue = next(w for w in ("said", "wrote", "noted") if f" {w} " in text)
    atts = [a for a in extract(_doc(text)) if a.cue and a.cue.text == cue]
    assert len(atts) == text.count(f" {cue} "), [(a.cue.text if a.cue else None) for a in extract(_doc(text))]
    return atts[-1].source.text if atts[-1].source else None


@pytest.mark.parametrize(
    ("text", "cue", "source", "content_start"),
    [
        ("This week, the Associated Press reported that the harbour board sold the pier.", "reported", "the Associated Press", "that the harbour board sold"),
        ("Reuters reported Monday that the mill would close.", "reported", "Reuters", "that the mill would close"),
        ("The Guardian reported that officials had “met twice in Lyon… to discuss [the sale].”", "reported", "The Guardian", "that officials had"),
        ("Okafor revealed that she had kept the ledger.", "revealed", "Okafor", "that she had kept the ledger"),
        ("“The vault was empty when we arrived,” the AP wrote.", "wrote", "the AP", "“The vault was empty"),
        ("“The vault was empty,” said Mayor Ellen Tran.", "said", "Mayor Ellen Tran", "“The vault was empty"),
        ("The mill will close in May, the company said.", "said", "the company", "The mill will close in May"),
        ("Dana Whitlock, a lawyer for the union, said the vote was void.", "said", "Dana Whitlock, a lawyer for the union", "the vote was void"),
        ("The harbour master told the BBC that the quay was unsafe.", "told", "The harbour master", "that the quay was unsafe"),
        ("As the documents, published and annotated by ABC, reveal, the envoy “was never accredited.”", "reveal", "the documents, published and annotated by ABC", "the envoy"),
    ],
)
def test_verb_cues(text: str, cue: str, source: str, content_start: str) -> None:
    # Content keeps its complementizer ("that …"), as the PolNeAR annotation does.
    att = _one(text, cue)
    assert att.source is not None and att.source.text == source
    assert att.content is not None and att.content.text.startswith(content_start)


def test_told_outlet_is_the_interviewer() -> None:
    att = _one("The harbour master told the BBC on Monday that the quay was unsafe.", "told")
    assert att.outlet is not None and att.outlet.text == "the BBC"
    assert att.kind is Kind.PERSON or att.kind is Kind.UNKNOWN


def test_by_phrase_names_the_outlet() -> None:
    att = _one("As the documents, published and annotated by ABC, reveal, the envoy left.", "reveal")
    assert att.outlet is not None and att.outlet.text == "ABC"
    assert att.kind is Kind.DOCUMENT


def test_according_to() -> None:
    att = _one("The refinery was shut for three days, according to Reuters.", "according to")
    assert att.source is not None and att.source.text == "Reuters"
    assert att.content is not None and att.content.text == "The refinery was shut for three days"


def test_possessive_reporting() -> None:
    att = _one("The FT's reporting showed that the fund had lost half its value.", "reporting")
    assert att.source is not None and att.source.text == "The FT"


def test_reportedly_is_vague() -> None:
    att = _one("Vintner reportedly asked for a transfer a year ago.", "reportedly")
    assert att.cue_type is CueType.VAGUE and att.kind is Kind.VAGUE and att.source is None


def test_credit_line() -> None:
    att = _one("The mill closed on Friday.\n\nSource: Left2", "Source")
    assert att.cue_type is CueType.CREDIT and att.source is not None and att.source.text == "Left2"


def test_dateline() -> None:
    atts = extract(_doc("WASHINGTON (AP) — The Senate voted on Tuesday to fund the port."))
    dateline = [a for a in atts if a.cue_type is CueType.DATELINE]
    assert len(dateline) == 1 and dateline[0].source is not None and dateline[0].source.text == "AP"


def test_dateline_after_a_headline_line() -> None:
    """A dateline opens the first paragraph after the headline, not the file."""
    atts = extract(_doc("Port Strike Ends After Nine Days\n\nKESSLER POINT, Ore. (AP) — Dockworkers voted on "
                        "Sunday to end the strike."))
    dateline = [a for a in atts if a.cue_type is CueType.DATELINE]
    assert len(dateline) == 1 and dateline[0].source is not None and dateline[0].source.text == "AP"


def test_a_timestamp_in_parentheses_is_no_wire_credit() -> None:
    atts = extract(_doc("Port Strike Ends\n\nUPDATE (2:30 p.m.) — Dockworkers voted on Sunday to end the strike."))
    assert not [a for a in atts if a.cue_type is CueType.DATELINE]


@pytest.mark.parametrize("opening", ["ORLANDO, Fla. (Reuters) - ", "WASHINGTON — ", "KESSLER POINT, Ore. (AP) — "])
def test_the_subject_of_a_second_verb_comes_after_the_dateline(opening: str) -> None:
    """"X met … and said": the speaker is the sentence's subject, which follows the dateline
    (a state's abbreviation before the wire's credit does not end a sentence)."""
    text = f"Talks Resume\n\n{opening}Governor Ana Ruiz met the families on Thursday and said the state must act."
    said = _one(text, "said")
    assert said.source is not None and said.source.text == "Governor Ana Ruiz"


def test_a_quotation_after_a_fronted_time_is_what_was_said() -> None:
    """"Last week, Lund said, “…”": the comma after the cue opens the quotation, not an aside
    ("But to avoid delays, he said, crews should …" is one)."""
    said = _one("Last week, Pia Lund said, “We lose the harbour if the quay closes.”", "said")
    assert said.content is not None and said.content.text == "“We lose the harbour if the quay closes.”"
    aside = _one("But to avoid delays, he said, the crews should start on Monday.", "said")
    assert aside.content is not None and aside.content.text.startswith("But to avoid delays")


def test_a_role_and_a_description_after_a_name_keep_the_name() -> None:
    """"Lund, editor of the Courier, an influential weekly, wrote": two appositives, one source."""
    wrote = _one("Last week Pia Lund, editor at large of the Harbour Courier, an influential weekly serving "
                 "fishermen, wrote that the quay would close.", "wrote")
    assert wrote.source is not None
    assert wrote.source.text == "Pia Lund, editor at large of the Harbour Courier, an influential weekly serving fishermen"


@pytest.mark.parametrize(
    ("text", "source", "outlet", "kind"),
    [
        # a relative clause between the subject and the cue is not the subject
        ("Harbour officials who spoke on condition of anonymity said the quay was unsafe.", "Harbour officials", "Harbour officials", Kind.ANONYMOUS),
        ("Residents who were moved out on Monday said the water rose within minutes.", "Residents", "Residents", None),
        ("Two officials who spoke with Reuters said the quay was unsafe.", "Two officials", "Reuters", Kind.ANONYMOUS),
        ("Dock workers who talked to the BBC said the cranes had stopped.", "Dock workers", "the BBC", None),
        ("Some skippers who have fished the bay for decades said the quay was unsafe.", "Some skippers", "Some skippers", None),
        # near misses: an apposition stays whole; "who" as the clause's object or a question is left alone
        ("Mayor Lund, who spoke with Reuters, said the quay was unsafe.", "Mayor Lund, who spoke with Reuters", None, None),
        ("It is unclear who said it first.", "who", None, None),
        ("The mayor thanked critics who said the levy was too high.", "who", None, None),  # PolNeAR's way
    ],
)
def test_a_relative_clause_after_the_subject(text: str, source: str, outlet: str | None, kind: Kind | None) -> None:
    att = _one(text, "said")
    assert att.source is not None and att.source.text == source
    if outlet is not None:
        assert att.outlet is not None and att.outlet.text == outlet
    if kind is not None:
        assert att.kind is kind


@pytest.mark.parametrize(("text", "source"), [
    ("The Harbour Courier, for one, noted that the quay had been closed twice.", "The Harbour Courier"),
    ("The ministry, in turn, said the quay was unsafe.", "The ministry"),
    ("Pia Lund, on Tuesday, said the quay was unsafe.", "Pia Lund"),
    ("Mr. Okafor, however, said the quay was unsafe.", "Mr. Okafor"),
    ("Pia Lund, the harbour master, for example, said the quay was unsafe.", "Pia Lund, the harbour master"),
    # near misses: a description is part of the source
    ("Pia Lund, a lawyer for the union, said the quay was unsafe.", "Pia Lund, a lawyer for the union"),
    ("Pia Lund, 54, said the quay was unsafe.", "Pia Lund, 54"),
])
def test_an_aside_between_the_subject_and_the_cue_is_not_the_source(text: str, source: str) -> None:
    assert _last_source(text) == source


@pytest.mark.parametrize(("text", "source"), [
    ("Federal and state officials said the quay was unsafe.", "Federal and state officials"),
    ("Pia Lund and Dana Okafor wrote that the quay was unsafe.", "Pia Lund and Dana Okafor"),
    ("In March, skippers and harbour staff said the quay was unsafe.", "skippers and harbour staff"),
    ("The council and its lawyers said the quay was unsafe.", "The council and its lawyers"),
    # near misses: "and" joining two clauses leaves the second clause's subject alone
    ("The plan failed and critics said the quay was unsafe.", "critics"),
    ("Prices rose and analysts said the quay was unsafe.", "analysts"),
    ("The mayor said the levy was unfair and officials said the quay was unsafe.", "officials"),
])
def test_a_subject_of_two_conjuncts(text: str, source: str) -> None:
    assert _last_source(text) == source


@pytest.mark.parametrize(("text", "source"), [
    # a legislator's party and state keep their parenthesis, and an apposition may follow them
    ("Rep. Pia Lund (D-Ore.) said the quay was unsafe.", "Rep. Pia Lund (D-Ore.)"),
    ("Sen. Dana Okafor (R-N.Y.), chair of the harbour caucus, said the quay was unsafe.",
     "Sen. Dana Okafor (R-N.Y.), chair of the harbour caucus"),
    ("State Sen. Ilse Berg (R) said the quay was unsafe.", "State Sen. Ilse Berg (R)"),
    ("“The quay is unsafe,” said Rep. Jonas Berg (D-S.C.), a member of the harbour caucus.",
     "Rep. Jonas Berg (D-S.C.), a member of the harbour caucus"),  # after the cue too
    ("Del. Stacey Lund said the quay was unsafe.", "Del. Stacey Lund"),  # a delegate's title
    # a description set off by dashes, as by commas
    ("Jonas Berg — a skipper from Kessler Point — said the quay was unsafe.", "Jonas Berg — a skipper from Kessler Point"),
    ("Jonas Berg -- who fishes the bay -- said the quay was unsafe.", "Jonas Berg -- who fishes the bay"),
    # near misses: a dateline's dash, and one dash without a second
    ("KESSLER POINT — Jonas Berg said the quay was unsafe.", "Jonas Berg"),
    ("The quay is unsafe, Jonas Berg said — and the board agreed.", "Jonas Berg"),
])
def test_a_parenthesis_or_dashes_after_a_name(text: str, source: str) -> None:
    assert _last_source(text) == source


@pytest.mark.parametrize(("text", "source"), [
    ("Rep. G.K. Okafor (D-N.C.), head of the caucus, said the quay was unsafe.",
     "Rep. G.K. Okafor (D-N.C.), head of the caucus"),  # initials after a title end no sentence
    ("Chief Justice Pia M. Lund Jr. said the court would rule.", "Chief Justice Pia M. Lund Jr."),
    ("In its review of the port, the S.E.C. said the rules were clear.", "the S.E.C."),
    ("Harbour Dredging Inc. said the quay was unsafe.", "Harbour Dredging Inc."),
    ("KESSLER POINT -- Mayor Pia Lund said the quay was unsafe.", "Mayor Pia Lund"),  # a dateline's double hyphen
    # near miss: initials inside a name do not join its sentence to the next
    ("The firm was founded by J.K. Okafor. Lund said the price was low.", "Lund"),
])
def test_abbreviations_and_initials_in_a_source(text: str, source: str) -> None:
    assert _last_source(text) == source


@pytest.mark.parametrize(("words", "noun_phrase"), [
    ("scoffed Arianna Lund, 22,", "Arianna Lund, 22,"),  # after a cue verb
    ("it is usually the pilots", "the pilots"),  # after a copula and its adverb
    ("Joining the mayor were three skippers", "three skippers"),
    ("- Skippers in Kessler Point", "Skippers in Kessler Point"),  # a list's dash
    ("the embattled harbour master", "the embattled harbour master"),  # an adjective, not a verb
    ("a highly regarded pilot", "a highly regarded pilot"),
])
def test_the_noun_phrase_a_relative_clause_hangs_on(words: str, noun_phrase: str) -> None:
    span = after_last_verb(words, (0, len(words)))
    assert span is not None and words[span[0]:span[1]] == noun_phrase


def test_two_cues_share_a_source() -> None:
    atts = [a for a in extract(_doc("The mayor said the budget was final and added that taxes would not rise.")) if a.cue]
    cues = {a.cue.text: a for a in atts if a.cue}
    assert {"said", "added"} <= set(cues)
    assert cues["added"].source is not None and cues["added"].source.text == "The mayor"


def test_a_mention_is_not_an_attribution() -> None:
    atts = extract(_doc("His feed even tweeted out a link to RT amid the week's revelations."))
    assert not any(a.source and "RT" in a.source.text for a in atts)
    assert not any(a.outlet and a.outlet.text == "RT" for a in atts)


def test_cues_inside_quotes_belong_to_the_speaker() -> None:
    atts = extract(_doc("“He reportedly fled,” the neighbour said."))
    assert [a.cue.text for a in atts if a.cue] == ["said"]


def test_anonymous_bare_and_described() -> None:
    bare = _one("Sources said the deal was off.", "said")
    assert bare.kind is Kind.ANONYMOUS and bare.bare
    described = _one("Two senior ministry sources said the deal was off.", "said")
    assert described.kind is Kind.ANONYMOUS and not described.bare


def test_weasel_without_a_name_nearby() -> None:
    att = _one("Critics say the levy will raise prices.", "say")
    assert att.cue_type is CueType.WEASEL and not att.named_nearby


def test_weasel_with_a_name_in_the_next_sentence() -> None:
    atts = extract(_doc("Critics say the levy will raise prices. The Grocers' Federation said costs would rise 4 percent."))
    weasel = [a for a in atts if a.cue_type is CueType.WEASEL]
    assert weasel and weasel[0].named_nearby


def test_quotes_are_the_words_inside_the_marks() -> None:
    att = _one("The Guardian reported that officials had “met twice in Lyon… to discuss [the sale].”", "reported")
    assert [q.text for q in att.quotes] == ["met twice in Lyon… to discuss [the sale]"]


def test_spans_carry_exact_positions() -> None:
    text = "Line one is plain.\n\nThen Reuters reported that the mill shut."
    att = _one(text, "reported")
    assert att.source is not None
    assert (att.source.line, att.source.column) == (3, 6)
    assert text[att.source.start : att.source.end] == "Reuters"


def test_it_and_the_agency_resolve_to_the_outlet_just_named() -> None:
    from citelint.registry import load_registry
    from citelint.resolve import resolve

    text = "Reuters reported that the mill shut. It said the owners had left. The agency added that talks failed.\n\nIt said nothing more."
    doc = _doc(text)
    resolved = resolve(doc, extract(doc), load_registry()).attributions
    by_cue = [(a.source.text if a.source else None, a.resolved.id if a.resolved else None) for a in resolved]
    assert by_cue[:3] == [("Reuters", "reuters"), ("It", "reuters"), ("The agency", "reuters")]
    assert by_cue[3] == ("It", None)  # a new paragraph: "it" may be anything


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Sales—allegedly—fell by half.", "allegedly"),
        ("Café owners reportedly closed early.", "reportedly"),
        ("The pier was sold—according to Reuters—at a loss.", "according to"),
        ("Naïve buyers, it is said, paid twice.", "it is said"),
    ],
)
def test_phrase_cues_between_dashes_and_beside_accented_words(text: str, cue: str) -> None:
    # The phrase finders first ask which words occur at all; a word between dashes or next
    # to an accented one must still count as one.
    _one(text, cue)


@pytest.mark.parametrize("text", ["The unreportedly sale went ahead.", "Prices fell 3reportedly in May.",
                                  "The dis-allegedly clause stood."])
def test_phrase_cues_inside_longer_words_are_not_cues(text: str) -> None:
    assert not [a for a in extract(_doc(text)) if a.cue_type in (CueType.VAGUE, CueType.WEASEL)]
