"""Where settings that widen the network's reach may come from: never the checkout.

A pull request controls the checkout's ``pyproject.toml``/``citelint.toml`` (and any file
named with ``--config``, which CI usually points into the checkout). Keys that let a run
reach more hosts, hold the network longer or harder, or read and write a cache elsewhere
may therefore only come from the command line, the CI job's environment
(``CITELINT_ALLOW_HOSTS`` …) or the user-level config outside the checkout
(``$XDG_CONFIG_HOME/citelint/config.toml``).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

# Keys a checkout's config may not set at all: allow-hosts switches off the address guard
# for a host; cache-dir decides where fetched pages are read from and written to (a
# committed "cache" could forge verified pages, or the run could write anywhere).
REFUSED = ("allow-hosts", "cache-dir")
# Keys a checkout's config may lower but not raise above the default: more time or more
# connections per run only helps a hostile server or turns CI into a load generator.
CEILINGS: dict[str, float] = {"timeout": 20.0, "max-concurrency": 16, "per-host": 4}

# Environment variables the CI job sets (never the checkout) -> key.
ENVIRONMENT = {
    "CITELINT_ALLOW_HOSTS": "allow-hosts",
    "CITELINT_CACHE_DIR": "cache-dir",
    "CITELINT_TIMEOUT": "timeout",
    "CITELINT_MAX_CONCURRENCY": "max-concurrency",
    "CITELINT_PER_HOST": "per-host",
}


def where_instead(key: str) -> str:
    """The sentence telling a user where a network-widening key belongs."""
    option = "--allow-host" if key == "allow-hosts" else f"--{key}"
    env = next(name for name, k in ENVIRONMENT.items() if k == key)
    return (f"set it with {option} on the command line, {env} in the CI job's environment, "
            f"or in the user config {user_config_path()} (outside the checkout)")


def refusal(key: str, value: Any) -> str | None:
    """Why a checkout's config may not hold ``key = value``, or None when it may."""
    if key in REFUSED:
        return f"key {key!r} widens what the network may reach and cannot come from the checkout's config; {where_instead(key)}"
    ceiling = CEILINGS.get(key)
    if ceiling is not None and isinstance(value, (int, float)) and value > ceiling:
        return (f"key {key!r} = {value} is above the default {ceiling:g}; the checkout's config may only lower it; "
                f"{where_instead(key)}")
    return None


def user_config_path() -> Path:
    """``$XDG_CONFIG_HOME/citelint/config.toml`` (``~/.config`` when unset)."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "citelint" / "config.toml"


def user_config(cwd: str = ".") -> Path | None:
    """The user-level config if it exists and lies outside the working directory's tree
    (a checkout that holds it, e.g. a home-directory repository, controls it)."""
    path = user_config_path()
    if not path.is_file():
        return None
    here = Path(cwd).resolve()
    real = path.resolve()
    if real == here or here in real.parents:
        return None
    return path


def environment() -> dict[str, str]:
    """The CITELINT_* variables that are set (and not empty), by key."""
    return {key: os.environ[name] for name, key in ENVIRONMENT.items() if os.environ.get(name, "").strip()}
