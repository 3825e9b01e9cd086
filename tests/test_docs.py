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


def test_readme_example_output_is_current() -> None:
    """The README shows what the example prints (its correctness is checked against the
    hand-written fixtures/expected/draft.expected; this only keeps the README honest)."""
    import subprocess
    import sys

    root = README.parent
    proc = subprocess.run([sys.executable, "-m", "citelint", "check", "fixtures/example/draft.md"],
                          capture_output=True, text=True, cwd=root)
    shown = re.search(r"\$ citelint check fixtures/example/draft.md\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert shown, "README lost its example output"
    assert shown.group(1) == proc.stdout + proc.stderr, "README example output is stale"


def test_docs_rules_page_is_current() -> None:
    from citelint.rules import markdown_docs

    page = README.parent / "docs" / "rules.md"
    assert page.read_text(encoding="utf-8") == markdown_docs(), "docs/rules.md is stale: regenerate it from citelint.rules.markdown_docs()"


def test_every_rule_names_its_standard() -> None:
    from citelint.rules import RULES

    for rule in RULES:
        assert "Standard:" in rule.doc, rule.code
