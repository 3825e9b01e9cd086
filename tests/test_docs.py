"""The README's rule table is generated from the rule modules and must stay in sync."""
from __future__ import annotations

import re
from pathlib import Path

from citelint.rules import markdown_table

README = Path(__file__).parent.parent / "README.md"


def test_readme_rule_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", text, re.S)
    assert match, "README lost its rules markers"
    assert match.group(1) == markdown_table(), "README rule table is stale: regenerate it from citelint.rules.markdown_table()"
