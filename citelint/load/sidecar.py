"""Per-article source lists: ``NAME.sources.toml`` beside the article."""
from __future__ import annotations

import os
import re
import tomllib
from urllib.parse import urlsplit

from citelint.inputs import MB, ReadError, loads_toml, read_regular
from citelint.model import InputError, LineIndex, Sidecar, SidecarSource, Span

SUFFIX = ".sources.toml"
MAX_BYTES = 5 * MB  # a source list for one article; far more than any needs
_KEYS = ("ref", "name", "url", "note")
_HEADER = re.compile(r"^[ \t]*(\[\[[ \t]*source[ \t]*\]\])[ \t]*(?:#.*)?\r?$", re.M)
_ARRAY = re.compile(r"^[ \t]*(source)[ \t]*=", re.M)


def sidecar_path(article: str, directory: str | None = None) -> str | None:
    """Where an article's sidecar would be: ``dir/article.md`` → ``dir/article.sources.toml``.

    With ``directory`` (stdin), the sidecar is looked for there under the article's stem.
    """
    if article == "-":
        return None
    stem = os.path.splitext(os.path.basename(article))[0]
    if not stem:
        return None
    folder = directory if directory is not None else os.path.dirname(article)
    return os.path.join(folder, stem + SUFFIX)


def load_sidecar(path: str) -> tuple[Sidecar | None, tuple[InputError, ...]]:
    """The sidecar at ``path`` (None if there is none) and the problems that made it unusable."""
    try:
        data = read_regular(path, MAX_BYTES)
    except ReadError as error:
        if error.missing:
            return None, ()
        return None, (InputError(path, f"cannot read sidecar: {error.message}"),)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, (InputError(path, f"line {line}: not valid UTF-8 (save the file as UTF-8)"),)
    return parse_sidecar(text, path)


def parse_sidecar(text: str, path: str) -> tuple[Sidecar | None, tuple[InputError, ...]]:
    try:
        table = loads_toml(text)
    except tomllib.TOMLDecodeError as error:
        return None, (InputError(path, f"invalid TOML: {error}"),)
    lines = LineIndex(text)
    problems: list[str] = []
    publisher = table.get("publisher")
    for key in table:
        if key == "publisher":
            if not isinstance(publisher, str) or not publisher.strip():
                line = _line_of_key(text, key, 0, len(text), lines)
                problems.append(f"line {line}: key 'publisher' must be a registry id (the outlet whose article this is)")
        elif key != "source":
            line = _line_of_key(text, key, 0, len(text), lines)
            problems.append(f"line {line}: unknown key {key!r} (expected publisher = \"ID\" and [[source]] tables)")
    entries = table.get("source", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        line = _line_of(text, _ARRAY, lines)
        problems.append(f"line {line}: 'source' must be [[source]] tables")
        entries = []
    headers = [m.span(1) for m in _HEADER.finditer(text)]
    inline = len(headers) != len(entries)
    if inline:  # source = [{…}, …]: every entry is placed on the array's first line
        match = _ARRAY.search(text)
        headers = [match.span(1) if match else (0, 0)] * len(entries)
    sources: list[SidecarSource] = []
    for index, entry in enumerate(entries):
        start, end = headers[index]
        last = inline or index + 1 == len(headers)
        limit = len(text) if last else headers[index + 1][0]
        line, column = lines.position(start)
        errors = _check(entry, text, end, limit, line, lines)
        problems.extend(errors)
        if not errors:
            span = Span(start, end, text[start:end], line, column, *lines.position(end))
            ref, name, url = (entry.get(key) for key in ("ref", "name", "url"))
            sources.append(SidecarSource(ref, name, url, span))
    if problems:
        return None, tuple(InputError(path, message) for message in problems)
    return Sidecar(path, text, tuple(sources), publisher.strip() if isinstance(publisher, str) else None), ()


def _check(
    entry: dict[str, object], text: str, start: int, limit: int, header: int, lines: LineIndex
) -> list[str]:
    problems = []
    for key, value in entry.items():
        line = _line_of_key(text, key, start, limit, lines, default=header)
        if key not in _KEYS:
            problems.append(
                f"line {line}: unknown key {key!r} in [[source]] (expected ref, name, url, note)"
            )
        elif not isinstance(value, str):
            problems.append(f"line {line}: key {key!r} must be a string, not {_kind(value)}")
        elif not value.strip():
            problems.append(f"line {line}: key {key!r} is empty")
        elif key == "url" and not _is_web_url(value):
            problems.append(f"line {line}: key 'url' must be an http(s) URL, got {value!r}")
    if "ref" not in entry and "name" not in entry:
        problems.append(
            f"line {header}: [[source]] needs key 'ref' (a registry id) or key 'name'"
        )
    return problems


def _is_web_url(value: str) -> bool:
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _kind(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", list: "an array"}
    names[dict] = "a table"
    return names.get(type(value), f"a {type(value).__name__}")


def _line_of_key(
    text: str, key: str, start: int, limit: int, lines: LineIndex, default: int = 1
) -> int:
    name = re.escape(key)
    pattern = re.compile(rf"""^[ \t]*(?:{name}|"{name}"|'{name}')[ \t]*[=.\[]""", re.M)
    match = pattern.search(text, start, limit)
    if match is None:
        match = re.compile(rf"^[ \t]*\[+[ \t]*{name}\b", re.M).search(text, start, limit)
    return lines.position(match.start())[0] if match else default


def _line_of(text: str, pattern: re.Pattern[str], lines: LineIndex) -> int:
    match = pattern.search(text)
    return lines.position(match.start())[0] if match else 1
