"""Suppression comments in articles (in plain text: a line holding only such a comment).

    <!-- citelint: disable CODES -->            from here to a matching enable, or the end
    <!-- citelint: enable CODES -->             ends a disable region
    <!-- citelint: disable-line CODES -->       findings that start on the comment's line
    <!-- citelint: disable-next-line CODES -->  findings that start on the next line

CODES are codes, slugs or prefixes (``CL2``), separated by commas or spaces; none means
every code; ``-- reason`` after them is for humans. The habits of other linters are read
too: ``citelint-disable-next-line`` (markdownlint's spelling) and ``citelint off`` /
``citelint on`` (Vale's). Any other ``citelint:`` or ``citelint-`` comment is a mistake
that would otherwise be silently ignored, so it is reported (CL901) with the right forms,
and suppresses nothing.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from citelint.model import Document, Finding, Span
from citelint.rules import RULES
from citelint.selection import SelectionError, expand

# "citelint" then ":" or "-" (markdownlint) or a space before on/off (Vale); the verb is
# whatever word follows, so a misspelt one is caught rather than skipped.
_ATTEMPT = re.compile(r"^\s*citelint(?:\s*:\s*|-|\s+(?=(?:on|off)\b))(?P<verb>[a-z-]*)(?P<rest>.*)$", re.I | re.S)
_VERBS = {"disable": "disable", "enable": "enable", "disable-line": "disable-line",
          "disable-next-line": "disable-next-line", "off": "disable", "on": "enable"}
FORMS = ("<!-- citelint: disable CODES -->, <!-- citelint: enable CODES -->, "
         "<!-- citelint: disable-line CODES --> or <!-- citelint: disable-next-line CODES -->")


@dataclass
class _Directive:
    verb: str  # disable | disable-line | disable-next-line (enable only closes regions)
    codes: frozenset[str] | None  # None: every code
    names: list[tuple[str, frozenset[str]]]  # as written ("CL2") and the codes each stands for
    span: Span
    start: int  # region, original offsets (disable) …
    end: int
    line: int  # … or the line (disable-line, disable-next-line)
    written: str  # the verb as written, for messages
    unknown: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # codes of the findings it covers


@dataclass(frozen=True)
class _Mistake:
    span: Span
    message: str


def _parse_codes(rest: str) -> tuple[list[tuple[str, frozenset[str]]] | None, list[str]]:
    rest = rest.split("--", 1)[0]  # "-- reason" after the codes is a comment for humans
    written = rest.replace(",", " ").split()
    if not written:
        return None, []
    names: list[tuple[str, frozenset[str]]] = []
    unknown = []
    for name in written:
        try:
            names.append((name, expand([name])))
        except SelectionError:
            unknown.append(name)
    return names, unknown


def directives(document: Document) -> tuple[list[_Directive], list[_Mistake]]:
    found: list[_Directive] = []
    mistakes: list[_Mistake] = []
    regions = _OpenRegions(len(document.text))
    for comment in document.comments:
        match = _ATTEMPT.match(comment.body)
        if not match:
            continue
        written = match.group("verb").lower()
        verb = _VERBS.get(written)
        rest = match.group("rest")
        if verb is None or rest[:1].isalnum():  # "disable-file", "ignore", "disable2"
            shown = " ".join(comment.body.split())[:60]
            mistakes.append(_Mistake(comment.span, f"'{shown}' is not a citelint suppression and suppresses nothing; write {FORMS}"))
            continue
        names, unknown = _parse_codes(rest)
        codes = None if names is None else frozenset(c for _, group in names for c in group)
        if verb == "enable":
            regions.close(codes, comment.span.start)
            continue
        line = comment.span.line if verb == "disable-line" else comment.span.end_line + 1
        directive = _Directive(verb, codes, names or [], comment.span, comment.span.end, len(document.text), line, written, unknown)
        found.append(directive)
        if verb == "disable":
            regions.open(directive)
    return found, mistakes


class _OpenRegions:
    """The ``disable`` regions not yet closed, by code: an ``enable`` closes those whose codes
    meet its own (or all, when either names none) without looking at the others, so a file of
    thousands of suppressions is read in linear time."""

    def __init__(self, end: int) -> None:
        self._end = end  # a region still open runs to the end of the text
        self._every: list[_Directive] = []  # disable with no codes
        self._by_code: dict[str, list[_Directive]] = {}

    def open(self, directive: _Directive) -> None:
        if directive.codes is None:
            self._every.append(directive)
        else:
            for code in directive.codes:
                self._by_code.setdefault(code, []).append(directive)

    def close(self, codes: frozenset[str] | None, at: int) -> None:
        lists = [self._every, *(self._by_code.values() if codes is None else
                                (self._by_code.pop(c, []) for c in codes))]
        for directives in lists:
            for directive in directives:
                if directive.end == self._end:  # each closes once, whichever code list finds it
                    directive.end = at
            directives.clear()
        if codes is None:
            self._by_code.clear()


class _Cover:
    """Which findings the directives cover, answered by lookups (never every directive against
    every finding): line directives by line, regions as merged intervals per code."""

    def __init__(self, active: list[_Directive], findings: list[Finding]) -> None:
        self.lines: dict[int, set[str] | None] = {}  # line -> codes suppressed there (None: all)
        regions: dict[str | None, list[tuple[int, int]]] = {}  # code (None: every code) -> regions
        for d in active:
            if d.verb == "disable":
                for code in (None,) if d.codes is None else d.codes:
                    regions.setdefault(code, []).append((d.start, d.end))
            elif d.codes is None:
                self.lines[d.line] = None
            elif (codes := self.lines.setdefault(d.line, set())) is not None:
                codes.update(d.codes)
        self.regions = {code: _merged(spans) for code, spans in regions.items()}
        self._codes_on_line: dict[int, set[str]] = {}
        self._starts: dict[str, list[int]] = {}  # code -> where its findings start
        for f in findings:
            self._codes_on_line.setdefault(f.span.line, set()).add(f.code)
            self._starts.setdefault(f.code, []).append(f.span.start)
        for starts in self._starts.values():
            starts.sort()

    def suppressed(self, finding: Finding) -> bool:
        codes = self.lines.get(finding.span.line, set())
        if codes is None or finding.code in codes:
            return True
        return any(_inside(self.regions.get(key), finding.span.start) for key in (None, finding.code))

    def used(self, directive: _Directive) -> set[str]:
        """The codes of the findings the directive covers."""
        if directive.verb != "disable":
            on_line = self._codes_on_line.get(directive.line, set())
            return set(on_line) if directive.codes is None else on_line & directive.codes
        codes = self._starts.keys() if directive.codes is None else directive.codes
        return {c for c in codes if _any_between(self._starts.get(c, []), directive.start, directive.end)}


def _merged(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Overlapping [start, end) regions merged: their starts and ends, sorted."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if starts and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _inside(merged: tuple[list[int], list[int]] | None, offset: int) -> bool:
    if merged is None:
        return False
    i = bisect.bisect_right(merged[0], offset) - 1
    return i >= 0 and offset < merged[1][i]


def _any_between(sorted_offsets: list[int], start: int, end: int) -> bool:
    i = bisect.bisect_left(sorted_offsets, start)
    return i < len(sorted_offsets) and sorted_offsets[i] < end


def apply(document: Document, findings: list[Finding], report_unused: bool) -> list[Finding]:
    """Findings not suppressed, plus CL901 for directives that suppressed nothing or are mistakes."""
    active, mistakes = directives(document)
    if not active:
        kept = list(findings)
    else:
        cover = _Cover(active, findings)
        kept = [f for f in findings if not cover.suppressed(f)]
        for directive in active:
            directive.used = cover.used(directive)
    if report_unused:
        rule = next(r for r in RULES if r.code == "CL901")

        def report(message: str, span: Span) -> None:
            kept.append(Finding(rule.code, rule.slug, rule.severity, message, document.path, span))

        for mistake in mistakes:
            report(mistake.message, mistake.span)
        for directive in active:
            for name in directive.unknown:
                report(f"suppression names unknown rule {name!r}; see 'citelint rules'", directive.span)
            if directive.codes is None:
                if not directive.used:
                    report(f"'{directive.written}' suppresses no finding; remove the comment", directive.span)
                continue
            for name, group in directive.names:
                if not group & directive.used:
                    what = f"{name} finding" if group == {name.upper()} else f"finding of {', '.join(sorted(group))}"
                    report(f"'{directive.written} {name}' suppresses no {what}; remove it", directive.span)
    return kept
