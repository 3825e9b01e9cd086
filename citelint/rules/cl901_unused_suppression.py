"""A suppression comment suppresses nothing.

**What it flags.** `<!-- citelint: disable CODES -->`, `disable-line`, `disable-next-line`
and the region they open, when no finding of the named codes falls in them; suppression
comments naming a rule that does not exist; and `citelint:`/`citelint-` comments that are
not a suppression (`disable-file`, `ignore`), which suppress nothing.

The forms: `<!-- citelint: disable CODES -->` … `<!-- citelint: enable CODES -->` (a region,
to the end of the file without an enable), `<!-- citelint: disable-line CODES -->` (findings
starting on the comment's line), `<!-- citelint: disable-next-line CODES -->` (on the next
line). CODES are codes, slugs or prefixes (`CL2`), comma- or space-separated; none means
every rule; `-- reason` may follow. markdownlint's spelling (`citelint-disable-next-line`)
and Vale's (`<!-- citelint off -->`, `<!-- citelint on -->`) work too. In plain-text
articles the same comments are written inline or on a line of their own.

**Why editors care.** Stale suppressions hide future problems in text that has changed, and a
misspelt code or form silently disables nothing.

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
