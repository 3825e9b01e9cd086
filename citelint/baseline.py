"""Baselines: record today's findings so that only new ones are reported.

A baseline entry is keyed on the file, the finding's code and the text of its span
(whitespace collapsed, casefolded, quotes and dashes normalised), never on line numbers:
edits that move text around keep its findings hidden, while a changed attribution makes
its finding new. Entries are counted, and matching is by multiset: if the baseline records
two findings with one key and the file now has three, the last of them in the file is
reported.

The file is JSON, sorted and indented so that it diffs well in review::

    {"version": 1, "tool": "citelint",
     "findings": [{"path": "news/a.md", "code": "CL103", "text": "the nowhere gazette", "count": 1}]}
"""
from __future__ import annotations

import json
import os
import posixpath
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from citelint.inputs import MB, ReadError, read_regular

_MAX_BYTES = 200 * MB  # a baseline of a large archive: a few hundred bytes per finding

from citelint.check import FileResult
from citelint.model import Finding

__all__ = ["VERSION", "Baseline", "BaselineError", "BaselineKey", "normalize_path", "normalize_text"]

VERSION = 1
TOOL = "citelint"

_QUOTES = str.maketrans({
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u0060\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", None),  # soft hyphen, zero-width
})
_SPACE = re.compile(r"\s+")


class BaselineError(Exception):
    """A baseline file that cannot be read or written; the message names the file."""


def normalize_text(text: str) -> str:
    """Span text as keyed: quotes and dashes unified, whitespace collapsed, casefolded."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip().casefold()


def normalize_path(path: str) -> str:
    """A path as keyed: relative to the current directory where it is absolute, POSIX
    separators, no ``.`` segments, so a baseline written in one checkout works in another."""
    if os.path.isabs(path):
        try:
            path = os.path.relpath(path)
        except ValueError:  # another drive on Windows: keep it absolute
            pass
    path = path.replace("\\", "/")
    return posixpath.normpath(path) if path else path


@dataclass(frozen=True, order=True)
class BaselineKey:
    """What identifies a finding across edits: file, code, normalised span text."""

    path: str
    code: str
    text: str

    @classmethod
    def of(cls, finding: Finding) -> BaselineKey:
        return cls(normalize_path(finding.path), finding.code, normalize_text(finding.span.text))


class Baseline:
    """A multiset of finding keys: how many findings of each key are accepted."""

    def __init__(self, counts: Mapping[BaselineKey, int] | None = None) -> None:
        self._counts: Counter[BaselineKey] = Counter({k: n for k, n in (counts or {}).items() if n > 0})

    @property
    def counts(self) -> Mapping[BaselineKey, int]:
        return dict(self._counts)

    def __len__(self) -> int:
        """The number of findings recorded (counting duplicates)."""
        return sum(self._counts.values())

    def __iter__(self) -> Iterator[BaselineKey]:
        return iter(sorted(self._counts))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Baseline) and self._counts == other._counts

    def __hash__(self) -> int:
        return hash(frozenset(self._counts.items()))

    def __repr__(self) -> str:
        return f"Baseline({dict(sorted(self._counts.items()))!r})"

    @classmethod
    def from_results(cls, results: Iterable[FileResult]) -> Baseline:
        """A baseline accepting every finding of ``results`` (articles and sidecars alike)."""
        return cls(Counter(BaselineKey.of(f) for result in results for f in result.findings))

    @classmethod
    def load(cls, path: str) -> Baseline:
        """Read a baseline file; BaselineError names the file and what is wrong with it."""
        try:
            data = json.loads(read_regular(path, _MAX_BYTES).decode("utf-8"))
        except ReadError as exc:
            if exc.missing:
                raise BaselineError(f"{path}: baseline file not found") from None
            raise BaselineError(f"{path}: cannot read baseline: {exc.message}") from None
        except RecursionError:
            raise BaselineError(f"{path}: baseline is not valid JSON (nested too deeply)") from None
        except UnicodeDecodeError as exc:
            raise BaselineError(f"{path}: baseline is not UTF-8 ({exc.reason} at byte {exc.start})") from None
        except json.JSONDecodeError as exc:
            raise BaselineError(f"{path}: baseline is not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})") from None
        except OSError as exc:
            raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
        return cls(_parse(path, data))

    def write(self, path: str) -> None:
        """Write the baseline as sorted, indented JSON, atomically (temp file + os.replace)."""
        data = {
            "version": VERSION,
            "tool": TOOL,
            "findings": [
                {"path": k.path, "code": k.code, "text": k.text, "count": self._counts[k]}
                for k in sorted(self._counts)
            ],
        }
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        directory = os.path.dirname(os.path.abspath(path))
        try:
            mode = os.stat(path).st_mode & 0o777
        except OSError:
            mode = 0o644
        try:
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".citelint-baseline-", suffix=".tmp")
        except OSError as exc:
            raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except OSError as exc:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None

    def filter(self, result: FileResult) -> tuple[FileResult, int]:
        """``result`` without its baselined findings, and how many were hidden.

        For each key the first ``count`` findings in file order are hidden and any beyond
        that are reported, so a new duplicate shows up as the last one in the file.
        """
        remaining = Counter(self._counts)
        hidden: set[int] = set()
        ordered = sorted(range(len(result.findings)), key=lambda i: result.findings[i].sort_key)
        for i in ordered:
            key = BaselineKey.of(result.findings[i])
            if remaining[key] > 0:
                remaining[key] -= 1
                hidden.add(i)
        if not hidden:
            return result, 0
        kept = tuple(f for i, f in enumerate(result.findings) if i not in hidden)
        return replace(result, findings=kept), len(hidden)


def _parse(path: str, data: Any) -> Counter[BaselineKey]:
    def fail(message: str) -> BaselineError:
        return BaselineError(f"{path}: not a citelint baseline: {message}")

    if not isinstance(data, dict):
        raise fail("expected a JSON object at the top level")
    if "version" not in data:
        raise fail("missing key 'version'")
    version = data["version"]
    if isinstance(version, bool) or version != VERSION:
        raise fail(f"unsupported version {version!r} (this citelint reads version {VERSION})")
    if "tool" in data and data["tool"] != TOOL:
        raise fail(f"written by {data['tool']!r}, not {TOOL!r}")
    if "findings" not in data:
        raise fail("missing key 'findings'")
    entries = data["findings"]
    if not isinstance(entries, list):
        raise fail("'findings' must be a list")
    counts: Counter[BaselineKey] = Counter()
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise fail(f"findings[{n - 1}] must be an object")
        for name in ("path", "code", "text", "count"):
            if name not in entry:
                raise fail(f"findings[{n - 1}]: missing key {name!r}")
        for name in ("path", "code", "text"):
            if not isinstance(entry[name], str):
                raise fail(f"findings[{n - 1}]: {name!r} must be a string")
        count = entry["count"]
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise fail(f"findings[{n - 1}]: 'count' must be a positive integer")
        key = BaselineKey(normalize_path(entry["path"]), entry["code"], normalize_text(entry["text"]))
        counts[key] += count
    return counts
