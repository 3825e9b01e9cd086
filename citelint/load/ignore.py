"""``.gitignore`` and ``.ignore`` files, matched with pathspec the way git matches them.

Each ignore file's patterns are relative to its own directory. For one path, the deepest
file with a pattern that matches decides, and inside a file the last matching pattern
decides (``!keep.md`` re-includes), as in git. A directory that is ignored is not entered,
so nothing below it can be re-included, as in git.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

IGNORE_FILES = (".gitignore", ".ignore")  # .ignore (ripgrep's, ruff's) is read after, so it wins


@dataclass(frozen=True)
class IgnoreFile:
    """The patterns of one directory's ignore files; ``directory`` is an absolute path."""

    directory: str
    patterns: tuple[object, ...]  # pathspec patterns (typed loosely: pathspec ships no stubs for them)

    def verdict(self, path: str, is_dir: bool) -> bool | None:
        """True: ignored, False: re-included by a ``!`` pattern, None: no pattern matches."""
        prefix = self.directory if self.directory.endswith(os.sep) else self.directory + os.sep
        if not path.startswith(prefix):  # absolute paths, compared as strings: no syscalls per file
            return None
        rel = path[len(prefix):].replace(os.sep, "/")
        if is_dir:
            rel += "/"
        decision: bool | None = None
        for pattern in self.patterns:
            include = getattr(pattern, "include", None)
            if include is not None and pattern.match_file(rel) is not None:  # type: ignore[attr-defined]
                decision = bool(include)
        return decision


def read_ignore_files(directory: str) -> IgnoreFile | None:
    """The ignore files of ``directory`` (absolute), or None when it has none (or none readable)."""
    lines: list[str] = []
    for name in IGNORE_FILES:
        try:
            with open(os.path.join(directory, name), encoding="utf-8", errors="replace") as handle:
                lines.extend(handle.read().splitlines())
        except OSError:  # absent, a directory, unreadable: git skips those too
            continue
    return _compile(directory, lines)


def git_info_exclude(root: str) -> IgnoreFile | None:
    """``.git/info/exclude`` of the repository at ``root``: ignored paths that are not committed."""
    try:
        with open(os.path.join(root, ".git", "info", "exclude"), encoding="utf-8", errors="replace") as handle:
            return _compile(root, handle.read().splitlines())
    except OSError:
        return None


def _compile(directory: str, lines: list[str]) -> IgnoreFile | None:
    if not any(line.strip() and not line.startswith("#") for line in lines):
        return None
    import pathspec  # imported on first use: a run on named files never pays for it

    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    return IgnoreFile(directory, tuple(p for p in spec.patterns if getattr(p, "include", None) is not None))


def ignored(stack: list[IgnoreFile], path: str, is_dir: bool) -> bool:
    """Whether the ignore files in ``stack`` (outermost first) ignore ``path``."""
    for ignore_file in reversed(stack):
        verdict = ignore_file.verdict(path, is_dir)
        if verdict is not None:
            return verdict
    return False
