"""On one terminal (stdout and stderr the same tty), the --verify progress line is cleared
before the findings it would otherwise run into. Verified against a real loopback server."""
from __future__ import annotations

import io
from pathlib import Path

from httpserver import Route, serve_many

from citelint.cli import main


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


REGISTRY = '[[source]]\nid = "harbour-wire"\nname = "Harbour Wire"\ndomains = ["127.0.0.1"]\nkind = "wire"\nstatus = "reliable"\n'


def test_progress_line_is_cleared_before_the_findings(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text(REGISTRY, encoding="utf-8")
    article = tmp_path / "article.md"
    with serve_many({"/gone": Route(404, "not found")}, ["127.0.0.1"]) as urls:
        article.write_text(f"[Harbour Wire reported]({urls[0]}/gone) that the pier was sold.\n", encoding="utf-8")
        terminal = Terminal()
        code = main(["check", "--verify", "--allow-host", "127.0.0.1", "--color", "never", "--timeout", "3",
                     "--cache-dir", str(tmp_path / "cache"), "--sources", str(tmp_path / "sources.toml"), str(article)],
                    stdout=terminal, stderr=terminal)
    shown = terminal.getvalue()
    assert code == 1
    finding = shown.index(":1:2: error CL301 ")
    progress = shown.rindex("\rverifying 1/1 URLs (127.0.0.1)", 0, finding)
    assert "\r\x1b[K" in shown[progress:finding]  # cleared between the last progress line and the report
