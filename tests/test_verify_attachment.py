"""--verify checks each quote against the page its own cue cites (issue 10): a quotation that
closes one paragraph is never checked against the link of a cue in the next. A real local
server serves the cited page; nothing is mocked."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from httpserver import HARBOUR_WIRE, Route, serve_many

from citelint.cli import main

PAGE = """<html><head><title>Harbour deal</title></head><body><article>
<h1>Harbour board sells pier</h1>
<p>The harbour board held secret talks in London to assess whether the sale could go ahead.</p>
<p>The council voted 7-2 to approve the sale on Tuesday evening.</p>
<p>Opponents of the sale, who had gathered outside the town hall since the afternoon, said they
would ask the harbour commissioners to review the decision before the contracts are signed in the
spring, and that a petition against the sale had already gathered more than two thousand names.</p>
</article></body></html>"""

REGISTRY = HARBOUR_WIRE


@pytest.fixture(scope="module")
def site() -> str:
    with serve_many({"/story": Route(body=PAGE)}, ["127.0.0.1"]) as urls:
        yield str(urls[0])


def _findings(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    (tmp_path / "sources.toml").write_text(REGISTRY, encoding="utf-8")
    article = tmp_path / "article.md"
    article.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    main(["check", "--format", "json", "--verify", "--allow-host", "127.0.0.1", "--cache-dir", str(tmp_path / "cache"),
          "--sources", str(tmp_path / "sources.toml"), "--timeout", "3", str(article)], stdout=out, stderr=err)
    report = json.loads(out.getvalue())
    return [(f["code"], text[f["start"] : f["end"]]) for entry in report["files"] for f in entry["findings"]]


def _article(site: str, quoted: str) -> str:
    return (
        "The mayor said the plan for the pier was “dead on arrival.”\n\n"
        f"[Harbour Wire reported]({site}/story) on Tuesday that the council “{quoted}.”\n\n"
        "The mayor's office declined to comment further.\n"
    )


def test_a_correct_quote_after_a_quote_ending_the_paragraph_above_passes(tmp_path: Path, site: str) -> None:
    findings = _findings(tmp_path, _article(site, "voted 7-2 to approve the sale"))
    assert not [f for f in findings if f[0] in ("CL302", "CL303")], findings


def test_a_misquote_after_a_quote_ending_the_paragraph_above_is_caught(tmp_path: Path, site: str) -> None:
    findings = _findings(tmp_path, _article(site, "voted 9-0 to block the sale"))
    assert any(code in ("CL302", "CL303") and "9-0" in at for code, at in findings), findings
    assert not any("dead on arrival" in at for _, at in findings), findings
