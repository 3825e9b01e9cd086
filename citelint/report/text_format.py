"""The default text format: ``path:line:col: CODE message``, one finding a line."""
from __future__ import annotations

from typing import TextIO

from citelint import escape
from citelint.check import FileResult
from citelint.report import Totals


class TextWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            self.out.write(f"{escape.line_start(result.path)}:{f.span.line}:{f.span.column}: {f.code} {f.message}\n")

    def finish(self, totals: Totals) -> None:
        for error in totals.sorted_errors():
            self.out.write(f"{escape.line_start(error.path)}: error: {error.message}\n")


def writer(out: TextIO) -> TextWriter:
    return TextWriter(out)
