"""The HTML report, read back with BeautifulSoup: every finding beside its text, every
attribution highlighted, the article shown as its readers see it (no Markdown syntax, link
targets or tags), nothing from the article executable."""
from __future__ import annotations

import io
import os
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

from citelint.check import Checker, FileResult
from citelint.cli import main
from citelint.load import load_path
from citelint.model import Attribution, CueType, InputError, Kind, Span
from citelint.registry import load_registry
from citelint.report import render
from citelint.report.html_assets import SCRIPT
from citelint.report.html_format import _Layer, markup
from citelint.verify.model import Page, QuoteMatch, QuoteResult, Verdict, Verification

ROOT = Path(__file__).parent.parent / "fixtures"
# Relative, as reports show paths relative to the working directory.
DRAFT = os.path.relpath(ROOT / "example" / "draft.md")
HOSTILE = os.path.relpath(ROOT / "articles" / "hostile.md")
CLEAN = os.path.relpath(ROOT / "articles" / "library-hours.md")


def run(fmt: str, *paths: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    main(["check", "--format", fmt, *paths], stdout=out, stderr=err)
    return out.getvalue()


def soup_of(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


def section(soup: BeautifulSoup, path: str) -> Tag:
    heading = next(h for h in soup.find_all("h2") if h.get_text() in (path, path + " (source list)"))
    parent = heading.parent
    assert isinstance(parent, Tag)
    return parent


def text_outside_cards(div: Tag, stop: Tag | None = None) -> str:
    """The article text as the page shows it, without the finding cards, up to ``stop``."""
    parts = []
    for node in div.descendants:
        if node is stop:
            break
        if isinstance(node, NavigableString) and not any("card" in (p.get("class") or []) for p in node.parents):
            parts.append(str(node))
    return "".join(parts)


def pieces(scope: Tag, selector: str) -> str:
    return "".join(el.get_text() for el in scope.select(selector))


def words(text: str) -> list[str]:
    return text.split()


def test_markdown_is_shown_as_readers_see_it() -> None:
    """Hand-written: what a Markdown renderer would show of a small article."""
    from citelint.load import load_text

    text = ('---\ntitle: "Pier"\nauthor: desk\n---\n# The **pier** closes\n\n'
            'The [BBC reported](https://www.bbc.co.uk/news/pier-1) that the _old_ pier will close, '
            'as did [Reuters][wire].\n\n> “It is unsafe,” the engineer said.\n\n'
            '[wire]: https://www.reuters.com/pier\n')
    document = load_text(text, "pier.md", "markdown")
    shown = document.shown(0, len(text))
    assert [" ".join(p.split()) for p in shown.split("\n\n") if p.strip()] == [
        "The pier closes",
        "The BBC reported that the old pier will close, as did Reuters.",
        "“It is unsafe,” the engineer said.",
    ]


@pytest.mark.parametrize("article", [DRAFT, HOSTILE], ids=["draft", "hostile"])
def test_every_finding_is_shown_beside_its_text(article: str) -> None:
    report = json.loads(run("json", article))
    soup = soup_of(run("html", article))
    for entry in report["files"]:
        document = load_path(entry["path"]).document
        original = document.text
        scope = section(soup, entry["path"])
        div = scope.select_one("div.text")
        assert div is not None
        # The words a reader sees, in order: the prose the checker read (plain text: all of it).
        seen = document.text if document.format == "text" else document.prose
        assert words(text_outside_cards(div)) == words(seen)
        for link in document.links if document.format != "text" else ():
            assert link.url not in text_outside_cards(div) or link.url in document.prose
        cards = scope.select("div.card")
        assert len(cards) == len(entry["findings"])
        for finding, card in zip(entry["findings"], cards):
            assert (card["data-code"], card["data-severity"]) == (finding["code"], finding["severity"])
            assert (int(card["data-start"]), int(card["data-end"])) == (finding["start"], finding["end"])
            assert finding["message"] in card.get_text()
            assert finding["rule"] in card.get_text()
            assert card.find("details") is not None  # the rule's summary and documentation
            highlighted = pieces(scope, f'mark[data-finding="{card["id"]}"]')
            span = document.original_span(finding["start"], finding["end"])
            assert " ".join(highlighted.split()) == document.visible(span)
            # the card comes right after the line holding the end of the finding
            before = text_outside_cards(div, stop=card)
            line_end = original.find("\n", max(finding["end"] - 1, finding["start"]))
            line_end = len(original) if line_end < 0 else line_end + 1
            prose_end = document.offsets.to_prose(line_end, len(document.prose), end=True)
            assert words(before) == words(seen[:prose_end])


@pytest.mark.parametrize("article", [DRAFT, HOSTILE], ids=["draft", "hostile"])
def test_every_attribution_is_highlighted(article: str) -> None:
    report = json.loads(run("json", article))
    soup = soup_of(run("html", article))
    entry = report["files"][0]
    document = load_path(article).document
    scope = section(soup, article)
    for att in entry["attributions"]:
        for cls, spans in (("src", [att["source"]]), ("cue", [att["cue"]]), ("quote", att["quotes"])):
            for span in spans:
                if span is None:
                    continue
                found = [el for el in scope.select(f'span.{cls}[data-start="{span["start"]}"]')
                         if el["data-end"] == str(span["end"]) and att["id"] in el["data-att"].split()]
                assert found, (att["id"], cls, span["text"])
                shown = " ".join("".join(el.get_text() for el in found).split())
                assert shown == document.visible(document.original_span(span["start"], span["end"]))
        row = next(tr for tr in scope.select("tbody tr") if tr.td and tr.td.get_text() == att["id"])
        registry = row.find_all("td")[3].get_text()
        assert (att["resolved"]["name"] in registry) if att["resolved"] else registry.startswith(("unknown", "ambiguous"))


def test_hostile_article_stays_text() -> None:
    page = run("html", HOSTILE)
    soup = soup_of(page)
    scripts = soup.find_all("script")
    assert len(scripts) == 1 and scripts[0].string == SCRIPT and not scripts[0].get("src")
    for tag in soup.find_all(True):
        assert not [name for name in tag.attrs if name.lower().startswith("on")], tag.name
        for name in ("href", "src", "action", "formaction"):
            value = tag.get(name)
            if value is not None:
                assert str(value).startswith(("#", "https://", "http://")), (tag.name, value)
    assert not soup.find_all(["img", "iframe", "object", "embed", "link", "base"])
    assert "<script>alert(1)" not in page and "<img src=x" not in page and "</q><script>" not in page
    text = soup.select_one("div.text")
    assert text is not None
    shown = text.get_text()
    # Inline HTML in Markdown is markup, not words a reader sees: neither run nor shown. What
    # the article spells out in words (an escaped tag, a javascript: URL in prose) is text.
    for hidden in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</q><script>document.title"):
        assert hidden not in shown
    for visible in ("escaped form <script> & asked", "began javascript:alert(document.cookie)",
                    "“Type <b> and you get bold; type"):
        assert visible in shown
    # the quote around "</q><script>" is highlighted as a quote, with the words around the tags
    assert any("in the page source and took the portal offline" in q.get_text() for q in soup.select("span.quote"))
    assert soup.title is not None and soup.title.string == "citelint report"
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert csp is not None and "default-src 'none'" in csp["content"]


def test_clean_article_says_no_problems_found() -> None:
    soup = soup_of(run("html", CLEAN))
    assert soup.select_one("header .ok") is not None  # the run
    ok = section(soup, CLEAN).select_one("p.ok")
    assert ok is not None and ok.get_text() == "No problems found"
    assert soup.find("nav") is None  # one file: no index
    assert soup.find("form") is None  # nothing to filter


def test_index_when_several_files_and_input_errors_listed(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.md")
    soup = soup_of(run("html", DRAFT, CLEAN, missing))
    nav = soup.find("nav")
    assert nav is not None
    links = {a.get_text(): a["href"] for a in nav.find_all("a")}
    assert DRAFT in links and CLEAN in links
    for href in links.values():
        assert soup.find(id=href[1:]) is not None
    clean_row = next(tr for tr in nav.select("tbody tr") if tr.get_text().startswith(CLEAN))
    assert [td.get_text() for td in clean_row.find_all("td")] == ["0", "0", "0"]
    errors = soup.select_one("section.errors")
    assert errors is not None and missing in errors.get_text()
    form = soup.find("form", id="filters")
    assert form is not None and form.has_attr("hidden")  # shown by the script only
    assert {i["value"] for i in form.select('input[name="rule"]')} >= {"CL101", "CL105", "CL201", "CL202"}


def test_crossing_spans_nest_and_keep_their_text() -> None:
    layers = [_Layer(0, 4, "mark", {"class": "a"}, 0, "first"), _Layer(2, 6, "span", {"class": "b"}, 1),
              _Layer(3, 3, "mark", {"class": "empty"}, 0)]
    out = markup("a<c&ef", layers, {6: ["<div>card</div>"]})
    # "b" is cut where "a" ends; the id goes on the first piece, the code label on the last
    assert out == ('<mark class="a last" id="first">a&lt;<span class="b">c<mark class="empty last"></mark>&amp;</span>'
                   '</mark><span class="b">ef</span><div>card</div>')


def _span(text: str, start: int) -> Span:
    return Span(start, start + len(text), text, 1, start + 1, 1, start + 1 + len(text))


def test_verification_and_links_are_escaped(tmp_path: Path) -> None:
    page = Page("https://example.org/a", Verdict.ALIVE, "200 OK", final_url="javascript:alert(1)", http_status=200)
    quotes = (QuoteMatch("talks in London", QuoteResult.ALTERED, 66.7, "talks in <b>Paris</b>",
                         "talks in [-London-] {+<b>Paris</b>+}"),)
    att = Attribution("a1", _span("said", 3), CueType.SPEECH, _span("AP", 0), None, kind=Kind.OUTLET,
                      urls=("https://example.org/a", "javascript:alert(2)"),
                      verification=Verification(page, quotes))
    gone = str(tmp_path / "gone.md")
    soup = soup_of(render("html", [FileResult(gone, (att,), ())], [InputError("x.md", "<bad>")]))
    scope = section(soup, gone)
    assert "could not be read again" in scope.get_text()
    cell = scope.select("tbody td")[-1]
    assert cell.select_one(".verdict-alive") is not None and "HTTP 200" in cell.get_text()
    assert cell.find("del").get_text() == "London" and cell.find("ins").get_text() == "<b>Paris</b>"
    assert "the page says: talks in <b>Paris</b>" in cell.get_text()
    assert [a["href"] for a in scope.find_all("a")] == ["https://example.org/a"]
    assert "javascript:alert(2)" in scope.get_text() and "javascript:alert(1)" in scope.get_text()
    assert "<bad>" in soup.select_one("section.errors").get_text()


def test_a_file_changed_after_checking_is_not_shown_with_stale_spans(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The Daily Bugle reported it. Sources said so.\n", encoding="utf-8")
    results = Checker(load_registry()).check(load_path(str(article)).document)
    article.write_text("Rewritten entirely.\n", encoding="utf-8")
    soup = soup_of(render("html", results))
    assert soup.select_one("div.text") is None
    assert "changed after it was checked" in soup.get_text()
    assert len(soup.select("div.card")) == len(results[0].findings) > 0


def test_empty_run() -> None:
    soup = soup_of(render("html", []))
    assert "No problems found" in soup.get_text() and "No files were checked" in soup.get_text()



PAGE = ("<!DOCTYPE html><html><head><title>Pier</title></head><body>"
        "<nav class='site-nav'><ul><li><a href='/a'>Home</a></li><li><a href='/b'>Critics say the pier tolls are unfair</a></li>"
        "<li><a href='/c'>Local</a></li><li><a href='/d'>Sport</a></li></ul></nav>"
        "<main><article><h1>Pier sale delayed</h1>"
        "<p>The harbour board delayed the sale of the old pier on Monday after traders asked for a public hearing.</p>"
        "<p>The board will meet again in May to hear the traders and the buyers, the clerk told reporters.</p>"
        "<p>Repairs to the pier were first promised in 2009 and have been costed four times since then.</p>"
        "</article></main><footer><p>Copyright 2024 The Harbour Gazette</p></footer></body></html>")


@pytest.mark.parametrize("whole_page", [False, True])
def test_a_page_is_shown_as_it_was_checked(tmp_path: Path, whole_page: bool) -> None:
    page = tmp_path / "pier.html"
    page.write_text(PAGE, encoding="utf-8")
    out = io.StringIO()
    main(["check", "--isolated", "--format", "html", *(["--whole-page"] if whole_page else []), str(page)],
         stdout=out, stderr=io.StringIO())
    soup = soup_of(out.getvalue())
    shown = " ".join(text_outside_cards(section(soup, str(page)).select_one("div.text")).split())  # type: ignore[arg-type]
    assert "The harbour board delayed the sale of the old pier" in shown
    # With --whole-page the menu was read, a finding is on its words, and the report shows them.
    assert ("Critics say the pier tolls are unfair" in shown) is whole_page
    assert any(f.get_text().find("CL203") >= 0 for f in soup.select("ol.findings li")) is whole_page
