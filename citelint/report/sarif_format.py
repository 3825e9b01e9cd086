"""SARIF 2.1.0 (``--format sarif``): one run, for code scanning and SARIF viewers.

The log is streamed: the prefix (schema, version, the run's ``tool`` with every rule) is
written when the writer is made, each file's results as the file is checked, and the suffix
(the run's ``invocations``, with the inputs that could not be checked) by ``finish``. The
output is valid JSON only once ``finish`` has run.

Positions. citelint's spans are 1-based lines and columns counted in Unicode code points,
with ``end_column`` one past the last character; SARIF regions use the same conventions
(``endColumn`` is exclusive), so the numbers are copied unchanged and the run declares
``"columnKind": "unicodeCodePoints"`` (SARIF's default would be UTF-16 code units).

Paths. Findings name files as citelint shows them, relative to the working directory
(``articles/a.md``); such a location carries ``"uriBaseId": "%SRCROOT%"`` and the run's
``originalUriBaseIds`` says that %SRCROOT% is the working directory, so code scanning and
viewers map them to the repository when citelint runs at its top (the action's default).

Fingerprints. Each result carries ``partialFingerprints["citelint/v1"]``: the hex SHA-256
of the UTF-8 bytes of ``path NUL code NUL text NUL index``, where ``text`` is the finding's
span text with whitespace runs collapsed to one space, stripped and casefolded, and
``index`` counts earlier findings of the same file with the same path, code and text (0 for
the first, in report order, which is position order). Line numbers are not part of it, so a
finding keeps its fingerprint when lines are inserted or removed above it; renaming the
file, rewording the flagged words or changing the rule changes it.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from citelint import __version__
from citelint import escape
from citelint.check import FileResult
from citelint.model import Finding, Severity
from citelint.report import Totals
from citelint.rules import RULES, Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/citelint/citelint"
HELP_URI = "https://github.com/citelint/citelint/blob/main/docs/rules.md#{anchor}"
FINGERPRINT_KEY = "citelint/v1"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_RULE_INDEX = {rule.code: i for i, rule in enumerate(RULES)}


def _dumps(value: Any) -> str:
    return escape.json_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def help_uri(code: str) -> str:
    return HELP_URI.format(anchor=code.lower())


def artifact_uri(path: str) -> str:
    """The path as a URI reference: relative paths stay relative, percent-encoded per RFC 3986
    (everything but unreserved characters and ``/``); absolute paths become ``file://`` URIs."""
    if path != "-" and os.path.isabs(path):
        return Path(path).as_uri()
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    return quote(path, safe="/", errors="surrogateescape")  # a non-UTF-8 name keeps its bytes


SRCROOT = "%SRCROOT%"


def artifact_location(path: str) -> dict[str, str]:
    """``{"uri"}``, with ``uriBaseId`` for a path relative to the working directory."""
    location = {"uri": artifact_uri(path)}
    if path != "-" and not os.path.isabs(path):
        location["uriBaseId"] = SRCROOT
    return location


def normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def fingerprint(path: str, code: str, text: str, index: int) -> str:
    key = "\0".join((path, code, normalise(text), str(index)))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()  # same bytes for any UTF-8 name


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "helpUri": help_uri(rule.code),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
    }


def _driver() -> dict[str, Any]:
    return {
        "name": "citelint",
        "version": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [_rule(r) for r in RULES],
    }


class SarifWriter:
    """Writes the log's prefix now, results file by file, and invocations at the end."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.first = True
        self.seen: dict[tuple[str, str, str], int] = {}
        out.write(
            f'{{"$schema":{_dumps(SCHEMA_URI)},"version":"2.1.0","runs":[{{'
            f'"tool":{{"driver":{_dumps(_driver())}}},"columnKind":"unicodeCodePoints","results":[\n'
        )

    def _result(self, path: str, f: Finding) -> dict[str, Any]:
        key = (path, f.code, normalise(f.span.text))
        index = self.seen.get(key, 0)
        self.seen[key] = index + 1
        result: dict[str, Any] = {"ruleId": f.code}
        if f.code in _RULE_INDEX:
            result["ruleIndex"] = _RULE_INDEX[f.code]
        result.update({
            "level": LEVELS[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": artifact_location(path),
                "region": {
                    "startLine": f.span.line,
                    "startColumn": f.span.column,
                    "endLine": f.span.end_line,
                    "endColumn": f.span.end_column,
                },
            }}],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint(path, f.code, f.span.text, index)},
        })
        return result

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            self.out.write(("" if self.first else ",\n") + _dumps(self._result(result.path, f)))
            self.first = False

    def finish(self, totals: Totals) -> None:
        # The invocation object, {"executionSuccessful", "toolExecutionNotifications"}, written
        # a notification at a time: the same bytes as dumping it whole, never held whole.
        out = self.out
        out.write(f'\n],"invocations":[{{"executionSuccessful":{_dumps(not totals.errors)},"toolExecutionNotifications":[')
        for i, e in enumerate(totals.sorted_errors()):
            out.write(("," if i else "") + _dumps({
                "level": "error",
                "message": {"text": e.message},
                "locations": [{"physicalLocation": {"artifactLocation": artifact_location(e.path)}}],
            }))
        base = {SRCROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}}
        out.write(f']}}],"originalUriBaseIds":{_dumps(base)}}}]}}\n')


def writer(out: TextIO) -> SarifWriter:
    return SarifWriter(out)
