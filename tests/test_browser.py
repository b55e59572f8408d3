"""The HTML report in a real browser: headless Chromium (Debian's package) driven by Playwright.

Fails in CI when Chromium or Playwright is missing; skips elsewhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.report import write_reports
from tests.reportdata import results

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "reports" / "screenshot.png"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_reports(results(), tmp_path_factory.mktemp("report")).html


def test_filter_then_open_evidence(browser: Any, report: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(report.as_uri())
    rows = page.locator("tr.check:not(.hidden)")
    assert rows.count() == 3
    # Filter: no SQLite, only findings.
    page.get_by_label("SQLite", exact=True).uncheck()
    page.get_by_label("findings").check()
    assert rows.count() == 2
    assert sorted(rows.locator("th code").all_inner_texts()) == ["collation.default", "row-locking.nowait.use"]
    assert "findings=1" in page.url and "vendor=" in page.url
    assert page.locator("#shown").inner_text() == "2 checks × 4 cells shown"
    # Evidence: the MariaDB cell of collation.default.
    row = page.locator("tr.check", has=page.locator("code", has_text="collation.default"))
    row.locator("td.x").click()  # MariaDB through mysqlclient; its connector cell is a harness error
    panel = page.locator("#evidence")
    assert panel.is_visible()
    text = panel.inner_text()
    assert "collation.default" in text
    assert "mariadb1011-mysqlclient-django52" in text
    assert "utf8mb4_general_ci" in text  # observed
    assert "utf8mb4_0900_ai_ci" in text  # expected
    # The claim's source, then the explanation's.
    assert (
        panel.get_by_role("link").first.get_attribute("href") == "https://docs.djangoproject.com/en/5.2/ref/databases/"
    )
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False)
    assert SCREENSHOT.stat().st_size > 10_000
    assert errors == []


def test_filters_come_back_from_the_url(browser: Any, report: Path) -> None:
    page = browser.new_page()
    page.goto(report.as_uri() + "#flags=1")
    visible = page.locator("tr.check:not(.hidden) th code").all_inner_texts()
    assert visible == ["row-locking.nowait.use"]  # the one row whose flag disagrees with the server
    assert page.get_by_label("flag disagreements").is_checked()


def test_readable_without_javascript(browser: Any, report: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(report.as_uri())
    assert page.locator("table.matrix").is_visible()
    assert page.locator("tr.check").count() == 3
    assert not page.locator("form.filters").is_visible()
    assert "collation.default" in page.locator("#findings + ul").inner_text()
    context.close()
