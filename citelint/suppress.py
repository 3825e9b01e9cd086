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
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        if self.codes is not None and finding.code not in self.codes:
            return False
        if self.verb in ("disable-line", "disable-next-line"):
            return finding.span.line == self.line
        return self.start <= finding.span.start < self.end


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
    open_: list[_Directive] = []
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
            for directive in open_:
                if directive.end == len(document.text) and (codes is None or directive.codes is None or directive.codes & codes):
                    directive.end = comment.span.start
            open_ = [d for d in open_ if d.end == len(document.text)]
            continue
        line = comment.span.line if verb == "disable-line" else comment.span.end_line + 1
        directive = _Directive(verb, codes, names or [], comment.span, comment.span.end, len(document.text), line, written, unknown)
        found.append(directive)
        if verb == "disable":
            open_.append(directive)
    return found, mistakes


def apply(document: Document, findings: list[Finding], report_unused: bool) -> list[Finding]:
    """Findings not suppressed, plus CL901 for directives that suppressed nothing or are mistakes."""
    active, mistakes = directives(document)
    kept = []
    for finding in findings:
        covering = [d for d in active if d.covers(finding)]
        for directive in covering:
            directive.used.add(finding.code)
        if not covering:
            kept.append(finding)
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
