"""Limits of a --verify run: seconds options that are finite and sane, a run-wide budget, a
damaged cache that heals itself. Through the command line, against a real local server."""
from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest
from httpserver import HARBOUR_WIRE, Route, serve

from citelint.cli import main

PAGE = "<html><body><article><p>The harbour board held secret talks in London on Friday, officials said.</p></article></body></html>"
REGISTRY = HARBOUR_WIRE


def run(tmp_path: Path, text: str, *extra: str) -> tuple[int, dict | None, str]:
    (tmp_path / "sources.toml").write_text(REGISTRY, encoding="utf-8")
    article = tmp_path / "article.md"
    article.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "--format", "json", "--verify", "--allow-host", "127.0.0.1", "--cache-dir", str(tmp_path / "cache"),
                 "--sources", str(tmp_path / "sources.toml"), *extra, str(article)], stdout=out, stderr=err)
    return code, json.loads(out.getvalue()) if out.getvalue() else None, err.getvalue()


@pytest.mark.parametrize(("option", "value", "words"), [
    ("--timeout", "inf", "must be a finite number of seconds"),
    ("--timeout", "nan", "must be a finite number of seconds"),
    ("--timeout", "1e9", "must be at most 3600 seconds"),
    ("--timeout", "0", "must be more than 0 seconds"),
    ("--timeout", "-5", "must be more than 0 seconds"),
    ("--timeout", "soon", "expected a number of seconds, got 'soon'"),
    ("--verify-budget", "inf", "must be a finite number of seconds"),
    ("--verify-budget", "0", "must be more than 0 seconds"),
    ("--host-interval", "-0.1", "must be at least 0 seconds"),
    ("--host-interval", "1e300", "must be at most 60 seconds"),
])
def test_absurd_seconds_are_refused_with_a_plain_message(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        option: str, value: str, words: str) -> None:
    code, report, err = run(tmp_path, "No links here.", option, value)
    err += capsys.readouterr().err  # argparse writes to sys.stderr itself
    assert code == 2 and report is None
    assert option in err and words in err and "Traceback" not in err


@pytest.mark.parametrize(("key", "value", "words"), [
    ("timeout", "inf", "must be a finite number"),
    ("timeout", "nan", "must be a finite number"),
    ("verify-budget", "-1", "must be more than 0 seconds"),
    ("host-interval", "100", "must be at most 60 seconds"),
])
def test_absurd_seconds_in_the_configuration_name_the_key(tmp_path: Path, key: str, value: str, words: str) -> None:
    (tmp_path / "citelint.toml").write_text(f"{key} = {value}\n", encoding="utf-8")
    code, report, err = run(tmp_path, "No links here.", "--config", str(tmp_path / "citelint.toml"))
    assert code == 2 and f"citelint.toml:1: key '{key}' {words}" in err


def test_zero_host_interval_is_allowed(tmp_path: Path) -> None:
    with serve({"/a": Route(body=PAGE)}) as base:
        code, report, err = run(tmp_path, f"[Harbour Wire reported]({base}/a) that the board “held secret talks in London.”",
                                "--host-interval", "0")
    assert code == 0, err


def test_the_run_budget_stops_fetching_and_says_which_urls_were_not_checked(tmp_path: Path) -> None:
    # 24 pages at 0.25 s each, one at a time: 6 s of fetching. A 1 s budget checks a few and
    # reports the rest as not checked (CL304), quickly.
    text = "\n\n".join(f"[Harbour Wire reported]({{base}}/p{i}) that the board “held secret talks in London.”\n\nNo vote."
                       for i in range(24))
    with serve({}, default=Route(body=PAGE, delay=0.25)) as base:
        started = time.monotonic()
        code, report, err = run(tmp_path, text.format(base=base), "--verify-budget", "1", "--per-host", "1",
                                "--host-interval", "0")
        wall = time.monotonic() - started
    assert report is not None
    statuses = [a["verification"]["status"] for a in report["files"][0]["attributions"] if a["verification"]]
    unchecked = [f for f in report["files"][0]["findings"] if f["code"] == "CL304"]
    assert 1 <= statuses.count("alive") <= 6
    assert len(unchecked) == 24 - statuses.count("alive")
    assert all("not checked: run budget spent (--verify-budget 1 s)" in f["message"] for f in unchecked)
    assert wall < 4


@pytest.mark.parametrize("damage", ["garbage header", "truncated", "random bytes", "directory"])
def test_a_damaged_cache_warns_once_is_moved_aside_and_the_run_goes_on(tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    db = cache / "http-cache.sqlite"
    with serve({"/a": Route(body=PAGE), "/b": Route(body=PAGE)}) as base:
        text = f"[Harbour Wire reported]({base}/a) that the board “held secret talks in London.”"
        run(tmp_path, text)  # a healthy cache with one page in it
        # A page not fetched before: the HTTP cache is opened (a run whose pages all have
        # records never opens it, and finds the damage the next time it needs it).
        text += f"\n\n[Harbour Wire reported]({base}/b) that the board “held secret talks in London.”"
        if damage == "garbage header":
            db.write_bytes(b"this is not SQLite at all" + db.read_bytes()[25:])
        elif damage == "truncated":
            db.write_bytes(db.read_bytes()[:100])
        elif damage == "random bytes":
            db.write_bytes(os.urandom(8192))
        else:
            db.unlink()
            db.mkdir()
            (db / "inside").write_text("x", encoding="utf-8")
        for suffix in ("-wal", "-shm"):
            (cache / f"http-cache.sqlite{suffix}").unlink(missing_ok=True)
        code, report, err = run(tmp_path, text)
        assert code == 0, err
        assert err.count("warning:") == 1 and "damaged" in err and "moved it aside" in err
        assert report is not None and report["files"][0]["attributions"][0]["verification"]["quotes"][0]["result"] == "exact"
        assert any(p.name.startswith("http-cache.sqlite.damaged-") for p in cache.iterdir())
        code, report, err = run(tmp_path, text)  # healed: no warning the next time
        assert code == 0 and "warning:" not in err


def test_a_gzip_bomb_of_markup_is_cl304_quickly(tmp_path: Path) -> None:
    bomb = "<html><body>" + "<b>x</b>" * 1_000_000 + "</body></html>"  # 8 MB from a ~25 kB gzip
    with serve({"/bomb": Route(body=bomb, gzip=True)}) as base:
        started = time.monotonic()
        code, report, err = run(tmp_path, f"[Harbour Wire reported]({base}/bomb) that the board “held secret talks in London.”")
        wall = time.monotonic() - started
    assert report is not None
    (finding,) = [f for f in report["files"][0]["findings"] if f["code"].startswith("CL3")]
    assert finding["code"] == "CL304" and "more than 250,000 elements" in finding["message"]
    assert wall < 20  # generous: about a second


def test_https_to_a_plain_http_port_gives_up_fast(tmp_path: Path) -> None:
    with serve({"/a": Route(body=PAGE)}) as base:
        url = base.replace("http://", "https://") + "/a"
        started = time.monotonic()
        code, report, err = run(tmp_path, f"[Harbour Wire reported]({url}) that the board “held secret talks in London.”")
        wall = time.monotonic() - started
    assert report is not None
    (finding,) = [f for f in report["files"][0]["findings"] if f["code"].startswith("CL3")]
    assert finding["code"] == "CL304" and "TLS" in finding["message"]
    assert wall < 3, wall


def test_https_to_a_port_that_never_answers_the_handshake_gives_up_at_the_connect_timeout(tmp_path: Path) -> None:
    # A plain-HTTP server waiting for a request line answers nothing to a TLS ClientHello; it
    # used to cost three read timeouts (18 s). Now one connect timeout, no retries.
    import socket
    import threading

    from citelint.verify.fetch import Fetcher, FetchSettings

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    held: list[socket.socket] = []
    threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True).start()
    settings = FetchSettings(allow_hosts=frozenset({"127.0.0.1"}), use_cache=False, connect_timeout=1.0)
    started = time.monotonic()
    with Fetcher(settings) as fetcher:
        (page,) = fetcher.fetch_all([f"https://127.0.0.1:{listener.getsockname()[1]}/a"]).values()
    wall = time.monotonic() - started
    listener.close()
    assert page.verdict.value == "error" and "no answer to the TLS handshake within 1 s" in page.reason
    assert "plain HTTP" in page.reason and wall < 3
