"""How long cells and the local matrix take, against plain tox run one env after another.

    python benchmarks/matrix_time.py [--jobs N] [--repeat 3] [--no-cold] [--no-tox]

Needs DBCOMPAT_URL_POSTGRES15 and DBCOMPAT_URL_MARIADB1011 (the local matrix is SQLite,
PostgreSQL 15 x psycopg/psycopg2 and MariaDB 10.11 x mysqlclient/connector, x Django
4.2/5.2/6.0/6.1 = 20 cells). Prints:

- warm time of one cell on PostgreSQL and on MariaDB, and the harness's overhead in it
  (the cell's wall time minus the time inside checks);
- the whole local matrix, warm (environments built), each run followed by the same 20 cells as
  plain ``tox -e`` envs one after another (warm), and the ratio of the medians; server starts
  per run;
- the whole local matrix cold (environments deleted; the package cache stays).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.envs import PROJECT_ROOT, ensure_env, plan_env
from harness.matrix import load_matrix
from harness.runner import default_jobs, run_cells

LOCAL = ("sqlite", "postgres15", "mariadb1011")


def quiet(_line: str) -> None:
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-cold", action="store_true")
    parser.add_argument("--no-tox", action="store_true")
    args = parser.parse_args()
    for variable in ("DBCOMPAT_URL_POSTGRES15", "DBCOMPAT_URL_MARIADB1011"):
        if not os.environ.get(variable):
            sys.exit(f"{variable} is not set: the benchmark needs the local servers")
    matrix = load_matrix()
    cells = matrix.select(servers=LOCAL)
    print(f"{len(cells)} local cells, {args.jobs} at a time, on {os.cpu_count()} cores")
    for cell in cells:  # warm: every environment built before anything is timed
        ensure_env(plan_env(cell), os.environ)

    print("\n-- one warm cell (median of", args.repeat, "runs)")
    for cell_id in ("postgres15-psycopg-django52", "mariadb1011-mysqlclient-django52"):
        walls, inside = [], []
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as folder:
                began = time.perf_counter()
                summary = run_cells(matrix, [matrix.cell(cell_id)], Path(folder), say=quiet)
                walls.append(time.perf_counter() - began)
                inside.append(sum(check.duration for check in summary.results[0].checks))
        wall, checks = statistics.median(walls), statistics.median(inside)
        print(f"{cell_id:<36} wall {wall:6.2f} s   in checks {checks:5.2f} s   harness overhead {wall - checks:5.2f} s")

    print("\n-- the local matrix, warm, against plain tox (median of", args.repeat, "runs, interleaved)")
    tox_command = [sys.executable, "-m", "tox", "-q", "-e", ",".join(cell.env_name for cell in cells)]
    if not args.no_tox:  # build the tox envs; not timed
        subprocess.run(tox_command, cwd=PROJECT_ROOT, capture_output=True, check=False)
    warms: list[float] = []
    toxes: list[float] = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            began = time.perf_counter()
            summary = run_cells(matrix, cells, Path(folder), say=quiet, jobs=args.jobs)
            warms.append(time.perf_counter() - began)
        ran = sum(r.status.value == "ran" for r in summary.results)
        line = f"dbcompat run {warms[-1]:6.1f} s  ({ran}/{len(cells)} cells ran, {summary.server_starts} server starts)"
        if not args.no_tox:
            began = time.perf_counter()
            done = subprocess.run(tox_command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
            toxes.append(time.perf_counter() - began)
            state = "ok" if done.returncode == 0 else f"exit {done.returncode}"
            line += f"   tox, one env after another {toxes[-1]:6.1f} s ({state})   ratio {toxes[-1] / warms[-1]:.2f}x"
        print(line)
    warm = statistics.median(warms)
    print(f"warm  {warm:7.1f} s  (median)")
    if toxes:
        tox = statistics.median(toxes)
        print(f"tox   {tox:7.1f} s  (median)")
        print(f"dbcompat run is {tox / warm:.1f}x faster than the tox baseline (medians)")

    if not args.no_cold:
        with tempfile.TemporaryDirectory() as envs, tempfile.TemporaryDirectory() as folder:
            environ = {**os.environ, "DBCOMPAT_ENVS": envs}
            began = time.perf_counter()
            summary = run_cells(matrix, cells, Path(folder), environ=environ, say=quiet, jobs=args.jobs)
            cold = time.perf_counter() - began
        ran = sum(r.status.value == "ran" for r in summary.results)
        print(f"cold  {cold:7.1f} s  ({ran}/{len(cells)} cells ran; environments built from the package cache)")


if __name__ == "__main__":
    main()
