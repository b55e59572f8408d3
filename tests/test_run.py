"""dbcompat run as a whole: parallel cells, the report, and Ctrl-C / SIGTERM in the middle of a run."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.matrix import Matrix
from harness.progress import Reporter
from harness.results import CellStatus
from harness.runner import interleaved_by_server, run_cells

SQLITE_CELLS = [
    "sqlite-sqlite3-django42",
    "sqlite-sqlite3-django52",
    "sqlite-sqlite3-django60",
    "sqlite-sqlite3-django61",
]


def test_parallel_cells_give_the_same_results_as_one_at_a_time(matrix: Matrix, tmp_path: Path) -> None:
    cells = matrix.select(SQLITE_CELLS)
    one = run_cells(matrix, cells, tmp_path / "one", say=lambda line: None, jobs=1)
    two = run_cells(matrix, cells, tmp_path / "two", say=lambda line: None, jobs=2)
    assert [r.cell for r in one.results] == [r.cell for r in two.results] == SQLITE_CELLS
    for first, second in zip(one.results, two.results, strict=True):
        assert first.status is second.status is CellStatus.RAN
        assert [(c.id, c.outcome, c.observed) for c in first.checks] == [
            (c.id, c.outcome, c.observed) for c in second.checks
        ]
    assert not (tmp_path / "two" / ".progress").exists()


def test_cells_start_one_server_after_another_in_turn(matrix: Matrix) -> None:
    # SQLite's standard-library cells only: a server with fewer cells than the others runs out first. The plain
    # drivers only (no configurations, no third-party backends): two a server.
    cells = tuple(
        c
        for c in matrix.select(servers=("sqlite", "postgres15", "mariadb1011"))
        if c.driver.id != "pysqlite3" and c.driver.variant_of is None
    )
    order = interleaved_by_server(cells)
    assert sorted(number for number, _ in order) == list(range(len(cells)))  # each cell once, numbered as given
    assert all(cells[number] is cell for number, cell in order)
    assert [cell.server.id for _, cell in order[:3]] == ["sqlite", "mariadb1011", "postgres15"]
    assert [cell.server.id for _, cell in order[-4:]] == ["mariadb1011", "postgres15", "mariadb1011", "postgres15"]
    for server in ("sqlite", "postgres15", "mariadb1011"):  # a server's cells keep the matrix's order
        assert [c.id for _, c in order if c.server.id == server] == [c.id for c in cells if c.server.id == server]


def test_a_cell_builds_its_environment_while_its_server_starts(
    matrix: Matrix, tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harness.matrix import Cell
    from harness.servers import containers
    from harness.servers.containers import ContainerPlan, StartedContainer

    events: list[tuple[float, str]] = []
    stopped: list[str] = []

    class Container:
        def stop(self) -> None:
            stopped.append("postgres17")

    def start(plan: ContainerPlan, keep: bool = False) -> StartedContainer:
        # No Docker engine here: the local PostgreSQL stands for a container that takes a while to come up.
        events.append((time.monotonic(), "server starting"))
        time.sleep(3)
        events.append((time.monotonic(), "server ready"))
        return StartedContainer(plan, Container(), postgres_url)

    class Timeline(Reporter):
        def state(self, cell: Cell, state: str) -> None:
            events.append((time.monotonic(), state))

    monkeypatch.setattr(containers, "start_container", start)
    environ = {name: value for name, value in os.environ.items() if name != "DBCOMPAT_URL_POSTGRES17"}
    cell = matrix.cell("postgres17-psycopg-django52")
    summary = run_cells(matrix, [cell], tmp_path, environ=environ, reporter=Timeline(lambda line: None))
    assert [what for _, what in sorted(events)] == ["server starting", "building", "server ready", "running"]
    assert summary.server_starts == 1
    assert stopped == ["postgres17"]  # the run stops what it started
    (result,) = summary.results
    assert result.status is CellStatus.RAN
    assert result.server.provider == "container"
    assert result.server.version_mismatch  # PostgreSQL 15 answered where the matrix says 17


@pytest.mark.parametrize(
    ("signum", "times", "gap"),
    # Twice, as ``timeout`` or an impatient Ctrl-C sends them: the second only hurries, whether it comes
    # while the cells stop or once the report is being written.
    [
        (signal.SIGINT, 1, 0),
        (signal.SIGTERM, 1, 0),
        (signal.SIGTERM, 2, 0.2),
        (signal.SIGINT, 2, 0.2),
        (signal.SIGTERM, 2, 1.0),
        (signal.SIGINT, 2, 0.02),
    ],
)
def test_interrupt_keeps_finished_cells_and_renders_a_partial_report(
    tmp_path: Path, signum: int, times: int, gap: float
) -> None:
    results = tmp_path / "results"
    command = [
        sys.executable,
        "-m",
        "harness.cli",
        "run",
        *SQLITE_CELLS,
        "-j",
        "1",
        "--quiet",
        "--results",
        str(results),
        "--output",
        str(tmp_path),
    ]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    lines = []
    deadline = time.monotonic() + 120
    for line in child.stdout:  # wait for the first finished cell, then interrupt
        lines.append(line)
        if line.startswith("[1/4]") or time.monotonic() > deadline:
            break
    for _ in range(times):
        with contextlib.suppress(ProcessLookupError):  # it may have finished already
            child.send_signal(signum)
        time.sleep(gap)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 130, "".join(lines) + out + err
    assert "interrupted:" in err
    finished = sorted(p.name for p in results.glob("*.json"))
    assert finished, "no finished cell survived"
    # Every file there is a whole result; the report says the run is partial.
    for path in results.glob("*.json"):
        json.loads(path.read_text())
    merged = json.loads((tmp_path / "results.json").read_text())
    assert merged["partial"] and merged["partial"].startswith("interrupted: ")
    assert "Partial run" in (tmp_path / "index.html").read_text()
    ran = [c for c in merged["cells"] if c["status"] == "ran"]
    assert ran and all(len(c["checks"]) > 30 for c in ran)
    # No cell's pytest was left behind.
    leftover = subprocess.run(["pgrep", "-f", "--", f"--dbcompat-results={results}"], capture_output=True, text=True)
    assert leftover.stdout.strip() == ""


def test_quiet_run_prints_one_line_per_cell_and_the_report(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "run",
            "sqlite-sqlite3-django52",
            "-q",
            "--results",
            str(tmp_path / "r"),
            "--output",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "true"},
        check=False,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: findings
    lines = done.stdout.splitlines()
    assert lines[0].startswith("dbcompat ") and "1 cells" in lines[0]
    assert lines[1].startswith("[1/1] sqlite-sqlite3-django52: ran: ")
    assert lines[-1].startswith(f"report: {tmp_path / 'index.html'}")


def test_jobs_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    from harness.cli import main

    assert main(["run", "sqlite-*", "-j", "0"]) == 2
    assert "--jobs 0" in capsys.readouterr().err


def test_a_killed_cell_leaves_the_other_results_whole(matrix: Matrix, tmp_path: Path) -> None:
    # Kill one cell's pytest the moment it starts: that cell ends as a harness error, the others run.
    import threading

    results = tmp_path / "results"
    killed: list[int] = []

    def kill_first_cell() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            found = subprocess.run(
                ["pgrep", "-f", "--", f"--dbcompat-job={results}/.progress/sqlite-sqlite3-django52.job.json"],
                capture_output=True,
                text=True,
            ).stdout.split()
            for pid in found:
                os.kill(int(pid), signal.SIGKILL)
                killed.append(int(pid))
            time.sleep(0.05)

    killer = threading.Thread(target=kill_first_cell)
    killer.start()
    summary = run_cells(matrix, matrix.select(SQLITE_CELLS), results, say=lambda line: None, jobs=2)
    killer.join()
    assert killed
    by_cell = {r.cell: r for r in summary.results}
    victim = by_cell["sqlite-sqlite3-django52"]
    assert victim.status is CellStatus.HARNESS_ERROR
    assert victim.reason is not None and "exited with -9" in victim.reason
    for cell in SQLITE_CELLS:
        data = json.loads((results / f"{cell}.json").read_text())  # every file a whole result
        assert data["cell"] == cell
        if cell != "sqlite-sqlite3-django52":
            assert data["status"] == "ran" and len(data["checks"]) > 30
    assert not list(results.glob(".*.tmp"))  # no half-written file left to mistake for a result


def test_ctrl_c_during_an_environment_build_stops_the_installer_at_once(tmp_path: Path) -> None:
    # An index that accepts connections and never answers: unstopped, uv waits on it for minutes.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        index = f"http://127.0.0.1:{silent.getsockname()[1]}/simple"
        envs = tmp_path / "envs"
        environ = {**os.environ, "DBCOMPAT_ENVS": str(envs), "UV_INDEX_URL": index, "UV_DEFAULT_INDEX": index,
                   "UV_NO_CACHE": "1", "PIP_INDEX_URL": index}  # fmt: skip
        command = [sys.executable, "-m", "harness.cli", "run", "sqlite-sqlite3-django52", "-q", "--no-report",
                   "--results", str(tmp_path / "results")]  # fmt: skip
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environ)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _installing(envs):
            time.sleep(0.1)
        assert _installing(envs), "the environment build never started"
        child.send_signal(signal.SIGINT)
        began = time.monotonic()
        out, err = child.communicate(timeout=60)
        took = time.monotonic() - began
    assert child.returncode == 130, out + err
    assert took < 15, took  # SIGTERM to the installer's process group, SIGKILL 3 s later
    assert not _installing(envs)


def _installing(envs: Path) -> bool:
    """Whether an installer working on an environment under ``envs`` is running."""
    found = subprocess.run(["pgrep", "-f", "--", f"pip install.*{envs}"], capture_output=True, text=True)
    return bool(found.stdout.strip())
