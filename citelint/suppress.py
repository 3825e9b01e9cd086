"""Suppression comments in articles: ``<!-- citelint: disable|disable-next-line|enable CODES -->``."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from citelint.model import Document, Finding, Span
from citelint.rules import RULES, find_rule

_DIRECTIVE = re.compile(r"^\s*citelint\s*:\s*(?P<verb>disable-next-line|disable|enable)\b(?P<rest>.*)$", re.I | re.S)


@dataclass
class _Directive:
    verb: str
    codes: frozenset[str] | None  # None: every code
    span: Span
    start: int  # region, original offsets (disable) …
    end: int
    line: int  # … or the line (disable-next-line)
    unknown: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        if self.codes is not None and finding.code not in self.codes:
            return False
        if self.verb == "disable-next-line":
            return finding.span.line == self.line
        return self.start <= finding.span.start < self.end


def _parse_codes(rest: str) -> tuple[frozenset[str] | None, list[str]]:
    rest = rest.split("--", 1)[0]  # "-- reason" after the codes is a comment for humans
    names = rest.replace(",", " ").split()
    if not names:
        return None, []
    codes, unknown = set(), []
    for name in names:
        rule = find_rule(name)
        if rule is None:
            unknown.append(name)
        else:
            codes.add(rule.code)
    return frozenset(codes), unknown


def directives(document: Document) -> list[_Directive]:
    found: list[_Directive] = []
    open_: list[_Directive] = []
    for comment in document.comments:
        match = _DIRECTIVE.match(comment.body)
        if not match:
            continue
        verb = match.group("verb").lower()
        codes, unknown = _parse_codes(match.group("rest"))
        if verb == "enable":
            for directive in open_:
                if directive.end == len(document.text) and (codes is None or directive.codes is None or directive.codes & codes):
                    directive.end = comment.span.start
            open_ = [d for d in open_ if d.end == len(document.text)]
            continue
        directive = _Directive(verb, codes, comment.span, comment.span.end, len(document.text), comment.span.end_line + 1, unknown)
        found.append(directive)
        if verb == "disable":
            open_.append(directive)
    return found


def apply(document: Document, findings: list[Finding], report_unused: bool) -> list[Finding]:
    """Findings not suppressed, plus CL901 for directives that suppressed nothing."""
    active = directives(document)
    kept = []
    for finding in findings:
        covering = [d for d in active if d.covers(finding)]
        for directive in covering:
            directive.used.add(finding.code)
        if not covering:
            kept.append(finding)
    if report_unused:
        rule = next(r for r in RULES if r.code == "CL901")
        for directive in active:
            for name in directive.unknown:
                kept.append(Finding(rule.code, rule.slug, rule.severity,
                                    f"suppression names unknown rule {name!r}; see 'citelint rules'", document.path, directive.span))
            if directive.codes is None:
                if not directive.used:
                    kept.append(Finding(rule.code, rule.slug, rule.severity,
                                        f"'{directive.verb}' suppresses no finding; remove the comment", document.path, directive.span))
                continue
            for code in sorted(directive.codes - directive.used):
                kept.append(Finding(rule.code, rule.slug, rule.severity,
                                    f"'{directive.verb} {code}' suppresses no {code} finding; remove it", document.path, directive.span))
    return kept
