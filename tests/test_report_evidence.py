"""What the report shows of the evidence: observed errors, failed setup steps, claims by reference,
explanations of findings (and the unexplained ones), Django's view of each server, the settings, and
each Django version's own wording of a claim."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from harness.report import write_reports
from harness.report.build import build_report, claim_groups
from harness.report.diff import diff_results, has_regressions
from harness.report.html import render_html
from harness.report.markdown import render_markdown
from harness.report.model import ClaimGroup, Report, Row
from harness.results import CellResult, CheckResult, Outcome
from tests.reportdata import (
    APPLIES_BY,
    CLAIM,
    CLAIM_42,
    EXPLANATION,
    EXPLANATION_SOURCE,
    EXPLANATION_URL,
    SETUP_ERROR,
    URL,
    URL_42,
    VIEW_MISMATCH,
    VIEW_UNREADABLE,
    check,
    check_record,
    record_of,
    results,
)

MYSQLCLIENT, CONNECTOR = 1, 4  # MariaDB's two cells in tests.reportdata.results()
PLACE = "ref/databases, MySQL notes > Collation settings"


def evidence_of(folder: Path, check_id: str, cell: str) -> dict[str, Any]:
    """One entry's evidence as the page's script reads it: the check's record in the cell's evidence file."""
    return {name: value for name, value in check_record(folder, cell, check_id).items() if value not in (None, [], {})}


def rendered(tmp_path: Path, rows: list[CellResult] | None = None) -> tuple[Report, str, Path]:
    """The report of ``rows`` (the fixed results): built, and written with its evidence."""
    given = results() if rows is None else rows
    written = write_reports(given, tmp_path / "report")
    return build_report(given), written.html.read_text(encoding="utf-8"), written.html.parent


def rows(report: Report) -> list[Row]:
    return [row for group in report.groups for row in group.rows]


def row_of(report: Report, check_id: str) -> Row:
    return next(row for row in rows(report) if row.check == check_id)


def finding_items(page: str) -> list[str]:
    """Each finding's line of the page (on each server), as its HTML: collapsed to its summary until opened."""
    section = page[page.index('<h2 id="findings">') :]
    section = section[: section.index("</section>")]
    return re.findall(r'<li(?: class="unexplained")?><details>.*?</details></li>', section, re.S)


def markdown_findings(markdown: str) -> list[str]:
    """Each finding of compat.md with its sub-items, as one text."""
    section = markdown.split("## Differs from docs\n", 1)[1].split("\n## ", 1)[0]
    return ["- " + item for item in section.split("\n- ")[1:]]


# -- findings: explained and unexplained -------------------------------------------------------


def test_the_summary_counts_unexplained_findings_and_marks_them() -> None:
    report = build_report(results())
    assert [(f.check, f.explanation) for f in report.findings] == [
        ("collation.default", EXPLANATION),
        ("row-locking.nowait.use", None),
    ]
    assert report.unexplained == 1
    page = render_html(report)
    assert "Differs from docs (2 findings, 1 unexplained, in 2 cells)" in page
    explained, unexplained = finding_items(page)
    assert 'class="unexplained"' not in explained and "Unexplained:" not in explained
    assert unexplained.startswith('<li class="unexplained">') and "Unexplained:</b>" in unexplained
    markdown = render_markdown(report)
    assert "\n2 findings, 1 unexplained.\n" in markdown
    first, second = markdown_findings(markdown)
    assert "*unexplained*" not in first
    assert second.startswith("- `row-locking.nowait.use`: observed ProgrammingError, the docs say ok")
    assert "  - *unexplained*: no explanation" in second


def test_an_explanation_is_shown_with_its_source_and_link(tmp_path: Path) -> None:
    report, page, folder = rendered(tmp_path)
    explained = finding_items(page)[0]
    assert "MariaDB&#39;s default collation for utf8mb4 is utf8mb4_general_ci" in explained
    assert f'<a href="{EXPLANATION_URL}" rel="noreferrer">{EXPLANATION_SOURCE}</a>' in explained
    first = markdown_findings(render_markdown(report))[0]
    assert (
        "  - why: MariaDB's default collation for utf8mb4 is utf8mb4\\_general\\_ci; utf8mb4\\_0900\\_ai\\_ci is "
        f"MySQL 8.0's. ({EXPLANATION_SOURCE} <{EXPLANATION_URL}>)"
    ) in first
    evidence = evidence_of(folder, "collation.default", "mariadb1011-mysqlclient-django52")
    assert evidence["explanation"] == EXPLANATION
    assert evidence["explanation_source"] == EXPLANATION_SOURCE
    assert evidence["explanation_url"] == EXPLANATION_URL


def test_cells_of_one_finding_explained_differently_are_separate_findings() -> None:
    rows_ = results()
    connector = rows_[CONNECTOR]
    explained = [
        replace(c, explanation="MariaDB added NOWAIT in 10.3.", explanation_source="MariaDB KB, NOWAIT")
        if c.id == "row-locking.nowait.use"
        else c
        for c in connector.checks
    ]
    rows_[CONNECTOR] = replace(connector, checks=explained)
    report = build_report(rows_)
    nowait = [f for f in report.findings if f.check == "row-locking.nowait.use"]
    assert [([cell for cell, _ in f.cells], f.explanation) for f in nowait] == [
        (["mariadb1011-connector-django42"], "MariaDB added NOWAIT in 10.3."),
        (["mariadb1011-mysqlclient-django52"], None),
    ]
    assert report.unexplained == 1  # the mysqlclient cell is still unexplained, and counted
    page = render_html(report)
    assert "Differs from docs (3 findings, 1 unexplained, in 2 cells)" in page
    # A source without a link is shown as text.
    assert "(MariaDB KB, NOWAIT)" in page


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example/"])
def test_an_explanation_url_that_is_not_http_is_no_link(url: str, tmp_path: Path) -> None:
    rows_ = results()
    mariadb = rows_[MYSQLCLIENT]
    rows_[MYSQLCLIENT] = replace(
        mariadb, checks=[replace(c, explanation_url=url) if c.explanation else c for c in mariadb.checks]
    )
    report, page, folder = rendered(tmp_path, rows_)
    markdown = render_markdown(report)
    assert url not in page and url not in markdown
    # Nor in the evidence the page loads: the results file beside it still has it.
    assert all(url not in path.read_text() for path in (folder / "evidence").iterdir())
    assert url in (folder / "results.json").read_text()
    assert EXPLANATION_SOURCE in finding_items(page)[0]  # still shown, as text
    assert f"({EXPLANATION_SOURCE})" in markdown_findings(markdown)[0]
    assert "explanation_url" not in evidence_of(folder, "collation.default", "mariadb1011-mysqlclient-django52")


def test_a_markdown_autolink_cannot_leave_its_brackets_or_the_table() -> None:
    rows_ = results()
    mariadb = rows_[MYSQLCLIENT]
    odd = "https://evil.example/a b>|<script>`x`"
    rows_[MYSQLCLIENT] = replace(
        mariadb, checks=[replace(c, explanation_url=odd) if c.explanation else c for c in mariadb.checks]
    )
    markdown = render_markdown(rows_)
    assert "<https://evil.example/a%20b%3E%7C%3Cscript%3E%60x%60>" in markdown
    assert "<script" not in markdown


def test_a_change_of_explanation_alone_is_listed_and_no_regression() -> None:
    old = results()
    new = results()
    mariadb = new[MYSQLCLIENT]
    new[MYSQLCLIENT] = replace(
        mariadb, checks=[replace(c, explanation=None) if c.explanation else c for c in mariadb.checks]
    )
    changes = diff_results(old, new)
    assert [(c.cell, c.check, c.what, c.old, c.new, c.regression) for c in changes] == [
        ("mariadb1011-mysqlclient-django52", "collation.default", "explanation", EXPLANATION, None, False)
    ]
    assert changes[0].describe().endswith("… -> (none)")  # long texts are cut
    assert not has_regressions(changes)


# -- the evidence of one entry -----------------------------------------------------------------


def test_an_observed_error_keeps_its_classes_code_sqlstate_and_message(tmp_path: Path) -> None:
    _, _, folder = rendered(tmp_path)
    evidence = evidence_of(folder, "row-locking.nowait.use", "mariadb1011-mysqlclient-django52")
    assert evidence["errors"] == [
        {
            "exception": "django.db.utils.ProgrammingError",
            "driver_exception": "MySQLdb.ProgrammingError",
            "code": "1064",
            "sqlstate": "42000",
            "message": "You have an error in your SQL syntax; check the manual near 'NOWAIT' at line 1",
        }
    ]
    assert "failed_step" not in evidence


def test_a_failed_setup_step_is_named_with_its_error(tmp_path: Path) -> None:
    _, _, folder = rendered(tmp_path)
    evidence = evidence_of(folder, "collation.default", "mariadb1011-connector-django42")
    assert evidence["outcome"] == Outcome.HARNESS_ERROR.value
    assert evidence["failed_step"] == "create the table"
    assert evidence["error"].startswith("setup step 'create the table' failed: ")
    (error,) = evidence["errors"]
    assert (error["code"], error["sqlstate"], error["message"]) == ("1273", "HY000", SETUP_ERROR.message)
    # Not an observation: nothing observed, nothing expected.
    assert "observed" not in evidence and "expected" not in evidence


def test_how_a_claim_applies_is_next_to_it(tmp_path: Path) -> None:
    report, page, folder = rendered(tmp_path)
    assert evidence_of(folder, "collation.default", "mariadb1011-mysqlclient-django52")["applies_by"] == APPLIES_BY
    assert "applies_by" not in evidence_of(folder, "collation.default", "sqlite-sqlite3-django52")
    # And with the finding, where its claim applies by reference.
    assert [f.applies_by for f in report.findings] == [(APPLIES_BY,), ()]
    explained, unexplained = finding_items(page)
    assert "<b>How this claim applies:</b> MySQL notes, applied to MariaDB by the MariaDB notes&#39;" in explained
    assert "How this claim applies" not in unexplained
    first = markdown_findings(render_markdown(report))[0]
    assert f"  - how this claim applies: {APPLIES_BY}\n" in first


# -- Django's view of the server ---------------------------------------------------------------


def test_a_django_view_mismatch_is_shown_with_the_cell_the_servers_and_compat_md(tmp_path: Path) -> None:
    report, page, folder = rendered(tmp_path)
    notes = re.search(r'<ul class="cell-notes">(.*?)</ul>', page, re.S)
    assert notes is not None
    (line,) = re.findall(r"<li>(.*?)</li>", notes.group(1), re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "", line))
    assert text.startswith("mariadb1011-connector-django42; ≠ Django's view differs: ")
    assert f"Django's view differs: {VIEW_MISMATCH}" in text
    assert f"◌ Django's view not readable: {VIEW_UNREADABLE}" in text
    # The servers section: each backend's view of MariaDB 10.11.
    (mariadb,) = [s for s in report.servers if s.server == "mariadb1011"]
    assert [(v.driver, v.djangos, v.view.display_name, v.view.is_mariadb, v.view.version) for v in mariadb.views] == [
        ("connector", "4.2", None, False, "10.11.19"),
        ("mysqlclient", "5.2", "MariaDB", True, "10.11.19"),
    ]
    views = re.search(r'<table class="plain views">(.*?)</table>', page, re.S)
    assert views is not None
    assert "≠ " + VIEW_MISMATCH.replace("'", "&#39;") in views.group(1)
    assert "◌ Not readable: " + VIEW_UNREADABLE in views.group(1)
    # Each cell's evidence gives the panel the cell's view.
    assert record_of(folder, "mariadb1011-connector-django42")["server"]["django_view"]["mismatch"] == VIEW_MISMATCH
    assert record_of(folder, "mysql80-connector-django52")["server"]["django_view"] is None  # never connected
    markdown = render_markdown(report)
    (line,) = [line for line in markdown.splitlines() if line.startswith("| `mariadb1011-connector-django42`")]
    assert "no display name, vendor mysql, MariaDB detected: no, version 10.11.19" in line
    assert "≠ Django's backend takes the server for MySQL" in line
    assert "| `mariadb1011-mysqlclient-django52`" not in markdown  # its view is as the server reported


def test_no_view_section_in_compat_md_when_every_backend_sees_its_server_as_it_is() -> None:
    rows_ = results()
    connector = rows_[CONNECTOR]
    view = connector.server.django_view
    assert view is not None
    rows_[CONNECTOR] = replace(
        connector, server=replace(connector.server, django_view=replace(view, mismatch=None, unreadable=None))
    )
    assert "## Django's view of the server" not in render_markdown(rows_)
    assert '<span class="view-mark">' not in render_html(build_report(rows_))


# -- settings ----------------------------------------------------------------------------------


def test_settings_show_unreadable_values_as_such_and_say_who_read_what() -> None:
    report = build_report(results())
    (mariadb,) = [s for s in report.servers if s.server == "mariadb1011"]
    settings = {s.name: s.values for s in mariadb.settings}
    # Read alike by both cells: one value, no "where".
    assert [(v.value, v.unreadable, v.where) for v in settings["time_zone_tables_loaded"]] == [("0", False, "")]
    # Read differently by the two drivers: each value with the cells that read it.
    assert [(v.value, v.unreadable, v.where) for v in settings["character_set_collations"]] == [
        ("(not readable: DatabaseError)", True, "connector (Django 4.2)"),
        ("(not readable: OperationalError)", True, "mysqlclient (Django 5.2)"),
    ]
    page = render_html(report)
    assert (
        '<em class="unreadable">(not readable: DatabaseError)</em> <small class="meta">connector (Django 4.2)</small>'
        in page
    )
    assert "<code>(not readable" not in page


# -- each Django version's own claim -----------------------------------------------------------


def test_claims_are_grouped_by_the_django_versions_whose_docs_word_them_alike() -> None:
    report = build_report(results())
    assert row_of(report, "collation.exact_ignores_case").claims == (
        ClaimGroup("4.2", CLAIM_42, PLACE, URL_42),
        ClaimGroup("5.2", CLAIM, PLACE, URL),
    )
    # One wording for every version that has a claim: shown alone, without versions.
    (only,) = row_of(report, "collation.default").claims
    assert only.text == CLAIM
    page = render_html(report)
    head = re.search(r"<code>collation.exact_ignores_case</code>(.*?)</th>", page)
    assert head is not None
    assert "<b>Django 4.2:</b> MySQL&#39;s default collation is case-insensitive." in head.group(1)
    link = f'<a href="{URL_42}" rel="noreferrer">ref/databases, MySQL notes &gt; Collation settings</a>'
    assert link in head.group(1)
    assert "<b>Django 5.2:</b> With the default collation" in head.group(1)
    default = re.search(r"<code>collation.default</code>(.*?)</th>", page)
    assert default is not None and default.group(1) == f'<span class="claim">{CLAIM}</span>'
    markdown = render_markdown(report)
    (line,) = [line for line in markdown.splitlines() if line.startswith("| `collation.exact_ignores_case`")]
    assert (
        "| Django 4.2: MySQL's default collation is case-insensitive. (ref/databases, MySQL notes &gt; Collation "
        "settings) · Django 5.2: With the default collation MySQL compares strings case-insensitively. "
        "(ref/databases, MySQL notes &gt; Collation settings) |"
    ) in line
    # A finding shows its cells' claims the same way: its cells ran Django 4.2 and 5.2.
    (nowait,) = [f for f in report.findings if f.check == "row-locking.nowait.use"]
    assert [(g.djangos, g.text) for g in nowait.claims] == [("4.2", CLAIM_42), ("5.2", CLAIM)]


def _claimed(django: str, text: str | None, section: str = "MySQL notes > Collation settings") -> CheckResult:
    found = check("collation.default", Outcome.AS_DOCUMENTED if text else Outcome.NO_CLAIM, True, True)
    if text is None:
        return found
    return replace(
        found,
        claim=text,
        source=f"Django {django} docs, ref/databases, {section}",
        source_url=f"https://docs.djangoproject.com/en/{django}/ref/databases/",
    )


def test_versions_sharing_a_wording_are_one_range_citing_the_newest_docs() -> None:
    universe = ["4.2", "5.2", "6.0", "6.1"]
    recorded = [("4.2", _claimed("4.2", "old")), *((v, _claimed(v, "new")) for v in ("5.2", "6.0", "6.1"))]
    assert claim_groups(recorded, universe) == (
        ClaimGroup("4.2", "old", PLACE, "https://docs.djangoproject.com/en/4.2/ref/databases/"),
        ClaimGroup("5.2–6.1", "new", PLACE, "https://docs.djangoproject.com/en/6.1/ref/databases/"),
    )


def test_a_wording_cited_from_different_sections_keeps_each_citation() -> None:
    recorded = [("5.2", _claimed("5.2", "same")), ("6.0", _claimed("6.0", "same", "MySQL notes > Renamed"))]
    (group,) = claim_groups(recorded, ["5.2", "6.0"])
    assert group.djangos == "5.2–6.0"
    assert group.source == (
        "Django 5.2 docs, ref/databases, MySQL notes > Collation settings; "
        "Django 6.0 docs, ref/databases, MySQL notes > Renamed"
    )


def test_a_version_whose_docs_say_nothing_is_a_group_of_its_own() -> None:
    universe = ["4.2", "5.2", "6.0"]
    recorded: list[tuple[str, CheckResult | None]] = [
        ("4.2", _claimed("4.2", None)),
        ("5.2", _claimed("5.2", "new")),
        ("6.0", _claimed("6.0", "new")),
        ("6.0", None),  # a cell with no record of the check changes nothing
    ]
    groups = claim_groups(recorded, universe)
    assert [(g.djangos, g.text) for g in groups] == [("4.2", ""), ("5.2–6.0", "new")]
    rows_ = [_cell_with(results()[MYSQLCLIENT], "django42", _claimed("4.2", None)), results()[MYSQLCLIENT]]
    page, markdown = render_html(build_report(rows_)), render_markdown(rows_)
    assert "<b>Django 4.2:</b> <i>no claim in these docs</i>" in page
    assert "Django 4.2: no claim in these docs · Django 5.2: " in markdown
    # Versions whose cells did not observe it (not applicable, unavailable) are no group at all.
    skipped = check("collation.default", Outcome.NOT_APPLICABLE, reason="Not here.")
    assert claim_groups([("4.2", skipped), ("5.2", _claimed("5.2", "new"))], universe) == (
        ClaimGroup("5.2", "new", PLACE, "https://docs.djangoproject.com/en/5.2/ref/databases/"),
    )


def _cell_with(result: CellResult, django: str, found: CheckResult) -> CellResult:
    """The cell as another Django version's run, with one check's record replaced."""
    cell = result.cell.rsplit("-", 1)[0] + f"-{django}"
    release = f"{django[-2]}.{django[-1]}"
    return replace(
        result,
        cell=cell,
        django_release=release,
        checks=[found if c.id == found.id else c for c in result.checks],
    )


# -- in a browser ------------------------------------------------------------------------------


def _panel(browser: Any, tmp_path: Path, check_id: str, key: str) -> tuple[str, list[str | None], list[str]]:
    """The evidence panel's text and links after a click on the MariaDB cell of ``check_id`` shown as ``key``
    in that check's grid (the last such entry: MariaDB's cells come last)."""
    _, _, folder = rendered(tmp_path)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto((folder / "index.html").as_uri())
    row = page.locator("tbody.check", has=page.locator("tr.entries code", has_text=check_id))
    row.locator("summary").click()
    row.locator(f"table.cells td.{key}").last.click()
    panel = page.locator("#evidence")
    panel.locator("dt", has_text="Outcome").wait_for()
    text = panel.inner_text()
    links = [link.get_attribute("href") for link in panel.get_by_role("link").all()]
    page.close()
    return text, links, problems


def test_the_evidence_panel_shows_the_error_its_code_and_django_s_view(browser: Any, tmp_path: Path) -> None:
    text, _, problems = _panel(browser, tmp_path, "row-locking.nowait.use", "x")  # the mysqlclient cell
    assert problems == []
    assert "django.db.utils.ProgrammingError · from MySQLdb.ProgrammingError · code 1064 · SQLSTATE 42000" in text
    assert "You have an error in your SQL syntax; check the manual near 'NOWAIT' at line 1" in text
    assert "Unexplained: no explanation from the server's or driver's own docs yet." in text
    assert "MariaDB (vendor mysql, MariaDB detected: yes, version 10.11.19)" in text


def test_the_evidence_panel_shows_the_failed_setup_step(browser: Any, tmp_path: Path) -> None:
    text, _, problems = _panel(browser, tmp_path, "collation.default", "e")  # the connector cell
    assert problems == []
    assert "Failed setup step\ncreate the table" in text
    assert "Setup error\ndjango.db.utils.DatabaseError · from mysql.connector.errors.DatabaseError · code 1273" in text
    assert "Differs from what the server reported: " + VIEW_MISMATCH in text
    assert "Not readable: " + VIEW_UNREADABLE in text


def test_the_evidence_panel_shows_how_the_claim_applies_and_why(browser: Any, tmp_path: Path) -> None:
    text, links, problems = _panel(browser, tmp_path, "collation.default", "x")  # the mysqlclient cell
    assert problems == []
    assert "How this claim applies\n" + APPLIES_BY in text
    assert f"Why\n{EXPLANATION} ({EXPLANATION_SOURCE})" in text
    assert links == [URL, EXPLANATION_URL]


def test_the_panel_shows_what_the_record_holds_even_a_proto_key(browser: Any, tmp_path: Path) -> None:
    rows_ = results()
    odd = {"__proto__": {"polluted": True}}
    rows_[MYSQLCLIENT] = replace(
        rows_[MYSQLCLIENT],
        checks=[replace(c, observed=odd) if c.id == "collation.default" else c for c in rows_[MYSQLCLIENT].checks],
    )
    _, _, folder = rendered(tmp_path, rows_)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto((folder / "index.html").as_uri())
    row = page.locator("tbody.check", has=page.locator("tr.entries code", has_text="collation.default"))
    row.locator("summary").click()
    row.locator("table.cells td.x").click()
    panel = page.locator("#evidence")
    panel.locator("dt", has_text="Observed").wait_for()
    assert '"__proto__": {\n    "polluted": true\n  }' in panel.inner_text()
    page.close()


def test_a_report_kept_without_its_evidence_says_so(browser: Any, tmp_path: Path) -> None:
    _, _, folder = rendered(tmp_path)
    for path in (folder / "evidence").iterdir():
        path.unlink()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto((folder / "index.html").as_uri())
    row = page.locator("tbody.check", has=page.locator("tr.entries code", has_text="collation.default"))
    row.locator("summary").click()
    row.locator("table.cells td.x").click()
    panel = page.locator("#evidence")
    panel.locator("dt", has_text="Evidence").wait_for()
    assert (
        "evidence/0.js is not beside the page (a report kept without its evidence folder); results.json has every "
        "record" in panel.inner_text()
    )
    assert "mariadb1011-mysqlclient-django52" in panel.inner_text()
    assert problems == []
    page.close()
