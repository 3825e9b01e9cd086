"""Loading articles (.txt, .md, .html) into Documents: decoding, prose views, sidecars."""
from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass

from citelint.load.decode import LoadError, decode_noted, read_bytes, too_big
from citelint.load.sidecar import load_sidecar, sidecar_path
from citelint.load.walk import FileSelection, discover
from citelint.model import Document, InputError

__all__ = [
    "ARTICLE_SUFFIXES",
    "FileSelection",
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
_FORMATS = ("text", "markdown", "html")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Loaded:
    """A loaded article and the non-fatal problems met on the way (e.g. a broken sidecar)."""

    document: Document
    problems: tuple[InputError, ...] = ()
    notes: tuple[str, ...] = ()  # worth saying, not worth failing for (e.g. read as cp1252)


def format_for(path: str) -> str:
    """The article format a path's suffix names; anything unknown is read as plain text."""
    return ARTICLE_SUFFIXES.get(os.path.splitext(path)[1].lower(), "text")


def load_text(text: str, path: str, fmt: str, whole_page: bool = False) -> Document:
    """A Document from already-decoded text (no sidecar).

    HTML pages are read for their article only (page furniture is not prose) unless
    ``whole_page``.
    """
    # Each loader is imported when first needed: a run over Markdown never loads the HTML
    # reader and its main-content detection.
    if fmt == "html":
        from citelint.load import html

        return html.load(text, path, whole_page)
    if fmt == "markdown":
        from citelint.load import markdown

        return markdown.load(text, path)
    if fmt == "text":
        from citelint.load import text as plain

        return plain.load(text, path)
    raise ValueError(f"unknown format {fmt!r} (expected {', '.join(_FORMATS)})")


def load_bytes(
    data: bytes, path: str, fmt: str | None = None, sidecar_dir: str | None = None, whole_page: bool = False
) -> Loaded:
    """Load an article given as bytes (stdin: ``path`` is --stdin-filename or "-").

    The sidecar is looked for in ``sidecar_dir`` under the stem of ``path``, if given.
    """
    sidecar = sidecar_path(path, sidecar_dir) if sidecar_dir is not None else None
    return _load(data, path, fmt or format_for(path), sidecar, whole_page)


def load_stdin(path: str, max_bytes: int = DEFAULT_MAX_BYTES, sidecar_dir: str | None = None,
               whole_page: bool = False) -> Loaded:
    """The article on stdin (``path`` names it: --stdin-filename or "-"), capped like files."""
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise LoadError(f"stdin holds more than the {max_bytes // (1024 * 1024)} MB limit of an article")
    return load_bytes(data, path, sidecar_dir=sidecar_dir, whole_page=whole_page)


def load_path(path: str, max_bytes: int = DEFAULT_MAX_BYTES, whole_page: bool = False) -> Loaded:
    """Load an article file and its ``NAME.sources.toml``; raises LoadError."""
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise LoadError(too_big(len(data), max_bytes, at_least=True))
        return _load(data, path, "text", None)
    return _load(read_bytes(path, max_bytes), path, format_for(path), sidecar_path(path), whole_page)


def _load(data: bytes, path: str, fmt: str, sidecar: str | None, whole_page: bool = False) -> Loaded:
    text, note = decode_noted(data, fmt)
    document = load_text(text, path, fmt, whole_page)
    notes = (note,) if note else ()
    if sidecar is None:
        return Loaded(document, (), notes)
    found, problems = load_sidecar(sidecar)
    if found is not None:
        document = dataclasses.replace(document, sidecar=found)
    return Loaded(document, problems, notes)
