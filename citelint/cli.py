"""The command line: ``citelint check|audit|rules|rule|sources|show-config``; reports to stdout, the rest to stderr."""
from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

from citelint import __version__
from citelint.report import FORMATS

if TYPE_CHECKING:
    from citelint.check import Checker
    from citelint.config import Settings
    from citelint.sink import ReportSink

COMMANDS = ("check", "audit", "rules", "rule", "sources", "show-config")
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    """A bad option, config or source list: reported on stderr, exit 2."""


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="citelint",
        description="Check the attributions in news articles against their primary sources.",
        epilog="Run 'citelint check --help' for the options of check (the default command).",
    )
    parser.add_argument("--version", action="version", version=f"citelint {__version__}")
    sub = parser.add_subparsers(dest="command")

    check = sub.add_parser("check", help="check articles (the default command)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files, directories, or - for stdin (default: .)")
    check.add_argument("--format", choices=list(FORMATS), help="report format (default: text)")
    check.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--sources", action="append", default=[], metavar="FILE", help="a source list adding to or overriding the registry (repeatable)")
    check.add_argument("--select", action="append", default=[], metavar="CODES", help="only these rules (codes, slugs or prefixes, comma-separated)")
    check.add_argument("--ignore", action="append", default=[], metavar="CODES", help="skip these rules")
    check.add_argument("--fail-on", choices=["error", "warning", "info"], help="lowest severity that makes the exit code 1 (default: error)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--stdin-filename", metavar="NAME", help="name (and format, by suffix) of the article read from -")
    check.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline")
    check.add_argument("--write-baseline", metavar="FILE", help="record today's findings as the baseline (and exit 0)")
    check.add_argument("-q", "--quiet", action="store_true", help="no summary or progress on stderr")
    reading = check.add_argument_group("reading")
    reading.add_argument("--whole-page", action="store_true", default=None, help="read all of an HTML page, not only its article (no main-content detection)")
    reading.add_argument("--model", action="store_true", default=None, help="let the shipped learned models set content boundaries (more accurate, about 3x slower; off by default)")
    reading.add_argument("--no-model", action="store_true", default=None, help="extract with the rules alone, even if the configuration sets model = true")
    reading.add_argument("--publisher", metavar="ID", help="registry id of the outlet whose articles these are (otherwise read from the page or the sidecar)")
    _verify_options(check)

    # Second release: which files a directory walk reads, and how the text report looks.
    files = check.add_argument_group("files")
    files.add_argument("--include", action="append", default=[], metavar="GLOB", help="files a directory walk reads as articles, replacing the default *.md, *.markdown, *.html, *.htm (repeatable)")
    files.add_argument("--force-exclude", action="store_true", help="apply the configured exclude globs to files named on the command line too (for pre-commit)")
    looks = check.add_argument_group("text report")
    looks.add_argument("--color", choices=["auto", "always", "never"], help="colour the text report (default: auto, on a terminal unless NO_COLOR is set)")
    looks.add_argument("--show-source", action="store_true", help="print each finding's line with a caret under the words it is about (text format)")
    looks.add_argument("--statistics", action="store_true", help="print how many findings each rule has instead of the findings (text format)")

    # Second release: scale.
    scale = check.add_argument_group("scale")
    scale.add_argument("--jobs", "-j", type=_jobs, metavar="N", help="check files in N worker processes, 0 for one per core (default: 1); the report is the same")

    audit = sub.add_parser("audit", help="check an archive on a Dask cluster; results as Parquet tables (needs citelint[dask])")
    audit.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, globs, or @FILE listing one path per line")
    audit.add_argument("-o", "--out", required=True, metavar="DIR", help="where the Parquet tables go; run again with the same DIR to resume")
    audit.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler (tcp://host:8786); default: a local cluster")
    audit.add_argument("--workers", type=_positive_int, metavar="N", help="processes of the local cluster (default: one per core)")
    audit.add_argument("--partition-size", type=_positive_int, default=500, metavar="N", help="files per task (default: 500)")
    audit.add_argument("--sources", action="append", default=[], metavar="FILE", help="a source list adding to or overriding the registry (repeatable)")
    audit.add_argument("--select", action="append", default=[], metavar="CODES", help="only these rules")
    audit.add_argument("--ignore", action="append", default=[], metavar="CODES", help="skip these rules")
    audit.add_argument("--fail-on", choices=["error", "warning", "info"], help="lowest severity that makes the exit code 1 (default: error)")
    audit.add_argument("--include", action="append", default=[], metavar="GLOB", help="files a directory walk reads as articles (repeatable)")
    audit.add_argument("--whole-page", action="store_true", default=None, help="read all of an HTML page, not only its article")
    audit.add_argument("--model", action="store_true", default=None, help="let the shipped learned models set content boundaries")
    audit.add_argument("--no-model", action="store_true", default=None, help="extract with the rules alone")
    audit.add_argument("--publisher", metavar="ID", help="registry id of the outlet whose articles these are")
    audit.add_argument("-q", "--quiet", action="store_true", help="no summary or progress on stderr")
    _verify_options(audit)

    sub.add_parser("rules", help="list the rules")
    rule = sub.add_parser("rule", help="show one rule's documentation")
    rule.add_argument("name", metavar="CODE|SLUG")
    sources = sub.add_parser("sources", help="show the registry, or what a name or URL resolves to")
    show = sub.add_parser("show-config", help="print the effective configuration and where each value comes from")
    for sub_parser in (check, audit, sources, show):  # sources reads the configured source lists too
        sub_parser.add_argument("--config", metavar="FILE", help="use this configuration file instead of discovering one")
        sub_parser.add_argument("--isolated", action="store_true", help="ignore configuration files")
    sources.add_argument("query", nargs="?", help="a name, id or URL")
    sources.add_argument("--sources", action="append", default=[], metavar="FILE", help="also load this source list")
    return parser


def _verify_options(parser: argparse.ArgumentParser) -> None:
    """The options of --verify, for check and audit."""
    verify = parser.add_argument_group("verification (fetches the cited pages)")
    verify.add_argument("--verify", action="store_true", help="fetch every cited URL: is it alive, the named outlet's, and are the quotes in it?")
    verify.add_argument("--offline", action="store_true", help="verify from the cache only; say which URLs could not be checked")
    verify.add_argument("--cache-dir", metavar="DIR", help="where fetched pages are cached (default: the platform's cache directory)")
    verify.add_argument("--timeout", type=_seconds("timeout"), metavar="S", help="total seconds allowed per URL, retries included (default: 20)")
    verify.add_argument("--max-concurrency", type=_positive_int, metavar="N", help="requests in flight at once (default: 16)")
    verify.add_argument("--per-host", type=_positive_int, metavar="N", help="requests in flight per host (default: 4)")
    verify.add_argument("--allow-host", action="append", default=[], metavar="HOST", help="allow a host whose address is private or loopback (repeatable)")
    verify.add_argument("--user-agent", metavar="UA", help="the User-Agent header sent (default: citelint/VERSION with a URL)")
    # Second release: limits of a whole --verify run.
    verify.add_argument("--verify-budget", type=_seconds("verify-budget"), metavar="S", help="seconds for all of a run's fetching; URLs not fetched by then are reported as not checked (default: none)")
    verify.add_argument("--host-interval", type=_seconds("host-interval"), metavar="S", help="minimum seconds between requests to one host (default: 0.1)")
    verify.add_argument("--archive", action="store_true", help="look up an archived copy of each dead page and check its quotes there")
    verify.add_argument("--archive-url", metavar="URL", help="the Wayback-style availability endpoint (default: the Internet Archive's)")


class _Parser(argparse.ArgumentParser):
    """argparse, with option errors in plain words: ``citelint: error: --timeout: expected …``."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("argument "):
            message = message[len("argument "):]
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"citelint: error: {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 (one per core) or more, got {text!r}")
    return value


def _seconds(key: str) -> Callable[[str], float]:
    """A seconds option's parser: finite and within the option's bounds, or a plain message."""

    def parse(text: str) -> float:
        from citelint.verify.settings import seconds_problem  # only when the option is given

        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
        problem = seconds_problem(key, value)
        if problem is not None:
            raise argparse.ArgumentTypeError(problem)
        return value

    return parse


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version"):
        args_list.insert(0, "check")
    try:
        args = _parser().parse_args(args_list)
    except SystemExit as exc:  # argparse already printed the problem
        return EXIT_OK if exc.code == 0 else EXIT_ERROR
    try:
        if args.command == "rules":
            return _rules(out)
        if args.command == "rule":
            return _rule(args.name, out, err)
        if args.command == "sources":
            return _sources(args.query, _settings(args)["sources"], out)
        if args.command == "show-config":
            return _show_config(_settings(args), out)
        if args.command == "audit":
            return _audit(args, err)
        return _check(args, out, err)
    except UsageError as exc:
        print(f"citelint: error: {exc}", file=err)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("citelint: interrupted", file=err)
        return EXIT_ERROR
    except Exception:  # noqa: BLE001 - the last line of defence: say so, exit 3
        print("citelint: internal error (please report this with the input that caused it):", file=err)
        traceback.print_exc(file=err)
        return EXIT_INTERNAL


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings = _settings(args)
    checker = _checker(args, settings, err)
    from citelint.sink import ReportSink

    # The report is published only when complete: a run refused half-way leaves none.
    try:
        sink = ReportSink(out, args.output)
    except OSError as exc:
        raise UsageError(f"cannot write report to {args.output}: {exc.strerror}") from None
    try:
        return _run(checker, args, settings, sink, err)
    finally:
        sink.discard()  # a no-op once committed


def _audit(args: argparse.Namespace, err: TextIO) -> int:
    from citelint.audit import AuditError, AuditOptions, run
    from citelint.pipeline import FileChecker

    settings = _settings(args)
    checker = _checker(args, settings, err)
    options = AuditOptions(tuple(args.paths), args.out, args.scheduler, args.workers, args.partition_size, args.quiet)
    try:
        return run(FileChecker(checker, settings["whole-page"]), settings, options, err)
    except (AuditError, OSError) as exc:
        raise UsageError(str(exc)) from None


def _checker(args: argparse.Namespace, settings: Settings, err: TextIO) -> Checker:
    """The checker the settings ask for: registry, rule selection, publisher, extractor."""
    from citelint.check import Checker
    from citelint.registry import RegistryError, load_registry
    from citelint.selection import Selection, SelectionError, expand

    try:
        select = expand(settings["select"], "--select") if settings["select"] else None
        ignore = expand(settings["ignore"], "--ignore")
    except SelectionError as exc:
        raise UsageError(str(exc)) from None
    try:
        registry = load_registry(settings["sources"])
    except RegistryError as exc:
        raise UsageError(str(exc)) from None
    if select is not None and not (settings["verify"] or settings["offline"]) and not args.quiet:
        from citelint import invocation

        invocation.warn_verify_rules(settings["select"], err)
    publisher = settings["publisher"]
    if publisher is not None and registry.get(publisher) is None:
        raise UsageError(f"publisher {publisher!r} ({settings.origins['publisher']}) is not a registry id; see 'citelint sources'")
    origin = "--publisher" if settings.origins["publisher"] == "command line" else "config"
    from citelint.extract import default_extractor

    # The learned content boundaries are opt-in until they are fast enough for CI (--model).
    use_model = bool(settings["model"]) and not settings["no-model"]
    return Checker(registry, Selection(select, ignore, settings.severities()), publisher=publisher, publisher_origin=origin,
                   extractor=default_extractor(use_model=use_model))


# Options whose command-line value replaces the configuration's, and those that add to it.
_REPLACING = {"format": "format", "fail-on": "fail_on", "select": "select", "ignore": "ignore",
              "cache-dir": "cache_dir", "timeout": "timeout", "max-concurrency": "max_concurrency",
              "per-host": "per_host", "user-agent": "user_agent", "verify": "verify", "offline": "offline",
              "whole-page": "whole_page", "publisher": "publisher",
              "include": "include", "force-exclude": "force_exclude", "color": "color",
              "show-source": "show_source", "statistics": "statistics",
              "verify-budget": "verify_budget", "host-interval": "host_interval", "archive": "archive",
              "archive-url": "archive_url",
              "jobs": "jobs", "model": "model", "no-model": "no_model"}
_ADDING = {"sources": "sources", "allow-hosts": "allow_host"}


def _settings(args: argparse.Namespace) -> Settings:
    """Defaults, then the configuration file, then the command line."""
    from pathlib import Path

    from citelint import config

    from citelint import trust

    settings = config.Settings()
    try:
        if not args.isolated:
            # The user's own config first (the only file that may widen the network's reach),
            # then the checkout's (or --config's: CI points it into the checkout), then the
            # CI job's environment; the command line below wins over all.
            user = trust.user_config()
            if user is not None:
                config.load(user, settings, checkout=False)
            path = Path(args.config) if args.config else config.discover(".")
            if path is not None:
                config.load(path, settings)
        config.load_environment(settings)
    except config.ConfigError as exc:
        raise UsageError(str(exc)) from None
    for key, attr in _REPLACING.items():
        value = getattr(args, attr, None)
        if value is not None and value != [] and value is not False:
            settings.set(key, value, "command line")
    for key, attr in _ADDING.items():
        value = getattr(args, attr, None)
        if value:
            origin = "command line" if settings.origins[key] == "default" else f"{settings.origins[key]} + command line"
            settings.set(key, [*settings[key], *value], origin)
    return settings


def _show_config(settings: Settings, out: TextIO) -> int:
    import json

    from citelint import escape

    # Values come from files and the environment: control and bidi characters are made visible.
    out.write(f"# configuration file: {escape.path(str(settings.file)) if settings.file else '(none)'}\n")
    width = max(len(k) for k in settings.values)
    for key, value in settings.values.items():
        shown = escape.message(json.dumps(value, ensure_ascii=False)) if value is not None else "(unset)"
        out.write(f"{key:{width}} = {shown}  # {escape.message(settings.origins[key])}\n")
    return EXIT_OK


def _run(checker: Checker, args: argparse.Namespace, settings: Settings, sink: ReportSink, err: TextIO) -> int:
    """The run itself lives in citelint.pipeline: here only the options it needs are gathered."""
    from citelint.pipeline import Run, RunError, RunOptions

    options = RunOptions(tuple(args.paths), args.stdin_filename, args.quiet, args.baseline, args.write_baseline,
                         args.exit_zero)
    try:
        return Run(checker, settings, options, sink, err).execute()
    except RunError as exc:
        raise UsageError(str(exc)) from None


def _rules(out: TextIO) -> int:
    from citelint.rules import RULES

    rows = [(r.code, r.slug, r.severity.label, r.summary) for r in RULES]
    widths = [max(len(row[i]) for row in rows + [("code", "rule", "severity", "")]) for i in range(3)]
    out.write(f"{'code':{widths[0]}}  {'rule':{widths[1]}}  {'severity':{widths[2]}}  summary\n")
    for code, slug, severity, summary in rows:
        out.write(f"{code:{widths[0]}}  {slug:{widths[1]}}  {severity:{widths[2]}}  {summary}\n")
    return EXIT_OK


def _rule(name: str, out: TextIO, err: TextIO) -> int:
    from citelint.rules import find_rule

    rule = find_rule(name)
    if rule is None:
        print(f"citelint: error: unknown rule {name!r}; see 'citelint rules'", file=err)
        return EXIT_ERROR
    out.write(f"{rule.code} {rule.slug} (default severity: {rule.severity.label})\n\n{rule.doc}\n\n"
              f"Options: --select/--ignore {rule.code}; config severity = {{{rule.code} = \"warning\"}}; "
              f"<!-- citelint: disable-next-line {rule.code} --> for one finding.\n")
    return EXIT_OK


def _sources(query: str | None, files: list[str], out: TextIO) -> int:
    from citelint.registry import RegistryError, load_registry

    try:
        registry = load_registry(files)
    except RegistryError as exc:
        raise UsageError(str(exc)) from None
    if not query:
        entries = sorted(registry.entries.values(), key=lambda e: e.id)
        width = max(len(e.id) for e in entries)
        for e in entries:
            out.write(f"{e.id:{width}}  {e.name}  [{e.kind}, {e.status}]  {' '.join(e.domains)}\n")
        out.write(f"{len(entries)} sources\n")
        return EXIT_OK
    hits = registry.search(query)
    if not hits:
        out.write(f"{query!r} matches no source in the registry\n")
        return EXIT_FINDINGS
    if len(hits) > 1 and registry.lookup_name(query).all:
        out.write(f"{query!r} is ambiguous: it fits {len(hits)} sources\n")
    for e in hits:
        out.write(f"{e.id}: {e.name}\n")
        out.write(f"  kind: {e.kind}   status: {e.status}" + (f"   country: {e.country}" if e.country else "") + "\n")
        if e.aliases:
            out.write(f"  aliases: {', '.join(e.aliases)}\n")
        if e.weak_aliases:
            out.write(f"  also called (needs context): {', '.join(e.weak_aliases)}\n")
        out.write(f"  domains: {', '.join(e.domains) or '(none)'}\n  from: {e.origin}\n")
    return EXIT_OK
