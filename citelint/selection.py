"""Which rules run and at what severity: select/ignore by code, slug or code prefix."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from citelint.model import Severity
from citelint.rules import RULES, Rule, find_rule


class SelectionError(ValueError):
    """An unknown rule code, slug or prefix (a disable must never fail silently)."""


def expand(names: list[str] | tuple[str, ...], origin: str = "--select/--ignore") -> frozenset[str]:
    """Rule codes named by codes, slugs, prefixes ("CL2") or "ALL"."""
    codes: set[str] = set()
    for raw in names:
        for name in raw.replace(",", " ").split():
            upper = name.upper()
            if upper == "ALL":
                codes.update(r.code for r in RULES)
                continue
            rule = find_rule(name)
            if rule is not None:
                codes.add(rule.code)
                continue
            matched = {r.code for r in RULES if r.code.startswith(upper)}
            if not matched or not upper.startswith("CL"):
                raise SelectionError(f"{origin}: unknown rule {name!r} (see 'citelint rules')")
            codes.update(matched)
    return frozenset(codes)


@dataclass(frozen=True)
class Selection:
    select: frozenset[str] | None = None  # None: every rule
    ignore: frozenset[str] = frozenset()
    severities: dict[str, Severity] = field(default_factory=dict)

    def enabled(self, rule: Rule) -> bool:
        return (self.select is None or rule.code in self.select) and rule.code not in self.ignore

    def severity(self, rule: Rule) -> Severity:
        return self.severities.get(rule.code, rule.severity)

    @cached_property  # asked for every file checked
    def rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in RULES if self.enabled(r))
