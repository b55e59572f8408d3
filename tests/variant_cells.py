"""Running the cells of variants and third-party backends on the local servers, for the live tests.

``run`` runs cells as ``dbcompat run`` does (their environments built once, reused), once per set of
cells in this process, so the tests of configurations and of third-party backends share the cells of
the plain drivers they contrast with. ``probe`` opens a cell the way its pytest does (the same session,
the same DATABASES entry) in the cell's own environment and reads what the server says there, for what
no check observes directly (which connection the server gave, a pragma's value).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from harness.cells.job import job_from_environment
from harness.envs import ensure_env, plan_env
from harness.matrix import Matrix
from harness.results import CellResult
from harness.runner import default_jobs, run_cells

DJANGO = "django52"  # one Django version: the options it has (pool, transaction_mode) are 5.1's
# Every cell the live tests of configurations and of third-party backends look at, run together once: each
# variant and backend on the local servers, the plain drivers they contrast with, and two cells of an
# option Django 4.2 lacks.
PAIRS = (
    "sqlite-sqlite3",
    "sqlite-sqlite3-immediate",
    "sqlite-sqlite3-pragmas",
    "sqlite-prometheus-sqlite3",
    "postgres15-psycopg",
    "postgres15-psycopg-pool",
    "postgres15-psycopg-ssb",
    "postgres15-prometheus-psycopg",
    "postgres15-dbpool-psycopg",
    "postgres15-zdm-psycopg",
    "mariadb1011-mysqlclient",
    "mariadb1011-mysqlclient-serializable",
    "mariadb1011-mysqlclient-initcmd",
    "mariadb1011-prometheus-mysqlclient",
    "mariadb1011-dbpool-mysqlclient",
)
NOT_APPLICABLE = ("postgres15-psycopg-pool-django42", "sqlite-sqlite3-immediate-django42")
_RUN: dict[str, CellResult] = {}

# Run inside the cell's environment: the cell's session opens Django as the cell's pytest does, then each
# probe reads through Django's default connection. Printed as one JSON line.
_PROBE = r"""
import json, sys, time
from pathlib import Path
from harness.cells.job import CellJob
from harness.cells.session import CellSession

job = CellJob.read(Path(sys.argv[1]))
session = CellSession(job)
session.open()
if session.status.value != "ran":
    print(json.dumps({"status": session.status.value, "reason": session.reason}))
    sys.exit(0)
from django.db import connection, transaction
from harness.cells.database import django_connection

def sql(text):
    with connection.cursor() as cursor:
        cursor.execute(text)
        return cursor.fetchone()[0]

def write_lock_after_read():
    # A transaction that has only read: may another connection take the write lock meanwhile?
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS probe_rows (id INTEGER)")
    other = django_connection("probe_other", OPTIONS={"timeout": 0.2})
    try:
        with transaction.atomic():
            sql("SELECT COUNT(*) FROM probe_rows")
            try:
                with other.cursor() as cursor:
                    cursor.execute("BEGIN IMMEDIATE")
                    cursor.execute("ROLLBACK")
                return "taken"
            except Exception as exc:
                return f"{type(exc).__module__}.{type(exc).__qualname__}: {exc}"
    finally:
        other.close()

def backend_pids():
    # Eight requests, each connecting and closing as Django does at a request's end.
    pids = []
    for _ in range(8):
        pids.append(sql("SELECT pg_backend_pid()"))
        connection.close()
    return len(set(pids))

probes = {"write_lock_after_read": write_lock_after_read, "backend_pids": backend_pids}
found = {}
try:
    for name in sys.argv[2:]:
        found[name] = sql(name[4:]) if name.startswith("sql:") else probes[name]()
finally:
    session.close()
print(json.dumps({"status": "ran", **found}, default=str))
"""


def cell_id(pair: str) -> str:
    return f"{pair}-{DJANGO}"


def results(matrix: Matrix, tmp_root: Path, environ: dict[str, str]) -> dict[str, CellResult]:
    """Every cell's result, by cell id; the cells run once per process, as ``dbcompat run`` runs them."""
    if not _RUN:
        cells = [matrix.cell(cell_id(pair)) for pair in PAIRS] + [matrix.cell(name) for name in NOT_APPLICABLE]
        summary = run_cells(matrix, cells, tmp_root / "results", environ, say=lambda _: None, jobs=default_jobs())
        _RUN.update({result.cell: result for result in summary.results})
    return _RUN


def probe(matrix: Matrix, pair: str, probes: list[str], tmp_root: Path, environ: dict[str, str]) -> dict[str, Any]:
    """What ``probes`` read in the cell ``pair`` (Django 5.2), opened in its own environment as its pytest opens it."""
    cell = matrix.cell(cell_id(pair))
    python = ensure_env(plan_env(cell), environ)
    job, pool = job_from_environment(cell, environ, tmp_root / "probe-results")
    try:
        path = job.write(tmp_root / f"{cell.id}.probe.json")
    finally:
        pool.stop_all()
    done = subprocess.run(
        [str(python), "-c", _PROBE, str(path), *probes],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, **environ},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found
