"""The JSON report, version 1, as ../DESIGN.md specifies it, written file by file."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

import orjson

from citelint import __version__
from citelint import escape
from citelint.check import FileResult
from citelint.model import Attribution, Finding, Severity, Span
from citelint.report import Totals
from citelint.verify.model import QuoteMatch



def _dumps(value: Any) -> str:
    """Compact JSON: orjson writes the same bytes as json.dumps(ensure_ascii=False) here, about
    five times faster; what it refuses (a lone surrogate of an undecodable file name, an integer
    past 64 bits) goes to json."""
    try:
        raw = orjson.dumps(value)
    except TypeError:
        return escape.json_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    # orjson leaves DEL and C1 controls (U+0080-U+009F, C2 80-C2 9F in UTF-8) raw; most
    # documents have neither byte, which memchr tells faster than a scan of the text
    return escape.json_text(raw.decode("utf-8")) if b"\x7f" in raw or b"\xc2" in raw else raw.decode("utf-8")


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
        "verification": _verification(att),
    }


def _verification(att: Attribution) -> dict[str, Any] | None:
    v = att.verification
    if v is None:
        return None
    return {
        "url": v.page.url,
        "final_url": v.page.final_url,
        "status": v.page.verdict.value,
        "http_status": v.page.http_status,
        "quotes": [_quote(q) for q in v.quotes],
        **({"archived_url": v.page.archived} if v.page.archived else {}),  # --archive: the copy checked
    }


def _publisher(result: FileResult) -> dict[str, Any] | None:
    """Whose article the file is (v1 addition): the registry entry and where that was learnt."""
    publisher = result.publisher
    if publisher is None or publisher.entry is None:
        return None
    return {"id": publisher.entry.id, "name": publisher.entry.name, "from": publisher.origin}


def _quote(q: QuoteMatch) -> dict[str, Any]:
    out = {"text": q.text, "result": q.result.value, "score": round(q.score, 1), "source_excerpt": q.source_excerpt}
    return out if q.reason is None else {**out, "reason": q.reason}  # only for unchecked quotes


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


_AT_ONCE = 1_000  # items of a list dumped in one call; longer lists are written item by item


def _write_list(out: TextIO, items: Iterable[dict[str, Any]]) -> None:
    if isinstance(items, list):
        out.write(_dumps(items))
        return
    out.write("[")
    for i, item in enumerate(items):
        out.write(("," if i else "") + _dumps(item))
    out.write("]")


class JsonWriter:
    """Writes the header first, then one ``files`` entry per checked file, then the rest."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.first = True
        tool = _dumps({"name": "citelint", "version": __version__})
        out.write(f'{{"version":1,"tool":{tool},"files":[')

    def file(self, result: FileResult) -> None:
        # The same bytes as dumping {"path", "attributions", "findings", "publisher"} at once, written an
        # item at a time: a 50 MB article's entry is never held whole as a dict and a string.
        # An ordinary article is dumped in one call.
        out = self.out
        if len(result.attributions) <= _AT_ONCE and len(result.findings) <= _AT_ONCE:
            out.write(("" if self.first else ",\n") + _dumps({
                "path": result.path, "attributions": [_attribution(a) for a in result.attributions],
                "findings": [_finding(f) for f in result.findings], "publisher": _publisher(result)}))
            self.first = False
            return
        out.write(("" if self.first else ",\n") + '{"path":' + _dumps(result.path) + ',"attributions":')
        _write_list(out, [_attribution(a) for a in result.attributions] if len(result.attributions) <= _AT_ONCE
                    else (_attribution(a) for a in result.attributions))
        out.write(',"findings":')
        _write_list(out, [_finding(f) for f in result.findings] if len(result.findings) <= _AT_ONCE
                    else (_finding(f) for f in result.findings))
        out.write(',"publisher":' + _dumps(_publisher(result)) + "}")
        self.first = False

    def finish(self, totals: Totals) -> None:
        errors = ({"path": e.path, "message": e.message} for e in totals.sorted_errors())
        summary = {
            "files": totals.articles,
            "attributions": totals.attributions,
            "findings": {s.label: totals.counts[s] for s in sorted(Severity, reverse=True)},
        }
        self.out.write('],"errors":')
        _write_list(self.out, errors)  # item by item: an archive may have a hundred thousand
        self.out.write(f',"summary":{_dumps(summary)}}}\n')


def writer(out: TextIO) -> JsonWriter:
    return JsonWriter(out)
