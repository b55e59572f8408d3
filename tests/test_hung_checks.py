"""A check that never returns ends within the per-check limit, as a harness error, not a hang.

SQLite in-process here (pytester); PostgreSQL and MariaDB for real in their cell environments.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.envs import ensure_env, plan_env
from harness.matrix import DEFAULT_MATRIX, Matrix

pytest_plugins = ["pytester"]

MODELS = "from django.db import models\n"


def project(root: Path, statement: str) -> None:
    (root / "suites").mkdir()
    (root / "suites" / "__init__.py").write_text("")
    (root / "suites" / "models.py").write_text(MODELS)
    (root / "test_hung.py").write_text(
        "import time\nimport pytest\n\n"
        '@pytest.mark.check("hung.statement")\n'
        "def test_statement(check, connection):\n"
        "    with connection.cursor() as cursor:\n"
        f"        cursor.execute({statement!r})\n"
        "        check.observe(cursor.fetchone()[0])\n\n"
        '@pytest.mark.check("hung.python")\n'
        "def test_python(check):\n"
        "    time.sleep(2.5)\n"
        "    check.observe(True)\n\n"
        '@pytest.mark.check("hung.quick")\n'
        "def test_quick(check):\n"
        "    check.observe(1)\n"
    )


def checks_of(results: Path) -> dict[str, dict[str, object]]:
    (written,) = results.glob("*.json")
    return {c["id"]: c for c in json.loads(written.read_text())["checks"]}


def assert_bounded(checks: dict[str, dict[str, object]], elapsed: float) -> None:
    for check_id in ("hung.statement", "hung.python"):
        assert checks[check_id]["outcome"] == "harness error", checks[check_id]
        assert "did not finish within 1s" in str(checks[check_id]["error"])
    assert checks["hung.quick"]["outcome"] == "no claim"  # the next check runs normally
    assert elapsed < 30


def test_sqlite_statement_is_interrupted(pytester: pytest.Pytester) -> None:
    project(pytester.path, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")
    results = pytester.path / "results"
    began = time.monotonic()
    outcome = pytester.runpytest_subprocess(
        "--dbcompat-cell=sqlite-sqlite3",
        f"--dbcompat-matrix={DEFAULT_MATRIX}",
        f"--dbcompat-results={results}",
        "--dbcompat-check-timeout=1",
        "-p",
        "no:cacheprovider",
    )
    assert_bounded(checks_of(results), time.monotonic() - began)
    outcome.assert_outcomes(failed=2, passed=1)


@pytest.mark.live
@pytest.mark.parametrize(
    ("cell_id", "variable", "statement"),
    [
        ("postgres15-psycopg-django52", "DBCOMPAT_URL_POSTGRES15", "SELECT pg_sleep(600)"),
        ("postgres15-psycopg2-django52", "DBCOMPAT_URL_POSTGRES15", "SELECT pg_sleep(600)"),
        ("mariadb1011-mysqlclient-django52", "DBCOMPAT_URL_MARIADB1011", "SELECT SLEEP(600)"),
        ("mariadb1011-connector-django52", "DBCOMPAT_URL_MARIADB1011", "SELECT SLEEP(600)"),
    ],
)
def test_server_statement_is_cancelled(
    matrix: Matrix, tmp_path: Path, cell_id: str, variable: str, statement: str
) -> None:
    from tests.conftest import live_url

    url = live_url(variable)
    cell = matrix.cell(cell_id)
    python = ensure_env(plan_env(cell), os.environ)
    project(tmp_path, statement)
    results = tmp_path / "results"
    began = time.monotonic()
    done = subprocess.run(
        [
            str(python),
            "-m",
            "pytest",
            f"--dbcompat-cell={cell_id}",
            f"--dbcompat-matrix={DEFAULT_MATRIX}",
            f"--dbcompat-results={results}",
            "--dbcompat-check-timeout=1",
            "-p",
            "no:cacheprovider",
        ],
        cwd=tmp_path,
        env={**os.environ, variable: url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert_bounded(checks_of(results), time.monotonic() - began)
    assert done.returncode == 1, done.stdout + done.stderr


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel completes the handshake) and never says a word."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)  # never accept()ed: connections wait in the backlog
        yield sock.getsockname()[1]


@pytest.mark.parametrize(
    ("cell_id", "url"),
    [
        ("postgres17-psycopg-django52", "postgres://postgres@127.0.0.1:{port}/postgres"),
        ("postgres17-psycopg2-django52", "postgres://postgres@127.0.0.1:{port}/postgres"),
        ("mariadb106-mysqlclient-django52", "mysql://root@127.0.0.1:{port}/"),
        ("mariadb106-connector-django52", "mysql://root@127.0.0.1:{port}/"),
    ],
)
def test_a_port_that_never_answers_is_given_up_after_the_connect_timeout(
    matrix: Matrix, tmp_path: Path, silent_port: int, cell_id: str, url: str
) -> None:
    from harness.results import CellStatus
    from harness.runner import run_cells

    cell = matrix.cell(cell_id)
    ensure_env(plan_env(cell), os.environ)  # built beforehand: only connecting is timed
    environ = {**os.environ, cell.server.url_variable: url.format(port=silent_port), "DBCOMPAT_CONNECT_TIMEOUT": "3"}
    began = time.monotonic()
    summary = run_cells(matrix, [cell], tmp_path, environ=environ, say=lambda line: None)
    took = time.monotonic() - began
    (result,) = summary.results
    assert result.status is CellStatus.UNAVAILABLE, result.reason
    assert result.reason is not None and result.reason.startswith("cannot connect:"), result.reason
    # Unbounded, the drivers waited 131 s to forever; the bound is the connect timeout and a cell's start.
    assert took < 40, took


CLEANUP_CHECKS = """
import threading

import psycopg
import pytest

HOLDERS = []


@pytest.mark.check("hung.cleanup")
def test_cleanup(check, connection, raw_table):
    raw_table("hung_cleanup", "CREATE TABLE hung_cleanup (id integer)")
    params = connection.get_connection_params()
    other = psycopg.connect(
        host=params.get("host"), port=params.get("port"), user=params.get("user"), dbname=params.get("dbname"),
        password=params.get("password") or None,
    )
    other.execute("SELECT * FROM hung_cleanup")  # ACCESS SHARE, held: the transaction stays open
    HOLDERS.append(other)
    letting_go = threading.Timer(60, other.close)  # long after the bound; the database's drop ends it anyway
    letting_go.daemon = True
    letting_go.start()
    check.observe(1)


@pytest.mark.check("hung.quick")
def test_quick(check):
    check.observe(1)
"""


def test_a_cleanup_that_waits_on_another_sessions_lock_is_bounded_and_reported(matrix: Matrix, tmp_path: Path) -> None:
    from tests.conftest import live_url

    url = live_url("DBCOMPAT_URL_POSTGRES15")
    cell = matrix.cell("postgres15-psycopg-django52")
    python = ensure_env(plan_env(cell), os.environ)
    (tmp_path / "suites").mkdir()
    (tmp_path / "suites" / "__init__.py").write_text("")
    (tmp_path / "suites" / "models.py").write_text(MODELS)
    (tmp_path / "test_cleanup.py").write_text(CLEANUP_CHECKS)
    results = tmp_path / "results"
    began = time.monotonic()
    done = subprocess.run(
        [str(python), "-m", "pytest", f"--dbcompat-cell={cell.id}", f"--dbcompat-matrix={DEFAULT_MATRIX}",
         f"--dbcompat-results={results}", "--dbcompat-check-timeout=2", "-p", "no:cacheprovider"],
        cwd=tmp_path, env={**os.environ, "DBCOMPAT_URL_POSTGRES15": url}, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    took = time.monotonic() - began
    checks = checks_of(results)
    # The DROP TABLE of the check's cleanup waits on the other session's lock: it is cancelled at the bound
    # and the check says so, instead of a quiet 60 s wait recorded as a check that took 0.06 s.
    cleanup = checks["hung.cleanup"]
    assert cleanup["outcome"] == "harness error", (cleanup, done.stdout)
    assert str(cleanup["error"]).startswith("cleaning up after the check did not finish within 2s"), cleanup
    assert float(cleanup["duration"]) >= 2  # type: ignore[arg-type]
    assert checks["hung.quick"]["outcome"] == "no claim"  # the next check runs normally
    assert took < 50, (took, done.stdout[-2000:])
