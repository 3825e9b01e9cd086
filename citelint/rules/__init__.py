"""The rules, registered explicitly; each module's docstring is its documentation."""
from __future__ import annotations

from importlib import import_module

from citelint.rules.base import Context, Rule

# Registration is this explicit list: a new rule is a new module named here.
_MODULES = (
    "cl101_uncredited_report",
    "cl102_link_mismatch",
    "cl103_unknown_outlet",
    "cl104_ambiguous_outlet",
    "cl105_unreliable_source",
    "cl106_unused_source",
    "cl201_vague_attribution",
    "cl202_anonymous_source",
    "cl203_weasel_attribution",
    "cl301_dead_link",
    "cl302_quote_not_found",
    "cl303_quote_altered",
    "cl304_unverifiable_source",
    "cl901_unused_suppression",
)
RULES: tuple[Rule, ...] = tuple(Rule.from_module(import_module(f"citelint.rules.{name}")) for name in _MODULES)
BY_CODE = {r.code: r for r in RULES}
BY_SLUG = {r.slug: r for r in RULES}


def find_rule(name: str) -> Rule | None:
    """A rule by code (case-insensitive) or slug."""
    return BY_CODE.get(name.upper()) or BY_SLUG.get(name.lower())


__all__ = ["RULES", "BY_CODE", "BY_SLUG", "Context", "Rule", "find_rule"]


def markdown_table() -> str:
    """The rule table for the README, generated from the rule modules."""
    lines = ["| code | rule | default | what it flags |", "|---|---|---|---|"]
    lines += [f"| {r.code} | {r.slug} | {r.severity.label} | {r.summary} |" for r in RULES]
    return "\n".join(lines) + "\n"


def markdown_docs() -> str:
    """docs/rules.md: every rule's documentation, generated from the rule modules."""
    parts = ["# citelint rules", "", "Generated from the rule modules (`citelint rule CODE` prints the same text).", ""]
    for r in RULES:
        parts += [f"## {r.code}", "", f"`{r.slug}` — default severity **{r.severity.label}**", "", r.doc, "",
                  "Options: select or ignore it (`--select`, `--ignore`, config `select`/`ignore`), change its "
                  f"severity (config `severity = {{{r.code} = \"warning\"}}`), or suppress one finding with "
                  f"`<!-- citelint: disable-next-line {r.code} -->`.", ""]
    return "\n".join(parts)
