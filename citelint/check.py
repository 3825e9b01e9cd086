"""The pipeline for one document: extract, resolve, run rules, apply suppressions."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from citelint.extract import Extractor, default_extractor
from citelint.model import Attribution, Document, Finding, InputError
from citelint.publisher import Publisher, find_publisher
from citelint.registry import Registry
from citelint.resolve import Resolution, resolve
from citelint.rules import Context
from citelint.selection import Selection
from citelint import suppress

if TYPE_CHECKING:
    from citelint.verify.model import Verification


@dataclass(frozen=True)
class Prepared:
    """A document extracted and resolved, waiting for verification and rules."""

    document: Document
    resolution: Resolution


@dataclass(frozen=True)
class FileResult:
    """What citelint found in one file: its attributions and its findings, sorted."""

    path: str
    attributions: tuple[Attribution, ...]
    findings: tuple[Finding, ...]
    is_article: bool = True  # False for a sidecar that only carries findings (CL106)
    publisher: Publisher | None = None  # whose article it is, when known
    text: str | None = field(default=None, repr=False, compare=False)  # the file's text, for --show-source


def _one_each(findings: list[Finding]) -> list[Finding]:
    """Never two identical findings; and where a mention is uncredited (CL101, which then
    names the candidates), not also ambiguous (CL104) on the same attribution."""
    uncredited = {f.attribution for f in findings if f.code == "CL101" and f.attribution}
    seen: set[tuple[str, str, int, int, str]] = set()
    kept = []
    for finding in findings:
        key = (finding.code, finding.path, finding.span.start, finding.span.end, finding.message)
        if key in seen or (finding.code == "CL104" and finding.attribution in uncredited):
            continue
        seen.add(key)
        kept.append(finding)
    return kept


class Checker:
    """Checks documents with one registry, rule selection and extractor (reused across files)."""

    def __init__(self, registry: Registry, selection: Selection | None = None, extractor: Extractor | None = None,
                 publisher: str | None = None, publisher_origin: str = "--publisher") -> None:
        self.registry = registry
        self.selection = selection or Selection()
        self.extractor = extractor or default_extractor()
        self.publisher = publisher  # registry id of the outlet every checked article is from
        self.publisher_origin = publisher_origin

    def sidecar_problems(self, document: Document) -> list[InputError]:
        """Sidecar entries whose ``ref`` (or ``publisher``) is not a registry id: a typo would
        silently back nothing."""
        if document.sidecar is None:
            return []
        problems = [
            InputError(document.sidecar.path, f"line {s.span.line}: key 'ref': {s.ref!r} is not a registry id (see 'citelint sources')")
            for s in document.sidecar.sources
            if s.ref is not None and self.registry.get(s.ref) is None
        ]
        publisher = document.sidecar.publisher
        if publisher is not None and self.registry.get(publisher) is None:
            problems.append(InputError(document.sidecar.path, f"key 'publisher': {publisher!r} is not a registry id (see 'citelint sources')"))
        return problems

    def prepare(self, document: Document) -> Prepared:
        """Extraction and resolution: everything before verification."""
        publisher = find_publisher(document, self.registry, self.publisher, self.publisher_origin)
        return Prepared(document, resolve(document, self.extractor.extract(document), self.registry, publisher))

    def check(self, document: Document, prepared: Prepared | None = None,
              verifications: dict[str, Verification] | None = None) -> list[FileResult]:
        """The article's result, and the sidecar's when a finding points into the sidecar."""
        resolution = (prepared or self.prepare(document)).resolution
        if verifications:
            resolution = replace(resolution, attributions=tuple(
                replace(a, verification=verifications[a.id]) if a.id in verifications else a
                for a in resolution.attributions
            ))
        context = Context(document, resolution, self.registry)
        findings: list[Finding] = []
        for rule in self.selection.rules:
            findings.extend(rule.findings(context, self.selection.severity(rule)))
        findings = _one_each(findings)
        sidecar_path = document.sidecar.path if document.sidecar else None
        in_article = [f for f in findings if f.path == document.path]
        in_sidecar = [f for f in findings if f.path != document.path]
        report_unused = any(r.code == "CL901" for r in self.selection.rules)
        in_article = suppress.apply(document, in_article, report_unused)
        results = [FileResult(document.path, resolution.attributions, tuple(sorted(in_article, key=lambda f: f.sort_key)),
                              publisher=resolution.publisher, text=document.text)]
        if in_sidecar and sidecar_path:
            sidecar_text = document.sidecar.text if document.sidecar else None
            results.append(FileResult(sidecar_path, (), tuple(sorted(in_sidecar, key=lambda f: f.sort_key)), is_article=False,
                                      text=sidecar_text))
        return results

