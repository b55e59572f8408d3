"""Running cells: each in its own environment, servers provided once per run.

The runner provides every server the selected cells need once, builds (or
reuses) each cell's environment, runs the behaviour suites there as a pytest
subprocess, and reads back the result file the cell wrote. A cell it cannot
start still gets a result file saying why.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from harness import __version__
from harness.cells.job import CellJob
from harness.cells.job import check_timeout as job_check_timeout
from harness.cells.job import connect_timeout as job_connect_timeout
from harness.envs import PROJECT_ROOT, ensure_env, plan_env, stop_builds
from harness.errors import (
    ERROR_PREFIX,
    DbcompatError,
)
from harness.matrix import Cell, Matrix, Server
from harness.progress import Reporter, RunSummary
from harness.redaction import redact
from harness.results import (
    CellResult,
    CellStatus,
    DiskFull,
    DriverInfo,
    ResultError,
    load_result,
    write_result,
)
from harness.servers import ProvidedServer, ServerPool, server_info
from harness.servers.throwaway import RUN_TOKEN_VARIABLE, new_token
from harness.user_suites import Suite

# Where a cell's pytest writes "done total" after each check, for the live display.
# Seconds a cell waits for its server to be settled before building its environment meanwhile:
# a URL or a missing Docker engine settles at once, a container start takes longer.
SERVER_SETTLES = 1.0
# A cell's whole run, environment build excluded; a hung cell ends as a harness error.
CELL_TIMEOUT = 900
# pytest's exit codes for a session that ran to its end: all passed, or some tests failed
# (a harness error in a check, which the results file records).
_PYTEST_FINISHED = (0, 1)


def default_jobs() -> int:
    """One cell more than the cores this process may use.

    A cell's process spends about half its wall time waiting for its server (a warm PostgreSQL
    cell: 0.85 s of CPU in 1.6 s), whose work takes the cores meanwhile; one cell more than the
    cores fills what is left idle (start-up, lock waits). On 2 cores the local matrix took 15-20%
    less time with 3 cells at a time than with 2 (benchmarks/matrix_time.py --jobs N).
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        cores = os.cpu_count() or 1
    return max(1, cores) + 1


def _hurry_on_signals(hurry: threading.Event) -> Callable[[], None]:
    """Make SIGINT and SIGTERM set ``hurry`` instead of raising; returns what puts the handlers back.

    Only the main thread can set handlers; elsewhere (a run started from a thread) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    for number in previous:
        signal.signal(number, lambda *_: hurry.set())

    def restore() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)

    return restore


def interleaved_by_server(cells: Sequence[Cell]) -> list[tuple[int, Cell]]:
    """The cells, numbered as given, in the order to start them: one server after another in turn.

    Cells of one server run alike and reach their waits (lock timeouts, a server closing a session)
    together; started in turn with other servers' cells, some of them always keep the cores busy.
    """
    queues: dict[str, list[tuple[int, Cell]]] = {}
    for number, cell in enumerate(cells):
        queues.setdefault(cell.server.id, []).append((number, cell))
    order: list[tuple[int, Cell]] = []
    while queues:
        for server in list(queues):
            order.append(queues[server].pop(0))
            if not queues[server]:
                del queues[server]
    return order


def run_cells(
    matrix: Matrix,
    cells: Sequence[Cell],
    results_dir: Path,
    environ: Mapping[str, str] | None = None,
    say: Callable[[str], None] = print,
    root: Path = PROJECT_ROOT,
    jobs: int = 1,
    reporter: Reporter | None = None,
    keep_servers: Path | None = None,
    check_timeout: float | None = None,
    suites: Sequence[Suite] = (),
    builtin: bool = True,
) -> RunSummary:
    """Run the cells, ``jobs`` at a time; on Ctrl-C stop what runs and keep what finished.

    ``keep_servers``: a file where started containers are recorded and left running, and from
    which containers kept by an earlier run are reused. ``suites``: a user's suites, run in every
    cell beside the built-in ones, or instead of them when ``builtin`` is false.
    """
    environ = dict(os.environ if environ is None else environ)
    runner = _Runner(matrix, results_dir, environ, root, keep_servers, check_timeout, tuple(suites), builtin)
    return runner.run(cells, max(1, jobs), reporter or Reporter(say))


class _Runner:
    def __init__(
        self,
        matrix: Matrix,
        results_dir: Path,
        environ: dict[str, str],
        root: Path,
        keep: Path | None,
        check_timeout: float | None,
        suites: tuple[Suite, ...] = (),
        builtin: bool = True,
    ) -> None:
        self.matrix = matrix
        self.suites = suites
        self.builtin = builtin
        # Absolute: each cell's pytest runs in the project's folder, whatever folder the run was started from.
        self.results_dir = results_dir.absolute()
        self.environ = environ
        self.root = root
        self.pool = ServerPool(environ, keep)
        # Every cell's throwaway databases carry the run's token and the cell's number, so cells
        # running at once never share a name and a run's leftovers can be found.
        self.token = (environ.get(RUN_TOKEN_VARIABLE) or new_token())[:8]
        self.check_timeout = check_timeout if check_timeout is not None else job_check_timeout(environ)
        self.connect_timeout = job_connect_timeout(environ)
        self.stopping = threading.Event()
        self.hurry = threading.Event()  # a second signal came while stopping
        self._children: set[subprocess.Popen[str]] = set()
        self._lock = threading.Lock()
        self.progress_dir = self.results_dir / ".progress"

    def run(self, cells: Sequence[Cell], jobs: int, reporter: Reporter) -> RunSummary:
        results: dict[str, CellResult] = {}
        interrupted = False
        self.results_dir.mkdir(parents=True, exist_ok=True)
        self.progress_dir.mkdir(exist_ok=True)
        reporter.start(cells, self.progress_dir)
        servers = {cell.server.id: cell.server for cell in cells}
        # Servers start on threads of their own, all at once, while the cells' environments build.
        executor = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="dbcompat-cell")
        try:
            for server in servers.values():
                self.pool.begin(server)
            futures = {
                executor.submit(self._run_one, cell, number, reporter): cell
                for number, cell in interleaved_by_server(cells)
            }
            for future in as_completed(futures):
                cell = futures[future]
                result, seconds = future.result()
                if result is not None:
                    results[cell.id] = result
                    reporter.done(cell, result, seconds)
        except KeyboardInterrupt:
            interrupted = True
            # From here a second Ctrl-C or SIGTERM (``timeout`` sends two) only hurries the stop: the
            # finished results stay, the report is still rendered, and no child outlives the run. The
            # handlers stay so after the run returns: a second signal may still be on its way.
            _hurry_on_signals(self.hurry)
            self.stopping.set()
            self.pool.abort()
            stop_builds()
            self._stop_children()
        finally:
            restore = _hurry_on_signals(self.hurry)
            try:
                executor.shutdown(wait=True, cancel_futures=True)
                self.pool.stop_all()
                reporter.stop()
                shutil.rmtree(self.progress_dir, ignore_errors=True)
            finally:
                if not interrupted:
                    restore()
        ordered = tuple(results[cell.id] for cell in cells if cell.id in results)
        return RunSummary(ordered, self.pool.starts, interrupted, len(cells))

    def _server_settled(self, server: Server) -> bool:
        """Whether the server is provided or known unavailable; a URL or a missing Docker engine is at once."""
        return self.pool.settled(server, SERVER_SETTLES)

    def _build(self, cell: Cell, reporter: Reporter) -> Path | DbcompatError:
        reporter.state(cell, "building")
        try:
            return ensure_env(plan_env(cell, self.root), self.environ, self.root)
        except DbcompatError as exc:
            return exc

    def _placeholder(
        self,
        cell: Cell,
        status: CellStatus,
        reason: str,
        provided: ProvidedServer | None,
        started_at: str,
        began: float,
    ) -> CellResult:
        """The result of one of this run's cells whose checks never ran."""
        return _placeholder(
            cell, status, reason, provided, self.results_dir, started_at, began, self.suites, self.builtin
        )

    def _stop_children(self) -> None:
        with self._lock:
            children = list(self._children)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
        for child in children:
            try:
                # A cell drops its throwaway database on SIGTERM; a second signal asks for no waiting.
                child.wait(timeout=0.5 if self.hurry.is_set() else 10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)

    def _run_one(self, cell: Cell, number: int, reporter: Reporter) -> tuple[CellResult | None, float]:
        began = time.monotonic()
        if self.stopping.is_set():
            return None, 0.0
        result = self._cell(cell, f"{self.token}{number:03x}", reporter, began)
        return result, time.monotonic() - began

    def _cell(self, cell: Cell, token: str, reporter: Reporter, began: float) -> CellResult | None:
        started_at = _now()
        results_dir = self.results_dir
        # While a container starts, the cell's environment builds; otherwise the server comes first,
        # so that no environment is built for a server that is not there.
        built = None if self._server_settled(cell.server) else self._build(cell, reporter)
        try:
            provided = self.pool.provide(cell.server)  # waits for a start under way
        except DbcompatError as exc:
            return self._placeholder(cell, CellStatus.UNAVAILABLE, str(exc), None, started_at, began)
        built = built or self._build(cell, reporter)
        if isinstance(built, DbcompatError):
            return self._placeholder(cell, CellStatus.HARNESS_ERROR, str(built), provided, started_at, began)
        python = built
        if self.stopping.is_set():
            return None

        # Everything the cell's process needs, in one file: it reads no matrix and parses no URL.
        job = CellJob(
            cell=cell,
            token=token,
            check_timeout=self.check_timeout,
            results_dir=results_dir,
            provided=provided,
            progress=self.progress_dir / cell.id,
            connect_timeout=self.connect_timeout,
            suites=self.suites,
            builtin=self.builtin,
        ).write(self.progress_dir / f"{cell.id}.job.json")
        child_environ = {k: v for k, v in self.environ.items() if k != "PYTEST_ADDOPTS"}
        command = [
            str(python),
            "-m",
            "pytest",
            *([str(self.root / "suites")] if self.builtin else []),
            *(suite.path for suite in self.suites),
            f"--dbcompat-job={job}",
            f"--rootdir={self.root}",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            # The project's own test options (its pytester plugin) are not the suites'.
            "-o",
            "addopts=",
            # Checks observe and never assert: rewriting their modules' asserts would be start-up time for nothing;
            # nor are they pytest's tests of objects nobody frees (its collection of them at the end takes 60 ms).
            "--assert=plain",
            "-p",
            "no:unraisableexception",
            "-q",
        ]
        target = results_dir / f"{cell.id}.json"
        target.unlink(missing_ok=True)
        reporter.state(cell, "running")
        # Its own session: Ctrl-C reaches the runner, which stops the cells itself.
        child = subprocess.Popen(
            command,
            cwd=self.root,
            env=child_environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        with self._lock:
            self._children.add(child)
        try:
            output, _ = child.communicate(timeout=CELL_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            reason = f"the cell did not finish within {CELL_TIMEOUT}s"
            return self._placeholder(cell, CellStatus.HARNESS_ERROR, reason, provided, started_at, began)
        finally:
            with self._lock:
                self._children.discard(child)
        if self.stopping.is_set():
            return None  # stopped on purpose: not a result
        tail = redact(" | ".join(output.strip().splitlines()[-5:]), provided.secrets)
        try:
            result = load_result(target)
        except ResultError:
            # The cell says why it could not write, in one line (a full disk); else its output's end is the clue.
            # (pytest's progress line may precede it on the same line, unended.)
            said = [line.split(ERROR_PREFIX, 1)[1] for line in output.splitlines() if ERROR_PREFIX in line]
            why = redact(said[-1], provided.secrets) if said else tail
            reason = f"the cell's pytest exited with {child.returncode} without writing results: {why}"
            return self._placeholder(cell, CellStatus.HARNESS_ERROR, reason, provided, started_at, began)
        if child.returncode not in _PYTEST_FINISHED and result.status is CellStatus.RAN:
            # pytest itself failed (an internal error, an interrupt) after the results were written.
            result = replace(
                result,
                status=CellStatus.HARNESS_ERROR,
                reason=f"the cell's pytest exited with {child.returncode}: {tail}",
            )
            _keep(results_dir, result, provided.secrets)
        return result


def _keep(results_dir: Path, result: CellResult, secrets: Sequence[str]) -> None:
    """Write a result the runner made; on a full disk it is kept in memory only, and the run goes on."""
    with contextlib.suppress(DiskFull):  # the report, or its own one-line error, says so
        write_result(results_dir, result, secrets)


def _placeholder(
    cell: Cell,
    status: CellStatus,
    reason: str,
    provided: ProvidedServer | None,
    results_dir: Path,
    started_at: str,
    began: float,
    suites: Sequence[Suite] = (),
    builtin: bool = True,
) -> CellResult:
    """The result of a cell whose checks never ran, written like any other."""
    result = CellResult(
        cell=cell.id,
        status=status,
        reason=redact(reason, provided.secrets if provided else ()),
        server=server_info(cell.server, provided),
        driver=DriverInfo(id=cell.driver.id, name=cell.driver.name, module=cell.driver.module),
        django_version=None,
        django_release=str(cell.django.version),
        python_version=platform.python_version(),
        harness_version=__version__,
        started_at=started_at,
        finished_at=_now(),
        duration=round(time.monotonic() - began, 3),
        suites=[suite.info() for suite in suites],
        builtin=builtin,
    )
    _keep(results_dir, result, provided.secrets if provided else ())
    return result


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
