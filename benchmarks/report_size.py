"""Size and render time of the HTML report for a large matrix.

    python benchmarks/report_size.py [--cells 300] [--checks 200]

Builds synthetic results (every outcome, SQL per check, a few findings and flag
disagreements), renders index.html, compat.md and results.json, and prints sizes and times.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from harness.report import write_reports
from harness.results import CellResult, CellStatus, CheckResult, DriverInfo, Outcome, ServerInfo

VENDORS = [
    ("postgresql", "postgres", "15"),
    ("mariadb", "mariadb", "10.11"),
    ("mysql", "mysql", "8.4"),
    ("sqlite", "sqlite", None),
    ("oracle", "oracle", "23"),
]
DRIVERS = {
    "postgresql": ["psycopg", "psycopg2"],
    "mariadb": ["mysqlclient", "connector"],
    "mysql": ["mysqlclient", "connector"],
    "sqlite": ["sqlite3"],
    "oracle": ["oracledb"],
}
OUTCOMES = [Outcome.AS_DOCUMENTED] * 6 + [Outcome.NO_CLAIM] * 3 + [Outcome.DIFFERS, Outcome.NOT_APPLICABLE]


def synthetic(cells: int, checks: int) -> list[CellResult]:
    results = []
    for index in range(cells):
        vendor, prefix, version = VENDORS[index % len(VENDORS)]
        driver = DRIVERS[vendor][index % len(DRIVERS[vendor])]
        django = ["4.2", "5.2", "6.0", "6.1"][index % 4]
        cell = f"{prefix}{index}-{driver}-django{django.replace('.', '')}"
        records = []
        for number in range(checks):
            outcome = OUTCOMES[(index + number) % len(OUTCOMES)]
            records.append(
                CheckResult(
                    id=f"behaviour{number % 12}.check{number}",
                    behaviour=f"behaviour{number % 12}",
                    outcome=outcome,
                    observed=[number % 3, "abc"] if number % 2 else number % 5 == 0,
                    expected=True,
                    claim=f"The docs' claim for check {number}, in one sentence of moderate length.",
                    source=f"Django {django} docs, ref/databases, Some notes > Section {number % 7}",
                    source_url=f"https://docs.djangoproject.com/en/{django}/ref/databases/",
                    flags={"has_feature": {"value": True, "agrees": number % 17 != 0}},
                    sql=[f'SELECT "col{number}" FROM "suites_table{number}" WHERE "x" = %s  -- params: (0,)'],
                    duration=0.01,
                    reason="Not applicable here, for a reason." if outcome is Outcome.NOT_APPLICABLE else None,
                )
            )
        results.append(
            CellResult(
                cell=cell,
                status=CellStatus.RAN,
                server=ServerInfo(f"{prefix}{index}", vendor, version, "url", "DBCOMPAT_URL_X=...", version or "3.40"),
                driver=DriverInfo(driver, driver, driver, "1.0"),
                django_version=f"{django}.1",
                python_version="3.12.1",
                harness_version="0",
                started_at="2026-01-01T00:00:00+00:00",
                finished_at="2026-01-01T00:00:10+00:00",
                duration=10.0,
                checks=records,
            )
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=300)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--browser", default="/usr/bin/chromium", help="Chromium to time loading and filtering in")
    args = parser.parse_args()
    results = synthetic(args.cells, args.checks)
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        written = write_reports(results, Path(folder))
        elapsed = time.perf_counter() - began
        print(f"{args.cells} cells x {args.checks} checks = {args.cells * args.checks} table cells")
        for path in (written.html, written.markdown, written.merged):
            print(f"{path.name:<13} {path.stat().st_size / 1024 / 1024:8.2f} MiB")
        print(f"render time   {elapsed:8.2f} s (all three files)")
        if Path(args.browser).exists():
            browser_times(written.html, args.browser)


def browser_times(html: Path, executable: str) -> None:
    """Load the page in headless Chromium, then time one filter and one click on the evidence."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        began = time.perf_counter()
        page.goto(html.as_uri(), wait_until="load")
        page.wait_for_function("document.getElementById('shown').textContent.length > 0")
        print(f"browser load  {time.perf_counter() - began:8.2f} s (parse, first filter pass)")
        began = time.perf_counter()
        page.get_by_label("findings").check()
        page.wait_for_function("location.hash.indexOf('findings=1') >= 0")
        print(f"filter        {time.perf_counter() - began:8.2f} s (only findings)")
        began = time.perf_counter()
        page.locator("tr.check:not(.hidden) td").first.click()
        page.locator("#evidence").wait_for(state="visible")
        print(f"evidence      {time.perf_counter() - began:8.2f} s (one click)")
        browser.close()


if __name__ == "__main__":
    main()
