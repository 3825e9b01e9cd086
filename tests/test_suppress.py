"""Suppression comments: every supported form suppresses exactly what it says, in Markdown,
HTML and plain text; forms from other linters are either read or reported (CL901), never
silently wrong; prefixes work."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citelint import suppress
from citelint.check import Checker
from citelint.load import load_path, load_text
from citelint.model import Document, Finding, Severity
from citelint.registry import load_registry
from citelint.selection import Selection

SUFFIX = {"markdown": ".md", "text": ".txt", "html": ".html"}


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(load_registry([]), Selection())


def found(checker: Checker, tmp_path: Path, text: str, fmt: str = "markdown") -> list[tuple[int, str]]:
    path = tmp_path / ("story" + SUFFIX[fmt])
    path.write_text(text, encoding="utf-8")
    results = checker.check(load_path(str(path)).document)
    return [(f.span.line, f.code) for r in results for f in r.findings]


STORY = """\
The harbour board met on Tuesday to discuss the dredging contract.

The chairman reportedly told members the cost had doubled since spring.

Critics say the contract was rushed, and sources said the tender was never advertised.

The board will vote again in May.
"""
UNSUPPRESSED = [(3, "CL201"), (5, "CL203"), (5, "CL202")]


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_the_story_alone_has_three_findings(checker: Checker, tmp_path: Path, fmt: str) -> None:
    assert found(checker, tmp_path, STORY, fmt) == UNSUPPRESSED


@pytest.mark.parametrize("fmt", ["markdown", "text"])
@pytest.mark.parametrize(("edit", "expected"), [
    # disable-line (markdownlint, ESLint): only the comment's own line
    (("reportedly told members the cost had doubled since spring.",
      "reportedly told members the cost had doubled since spring. <!-- citelint: disable-line CL201 -->"),
     [(5, "CL203"), (5, "CL202")]),
    # markdownlint's spelling, on the line before
    (("The chairman reportedly", "<!-- citelint-disable-next-line CL201 -->\nThe chairman reportedly"),
     [(6, "CL203"), (6, "CL202")]),
    # a prefix covers the family: CL2 takes CL203 and CL202 on that line
    (("Critics say", "<!-- citelint: disable-next-line CL2 -- agreed with the desk -->\nCritics say"),
     [(3, "CL201")]),
    # a slug
    (("Critics say", "<!-- citelint: disable-next-line weasel-attribution -->\nCritics say"),
     [(3, "CL201"), (6, "CL202")]),
    # Vale's off/on: a region
    (("The chairman", "<!-- citelint off -->\nThe chairman"), []),
    (("The chairman", "<!-- citelint off -->\nThe chairman", "Critics say", "<!-- citelint on -->\nCritics say"),
     [(7, "CL203"), (7, "CL202")]),
    # disable with codes until enable
    (("The harbour", "<!-- citelint: disable CL201, CL202 -->\nThe harbour"), [(6, "CL203")]),
])
def test_each_form_suppresses_what_it_says(checker: Checker, tmp_path: Path, fmt: str,
                                           edit: tuple[str, ...], expected: list[tuple[int, str]]) -> None:
    text = STORY
    for old, new in zip(edit[::2], edit[1::2]):
        text = text.replace(old, new)
    assert text != STORY
    assert found(checker, tmp_path, text, fmt) == expected


def test_disable_line_does_not_run_to_the_end_of_the_file(checker: Checker, tmp_path: Path) -> None:
    # The markdownlint habit that used to disable CL201 for the rest of the file.
    text = ("The mayor reportedly resigned. <!-- citelint: disable-line CL201 -->\n\n"
            "The deputy reportedly stayed.\n")
    assert found(checker, tmp_path, text) == [(3, "CL201")]


@pytest.mark.parametrize("fmt", ["markdown", "text", "html"])
@pytest.mark.parametrize("comment", [
    "<!-- citelint: disable-file CL201 -->",  # markdownlint has it; citelint does not
    "<!-- citelint-ignore CL201 -->",
    "<!-- citelint: disable2 CL201 -->",
    "<!-- citelint: -->",
])
def test_a_form_citelint_does_not_have_is_reported_and_suppresses_nothing(
        checker: Checker, tmp_path: Path, fmt: str, comment: str) -> None:
    body = "The chairman reportedly told members the cost had doubled."
    text = f"{comment}\n<p>{body}</p>\n" if fmt == "html" else f"{comment}\n{body}\n"
    path = tmp_path / ("story" + SUFFIX[fmt])
    path.write_text(text, encoding="utf-8")
    findings = [f for r in checker.check(load_path(str(path)).document) for f in r.findings]
    assert [(f.span.line, f.code) for f in findings] == [(1, "CL901"), (2, "CL201")]
    assert "is not a citelint suppression" in findings[0].message
    assert "<!-- citelint: disable-next-line CODES -->" in findings[0].message


def test_unused_prefix_is_reported_once_with_its_family(checker: Checker, tmp_path: Path) -> None:
    text = "<!-- citelint: disable-next-line CL2 CL105 -->\nThe chairman reportedly resigned.\n"
    path = tmp_path / "story.md"
    path.write_text(text, encoding="utf-8")
    findings = [f for r in checker.check(load_path(str(path)).document) for f in r.findings]
    assert [(f.code, f.message) for f in findings] == [
        ("CL901", "'disable-next-line CL105' suppresses no CL105 finding; remove it")]


def test_ordinary_comments_and_other_tools_directives_are_left_alone(checker: Checker, tmp_path: Path) -> None:
    text = ("<!-- vale off -->\n<!-- markdownlint-disable MD013 -->\n<!-- citelint checks this page nightly -->\n"
            "The chairman reportedly resigned.\n")
    assert found(checker, tmp_path, text) == [(4, "CL201")]


def test_in_plain_text_only_citelint_comments_are_comments(checker: Checker, tmp_path: Path) -> None:
    text = "The style guide says <!-- a note --> is HTML.\n\nThe chairman reportedly resigned. <!-- citelint: disable-line -->\n"
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    document = load_path(str(path)).document
    assert [c.body for c in document.comments] == ["citelint: disable-line"]
    assert "<!-- a note -->" in document.prose and "citelint" not in document.prose
    assert found(checker, tmp_path, text, "text") == []


# -- many suppressions: the same answers as checking each directive against each finding -------

def _naive_region_ends(document: Document, active: list[suppress._Directive]) -> list[int]:
    """Where each directive's region ends, by the definition: an enable closes every open
    disable whose codes meet its own (all, when either names none)."""
    ends = {id(d): len(document.text) for d in active}
    for comment in document.comments:
        match = suppress._ATTEMPT.match(comment.body)
        if match and suppress._VERBS.get(match.group("verb").lower()) == "enable":
            names, _ = suppress._parse_codes(match.group("rest"))
            codes = None if names is None else frozenset(c for _, g in names for c in g)
            for d in active:
                if d.verb == "disable" and d.start <= comment.span.start and ends[id(d)] == len(document.text) \
                        and (codes is None or d.codes is None or d.codes & codes):
                    ends[id(d)] = comment.span.start
    return [ends[id(d)] for d in active]


def _naive_covers(d: suppress._Directive, f: Finding) -> bool:
    if d.codes is not None and f.code not in d.codes:
        return False
    if d.verb != "disable":
        return f.span.line == d.line
    return d.start <= f.span.start < d.end


CODES = ["CL101", "CL201", "CL202", "CL203"]
directive_line = st.builds(
    lambda verb, codes: f"<!-- citelint: {verb} {' '.join(codes)} -->",
    st.sampled_from(["disable", "enable", "disable-line", "disable-next-line"]),
    st.lists(st.sampled_from([*CODES, "CL2", "CL9"]), max_size=2),
)
text_line = st.just("Pier sold.")


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.one_of(directive_line, text_line), min_size=1, max_size=40),
       marks=st.lists(st.tuples(st.integers(0, 39), st.sampled_from(CODES)), max_size=40))
def test_indexed_suppression_answers_as_the_definition_does(lines: list[str], marks: list[tuple[int, str]]) -> None:
    document = load_text("\n".join(lines) + "\n", "story.md", "markdown")
    findings = []
    for line, code in marks:
        line %= len(lines)
        start = document.lines.starts[line]
        findings.append(Finding(code, code.lower(), Severity.WARNING, "m", "story.md", document.original_span(start, start + 4)))
    active, _ = suppress.directives(document)
    assert [d.end for d in active] == _naive_region_ends(document, active)
    cover = suppress._Cover(active, findings)
    assert [cover.suppressed(f) for f in findings] == [any(_naive_covers(d, f) for d in active) for f in findings]
    assert [cover.used(d) for d in active] == [{f.code for f in findings if _naive_covers(d, f)} for d in active]


def test_thousands_of_suppressions_each_do_their_part(checker: Checker, tmp_path: Path) -> None:
    """A long article suppressed paragraph by paragraph, in every form: each finding is
    suppressed by its own comment and no comment is reported unused, except the ones that
    were written to be."""
    parts = []
    for i in range(1500):
        form = i % 3
        if form == 0:
            parts.append(f"<!-- citelint: disable-next-line CL201 -->\nThe pier {i} was reportedly sold.")
        elif form == 1:
            parts.append(f"<!-- citelint: disable CL2 -->\nThe pier {i} was reportedly sold.\n<!-- citelint: enable CL2 -->")
        else:
            parts.append(f"The pier {i} was reportedly sold. <!-- citelint: disable-line CL203 -->")
    text = "\n\n".join(parts) + "\n"
    path = tmp_path / "long.md"
    path.write_text(text, encoding="utf-8")
    results = checker.check(load_path(str(path)).document)
    findings = [(f.code, f.message) for r in results for f in r.findings]
    # the third form names the wrong rule: its CL201 stands and the comment is reported unused
    assert findings.count(("CL201", findings[0][1])) == 500 and len(findings) == 1000
    assert sum(code == "CL901" for code, _ in findings) == 500
    assert all("suppresses no CL203 finding" in message for code, message in findings if code == "CL901")
