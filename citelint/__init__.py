"""citelint: a source-citation linter for news writing."""
from __future__ import annotations

__version__ = "0.1.0"
