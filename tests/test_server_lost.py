"""A server that dies in the middle of a cell: a throwaway PostgreSQL from this machine's own binaries.

The cell ends "harness error: server lost during <check>", the checks after it end at once
with that reason, the results file is whole and the report renders.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.envs import ensure_env, plan_env
from harness.matrix import DEFAULT_MATRIX, Matrix
from harness.report import write_reports
from harness.results import load_results

pytestmark = pytest.mark.live


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; run its binaries as the postgres user then.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture
def doomed_postgres() -> Iterator[tuple[int, Path]]:
    """A PostgreSQL of its own on a free port: (port, data directory). Stopped and removed afterwards."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        message = "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    bin_dir = found[-1].parent
    # Not under pytest's private temporary folder: the postgres user must reach it.
    home = Path(tempfile.mkdtemp(prefix="dbcompat-doomed-"))
    data = home / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
        shutil.chown(data, "postgres")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    subprocess.run(
        _as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-N"]),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(data / "log"), "start"]),
        check=True,
        capture_output=True,
    )
    try:
        yield port, data
    finally:
        subprocess.run(
            _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]), capture_output=True
        )
        shutil.rmtree(home, ignore_errors=True)


CHECKS = """
import os, time
import pytest

@pytest.mark.check("lost.before")
def test_before(check, connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        check.observe(cursor.fetchone()[0])

@pytest.mark.check("lost.during")
def test_during(check, connection):
    with open(os.environ["DOOMED_SIGNAL"], "w") as flag:
        flag.write("sleeping")
    with connection.cursor() as cursor:
        cursor.execute("{sleep}")
        check.observe(cursor.fetchone()[0])

@pytest.mark.check("lost.after")
def test_after(check, connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 2")
        check.observe(cursor.fetchone()[0])
"""


def lost_project(tmp_path: Path, sleep: str = "SELECT pg_sleep(20)") -> Path:
    """A throwaway project whose one suite has the three checks above; ``sleep`` is the statement that lasts."""
    project = tmp_path / "project"
    (project / "suites").mkdir(parents=True)
    (project / "suites" / "__init__.py").write_text("")
    (project / "suites" / "models.py").write_text("")
    (project / "test_lost.py").write_text(CHECKS.replace("{sleep}", sleep))
    return project


def start_lost_cell(python: Path, options: list[str], project: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """The cell's pytest on the lost project (``options``: how it finds its cell), its output piped."""
    command = [str(python), "-m", "pytest", *options, "-p", "no:cacheprovider"]
    return subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_until_sleeping(child: subprocess.Popen[str], flag: Path) -> None:
    """Until the check ``lost.during`` is inside its long statement (bounded: 120 s to get there)."""
    deadline = time.monotonic() + 120
    while not flag.exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    assert flag.exists(), "the check never started"
    time.sleep(0.3)  # into the statement


def cell_options(cell_id: str, results: Path) -> list[str]:
    return [f"--dbcompat-cell={cell_id}", f"--dbcompat-matrix={DEFAULT_MATRIX}", f"--dbcompat-results={results}"]


def test_server_lost_mid_run(matrix: Matrix, tmp_path: Path, doomed_postgres: tuple[int, Path]) -> None:
    port, data = doomed_postgres
    cell = matrix.cell("postgres15-psycopg-django52")
    python = ensure_env(plan_env(cell), os.environ)
    project = lost_project(tmp_path)
    flag, results = tmp_path / "sleeping", tmp_path / "results"
    url = f"postgres://postgres@127.0.0.1:{port}/postgres"
    env = {**os.environ, "DBCOMPAT_URL_POSTGRES15": url, "DOOMED_SIGNAL": str(flag)}
    child = start_lost_cell(python, cell_options(cell.id, results), project, env)
    wait_until_sleeping(child, flag)
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    os.kill(postmaster, signal.SIGKILL)  # the server dies, hard
    output, _ = child.communicate(timeout=120)

    (written,) = results.glob("*.json")
    result = json.loads(written.read_text())  # whole, readable
    checks = {c["id"]: c for c in result["checks"]}
    assert result["status"] == "harness error", output
    assert result["reason"].startswith("server lost during lost.during: "), result["reason"]
    assert checks["lost.before"]["outcome"] == "no claim" and checks["lost.before"]["observed"] == 1
    assert checks["lost.during"]["outcome"] == "harness error"
    assert checks["lost.during"]["error"].startswith("server lost during lost.during")
    assert checks["lost.after"]["outcome"] == "harness error"
    assert checks["lost.after"]["reason"].startswith("server lost during lost.during")
    report = write_reports(load_results([results]), tmp_path / "report")
    assert "server lost during lost.during" in report.html.read_text()


def _stop_all(data: Path, sig: signal.Signals) -> None:
    """Send ``sig`` to the postmaster and every process it started (its backends included)."""
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
    for pid in [postmaster, *map(int, children)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


@pytest.mark.parametrize("driver", ["psycopg", "psycopg2"])
def test_a_server_that_stops_answering_ends_the_cell_within_the_bounds(
    matrix: Matrix, tmp_path: Path, doomed_postgres: tuple[int, Path], driver: str
) -> None:
    # SIGSTOP: the server's processes freeze, its kernel still accepts connections and acknowledges
    # what is sent, so neither the statement nor its cancel ever gets an answer.
    port, data = doomed_postgres
    cell = matrix.cell(f"postgres15-{driver}-django52")
    python = ensure_env(plan_env(cell), os.environ)
    project = lost_project(tmp_path)
    flag, results = tmp_path / "sleeping", tmp_path / "results"
    env = {
        **os.environ,
        "DBCOMPAT_URL_POSTGRES15": f"postgres://postgres@127.0.0.1:{port}/postgres",
        "DBCOMPAT_CHECK_TIMEOUT": "3",
        "DBCOMPAT_CONNECT_TIMEOUT": "3",
        "DOOMED_SIGNAL": str(flag),
    }
    child = start_lost_cell(python, cell_options(cell.id, results), project, env)
    try:
        wait_until_sleeping(child, flag)
        _stop_all(data, signal.SIGSTOP)
        stopped = time.monotonic()
        # The bound: the check timeout, the cancel's grace, then connecting (asking whether the server
        # answers, the check's cleanup, dropping the database) each given up after the connect timeout.
        output, _ = child.communicate(timeout=90)
        took = time.monotonic() - stopped
    finally:
        _stop_all(data, signal.SIGCONT)
        if child.poll() is None:
            child.kill()
    assert took < 60, (took, output)
    (written,) = results.glob("*.json")
    result = json.loads(written.read_text())
    checks = {c["id"]: c for c in result["checks"]}
    assert result["status"] == "harness error", output
    expected = "server lost during lost.during: the check did not finish within 3s and the server did not answer"
    assert result["reason"].startswith(expected), result["reason"]
    # The check that finished before is kept; the one after ends at once with the reason.
    assert checks["lost.before"]["outcome"] == "no claim" and checks["lost.before"]["observed"] == 1
    assert checks["lost.during"]["outcome"] == "harness error" and checks["lost.during"]["error"].startswith(expected)
    assert checks["lost.after"]["outcome"] == "harness error"
    assert checks["lost.after"]["reason"].startswith(expected)
