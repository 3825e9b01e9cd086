"""A suppression comment suppresses nothing.

**What it flags.** `<!-- citelint: disable CODE -->`, `disable-next-line` and the region
they open, when no finding of the named codes falls in them; and suppression comments
naming a rule that does not exist.

**Why editors care.** Stale suppressions hide future problems in text that has changed, and a
misspelt code silently disables nothing.

**Bad:** `<!-- citelint: disable-next-line CL201 -->` above a line with no vague wording.

**Good:** remove the comment, or move it next to the finding it is meant for.

This rule is applied after suppressions are resolved (see ``citelint.suppress``).
Standard: linter practice (ruff RUF100, sqlfluff --warn-unused-ignores).
"""
from __future__ import annotations

from collections.abc import Iterator

from citelint.model import Severity
from citelint.rules.base import Context, Hit

CODE = "CL901"
SLUG = "unused-suppression"
SEVERITY = Severity.INFO


def check(context: Context) -> Iterator[Hit]:
    return iter(())  # produced by citelint.suppress, which sees every other rule's findings
