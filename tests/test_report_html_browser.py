"""The HTML report in headless Chromium (standard library only): the DOM after scripts ran
still holds every finding and highlight, the hostile article's script never ran, and the page
renders to a real screenshot."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from citelint.cli import main

ROOT = Path(__file__).parent.parent / "fixtures"
ARTICLES = [str(ROOT / "example" / "draft.md"), str(ROOT / "articles" / "hostile.md")]
# The real-world article this project grew from lives outside the repository (it is someone
# else's writing): report on it too when it is beside the checkout, as in CI.
SEED = Path(__file__).resolve().parents[2] / "shared" / "eval" / "seed-article.txt"
if SEED.exists():
    ARTICLES.append(str(SEED))


def chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if found is None:
        pytest.skip("chromium not installed: apt-get install chromium")
    return found


def browse(binary: str, profile: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", *args],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def test_report_in_headless_chromium(tmp_path: Path) -> None:
    binary = chromium()
    report = tmp_path / "report.html"
    assert main(["check", "--format", "html", "-o", str(report), *ARTICLES], stdout=io.StringIO(), stderr=io.StringIO()) == 1
    out = io.StringIO()
    main(["check", "--format", "json", *ARTICLES], stdout=out, stderr=io.StringIO())
    expected = json.loads(out.getvalue())

    url = report.as_uri()
    png = tmp_path / "report.png"
    dump = browse(binary, tmp_path / "profile-dom", "--dump-dom", url)
    shot = browse(binary, tmp_path / "profile-png", f"--screenshot={png}", "--window-size=1280,2000", url)
    dom, _ = dump.communicate(timeout=60)
    shot.communicate(timeout=60)
    soup = BeautifulSoup(dom.decode("utf-8"), "html.parser")

    # Our script ran: it revealed the filters and counted the findings ...
    total = sum(len(f["findings"]) for f in expected["files"])
    form = soup.find("form", id="filters")
    assert form is not None and not form.has_attr("hidden")
    status = soup.find(id="filter-status")
    assert status is not None and status.get_text() == f"{total} of {total} findings shown"
    # ... and nothing from the article did: one script, the title untouched, no element injected.
    assert len(soup.find_all("script")) == 1
    assert soup.title is not None and soup.title.get_text() == "citelint report"
    assert not soup.find_all(["img", "iframe", "object", "embed"])
    for tag in soup.find_all(True):
        assert not [name for name in tag.attrs if name.lower().startswith("on")]
    page_text = soup.get_text()
    # Inline HTML in the Markdown article is markup, not words: not run, not injected, not shown;
    # the tag the article spells out with entities is shown as text.
    for hostile in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</q><script>document.title='pwned'"):
        assert hostile not in page_text
    assert "escaped form <script> & asked" in page_text

    for entry in expected["files"]:
        for finding in entry["findings"]:
            start, end = str(finding["start"]), str(finding["end"])
            cards = [c for c in soup.select(f'div.card[data-code="{finding["code"]}"]')
                     if (c["data-start"], c["data-end"]) == (start, end) and finding["message"] in c.get_text()]
            assert len(cards) == 1, finding
            assert soup.select(f'mark.flag[data-finding="{cards[0]["id"]}"]')
        for att in entry["attributions"]:
            for cls, span in (("src", att["source"]), ("cue", att["cue"])):
                if span is not None:
                    assert soup.select(f'span.{cls}[data-start="{span["start"]}"][data-end="{span["end"]}"]'), (att["id"], cls)

    assert png.exists() and png.stat().st_size > 10_000
