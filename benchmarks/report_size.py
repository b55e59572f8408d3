"""The report of a large matrix: how long ``dbcompat report`` takes, its peak memory, and the page in a browser.

    python benchmarks/report_size.py [--cells 1000] [--checks 200] [--browser /usr/bin/chromium]

Writes synthetic results (a results file per cell, as ``dbcompat run`` leaves them: five vendors and a
third-party one, many server versions, two drivers each, four Django versions; every outcome, SQL per
check, findings on some servers, flag disagreements, cells that did not run), then runs
``dbcompat report`` on them in a process of its own and prints its wall time, its peak memory (the
process's maximum resident set size) and the sizes of what it wrote. Then it opens index.html from
the disk in headless Chromium (Playwright; Debian's package, nothing is downloaded) and times, in the
page, until the first view is interactive (its script has run), a filter applied until the next frame
is drawn, a row opened until its grid of every cell is drawn, and an entry's evidence opened (its file
loaded) until it is drawn.

Each figure is printed next to the same figure for the report of commit 55a1fad (the report before the
compatibility table: a column per cell, every cell's evidence inlined in the page) and the target.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from harness.results import CellResult, CellStatus, CheckResult, DriverInfo, Outcome, ServerInfo, write_result

# (vendor, server id prefix, drivers, version of the n-th server): a round adds one server of each.
VENDORS = [
    ("sqlite", "sqlite", ["sqlite3", "pysqlite3"], lambda n: f"3.{30 + n}"),
    ("postgresql", "postgres", ["psycopg", "psycopg2"], lambda n: f"{10 + n // 4}.{n % 4}"),
    ("mysql", "mysql", ["mysqlclient", "connector"], lambda n: f"{5 + n // 10}.{n % 10}"),
    ("mariadb", "mariadb", ["mysqlclient", "connector"], lambda n: f"{10 + n // 12}.{n % 12}"),
    ("oracle", "oracle", ["oracledb"], lambda n: f"{19 + n}"),
    ("mssql", "mssql", ["mssql"], lambda n: f"{2016 + n}"),  # a third-party backend (mssql-django)
]
DJANGOS = ["4.2", "5.2", "6.0", "6.1"]
OUTCOMES = [Outcome.AS_DOCUMENTED] * 7 + [Outcome.NO_CLAIM] * 3 + [Outcome.NOT_APPLICABLE]

# Commit 55a1fad (a column per cell, every cell's evidence inlined in the page): ``dbcompat report`` of this
# script's 1000 cells x 200 checks, run from a copy of that commit on the 2-core machine the figures were
# taken on, a CI run going on beside it (load average 6 to 8): its wall times say as much about the machine
# as about the report, the CPU time less so.
BEFORE = {
    "report": "48.6 s",
    "cpu": "21.6 s",
    "memory": "1025 MB",
    "index": "19.40 MiB",
    "interactive": "36.2 s",
    "filter": "2226 ms",
    "evidence": "20 ms (inlined)",
}
TARGETS = {
    "report": "<= 3 s",
    "cpu": "",
    "memory": "<= 300 MB",
    "interactive": "<= 2 s",
    "filter": "<= 200 ms",
    "evidence": "<= 200 ms",
}


def synthetic(cells: int, checks: int) -> Iterator[CellResult]:
    """``cells`` results of ``checks`` checks each, made one at a time."""
    made = 0
    round_ = 0
    while made < cells:
        for rank, (vendor, prefix, drivers, version_of) in enumerate(VENDORS):
            version = version_of(round_)
            server = f"{prefix}{version.replace('.', '')}"
            for driver in drivers:
                for django in DJANGOS:
                    if made == cells:
                        return
                    yield _cell(made, rank, vendor, server, version, driver, django, round_, checks)
                    made += 1
        round_ += 1


def _cell(
    index: int, rank: int, vendor: str, server: str, version: str, driver: str, django: str, round_: int, checks: int
) -> CellResult:
    cell = f"{server}-{driver}-django{django.replace('.', '')}"
    common = {
        "server": ServerInfo(server, vendor, version, "url", f"DBCOMPAT_URL_{server.upper()}=...", f"{version}.1"),
        "driver": DriverInfo(driver, driver, driver, "1.0"),
        "django_version": f"{django}.1",
        "django_release": django,
        "python_version": "3.12.1",
        "harness_version": "0",
        "started_at": "2026-01-01T00:00:00+00:00",
        "finished_at": "2026-01-01T00:00:10+00:00",
        "duration": 10.0,
    }
    if index % 97 == 13:  # now and then a server nobody provided
        return CellResult(cell=cell, status=CellStatus.UNAVAILABLE, reason="no server: set a URL", **common)  # type: ignore[arg-type]
    records = []
    for number in range(checks):
        outcome = OUTCOMES[(rank * 7 + number) % len(OUTCOMES)]
        # Some checks differ from the docs on a vendor's older servers, some through one driver only.
        if number % 23 == rank and round_ < 10:
            outcome = Outcome.DIFFERS
        if number % 41 == rank and driver.endswith("2"):
            outcome = Outcome.DIFFERS
        if index % 331 == number:
            outcome = Outcome.HARNESS_ERROR
        observed: object = [number % 3, "abc"] if number % 2 else (rank + number) % 5 == 0
        if outcome is Outcome.DIFFERS:
            observed = f"{vendor}-{number % 4}"
        claimed = outcome in (Outcome.AS_DOCUMENTED, Outcome.DIFFERS)
        records.append(
            CheckResult(
                id=f"behaviour{number % 12}.check{number}",
                behaviour=f"behaviour{number % 12}",
                outcome=outcome,
                observed=observed,
                expected=observed if outcome is Outcome.AS_DOCUMENTED else True,
                claim=f"The docs' claim for check {number}, in one sentence of moderate length." if claimed else None,
                source=f"Django {django} docs, ref/databases, Some notes > Section {number % 7}" if claimed else None,
                source_url=f"https://docs.djangoproject.com/en/{django}/ref/databases/" if claimed else None,
                flags={"has_feature": {"value": True, "agrees": number % 17 != 0}},
                sql=[f'SELECT "col{number}" FROM "suites_table{number}" WHERE "x" = %s  -- params: (0,)'],
                duration=0.01,
                reason="Not applicable here, for a reason." if outcome is Outcome.NOT_APPLICABLE else None,
                error="Traceback: the check failed." if outcome is Outcome.HARNESS_ERROR else None,
                explanation=f"{vendor} does otherwise, as its manual says." if outcome is Outcome.DIFFERS else None,
            )
        )
    return CellResult(cell=cell, status=CellStatus.RAN, checks=records, **common)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=1000)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--browser", default="/usr/bin/chromium", help="Chromium to time the page in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results, output = Path(folder) / "results", Path(folder) / "report"
        for result in synthetic(args.cells, args.checks):
            write_result(results, result)
        print(f"{args.cells} cells x {args.checks} checks = {args.cells * args.checks} entries")
        print(f"load average {' '.join(f'{n:.2f}' for n in os.getloadavg())} on {os.cpu_count()} CPUs")
        print(f"{'':<28} {'now':>12}   {'55a1fad':<20} target")
        elapsed, cpu, peak = run_report(results, output)
        figure("dbcompat report, wall time", f"{elapsed:.2f} s", "report")
        figure("  CPU time (user + system)", f"{cpu:.2f} s", "cpu")
        figure("  peak memory (max RSS)", f"{peak / 1024:.0f} MB", "memory")
        sizes(output)
        if Path(args.browser).exists():
            browser_times(output / "index.html", args.browser)
        else:
            print(f"no Chromium at {args.browser}: the page's timings are not measured")


def figure(what: str, now: str, key: str) -> None:
    print(f"{what:<28} {now:>12}   {BEFORE.get(key, ''):<20} {TARGETS.get(key, '')}")


def run_report(results: Path, output: Path) -> tuple[float, float, int]:
    """``dbcompat report`` in a process of its own: its wall and CPU time, and its maximum resident set in KiB."""
    command = [str(Path(sys.executable).parent / "dbcompat"), "report", str(results), "--output", str(output)]
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"dbcompat report exited with {process.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def sizes(output: Path) -> None:
    for name in ("index.html", "compat.md", "results.json"):
        now = f"{(output / name).stat().st_size / 1024 / 1024:.2f} MiB"
        figure(f"  {name}", now, "index" if name == "index.html" else "")
    evidence = [p for p in (output / "evidence").iterdir() if p.suffix == ".js"]
    total = sum(p.stat().st_size for p in evidence) / 1024 / 1024
    figure("  evidence/", f"{total:.2f} MiB", "")
    largest = max(p.stat().st_size for p in evidence) // 1024
    print(f"{'':<28} {'':>12}   ({len(evidence)} files, the largest {largest} KiB)")


# In the page: a click, then the time until the frame after the change is drawn.
_FILTER = """async () => {
  const box = document.querySelector('input[name="findings"]');
  const began = performance.now();
  box.click();
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return [performance.now() - began, document.getElementById("shown").textContent];
}"""
_EXPAND = """async () => {
  const body = document.querySelector("tbody.check:not(.hidden)");
  const began = performance.now();
  body.querySelector("details").open = true;
  while (!body.querySelector("table.cells")) { await new Promise((done) => requestAnimationFrame(done)); }
  await new Promise((done) => requestAnimationFrame(done));
  return [performance.now() - began, body.querySelectorAll("table.cells td:not(.none)").length];
}"""
_EVIDENCE = """async () => {
  const body = document.querySelector("tbody.check:not(.hidden)");
  const td = body.querySelector("table.cells td.x") || body.querySelector("table.cells td:not(.none)");
  const panel = document.getElementById("evidence");
  const began = performance.now();
  td.click();
  while (!panel.querySelector("dt")) { await new Promise((done) => requestAnimationFrame(done)); }
  await new Promise((done) => requestAnimationFrame(done));
  return [performance.now() - began, panel.querySelector("h2").textContent];
}"""


def browser_times(html: Path, executable: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        began = time.perf_counter()
        page.goto(html.as_uri(), wait_until="commit", timeout=120_000)
        # Polled by evaluating a function: the page's Content-Security-Policy refuses the eval() of waiting
        # for a JavaScript expression.
        while not page.evaluate("() => (document.getElementById('shown') || {}).textContent > ''"):
            time.sleep(0.005)
        interactive = time.perf_counter() - began
        figure("page interactive", f"{interactive:.2f} s", "interactive")
        timing = page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0].toJSON())")
        import json

        loaded = json.loads(timing)
        print(f"{'':<28} {'':>12}   (the browser's own: DOM interactive {loaded['domInteractive'] / 1000:.2f} s, "
              f"loaded {loaded['loadEventEnd'] / 1000:.2f} s)")  # fmt: skip
        filtered, shown = page.evaluate(_FILTER)
        figure("filter (only findings)", f"{filtered:.0f} ms", "filter")
        print(f"{'':<28} {'':>12}   ({shown})")
        expanded, entries = page.evaluate(_EXPAND)
        figure("row expanded", f"{expanded:.0f} ms", "")
        print(f"{'':<28} {'':>12}   (its grid of {entries} cells drawn)")
        opened, check = page.evaluate(_EVIDENCE)
        figure("evidence (one entry)", f"{opened:.0f} ms", "evidence")
        print(f"{'':<28} {'':>12}   (of {check}, its cell's file loaded from the disk)")
        if problems:
            print(f"errors in the page: {problems}")
        browser.close()


if __name__ == "__main__":
    main()
