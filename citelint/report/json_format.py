"""The JSON report, version 1, exactly as ../DESIGN.md specifies it."""
from __future__ import annotations

import json
from typing import Any

from citelint import __version__
from citelint.model import Attribution, Finding, Span
from citelint.report import Report


def _span(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"start": span.start, "end": span.end, "text": span.text, "line": span.line, "column": span.column}


def _attribution(att: Attribution) -> dict[str, Any]:
    return {
        "id": att.id,
        "source": _span(att.source),
        "cue": _span(att.cue),
        "content": _span(att.content),
        "quotes": [_span(q) for q in att.quotes],
        "kind": att.kind.value,
        "resolved": {"id": att.resolved.id, "name": att.resolved.name} if att.resolved else None,
        "urls": list(att.urls),
        "verification": None,
    }


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "rule": f.rule,
        "severity": f.severity.label,
        "message": f.message,
        "line": f.span.line,
        "column": f.span.column,
        "end_line": f.span.end_line,
        "end_column": f.span.end_column,
        "start": f.span.start,
        "end": f.span.end,
        "attribution": f.attribution,
    }


def render(report: Report) -> str:
    counts = report.counts()
    document = {
        "version": 1,
        "tool": {"name": "citelint", "version": __version__},
        "files": [
            {
                "path": r.path,
                "attributions": [_attribution(a) for a in r.attributions],
                "findings": [_finding(f) for f in r.findings],
            }
            for r in report.files
        ],
        "errors": [{"path": e.path, "message": e.message} for e in report.errors],
        "summary": {
            "files": report.article_count,
            "attributions": report.attribution_count,
            "findings": {s.label: counts[s] for s in sorted(counts, reverse=True)},
        },
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
