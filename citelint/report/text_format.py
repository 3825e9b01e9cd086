"""The default text format, one finding a line: ``path:line:col: severity CODE message``.

With ``show_source`` each finding is followed by its line with carets under the span (a
long line is shortened around the span); with ``statistics`` the findings give way to one
line per rule with its count. Colour (ANSI) only when the caller asks for it: the CLI
decides from ``--color``, ``NO_COLOR`` and whether stdout is a terminal.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TextIO

from citelint import escape
from citelint.check import FileResult
from citelint.model import Finding, Severity
from citelint.report import ReportOptions, Totals

WIDTH = 88  # code points of a source line shown before it is shortened around the span
_CONTEXT = 24  # of those, how many are kept before the span when shortening
_RESET = "\033[0m"
_BOLD = "\033[1m"
_DIM = "\033[2m"
_COLOURS = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[1;33m", Severity.INFO: "\033[1;36m"}
_CARET = "\033[1;31m"
# Control characters (C0, DEL, C1) of an article must not reach a terminal as such.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


@dataclass
class _Style:
    colour: bool

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.colour and text else text


class TextWriter:
    def __init__(self, out: TextIO, options: ReportOptions | None = None) -> None:
        self.out = out
        self.options = options or ReportOptions()
        self.style = _Style(self.options.colour)
        self.statistics: Counter[tuple[str, str]] = Counter()

    def file(self, result: FileResult) -> None:
        if self.options.statistics:
            self.statistics.update((f.code, f.rule) for f in result.findings)
            return
        lines = result.text.split("\n") if self.options.show_source and result.text is not None else None
        for f in result.findings:
            self.out.write(self._headline(result.path, f))
            if lines is not None:
                self.out.write(self._source(lines, f))

    def _headline(self, path: str, f: Finding) -> str:
        s = self.style
        where = s(_BOLD, f"{escape.line_start(path)}:{f.span.line}:{f.span.column}:")
        return f"{where} {s(_COLOURS[f.severity], f.severity.label)} {s(_BOLD, f.code)} {f.message}\n"

    def _source(self, lines: list[str], f: Finding) -> str:
        """The finding's first line, carets under the span (to the line's end if it goes on)."""
        if not 0 < f.span.line <= len(lines):
            return ""
        line = lines[f.span.line - 1].rstrip("\r")
        start = f.span.column - 1
        end = f.span.end_column - 1 if f.span.end_line == f.span.line else len(line)
        end = max(min(end, len(line)), start + 1)
        shown, start, end = shorten(line, start, end)
        number = str(f.span.line)
        gutter = self.style(_DIM, " " * len(number) + " |")
        caret = self.style(_CARET, "^" * max(1, width(shown[start:end])))
        return (f"{gutter}\n{self.style(_DIM, number + ' |')} {shown}\n"
                f"{gutter} {' ' * width(shown[:start])}{caret}\n{gutter}\n\n")

    def finish(self, totals: Totals) -> None:
        if self.options.statistics:
            rows = sorted(self.statistics.items(), key=lambda item: (-item[1], item[0][0]))
            width = max((len(str(count)) for _, count in rows), default=1)
            for (code, rule), count in rows:
                self.out.write(f"{count:>{width}}  {self.style(_BOLD, code)}  {rule}\n")
        for error in totals.sorted_errors():
            self.out.write(f"{self.style(_BOLD, escape.line_start(error.path) + ':')} {self.style(_COLOURS[Severity.ERROR], 'error:')} {error.message}\n")


def width(text: str) -> int:
    """Terminal columns: wide East Asian characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def shorten(line: str, start: int, end: int, width: int = WIDTH) -> tuple[str, int, int]:
    """``line`` printable and cut to about ``width`` around ``[start, end)``, with the span's new bounds.

    Tabs become one space and control characters U+FFFD, so a caret stays under its
    character. Cut ends are marked with an ellipsis.
    """
    line = _CONTROL.sub("\ufffd", line.replace("\t", " "))
    if len(line) <= width:
        return line, start, end
    left = max(0, start - _CONTEXT)
    right = max(left + width, min(end, left + width * 2))  # a long span is shown up to twice the width
    right = min(right, len(line))
    if right == len(line):
        left = max(0, min(left, right - width))
    shown = line[left:right]
    start, end = start - left, min(end, right) - left
    if left > 0:
        shown, start, end = "…" + shown, start + 1, end + 1
    if right < len(line):
        shown += "…"
    return shown, start, end


def writer(out: TextIO) -> TextWriter:
    return TextWriter(out)


def writer_with(out: TextIO, options: ReportOptions) -> TextWriter:
    return TextWriter(out, options)
