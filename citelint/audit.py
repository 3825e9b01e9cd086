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
    fetched/group-00000.parquet       --verify: each distinct URL's fate (verdict, status, final URL …)
    quote_results/group-00000.parquet --verify: each quote's result in the page cited for it

Every file is written beside its final name and renamed, then a marker in ``_done/`` says the
partition is complete. ``_partitions/`` keeps each partition's list of files and
``_audit.json`` the options that shape results, so an interrupted audit run again with the
same ``--out`` checks only the partitions without a marker; an ``--out`` holding an audit of
other options is refused rather than mixed.

With ``--verify`` an audit runs in three steps, each resumable. (1) Each partition's files are
prepared (loaded, extracted, resolved) and their attributions written. (2) The driver reads
the cited URLs of the whole archive from those tables, each distinct URL once, and groups
them by host; each group is one task, so a host is fetched by one worker at a time and the
per-host limits hold across the cluster. The task fetches its pages (through the page cache
of ``--cache-dir``, which workers may share), matches every quote cited to each page as it
arrives, and writes the pages' outcomes (``fetched/``) and the quotes' results
(``quote_results/``). (3) Each partition's files are prepared again and the rules run with
the outcomes of the URLs they cite, offline; findings and attributions (now with their
verification) are written.
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
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
    from citelint.pipeline import FileChecker, Outcome

FORMAT_VERSION = 1  # of the tables: a change of columns makes an older --out unusable for resume
TABLES = ("attributions", "findings", "urls", "errors")
FETCH_TABLES = ("fetched", "quote_results")
FETCH_GROUPS = 64  # fetching tasks at most: each host in one of them, so one worker at a time asks it


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
    verify = bool(settings["verify"] or settings["offline"])
    partitions = _plan(out, _fingerprint(settings, options), options, settings)
    todo = [(n, files) for n, files in partitions if not (out / "_done" / f"part-{n:05d}.json").exists()]
    done_before = len(partitions) - len(todo)
    if not options.quiet:
        print(f"citelint audit: {sum(len(f) for _, f in partitions)} files in {len(partitions)} partitions"
              + (f"; {done_before} already done in {out}, resuming" if done_before else ""), file=err)
    if not todo:
        return _conclude([_summary(out, n) for n, _ in partitions], settings, options, err)
    cluster = None
    try:
        if options.scheduler:
            client = Client(options.scheduler)
        else:
            cluster = LocalCluster(n_workers=options.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=40)  # logging.ERROR
            client = cluster.get_client()
        with client:
            shared = client.scatter(file_checker, broadcast=True)
            if not verify:
                _each(client, as_completed, "partitions", options, err, [
                    client.submit(check_partition, shared, n, files, str(out), pure=False,
                                  key=f"citelint-audit-{n:05d}-{_token(files)}") for n, files in todo])
            else:
                from citelint.pipeline import fetch_settings

                fetch = fetch_settings(settings)
                archive = settings["archive-url"] if settings["archive"] else None
                _each(client, as_completed, "partitions prepared", options, err, [
                    client.submit(prepare_partition, shared, n, files, str(out), pure=False,
                                  key=f"citelint-audit-prepare-{n:05d}-{_token(files)}")
                    for n, files in todo if not (out / "_prepared" / f"part-{n:05d}.json").exists()])
                # From every partition, so a resumed audit makes the same groups and its markers hold.
                groups = _host_groups(out, [n for n, _ in partitions], FETCH_GROUPS)
                _each(client, as_completed, "host groups fetched", options, err, [
                    client.submit(fetch_group, shared, fetch, archive, g, wanted, dates, str(out), pure=False,
                                  key=f"citelint-audit-fetch-{g:05d}-{_token(sorted(wanted))}")
                    for g, wanted, dates in groups])
                _each(client, as_completed, "partitions checked", options, err, [
                    client.submit(finish_partition, shared, fetch, n, files, str(out), pure=False,
                                  key=f"citelint-audit-finish-{n:05d}-{_token(files)}") for n, files in todo])
    finally:
        if cluster is not None:
            cluster.close()
    summaries = [_summary(out, n) for n, _ in partitions]
    return _conclude(summaries, settings, options, err)


def _each(client: Any, as_completed: Any, what: str, options: AuditOptions, err: TextIO, futures: list[Any]) -> None:
    """Wait for the tasks of one step, with a progress line on a terminal."""
    started = time.monotonic()
    for finished, future in enumerate(as_completed(futures), 1):
        future.result()  # a task that failed outright (not a file: those are rows) stops the audit
        if not options.quiet and err.isatty():
            err.write(f"\raudit: {finished}/{len(futures)} {what} ({time.monotonic() - started:.0f} s)\x1b[K")
            err.flush()
    if futures and not options.quiet and err.isatty():
        err.write("\r\x1b[K")


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
    existed = out.exists()
    for name in ("_partitions", "_done", "_prepared", "_fetched", *TABLES, *FETCH_TABLES):
        (out / name).mkdir(parents=True, exist_ok=True)
    partitions: list[tuple[int, list[str]]] = []
    try:
        for number, files in enumerate(_chunks(_files(options.paths, settings), options.partition_size)):
            _write_atomic(out / "_partitions" / f"part-{number:05d}.txt", "".join(f"{f}\n" for f in files).encode("utf-8", "surrogateescape"))
            partitions.append((number, files))
    except AuditError:
        for name in os.listdir(out):  # a plan that could not be made leaves nothing behind
            shutil.rmtree(out / name, ignore_errors=True)
        if not existed:
            out.rmdir()
        raise
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
        if path == "-":
            raise AuditError("an audit reads files, not standard input ('-'); check a single article with 'citelint check -'")
        if path.startswith("@"):
            try:
                with open(path[1:], encoding="utf-8") as manifest:
                    expanded.extend(line.strip() for line in manifest if line.strip() and not line.startswith("#"))
            except (OSError, UnicodeDecodeError) as exc:
                raise AuditError(f"cannot read the manifest {path[1:]}: {getattr(exc, 'strerror', None) or exc}") from None
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

    keys = ("sources", "select", "ignore", "include", "exclude", "publisher", "whole-page", "model", "no-model", "severity",
            "verify", "offline", "allow-hosts", "archive", "archive-url")
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
    return _write_partition(number, (file_checker(path) for path in files), out)


def prepare_partition(file_checker: FileChecker, number: int, files: list[str], out: str) -> None:
    """--verify, step 1: the partition's attributions, with the URLs and quotes to fetch."""
    from dataclasses import replace

    preparing = replace(file_checker, rules_too=False)
    rows: list[dict[str, Any]] = []
    for path in files:
        outcome = preparing(path)
        if outcome.prepared is not None:
            published = outcome.prepared.document.published
            for att in outcome.prepared.resolution.attributions:
                if att.urls:
                    rows.append({"urls": list(att.urls), "quotes": [q.text for q in att.quotes], "published": published})
    import pyarrow as pa

    schema = pa.schema([("urls", pa.list_(pa.string())), ("quotes", pa.list_(pa.string())), ("published", pa.string())])
    _write_arrow(Path(out) / "_prepared" / f"part-{number:05d}.parquet", pa.Table.from_pylist(rows, schema=schema))
    _write_atomic(Path(out) / "_prepared" / f"part-{number:05d}.json", b"{}")


def _host_groups(out: Path, partitions: list[int], most: int) -> list[tuple[int, dict[str, list[str]], dict[str, str]]]:
    """The distinct URLs the partitions cite (each once, with every quote cited to it and the
    date of the first dated article citing it), in numbered groups by host: a host is in one
    group only. Groups already fetched (a marker in _fetched/) are left out."""
    import pyarrow.parquet as pq

    from citelint.verify.keys import fetch_key

    wanted: dict[str, set[str]] = {}
    dates: dict[str, str] = {}
    for n in partitions:
        table = pq.read_table(out / "_prepared" / f"part-{n:05d}.parquet")
        for urls, quotes, published in zip(*(table.column(c).to_pylist() for c in ("urls", "quotes", "published"))):
            for url in urls:
                key = fetch_key(url)
                wanted.setdefault(key, set()).update(quotes)
                if published and key not in dates:
                    dates[key] = published
    by_host: dict[str, list[str]] = {}
    for key in wanted:
        by_host.setdefault(_host(key) or "", []).append(key)
    groups: list[list[str]] = [[] for _ in range(min(most, len(by_host)) or 1)]
    for keys in sorted(by_host.values(), key=len, reverse=True):  # the biggest hosts first, each to the lightest group
        min(groups, key=len).extend(keys)
    out_groups = []
    for number, keys in enumerate(groups):
        if keys and not (out / "_fetched" / f"group-{number:05d}.json").exists():
            out_groups.append((number, {k: sorted(wanted[k]) for k in keys}, {k: dates[k] for k in keys if k in dates}))
    return out_groups


def fetch_group(file_checker: FileChecker, fetch: Any, archive_url: str | None, number: int,
                wanted: dict[str, list[str]], dates: dict[str, str], out: str) -> None:
    """--verify, step 2: fetch one group of hosts' pages, match their quotes, write the outcomes."""
    import pyarrow as pa

    from citelint.verify.verifier import Verifier

    with Verifier(fetch, file_checker.checker.registry, archive_url=archive_url) as verifier:
        verifier.check_pages({k: set(v) for k, v in wanted.items()}, dates)
        pages: list[dict[str, Any]] = []
        quotes: list[dict[str, Any]] = []
        for key in wanted:
            found = verifier.known(key)
            if found is None:
                continue
            page, unreadable, results = found
            pages.append({"url": key, "verdict": page.verdict.value, "reason": page.reason, "final_url": page.final_url,
                          "http_status": page.http_status, "content_type": page.content_type, "charset": page.charset,
                          "from_cache": page.from_cache, "refused": page.refused, "archived_url": page.archived,
                          "unreadable": unreadable})
            quotes.extend({"url": key, "quote": q.text, "result": q.result.value, "score": q.score,
                           "source_excerpt": q.source_excerpt, "diff": q.diff, "weak": q.weak, "reason": q.reason}
                          for q in results.values())
    base = Path(out)
    _write_arrow(base / "fetched" / f"group-{number:05d}.parquet", pa.Table.from_pylist(pages, schema=_fetch_schemas()["fetched"]))
    _write_arrow(base / "quote_results" / f"group-{number:05d}.parquet",
                 pa.Table.from_pylist(quotes, schema=_fetch_schemas()["quote_results"]))
    _write_atomic(base / "_fetched" / f"group-{number:05d}.json", b"{}")


def finish_partition(file_checker: FileChecker, fetch: Any, number: int, files: list[str], out: str) -> PartitionSummary:
    """--verify, step 3: the rules on the partition's files with the outcomes of their URLs
    (offline: every page was fetched in step 2)."""
    from dataclasses import replace

    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    from citelint.pipeline import finish
    from citelint.verify.keys import fetch_key
    from citelint.verify.model import Page, QuoteMatch, QuoteResult, Verdict
    from citelint.verify.verifier import Verifier

    base = Path(out)
    preparing = replace(file_checker, rules_too=False)
    outcomes = [preparing(path) for path in files]
    keys = sorted({fetch_key(url) for o in outcomes if o.prepared for a in o.prepared.resolution.attributions for url in a.urls})
    offline = replace(fetch, offline=True)  # never the network here: a page not fetched in step 2 is "not in the cache"
    with Verifier(offline, file_checker.checker.registry) as verifier:
        if keys:
            wanted = pc.field("url").isin(keys)
            results: dict[str, dict[str, QuoteMatch]] = {}
            for row in ds.dataset(base / "quote_results", format="parquet").to_table(filter=wanted).to_pylist():
                results.setdefault(row["url"], {})[row["quote"]] = QuoteMatch(
                    row["quote"], QuoteResult(row["result"]), row["score"], row["source_excerpt"], row["diff"],
                    row["weak"], row["reason"])
            for row in ds.dataset(base / "fetched", format="parquet").to_table(filter=wanted).to_pylist():
                page = Page(row["url"], Verdict(row["verdict"]), row["reason"], final_url=row["final_url"],
                            http_status=row["http_status"], content_type=row["content_type"], charset=row["charset"],
                            from_cache=row["from_cache"], refused=row["refused"], archived=row["archived_url"])
                verifier.learn(row["url"], page, row["unreadable"], results.get(row["url"], {}))
        for outcome in outcomes:
            if outcome.prepared is not None:
                document = outcome.prepared.document
                (verifications,) = verifier.verify([outcome.prepared.resolution.attributions], [document.published])
                finish(file_checker.checker, outcome, verifications)
    return _write_partition(number, iter(outcomes), out)


def _write_partition(number: int, outcomes: Iterator[Outcome], out: str) -> PartitionSummary:
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    findings: dict[str, int] = {}
    articles = attributions = errors = 0
    internal = False
    for outcome in outcomes:
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
            **_verification_columns(att),
        })
        for url in att.urls:
            rows["urls"].append({"path": path, "attribution": att.id, "url": url, "host": _host(url),
                                 "resolved_id": att.resolved.id if att.resolved else None})
    for f in result.findings:
        rows["findings"].append({
            "path": escape.path(f.path), "code": f.code, "rule": f.rule, "severity": f.severity.label, "message": f.message,
            "line": f.span.line, "column": f.span.column, "end_line": f.span.end_line, "end_column": f.span.end_column,
            "start": f.span.start, "end": f.span.end, "attribution": f.attribution,
        })


def _verification_columns(att: Any) -> dict[str, Any]:
    """--verify: the primary URL's fate and each quote's result, as the JSON report has them."""
    v = att.verification
    if v is None:
        return {"verified_url": None, "final_url": None, "status": None, "http_status": None, "archived_url": None,
                "quote_results": [], "quote_reasons": []}
    return {"verified_url": v.page.url, "final_url": v.page.final_url, "status": v.page.verdict.value,
            "http_status": v.page.http_status, "archived_url": v.page.archived,
            "quote_results": [q.result.value for q in v.quotes], "quote_reasons": [q.reason for q in v.quotes]}


def _host(url: str) -> str | None:
    """The URL's host as the fetcher groups by it (None for a URL without one)."""
    from citelint.verify.keys import host_of

    return host_of(url) or None


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
                                   ("publisher", pa.string()), ("verified_url", pa.string()), ("final_url", pa.string()),
                                   ("status", pa.string()), ("http_status", pa.int64()), ("archived_url", pa.string()),
                                   ("quote_results", pa.list_(pa.string())), ("quote_reasons", pa.list_(pa.string()))]),
        "findings": pa.schema([("path", pa.string()), ("code", pa.string()), ("rule", pa.string()), ("severity", pa.string()),
                               ("message", pa.string()), ("line", pa.int64()), ("column", pa.int64()),
                               ("end_line", pa.int64()), ("end_column", pa.int64()), ("start", pa.int64()),
                               ("end", pa.int64()), ("attribution", pa.string())]),
        "urls": pa.schema([("path", pa.string()), ("attribution", pa.string()), ("url", pa.string()),
                           ("host", pa.string()), ("resolved_id", pa.string())]),
        "errors": pa.schema([("path", pa.string()), ("message", pa.string())]),
    }


def _fetch_schemas() -> dict[str, Any]:
    import pyarrow as pa

    return {
        "fetched": pa.schema([("url", pa.string()), ("verdict", pa.string()), ("reason", pa.string()),
                              ("final_url", pa.string()), ("http_status", pa.int64()), ("content_type", pa.string()),
                              ("charset", pa.string()), ("from_cache", pa.bool_()), ("refused", pa.bool_()),
                              ("archived_url", pa.string()), ("unreadable", pa.string())]),
        "quote_results": pa.schema([("url", pa.string()), ("quote", pa.string()), ("result", pa.string()),
                                    ("score", pa.float64()), ("source_excerpt", pa.string()), ("diff", pa.string()),
                                    ("weak", pa.bool_()), ("reason", pa.string())]),
    }


def _write_table(path: Path, name: str, rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa

    _write_arrow(path, pa.Table.from_pylist(rows, schema=_schemas()[name]))


def _write_arrow(path: Path, table: Any) -> None:
    import pyarrow.parquet as pq

    temp = path.with_name(path.name + f".{os.getpid()}.tmp")
    pq.write_table(table, temp, compression="zstd")
    os.replace(temp, path)


def _write_atomic(path: Path, data: bytes) -> None:
    temp = path.with_name(path.name + f".{os.getpid()}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)
