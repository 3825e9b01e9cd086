"""Loading articles (.txt, .md, .html) into Documents: decoding, prose views, sidecars."""
from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from citelint.load import html, markdown, text
from citelint.load.decode import LoadError, decode, os_reason, read_bytes, too_big
from citelint.load.sidecar import SUFFIX as SIDECAR_SUFFIX
from citelint.load.sidecar import load_sidecar, sidecar_path
from citelint.model import Document, InputError

__all__ = [
    "ARTICLE_SUFFIXES",
    "LoadError",
    "Loaded",
    "discover",
    "format_for",
    "load_bytes",
    "load_path",
    "load_stdin",
    "load_text",
]

ARTICLE_SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
_LOADERS: dict[str, Callable[[str, str], Document]] = {
    "text": text.load,
    "markdown": markdown.load,
    "html": html.load,
}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Loaded:
    """A loaded article and the non-fatal problems met on the way (e.g. a broken sidecar)."""

    document: Document
    problems: tuple[InputError, ...] = ()


def format_for(path: str) -> str:
    """The article format a path's suffix names; anything unknown is read as plain text."""
    return ARTICLE_SUFFIXES.get(os.path.splitext(path)[1].lower(), "text")


def discover(paths: Sequence[str], exclude: Callable[[str], bool] | None = None) -> Iterator[str | InputError]:
    """The article files to check, in a deterministic order.

    Files named explicitly are taken whatever their suffix; directories are walked for
    ARTICLE_SUFFIXES files, skipping hidden directories, sidecars and files ``exclude``
    rejects (configured globs); "-" means stdin.
    """
    seen: set[str] = set()
    for path in paths:
        if path == "-":
            yield path
            continue
        if os.path.isdir(path):
            found, errors = _walk(path)
            yield from errors
            for item in found:
                if exclude is not None and exclude(item):
                    continue
                if os.path.normpath(item) not in seen:
                    seen.add(os.path.normpath(item))
                    yield item
        elif os.path.lexists(path):
            if os.path.normpath(path) not in seen:
                seen.add(os.path.normpath(path))
                yield path
        else:
            yield InputError(path, "no such file or directory")


def _walk(root: str) -> tuple[list[str], list[InputError]]:
    found: list[tuple[tuple[str, ...], str]] = []
    errors: list[InputError] = []

    def failed(error: OSError) -> None:
        errors.append(InputError(error.filename or root, os_reason(error)))

    for folder, dirs, files in os.walk(root, onerror=failed):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            lower = name.lower()
            if lower.endswith(SIDECAR_SUFFIX):
                continue
            if os.path.splitext(lower)[1] in ARTICLE_SUFFIXES:
                full = os.path.join(folder, name)
                found.append((tuple(os.path.relpath(full, root).split(os.sep)), full))
    found.sort()
    return [full for _, full in found], sorted(errors, key=lambda e: e.path)


def load_text(text: str, path: str, fmt: str) -> Document:
    """A Document from already-decoded text (no sidecar)."""
    try:
        loader = _LOADERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} (expected text, markdown or html)") from None
    return loader(text, path)


def load_bytes(
    data: bytes, path: str, fmt: str | None = None, sidecar_dir: str | None = None
) -> Loaded:
    """Load an article given as bytes (stdin: ``path`` is --stdin-filename or "-").

    The sidecar is looked for in ``sidecar_dir`` under the stem of ``path``, if given.
    """
    sidecar = sidecar_path(path, sidecar_dir) if sidecar_dir is not None else None
    return _load(data, path, fmt or format_for(path), sidecar)


def load_stdin(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Loaded:
    """The article on stdin (``path`` names it: --stdin-filename or "-"), capped like files."""
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise LoadError(f"stdin holds more than the {max_bytes // (1024 * 1024)} MB limit of an article")
    return load_bytes(data, path)


def load_path(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Loaded:
    """Load an article file and its ``NAME.sources.toml``; raises LoadError."""
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise LoadError(too_big(len(data), max_bytes, at_least=True))
        return _load(data, path, "text", None)
    return _load(read_bytes(path, max_bytes), path, format_for(path), sidecar_path(path))


def _load(data: bytes, path: str, fmt: str, sidecar: str | None) -> Loaded:
    document = load_text(decode(data, fmt), path, fmt)
    if sidecar is None:
        return Loaded(document)
    found, problems = load_sidecar(sidecar)
    if found is not None:
        document = dataclasses.replace(document, sidecar=found)
    return Loaded(document, problems)
