"""Which files a run checks: named files as given, directories walked lazily in a stable order.

A directory walk reads only files matching the ``include`` globs (by default Markdown and
HTML: a ``.txt`` is more often ``requirements.txt`` than an article, so plain text is read
when named or included), skips hidden, VCS, virtualenv, dependency and build directories,
honours ``.gitignore``/``.ignore`` files and the configured ``exclude`` globs, and never
opens special files (FIFOs, sockets, devices). A file named on the command line is checked
whatever its suffix; ``force_exclude`` applies ``exclude`` and the skipped directories to it
too (pre-commit names every tracked file, node_modules included, as ruff's defaults assume).
Paths are shown relative to the working directory, without ``./``.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from citelint.load.decode import os_reason
from citelint.load.ignore import IgnoreFile, git_info_exclude, ignored, read_ignore_files
from citelint.load.sidecar import SUFFIX as SIDECAR_SUFFIX
from citelint.model import InputError

DEFAULT_INCLUDE = ("*.md", "*.markdown", "*.html", "*.htm")
# Never articles: dependencies, caches and build output (hidden directories are skipped too).
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "build", "dist", "site-packages"})


@dataclass(frozen=True)
class FileSelection:
    """What a walk reads. Globs are gitignore-style, relative to ``base`` (the configuration's directory)."""

    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: Callable[[str], bool] | None = None
    force_exclude: bool = False
    respect_ignore_files: bool = True
    base: str = "."
    _spec: list[Any] = field(default_factory=list, compare=False, repr=False)  # compiled include, lazily

    def included(self, path: str) -> bool:
        return self.included_relative(_relative(os.path.abspath(path), os.path.abspath(self.base)))

    def included_relative(self, rel: str) -> bool:
        """``rel``: the path relative to ``base``, with "/" separators."""
        if not self._spec:
            import pathspec

            self._spec.append(pathspec.GitIgnoreSpec.from_lines(self.include))
        if rel.startswith("../"):  # outside the configured tree: only the file name can match
            rel = rel.rsplit("/", 1)[-1]
        # "*.md" takes STORY.MD too: suffixes are case-insensitive, as format_for reads them.
        return bool(self._spec[0].match_file(rel) or self._spec[0].match_file(rel.lower()))

    def excluded(self, path: str) -> bool:
        return self.exclude is not None and self.exclude(path)


def display_path(path: str) -> str:
    """``./a/b.md`` → ``a/b.md``; an absolute path under the working directory becomes relative."""
    if path == "-":
        return path
    norm = os.path.normpath(path)
    if os.path.isabs(norm):
        try:
            rel = os.path.relpath(norm)
        except ValueError:  # another drive (Windows)
            return norm
        return norm if rel == ".." or rel.startswith(".." + os.sep) else rel
    return norm


def discover(paths: Sequence[str], selection: FileSelection | None = None) -> Iterator[str | InputError]:
    """The files to check, in a deterministic order, each once; "-" (stdin) is passed through."""
    selection = selection or FileSelection()
    seen: set[str] = set()  # named files; walked ones too only when arguments overlap (memory stays flat)
    remember_walked = _overlapping(paths)
    for path in paths:
        if path == "-":
            yield path
            continue
        shown = display_path(path)
        if selection.force_exclude and (selection.excluded(shown) or _under_skipped_dir(shown, selection.base)):
            continue
        if os.path.isdir(path):
            stack = _ancestor_ignore_files(path) if selection.respect_ignore_files else []
            for item in _walk(shown, stack, selection):
                if isinstance(item, str):
                    if item in seen:
                        continue
                    if remember_walked:
                        seen.add(item)
                yield item
        elif os.path.lexists(path):
            if shown not in seen:
                seen.add(shown)
                yield shown
        else:
            yield InputError(shown, "no such file or directory")


def _overlapping(paths: Sequence[str]) -> bool:
    """Whether an argument is another or lies under another: only then can a walk reach a file twice."""
    full = {os.path.abspath(p) for p in paths if p != "-"}
    if len(full) < sum(1 for p in paths if p != "-"):
        return True
    for path in full:
        parent = os.path.dirname(path)
        while parent and parent != path:
            if parent in full:
                return True
            path, parent = parent, os.path.dirname(parent)
    return False


def _walk(directory: str, stack: list[IgnoreFile], selection: FileSelection) -> Iterator[str | InputError]:
    """Depth first, each directory's entries sorted by name as it is entered (nothing is listed up front)."""
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as error:
        yield InputError(directory, os_reason(error))
        return
    here = os.path.abspath(directory)  # path arithmetic once per directory, not per file
    rel_here = _relative(here, os.path.abspath(selection.base))
    if selection.respect_ignore_files:
        own = read_ignore_files(here)
        if own is not None:
            stack = [*stack, own]
    for entry in entries:
        path = entry.name if directory == "." else os.path.join(directory, entry.name)
        full = os.path.join(here, entry.name)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)  # a linked directory could loop
            is_file = not is_dir and entry.is_file()  # FIFOs, sockets, devices: neither
        except OSError:
            continue
        if is_dir:
            if _skipped_dir(entry.name, full) or selection.excluded(path):
                continue
            if stack and ignored(stack, full, True):
                continue
            yield from _walk(path, stack, selection)
        elif is_file:
            if entry.name.lower().endswith(SIDECAR_SUFFIX):
                continue
            if not selection.included_relative(entry.name if rel_here == "." else f"{rel_here}/{entry.name}"):
                continue
            if selection.excluded(path) or stack and ignored(stack, full, False):
                continue
            yield path


def _relative(path: str, base: str) -> str:
    """``path`` relative to ``base`` (both absolute), "/"-separated."""
    return os.path.relpath(path, base).replace(os.sep, "/")


def _skipped_dir(name: str, path: str) -> bool:
    return (
        name.startswith(".")
        or name in SKIPPED_DIRS
        or name.endswith(".egg-info")
        or os.path.isfile(os.path.join(path, "pyvenv.cfg"))  # a virtualenv, whatever its name
    )


def _under_skipped_dir(path: str, base: str) -> bool:
    """Whether a named path lies in a directory a walk would skip (node_modules, a venv…), below ``base``."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    if rel == ".." or rel.startswith(".." + os.sep):
        return False
    parts = rel.split(os.sep)[:-1] if not os.path.isdir(path) else rel.split(os.sep)
    here = os.path.abspath(base)
    for name in parts:
        if name in ("", "."):
            continue
        here = os.path.join(here, name)
        if _skipped_dir(name, here):
            return True
    return False


def _ancestor_ignore_files(path: str) -> list[IgnoreFile]:
    """Ignore files above a walked directory, up to its repository's top (none outside a repository)."""
    here = os.path.abspath(path)
    chain = [here]
    while not os.path.exists(os.path.join(chain[-1], ".git")):
        parent = os.path.dirname(chain[-1])
        if parent == chain[-1]:
            return []  # not in a repository: only the walked tree's own ignore files count
        chain.append(parent)
    top = chain[-1]
    found = [f for f in (git_info_exclude(top),) if f is not None]
    for directory in reversed(chain[1:]):  # outermost first; the walked directory reads its own
        own = read_ignore_files(directory)
        if own is not None:
            found.append(own)
    return found
