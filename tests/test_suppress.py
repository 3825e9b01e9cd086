"""Suppression comments: every supported form suppresses exactly what it says, in Markdown,
HTML and plain text; forms from other linters are either read or reported (CL901), never
silently wrong; prefixes work."""
from __future__ import annotations

from pathlib import Path

import pytest

from citelint.check import Checker
from citelint.load import load_path
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
