"""Report formats: one module per format, each with ``render(report) -> str``."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from citelint.check import FileResult
from citelint.model import InputError, Severity

FORMATS = ("text", "json")


@dataclass
class Report:
    """Everything one run found, in a deterministic order."""

    files: list[FileResult] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)

    def counts(self) -> dict[Severity, int]:
        counts = {s: 0 for s in Severity}
        for result in self.files:
            for finding in result.findings:
                counts[finding.severity] += 1
        return counts

    @property
    def article_count(self) -> int:
        return sum(1 for r in self.files if r.is_article)

    @property
    def attribution_count(self) -> int:
        return sum(len(r.attributions) for r in self.files)

    def sorted(self) -> Report:
        files = sorted(self.files, key=lambda r: r.path)
        return Report(files, sorted(self.errors, key=lambda e: (e.path, e.message)))


def renderer(fmt: str) -> Callable[[Report], str]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    module = import_module(f"citelint.report.{fmt}_format")
    return module.render  # type: ignore[no-any-return]


def summary_line(report: Report) -> str:
    counts = report.counts()
    files = report.article_count
    parts = [f"{counts[s]} {s.label}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}" for s in reversed(Severity)]
    text = f"{files} file{'s' if files != 1 else ''} checked, {report.attribution_count} attributions: " + ", ".join(parts)
    if report.errors:
        text += f"; {len(report.errors)} input error{'s' if len(report.errors) != 1 else ''}"
    return text
