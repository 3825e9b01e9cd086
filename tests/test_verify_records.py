"""Page records: a URL fetched alive is kept with its text, and a warm run within the cache's
lifetime uses the record instead of the fetch (no request, no HTTP response read, no parsing),
with the same results as the cold run. Stale records are fetched again (served offline),
damaged ones are ignored. A real server on loopback; pages and articles generated here."""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from httpserver import HARBOUR_WIRE, Route, ServerURL, serve

from citelint.check import Checker
from citelint.load import load_text
from citelint.model import Attribution
from citelint.registry import load_registry
from citelint.selection import Selection
from citelint.verify.cache import PageCache
from citelint.verify.fetch import FetchSettings
from citelint.verify.model import Verification
from citelint.verify.records import RECORDS_FILE
from citelint.verify.verifier import Verifier

PAGES = 120


def page(i: int) -> str:
    return (f"<html><head><title>Ward {i}</title></head><body><nav>Home Local</nav><article>"
            f"<h1>Ward {i} councillors delay the bridge repairs</h1>"
            f"<p>Councillors for ward {i} postponed the repairs to the river bridge on Monday after the "
            f"engineers' survey arrived late, the clerk said.</p>"
            f"<p>“We cannot sign a contract for ward {i} until the survey has been read by everyone,” "
            f"the council leader, Dara Quill, said after the meeting.</p>"
            f"<p>The repairs were first promised in {1990 + i % 30} and have been costed {i % 9 + 2} times.</p>"
            "</article></body></html>")


def quote(i: int) -> str:
    """Exact, altered (a word dropped) or fabricated, by i mod 3."""
    return [f"cannot sign a contract for ward {i} until the survey has been read by everyone",
            f"cannot sign a contract for ward {i} until the survey has been read",
            f"will close the river bridge in ward {i} to lorries from next week"][i % 3]


ROUTES = {
    **{f"/ward/{i}": Route(body=page(i)) for i in range(PAGES)},
    "/moved": Route(301, headers={"Location": "/ward/0"}),
    "/report.pdf": Route(body=b"%PDF-1.7 not text", content_type="application/pdf"),
    "/gone": Route(404),
}


@pytest.fixture
def server() -> Iterator[ServerURL]:
    with serve(ROUTES) as base:
        yield base


def article(base: str) -> str:
    cited = [f"[Harbour Wire reported]({base}/ward/{i}) that the leader said “{quote(i)}.”\n\nNo vote was held."
             for i in range(PAGES)]
    cited += [f"[Harbour Wire reported]({base}/moved) that the leader said “{quote(0)}.”\n\nNo vote was held.",
              f"[Harbour Wire reported]({base}/report.pdf) that the leader said “{quote(0)}.”\n\nNo vote was held.",
              f"[Harbour Wire reported]({base}/gone) that the leader said “{quote(0)}.”\n\nNo vote was held."]
    return "\n\n".join(cited)


def prepared(tmp_path: Path, text: str) -> tuple[tuple[Attribution, ...], object]:
    (tmp_path / "sources.toml").write_text(HARBOUR_WIRE, encoding="utf-8")
    registry = load_registry([str(tmp_path / "sources.toml")])
    checker = Checker(registry, Selection(frozenset(), frozenset(), {}))
    return checker.prepare(load_text(text, "roundup.md", "markdown")).resolution.attributions, registry


def settings(tmp_path: Path, **changes: object) -> FetchSettings:
    base = FetchSettings(allow_hosts=frozenset({"127.0.0.1"}), cache_dir=str(tmp_path / "cache"), per_host=8,
                         min_interval=0.0, timeout=10.0)
    return replace(base, **changes)  # type: ignore[arg-type]


def verify(tmp_path: Path, base: str, **changes: object) -> dict[str, Verification]:
    attributions, registry = prepared(tmp_path, article(base))
    with Verifier(settings(tmp_path, **changes), registry) as verifier:  # type: ignore[arg-type]
        return verifier.verify([attributions])[0]


def summary(found: dict[str, Verification]) -> list[tuple[str, str, str | None, tuple[str, ...], str | None]]:
    """What a report shows of each verification (the page's fate, its quotes' results)."""
    return sorted((v.page.url, v.page.verdict.value, v.page.final_url, tuple(q.result.value for q in v.quotes),
                   v.unreadable) for v in found.values())


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every HTTP-cache lookup of the run (a record spares it)."""
    seen: list[str] = []
    real = PageCache.lookup

    def counting(self: PageCache, url: str) -> object:
        seen.append(url)
        return real(self, url)

    monkeypatch.setattr(PageCache, "lookup", counting)
    return seen


def test_a_warm_run_uses_the_records_not_the_fetch(server: ServerURL, tmp_path: Path, lookups: list[str]) -> None:
    cold = verify(tmp_path, server)
    assert sum(q.result.value == "exact" for v in cold.values() for q in v.quotes) >= PAGES // 3
    requests, lookups[:] = len(server.log), []
    warm = verify(tmp_path, server)
    assert summary(warm) == summary(cold)
    # The dead link is checked again (failures are never kept); nothing else is asked for or read.
    assert [entry.path for entry in server.log[requests:]] == ["/gone"]
    assert lookups == [server + "/gone"]
    moved = next(v for v in warm.values() if v.page.url.endswith("/moved"))
    assert moved.page.final_url == server + "/ward/0" and moved.page.from_cache
    pdf = next(v for v in warm.values() if v.page.url.endswith(".pdf"))
    assert pdf.unreadable == "application/pdf: quotes are only checked in HTML and plain-text pages"
    assert [q.result.value for q in pdf.quotes] == ["unchecked"]


def test_a_new_quote_for_a_recorded_page_is_matched_from_the_record(server: ServerURL, tmp_path: Path) -> None:
    verify(tmp_path, server)
    requests = len(server.log)
    text = "\n\n".join(f"[Harbour Wire reported]({server}/ward/{i}) that councillors “postponed the repairs to the "
                       f"river bridge on Monday.”\n\nNo vote was held." for i in range(PAGES))
    attributions, registry = prepared(tmp_path, text)
    with Verifier(settings(tmp_path), registry) as verifier:  # type: ignore[arg-type]
        found = verifier.verify([attributions])[0]
    assert len(server.log) == requests
    assert [q.result.value for v in found.values() for q in v.quotes] == ["exact"] * PAGES


def test_records_past_the_cache_lifetime_are_fetched_again_but_serve_offline(server: ServerURL, tmp_path: Path) -> None:
    cold = verify(tmp_path, server, cache_ttl=0.5)
    time.sleep(0.6)
    requests = len(server.log)
    offline = verify(tmp_path, server, offline=True)
    assert len(server.log) == requests  # offline: a stale record beats nothing
    assert [s for s in summary(offline) if not s[0].endswith("/gone")] == [s for s in summary(cold) if not s[0].endswith("/gone")]
    again = verify(tmp_path, server, cache_ttl=0.5)
    assert len(server.requests_to("/ward/7")) == 2  # stale: fetched again
    assert summary(again) == summary(cold)


def test_a_damaged_record_is_fetched_again(server: ServerURL, tmp_path: Path) -> None:
    cold = verify(tmp_path, server)
    with sqlite3.connect(tmp_path / "cache" / RECORDS_FILE) as db:
        db.execute("UPDATE record SET meta = ? WHERE key LIKE ?", ("not json at all", "%/ward/5"))
        db.execute("UPDATE record SET meta = ? WHERE key LIKE ?", ('[2, "x"]', "%/ward/6"))
        # Results damaged: matched again from the text. Text damaged and needed: fetched again.
        db.execute("UPDATE record SET results = ? WHERE key LIKE ?", ('{"a quote": 7}', "%/ward/8"))
        db.execute("UPDATE record SET results = NULL, text = ? WHERE key LIKE ?", (b"not zlib", "%/ward/9"))
    assert summary(verify(tmp_path, server)) == summary(cold)
    # The HTTP cache does not keep the bodies of recorded pages: the damaged ones are fetched again.
    assert [len(server.requests_to(f"/ward/{i}")) for i in (4, 5, 6, 8, 9)] == [1, 2, 2, 1, 2]


def test_a_warm_run_reads_no_page_text_for_quotes_matched_before(server: ServerURL, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from citelint.verify import records

    cold = verify(tmp_path, server)
    texts: list[str] = []
    real = records.PageRecords.text

    def counting(self: records.PageRecords, key: str, record: records.PageRecord) -> object:
        texts.append(key)
        return real(self, key, record)

    monkeypatch.setattr(records.PageRecords, "text", counting)
    assert summary(verify(tmp_path, server)) == summary(cold)
    assert texts == []
    # Another release's results are not trusted: every quote is matched again, from the texts.
    monkeypatch.setattr(records, "__version__", "0.0.0-other")
    assert summary(verify(tmp_path, server)) == summary(cold)
    assert len(texts) == PAGES + 1  # the 120 pages and the redirected one (the PDF has no text)


def test_recorded_pages_leave_no_body_in_the_http_cache(server: ServerURL, tmp_path: Path) -> None:
    from citelint.verify.cache import CACHE_FILE

    verify(tmp_path, server)
    with sqlite3.connect(tmp_path / "cache" / CACHE_FILE) as db:
        stored = [row[0] for row in db.execute("SELECT key FROM responses")]
    assert stored == []  # every alive page has its record; dead ones are never stored
    with sqlite3.connect(tmp_path / "cache" / RECORDS_FILE) as db:
        recorded = db.execute("SELECT count(*) FROM record").fetchone()[0]
    assert recorded == PAGES + 2  # the 120 pages, the redirected one, the PDF


def test_no_cache_keeps_no_record(server: ServerURL, tmp_path: Path) -> None:
    verify(tmp_path, server, use_cache=False)
    verify(tmp_path, server, use_cache=False)
    assert len(server.requests_to("/ward/3")) == 2 and not (tmp_path / "cache" / RECORDS_FILE).exists()


def test_a_warm_run_with_every_page_recorded_never_loads_the_http_stack(server: ServerURL, tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    (tmp_path / "sources.toml").write_text(HARBOUR_WIRE, encoding="utf-8")
    (tmp_path / "roundup.md").write_text("\n\n".join(
        f"[Harbour Wire reported]({server}/ward/{i}) that the leader said “{quote(i)}.”" for i in range(6)), encoding="utf-8")
    script = (
        "import json, sys\n"
        "from citelint.cli import main\n"
        "code = main(sys.argv[1:], stdout=open('report.json', 'w'))\n"
        "print(json.dumps([code, sorted(m for m in ('requests', 'requests_cache', 'urllib3') if m in sys.modules)]))\n"
    )
    args = ["check", "--verify", "--format", "json", "--exit-zero", "--sources", "sources.toml", "--allow-host", "127.0.0.1",
            "--cache-dir", "cache", "roundup.md"]
    runs = []
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", script, *args], cwd=tmp_path, capture_output=True, text=True, check=True)
        report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
        runs.append((json.loads(out.stdout.splitlines()[-1]),
                     [q["result"] for a in report["files"][0]["attributions"] for q in a["verification"]["quotes"]]))
    (cold_code, cold_modules), cold_results = runs[0]
    (warm_code, warm_modules), warm_results = runs[1]
    assert cold_modules == ["requests", "requests_cache", "urllib3"]
    assert warm_modules == [] and warm_results == cold_results
    assert {"exact", "missing"} <= set(cold_results) and len(cold_results) >= 6


def test_records_another_process_keeps_locked_cost_one_wait_not_one_per_page(
        server: ServerURL, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from citelint.verify.records import PageRecords

    (tmp_path / "free").mkdir()
    expected = summary(verify(tmp_path / "free", server))
    (tmp_path / "cache").mkdir()
    PageRecords(tmp_path / "cache").close()
    monkeypatch.setattr(PageRecords, "BUSY_SECONDS", 0.3)
    holder = sqlite3.connect(tmp_path / "cache" / RECORDS_FILE, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's write transaction, never ended
    try:
        started = time.monotonic()
        attributions, registry = prepared(tmp_path, article(server))
        with Verifier(settings(tmp_path), registry) as verifier:  # type: ignore[arg-type]
            found = verifier.verify([attributions])[0]
            problem = verifier.cache_problem
        assert time.monotonic() - started < 15  # 123 pages would wait 0.3 s each: 37 s
        assert problem is not None and "page records" in problem and "could not be written" in problem
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert summary(found) == expected  # every quote still got its result


def test_a_record_keeps_text_json_cannot_write_as_utf8() -> None:
    """A page's text is stored as UTF-8 JSON (orjson); a JSON-LD body holding a lone surrogate
    (JSON's "\\ud800" escape, which json.loads lets through) is stored escaped instead, not lost."""
    from citelint.verify.model import Page, Verdict
    from citelint.verify.pagetext import PageText
    from citelint.verify.records import _text, encode

    fetched = Page("https://harbour.example/a", Verdict.ALIVE, "200 OK", http_status=200, content_type="text/html")
    for body in ("“Curly” quotes, 中文 and an emoji 🚢.", "broken \ud800 surrogate", None):
        text = PageText("Line one — “quoted”\nLine two", "Title é", body)
        _, stored, _ = encode(fetched, text, None, {})
        assert stored is not None
        assert _text(stored) == text
