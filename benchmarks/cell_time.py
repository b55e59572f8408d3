"""Wall time of one warm cell per local server, and the harness's overhead in it.

    python benchmarks/cell_time.py [--repeat 3]

Servers come from DBCOMPAT_URL_POSTGRES15 / DBCOMPAT_URL_MARIADB1011 (SQLite always runs).
Environments are built before timing starts, so the figures are warm. Overhead is
the cell's wall time minus the time spent inside checks.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from harness.envs import ensure_env, plan_env
from harness.matrix import load_matrix
from harness.runner import run_cells

CELLS = {
    "sqlite-sqlite3-django52": None,
    "postgres15-psycopg-django52": "DBCOMPAT_URL_POSTGRES15",
    "mariadb1011-mysqlclient-django52": "DBCOMPAT_URL_MARIADB1011",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    matrix = load_matrix()
    print(f"{'cell':<36} {'wall s (median)':>16} {'in checks s':>12} {'overhead s':>11}")
    for cell_id, variable in CELLS.items():
        if variable and not os.environ.get(variable):
            print(f"{cell_id:<36} skipped: {variable} not set")
            continue
        cell = matrix.cell(cell_id)
        ensure_env(plan_env(cell), os.environ)
        walls, inside = [], []
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as folder:
                began = time.perf_counter()
                summary = run_cells(matrix, [cell], Path(folder), say=lambda _line: None)
                walls.append(time.perf_counter() - began)
                inside.append(sum(check.duration for check in summary.results[0].checks))
        wall, checks = statistics.median(walls), statistics.median(inside)
        print(f"{cell_id:<36} {wall:>16.2f} {checks:>12.3f} {wall - checks:>11.2f}")


if __name__ == "__main__":
    main()
