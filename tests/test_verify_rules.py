"""--verify end to end: Markdown articles citing pages on real local servers (127.0.0.1 is
"Harbour Wire", 127.0.0.2 is "Valley Post" in a test source list), checked through the CLI.
Each verification rule has cases that must fire and near-misses that must not."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from httpserver import HARBOUR_WIRE, Route, serve_many

from citelint.cli import main

ARTICLE_PAGE = """<html><head><title>Harbour deal</title><script>var x = "held secret talks in Paris";</script></head>
<body><nav>Home World Politics</nav><article>
<h1>Harbour board sells pier</h1>
<p>The harbour board held secret talks in London to assess whether the sale could go ahead, officials said.</p>
<p>&ldquo;We had no choice but to sell it,&rdquo; the chair, Ana Ruiz, told reporters on Friday.</p>
<p>The board had hoped to keep him on as adviser until the sale closed.</p>
</article></body></html>"""

ROUTES = {
    "/story": Route(body=ARTICLE_PAGE),
    "/gone": Route(404, "not found"),
    "/removed": Route(410, "gone"),
    "/old-story": Route(301, headers={"Location": "/"}),
    "/": Route(body="<h1>Home</h1>"),
    "/paywall": Route(403, "subscribe"),
    "/report.pdf": Route(body=b"%PDF-1.4 binary", content_type="application/pdf"),
    "/hop": Route(302, headers={"Location": "http://127.0.0.2:{port}/elsewhere"}),
    "/elsewhere": Route(body=ARTICLE_PAGE),
    # Pages with no article text to check a quote against:
    "/app": Route(body='<html><head><script src="/bundle.js"></script></head><body><div id="root"></div>'
                       "<noscript>You need to enable JavaScript to run this app.</noscript></body></html>"),
    "/consent": Route(body="<html><body><div class=cmp><h2>We value your privacy</h2><p>We and our partners use cookies "
                           "to personalise content and ads. You can change your privacy settings at any time.</p>"
                           "<button>Accept all</button><button>Manage cookies</button></div></body></html>"),
    "/empty": Route(body=""),
    "/trickle": Route(body=ARTICLE_PAGE, trickle=0.05, chunk=20, close=True),  # ~2 s: cut by a 1 s deadline
    "/trickle-sized": Route(body=ARTICLE_PAGE, trickle=0.05, chunk=20),
    "/stub": Route(body="<html><body><p>Harbour board sells pier.</p></body></html>"),
}
REGISTRY = HARBOUR_WIRE + """
[[source]]
id = "valley-post"
name = "Valley Post"
domains = ["127.0.0.2"]
kind = "newspaper"
"""


@pytest.fixture(scope="module")
def base() -> tuple[str, str]:
    routes = dict(ROUTES)
    with serve_many(routes, ["127.0.0.1", "127.0.0.2"]) as urls:
        port = urls[0].rsplit(":", 1)[1]
        # Routes are data: fill in the port the servers got.
        routes["/hop"] = Route(302, headers={"Location": f"http://127.0.0.2:{port}/elsewhere"})
        routes["/short"] = Route(302, headers={"Location": f"http://127.0.0.1:{port}/story"})
        yield str(urls[0]), str(urls[1])


def check(tmp_path: Path, text: str, *extra: str) -> list[dict]:
    (tmp_path / "sources.toml").write_text(REGISTRY, encoding="utf-8")
    article = tmp_path / "article.md"
    article.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    main(["check", "--format", "json", "--verify", "--allow-host", "127.0.0.1", "--allow-host", "127.0.0.2",
          "--cache-dir", str(tmp_path / "cache"), "--sources", str(tmp_path / "sources.toml"), "--timeout", "3",
          *extra, str(article)], stdout=out, stderr=err)
    report = json.loads(out.getvalue())
    return [f for entry in report["files"] for f in entry["findings"]] + [{"report": report}]


def codes_at(findings: list[dict], text: str) -> set[tuple[str, str]]:
    return {(f["code"], text[f["start"]:f["end"]]) for f in findings if "code" in f}


CASES = [
    # (rule, fires?, article template, text the finding points at)
    ("CL301", True, "[Harbour Wire reported]({a}/gone) that the pier was sold.", "Harbour Wire reported"),
    ("CL301", True, "[Harbour Wire reported]({a}/removed) that the pier was sold.", "Harbour Wire reported"),
    ("CL301", True, "[Harbour Wire reported]({a}/old-story) that the pier was sold.", "Harbour Wire reported"),
    ("CL301", False, "[Harbour Wire reported]({a}/story) that the pier was sold.", None),
    ("CL301", False, "[Harbour Wire reported]({a}/paywall) that the pier was sold.", None),
    ("CL302", True, "[Harbour Wire reported]({a}/story) that the board had “agreed to a ceasefire with the unions.”", "agreed to a ceasefire with the unions"),
    ("CL302", False, "[Harbour Wire reported]({a}/story) that the board “held secret talks in London.”", None),
    ("CL302", False, "[Harbour Wire reported]({a}/story) that the chair said \"We had no choice but to sell it.\"", None),
    ("CL302", False, "[Harbour Wire reported]({a}/story) that the board “held secret talks … to assess whether the sale could go ahead.”", None),
    ("CL302", False, "[Harbour Wire reported]({a}/story) that the board hoped “to keep [the engineer] on as adviser.”", None),
    ("CL302", False, "[Harbour Wire reported]({a}/story) that she said “yes.”", None),
    ("CL303", True, "[Harbour Wire reported]({a}/story) that the board “held talks in London to assess whether the sale could go ahead.”", "held talks in London to assess whether the sale could go ahead"),
    ("CL303", True, "[Harbour Wire reported]({a}/story) that the board “held secret talks in Paris to assess whether the sale could go ahead.”", "held secret talks in Paris to assess whether the sale could go ahead"),
    ("CL303", False, "[Harbour Wire reported]({a}/story) that the board “held secret talks in London to assess whether the sale could go ahead.”", None),
    ("CL303", False, "[Harbour Wire reported]({a}/story) that the board had “agreed to a ceasefire with the unions.”", None),
    ("CL304", True, "[Harbour Wire reported]({a}/paywall) that the pier was sold.", "Harbour Wire reported"),
    ("CL304", True, "[Harbour Wire reported]({a}/report.pdf) that the board “held secret talks in London.”", "Harbour Wire reported"),
    ("CL304", True, "[Harbour Wire reported](http://169.254.169.254/latest/meta-data) that the pier was sold.", "Harbour Wire reported"),
    ("CL304", False, "[Harbour Wire reported]({a}/story) that the pier was sold.", None),
    ("CL304", True, "[Harbour Wire reported]({a}/app) that the board “held secret talks in London.”", "Harbour Wire reported"),
    ("CL302", False, "[Harbour Wire reported]({a}/app) that the board “held secret talks in London.”", None),
    ("CL304", True, "[Harbour Wire reported]({a}/consent) that the board “held secret talks in London.”", "Harbour Wire reported"),
    ("CL302", False, "[Harbour Wire reported]({a}/consent) that the board “held secret talks in London.”", None),
    ("CL304", True, "[Harbour Wire reported]({a}/empty) that the board “held secret talks in London.”", "Harbour Wire reported"),
    ("CL302", False, "[Harbour Wire reported]({a}/empty) that the board “held secret talks in London.”", None),
    ("CL304", False, "[Harbour Wire reported]({a}/stub) that the board “sells pier.”", None),  # found is found
    ("CL304", False, "[Harbour Wire reported]({a}/app) that the pier was sold.", None),  # nothing to check
    ("CL304", False, "[Harbour Wire reported]({a}/report.pdf) that the pier was sold.", None),
    # An unlinked mention after a linked report of the same outlet is taken for that report;
    # its quote missing there means it cites another report, unlinked (CL101, not CL302).
    ("CL101", True, "[Harbour Wire reported]({a}/story) that the board “held secret talks in London.”\n\n"
                    "Harbour Wire reported that the unions had “agreed to a ceasefire with the board.”", "Harbour Wire"),
    ("CL302", False, "[Harbour Wire reported]({a}/story) that the board “held secret talks in London.”\n\n"
                     "Harbour Wire reported that the unions had “agreed to a ceasefire with the board.”", None),
    ("CL101", False, "[Harbour Wire reported]({a}/story) that the board “held secret talks in London.”\n\n"
                     "Harbour Wire wrote that the chair said “We had no choice but to sell it.”", None),
    ("CL303", True, "[Harbour Wire reported]({a}/story) that the pier was sold.\n\n"
                    "Harbour Wire wrote that the board “held secret talks in Paris to assess whether the sale could go ahead.”",
     "held secret talks in Paris to assess whether the sale could go ahead"),
    ("CL101", False, "[Harbour Wire reported]({a}/story) that the pier was sold.\n\n"
                     "Harbour Wire wrote that the board “held secret talks in Paris to assess whether the sale could go ahead.”", None),
    ("CL102", True, "[Harbour Wire reported]({a}/hop) that the pier was sold.", "Harbour Wire"),
    ("CL102", False, "[Harbour Wire reported]({b}/short) that the pier was sold.", None),
]


@pytest.mark.parametrize(("rule", "fires", "template", "at"), CASES, ids=[f"{c[0]}-{'fail' if c[1] else 'pass'}-{i}" for i, c in enumerate(CASES)])
def test_verification_rule(base: tuple[str, str], tmp_path: Path, rule: str, fires: bool, template: str, at: str | None) -> None:
    text = template.format(a=base[0], b=base[1])
    findings = check(tmp_path, text)
    hits = {t for c, t in codes_at(findings, text) if c == rule}
    if fires:
        assert any(at in t for t in hits), f"expected {rule} at {at!r}, got {codes_at(findings, text)}"
    else:
        assert not hits, f"expected no {rule}, got {codes_at(findings, text)}"


def test_verification_in_the_json_report(base: tuple[str, str], tmp_path: Path) -> None:
    text = "[Harbour Wire reported]({a}/story) that the board “held secret talks in London.”".format(a=base[0])
    report = check(tmp_path, text)[-1]["report"]
    att = next(a for a in report["files"][0]["attributions"] if a["urls"])
    v = att["verification"]
    assert v["url"] == f"{base[0]}/story" and v["final_url"] == f"{base[0]}/story"
    assert (v["status"], v["http_status"]) == ("alive", 200)
    assert v["quotes"] == [{"text": "held secret talks in London", "result": "exact", "score": 100.0,
                            "source_excerpt": v["quotes"][0]["source_excerpt"]}]


@pytest.mark.parametrize(("path", "words"), [
    ("/app", "no article text (an empty body, or a page built by scripts"), ("/consent", "consent or cookie wall"),
    ("/empty", "no article text (an empty body, or a page built by scripts"), ("/report.pdf", "application/pdf: quotes are only checked"),
    ("/gone", "the cited page is gone (404 Not Found)"), ("/paywall", "could not be fetched (403 Forbidden"),
])
def test_every_unchecked_quote_says_why(base: tuple[str, str], tmp_path: Path, path: str, words: str) -> None:
    text = f"[Harbour Wire reported]({base[0]}{path}) that the board “held secret talks in London.”"
    findings = check(tmp_path, text)
    att = next(a for a in findings[-1]["report"]["files"][0]["attributions"] if a["urls"])
    (quote,) = att["verification"]["quotes"]
    assert quote["result"] == "unchecked" and words in quote["reason"]
    assert "CL302" not in {f.get("code") for f in findings}
    if path not in ("/gone", "/paywall"):
        (finding,) = [f for f in findings if f.get("code") == "CL304"]
        assert words in finding["message"]


@pytest.mark.parametrize("path", ["/trickle", "/trickle-sized"])
def test_a_page_cut_by_the_deadline_is_never_evidence(base: tuple[str, str], tmp_path: Path, path: str) -> None:
    # The quote is in the part that never arrives: CL304 (timed out), not CL302/CL303.
    text = f"[Harbour Wire reported]({base[0]}{path}) that the board “had hoped to keep him on as adviser until the sale closed.”"
    findings = check(tmp_path, text, "--timeout", "1")
    codes = {f.get("code") for f in findings}
    assert "CL304" in codes and not codes & {"CL302", "CL303"}
    assert any("timed out" in f["message"] for f in findings if f.get("code") == "CL304")


def test_one_finding_per_quote_when_attributions_share_it(base: tuple[str, str], tmp_path: Path) -> None:
    # Two cues ("reported", "said") share the one quote: one CL302, one CL303, not one per cue.
    text = ("[Harbour Wire reported]({a}/story) that the board had “agreed to a ceasefire with the unions,” the chair said.\n\n"
            "The pier is closed.\n\n[Harbour Wire reported]({a}/story) that the board “held talks in London to assess "
            "whether the sale could go ahead,” the chair said.").format(a=base[0])
    findings = check(tmp_path, text)
    assert sorted(f["code"] for f in findings if f.get("code") in ("CL302", "CL303")) == ["CL302", "CL303"]


def test_private_addresses_are_refused_unless_allowed(base: tuple[str, str], tmp_path: Path) -> None:
    text = "[Harbour Wire reported]({a}/story) that the pier was sold.".format(a=base[0])
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    (tmp_path / "s.toml").write_text(REGISTRY, encoding="utf-8")
    out = io.StringIO()
    main(["check", "--format", "json", "--verify", "--cache-dir", str(tmp_path / "c"), "--sources", str(tmp_path / "s.toml"),
          str(tmp_path / "a.md")], stdout=out, stderr=io.StringIO())
    att = next(a for a in json.loads(out.getvalue())["files"][0]["attributions"] if a["urls"])
    assert att["verification"]["status"] == "error"
    finding = next(f for f in json.loads(out.getvalue())["files"][0]["findings"] if f["code"] == "CL304")
    assert "refused" in finding["message"] and "--allow-host" in finding["message"]


def test_offline_reads_only_the_cache(base: tuple[str, str], tmp_path: Path) -> None:
    text = "[Harbour Wire reported]({a}/story) that the board “held secret talks in London.”".format(a=base[0])
    first = check(tmp_path, text)
    assert not [f for f in first if f.get("code", "").startswith("CL3")]
    again = check(tmp_path, text, "--offline")
    assert not [f for f in again if f.get("code", "").startswith("CL3")]  # served from the cache
    other = "[Harbour Wire reported]({a}/never-fetched) that the pier was sold.".format(a=base[0])
    offline = check(tmp_path, other, "--offline")
    assert any(f.get("code") == "CL304" and "cache" in f["message"] for f in offline)


def test_unresolvable_names_are_not_called_dead_when_nothing_resolves(tmp_path: Path) -> None:
    # Without any host answering (a machine with no network), a name that does not resolve
    # may just mean no DNS: the link is "could not check", not "gone".
    text = "[Harbour Wire reported](http://no-such-host.invalid/story) that the pier was sold."
    findings = check(tmp_path, text)
    assert {f["code"] for f in findings if "code" in f} >= {"CL304"}
    assert "CL301" not in {f.get("code") for f in findings}


def test_unresolvable_names_are_dead_once_another_host_answered(base: tuple[str, str], tmp_path: Path) -> None:
    text = ("[Harbour Wire reported]({a}/story) that the board met.\n\n"
            "[Harbour Wire reported](http://no-such-host.invalid/story) that the pier was sold.").format(a=base[0])
    findings = check(tmp_path, text)
    assert ("CL301", "Harbour Wire reported") in codes_at(findings, text)


def test_one_finding_per_dead_url(base: tuple[str, str], tmp_path: Path) -> None:
    text = "[Harbour Wire reported]({a}/gone) that the pier was sold, the mayor said.".format(a=base[0])
    findings = check(tmp_path, text)
    assert [f["code"] for f in findings if f.get("code") == "CL301"] == ["CL301"]


def test_progress_line_counts_names_the_host_and_clears_itself(tmp_path: Path) -> None:
    from citelint.registry import load_registry
    from citelint.verify.fetch import FetchSettings, Progress
    from citelint.verify.progress import ProgressVerifier

    err = io.StringIO()
    verifier = ProgressVerifier(FetchSettings(cache_dir=str(tmp_path / "c")), load_registry(), err)
    verifier._progress(Progress(done=1, total=4, host="apnews.com", elapsed=2.0))
    verifier.progress_done()
    verifier.close()
    assert err.getvalue() == "\rverifying 1/4 URLs (apnews.com), ETA 6 s\x1b[K\r\x1b[K"
