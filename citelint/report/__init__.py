"""Report formats: one module per format, each with ``writer(out) -> Writer``.

Reports stream: the checker hands each file's result to the writer as soon as it is
checked, so memory stays flat however many files a run covers.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Protocol, TextIO

from citelint.model import InputError, Severity
from citelint.report.input_errors import InputErrors

if TYPE_CHECKING:  # the CLI imports FORMATS at startup: keep the pipeline out of that
    from citelint.check import FileResult

FORMATS = ("text", "json", "sarif", "github", "html")


@dataclass
class Totals:
    """Running counts of one run, and the inputs that could not be checked."""

    articles: int = 0
    attributions: int = 0
    counts: dict[Severity, int] = field(default_factory=lambda: {s: 0 for s in Severity})
    errors: InputErrors = field(default_factory=InputErrors)  # spilled to a file past a thousand
    baselined: int = 0  # findings hidden by --baseline

    def add(self, result: FileResult) -> None:
        self.articles += result.is_article
        self.attributions += len(result.attributions)
        for finding in result.findings:
            self.counts[finding.severity] += 1

    def sorted_errors(self) -> Iterator[InputError]:
        """The input errors by path and message, read back as they are written out."""
        return self.errors.sorted()


@dataclass(frozen=True)
class ReportOptions:
    """How a human-facing format looks; formats for machines ignore these."""

    colour: bool = False
    show_source: bool = False
    statistics: bool = False
    whole_page: bool = False  # the HTML report reads each page again as it was checked


class Writer(Protocol):
    def file(self, result: FileResult) -> None: ...

    def finish(self, totals: Totals) -> None: ...


def writer(fmt: str, out: TextIO, options: ReportOptions | None = None) -> Writer:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    module = import_module(f"citelint.report.{fmt}_format")
    if options is not None and hasattr(module, "writer_with"):  # a format that has options
        return module.writer_with(out, options)  # type: ignore[no-any-return]
    return module.writer(out)  # type: ignore[no-any-return]


def render(fmt: str, results: list[FileResult], errors: list[InputError] | None = None) -> str:
    """The whole report as a string (for tests and small runs)."""
    import io

    out = io.StringIO()
    totals = Totals(errors=InputErrors(errors or ()))
    w = writer(fmt, out)
    for result in results:
        totals.add(result)
        w.file(result)
    w.finish(totals)
    return out.getvalue()


def summary_line(totals: Totals) -> str:
    counts = totals.counts
    parts = [f"{counts[s]} {s.label}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}" for s in reversed(Severity)]
    files = totals.articles
    attributions = totals.attributions
    text = (f"{files} file{'s' if files != 1 else ''} checked, "
            f"{attributions} attribution{'s' if attributions != 1 else ''}: " + ", ".join(parts))
    if totals.baselined:
        text += f" ({totals.baselined} more in the baseline)"
    if totals.errors:
        text += f"; {len(totals.errors)} input error{'s' if len(totals.errors) != 1 else ''}"
    return text
