"""Settings that widen the network's reach (allow-hosts, cache-dir, and raising timeout,
max-concurrency or per-host) cannot come from the checkout's config: only from the command
line, the CI job's environment or the user-level config outside the checkout."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from httpserver import Route, serve

from clihelpers import run_in

ARTICLE = "[The Harbour Wire reported](URL/story) that the pier was sold.\n"
PAGE = "<html><body><article><p>The pier was sold on Tuesday to a developer.</p></article></body></html>"


run = run_in  # this module's tests call the command line as run(cwd, *args)


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    with serve({"/story": Route(body=PAGE)}) as base:
        yield base


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.txt").write_text("Critics say the levy is unfair.\n", encoding="utf-8")
    return repo


@pytest.mark.parametrize(
    ("text", "key", "instead"),
    [
        ('allow-hosts = ["127.0.0.1"]\n', "allow-hosts", "--allow-host on the command line, CITELINT_ALLOW_HOSTS"),
        ('cache-dir = "cache"\n', "cache-dir", "--cache-dir on the command line, CITELINT_CACHE_DIR"),
        ('fail-on = "info"\ntimeout = 600\n', "timeout", "--timeout on the command line, CITELINT_TIMEOUT"),
        ('max-concurrency = 500\n', "max-concurrency", "CITELINT_MAX_CONCURRENCY"),
        ('per-host = 64\n', "per-host", "CITELINT_PER_HOST"),
    ],
)
def test_checkout_config_cannot_widen_the_network(checkout: Path, text: str, key: str, instead: str) -> None:
    (checkout / "citelint.toml").write_text(text, encoding="utf-8")
    code, out, err = run(checkout, "check", "a.txt")
    assert code == 2 and out == ""
    line = text.count("\n", 0, text.index(key)) + 1
    assert f"citelint.toml:{line}: key {key!r}" in err
    assert instead in err and "citelint/config.toml (outside the checkout)" in err


def test_pyproject_table_is_refused_the_same_way(checkout: Path) -> None:
    (checkout / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.citelint]\nallow-hosts = ["10.0.0.5"]\n', encoding="utf-8")
    code, _, err = run(checkout, "check", "a.txt")
    assert code == 2 and "pyproject.toml:5: key 'allow-hosts' widens what the network may reach" in err


def test_explicit_config_file_is_refused_too(checkout: Path) -> None:
    # CI points --config into the checkout, so the change under review controls it as well.
    (checkout / "ci.toml").write_text('allow-hosts = ["127.0.0.1"]\n', encoding="utf-8")
    code, _, err = run(checkout, "check", "--config", "ci.toml", "a.txt")
    assert code == 2 and "ci.toml:1: key 'allow-hosts'" in err


def test_checkout_config_may_tighten(checkout: Path) -> None:
    (checkout / "citelint.toml").write_text("timeout = 5\nper-host = 1\nmax-concurrency = 16\n", encoding="utf-8")
    code, out, _ = run(checkout, "show-config")
    assert code == 0
    assert "timeout         = 5.0" in out and "per-host        = 1" in out


def test_pull_request_config_cannot_reach_loopback(checkout: Path, server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (checkout / "a.txt").write_text(ARTICLE.replace("URL", str(server)), encoding="utf-8")
    (checkout / "citelint.toml").write_text('verify = true\nallow-hosts = ["127.0.0.1"]\n', encoding="utf-8")
    code, out, err = run(checkout, "check", "--cache-dir", str(tmp_path / "cache"), "a.txt")
    assert code == 2 and "key 'allow-hosts'" in err
    assert server.log == []  # refused before anything was fetched


def test_environment_of_the_ci_job_allows_a_host(checkout: Path, server, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (checkout / "a.txt").write_text(ARTICLE.replace("URL", str(server)), encoding="utf-8")
    monkeypatch.setenv("CITELINT_ALLOW_HOSTS", "127.0.0.1, 10.0.0.9")
    monkeypatch.setenv("CITELINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CITELINT_TIMEOUT", "5")
    code, out, err = run(checkout, "check", "--format", "json", "--verify", "a.txt")
    report = json.loads(out)
    verification = report["files"][0]["attributions"][0]["verification"]
    assert verification["status"] == "alive", err
    assert [r.path for r in server.log] == ["/story"]
    assert (tmp_path / "cache").is_dir()
    _, shown, _ = run(checkout, "show-config")
    assert 'allow-hosts     = ["127.0.0.1", "10.0.0.9"]  # CITELINT_ALLOW_HOSTS' in shown
    assert "timeout         = 5.0  # CITELINT_TIMEOUT" in shown


@pytest.mark.parametrize(("name", "value", "message"), [
    ("CITELINT_TIMEOUT", "soon", "environment variable CITELINT_TIMEOUT: 'soon' is not a number"),
    ("CITELINT_TIMEOUT", "inf", "environment variable CITELINT_TIMEOUT: 'inf' is not a finite number"),
    ("CITELINT_PER_HOST", "0", "environment variable CITELINT_PER_HOST: key 'per-host' must be more than 0"),
])
def test_bad_environment_values_are_usage_errors(checkout: Path, monkeypatch: pytest.MonkeyPatch,
                                                 name: str, value: str, message: str) -> None:
    monkeypatch.setenv(name, value)
    code, out, err = run(checkout, "check", "a.txt")
    assert code == 2 and out == "" and message in err


def test_user_config_outside_the_checkout_may_widen(checkout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "xdg"
    (home / "citelint").mkdir(parents=True)
    (home / "citelint" / "config.toml").write_text('allow-hosts = ["intranet.example"]\ntimeout = 60\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    (checkout / "citelint.toml").write_text('fail-on = "info"\n', encoding="utf-8")
    code, out, _ = run(checkout, "show-config")
    assert code == 0
    assert f'allow-hosts     = ["intranet.example"]  # {home / "citelint" / "config.toml"}' in out
    assert "timeout         = 60.0" in out
    assert f'fail-on         = "info"  # {checkout / "citelint.toml"}' in out
    # --isolated ignores every configuration file, the user's too.
    _, out, _ = run(checkout, "show-config", "--isolated")
    assert "allow-hosts     = []  # default" in out


def test_user_config_inside_the_checkout_is_not_trusted(checkout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A repository checked out as the home directory would control "~/.config" itself.
    (checkout / ".config" / "citelint").mkdir(parents=True)
    (checkout / ".config" / "citelint" / "config.toml").write_text('allow-hosts = ["127.0.0.1"]\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(checkout / ".config"))
    code, out, _ = run(checkout, "show-config")
    assert code == 0 and "allow-hosts     = []  # default" in out
