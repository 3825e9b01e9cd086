"""The HTML report: one self-contained page for an editor reviewing a draft before publication.

Each file's section shows the article text with every attribution highlighted (source, cue,
quoted words) and each finding below the line it is on, a sources panel and, with --verify,
what the cited pages said. Every piece of text from the article, the registry or a fetched
page is escaped; links get an href only when they are http(s).

Streaming: the document head goes out when the writer is made. Each file's section is
rendered in ``file()`` (the article is read again then, so no document is kept) into a
spooled temporary file (memory up to a few MB, then disk), and ``finish()`` writes the
summary, filters and index *before* the sections, so that reading and keyboard order match
what the page shows.
"""
from __future__ import annotations

import html
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TextIO
from urllib.parse import urlsplit

from citelint import __version__
from citelint.check import FileResult
from citelint.model import Attribution, Document, Finding, Severity, Span
from citelint.report import ReportOptions, Totals, summary_line
from citelint.report.html_assets import CSS, SCRIPT, script_hash
from citelint import escape
from citelint.rules import find_rule
from citelint.verify.model import Verification

_SEVERITIES = tuple(sorted(Severity, reverse=True))  # error, warning, info
_DIFF = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.S)


def esc(value: object) -> str:
    return html.escape(escape.data(str(value)), quote=True)


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {name}="{esc(value)}"' for name, value in attrs.items())


def _link(url: str) -> str:
    """An http(s) URL as a link; anything else (javascript:, data:, relative) as plain text."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme in ("http", "https"):
        return f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(url)}</a>'
    return f"<code>{esc(url)}</code>"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 or word == 'info' else 's'}"


# --- the article text -----------------------------------------------------------------------

@dataclass
class _Layer:
    """One highlighted stretch of text; it may be cut into several elements where spans cross."""

    start: int
    end: int
    tag: str
    attrs: dict[str, str]
    rank: int  # for equal ranges: lower ranks wrap higher ones
    anchor: str | None = None  # id, given to the first piece only
    pieces: int = field(default=0)


def _open(layer: _Layer, last: bool = False) -> str:
    attrs = dict(layer.attrs)
    if layer.pieces == 0 and layer.anchor:
        attrs["id"] = layer.anchor
    if last:  # the last piece of a finding carries its code label (CSS ::after)
        attrs["class"] += " last"
    return f"<{layer.tag}{_attrs(attrs)}>"


def markup(text: str, layers: list[_Layer], inserts: dict[int, list[str]],
           shown: Callable[[int, int], str] | None = None) -> str:
    """``text`` escaped, with ``layers`` as properly nested elements and ``inserts`` (block
    HTML) placed at their offsets. Built from sorted boundaries: where spans cross, the inner
    element is closed and reopened, so every element's text is a piece of its span.
    ``shown(start, end)`` gives what a reader sees of each stretch (default: the text itself)."""
    if shown is None:
        shown = lambda start, end: text[start:end]  # noqa: E731
    layers = [layer for layer in layers if 0 <= layer.start <= layer.end <= len(text)]
    points = sorted({0, len(text), *inserts, *(b for layer in layers for b in (layer.start, layer.end))})
    starting: dict[int, list[_Layer]] = {}
    for layer in layers:
        starting.setdefault(layer.start, []).append(layer)
    stack: list[_Layer] = []
    out: list[str] = []
    opened: dict[int, tuple[int, _Layer]] = {}  # id(layer) -> where its latest piece opens in out
    for i, pos in enumerate(points):
        cut = 0 if pos in inserts else next((k for k, layer in enumerate(stack) if layer.end <= pos), len(stack))
        reopen = [layer for layer in stack[cut:] if layer.end > pos]
        out.extend(f"</{layer.tag}>" for layer in reversed(stack[cut:]))
        del stack[cut:]
        out.extend(inserts.get(pos, ()))
        for layer in sorted(reopen + starting.get(pos, []), key=lambda x: (-x.end, x.rank)):
            opened[id(layer)] = (len(out), layer)
            out.append(_open(layer))
            layer.pieces += 1
            if layer.end == pos:  # an empty span: an empty element marks the place
                out.append(f"</{layer.tag}>")
            else:
                stack.append(layer)
        if i + 1 < len(points):
            out.append(esc(shown(pos, points[i + 1])))
    out.extend(f"</{layer.tag}>" for layer in reversed(stack))
    for at, layer in opened.values():
        if layer.tag == "mark":
            layer.pieces -= 1
            out[at] = _open(layer, last=True)
    return "".join(out)


def _spans(result: FileResult) -> Iterable[Span]:
    yield from (f.span for f in result.findings)
    for att in result.attributions:
        yield from (s for s in (att.source, att.cue, att.content) if s is not None)
        yield from att.quotes


def reread(result: FileResult, whole_page: bool = False) -> tuple[Document | None, str]:
    """The file again (read as it was checked: with ``whole_page``, an HTML page's furniture
    is shown too), or None and why not; a file changed since checking is refused because its
    spans would no longer fit."""
    from citelint.load import LoadError, load_path

    if result.path == "-":
        return None, "the text was read from standard input"
    try:
        document = load_path(result.path, whole_page=whole_page).document
    except (LoadError, OSError, ValueError) as exc:
        return None, f"the file could not be read again ({getattr(exc, 'message', exc)})"
    text = document.text
    if any(text[s.start:s.end] != s.text for s in _spans(result)):
        return None, "the file changed after it was checked"
    return document, ""


def _text_layers(result: FileResult, anchor: str) -> list[_Layer]:
    merged: dict[tuple[str, int, int], _Layer] = {}
    for att in result.attributions:
        for cls, rank, spans in (("src", 1, [att.source]), ("cue", 2, [att.cue]), ("quote", 3, list(att.quotes))):
            for span in spans:
                if span is None:
                    continue
                layer = merged.setdefault((cls, span.start, span.end), _Layer(
                    span.start, span.end, "span", {
                    "class": cls, "data-att": "", "data-start": str(span.start), "data-end": str(span.end)}, rank))
                layer.attrs["data-att"] = (layer.attrs["data-att"] + " " + att.id).strip()
                if layer.anchor is None and span is (att.cue or att.source):
                    layer.anchor = f"{anchor}-{att.id}"
    layers = list(merged.values())
    for k, f in enumerate(result.findings, 1):
        layers.append(_Layer(f.span.start, f.span.end, "mark", {
            "class": f"flag sev-{f.severity.label}", "data-finding": f"{anchor}-f{k}", "data-code": f.code,
            "data-severity": f.severity.label, "data-start": str(f.span.start), "data-end": str(f.span.end),
            "title": f"{f.code} {f.rule}: {f.message}"}, 0, f"{anchor}-m{k}"))
    return layers


def _card(f: Finding, card_id: str, mark_id: str | None) -> str:
    rule = find_rule(f.code)
    where = f"line {f.span.line}, column {f.span.column}"
    if mark_id:
        where = f'<a href="#{esc(mark_id)}">{where}</a>'
    doc = ""
    if rule is not None:
        doc = (f'<details><summary>{esc(rule.summary)}</summary>'
               f'<div class="doc">{esc(rule.doc)}</div></details>')
    attrs = {"class": f"card sev-{f.severity.label}", "id": card_id, "data-code": f.code,
             "data-severity": f.severity.label, "data-start": str(f.span.start), "data-end": str(f.span.end)}
    return (f'<div{_attrs(attrs)}><p><span class="badge">{esc(f.severity.label)}</span> '
            f'<strong>{esc(f.code)}</strong> <code>{esc(f.rule)}</code> '
            f'<span class="where">{where}</span></p><p class="message">{esc(f.message)}</p>{doc}</div>')


def _line_end(text: str, span: Span) -> int:
    newline = text.find("\n", max(span.end - 1, span.start))
    return len(text) if newline < 0 else newline + 1


# --- the sources panel ----------------------------------------------------------------------

def _diff(diff: str) -> str:
    out, at = [], 0
    for match in _DIFF.finditer(diff):
        out.append(esc(diff[at:match.start()]))
        removed, added = match.group(1), match.group(2)
        out.append(f"<del>{esc(removed)}</del>" if removed is not None else f"<ins>{esc(added)}</ins>")
        at = match.end()
    out.append(esc(diff[at:]))
    return "".join(out)


def _verification(v: Verification | None) -> str:
    if v is None:
        return '<span class="where">not checked (no link)</span>'
    page = v.page
    parts = [f'<span class="verdict-{esc(page.verdict.value)}">{esc(page.verdict.value)}</span>']
    if page.http_status is not None:
        parts.append(f"HTTP {page.http_status}")
    parts.append(esc(page.reason))
    text = " · ".join(parts)
    if page.final_url and page.final_url != page.url:
        text += f"<br>final URL: {_link(page.final_url)}"
    items = []
    for q in v.quotes:
        item = f"<q>{esc(q.text)}</q>: <strong>{esc(q.result.value)}</strong> ({q.score:.0f}%)"
        if q.source_excerpt:
            item += f"<br>the page says: <q>{esc(q.source_excerpt)}</q>"
        if q.diff:
            item += f"<br>difference: {_diff(q.diff)}"
        items.append(f"<li>{item}</li>")
    if items:
        text += f'<ul class="quotes">{"".join(items)}</ul>'
    return text


def _registry(att: Attribution) -> str:
    if att.resolved is not None:
        return f"{esc(att.resolved.name)} <code>{esc(att.resolved.id)}</code>"
    if att.candidates:
        return "ambiguous: " + ", ".join(f"<code>{esc(c)}</code>" for c in att.candidates)
    return "unknown"


def _sources(result: FileResult, anchor: str, linked: bool) -> str:
    if not result.attributions:
        return "<p>No attributions found.</p>"
    verified = any(att.verification is not None for att in result.attributions)
    rows = []
    for att in result.attributions:
        who = att.source.text if att.source else "(no source named)"
        cue = att.cue.text if att.cue else ""
        label = esc(who) + (f' <span class="cue">{esc(cue)}</span>' if cue else "")
        if linked and (att.cue or att.source):
            label = f'<a href="#{esc(anchor)}-{esc(att.id)}">{label}</a>'
        links = "<br>".join(_link(u) for u in att.urls) or "none"
        check = f"<td>{_verification(att.verification)}</td>" if verified else ""
        rows.append(f'<tr><td class="nowrap">{esc(att.id)}</td><td>{label}</td><td class="nowrap">{esc(att.kind.value)}</td>'
                    f'<td>{_registry(att)}</td><td class="links">{links}</td>{check}</tr>')
    note = "" if verified else "<p>Links were not fetched (run with <code>--verify</code> to check them and the quotes).</p>"
    check_head = '<th scope="col">Verification</th>' if verified else ""
    return (f'{note}<table><thead><tr><th scope="col">id</th><th scope="col">Source and cue</th><th scope="col">Kind</th>'
            f'<th scope="col">Registry</th><th scope="col">Links</th>{check_head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


# --- one file -------------------------------------------------------------------------------

def _counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    counts = {s: 0 for s in Severity}
    for f in findings:
        counts[f.severity] += 1
    return counts


def _badges(counts: dict[Severity, int]) -> str:
    return " ".join(f'<span class="badge sev-{s.label}">{_plural(counts[s], s.label)}</span>' for s in _SEVERITIES)


def render_file(result: FileResult, anchor: str, whole_page: bool = False) -> str:
    document, why = reread(result, whole_page)
    text = document.text if document is not None else None
    kind = "" if result.is_article else " (source list)"
    parts = [f'<section class="file" id="{anchor}" aria-labelledby="{anchor}-h">',
             f'<h2 id="{anchor}-h">{esc(result.path)}{kind}</h2>',
             f"<p>{_plural(len(result.attributions), 'attribution')} · {_badges(_counts(result.findings))}</p>"]
    cards = {k: _card(f, f"{anchor}-f{k}", f"{anchor}-m{k}" if text is not None else None)
             for k, f in enumerate(result.findings, 1)}
    if not result.findings:
        parts.append('<p class="ok" role="status">No problems found</p>')
    else:
        items = "".join(
            f'<li{_attrs({"data-code": f.code, "data-severity": f.severity.label})}>'
            f'<a href="#{anchor}-f{k}">line {f.span.line}</a> <span class="badge sev-{f.severity.label}">'
            f"{esc(f.severity.label)}</span> <strong>{esc(f.code)}</strong> {esc(f.message)}</li>"
            for k, f in enumerate(result.findings, 1))
        parts.append(f'<h3>Findings</h3><ol class="findings">{items}</ol>')
    parts.append(f'<h3>{"Article text" if result.is_article else "Text"}</h3>')
    if text is None:
        parts.append(f"<p>The text is not shown: {esc(why)}.</p>{''.join(cards.values())}")
    else:
        inserts: dict[int, list[str]] = {}
        for k, f in enumerate(result.findings, 1):
            inserts.setdefault(_line_end(text, f.span), []).append(cards[k])
        assert document is not None
        # The article as its readers see it: no Markdown syntax, link targets or HTML tags.
        body = markup(text, _text_layers(result, anchor), inserts, document.shown)
        parts.append(f'<div class="text">{body}</div>')
    if result.is_article:
        parts.append(f"<h3>Sources</h3>{_sources(result, anchor, text is not None)}")
    parts.append("</section>\n")
    return "".join(parts)


# --- the page -------------------------------------------------------------------------------

_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src {}; img-src 'none'; base-uri 'none'; form-action 'none'"
_LEGEND = ('<p class="legend"><span class="src">Source</span> <span class="cue">cue</span> '
           '<span class="quote">quoted words</span> <mark class="flag sev-error">finding</mark></p>')


@dataclass(frozen=True)
class _Entry:
    path: str
    anchor: str
    counts: dict[Severity, int]


class HtmlWriter:
    def __init__(self, out: TextIO, whole_page: bool = False) -> None:
        self.out = out
        self.whole_page = whole_page  # pages were checked whole (--whole-page): show them whole
        self.sections = tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+", encoding="utf-8")
        self.entries: list[_Entry] = []
        self.codes: set[str] = set()
        out.write('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                  '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                  f'<meta http-equiv="Content-Security-Policy" content="{esc(_CSP.format(script_hash()))}">\n'
                  f'<meta name="generator" content="citelint {esc(__version__)}">\n'
                  f"<title>citelint report</title>\n<style>{CSS}</style>\n</head>\n<body>\n")

    def file(self, result: FileResult) -> None:
        anchor = f"file-{len(self.entries) + 1}"
        self.sections.write(render_file(result, anchor, self.whole_page))
        self.entries.append(_Entry(result.path, anchor, _counts(result.findings)))
        self.codes.update(f.code for f in result.findings)

    def finish(self, totals: Totals) -> None:
        w = self.out.write
        w(f'<header>\n<h1>citelint report</h1>\n<p class="summary" role="status">{esc(summary_line(totals))}</p>\n')
        if not any(totals.counts.values()):
            w('<p class="ok">No problems found</p>\n')
        w(f"{_LEGEND}\n</header>\n")
        if self.codes:
            w(self._filters())
        if len(self.entries) > 1:
            w(self._index())
        w("<main>\n")
        errors = list(totals.sorted_errors())  # the page lists them in one section
        if errors:
            items = "".join(f"<li><code>{esc(e.path)}</code>: {esc(e.message)}</li>" for e in errors)
            w(f'<section class="errors" aria-labelledby="errors-h"><h2 id="errors-h">Input errors</h2>'
              f"<p>These files could not be checked:</p><ul>{items}</ul></section>\n")
        if not self.entries:
            w("<p>No files were checked.</p>\n")
        self.sections.seek(0)
        shutil.copyfileobj(self.sections, self.out)
        self.sections.close()
        w(f"</main>\n<footer>citelint {esc(__version__)}</footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n")

    def _filters(self) -> str:
        def box(name: str, value: str, label: str) -> str:
            return (f'<label><input type="checkbox" name="{name}" value="{esc(value)}" checked> {label}</label>')

        severities = "".join(box("severity", s.label, f'<span class="badge sev-{s.label}">{s.label}</span>')
                             for s in _SEVERITIES)
        rules = []
        for code in sorted(self.codes):
            rule = find_rule(code)
            rules.append(box("rule", code, f"{esc(code)} {esc(rule.slug) if rule else ''}".strip()))
        return ('<form id="filters" class="filters" aria-label="Filter findings" hidden>'
                f"<fieldset><legend>Severity</legend>{severities}</fieldset>"
                f'<fieldset><legend>Rule</legend>{"".join(rules)}</fieldset>'
                '<p id="filter-status" aria-live="polite"></p></form>\n')

    def _index(self) -> str:
        head = "".join(f'<th scope="col" class="num">{s.label}</th>' for s in _SEVERITIES)
        rows = "".join(
            f'<tr><th scope="row"><a href="#{e.anchor}">{esc(e.path)}</a></th>'
            + "".join(f'<td class="num">{e.counts[s]}</td>' for s in _SEVERITIES) + "</tr>"
            for e in self.entries)
        return (f'<nav aria-labelledby="index-h"><h2 id="index-h">Files</h2><table><thead><tr>'
                f'<th scope="col">File</th>{head}</tr></thead><tbody>{rows}</tbody></table></nav>\n')


def writer(out: TextIO) -> HtmlWriter:
    return HtmlWriter(out)


def writer_with(out: TextIO, options: ReportOptions) -> HtmlWriter:
    return HtmlWriter(out, whole_page=options.whole_page)
