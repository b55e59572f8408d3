"""Cells run for real against this machine's PostgreSQL 15, MariaDB 10.11 and SQLite.

Each cell runs in its own environment (built once under .dbcompat/envs), as
``dbcompat run`` does. In CI a missing server URL fails these tests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from harness.matrix import Matrix
from harness.results import CellStatus, Outcome
from harness.runner import run_cells

pytestmark = pytest.mark.live


def run(matrix: Matrix, patterns: list[str], results: Path, environ: dict[str, str]) -> tuple[list, list[str]]:
    said: list[str] = []
    summary = run_cells(matrix, matrix.select(patterns), results, environ=environ, say=said.append)
    return list(summary.results), said


def throwaway_databases(postgres_url: str, mariadb_url: str, token: str) -> list[str]:
    """The databases a run with this token left behind (other runs may be going on meanwhile)."""
    import psycopg
    import pymysql

    pattern = f"dbcompat\\_{token}%"
    with psycopg.connect(postgres_url.replace("postgres://", "postgresql://", 1)) as pg:
        names = [row[0] for row in pg.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (pattern,))]
    connection = pymysql.connect(host="127.0.0.1", port=3306, user="root")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW DATABASES LIKE %s", (pattern,))
            names += [row[0] for row in cursor.fetchall()]
    finally:
        connection.close()
    return names


@pytest.mark.parametrize(
    ("written", "decoded"),
    [("Sekr1t-Pa55-zq", "Sekr1t-Pa55-zq"), ("p%40ss%2Fw0rd-zq", "p@ss/w0rd-zq")],
)
def test_passwords_never_reach_results_reports_or_console(
    tmp_path: Path, postgres_url: str, written: str, decoded: str
) -> None:
    # The local server trusts connections from 127.0.0.1, so any password is accepted and must be hidden,
    # as written in the URL and as decoded for the driver.
    import subprocess
    import sys

    url = postgres_url.replace("postgres@", f"postgres:{written}@", 1)
    assert written in url
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "run",
            "postgres15-psycopg-django52",
            "--results",
            str(tmp_path / "r"),
            "--output",
            str(tmp_path),
        ],
        env={**os.environ, "DBCOMPAT_URL_POSTGRES15": url},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"postgres15-psycopg-django52.json", "index.html", "compat.md", "results.json"}
    for text in [p.read_text() for p in files] + [done.stdout, done.stderr]:
        assert written not in text
        assert decoded not in text
    data = json.loads((tmp_path / "r" / "postgres15-psycopg-django52.json").read_text())
    assert data["status"] == "ran"
    assert (
        data["server"]["origin"] == f"DBCOMPAT_URL_POSTGRES15={postgres_url.replace('postgres@', 'postgres:***@', 1)}"
    )


def test_url_reaching_another_release_is_flagged(matrix: Matrix, tmp_path: Path, postgres_url: str) -> None:
    environ = {**os.environ, "DBCOMPAT_URL_POSTGRES14": postgres_url}
    results, said = run(matrix, ["postgres14-psycopg-django52"], tmp_path, environ)
    (result,) = results
    assert result.status is CellStatus.RAN
    assert result.server.version_mismatch is not None
    assert result.server.version_mismatch.startswith("the matrix says postgresql 14 for postgres14, but the server")
    assert "WARNING" in said[0]


def test_url_reaching_another_vendor_is_flagged(matrix: Matrix, tmp_path: Path, mariadb_url: str) -> None:
    environ = {**os.environ, "DBCOMPAT_URL_MYSQL84": mariadb_url}
    results, _ = run(matrix, ["mysql84-mysqlclient-django52"], tmp_path, environ)
    (result,) = results
    assert result.server.version_mismatch is not None
    assert "but the server is mariadb" in result.server.version_mismatch


def test_unreachable_server_is_unavailable_and_others_still_run(matrix: Matrix, tmp_path: Path) -> None:
    from harness.errors import EXIT_BAD_INPUT

    environ = {**os.environ, "DBCOMPAT_URL_POSTGRES17": "postgres://postgres@127.0.0.1:1/postgres"}
    cells = matrix.select(["postgres17-psycopg-django52", "sqlite-sqlite3-django52"])
    summary = run_cells(matrix, cells, tmp_path, environ=environ, say=lambda line: None)
    # The user asked for this server by URL: not reaching it fails the run (exit 2), not only its cells.
    assert summary.exit_status == EXIT_BAD_INPUT
    assert list(summary.unreachable_urls) == ["postgres17"]
    assert summary.unreachable_urls["postgres17"].startswith("DBCOMPAT_URL_POSTGRES17=postgres://postgres@127.0.0.1:1/")
    by_cell = {r.cell: r for r in summary.results}
    unreachable = by_cell["postgres17-psycopg-django52"]
    assert unreachable.status is CellStatus.UNAVAILABLE
    assert unreachable.reason is not None and unreachable.reason.startswith("cannot connect:")
    assert {c.outcome for c in unreachable.checks} == {Outcome.UNAVAILABLE}
    assert by_cell["sqlite-sqlite3-django52"].status is CellStatus.RAN


def test_xdist_workers_on_postgres_each_work_in_their_own_database(
    matrix: Matrix, tmp_path: Path, postgres_url: str, mariadb_url: str
) -> None:
    import subprocess

    from harness.envs import PROJECT_ROOT, ensure_env, plan_env

    cell = matrix.cell("postgres15-psycopg-django52")
    python = ensure_env(plan_env(cell), os.environ)
    done = subprocess.run(
        [
            str(python),
            "-m",
            "pytest",
            "suites",
            "-n",
            "2",
            "-p",
            "no:cacheprovider",
            f"--dbcompat-cell={cell.id}",
            f"--dbcompat-results={tmp_path}",
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DBCOMPAT_URL_POSTGRES15": postgres_url, "DBCOMPAT_RUN_TOKEN": "xdist42"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads((tmp_path / f"{cell.id}.json").read_text())
    assert data["status"] == "ran"
    checks = {c["id"]: c for c in data["checks"]}
    assert "smoke.round_trip" in checks and "row-locking.nowait.contended" in checks
    assert not [c for c in checks.values() if c["outcome"] == "harness error"]
    # Each worker created its own dbcompat_xdist42_gw<N> and dropped it again.
    assert data["database"] is None  # the controller has none of its own; the workers had theirs
    assert throwaway_databases(postgres_url, mariadb_url, "xdist42") == []


def test_the_database_named_in_the_url_is_left_alone(matrix: Matrix, tmp_path: Path, mariadb_url: str) -> None:
    import secrets
    from urllib.parse import urlsplit

    import pymysql

    parts = urlsplit(mariadb_url)
    # A database of the URL's owner, with a table of its own: the harness only connects to it.
    owned = f"owner_{secrets.token_hex(4)}"

    def connect(database: str | None = None) -> Any:
        return pymysql.connect(
            host=parts.hostname,
            port=parts.port or 3306,
            user=parts.username,
            password=parts.password or "",
            database=database,
            autocommit=True,
        )

    def tables_of_owned() -> list[str]:
        with connect(owned) as connection, connection.cursor() as cursor:
            cursor.execute("SHOW TABLES")
            return sorted(row[0] for row in cursor.fetchall())

    with connect() as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {owned}")
        cursor.execute(f"CREATE TABLE {owned}.kept (id int PRIMARY KEY)")
    try:
        before = tables_of_owned()
        assert before == ["kept"]
        environ = {**os.environ, "DBCOMPAT_URL_MARIADB1011": f"{mariadb_url.rstrip('/')}/{owned}"}
        results, _ = run(matrix, ["mariadb1011-mysqlclient-django52"], tmp_path, environ)
        assert results[0].status is CellStatus.RAN, results[0].reason
        assert tables_of_owned() == before
    finally:
        with connect() as connection, connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {owned}")


@pytest.mark.parametrize(
    ("url", "reason_start"),
    [
        # MariaDB's root here has no password: a wrong one is refused by the server.
        ("mysql://root:Wr0ng-Pass@127.0.0.1:3306/", "cannot connect:"),
        ("mysql://root@127.0.0.1:notaport/", "DBCOMPAT_URL_MARIADB106=mysql://root@127.0.0.1:notaport/: malformed URL"),
        ("postgres://postgres@127.0.0.1:5432/postgres", "DBCOMPAT_URL_MARIADB106=postgres://"),
    ],
)
def test_bad_urls_end_as_unavailable_with_a_reason(
    matrix: Matrix, tmp_path: Path, mariadb_url: str, url: str, reason_start: str
) -> None:
    import time

    environ = {**os.environ, "DBCOMPAT_URL_MARIADB106": url}
    began = time.monotonic()
    results, _ = run(matrix, ["mariadb106-mysqlclient-django52", "sqlite-sqlite3-django52"], tmp_path, environ)
    assert time.monotonic() - began < 60
    by_cell = {r.cell: r for r in results}
    bad = by_cell["mariadb106-mysqlclient-django52"]
    assert bad.status is CellStatus.UNAVAILABLE
    assert bad.reason is not None and bad.reason.startswith(reason_start), bad.reason
    assert "Wr0ng-Pass" not in json.dumps([bad.reason, bad.server.origin])
    assert by_cell["sqlite-sqlite3-django52"].status is CellStatus.RAN
    from harness.report import write_reports

    html = write_reports(results, tmp_path / "report").html.read_text()
    assert "server unavailable" in html and "Wr0ng-Pass" not in html


def test_two_runs_at_once_against_the_same_servers_do_not_collide(
    matrix: Matrix, tmp_path: Path, postgres_url: str, mariadb_url: str
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    cells = ["postgres15-psycopg-django52", "mariadb1011-mysqlclient-django52"]

    def one_run(token: str) -> list:
        environ = {
            **os.environ,
            "DBCOMPAT_URL_POSTGRES15": postgres_url,
            "DBCOMPAT_URL_MARIADB1011": mariadb_url,
            "DBCOMPAT_RUN_TOKEN": token,
        }
        return run(matrix, cells, tmp_path / token, environ)[0]

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(one_run, ["twin1", "twin2"])
    for results, token in ((first, "twin1"), (second, "twin2")):
        assert [r.status for r in results] == [CellStatus.RAN, CellStatus.RAN], [r.reason for r in results]
        assert all(c.outcome is not Outcome.HARNESS_ERROR for r in results for c in r.checks)
        assert all(r.database and r.database.startswith(f"dbcompat_{token}") for r in results)
        assert throwaway_databases(postgres_url, mariadb_url, token) == []
