"""GitHub Actions workflow commands (``--format github``): one annotation line per finding.

    ::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CODE slug::MESSAGE

Errors are ``::error``, warnings ``::warning``, info findings ``::notice``. Columns are
citelint's: 1-based code points, ``endColumn`` one past the last character. GitHub accepts
columns only on a one-line annotation, so a finding spanning lines gets ``line`` and
``endLine`` but no ``col``/``endColumn``. Inputs that could not be checked are
``::error file=PATH::MESSAGE``.

GitHub shows at most 10 annotations of each level per step. When more than 10 of a level
were written, a last line says so (``::notice title=citelint::37 warnings; GitHub shows…``).
That line is an annotation too, so it is written at the first level (notice, warning, error)
that still has room for it.
"""
from __future__ import annotations

from typing import TextIO

from citelint import escape
from citelint.check import FileResult
from citelint.model import Severity
from citelint.report import Totals

GITHUB_LIMIT = 10  # annotations of each level GitHub shows per step
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_NOUNS = {Severity.ERROR: ("error", "errors"), Severity.WARNING: ("warning", "warnings"), Severity.INFO: ("notice", "notices")}


def escape_data(text: str) -> str:
    """A command's message: ``%``, CR and LF are percent-encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (a file name, from outside): control characters made visible, then
    as a message, plus ``:`` and ``,``."""
    return escape_data(escape.path(text)).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: list[tuple[str, str | int]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{name} {props}::{escape_data(message)}\n" if props else f"::{name}::{escape_data(message)}\n"


class GithubWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.written = {s: 0 for s in Severity}  # annotations written, by level

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            s = f.span
            props: list[tuple[str, str | int]] = [("file", result.path), ("line", s.line)]
            if s.line == s.end_line:
                props += [("col", s.column), ("endLine", s.end_line), ("endColumn", s.end_column)]
            else:
                props += [("endLine", s.end_line)]
            props.append(("title", f"{f.code} {f.rule}"))
            self.out.write(command(COMMANDS[f.severity], props, f.message))
            self.written[f.severity] += 1

    def finish(self, totals: Totals) -> None:
        for error in totals.sorted_errors():
            self.out.write(command("error", [("file", error.path)], error.message))
            self.written[Severity.ERROR] += 1
        over = [s for s in sorted(Severity, reverse=True) if self.written[s] > GITHUB_LIMIT]
        if not over:
            return
        counts = ", ".join(f"{self.written[s]} {_NOUNS[s][self.written[s] != 1]}" for s in over)
        text = (f"{counts}; GitHub shows at most {GITHUB_LIMIT} annotations of each level per step, "
                "see the job log or upload SARIF for all of them")
        level = next((s for s in sorted(Severity) if self.written[s] < GITHUB_LIMIT), Severity.INFO)
        self.out.write(command(COMMANDS[level], [("title", "citelint")], text))


def writer(out: TextIO) -> GithubWriter:
    return GithubWriter(out)
