"""The HTML report in a real browser: headless Chromium (Debian's package) driven by Playwright.

The page is opened from the disk, as a reader opens a report folder: the first view, a row expanded
to its cells and their evidence, a finding's reproducer command, the history's marks, the grid of
every cell, a phone's width, and the page without JavaScript. Screenshots go to ``reports/`` (CI
keeps the folder): ``screenshot.png``, the first view, and ``screenshots/*.png``.

Fails in CI when Chromium or Playwright is missing; skips elsewhere.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from harness.report import write_reports
from harness.report.history import load_history
from harness.results import CellResult, Outcome
from tests.reportdata import EXPLANATION, results

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "reports" / "screenshot.png"
SCREENSHOTS = ROOT / "reports" / "screenshots"
NIGHTS = ("2026-11-27", "2026-11-28")


def as_documented_before(rows: list[CellResult]) -> list[CellResult]:
    """The fixed results as an earlier night had them: MariaDB's collation.default as documented."""
    mariadb = rows[1]
    checks = [
        replace(c, outcome=Outcome.AS_DOCUMENTED, observed=c.expected) if c.id == "collation.default" else c
        for c in mariadb.checks
    ]
    return [*rows[:1], replace(mariadb, checks=checks), *rows[2:]]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixed results' report, with a history of two nights: collation.default changed on MariaDB in the second."""
    site = tmp_path_factory.mktemp("site")
    write_reports(as_documented_before(results()), site / "history" / NIGHTS[0])
    write_reports(results(), site / "history" / NIGHTS[1])
    return write_reports(results(), site, history=load_history(site / "history")).html


def shot(page: Any, name: str, full_page: bool = False) -> Path:
    path = SCREENSHOT if name == "screenshot" else SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 5_000
    return path


def open_page(browser: Any, report: Path, width: int = 1400, hash: str = "") -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(report.as_uri() + hash)
    return page, errors


def check_row(page: Any, check_id: str) -> Any:
    return page.locator("tbody.check", has=page.locator("tr.entries > th > code", has_text=check_id))


def entry(page: Any, check_id: str, vendor: str) -> str:
    """The first view's entry of a check on a vendor, as shown."""
    headings = page.locator("table.compat > thead th").all_inner_texts()
    cells = check_row(page, check_id).locator("tr.entries > td")
    return str(cells.nth(headings.index(vendor) - 1).inner_text())


def no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def test_the_first_view_is_the_compatibility_table(browser: Any, report: Path) -> None:
    page, errors = open_page(browser, report)
    assert page.locator("h2").first.inner_text() == "Compatibility table"
    assert page.locator("table.compat > thead th").all_inner_texts() == [
        "Check and claim",
        "SQLite",
        "PostgreSQL",
        "MariaDB",
    ]
    assert page.locator("tbody.check").count() == 3
    assert [text.strip() for text in page.locator("tbody.group").all_inner_texts()] == [
        "Collation and case sensitivity",
        "Row locking with select_for_update()",
    ]
    assert entry(page, "collation.default", "SQLite") == "– 3.40.1"
    assert entry(page, "collation.exact_ignores_case", "MariaDB") == "✓ true — 10.11"
    # Split by Django version and driver only where they differ; the history marks the change.
    mariadb = entry(page, "collation.default", "MariaDB").split("\n")
    assert mariadb == [
        "‼ 10.11 Django 4.2 (connector)",
        "✗ utf8mb4_general_ci — 10.11 Django 5.2 (mysqlclient)",
        f"Δ mariadb1011 {NIGHTS[1]}",
    ]
    # The grids under the rows are closed, and the page does not scroll sideways.
    assert not page.locator("table.cells").first.is_visible()
    assert no_sideways_scroll(page)
    shot(page, "screenshot")
    assert errors == []
    page.close()


def test_filters_apply_to_the_table(browser: Any, report: Path) -> None:
    page, errors = open_page(browser, report)
    page.get_by_label("SQLite", exact=True).uncheck()
    page.get_by_role("checkbox", name="findings").check()
    shown = page.locator("tbody.check:not(.hidden) tr.entries > th > code")
    assert shown.all_inner_texts() == ["collation.default", "row-locking.nowait.use"]
    assert page.locator("#shown").inner_text() == "2 checks × 4 cells shown"
    assert "findings=1" in page.url and "vendor=" in page.url
    # SQLite's column is gone, heading and entries.
    assert page.locator("table.compat > thead th:visible").all_inner_texts() == [
        "Check and claim",
        "PostgreSQL",
        "MariaDB",
    ]
    assert check_row(page, "collation.default").locator("tr.entries > td:visible").count() == 2
    assert errors == []
    page.close()


def test_filters_come_back_from_the_url(browser: Any, report: Path) -> None:
    page, _ = open_page(browser, report, hash="#flags=1")
    shown = page.locator("tbody.check:not(.hidden) tr.entries > th > code").all_inner_texts()
    assert shown == ["row-locking.nowait.use"]  # the one row whose flag disagrees with the server
    assert page.get_by_label("flag disagreements").is_checked()
    page.close()


def test_a_row_expands_to_its_cells_and_their_evidence(browser: Any, report: Path) -> None:
    page, errors = open_page(browser, report)
    row = check_row(page, "collation.default")
    row.locator("summary").click()
    grid = row.locator("table.cells")
    assert grid.is_visible()
    assert grid.locator("thead th").all_inner_texts() == ["Server · driver", "Django 4.2", "Django 5.2", "Django 6.1"]
    assert grid.locator("tbody th").all_inner_texts() == [
        "SQLite",
        "SQLite · sqlite3",
        "PostgreSQL",
        "PostgreSQL 14 · psycopg",
        "MySQL",
        "MySQL 8.0 · connector",
        "MariaDB",
        "MariaDB 10.11 · connector",
        "MariaDB 10.11 · mysqlclient",
    ]
    assert grid.locator("td:not(.none)").all_inner_texts() == ["–", "⊘", "?", "‼", "✗ utf8mb4_general_ci"]
    grid.locator("td.x").click()  # MariaDB through mysqlclient: its evidence file is loaded from the disk
    panel = page.locator("#evidence")
    panel.locator("dt", has_text="Observed").wait_for()
    text = panel.inner_text()
    assert "mariadb1011-mysqlclient-django52" in text
    assert '"utf8mb4_general_ci"' in text and '"utf8mb4_0900_ai_ci"' in text  # observed, expected
    assert EXPLANATION in text
    assert (
        panel.get_by_role("link").first.get_attribute("href") == "https://docs.djangoproject.com/en/5.2/ref/databases/"
    )
    shot(page, "row-expanded")
    assert errors == []
    page.close()


def test_a_finding_shows_the_command_that_reproduces_it(browser: Any, report: Path) -> None:
    page, errors = open_page(browser, report)
    findings = page.locator("ul.findings > li")
    assert findings.count() == 2
    finding = findings.filter(has_text="row-locking.nowait.use")
    command = finding.locator("code.command").first
    assert not command.is_visible()  # one line until opened
    finding.locator("summary").click()
    assert finding.locator("code.command").all_inner_texts() == [
        "dbcompat repro row-locking.nowait.use mariadb1011-connector-django42",
        "dbcompat repro row-locking.nowait.use mariadb1011-mysqlclient-django52",
    ]
    assert "Unexplained: no explanation" in finding.inner_text()
    page.evaluate("() => document.getElementById('findings').scrollIntoView()")
    shot(page, "finding")
    # A cell of the finding opens its check's grid there, with the cell's evidence.
    finding.get_by_role("link", name="mariadb1011-connector-django42").click()
    page.locator("#evidence dt", has_text="Outcome").wait_for()
    assert "mariadb1011-connector-django42" in page.locator("#evidence").inner_text()
    assert check_row(page, "row-locking.nowait.use").locator("table.cells").is_visible()
    assert page.locator("table.cells td.selected").inner_text() == "✗ ProgrammingError"
    assert errors == []
    page.close()


def test_the_history_marks_lead_to_the_change(browser: Any, report: Path) -> None:
    page, errors = open_page(browser, report)
    mark = check_row(page, "collation.default").locator("a.hist")
    assert mark.inner_text() == f"Δ mariadb1011 {NIGHTS[1]}"
    mark.click()
    assert page.url.endswith("#history-0")
    target = page.locator("#history-0")
    assert target.is_visible()
    cells = target.locator("th, td").all_inner_texts()
    assert cells[:2] == ["collation.default", "mariadb1011"]
    assert cells[4] == f"{NIGHTS[1]}: ✓ as documented → ✗ differs from docs (mysqlclient: Django 5.2)"
    assert page.locator("tbody.check:not(.hidden)").count() == 3  # a place, not a filter
    page.evaluate("() => document.getElementById('history').scrollIntoView()")
    shot(page, "history")
    assert errors == []
    page.close()


def test_the_grid_of_every_cell_is_the_second_view(browser: Any, report: Path) -> None:
    page, errors = open_page(browser, report)
    page.locator("#show-grid").click()
    grid = page.locator("table.matrix")
    assert grid.locator("tr.check").count() == 3
    assert grid.locator("thead tr").nth(2).locator("th").all_inner_texts() == [
        "Check · Django",
        "5.2",
        "6.1",
        "5.2",
        "4.2 ≠ ◌",  # Django's view of MariaDB through Connector/Python differs, and was not all readable
        "5.2",
    ]
    row = grid.locator("tr.check", has=page.locator("code", has_text="row-locking.nowait.use"))
    assert row.locator("td").all_inner_texts() == ["✓ ok", "⊘", "?", "✗ ProgrammingError", "✗ ProgrammingError⚑"]
    page.get_by_label("MariaDB", exact=True).uncheck()
    assert grid.locator("thead tr").nth(2).locator("th:visible").count() == 1 + 3
    page.get_by_label("MariaDB", exact=True).check()
    row.locator("td.x").first.click()
    page.locator("#evidence dt", has_text="Outcome").wait_for()
    assert "mariadb1011-connector-django42" in page.locator("#evidence").inner_text()
    page.evaluate("() => document.getElementById('grid').scrollIntoView()")
    shot(page, "grid")
    assert errors == []
    page.close()


def test_a_phone_reads_the_table_without_scrolling_sideways(browser: Any, report: Path) -> None:
    page, errors = open_page(browser, report, width=400)
    assert no_sideways_scroll(page)
    assert not page.locator("form.filters").is_visible()  # the filters start closed on a phone
    assert not page.locator("table.compat > thead").is_visible()
    # Each entry says whose it is.
    assert entry(page, "collation.default", "SQLite") == "SQLite: – 3.40.1"
    shot(page, "phone-400")
    check_row(page, "collation.default").locator("summary").click()
    assert no_sideways_scroll(page)  # a check's grid scrolls in its own box, if at all
    shot(page, "phone-400-expanded")
    assert errors == []
    page.close()


def test_readable_without_javascript(browser: Any, report: Path) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(report.as_uri())
    assert page.locator("table.compat").is_visible()
    assert page.locator("tbody.check").count() == 3
    assert not page.locator("form.filters").is_visible()
    assert not page.locator("#show-grid").is_visible()
    assert entry(page, "row-locking.nowait.use", "MariaDB") == "✗ ProgrammingError — 10.11"
    # Rows and findings open as they are, without a script.
    row = check_row(page, "row-locking.nowait.use")
    row.locator("summary").click()
    assert row.locator("table.cells td:not(.none)").count() == 5
    finding = page.locator("ul.findings > li").filter(has_text="collation.default")
    finding.locator("summary").click()
    assert finding.locator("code.command").inner_text() == (
        "dbcompat repro collation.default mariadb1011-mysqlclient-django52"
    )
    assert (
        "The grid is drawn by the page's script"
        in page.locator("#grid ~ noscript, section[aria-labelledby=grid]").last.inner_text()
    )
    shot(page, "no-javascript", full_page=True)
    context.close()
