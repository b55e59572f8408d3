"""How long cells and the local matrix take, against plain tox run one env after another.

    python benchmarks/matrix_time.py [--jobs N] [--repeat 3] [--no-cold] [--no-tox]

Needs DBCOMPAT_URL_POSTGRES15 and DBCOMPAT_URL_MARIADB1011 (the local matrix is SQLite,
PostgreSQL 15 x psycopg/psycopg2 and MariaDB 10.11 x mysqlclient/connector, x Django
4.2/5.2/6.0/6.1 = 20 cells). Prints:

- warm time of one cell on PostgreSQL and on MariaDB, and the harness's overhead in it
  (the cell's wall time minus the time inside checks);
- the whole local matrix, warm (environments built), with server starts and how many cores were
  busy (servers included); each run followed by the same 20 cells as plain ``tox -e`` envs one
  after another (warm), both as one tox process given the 20 envs and as ``tox -e ENV`` once per
  cell (as a user drives cells one by one), and the ratios of the medians;
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
    env_names = [cell.env_name for cell in cells]
    tox = [sys.executable, "-m", "tox", "-q", "-e"]
    if not args.no_tox:  # build the tox envs; not timed
        subprocess.run([*tox, ",".join(env_names)], cwd=PROJECT_ROOT, capture_output=True, check=False)
    timings: dict[str, list[float]] = {"run": [], "one tox": [], "tox per cell": []}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            busy, began = _busy_cpu(), time.perf_counter()
            summary = run_cells(matrix, cells, Path(folder), say=quiet, jobs=args.jobs)
            wall = time.perf_counter() - began
            cores = (_busy_cpu() - busy) / wall
        timings["run"].append(wall)
        ran = sum(r.status.value == "ran" for r in summary.results)
        line = f"dbcompat run {wall:5.1f} s ({ran}/{len(cells)} ran, {summary.server_starts} server starts"
        line += f", {cores:.1f} cores busy)"
        if not args.no_tox:
            # tox as one process running the 20 envs in turn, and as a user drives cells: tox -e per cell.
            one = _timed([[*tox, ",".join(env_names)]])
            each = _timed([[*tox, name] for name in env_names])
            timings["one tox"].append(one)
            timings["tox per cell"].append(each)
            line += f" | tox -e <20 envs> {one:5.1f} s ({one / wall:.2f}x)"
            line += f" | tox -e <env> x20 {each:5.1f} s ({each / wall:.2f}x)"
        print(line)
    warm = statistics.median(timings["run"])
    print(f"warm  {warm:7.1f} s  (median)")
    if not args.no_tox:
        one, each = statistics.median(timings["one tox"]), statistics.median(timings["tox per cell"])
        print(f"tox -e <20 envs>, one tox process    {one:6.1f} s  (median): dbcompat run {one / warm:.1f}x faster")
        print(f"tox -e <env>, once per cell in turn  {each:6.1f} s  (median): dbcompat run {each / warm:.1f}x faster")

    if not args.no_cold:
        with tempfile.TemporaryDirectory() as envs, tempfile.TemporaryDirectory() as folder:
            environ = {**os.environ, "DBCOMPAT_ENVS": envs}
            began = time.perf_counter()
            summary = run_cells(matrix, cells, Path(folder), environ=environ, say=quiet, jobs=args.jobs)
            cold = time.perf_counter() - began
        ran = sum(r.status.value == "ran" for r in summary.results)
        print(f"cold  {cold:7.1f} s  ({ran}/{len(cells)} cells ran; environments built from the package cache)")


def _timed(commands: list[list[str]]) -> float:
    """Wall time of the commands run one after another; a failing one stops the benchmark."""
    began = time.perf_counter()
    for command in commands:
        done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"{' '.join(command[2:])} exited with {done.returncode}: {done.stdout[-500:]}")
    return time.perf_counter() - began


def _busy_cpu() -> float:
    """CPU seconds the whole machine has spent busy (servers included), from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    return (sum(fields[:8]) - fields[3] - fields[4]) / ticks  # all but idle and iowait


if __name__ == "__main__":
    main()
