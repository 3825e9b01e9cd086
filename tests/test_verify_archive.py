"""--archive: a dead link's archived copy is looked up at a Wayback-style availability endpoint
(a local server speaking the same JSON here), named in CL301, and its quotes are checked there;
the endpoint is an untrusted host under the same address policy as every cited page."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from httpserver import Route, serve

from citelint.cli import main

COPY = ("<html><body><article><h1>Pier sold</h1><p>The harbour board held secret talks in London to assess whether "
        "the sale could go ahead, officials said on Friday after a long week of meetings with the buyers.</p>"
        "<p>“We had no choice but to sell it,” the chair, Ana Ruiz, told reporters outside the offices of the board "
        "in the old customs house, where the sale was signed.</p></article></body></html>")
REGISTRY = '[[source]]\nid = "harbour-wire"\nname = "Harbour Wire"\ndomains = ["127.0.0.1"]\nkind = "wire"\n'


def answer(url: str | None) -> Route:
    closest = {"available": True, "url": url, "timestamp": "20240101000000", "status": "200"} if url else None
    body = {"url": "x", "archived_snapshots": {"closest": closest} if closest else {}}
    return Route(body=json.dumps(body), content_type="application/json")


@pytest.fixture
def server() -> str:
    routes: dict[str, Route] = {"/web/2024/story": Route(body=COPY), "/gone": Route(404, "not found"),
                                "/gone-uncopied": Route(404, "not found"), "/junk/available": Route(body="{not json")}
    with serve(routes) as base:
        routes["/wayback/available?url=" + f"{base}/gone".replace(":", "%3A").replace("/", "%2F")] = answer(f"{base}/web/2024/story")
        routes["/wayback/available"] = answer(None)  # any other URL: no copy
        yield base


def run(tmp_path: Path, text: str, *extra: str) -> tuple[list[dict], dict]:
    (tmp_path / "s.toml").write_text(REGISTRY, encoding="utf-8")
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    out = io.StringIO()
    main(["check", "--format", "json", "--verify", "--cache-dir", str(tmp_path / "c"), "--sources", str(tmp_path / "s.toml"),
          "--timeout", "5", *extra, str(tmp_path / "a.md")], stdout=out, stderr=io.StringIO())
    report = json.loads(out.getvalue())
    return report["files"][0]["findings"], report


def test_a_dead_link_names_its_archived_copy_and_its_quotes_are_checked_there(server: str, tmp_path: Path) -> None:
    text = (f"[Harbour Wire reported]({server}/gone) that the board “held secret talks in London to assess whether "
            "the sale could go ahead.”\n\nNo vote.\n\n"
            f"[Harbour Wire reported]({server}/gone) that the chair said “We had no choice but to sell the pier.”")
    findings, report = run(tmp_path, text, "--allow-host", "127.0.0.1", "--archive", "--archive-url", f"{server}/wayback/available")
    (dead,) = [f for f in findings if f["code"] == "CL301"]
    assert f"an archived copy is at {server}/web/2024/story" in dead["message"]
    assert [f["code"] for f in findings if f["code"] in ("CL302", "CL303")] == ["CL303"]  # the altered one, from the copy
    verifications = [a["verification"] for a in report["files"][0]["attributions"] if a["verification"]]
    assert {v["archived_url"] for v in verifications} == {f"{server}/web/2024/story"}
    assert {(q["text"][:9], q["result"]) for v in verifications for q in v["quotes"]} == {("held secr", "exact"), ("We had no", "altered")}


def test_without_a_copy_or_with_a_broken_endpoint_the_link_is_just_dead(server: str, tmp_path: Path) -> None:
    text = f"[Harbour Wire reported]({server}/gone-uncopied) that the board “held secret talks in London.”"
    for endpoint in (f"{server}/wayback/available", f"{server}/junk/available", f"{server}/no-such-endpoint"):
        findings, report = run(tmp_path, text, "--allow-host", "127.0.0.1", "--archive", "--archive-url", endpoint)
        (dead,) = [f for f in findings if f["code"] == "CL301"]
        assert "link the report's current address or an archived copy" in dead["message"]
        (quote,) = report["files"][0]["attributions"][0]["verification"]["quotes"]
        assert quote["result"] == "unchecked" and "gone" in quote["reason"]


def test_the_endpoint_obeys_the_address_policy(server: str, tmp_path: Path) -> None:
    # The cited host is allowed; the endpoints (another loopback address, the cloud metadata
    # address) are not: the lookup is refused before any connection and the link is just dead.
    text = f"[Harbour Wire reported]({server}/gone) that the board “held secret talks in London.”"
    for endpoint in (server.replace("127.0.0.1", "127.0.0.2") + "/wayback/available", "http://169.254.169.254/latest"):
        findings, _ = run(tmp_path, text, "--allow-host", "127.0.0.1", "--archive", "--archive-url", endpoint)
        (dead,) = [f for f in findings if f["code"] == "CL301"]
        assert "archived copy is at" not in dead["message"]
    assert not [e for e in server.log if e.path.startswith("/wayback")]  # type: ignore[attr-defined]


def test_without_archive_nothing_is_looked_up(server: str, tmp_path: Path) -> None:
    text = f"[Harbour Wire reported]({server}/gone) that the board “held secret talks in London.”"
    findings, _ = run(tmp_path, text, "--allow-host", "127.0.0.1", "--archive-url", f"{server}/wayback/available")
    assert [f["code"] for f in findings if f["code"] == "CL301"] == ["CL301"]
    assert not [e for e in server.log if e.path.startswith("/wayback")]  # type: ignore[attr-defined]


@pytest.fixture
def dated_server() -> str:
    """An endpoint that answers with the snapshot nearest the asked date: 2019 or 2024."""
    routes: dict[str, Route] = {"/web/2019/story": Route(body=COPY), "/web/2024/story": Route(body=COPY),
                                "/gone": Route(404, "not found")}
    with serve(routes) as base:
        asked = "/wayback/available?url=" + f"{base}/gone".replace(":", "%3A").replace("/", "%2F")
        routes[asked] = answer(f"{base}/web/2024/story")
        routes[asked + "&timestamp=20190305"] = answer(f"{base}/web/2019/story")
        yield base


def test_the_copy_asked_for_is_the_one_nearest_the_articles_date(dated_server: str, tmp_path: Path) -> None:
    server = dated_server
    cited = f"[Harbour Wire reported]({server}/gone) that the board “held secret talks in London.”\n"
    archive = ["--allow-host", "127.0.0.1", "--archive", "--archive-url", f"{server}/wayback/available"]
    dated = {
        "front matter (YAML)": "---\ntitle: Pier sold\ndate: 2019-03-05T08:00:00Z\n---\n\n" + cited,
        "front matter (TOML)": "+++\ndate = 2019-03-05\n+++\n\n" + cited,
        "no date": cited,
        "not a date": "---\ndate: last Tuesday\n---\n\n" + cited,
    }
    for case, text in dated.items():
        findings, _ = run(tmp_path, text, *archive)
        (dead,) = [f for f in findings if f["code"] == "CL301"]
        year = "2019" if "front matter" in case else "2024"
        assert f"an archived copy is at {server}/web/{year}/story" in dead["message"], case
    asked = [e.path for e in server.log if e.path.startswith("/wayback")]  # type: ignore[attr-defined]
    assert [p.endswith("&timestamp=20190305") for p in asked] == [True, False]  # each query once: the answers are cached


def test_an_html_page_gives_its_date_in_its_metadata(dated_server: str, tmp_path: Path) -> None:
    server = dated_server
    (tmp_path / "s.toml").write_text(REGISTRY, encoding="utf-8")
    page = tmp_path / "story.html"
    for head in ('<meta property="article:published_time" content="2019-03-05T08:00:00+01:00">',
                 '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "datePublished": "2019-03-05"}]}</script>'):
        page.write_text(f"<!doctype html><html><head><title>Pier</title>{head}</head><body><article><h1>Pier sold</h1>"
                        f"<p><a href='{server}/gone'>Harbour Wire reported</a> that the board “held secret talks in London.”</p>"
                        "<p>The board did not comment.</p></article></body></html>", encoding="utf-8")
        out = io.StringIO()
        main(["check", "--format", "json", "--verify", "--cache-dir", str(tmp_path / "c"), "--sources", str(tmp_path / "s.toml"),
              "--timeout", "5", "--allow-host", "127.0.0.1", "--archive", "--archive-url", f"{server}/wayback/available",
              str(page)], stdout=out, stderr=io.StringIO())
        (dead,) = [f for f in json.loads(out.getvalue())["files"][0]["findings"] if f["code"] == "CL301"]
        assert f"an archived copy is at {server}/web/2019/story" in dead["message"], head
