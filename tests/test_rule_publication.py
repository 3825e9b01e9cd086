"""CL103 on a source phrase that ends in a publication's name ("an email … obtained by X"):
the models draw such phrases, and the resolver does not always resolve them whole."""
from __future__ import annotations

from citelint.check import Checker
from citelint.load.text import load
from citelint.model import Attribution, CueType, Document, Kind
from citelint.registry import load_registry
from citelint.selection import Selection

LEAD = "The vote was postponed by a week, according to "


class _Fixed:
    """An extractor whose one attribution is the phrase after "according to", as drawn."""

    def extract(self, document: Document) -> list[Attribution]:
        prose = document.prose
        cue = prose.index("according to")
        source = (cue + len("according to "), prose.index(".", cue))
        return [Attribution("a1", document.span(cue, cue + len("according to")), CueType.SPEECH,
                            document.span(*source), document.span(0, cue - 2), kind=Kind.OUTLET,
                            outlet=document.span(*source), sentence=(0, len(prose)), block=(0, len(prose)))]


def _cl103(text: str) -> list[str]:
    checker = Checker(load_registry([]), Selection(select=frozenset({"CL103"})), _Fixed())
    return [f.message for f in checker.check(load(text, "a.txt"))[0].findings]


def test_a_known_publication_closing_the_phrase_is_not_called_unknown() -> None:
    assert _cl103(LEAD + "an email from the union's president and the AFL-CIO obtained by The Huffington Post.\n") == []


def test_an_unknown_publication_closing_the_phrase_is_named() -> None:
    found = _cl103(LEAD + "an email from the union's president and the AFL-CIO obtained by the Valley Herald.\n")
    assert len(found) == 1 and found[0].startswith("'the Valley Herald' reads like a publication")


def test_a_byline_after_the_publication_is_not_part_of_its_name() -> None:
    found = _cl103(LEAD + "an article in Harbour Lights magazine by Pia Lund.\n")
    assert len(found) == 1 and found[0].startswith("'an article in Harbour Lights magazine' reads like"), found


def test_a_review_by_a_paper_is_not_cut_at_by() -> None:
    """"a review by The Harbour Times": what follows "by" is the publication, not a byline."""
    found = _cl103(LEAD + "a review by The Harbour Times.\n")
    assert len(found) == 1 and found[0].startswith("'The Harbour Times' reads like"), found


def test_a_report_by_a_person_is_not_cut_to_a_report() -> None:
    assert not any(m.startswith("'A report' ") or m.startswith("'a report' ") for m in _cl103(LEAD + "a report by Pia Lund.\n"))


def _findings(text: str, codes: frozenset[str]) -> list[str]:
    checker = Checker(load_registry([]), Selection(select=codes), _Fixed())
    return [f"{f.code} {f.message}" for f in checker.check(load(text, "a.txt"))[0].findings]


def test_an_outlet_that_is_the_object_of_the_phrase_is_not_its_source() -> None:
    """A source phrase drawn too long ("Ruiz turned the story back on the Post") does not
    make the outlet at its end the source; one the source works for does ("a columnist for …")."""
    codes = frozenset({"CL101", "CL103", "CL104"})
    assert _findings(LEAD + "Ruiz turned the story back on the Post.\n", codes) == []
    found = _findings(LEAD + "a columnist for The Washington Post.\n", codes)
    assert len(found) == 1 and found[0].startswith("CL101 The Washington Post's reporting"), found
