"""One run of ``citelint check``: load → extract → resolve → verify → rules → report.

The command line parses options and builds a :class:`Run`; everything from discovering the
files to the exit status happens here, the same way whether files are checked in this
process or in worker processes (``--jobs``, see :mod:`citelint.jobs`):

1. *discover*: named files and lazily walked directories, in a stable order;
2. *load, extract, resolve* one file at a time (:class:`FileChecker`, the part worker
   processes do; offline, it runs the rules of step 4 too);
3. *verify*: with ``--verify`` the prepared files are gathered in batches so each batch's
   URLs are fetched together (each distinct URL once per run), always in this process; a
   file's URLs are on their way as soon as it is prepared, while the batch's next files are;
4. *rules* and suppressions, then baseline filtering;
5. *report*: each file's result streams to the report writer in discovery order, and the
   totals decide the exit status.
"""
from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from citelint.model import Attribution, InputError, Severity

if TYPE_CHECKING:
    from citelint.baseline import Baseline
    from citelint.check import Checker, FileResult, Prepared
    from citelint.config import Settings
    from citelint.report import Totals, Writer
    from citelint.sink import ReportSink
    from citelint.verify.settings import FetchSettings
    from citelint.verify.model import Verification
    from citelint.verify.progress import ProgressVerifier

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3
VERIFY_BATCH = 200  # documents whose URLs are fetched together: concurrency vs. memory


class RunError(Exception):
    """A run that cannot start or finish as asked (a bad baseline, an unusable cache): exit 2."""


@dataclass(frozen=True)
class RunOptions:
    """What the command line asks of one run besides the settings."""

    paths: tuple[str, ...] = ()
    stdin_filename: str | None = None
    quiet: bool = False
    baseline: str | None = None
    write_baseline: str | None = None
    exit_zero: bool = False


@dataclass
class Outcome:
    """What became of one input before verification: the checked results (offline), or the
    prepared document waiting for its URLs (``--verify``), and the problems on the way."""

    display: str
    errors: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    prepared: Prepared | None = None
    results: list[FileResult] | None = None
    internal: bool = False


def internal_error(display: str, exc: BaseException) -> InputError:
    return InputError(display, f"internal error while checking: {type(exc).__name__}: {exc} (please report this)")


@dataclass(frozen=True)
class FileChecker:
    """Load, extract and resolve one input — and, when nothing is to be fetched, run the rules.

    Picklable: worker processes (``--jobs``) get a copy and call it on the paths, or stdin's
    bytes, the parent sends.

    """

    checker: Checker
    whole_page: bool = False
    stdin_filename: str | None = None
    rules_too: bool = True  # False with --verify: rules wait for the fetched pages

    def display(self, item: str) -> str:
        from citelint.load.walk import display_path

        if item != "-":
            return item
        return display_path(self.stdin_filename) if self.stdin_filename else "-"

    def __call__(self, item: str, stdin: bytes | None = None) -> Outcome:
        from citelint.extract import NotProse
        from citelint.guard import OverBudget, budget_for, time_budget
        from citelint.load import LoadError, load_bytes, load_path
        from citelint.memory import for_big_file

        display = self.display(item)
        size = len(stdin or b"") if item == "-" else _size(item)
        for_big_file(size)
        try:
            if item == "-":  # stdin was read before the clock starts: a person typing is not a hang
                sidecar_dir = os.path.dirname(self.stdin_filename) if self.stdin_filename else None
                loaded = load_bytes(stdin or b"", display, sidecar_dir=sidecar_dir, whole_page=self.whole_page)
            else:
                loaded = None
            with time_budget(budget_for(len(loaded.document.text) if loaded else size)):
                loaded = loaded or load_path(item, whole_page=self.whole_page)
                prepared = self.checker.prepare(loaded.document)
        except (LoadError, NotProse, OverBudget) as exc:
            return Outcome(display, [InputError(display, exc.message)])
        except Exception as exc:  # noqa: BLE001 - one bad file must not lose the others
            return Outcome(display, [internal_error(display, exc)], internal=True)
        outcome = Outcome(display, [*loaded.problems, *self.checker.sidecar_problems(loaded.document)],
                          list(loaded.notes), prepared)
        if self.rules_too:
            finish(self.checker, outcome, {})
        return outcome


def finish(checker: Checker, outcome: Outcome, verifications: dict[str, Verification]) -> None:
    """The rules, on a prepared document and its verifications: ``outcome.results``."""
    from citelint.guard import OverBudget, budget_for, time_budget

    prepared = outcome.prepared
    assert prepared is not None
    outcome.prepared = None
    try:
        with time_budget(budget_for(len(prepared.document.text))):
            outcome.results = checker.check(prepared.document, prepared, verifications)
    except OverBudget as exc:
        outcome.errors.append(InputError(outcome.display, exc.message))
    except Exception as exc:  # noqa: BLE001 - one bad file must not lose the others
        outcome.errors.append(internal_error(outcome.display, exc))
        outcome.internal = True


class Run:
    """One ``citelint check`` run over its inputs, to one report; :meth:`execute` returns the exit status."""

    def __init__(self, checker: Checker, settings: Settings, options: RunOptions, sink: ReportSink | TextIO,
                 err: TextIO) -> None:
        """``sink``: a ReportSink, published only when the report is complete, or a plain stream."""
        self.checker = checker
        self.settings = settings
        self.options = options
        self.sink = sink
        self.err = err
        self.internal = False
        self.recorded: list[FileResult] = []  # only with --write-baseline
        self.cache_warned: str | None = None  # the page cache's problem, once said

    # -- the stages, in order ------------------------------------------------------------

    def execute(self) -> int:
        from citelint import invocation
        from citelint.load import discover
        from citelint.load.walk import FileSelection
        from citelint.report import ReportOptions, Totals, writer
        from citelint.sink import ReportSink

        settings, options = self.settings, self.options
        # Checking makes many short-lived objects and almost no reference cycles: collecting
        # less often saves about a tenth of the run time (measured with bench/throughput).
        gc.set_threshold(100_000, 50, 50)
        gc.freeze()  # the registry and lexicon live for the whole run: never scan them again
        totals = Totals()
        sink = self.sink if isinstance(self.sink, ReportSink) else None
        out: TextIO = sink.stream if sink is not None else self.sink  # type: ignore[assignment]
        # Colour only for a terminal: the report's real destination, not the spool holding it.
        target = sink.stdout if sink is not None and not sink.path else out
        report = writer(settings["format"], out, ReportOptions(
            colour=invocation.colour(settings["color"], target), show_source=settings["show-source"],
            statistics=settings["statistics"], whole_page=settings["whole-page"]))
        baseline = _baseline(options.baseline) if options.baseline else None
        verifier = self._verifier() if settings["verify"] or settings["offline"] else None
        files = FileSelection(include=tuple(settings["include"]), exclude=settings.excluded,
                              force_exclude=settings["force-exclude"], base=settings.base)
        inputs = invocation.inputs(list(options.paths), options.stdin_filename, options.quiet, files, self.err)
        file_checker = FileChecker(self.checker, settings["whole-page"], options.stdin_filename, rules_too=verifier is None)
        try:
            outcomes = self.prepare(file_checker, discover(inputs, files))
            for outcome in self.verify(outcomes, verifier):
                self.report(outcome, totals, report, baseline)
        finally:
            if verifier is not None:
                verifier.close()
                verifier.progress_done()
                self.warn_cache(verifier)  # writes given up at the end
        report.finish(totals)
        totals.errors.close()
        if sink is not None:
            sink.commit()
        return self.conclude(inputs, totals)

    def prepare(self, file_checker: FileChecker, items: Iterable[str | InputError]) -> Iterator[Outcome]:
        """Load, extract and resolve each input in discovery order (in worker processes with
        ``--jobs``); a path that cannot even be discovered is an input error right away."""
        jobs = resolve_jobs(self.settings["jobs"])
        if jobs > 1:
            from citelint.jobs import in_workers

            yield from in_workers(file_checker, items, jobs)
            return
        for item in items:
            if isinstance(item, InputError):
                yield Outcome(item.path, [item])
                continue
            if item != "-":
                yield file_checker(item)
                continue
            stdin = read_stdin(file_checker)
            yield stdin if isinstance(stdin, Outcome) else file_checker(item, stdin)

    def verify(self, outcomes: Iterable[Outcome], verifier: ProgressVerifier | None) -> Iterator[Outcome]:
        """With a verifier, fetch each batch's URLs together, then run the rules; otherwise pass
        through. A batch's first pages are fetched while its later documents are prepared."""
        if verifier is None:
            yield from outcomes
            return
        from citelint.verify.cachedir import CacheError

        pending = iter(outcomes)
        while True:
            batch: list[Outcome] = []

            def documents() -> Iterator[tuple[tuple[Attribution, ...], str | None]]:
                for outcome in pending:
                    batch.append(outcome)
                    if outcome.prepared is not None:
                        yield outcome.prepared.resolution.attributions, outcome.prepared.document.published
                    if len(batch) >= VERIFY_BATCH:
                        return

            try:
                verified = iter(verifier.verify_documents(documents()))
            except CacheError as exc:  # the HTTP cache is opened when the first page must be fetched
                raise RunError(str(exc)) from None
            if not batch:
                return
            verifier.progress_done()  # clear the progress line before this batch's findings are printed
            self.warn_cache(verifier)
            for outcome in batch:
                if outcome.prepared is not None:
                    finish(self.checker, outcome, next(verified))
                yield outcome

    def warn_cache(self, verifier: ProgressVerifier) -> None:
        """Say the page cache's problem (damaged and moved aside, or not written) once."""
        problem = verifier.cache_problem
        if problem is not None and problem != self.cache_warned and not self.options.quiet:
            print(f"citelint: warning: {problem}", file=self.err)
            self.cache_warned = problem

    def report(self, outcome: Outcome, totals: Totals, report: Writer, baseline: Baseline | None) -> None:
        from citelint.check import FileResult

        totals.errors.extend(outcome.errors)
        self.internal |= outcome.internal
        if not self.options.quiet:
            for note in outcome.notes:
                print(f"citelint: note: {outcome.display}: {note}", file=self.err)
        for result in outcome.results or ():
            if baseline is not None:
                result, hidden = baseline.filter(result)
                totals.baselined += hidden
            if self.options.write_baseline:
                self.recorded.append(FileResult(result.path, (), result.findings, result.is_article))
            totals.add(result)
            report.file(result)

    def conclude(self, inputs: list[str], totals: Totals) -> int:
        """The summary on stderr, the baseline written, and the exit status."""
        from citelint.report import summary_line

        options = self.options
        if not options.quiet:
            if inputs and not totals.articles and not totals.errors:  # like ruff's "No Python files found"
                print(f"citelint: warning: no articles found in {' '.join(inputs)}; a directory walk reads "
                      f"{', '.join(self.settings['include'])} (see --include) and skips ignored files", file=self.err)
            print(summary_line(totals), file=self.err)
        if options.write_baseline:
            from citelint.baseline import Baseline, BaselineError

            accepted = Baseline.from_results(self.recorded)
            try:
                accepted.write(options.write_baseline)
            except (BaselineError, OSError) as exc:
                raise RunError(f"cannot write baseline {options.write_baseline}: {exc}") from None
            if not options.quiet:
                n = len(accepted)
                print(f"wrote {n} finding{'s' if n != 1 else ''} to the baseline {options.write_baseline}", file=self.err)
            return EXIT_ERROR if totals.errors or self.internal else EXIT_OK
        if self.internal:
            return EXIT_INTERNAL
        if totals.errors:
            return EXIT_ERROR
        threshold = Severity.parse(self.settings["fail-on"])
        failing = any(totals.counts[s] for s in Severity if s >= threshold)
        return EXIT_FINDINGS if failing and not options.exit_zero else EXIT_OK

    def _verifier(self) -> ProgressVerifier:
        from citelint.verify.cachedir import CacheError
        from citelint.verify.progress import ProgressVerifier

        settings = self.settings
        fetch = fetch_settings(settings)
        show = not self.options.quiet and self.err.isatty()
        try:
            archive = settings["archive-url"] if settings["archive"] else None
            verifier = ProgressVerifier(fetch, self.checker.registry, self.err if show else None, archive)
        except CacheError as exc:
            raise RunError(str(exc)) from None
        return verifier


def fetch_settings(settings: Settings) -> FetchSettings:
    """How cited pages are fetched, as the settings say (check --verify and audit --verify)."""
    from citelint.verify.settings import FetchSettings

    return FetchSettings(
        timeout=settings["timeout"],
        max_concurrency=settings["max-concurrency"],
        per_host=settings["per-host"],
        allow_hosts=frozenset(h.lower() for h in settings["allow-hosts"]),
        cache_dir=settings["cache-dir"],
        offline=settings["offline"],
        budget=settings["verify-budget"],
        min_interval=settings["host-interval"],
        **({"user_agent": settings["user-agent"]} if settings["user-agent"] else {}),
    )


def read_stdin(file_checker: FileChecker) -> bytes | Outcome:
    """stdin's bytes (read in this process, also with --jobs), or the input error saying it is too big."""
    import sys

    from citelint.load import DEFAULT_MAX_BYTES

    data = sys.stdin.buffer.read(DEFAULT_MAX_BYTES + 1)
    if len(data) > DEFAULT_MAX_BYTES:  # the words of load.load_stdin
        display = file_checker.display("-")
        return Outcome(display, [InputError(display, f"stdin holds more than the {DEFAULT_MAX_BYTES // (1024 * 1024)} MB limit of an article")])
    return data


def _size(path: str) -> int:
    """Bytes to budget time for: the file's size (0 if it cannot be seen: the load says why)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def resolve_jobs(jobs: int) -> int:
    """``jobs`` as configured: 0 means one per core this process may use."""
    if jobs > 0:
        return jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _baseline(path: str) -> Baseline:
    from citelint.baseline import Baseline, BaselineError

    try:
        return Baseline.load(path)
    except BaselineError as exc:
        raise RunError(str(exc)) from None

