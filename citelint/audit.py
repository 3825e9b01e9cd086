"""``citelint audit``: an archive checked by a Dask cluster, results as partitioned Parquet.

The archive (paths, directories walked like ``check`` does, globs, or ``@FILE`` manifests of
one path per line) is cut into partitions of ``--partition-size`` files, in discovery order.
Each partition is one task: a worker loads, extracts, resolves and runs the rules on its
files with the same :class:`~citelint.pipeline.FileChecker` as ``check`` (sent to every
worker once), and writes four tables under ``--out``::

    attributions/part-00000.parquet   one row per attribution (spans flattened)
    findings/part-00000.parquet       one row per finding, as the JSON report has them
    urls/part-00000.parquet           one row per cited URL of an attribution
    errors/part-00000.parquet         files that could not be checked, and why

Every file is written beside its final name and renamed, then a marker in ``_done/`` says the
partition is complete. ``_partitions/`` keeps each partition's list of files and
``_audit.json`` the options that shape results, so an interrupted audit run again with the
same ``--out`` checks only the partitions without a marker; an ``--out`` holding an audit of
other options is refused rather than mixed.

Offline only for now: ``--verify`` belongs to ``check`` (see the README's archive section).
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from citelint import escape
from citelint.model import InputError, Severity

if TYPE_CHECKING:
    from citelint.check import FileResult
    from citelint.config import Settings
    from citelint.pipeline import FileChecker

FORMAT_VERSION = 1  # of the tables: a change of columns makes an older --out unusable for resume
TABLES = ("attributions", "findings", "urls", "errors")


class AuditError(Exception):
    """An audit that cannot start as asked (no Dask, an --out of another audit): exit 2."""


@dataclass(frozen=True)
class AuditOptions:
    paths: tuple[str, ...]
    out: str
    scheduler: str | None = None  # tcp://host:8786; None: a LocalCluster on this machine
    workers: int | None = None  # LocalCluster processes (default: one per core)
    partition_size: int = 500
    quiet: bool = False


@dataclass(frozen=True)
class PartitionSummary:
    """What one partition held: counted by the worker, added up by the driver."""

    number: int
    files: int  # articles checked (a file that could not be read is an error row instead)
    attributions: int
    findings: dict[str, int]
    errors: int
    internal: bool


# -- the driver --------------------------------------------------------------------------


def run(file_checker: FileChecker, settings: Settings, options: AuditOptions, err: TextIO) -> int:
    """Check the archive on a Dask cluster; returns the exit status (as ``check`` would)."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise AuditError("citelint audit needs Dask: pip install 'citelint[dask]'") from None
    out = Path(options.out)
    partitions = _plan(out, _fingerprint(settings, options), options, settings)
    todo = [(n, files) for n, files in partitions if not (out / "_done" / f"part-{n:05d}.json").exists()]
    done_before = len(partitions) - len(todo)
    if not options.quiet:
        print(f"citelint audit: {sum(len(f) for _, f in partitions)} files in {len(partitions)} partitions"
              + (f"; {done_before} already done in {out}, resuming" if done_before else ""), file=err)
    if not todo:
        return _conclude([_summary(out, n) for n, _ in partitions], settings, options, err)
    cluster = None
    started = time.monotonic()
    try:
        if options.scheduler:
            client = Client(options.scheduler)
        else:
            cluster = LocalCluster(n_workers=options.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=40)  # logging.ERROR
            client = cluster.get_client()
        with client:
            shared = client.scatter(file_checker, broadcast=True)
            futures = [client.submit(check_partition, shared, n, files, str(out), key=f"citelint-audit-{n:05d}-{_token(files)}",
                                     pure=False) for n, files in todo]
            finished = 0
            for future in as_completed(futures):
                future.result()  # a task that failed outright (not a file: those are rows) stops the audit
                finished += 1
                if not options.quiet and err.isatty():
                    err.write(f"\raudit: {finished}/{len(todo)} partitions ({time.monotonic() - started:.0f} s)\x1b[K")
                    err.flush()
            if not options.quiet and err.isatty():
                err.write("\r\x1b[K")
    finally:
        if cluster is not None:
            cluster.close()
    summaries = [_summary(out, n) for n, _ in partitions]
    return _conclude(summaries, settings, options, err)


def _plan(out: Path, fingerprint: dict[str, Any], options: AuditOptions, settings: Settings) -> list[tuple[int, list[str]]]:
    """The partitions of this audit: read back from ``out`` when resuming, else made (lazily
    from the walk, a partition's list written as soon as it is full)."""
    marker = out / "_audit.json"
    if marker.exists():
        try:
            recorded = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise AuditError(f"{marker}: cannot read it ({exc}); use another --out or remove it") from None
        if recorded != fingerprint:
            raise AuditError(f"{out} holds an audit of other files or options; use another --out, or remove it to start again")
        return [(int(p.stem.split("-")[1]), p.read_bytes().decode("utf-8", "surrogateescape").splitlines())
                for p in sorted((out / "_partitions").glob("part-*.txt"))]
    if out.exists() and any(out.iterdir()):
        raise AuditError(f"{out} is not empty and holds no audit; give a new or empty directory to --out")
    for name in ("_partitions", "_done", *TABLES):
        (out / name).mkdir(parents=True, exist_ok=True)
    partitions: list[tuple[int, list[str]]] = []
    for number, files in enumerate(_chunks(_files(options.paths, settings), options.partition_size)):
        _write_atomic(out / "_partitions" / f"part-{number:05d}.txt", "".join(f"{f}\n" for f in files).encode("utf-8", "surrogateescape"))
        partitions.append((number, files))
    _write_atomic(marker, json.dumps(fingerprint, indent=1).encode("utf-8"))  # last: the plan is complete
    return partitions


def _files(paths: Sequence[str], settings: Settings) -> Iterator[str]:
    """The archive's files in a stable order: manifests (@FILE) and globs expanded, directories
    walked as ``check`` walks them (include globs, ignore files). A path that does not exist
    is passed on, to become a row of the errors table."""
    from citelint.load import discover
    from citelint.load.walk import FileSelection

    selection = FileSelection(include=tuple(settings["include"]), exclude=settings.excluded,
                              force_exclude=settings["force-exclude"], base=settings.base)
    expanded: list[str] = []
    for path in paths:
        if path.startswith("@"):
            with open(path[1:], encoding="utf-8") as manifest:
                expanded.extend(line.strip() for line in manifest if line.strip() and not line.startswith("#"))
        elif glob.has_magic(path):
            expanded.extend(sorted(glob.glob(path, recursive=True)))
        else:
            expanded.append(path)
    for item in discover(expanded, selection):
        yield item.path if isinstance(item, InputError) else item


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _fingerprint(settings: Settings, options: AuditOptions) -> dict[str, Any]:
    """What decides an audit's results, compared when resuming."""
    from citelint import __version__

    keys = ("sources", "select", "ignore", "include", "exclude", "publisher", "whole-page", "model", "no-model", "severity")
    lists: dict[str, str | None] = {}
    for source in settings["sources"]:  # a source list's words decide resolutions, not only its name
        try:
            lists[source] = hashlib.sha256(Path(source).read_bytes()).hexdigest()
        except OSError:
            lists[source] = None
    return {"format": FORMAT_VERSION, "citelint": __version__, "paths": list(options.paths),
            "partition-size": options.partition_size, "source-lists": lists,
            "settings": {k: settings.values.get(k) for k in keys}}


def _token(files: list[str]) -> str:
    return hashlib.sha1("\n".join(files).encode("utf-8", "surrogateescape")).hexdigest()[:12]


def _summary(out: Path, number: int) -> PartitionSummary:
    data = json.loads((out / "_done" / f"part-{number:05d}.json").read_text(encoding="utf-8"))
    return PartitionSummary(**data)


def _conclude(summaries: list[PartitionSummary], settings: Settings, options: AuditOptions, err: TextIO) -> int:
    files = sum(s.files for s in summaries)
    attributions = sum(s.attributions for s in summaries)
    counts = {label: sum(s.findings.get(label, 0) for s in summaries) for label in ("error", "warning", "info")}
    errors = sum(s.errors for s in summaries)
    if not options.quiet:
        shown = ", ".join(f"{n} {label}{'s' if n != 1 and label != 'info' else ''}" for label, n in counts.items())
        print(f"{files} files checked, {attributions} attributions: {shown}"
              + (f"; {errors} input errors (see errors/)" if errors else "")
              + f"; tables in {options.out}", file=err)
    if any(s.internal for s in summaries):
        return 3
    if errors:
        return 2
    threshold = Severity.parse(settings["fail-on"])
    return 1 if any(counts[s.label] for s in Severity if s >= threshold) else 0


# -- the worker ---------------------------------------------------------------------------


def check_partition(file_checker: FileChecker, number: int, files: list[str], out: str) -> PartitionSummary:
    """Check one partition's files and write its tables (runs on a Dask worker)."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    findings: dict[str, int] = {}
    articles = attributions = errors = 0
    internal = False
    for path in files:
        outcome = file_checker(path)
        internal |= outcome.internal
        for error in outcome.errors:
            rows["errors"].append({"path": escape.path(error.path), "message": error.message})
            errors += 1
        for result in outcome.results or ():
            articles += result.is_article
            _result_rows(result, rows)
            attributions += len(result.attributions)
            for finding in result.findings:
                findings[finding.severity.label] = findings.get(finding.severity.label, 0) + 1
    base = Path(out)
    for name in TABLES:
        _write_table(base / name / f"part-{number:05d}.parquet", name, rows[name])
    summary = PartitionSummary(number, articles, attributions, findings, errors, internal)
    _write_atomic(base / "_done" / f"part-{number:05d}.json", json.dumps(summary.__dict__).encode("utf-8"))
    return summary


def _span_columns(prefix: str, span: Any) -> dict[str, Any]:
    if span is None:
        return {f"{prefix}_text": None, f"{prefix}_start": None, f"{prefix}_end": None,
                f"{prefix}_line": None, f"{prefix}_column": None}
    return {f"{prefix}_text": span.text, f"{prefix}_start": span.start, f"{prefix}_end": span.end,
            f"{prefix}_line": span.line, f"{prefix}_column": span.column}


def _result_rows(result: FileResult, rows: dict[str, list[dict[str, Any]]]) -> None:
    path = escape.path(result.path)  # a file name that is not UTF-8 cannot be a Parquet string
    publisher = result.publisher.entry.id if result.publisher is not None and result.publisher.entry is not None else None
    for att in result.attributions:
        rows["attributions"].append({
            "path": path, "attribution": att.id, "kind": att.kind.value, "cue_type": att.cue_type.value,
            **_span_columns("source", att.source), **_span_columns("cue", att.cue), **_span_columns("content", att.content),
            "quotes": [q.text for q in att.quotes],
            "resolved_id": att.resolved.id if att.resolved else None,
            "resolved_name": att.resolved.name if att.resolved else None,
            "urls": list(att.urls), "publisher": publisher,
        })
        for url in att.urls:
            from citelint.verify.urls import host_of

            rows["urls"].append({"path": path, "attribution": att.id, "url": url, "host": _host(url, host_of),
                                 "resolved_id": att.resolved.id if att.resolved else None})
    for f in result.findings:
        rows["findings"].append({
            "path": escape.path(f.path), "code": f.code, "rule": f.rule, "severity": f.severity.label, "message": f.message,
            "line": f.span.line, "column": f.span.column, "end_line": f.span.end_line, "end_column": f.span.end_column,
            "start": f.span.start, "end": f.span.end, "attribution": f.attribution,
        })


def _host(url: str, host_of: Any) -> str | None:
    try:
        return str(host_of(url)) or None
    except ValueError:
        return None


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    def span(prefix: str) -> list[tuple[str, Any]]:
        return [(f"{prefix}_text", pa.string()), (f"{prefix}_start", pa.int64()), (f"{prefix}_end", pa.int64()),
                (f"{prefix}_line", pa.int64()), (f"{prefix}_column", pa.int64())]

    return {
        "attributions": pa.schema([("path", pa.string()), ("attribution", pa.string()), ("kind", pa.string()),
                                   ("cue_type", pa.string()), *span("source"), *span("cue"), *span("content"),
                                   ("quotes", pa.list_(pa.string())), ("resolved_id", pa.string()),
                                   ("resolved_name", pa.string()), ("urls", pa.list_(pa.string())),
                                   ("publisher", pa.string())]),
        "findings": pa.schema([("path", pa.string()), ("code", pa.string()), ("rule", pa.string()), ("severity", pa.string()),
                               ("message", pa.string()), ("line", pa.int64()), ("column", pa.int64()),
                               ("end_line", pa.int64()), ("end_column", pa.int64()), ("start", pa.int64()),
                               ("end", pa.int64()), ("attribution", pa.string())]),
        "urls": pa.schema([("path", pa.string()), ("attribution", pa.string()), ("url", pa.string()),
                           ("host", pa.string()), ("resolved_id", pa.string())]),
        "errors": pa.schema([("path", pa.string()), ("message", pa.string())]),
    }


def _write_table(path: Path, name: str, rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows, schema=_schemas()[name])
    temp = path.with_name(path.name + f".{os.getpid()}.tmp")
    pq.write_table(table, temp, compression="zstd")
    os.replace(temp, path)


def _write_atomic(path: Path, data: bytes) -> None:
    temp = path.with_name(path.name + f".{os.getpid()}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)
