"""Running cells: each in its own environment, servers provided once per run.

The runner provides every server the selected cells need once, builds (or
reuses) each cell's environment, runs the behaviour suites there as a pytest
subprocess, and reads back the result file the cell wrote. A cell it cannot
start still gets a result file saying why.
"""

from __future__ import annotations

import os
import platform
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from harness import __version__
from harness.envs import PROJECT_ROOT, ensure_env, plan_env
from harness.errors import (
    EXIT_FINDINGS,
    EXIT_HARNESS_ERROR,
    EXIT_OK,
    DbcompatError,
)
from harness.matrix import Cell, Matrix
from harness.results import (
    CellResult,
    CellStatus,
    DriverInfo,
    Outcome,
    ResultError,
    load_result,
    redact,
    write_result,
)
from harness.servers import ProvidedServer, ServerPool, server_info

# A cell's whole run, environment build excluded; a hung cell ends as a harness error.
CELL_TIMEOUT = 900
# pytest's exit codes for a session that ran to its end: all passed, or some tests failed
# (a harness error in a check, which the results file records).
_PYTEST_FINISHED = (0, 1)


@dataclass(frozen=True)
class RunSummary:
    results: tuple[CellResult, ...]
    server_starts: int

    @property
    def exit_status(self) -> int:
        outcomes = [check.outcome for result in self.results for check in result.checks]
        if any(r.status is CellStatus.HARNESS_ERROR for r in self.results) or Outcome.HARNESS_ERROR in outcomes:
            return EXIT_HARNESS_ERROR
        if Outcome.DIFFERS in outcomes:
            return EXIT_FINDINGS
        return EXIT_OK


def run_cells(
    matrix: Matrix,
    cells: Sequence[Cell],
    results_dir: Path,
    environ: Mapping[str, str] | None = None,
    say: Callable[[str], None] = print,
    root: Path = PROJECT_ROOT,
) -> RunSummary:
    environ = dict(os.environ if environ is None else environ)
    pool = ServerPool(environ)
    results: list[CellResult] = []
    try:
        for index, cell in enumerate(cells, 1):
            began = time.monotonic()
            result = _run_one(matrix, cell, results_dir, environ, pool, root)
            results.append(result)
            say(f"[{index}/{len(cells)}] {cell.id}: {_describe(result)} ({time.monotonic() - began:.1f}s)")
    finally:
        pool.stop_all()
    return RunSummary(tuple(results), pool.starts)


def _run_one(
    matrix: Matrix, cell: Cell, results_dir: Path, environ: dict[str, str], pool: ServerPool, root: Path
) -> CellResult:
    started_at = _now()
    began = time.monotonic()
    try:
        provided = pool.provide(cell.server)
    except DbcompatError as exc:
        return _placeholder(cell, CellStatus.UNAVAILABLE, str(exc), None, results_dir, started_at, began)
    try:
        python = ensure_env(plan_env(cell, root), environ, root)
    except DbcompatError as exc:
        return _placeholder(cell, CellStatus.HARNESS_ERROR, str(exc), provided, results_dir, started_at, began)

    child_environ = dict(environ)
    pool.child_environ(child_environ)
    child_environ.pop("PYTEST_ADDOPTS", None)
    command = [
        str(python),
        "-m",
        "pytest",
        str(root / "suites"),
        f"--dbcompat-cell={cell.id}",
        f"--dbcompat-matrix={matrix.path}",
        f"--dbcompat-results={results_dir}",
        f"--rootdir={root}",
        "-p",
        "no:cacheprovider",
        "-q",
    ]
    target = results_dir / f"{cell.id}.json"
    target.unlink(missing_ok=True)
    try:
        done = subprocess.run(
            command,
            cwd=root,
            env=child_environ,
            capture_output=True,
            text=True,
            timeout=CELL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        reason = f"the cell did not finish within {CELL_TIMEOUT}s"
        return _placeholder(cell, CellStatus.HARNESS_ERROR, reason, provided, results_dir, started_at, began)
    tail = redact(" | ".join((done.stdout + done.stderr).strip().splitlines()[-5:]), provided.secrets)
    try:
        result = load_result(target)
    except ResultError:
        reason = f"the cell's pytest exited with {done.returncode} without writing results: {tail}"
        return _placeholder(cell, CellStatus.HARNESS_ERROR, reason, provided, results_dir, started_at, began)
    if done.returncode not in _PYTEST_FINISHED and result.status is CellStatus.RAN:
        # pytest itself failed (an internal error, an interrupt) after the results were written.
        result = replace(
            result, status=CellStatus.HARNESS_ERROR, reason=f"the cell's pytest exited with {done.returncode}: {tail}"
        )
        write_result(results_dir, result, provided.secrets)
    return result


def _placeholder(
    cell: Cell,
    status: CellStatus,
    reason: str,
    provided: ProvidedServer | None,
    results_dir: Path,
    started_at: str,
    began: float,
) -> CellResult:
    """The result of a cell whose checks never ran, written like any other."""
    result = CellResult(
        cell=cell.id,
        status=status,
        reason=redact(reason, provided.secrets if provided else ()),
        server=server_info(cell.server, provided),
        driver=DriverInfo(id=cell.driver.id, name=cell.driver.name, module=cell.driver.module),
        django_version=None,
        python_version=platform.python_version(),
        harness_version=__version__,
        started_at=started_at,
        finished_at=_now(),
        duration=round(time.monotonic() - began, 3),
    )
    write_result(results_dir, result, provided.secrets if provided else ())
    return result


def _describe(result: CellResult) -> str:
    counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(result.counts().items()))
    text = result.status.value + (f": {counts}" if counts else "")
    if result.status is not CellStatus.RAN and result.reason:
        text += f" ({result.reason})"
    if result.server.version_mismatch:
        text += f" WARNING: {result.server.version_mismatch}"
    return text


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
