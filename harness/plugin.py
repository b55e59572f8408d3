"""pytest plugin: hooks and options only.

``pytest suites --dbcompat-cell postgres15-psycopg`` runs the behaviour suites
as one cell and writes ``reports/results/<cell>.json``. Without
``--dbcompat-cell`` the plugin does nothing, so it is harmless in other projects.
Django is imported only once a cell is chosen.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.metadata
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from harness.checks import (
    BUILTIN,
    SUITES,
    CheckEnd,
    NotApplicable,
    check_id_of,
    error_text,
    judge,
    looks_like_lost_connection,
    module_of,
    watchdog,
)
from harness.errors import ERROR_PREFIX, DbcompatError, raise_keyboard_interrupt
from harness.fixtures import (  # noqa: F401  (fixtures)
    backend,
    check,
    configured_connection,
    connection,
    pooler_console,
    pooling,
    raw_table,
    tables,
)
from harness.results import CheckResult, Outcome, check_as_json, check_from_json

if TYPE_CHECKING:
    from harness.claims import ClaimsTable

_RECORD = "dbcompat"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dbcompat", "dbcompat: observe Django's database layer")
    group.addoption(
        "--dbcompat-cell",
        metavar="CELL",
        help="run the suites as this cell, e.g. postgres15-psycopg-django52 or a tox env name",
    )
    group.addoption("--dbcompat-matrix", metavar="PATH", help="matrix file (default: the project's matrix.yaml)")
    group.addoption("--dbcompat-job", metavar="PATH", help="the cell's job, as 'dbcompat run' writes it for the cell")
    group.addoption(
        "--dbcompat-results", metavar="DIR", help="where to write the cell's JSON (default: reports/results)"
    )
    group.addoption(
        "--dbcompat-check-timeout",
        metavar="SECONDS",
        type=float,
        default=None,
        help="cancel a check's statement after this long; the check ends as a harness error "
        "(default: DBCOMPAT_CHECK_TIMEOUT, else 60)",
    )
    group.addoption(
        "--dbcompat-suite",
        metavar="PATH",
        action="append",
        default=[],
        help="also run the checks of this suite (a package of yours; dbcompat init-suite writes one); repeatable",
    )
    group.addoption(
        "--dbcompat-no-builtin",
        action="store_true",
        help="run only the --dbcompat-suite suites, not the built-in ones",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "check(id): a behaviour check with a stable id ('behaviour.what')")
    name, job_path = config.getoption("dbcompat_cell"), config.getoption("dbcompat_job")
    if not name and not job_path:
        return
    from harness.cells.job import CellJob
    from harness.cells.session import CellSession, Probe, worker_id
    from harness.errors import DbcompatError

    workerinput = getattr(config, "workerinput", None)
    pool = None
    try:
        if job_path or workerinput is not None:
            # Handed over by the runner, or by this run's xdist controller: the server is provided.
            job = CellJob.read(Path(job_path if workerinput is None else workerinput["dbcompat_job"]))
        else:
            job, pool = _job_here(config, name)
        claims = _claims(job.suites)
    except DbcompatError as exc:
        raise pytest.UsageError(str(exc)) from None
    _collect_suites(config, job)
    # SIGTERM (the runner stopping a cell) unwinds like Ctrl-C, so the throwaway database is dropped.
    signal.signal(signal.SIGTERM, raise_keyboard_interrupt)
    session = CellSession(job, worker=worker_id())
    if workerinput is not None:
        session.adopt(Probe(**workerinput["dbcompat_probe"]))
        session.open(probe_first=False)
        config.pluginmanager.register(CellPlugin(config, session, writes=False, claims=claims), "dbcompat-cell")
        return
    if _xdist_controller(config):
        # The controller runs no checks: it probes the server once and hands it and the job to the workers.
        handed = job.write(Path(tempfile.mkdtemp(prefix="dbcompat_job_")) / "job.json")
        config.pluginmanager.register(_XdistController(session.probe(), handed), "dbcompat-xdist")
    else:
        session.open()
    config.pluginmanager.register(CellPlugin(config, session, writes=True, claims=claims, pool=pool), "dbcompat-cell")


def _job_here(config: pytest.Config, name: str) -> tuple[Any, Any]:
    """A plain ``pytest --dbcompat-cell``: the cell from the matrix, the server provided in this process."""
    from harness.cells.job import job_from_environment
    from harness.matrix import DEFAULT_MATRIX, load_matrix
    from harness.user_suites import load_suites
    from harness.versions import parse_version

    suites = load_suites([Path(path) for path in config.getoption("dbcompat_suite")])
    builtin = not config.getoption("dbcompat_no_builtin")
    if not builtin and not suites:
        from harness.errors import UsageError

        raise UsageError("--dbcompat-no-builtin leaves no checks to run: give a suite with --dbcompat-suite PATH")

    matrix_path = config.getoption("dbcompat_matrix") or _default_matrix(config.rootpath, DEFAULT_MATRIX)
    matrix = load_matrix(matrix_path)
    cell = matrix.cell(name, installed_django=parse_version(importlib.metadata.version("Django")))
    results = config.getoption("dbcompat_results") or config.rootpath / "reports" / "results"
    timeout = config.getoption("dbcompat_check_timeout")
    return job_from_environment(cell, os.environ, Path(results), timeout, suites, builtin)


def _claims(suites: Any) -> ClaimsTable:
    """The claims table the cell judges by: the built-in claims, and a user's suites' (namespaced)."""
    from harness.claims import CLAIMS
    from harness.user_suites import suite_claims

    if not suites:
        return CLAIMS
    claims, explanations = suite_claims(suites)
    return CLAIMS.extended(claims, explanations)


def _collect_suites(config: pytest.Config, job: Any) -> None:
    """Have pytest collect the job's suites (a tox or pytest run names them by option only), and namespace
    their check ids."""
    given = {Path(arg.split("::", 1)[0]).resolve() for arg in config.args}
    for suite in job.suites:
        if Path(suite.path) not in given:
            config.args.append(suite.path)
    config.stash[SUITES] = tuple(job.suites)
    config.stash[BUILTIN] = job.builtin


class _XdistController:
    def __init__(self, probe: Any, job: Path) -> None:
        self.probe = probe
        self.job = job

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput["dbcompat_probe"] = dataclasses.asdict(self.probe)
        node.workerinput["dbcompat_job"] = str(self.job)

    def pytest_unconfigure(self) -> None:
        shutil.rmtree(self.job.parent, ignore_errors=True)


def _xdist_controller(config: pytest.Config) -> bool:
    # The same test pytest-xdist makes before it starts workers.
    dist = getattr(config.option, "dist", "no")
    return bool(dist != "no" and not config.getoption("collectonly"))


def _default_matrix(rootpath: Path, packaged: Path) -> Path:
    local = rootpath / "matrix.yaml"
    return local if local.exists() else packaged


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    cell = config.getoption("dbcompat_cell") or config.getoption("dbcompat_job")
    if not cell and any(item.get_closest_marker("check") for item in items):
        raise pytest.UsageError("the behaviour suites need a cell: pass --dbcompat-cell (see 'dbcompat list')")
    if not config.stash.get(BUILTIN, True):
        # Without the built-in suites: only the checks of a user's suites run (tox always names the built-in).
        from harness.user_suites import suite_of

        suites = config.stash.get(SUITES, ())
        builtin = [item for item in items if suite_of(module_of(item) or "", suites) is None]
        if builtin:
            config.hook.pytest_deselected(items=builtin)
            items[:] = [item for item in items if item not in builtin]


class CellPlugin:
    """The hooks of one cell's run; ``writes`` in the process that writes the results file."""

    def __init__(
        self, config: pytest.Config, session: Any, writes: bool, claims: ClaimsTable, pool: Any = None
    ) -> None:
        self.config = config
        self.session = session
        self.writes = writes
        self.claims = claims
        self.pool = pool  # servers this process provided itself (a plain pytest run), stopped at the end
        self.written: Path | None = None

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        outcome = self.session.skip_outcome()
        if item.get_closest_marker("check") and outcome is not None:
            pytest.skip(f"{outcome.value}: {self.session.reason}")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, Any, Any]:
        """Bound every check: past the limit its statement is cancelled and the check ends."""
        if item.get_closest_marker("check") is None:
            return (yield)
        with self._bounded(item, "call"):
            try:
                return (yield)
            except NotApplicable as exc:
                # Ended as a skip: pytest formats no traceback for it (a failure's costs tens of milliseconds, and
                # a cell has a score of checks that do not apply); its record is made from the reason.
                item.dbcompat_not_applicable = exc  # type: ignore[attr-defined]
                raise pytest.skip.Exception(str(exc)) from None

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
        """Bound a check's cleanup (dropping its tables may wait on another session's lock) the same way."""
        if item.get_closest_marker("check") is None or self.session.skip_outcome() is not None:
            return (yield)  # a cell that did not run its checks has nothing to clean up, nor Django set up
        with self._bounded(item, "teardown"):
            return (yield)

    @contextlib.contextmanager
    def _bounded(self, item: pytest.Item, phase: str) -> Iterator[None]:
        from django.db import connections

        from harness.backends import backend_for

        limit = self.session.job.check_timeout
        wrapper = connections["default"]  # this thread's connection, the one the check uses
        vendor = backend_for(self.session.reported_vendor())

        def cancel() -> None:
            with contextlib.suppress(Exception):
                vendor.cancel(wrapper)

        def abandon() -> None:
            with contextlib.suppress(Exception):
                vendor.abandon(wrapper)

        grace = min(limit, self.session.job.connect_timeout)
        with watchdog(limit, cancel, abandon, grace) as dog:
            try:
                yield
            finally:
                if dog.fired is not None:
                    item.dbcompat_timed_out = (phase, dog.fired)  # type: ignore[attr-defined]
                item.dbcompat_abandoned = dog.abandoned or getattr(item, "dbcompat_abandoned", False)  # type: ignore[attr-defined]

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
        report: pytest.TestReport = yield
        if item.get_closest_marker("check") is None:
            return report
        # A cleanup that timed out is reported even when its retry then passed: it waited on something.
        cleanup_timed_out = report.when == "teardown" and _timed_out(item, "teardown") is not None
        if report.when == "call" or (report.when in ("setup", "teardown") and not report.passed) or cleanup_timed_out:
            record = self._record(item, call, report)
            # Under pytest-xdist the record travels to the controller, as plain JSON values; in the process that
            # writes the results it stays as it is.
            report.user_properties.append((_RECORD, record if self.writes else check_as_json(record)))
            if record.outcome is Outcome.NOT_APPLICABLE:
                report.outcome = "skipped"
                report.longrepr = (str(item.path), item.location[1] or 0, f"not applicable: {record.reason}")
            elif record.outcome is Outcome.HARNESS_ERROR and report.passed:
                # A check that ends without an observation is a bug in the check.
                report.outcome = "failed"
                report.longrepr = f"harness error: {record.error}"
        return report

    def _record(self, item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport) -> CheckResult:
        from harness.redaction import redact

        session = self.session
        skip = session.skip_outcome()
        end = CheckEnd(
            check_id=check_id_of(item),
            duration=report.duration,
            recorder=getattr(item, "dbcompat_recorder", None),
            raised=_raised(item, call, report),
            phase=report.when,
            timed_out=_timed_out(item, report.when),
            skip=(skip, session.reason) if skip is not None else None,
        )
        if end.skip is None and end.timed_out is None and looks_like_lost_connection(end):
            # A connection error, raised or observed, may be the server going away: then it is no finding.
            lost = session.server_lost(end.check_id, redact(error_text(end), session.secrets))
            end = dataclasses.replace(end, lost=lost)
        elif end.skip is None and (
            getattr(item, "dbcompat_abandoned", False)
            or (end.timed_out is not None and looks_like_lost_connection(end))
        ):
            # Not even the cancel was answered (or the driver's own read timeout ended the wait first): a server
            # that stopped answering ends the cell here, so that the checks after this one do not each wait out
            # the timeout; the finished ones are kept. A server that still answers the probe ends nothing.
            why = f"the check did not finish within {end.timed_out:g}s and the server did not answer its cancel"
            lost = session.server_lost(end.check_id, why)
            end = dataclasses.replace(end, lost=lost) if lost is not None else end
        return judge(end, self.claims, session.target, session.secrets)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == _RECORD and isinstance(value, CheckResult | dict):
                self.session.record(report.nodeid, value if isinstance(value, CheckResult) else check_from_json(value))
                self._progress()

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(self, collector: pytest.Collector) -> Generator[None, Any, Any]:
        report: pytest.CollectReport = yield
        if report.failed:
            # pytest then runs no check at all: the cell says which module, and what it raised.
            lines = report.longreprtext.strip().splitlines()
            errors = [line[1:].strip() for line in lines if line.startswith("E ")]
            self.session.collection_failed(str(collector.path), (errors or lines or ["(no message)"])[-1])
        return report

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.total = sum(1 for item in session.items if item.get_closest_marker("check"))
        self._progress()

    def _progress(self) -> None:
        """ "done total" for a runner's live display, when it asked for it."""
        target = self.session.job.progress
        if target and self.writes:
            with contextlib.suppress(OSError):
                target.write_text(f"{len(self.session.records)} {getattr(self, 'total', 0)}")

    # Last: after pytest has torn down the fixtures still set up (an interrupted check's tables).
    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if exitstatus == pytest.ExitCode.INTERRUPTED:
            self.session.interrupted()
        try:
            self.session.close()
        finally:
            if self.pool is not None:
                self.pool.stop_all()
            if self.writes:
                try:
                    self.written = self.session.write(self.session.job.results_dir)
                except DbcompatError as exc:
                    # One line the runner reads back as the cell's reason (a full disk, say); no traceback.
                    sys.stderr.write(f"{ERROR_PREFIX}{exc}\n")
                    self.writes = False

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.writes:
            return
        result = self.session.result()
        write = terminalreporter.write_line
        terminalreporter.section(f"dbcompat: {result.cell}")
        server = result.server
        write(f"status: {result.status.value}" + (f" ({result.reason})" if result.reason else ""))
        write(f"server: {server.version_reported or '(no version read)'} via {server.provider}: {server.origin}")
        if server.version_mismatch:
            write(f"WARNING: {server.version_mismatch}", yellow=True, bold=True)
        write(
            f"Django {result.django_version}, {result.driver.name} {result.driver.version}, "
            f"Python {result.python_version}"
        )
        counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(result.counts().items()))
        write(f"checks: {counts or 'none'}")
        # When the whole cell could not run, its status line above says why, once.
        for found in result.checks if result.status.value == "ran" else ():
            if found.outcome in (Outcome.DIFFERS, Outcome.HARNESS_ERROR):
                detail = (
                    f"observed {found.observed!r}, docs say {found.expected!r}"
                    if found.outcome is Outcome.DIFFERS
                    else found.error or found.reason
                )
                write(
                    f"  {found.outcome.value}: {found.id}: {detail}",
                    red=found.outcome is Outcome.HARNESS_ERROR,
                )
        if self.written is not None:
            write(f"results: {self.written}")


def _raised(item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport) -> BaseException | None:
    """What the phase raised: a check that found it does not apply ended its call as a skip, keeping the reason."""
    if report.when == "call" and hasattr(item, "dbcompat_not_applicable"):
        found: BaseException = item.dbcompat_not_applicable
        return found
    return call.excinfo.value if call.excinfo is not None else None


def _timed_out(item: pytest.Item, phase: str) -> float | None:
    """The limit the watchdog fired at during this phase of the check (call or teardown), if it fired then."""
    fired = getattr(item, "dbcompat_timed_out", None)
    return fired[1] if fired is not None and fired[0] == phase else None
