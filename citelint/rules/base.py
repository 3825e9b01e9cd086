"""What every rule sees (Context) and how a rule module becomes a Rule."""
from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType

from citelint.model import Attribution, Document, Finding, Link, Severity, Span
from citelint.registry import Entry, Registry
from citelint.resolve import Resolution
from citelint.verify.model import QuoteResult


NEWS_KINDS = frozenset({"wire", "newspaper", "broadcaster", "magazine", "digital"})


@dataclass(frozen=True)
class Context:
    """Everything a rule may read about one document; rules do no I/O."""

    document: Document
    resolution: Resolution
    registry: Registry

    @property
    def attributions(self) -> tuple[Attribution, ...]:
        return self.resolution.attributions

    def entry(self, attribution: Attribution) -> Entry | None:
        return self.resolution.entries.get(attribution.id)

    def news_outlets(self, attribution: Attribution) -> list[Entry]:
        """The news outlets (wire, newspaper, broadcaster, magazine, digital) an attribution
        names: its entry, or its candidates when ambiguous. Governments, agencies and
        organisations make statements; they are not reporting, so they are never here."""
        entry = self.entry(attribution)
        if entry is not None:
            found = [entry]
        else:
            found = [e for c in attribution.candidates if (e := self.registry.get(c)) is not None]
        return [e for e in found if e.kind in NEWS_KINDS]

    def links_in(self, prose_range: tuple[int, int]) -> list[Link]:
        """The article's links to pages (http(s) or relative, not ``#…``, ``mailto:`` or
        ``javascript:``) whose anchors start inside a prose range (a sentence)."""
        start = self.document.offsets.start(prose_range[0])
        end = self.document.offsets.end(prose_range[1])
        return [link for link in self.document.links
                if start <= link.anchor.start < end and _to_page(link.url)]

    def visible(self, span: Span) -> str:
        """A span's words as the reader sees them (for messages: never markup or link targets)."""
        return self.document.visible(span)


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule's ``check`` yields: where, what to say, and which attribution.
    ``path`` is set only when the span is in another file (a sidecar)."""

    span: Span
    message: str
    attribution: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    slug: str
    severity: Severity
    summary: str
    doc: str
    check: Callable[[Context], Iterator[Hit]]

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        doc = inspect.cleandoc(module.__doc__ or "")
        return cls(module.CODE, module.SLUG, module.SEVERITY, doc.splitlines()[0], doc, module.check)

    def findings(self, context: Context, severity: Severity | None = None) -> Iterator[Finding]:
        for hit in self.check(context):
            path = hit.path or context.document.path
            yield Finding(self.code, self.slug, severity or self.severity, hit.message, path, hit.span, hit.attribution)


def _to_page(url: str) -> bool:
    scheme, colon, _ = url.partition(":")
    if colon and scheme.isalpha():
        return scheme.lower() in ("http", "https")
    return not url.startswith("#")


def ambiguity(entries: list[Entry]) -> str:
    """"ABC News (US), Australian Broadcasting Corporation (AU) or ABC (ES)"."""
    names = [f"{e.name} ({e.country})" if e.country else e.name for e in entries]
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]


def outlet_name(context: Context, attribution: Attribution) -> str:
    entry = context.entry(attribution)
    if entry is not None:
        return entry.name
    return context.resolution.name(attribution) if attribution.outlet else "the source"


def possessive(name: str) -> str:
    """A name's possessive the way news copy writes it (AP style): "Reuters' reporting", "The
    New York Times' reporting", but "AP's" and "the BBC's"."""
    return name + "'" if name.endswith("s") else name + "'s"


def url_span(context: Context, attribution: Attribution, url: str) -> Span:
    """Where to point at a URL: its link's anchor in the article, else the outlet or cue."""
    for link in context.document.links:
        if link.url == url:
            return link.anchor
    span = attribution.outlet or attribution.source or attribution.cue
    assert span is not None
    return span


def another_report(attribution: Attribution) -> bool:
    """An unlinked mention taken to go on citing the outlet's report linked just before
    (``inherited``), whose quoted words --verify found nowhere in that report: it cites another
    report, unlinked. CL101 says so; CL302 does not call the quote missing from a page the
    article never cited for it."""
    verification = attribution.verification
    return attribution.inherited and verification is not None and any(
        r.result is QuoteResult.MISSING and not r.weak for r in verification.quotes)


def host_of(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        return (urlsplit(url).hostname or url).removeprefix("www.")
    except ValueError:
        return url
