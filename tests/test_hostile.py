"""Hostile results files: their text renders inert in index.html and compat.md.

A results file may come from anywhere. Its links, its markup, its control characters and its
attempts to end the page's script element or a Markdown table row must all come out as text.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from harness.report import build as build_module
from harness.report import write_reports
from harness.report.build import build_report
from harness.report.html import render_html
from harness.report.markdown import render_markdown
from harness.report.model import link_url
from harness.report.render import environment
from harness.results import CellResult, Outcome
from tests.reportdata import EXPLANATION_URL, SOURCE, URL, URL_42, check, evidence_records, results

SCRIPT_END = "</script><script>alert(1)</script><!--"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
MARIADB = 1  # the index of the MariaDB cell in tests.reportdata.results()


def with_source_url(url: str) -> list[CellResult]:
    """The fixed results, with ``url`` as the source link of MariaDB's collation.default (a finding)."""
    rows = results()
    mariadb = rows[MARIADB]
    checks = [replace(c, source_url=url) if c.id == "collation.default" else c for c in mariadb.checks]
    rows[MARIADB] = replace(mariadb, checks=checks)
    return rows


def rendered(rows: list[CellResult], folder: Path, partial: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    """The page of ``rows``, and every record its evidence files hand it (each cell's, and each check's)."""
    written = write_reports(rows, folder, partial=partial)
    records = []
    for record in evidence_records(folder).values():
        records += [record, *record["checks"]]
    return written.html.read_text(encoding="utf-8"), records


def field_values(records: list[dict[str, Any]], name: str) -> list[Any]:
    """Every record's value of one field, where it has one."""
    return [record[name] for record in records if record.get(name) is not None]


def evidence_texts(folder: Path) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in (folder / "evidence").iterdir()]


def open_entry(page: Any, check_id: str, key: str) -> None:
    """Open the grid of ``check_id`` and click its first entry shown as ``key``."""
    row = page.locator("tbody.check", has=page.locator("tr.entries code", has_text=check_id))
    row.locator("summary").click()
    row.locator(f"table.cells td.{key}").first.click()
    page.locator("#evidence dt", has_text="Outcome").wait_for()


def inline_script(page: str) -> str:
    (script,) = re.findall(r"<script>(.*?)</script>", page, re.S)
    return str(script)


# -- links -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/",
        "https:no-host",
    ],
)
def test_a_source_url_that_is_not_http_is_not_a_link(url: str, tmp_path: Path) -> None:
    assert link_url(url) is None
    page, records = rendered(with_source_url(url), tmp_path)
    # The other claims' links (Django 5.2's and 4.2's docs), not this one.
    assert sorted(field_values(records, "source_url")) == sorted([URL] * 3 + [URL_42] * 2)
    assert field_values(records, "source").count(SOURCE) == 4  # its source is still shown, as text
    assert url not in page and html.escape(url) not in page
    assert all(url not in text for text in evidence_texts(tmp_path))


@pytest.mark.parametrize("url", [URL, "http://example.org/docs?a=1#b", "HTTPS://EXAMPLE.ORG/"])
def test_an_http_source_url_is_a_link(url: str, tmp_path: Path) -> None:
    assert link_url(url) == url
    assert url in field_values(rendered(with_source_url(url), tmp_path)[1], "source_url")


# -- markup and the page's script element ------------------------------------------------------


def test_html_templates_escape_automatically() -> None:
    autoescape = environment().autoescape
    assert callable(autoescape) and autoescape("report.html.j2")


@pytest.mark.parametrize("hostile", [SCRIPT_END, "<!--<script>", "]]></script ><img src=x onerror=alert(1)>"])
def test_text_in_a_value_or_reason_cannot_end_the_script_element(hostile: str, tmp_path: Path) -> None:
    rows = results(hostile=hostile)
    rows[3] = replace(rows[3], reason=hostile)  # MySQL 8.0, which did not run
    mariadb = rows[MARIADB]
    rows[MARIADB] = replace(
        mariadb, checks=[*mariadb.checks, check("collation.extra", Outcome.NOT_APPLICABLE, reason=hostile)]
    )
    page, records = rendered(rows, tmp_path)
    # The page's own two script elements, opened and closed once each; no comment opened.
    assert len(re.findall(r"<script\b", page, re.I)) == 2
    assert len(re.findall(r"</script", page, re.I)) == 2
    assert "<!--" not in page
    assert "<img" not in page and "alert(1)</script>" not in page
    # Yet the evidence holds exactly what the results said.
    assert hostile in field_values(records, "reason")
    assert hostile in field_values(records, "observed")
    # Server-rendered text is escaped: the table's observation, the cell's reason, the settings.
    assert html.escape(hostile[:5]) in page


def test_report_js_writes_text_never_markup() -> None:
    source = environment().loader.get_source(environment(), "report.js")[0]  # type: ignore[union-attr]
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", source)


# -- bidirectional controls --------------------------------------------------------------------


def test_bidi_controls_reach_neither_the_page_nor_the_markdown(tmp_path: Path) -> None:
    hostile = "ok\u202e" + BIDI + "gnp.exe"
    rows = results(hostile=hostile)
    rows[3] = replace(rows[3], reason=f"no server {hostile}")
    page, records = rendered(rows, tmp_path, partial=f"stopped {hostile}")
    markdown = (tmp_path / "compat.md").read_text(encoding="utf-8")
    for text in (page, markdown, *evidence_texts(tmp_path)):
        assert not set(BIDI) & set(text)
    # Shown as escapes instead, in the page's markup, in its evidence and in the Markdown.
    assert "ok\\u202e\\u202a" in page
    assert any("ok\\u202e\\u202a" in text for text in field_values(records, "observed") if isinstance(text, str))
    assert "no server ok\\\\u202e\\\\u202a" in markdown  # the Markdown escape of a backslash


# -- Markdown tables ---------------------------------------------------------------------------


def table_cells(line: str) -> list[str]:
    """A GFM table row split as GitHub splits it: on each pipe not escaped by a backslash."""
    cells, current, i = [], "", 0
    while i < len(line):
        if line[i] == "\\":
            current += line[i : i + 2]
            i += 2
            continue
        if line[i] == "|":
            cells.append(current)
            current = ""
        else:
            current += line[i]
        i += 1
    return [*cells, current]


HOSTILE_MARKDOWN = [
    "a|b",
    "a\\|b",
    "line\nbreak | x",
    "a\r\n| --- |\n# heading",
    "`code|span`",
    "[click](javascript:alert(1))",
    "![x](https://evil.example/x.png)",
    "<https://evil.example>&#x202e;&lt;",
]


@pytest.mark.parametrize("hostile", HOSTILE_MARKDOWN)
def test_a_value_cannot_break_a_markdown_row_or_inject_a_link(hostile: str) -> None:
    rows = results(hostile=hostile)
    rows[3] = replace(rows[3], reason=hostile)
    mariadb = rows[MARIADB]
    odd_id = f"collation.{hostile}"
    rows[MARIADB] = replace(mariadb, checks=[*mariadb.checks, check(odd_id, Outcome.NO_CLAIM, hostile)])
    markdown = render_markdown(rows)
    lines = markdown.splitlines()
    # Every table keeps the header's number of cells in every row.
    tables: list[list[str]] = []
    for previous, line in zip(["", *lines], lines, strict=False):
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(line)
    assert len(tables) == 4
    for table in tables:
        assert {len(table_cells(row)) for row in table} == {len(table_cells(table[0]))}, table
    # One row per check, the odd one included, one per cell whose Django backend sees the server
    # otherwise, and one per cell that did not run.
    assert sum(len(table) - 2 for table in tables) == 3 + 1 + 1 + 1
    # No line the value began: no heading, no extra table row, no extra finding.
    assert [line for line in lines if line.startswith("#")] == [
        "# Django database compatibility",
        "## Differs from docs",
        "## Collation and case sensitivity",
        "## Row locking with select_for_update()",
        "## Django's view of the server",
        "## Cells that did not run",
    ]
    assert len([line for line in lines if line.startswith("- ")]) == 2
    # No link, image, HTML or entity; brackets and angle brackets are escaped. The one autolink
    # is the explanation's own http(s) link.
    assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", markdown)
    assert re.findall(r"<[a-z!/][^>]*>?", markdown, re.I) == [f"<{EXPLANATION_URL}>"]
    assert "&#x202e;" not in markdown and "&amp;#x202e;" in markdown if "&#x202e;" in hostile else True


def test_a_hostile_check_id_is_no_code_span_and_no_heading() -> None:
    rows = results()
    mariadb = rows[MARIADB]
    odd = check("evil\n# injected|`x`.use", Outcome.NO_CLAIM, 1)
    rows[MARIADB] = replace(mariadb, checks=[*mariadb.checks, odd])
    markdown = render_markdown(rows)
    assert "\n# injected" not in markdown
    assert "## evil # injected\\|\\`x\\`" in markdown
    (line,) = [line for line in markdown.splitlines() if line.startswith("| evil")]
    assert len(table_cells(line)) == 7


# -- Content-Security-Policy -------------------------------------------------------------------


def test_the_page_allows_only_its_own_inline_script() -> None:
    page = render_html(build_report(results(hostile=SCRIPT_END)))
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert found is not None
    assert page.index(found.group(0)) < page.index("<style>") < page.index("<script")
    policy = dict(
        [*directive.split(" ", 1), ""][:2] for directive in html.unescape(found.group(1)).split("; ") if directive
    )
    digest = base64.b64encode(hashlib.sha256(inline_script(page).encode("utf-8")).digest()).decode()
    # The inline script, and the scripts it adds itself (the evidence files): 'strict-dynamic' refuses any
    # script the page's markup would name.
    assert policy["script-src"] == f"'sha256-{digest}' 'strict-dynamic'"
    assert policy["default-src"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]


# -- in a browser ------------------------------------------------------------------------------


def _open(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []
    problems: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type in ("error", "warning") else None)
    page.goto(path.as_uri())
    return page, dialogs, problems


@pytest.mark.parametrize("guard", ["both", "page only"])
def test_clicking_a_javascript_source_runs_nothing(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, guard: str
) -> None:
    if guard == "page only":  # the page's own check, with the report's filter out of the way
        monkeypatch.setattr(build_module, "link_url", lambda url: url)
    rows = with_source_url("javascript:alert(document.domain)")
    rows[MARIADB] = replace(
        rows[MARIADB],
        checks=[
            replace(c, observed="<img src=x onerror=alert(2)>") if c.id == "collation.default" else c
            for c in rows[MARIADB].checks
        ],
    )
    path = write_reports(rows, tmp_path).html
    page, dialogs, problems = _open(browser, path)
    open_entry(page, "collation.default", "x")
    panel = page.locator("#evidence")
    assert panel.is_visible()
    assert "<img src=x onerror=alert(2)>" in panel.inner_text()  # shown as text
    panel.get_by_text(SOURCE).click()
    page.wait_for_timeout(200)
    assert dialogs == []
    # The one link is the explanation's (https), never the javascript: source.
    assert [link.get_attribute("href") for link in panel.get_by_role("link").all()] == [EXPLANATION_URL]
    assert page.url == path.as_uri()
    assert problems == []


def test_the_policy_lets_the_page_run_its_own_script(browser: Any, tmp_path: Path) -> None:
    path = write_reports(results(), tmp_path).html
    page, dialogs, problems = _open(browser, path)
    assert page.locator("form.filters").is_visible()  # the script ran: it shows the filters
    assert page.locator("#shown").inner_text() == "3 checks × 5 cells shown"
    open_entry(page, "collation.default", "x")
    links = page.locator("#evidence").get_by_role("link")
    assert [link.get_attribute("href") for link in links.all()] == [URL, EXPLANATION_URL]
    assert problems == [] and dialogs == []
