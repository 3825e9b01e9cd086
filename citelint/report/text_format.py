"""The default text format: ``path:line:col: CODE message``, one finding a line."""
from __future__ import annotations

from citelint.report import Report


def render(report: Report) -> str:
    lines = []
    for result in report.files:
        for f in result.findings:
            lines.append(f"{result.path}:{f.span.line}:{f.span.column}: {f.code} {f.message}")
    for error in report.errors:
        lines.append(f"{error.path}: error: {error.message}")
    return "\n".join(lines) + ("\n" if lines else "")
