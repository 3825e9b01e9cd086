"""Configuration: ``[tool.citelint]`` in pyproject.toml or ``citelint.toml``, merged with the
command line (which wins), every value remembering where it came from."""
from __future__ import annotations

import difflib
import fnmatch
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citelint import trust
from citelint.inputs import MB, ReadError, loads_toml, read_text
from citelint.model import Severity
from citelint.selection import SelectionError, expand
from citelint.verify.settings import SECONDS, seconds_problem

# key -> (type, default). Keys mirror the long options of `citelint check`.
SCHEMA: dict[str, tuple[type, Any]] = {
    "sources": (list, []),
    "select": (list, []),
    "ignore": (list, []),
    "severity": (dict, {}),
    "fail-on": (str, "error"),
    "exclude": (list, []),
    "format": (str, "text"),
    "verify": (bool, False),
    "offline": (bool, False),
    "cache-dir": (str, None),
    "timeout": (float, 20.0),
    "max-concurrency": (int, 16),
    "per-host": (int, 4),
    "allow-hosts": (list, []),
    "user-agent": (str, None),
    "whole-page": (bool, False),
    "publisher": (str, None),
    # Second release: which files a walk reads, and how the text report looks.
    "include": (list, ["*.md", "*.markdown", "*.html", "*.htm"]),
    "force-exclude": (bool, False),
    "color": (str, "auto"),
    "show-source": (bool, False),
    "statistics": (bool, False),
    "verify-budget": (float, None),
    "host-interval": (float, 0.1),
    "archive": (bool, False),
    "archive-url": (str, "https://archive.org/wayback/available"),
    # Second release: scale (0 = one worker process per core).
    "jobs": (int, 1),
    # Issue 12: the learned extraction decisions, opt-in (model) until fast enough for CI;
    # no-model keeps the rules alone whatever else is set.
    "model": (bool, False),
    "no-model": (bool, False),
}
MAX_BYTES = MB  # a configuration file (a pyproject.toml is a few KB)
_PATH_KEYS = ("sources", "cache-dir")  # relative to the configuration file's directory
_LEVELS = ("error", "warning", "info")


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file and the key."""


@dataclass
class Settings:
    """Effective settings of one run and the origin of each ("default", a file, "command line")."""

    values: dict[str, Any] = field(default_factory=lambda: {k: v for k, (_, v) in SCHEMA.items()})
    origins: dict[str, str] = field(default_factory=lambda: {k: "default" for k in SCHEMA})
    file: str | None = None
    base: str = "."  # the directory exclude globs and relative paths are taken from

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def set(self, key: str, value: Any, origin: str) -> None:
        self.values[key] = value
        self.origins[key] = origin

    def severities(self) -> dict[str, Severity]:
        return {code: Severity.parse(level) for code, level in self.values["severity"].items()}

    def excluded(self, path: str) -> bool:
        """Whether a file found by walking a directory matches an ``exclude`` glob."""
        patterns = self.values["exclude"]
        if not patterns:
            return False
        rel = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(self.base))).as_posix()
        parts = rel.split("/")
        for pattern in patterns:
            pattern = pattern.rstrip("/")
            if "/" not in pattern:
                # Like .gitignore: "drafts" or "*.draft.md" matches any path component.
                if any(fnmatch.fnmatchcase(part, pattern) for part in parts):
                    return True
            elif any(fnmatch.fnmatchcase("/".join(parts[:i]), pattern) for i in range(1, len(parts) + 1)):
                return True  # "news/drafts" or "news/2019/*" excludes everything below
        return False


def discover(start: str = ".") -> Path | None:
    """The nearest configuration walking up from ``start``: citelint.toml, or a
    pyproject.toml that has a [tool.citelint] table (citelint.toml wins in one directory)."""
    here = Path(start).resolve()
    for directory in (here, *here.parents):
        own = directory / "citelint.toml"
        if own.is_file():
            return own
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = read_text(pyproject, MAX_BYTES)
            except ReadError:
                continue
            if re.search(r"^\s*\[tool\.citelint[\].]", text, re.M) or _names_citelint(text):
                return pyproject
    return None


def _names_citelint(text: str) -> bool:
    """Whether a pyproject.toml holds citelint settings in another spelling than a
    [tool.citelint] header (``tool.citelint = …``, ``[tool]`` with ``citelint = …``), or a
    ``tool`` that is not a table: such a file is the configuration, and load() says what is
    wrong with it rather than ignoring it."""
    if "tool" not in text:
        return False
    try:
        data = loads_toml(text)
    except tomllib.TOMLDecodeError:
        return False  # broken, and not visibly about citelint: not ours to judge
    tool = data.get("tool")
    return tool is not None and (not isinstance(tool, dict) or "citelint" in tool)


def load(path: Path, settings: Settings | None = None, checkout: bool = True) -> Settings:
    """Settings with the values of one configuration file applied (and validated).

    A ``checkout`` file (discovered, or named with --config) may not widen the network's
    reach (see citelint.trust); the user-level config outside the checkout may.
    """
    settings = settings or Settings()
    try:
        text = read_text(path, MAX_BYTES)
        data = loads_toml(text)
    except ReadError as exc:
        if exc.missing:
            raise ConfigError(f"{path}: configuration file not found") from None
        raise ConfigError(f"{path}: cannot read configuration: {exc.message}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{path}:{_line_of(text, 'tool')}: key 'tool' must be a table, not {_kind(tool)}")
        table = tool.get("citelint", {})
        if not isinstance(table, dict):
            line = _line_of(text, "tool.citelint") if re.search(r"^\s*tool\.citelint\s*=", text, re.M) else _line_of(text, "citelint")
            raise ConfigError(f"{path}:{line}: key 'tool.citelint' must be a table ([tool.citelint]), not {_kind(table)}")
        where = f"{path} [tool.citelint]"
    else:
        table = data
        where = str(path)
    if checkout:  # the user-level config's relative paths are still taken from its folder
        settings.file = str(path)
        settings.base = str(path.parent)
    for key, value in table.items():
        line = _line_of(text, key)
        if key not in SCHEMA:
            close = difflib.get_close_matches(key.replace("_", "-"), SCHEMA, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(SCHEMA)})"
            raise ConfigError(f"{path}:{line}: unknown key {key!r}{hint}")
        value = _validate(key, value, f"{path}:{line}", path.parent)
        refused = trust.refusal(key, value) if checkout else None
        if refused:
            raise ConfigError(f"{path}:{line}: {refused}")
        settings.set(key, value, where)
    return settings


def load_environment(settings: Settings) -> Settings:
    """Apply the CITELINT_* variables of the CI job's environment (see citelint.trust)."""
    for key, raw in trust.environment().items():
        name = next(n for n, k in trust.ENVIRONMENT.items() if k == key)
        kind, _ = SCHEMA[key]
        value: Any = raw.strip()
        try:
            if kind is list:
                value = [h for h in re.split(r"[\s,]+", value) if h]
            elif kind is float:
                value = float(value)
            elif kind is int:
                value = int(value)
        except ValueError:
            raise ConfigError(f"environment variable {name}: {raw!r} is not {_names[kind]}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(f"environment variable {name}: {raw!r} is not a finite number")
        value = _check_value(key, value, f"environment variable {name}", Path.cwd())
        if kind is list:
            origin = f"{settings.origins[key]} + {name}" if settings.origins[key] != "default" else name
            value = [*settings[key], *value]
        else:
            origin = name
        settings.set(key, value, origin)
    return settings


def _validate(key: str, value: Any, where: str, base: Path) -> Any:
    kind, _ = SCHEMA[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if kind is list and isinstance(value, str):
        value = [value]
    if not isinstance(value, kind) or kind is int and isinstance(value, bool):
        raise ConfigError(f"{where}: key {key!r} must be {_names[kind]}, not {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{where}: key {key!r} must be a finite number, not {value}")
    return _check_value(key, value, where, base)


def _check_value(key: str, value: Any, where: str, base: Path) -> Any:
    kind, _ = SCHEMA[key]
    if kind is list and not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: key {key!r} must be a list of strings")
    if key in ("select", "ignore"):
        try:
            expand(value, f"{where}: key {key!r}")
        except SelectionError as exc:
            raise ConfigError(str(exc)) from None
    if key == "severity":
        for code, level in value.items():
            try:
                expand([code], f"{where}: key 'severity'")
            except SelectionError as exc:
                raise ConfigError(str(exc)) from None
            if level not in _LEVELS:
                raise ConfigError(f"{where}: key 'severity': {code} = {level!r} is not one of {', '.join(_LEVELS)}")
        value = {next(iter(expand([c]))): level for c, level in value.items()}
    if key in ("fail-on",) and value not in _LEVELS:
        raise ConfigError(f"{where}: key 'fail-on' must be one of {', '.join(_LEVELS)}, not {value!r}")
    if key == "color" and value not in ("auto", "always", "never"):
        raise ConfigError(f"{where}: key 'color' must be one of auto, always, never, not {value!r}")
    if key == "format":
        from citelint.report import FORMATS

        if value not in FORMATS:
            raise ConfigError(f"{where}: key 'format' must be one of {', '.join(FORMATS)}, not {value!r}")
    if key in SECONDS and (problem := seconds_problem(key, value)) is not None:
        raise ConfigError(f"{where}: key {key!r} {problem}")
    if key in ("timeout", "max-concurrency", "per-host") and not value > 0:
        raise ConfigError(f"{where}: key {key!r} must be more than 0")
    if key == "jobs" and value < 0:
        raise ConfigError(f"{where}: key 'jobs' must be 0 (one per core) or more, not {value!r}")
    if key in _PATH_KEYS:
        value = [_under(base, p) for p in value] if isinstance(value, list) else _under(base, value)
    return value


def _kind(value: Any) -> str:
    return {str: "a string", int: "a whole number", float: "a number", bool: "true or false", list: "a list"}.get(type(value), type(value).__name__)


def _under(base: Path, path: str) -> str:
    return path if os.path.isabs(path) else str(base / path)


_names = {list: "a list", dict: "a table", str: "a string", bool: "true or false", int: "a whole number", float: "a number"}


def _line_of(text: str, key: str) -> int:
    """The line setting ``key``: ``key = …`` (in a pyproject.toml, below [tool.citelint]),
    else a ``[tool.citelint.key]`` or ``[key]`` table header; 1 when neither is found."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"\s*\[\s*tool\.citelint\s*\]", line)), 0)
    for number, line in enumerate(lines[start:], start + 1):
        if re.match(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return number
    for number, line in enumerate(lines, 1):
        if re.match(rf"\s*\[\s*(?:tool\.citelint\.)?{re.escape(key)}\s*\]", line):
            return number
    return 1
