"""What the command line asks for beyond parsing its options: which inputs (stdin as ruff
reads it), whether to colour, and warnings about options that cannot do what they seem to."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from citelint.load.walk import FileSelection


def inputs(paths: list[str], stdin_filename: str | None, quiet: bool, files: FileSelection, err: TextIO) -> list[str]:
    """The paths to check. Like ruff: --stdin-filename alone reads stdin; named paths then give way to it."""
    if not stdin_filename:
        if paths.count("-") and not quiet:
            print("citelint: note: reading stdin as plain text; give --stdin-filename NAME.md "
                  "(or .html) to read Markdown or HTML and NAME.sources.toml beside it", file=err)
        return list(paths or ["."])
    others = [p for p in paths if p != "-"]
    if others and not quiet:
        print(f"citelint: warning: ignoring {', '.join(others)}: --stdin-filename reads standard input", file=err)
    if files.force_exclude and files.excluded(stdin_filename):
        return []  # an editor pipes an excluded file: check nothing, as for a named file
    return ["-"]


def colour(setting: str, out: TextIO) -> bool:
    """--color always|never, or auto: a terminal, unless NO_COLOR is set (no-color.org) or TERM=dumb."""
    if setting != "auto":
        return setting == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


# Rules that judge fetched pages: selecting only them without --verify would report nothing.
_VERIFY_RULES = frozenset({"CL301", "CL302", "CL303", "CL304"})


def warn_verify_rules(names: list[str], err: TextIO) -> None:
    from citelint.selection import expand

    for raw in names:
        for name in raw.replace(",", " ").split():
            codes = expand([name])
            if codes and codes <= _VERIFY_RULES:
                print(f"citelint: warning: --select {name}: {', '.join(sorted(codes))} "
                      "need --verify (they judge the fetched pages); without it they report nothing", file=err)
