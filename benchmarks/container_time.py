"""How long container servers take to start, and the whole container matrix against its bound.

    eval "$(dbcompat images build)"
    python benchmarks/container_time.py [--repeat 3] [--jobs N] [--options]

For every server with ``DBCOMPAT_IMAGE_<SERVER>`` set, prints:

- the first start from the image (create, start, until testcontainers' readiness wait is
  satisfied), median of ``--repeat`` starts;
- a kept server taken up again by the next run (``--keep-servers``: the container is checked,
  not started);
- the wall time of the whole container matrix (every cell of those servers, servers starting on
  their own threads while environments build), next to its bound: the slowest start plus the
  cells' own work spread over the cores (the sum of the cells' durations divided by ``-j``).

``--options`` also starts each server with durability off (tmpfs data directory, fsync off,
InnoDB flushing at commit off) and prints the start time with it, to judge whether it is worth it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.matrix import load_matrix
from harness.runner import default_jobs
from harness.servers import IMAGE_PREFIX, ServerPool
from harness.servers import containers as containers_module
from harness.servers.containers import ContainerPlan, plan_container

ROOT = Path(__file__).resolve().parent.parent
# Durability off, as server options: what the checks observe does not depend on it.
FAST = {
    "postgresql": {
        "command": ["postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
        "tmpfs": {"/var/lib/postgresql/data": "rw"},
    },
    "mysql": {
        "command": ["mysqld", "--innodb-flush-log-at-trx-commit=0", "--sync-binlog=0", "--innodb-doublewrite=0"],
        "tmpfs": {"/var/lib/mysql": "rw"},
    },
}
FAST["mariadb"] = {
    "command": ["mariadbd", "--innodb-flush-log-at-trx-commit=0", "--sync-binlog=0", "--innodb-doublewrite=0"],
    "tmpfs": {"/var/lib/mysql": "rw"},
}


def first_start(plan: ContainerPlan) -> float:
    began = time.monotonic()
    started = containers_module.start_container(plan)
    took = time.monotonic() - began
    started.stop()
    return took


def kept_reuse(server_id: str, environ: dict[str, str]) -> float:
    matrix = load_matrix()
    with tempfile.TemporaryDirectory() as folder:
        kept = Path(folder) / "servers.json"
        first = ServerPool(environ, keep=kept)
        first.provide(matrix.server(server_id))
        first.stop_all()
        second = ServerPool(environ, keep=kept)
        began = time.monotonic()
        second.provide(matrix.server(server_id))
        took = time.monotonic() - began
        assert second.starts == 0, "the kept server was started again"
        from harness.servers.containers import KeptServers

        KeptServers(kept).stop_all()
    return took


def fast_start(plan: ContainerPlan) -> float:
    """A first start with durability off and the data directory on tmpfs."""
    fast = FAST[plan.vendor]
    build = containers_module.build_container

    def build_fast(plan: ContainerPlan, keep: bool = False) -> object:
        container = build(plan, keep)
        container.tmpfs = dict(fast["tmpfs"])
        return container

    containers_module.build_container = build_fast  # type: ignore[assignment]
    try:
        return first_start(dataclasses.replace(plan, kwargs={**plan.kwargs, "command": fast["command"]}))
    finally:
        containers_module.build_container = build


def matrix_run(servers: list[str], jobs: int, environ: dict[str, str]) -> tuple[float, float]:
    """(wall, sum of the cells' durations) of one `dbcompat run` of the servers' cells."""
    with tempfile.TemporaryDirectory() as folder:
        results = Path(folder) / "results"
        command = [str(Path(sys.executable).parent / "dbcompat"), "run", "-q", "--no-report", "-j", str(jobs)]
        command += [f"--server={server}" for server in servers] + ["--results", str(results)]
        began = time.monotonic()
        subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=3600, check=False)
        wall = time.monotonic() - began
        cells = [json.loads(path.read_text()) for path in results.glob("*.json")]
    work = sum(cell["duration"] for cell in cells)
    return wall, work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--options", action="store_true", help="also measure durability off and tmpfs")
    args = parser.parse_args()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DBCOMPAT_URL_")}
    matrix = load_matrix()
    servers = [s.id for s in matrix.servers if environ.get(IMAGE_PREFIX + s.id.upper())]
    if not servers:
        sys.exit(f'no {IMAGE_PREFIX}<SERVER> is set: run eval "$(dbcompat images build)" first')
    starts: dict[str, float] = {}
    for server_id in servers:
        plan = plan_container(matrix.server(server_id), environ)
        times = [first_start(plan) for _ in range(args.repeat)]
        starts[server_id] = statistics.median(times)
        line = f"{server_id:<12} {plan.image:<24} first start {starts[server_id]:6.2f} s (median of {args.repeat})"
        line += f"   kept, taken up again {kept_reuse(server_id, environ):5.2f} s"
        if args.options:
            fast = [fast_start(plan) for _ in range(args.repeat)]
            line += f"   with tmpfs + durability off {statistics.median(fast):6.2f} s"
        print(line, flush=True)
    wall, work = matrix_run(servers, args.jobs, environ)
    bound = max(starts.values()) + work / args.jobs
    print(
        f"container matrix ({', '.join(servers)}, -j {args.jobs}): wall {wall:6.1f} s; "
        f"bound = slowest start {max(starts.values()):.1f} s + cells' work {work:.1f} s / {args.jobs} = {bound:.1f} s "
        f"({wall / bound:.2f}x the bound)"
    )


if __name__ == "__main__":
    main()
