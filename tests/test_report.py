"""The report: golden files of HTML and Markdown, hostile text, the merged results and their schema, diffs."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape as html_escape

from harness import __version__
from harness.cli import main
from harness.errors import UsageError
from harness.report import SCHEMA_PATH, results_schema, write_reports
from harness.report.build import build_report
from harness.report.diff import diff_results, has_regressions
from harness.report.evidence import PER_FILE
from harness.report.html import render_html
from harness.report.markdown import compress, render_markdown
from harness.report.model import VENDOR_NAMES
from harness.results import (
    CellResult,
    CellStatus,
    Outcome,
    PoolerInfo,
    ResultError,
    as_json,
    load_results,
    write_result,
)
from tests.reportdata import cell, check, check_record, evidence_records, results

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("DBCOMPAT_UPDATE_GOLDENS") == "1"


def scrub(text: str) -> str:
    """Volatile text out: the harness's own version."""
    return text.replace(f"dbcompat {__version__}", "dbcompat X.Y.Z")


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(scrub(text), encoding="utf-8")
    assert scrub(text) == path.read_text(encoding="utf-8"), f"{name} changed; DBCOMPAT_UPDATE_GOLDENS=1 to accept"


def test_html_golden() -> None:
    golden("index.html", render_html(build_report(results())))


def test_markdown_golden() -> None:
    golden("compat.md", render_markdown(build_report(results())))


def test_markdown_is_a_view_of_the_report_whatever_order_results_come_in() -> None:
    # Two MariaDB servers and two drivers: the groups of an entry follow the report's columns
    # (server, driver, Django version), so the order results are passed in does not matter.
    rows = results()
    more = cell(
        "mariadb106-connector-django52",
        "mariadb",
        "10.6",
        "10.6.21-MariaDB",
        "connector",
        "5.2.19",
        [check("collation.default", Outcome.NOT_APPLICABLE, reason="Not here.")],
    )
    forward, backward = render_markdown(build_report([*rows, more])), render_markdown(build_report([more, *rows[::-1]]))
    assert forward == backward
    (line,) = [line for line in forward.splitlines() if line.startswith("| `collation.default`")]
    # An observation is followed by a dash; an outcome without one is not, group by group.
    assert line.endswith(
        "| – 10.6 Django 5.2 (connector) · ‼ 10.11 Django 4.2 (connector)"
        " · ✗ utf8mb4\\_general\\_ci — 10.11 Django 5.2 (mysqlclient) | "
    )


def test_compress_versions_into_ranges() -> None:
    universe = ["10.5", "10.6", "10.11", "11.4", "12.0"]
    assert compress(["10.6", "10.11", "11.4"], universe) == "10.6–11.4"
    assert compress(["10.5", "10.11", "12.0"], universe) == "10.5, 10.11, 12.0"
    assert compress(["10.5", "10.6", "11.4", "12.0"], universe) == "10.5–10.6, 11.4–12.0"
    assert compress([], universe) == ""


def test_summary_counts_findings_and_flag_disagreements() -> None:
    report = build_report(results())
    counts = {count.outcome: count.count for count in report.counts}
    assert counts["differs from docs"] == 3
    assert counts["unsupported by Django"] == 3
    # A cell whose checks never ran counts once per check, as the grid shows it: MySQL 8.0 was unavailable.
    assert counts["server unavailable"] == 3
    assert counts["harness error"] == 1  # the failed setup step
    assert sum(counts.values()) == 5 * 3  # every entry of the grid, once
    # One finding per check and observation: both MariaDB cells' NOWAIT errors are one.
    assert [(f.check, f.observed, [cell for cell, _ in f.cells]) for f in report.findings] == [
        ("collation.default", "utf8mb4_general_ci", ["mariadb1011-mysqlclient-django52"]),
        (
            "row-locking.nowait.use",
            "ProgrammingError",
            ["mariadb1011-connector-django42", "mariadb1011-mysqlclient-django52"],
        ),
    ]
    assert report.unexplained == 1
    rows = {row.check: row for group in report.groups for row in group.rows}
    assert rows["row-locking.nowait.use"].has_flag_disagreement
    assert not rows["collation.exact_ignores_case"].has_flag_disagreement
    assert rows["collation.exact_ignores_case"].backends_differ  # SQLite false, MariaDB true
    # Columns run server by server: SQLite, PostgreSQL, MySQL, MariaDB (by driver, then Django version).
    assert [c.vendor for c in report.columns] == ["sqlite", "postgresql", "mysql", "mariadb", "mariadb"]


HOSTILE = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>|`**\x1b[31m"


def test_hostile_text_renders_inert_in_html(tmp_path: Path) -> None:
    write_reports(results(hostile=HOSTILE), tmp_path)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    # Exactly the report's own two script elements: its data and its code.
    assert len(re.findall(r"<script\b", html)) == 2
    data = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert data is not None
    # The data is JSON with < > & ' escaped, so it cannot end its script element.
    assert not set("<>&'") & set(data.group(1))
    # The evidence beside the page still holds exactly what the server said.
    assert check_record(tmp_path, "mariadb1011-mysqlclient-django52", "collation.default")["observed"] == HOSTILE


@pytest.mark.parametrize("hostile", [HOSTILE, "a|b`c<b>x</b>*y*_z_"])
def test_hostile_text_renders_inert_in_markdown(hostile: str) -> None:
    markdown = render_markdown(results(hostile=hostile))
    assert "<script>" not in markdown and "<img" not in markdown and "<b>" not in markdown
    (line,) = [line for line in markdown.splitlines() if line.startswith("| `collation.default`")]
    # Check, claim, and SQLite, PostgreSQL and MariaDB (MySQL did not run): the value's pipe and
    # backtick did not add a column or open a code span.
    assert len(re.findall(r"(?<!\\)\|", line)) == 6
    assert line.count("`") - line.count("\\`") == 2


def test_write_reports_writes_its_files_with_a_valid_merged_document(tmp_path: Path) -> None:
    import jsonschema

    written = write_reports(results(), tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"index.html", "compat.md", "results.json", "evidence"}
    assert written.cells == 5
    document = json.loads(written.merged.read_text())
    jsonschema.validate(document, json.loads(SCHEMA_PATH.read_text()))
    assert document["schema_version"] == 1
    assert sorted(c["cell"] for c in document["cells"]) == sorted(r.cell for r in results())
    # A merged file reads back as the results it holds.
    assert load_results([written.merged]) == sorted(results(), key=lambda r: r.cell)


def test_shipped_schema_matches_the_results_dataclasses() -> None:
    assert json.loads(SCHEMA_PATH.read_text()) == results_schema(), (
        "run: python -c 'import json; from harness.report import results_schema, SCHEMA_PATH; "
        "SCHEMA_PATH.write_text(json.dumps(results_schema(), indent=2) + chr(10))'"
    )


def test_schema_rejects_what_is_not_a_result() -> None:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"schema_version": 1, "generated_at": "x", "cells": [{"cell": "c"}]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"schema_version": 2, "generated_at": "x", "cells": []}, schema)


# -- run to run --------------------------------------------------------------------------------


def _changed() -> list:
    new = results()
    mariadb = new[1]
    checks = [
        replace(mariadb.checks[0], outcome=Outcome.DIFFERS, observed=False),  # was as documented: a regression
        replace(mariadb.checks[1], observed="utf8mb4_uca1400_ai_ci"),  # still differs, another value
        mariadb.checks[2],
    ]
    new[1] = replace(mariadb, checks=checks)
    return new


def test_diff_lists_outcome_and_observation_changes() -> None:
    changes = diff_results(results(), _changed())
    described = [c.describe() for c in changes]
    assert described == [
        "mariadb1011-mysqlclient-django52 collation.default: observation utf8mb4_general_ci -> utf8mb4_uca1400_ai_ci",
        "REGRESSION mariadb1011-mysqlclient-django52 collation.exact_ignores_case: "
        "outcome as documented -> differs from docs",
    ]
    assert has_regressions(changes)
    assert diff_results(results(), results()) == []


def test_a_cell_that_no_longer_runs_is_lost_coverage() -> None:
    unavailable = [
        replace(r, status=CellStatus.UNAVAILABLE, reason="cannot connect", checks=[]) if i == 0 else r
        for i, r in enumerate(results())
    ]
    changes = diff_results(results(), unavailable)
    first = results()[0].cell
    assert [c.describe() for c in changes] == [f"REGRESSION {first}: status ran -> server unavailable"]
    assert has_regressions(changes)
    gone = diff_results(results(), results()[1:])
    assert [c.describe() for c in gone] == [f"REGRESSION {first}: removed"]
    # The other way round is more coverage: no regression.
    assert not has_regressions(diff_results(unavailable, results()))
    assert not has_regressions(diff_results(results()[1:], results()))


def test_diff_command_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new, same = tmp_path / "old", tmp_path / "new", tmp_path / "same"
    for folder, data in ((old, results()), (new, _changed()), (same, results())):
        for result in data:
            write_result(folder, result)
    assert main(["diff", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert "REGRESSION mariadb1011-mysqlclient-django52 collation.exact_ignores_case" in out
    assert out.strip().endswith("2 changes, 1 regressions")
    assert main(["diff", str(old), str(same)]) == 0
    assert capsys.readouterr().out.strip() == "0 changes, 0 regressions"
    # A merged results.json works as either side.
    merged = write_reports(results(), tmp_path / "report").merged
    assert main(["diff", str(merged), str(new)]) == 1


def test_baseline_shows_changes_in_html(tmp_path: Path) -> None:
    html = render_html(build_report(_changed(), baseline=results()))
    assert "Changed since the baseline (2)" in html
    assert "<strong>Regression:</strong>" in html
    assert html.count('<i class="changed">●</i>') == 2


def test_flags_audit_lists_each_flag_per_cell() -> None:
    report = build_report(results())
    (row,) = report.flags
    assert row.flag == "has_select_for_update_nowait"
    assert row.checks == ("row-locking.nowait.use",)
    by_cell = dict(zip((c.cell for c in report.columns), row.entries, strict=True))
    assert by_cell["mariadb1011-mysqlclient-django52"] == "true ✗"
    assert by_cell["sqlite-sqlite3-django52"] == "false"  # the flag says nothing about what SQLite did
    assert by_cell["postgres14-psycopg-django61"] == ""
    assert row.disagreements == 1
    html = render_html(report)
    assert "Django&#39;s feature flags" in html or "Django's feature flags" in html


def _through_pgbouncer() -> list[CellResult]:
    """PostgreSQL 15 directly and through PgBouncer in transaction and in session mode, one check each."""
    made = []
    for server_id, pooler in (
        ("postgres15", None),
        ("postgres15-pgbouncer-tx", PoolerInfo("pgbouncer", "transaction", "PgBouncer 1.18.0", "transaction")),
        ("postgres15-pgbouncer-session", PoolerInfo("pgbouncer", "session", "PgBouncer 1.18.0", "session")),
    ):
        observed = "InvalidCursorName" if server_id.endswith("-tx") else "rows"
        result = cell(
            f"{server_id}-psycopg-django52",
            "postgresql",
            "15",
            "15.18 (Debian 15.18-0+deb12u1)",
            "psycopg",
            "5.2.19",
            [check("poolers.iterator_across_transactions", Outcome.NO_CLAIM, observed)],
            settings={"server_encoding": "UTF8"},
        )
        if pooler is not None:
            pooler = replace(
                pooler, max_prepared_statements="(not in PgBouncer 1.18.0)", server_reset_query="DISCARD ALL"
            )
        made.append(replace(result, server=replace(result.server, id=server_id, pooler=pooler)))
    return made


def test_the_pooler_and_its_mode_are_visible() -> None:
    report = build_report(_through_pgbouncer())
    assert [span.label for span in report.server_spans] == [
        "PostgreSQL 15",
        "PostgreSQL 15 via PgBouncer, session mode",
        "PostgreSQL 15 via PgBouncer, transaction mode",
    ]
    servers = {server.server: server for server in report.servers}
    assert servers["postgres15"].label == "PostgreSQL 15.18 (Debian 15.18-0+deb12u1)"
    tx = servers["postgres15-pgbouncer-tx"]
    assert tx.label.endswith(", through PgBouncer 1.18.0 in transaction pool mode"), tx.label
    settings = {setting.name: setting.values[0].value for setting in tx.settings}
    assert settings["PgBouncer pool_mode"] == "transaction"
    assert settings["PgBouncer max_prepared_statements"] == "(not in PgBouncer 1.18.0)"
    assert settings["PgBouncer server_reset_query"] == "DISCARD ALL"
    html = render_html(report)
    assert "PostgreSQL 15 via PgBouncer, transaction mode" in html
    # compat.md: a column per pooler and mode next to the vendor's direct one.
    markdown = render_markdown(report)
    header = next(line for line in markdown.splitlines() if line.startswith("| check |"))
    assert header == (
        "| check | claim | PostgreSQL | PostgreSQL via PgBouncer, session mode | "
        "PostgreSQL via PgBouncer, transaction mode | "
    ), header


def test_a_pool_mode_other_than_the_matrix_names_is_a_mismatch_on_its_column() -> None:
    made = _through_pgbouncer()
    made[1] = replace(
        made[1],
        server=replace(
            made[1].server,
            pooler=replace(
                made[1].server.pooler, pool_mode="session", mismatch="the matrix names transaction pool mode"
            ),
        ),
    )
    column = build_report(made).columns[2]
    assert column.server_id == "postgres15-pgbouncer-tx"
    assert column.mismatch == "the matrix names transaction pool mode"


# -- the first view, and compat.md: one table ----------------------------------------------------


class FirstView(HTMLParser):
    """The page's compatibility table as a reader sees it: its vendors, and per check and vendor the entry's words.

    The vendor's name that a phone shows in front of each entry is left out, and so is each check's grid.
    """

    def __init__(self) -> None:
        super().__init__()
        self.vendors: list[str] = []
        self.entries: dict[tuple[str, str], str] = {}
        self.rows: list[str] = []
        self._depth = 0  # tables deep, inside the compatibility table
        self._where = ""  # "head", "check", "entry": what the text read now belongs to
        self._text: list[str] = []
        self._skip = 0
        self._column = 0
        self._entries = False  # in a row of entries

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and (self._depth or "compat" in classes):
            self._depth += 1
        if self._depth != 1:
            return
        if tag == "th" and not self.rows and dict(attrs).get("scope") == "col":
            self._where, self._text = "head", []
        elif tag == "tr":
            self._entries = "entries" in classes
            self._column = 0
            if self._entries:
                self.rows.append("")
        elif tag == "code" and self.rows and self._where == "" and self.rows[-1] == "":
            self._where, self._text = "check", []
        elif tag == "td" and self._entries and self._where == "":
            self._where, self._text = "entry", []
        elif tag == "span" and "vendor-label" in classes:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._depth:
            self._depth -= 1
        if self._depth != 1:
            return
        text = " ".join("".join(self._text).split())
        if tag == "span" and self._skip:
            self._skip -= 1
        elif tag == "th" and self._where == "head":
            self.vendors.append(text)
            self._where = ""
        elif tag == "code" and self._where == "check":
            self.rows[-1] = text
            self._where = ""
        elif tag == "td" and self._where == "entry":
            self.entries[(self.rows[-1], self.vendors[self._column + 1])] = text
            self._column += 1
            self._where = ""

    def handle_data(self, data: str) -> None:
        if self._where and not self._skip:
            self._text.append(data)


def first_view(page: str) -> FirstView:
    parser = FirstView()
    parser.feed(page)
    parser.vendors = parser.vendors[1:]  # the first column is the check's
    return parser


def markdown_tables(markdown: str) -> tuple[list[str], dict[tuple[str, str], str]]:
    """compat.md's tables of checks as a reader of the rendered Markdown sees them: vendors, and each entry."""
    _MD_ESCAPES = {"\\\\": "\\", "\\|": "|", "\\[": "[", "\\]": "]", "\\`": "`", "\\*": "*", "\\_": "_"}
    _ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&"}

    def cells(line: str) -> list[str]:
        found, current, i = [], "", 0
        while i < len(line):
            pair = line[i : i + 2]
            if pair in _MD_ESCAPES:
                current += _MD_ESCAPES[pair]
                i += 2
                continue
            if line[i] == "|":
                found.append(current.strip())
                current = ""
            else:
                current += line[i]
            i += 1
        text = [re.sub(r"&(lt|gt|amp);", lambda m: _ENTITIES[m.group(0)], cell) for cell in found[1:]]
        return [cell[1:-1] if cell.startswith("`") and cell.endswith("`") else cell for cell in text]

    vendors: list[str] = []
    entries: dict[tuple[str, str], str] = {}
    for line in markdown.splitlines():
        if line.startswith("| check | claim |"):
            vendors = cells(line)[2:]
        elif line.startswith("| ") and vendors and not line.startswith("| ---"):
            row = cells(line)
            if len(row) != len(vendors) + 2:
                vendors = []  # another table (the cells that did not run, Django's view)
                continue
            for vendor, entry in zip(vendors, row[2:], strict=True):
                entries[(row[0], vendor)] = entry
        else:
            vendors = vendors if line.startswith("|") else []
    header = next(cells(line)[2:] for line in markdown.splitlines() if line.startswith("| check | claim |"))
    return header, entries


def third_party(version: str = "2019") -> CellResult:
    """A vendor dbcompat has no backend for (a third-party Django backend: mssql-django)."""
    made = cell(
        f"mssql{version}-mssql-django52",
        "mssql",
        version,
        f"Microsoft SQL Server {version} (RTM) - 15.0.2000.5",
        "mssql",
        "5.2.19",
        [
            check("collation.default", Outcome.NO_CLAIM, "SQL_Latin1_General_CP1_CI_AS"),
            check("row-locking.nowait.use", Outcome.NO_CLAIM, "ok"),
        ],
    )
    return replace(made, server=replace(made.server, id=f"mssql{version}"))


def test_compat_md_and_the_first_view_agree_entry_for_entry(tmp_path: Path) -> None:
    more = [
        third_party("2019"),
        third_party("2022"),
        *_through_pgbouncer(),
        cell(
            "mariadb106-connector-django52",
            "mariadb",
            "10.6",
            "10.6.21-MariaDB",
            "connector",
            "5.2.19",
            [check("collation.default", Outcome.NO_CLAIM, "a|b`c*d_e<f>&[g]\\h")],
        ),
    ]
    written = write_reports([*results(), *more], tmp_path)
    page = first_view(written.html.read_text(encoding="utf-8"))
    vendors, entries = markdown_tables(written.markdown.read_text(encoding="utf-8"))
    assert (
        page.vendors
        == vendors
        == [
            "SQLite",
            "PostgreSQL",
            "PostgreSQL via PgBouncer, session mode",
            "PostgreSQL via PgBouncer, transaction mode",
            "MariaDB",
            VENDOR_NAMES.get("mssql", "mssql"),  # a third-party backend's vendor: a column of its own
        ]
    )
    assert page.entries == entries
    assert len(entries) == 4 * len(vendors)  # every check, every vendor
    # What an entry says: outcomes and observations, server versions as ranges, and the Django versions and
    # drivers where not all of the vendor's cells share the part.
    assert entries[("collation.default", "MariaDB")] == (
        "○ a|b`c*d_e<f>&[g]\\h — 10.6 Django 5.2 (connector) · ‼ 10.11 Django 4.2 (connector) · ✗ utf8mb4_general_ci "
        "— 10.11 Django 5.2 (mysqlclient)"
    )
    # The third-party vendor's servers as ranges too, its observation in a few words.
    assert entries[("collation.default", page.vendors[-1])] == "○ SQL_Latin1_General_CP1_… — 2019–2022"
    assert entries[("poolers.iterator_across_transactions", "SQLite")] == "—"  # none of its cells recorded it


def test_a_finding_says_on_which_server_and_how_to_reproduce_it_on_each_cell() -> None:
    odd = "evil'; rm -rf ~; echo '"
    rows = results()
    mariadb = rows[1]
    rows[1] = replace(mariadb, checks=[*mariadb.checks, check(f"collation.{odd}", Outcome.DIFFERS, 1, 2)])
    report = build_report(rows)
    (collation, locking) = report.finding_groups
    assert (collation.title, locking.title) == (
        "Collation and case sensitivity",
        "Row locking with select_for_update()",
    )
    assert [(s.server, s.label) for s in collation.servers] == [("mariadb1011", "MariaDB 10.11")]
    lines = [(item.finding.check, [c.cell for c in item.cells]) for item in locking.servers[0].findings]
    assert lines == [("row-locking.nowait.use", ["mariadb1011-connector-django42", "mariadb1011-mysqlclient-django52"])]
    commands = [c.command for s in collation.servers for item in s.findings for c in item.cells]
    assert commands == [
        "dbcompat repro collation.default mariadb1011-mysqlclient-django52",
        # An id that is not a plain word is quoted, so that pasting the command runs nothing else.
        "dbcompat repro 'collation.evil'\"'\"'; rm -rf ~; echo '\"'\"'' mariadb1011-mysqlclient-django52",
    ]
    page = render_html(report)
    findings = page[page.index('<h2 id="findings">') : page.index("</section>", page.index('<h2 id="findings">'))]
    assert findings.count("<details>") == 3  # one line each until opened
    assert (
        '<code class="command">dbcompat repro row-locking.nowait.use mariadb1011-connector-django42</code>' in findings
    )
    assert html_escape(commands[1]) in findings


def test_the_page_holds_no_evidence_the_files_beside_it_hold_every_record(tmp_path: Path) -> None:
    given = results()
    written = write_reports(given, tmp_path)
    page = written.html.read_text(encoding="utf-8")
    assert "suites_person" not in page  # the SQL each check ran is evidence: not in the page
    records = evidence_records(tmp_path)
    # One record per cell, numbered in the order the cells were given, a few cells to a file.
    assert sorted(records) == list(range(len(given)))
    assert [records[n]["cell"] for n in range(len(given))] == [r.cell for r in given]
    assert all(records[n] == as_json(r) for n, r in enumerate(given))
    assert sorted(p.name for p in written.evidence.iterdir()) == [f"{n}.js" for n in range(files(5))] + ["README.txt"]


def files(cells: int) -> int:
    """How many evidence files a report of ``cells`` cells has."""
    return -(-cells // PER_FILE)


def test_a_record_with_a_proto_key_is_handed_over_as_text(tmp_path: Path) -> None:
    # As an object literal, {"__proto__": ...} would set the object's prototype instead of holding the key.
    rows = results()
    odd = {"__proto__": {"polluted": True}, "value": "\u2028"}
    rows[0] = replace(rows[0], checks=[replace(rows[0].checks[0], observed=odd)])
    write_reports(rows, tmp_path)
    (first,) = (tmp_path / "evidence" / "0.js").read_text(encoding="utf-8").split("\n")[:1]
    assert first.startswith('dbcompatEvidence(0,"{') and "\u2028" not in first and "\\u2028" in first
    assert check_record(tmp_path, "sqlite-sqlite3-django52", "collation.exact_ignores_case")["observed"] == odd


def test_results_are_read_once_one_at_a_time(tmp_path: Path) -> None:
    taken: list[str] = []

    def one_by_one() -> Iterator[CellResult]:
        for result in results():
            taken.append(result.cell)
            yield result

    written = write_reports(one_by_one(), tmp_path)
    assert taken == [r.cell for r in results()]
    assert written.cells == 5
    assert load_results([written.merged]) == sorted(results(), key=lambda r: r.cell)


def test_a_report_that_cannot_be_written_leaves_the_previous_one_whole(tmp_path: Path) -> None:
    write_reports(results(), tmp_path)
    before = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    def broken() -> Iterator[CellResult]:
        yield from results()[:3]
        raise ResultError("results/x.json: malformed results file (checks: Field required)")

    with pytest.raises(ResultError):
        write_reports(broken(), tmp_path)
    assert {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_rendering_again_replaces_the_evidence_and_never_someone_elses_folder(tmp_path: Path) -> None:
    many = [replace(r, cell=f"{r.cell}-{n}") for n in range(3) for r in results()]
    write_reports(many, tmp_path)
    assert sorted(p.name for p in (tmp_path / "evidence").iterdir()) == sorted(
        [f"{n}.js" for n in range(files(15))] + ["README.txt"]
    )
    write_reports(results(), tmp_path)
    assert sorted(p.name for p in (tmp_path / "evidence").iterdir()) == [f"{n}.js" for n in range(files(5))] + [
        "README.txt"
    ]
    other = tmp_path / "other"
    (other / "evidence").mkdir(parents=True)
    write_reports(results(), other)  # an empty folder holds nothing to lose
    (other / "evidence" / "README.txt").write_text("my notes\n")
    with pytest.raises(UsageError, match="evidence exists and was not written by dbcompat"):
        write_reports(results(), other)
    assert (other / "evidence" / "README.txt").read_text() == "my notes\n"


def test_each_check_s_grid_shows_every_cell_once() -> None:
    rows = results()
    report = build_report(rows)
    assert [block.name for block in report.layout] == ["SQLite", "PostgreSQL", "MySQL", "MariaDB"]
    mariadb = report.layout[3]
    assert [(r.server, r.driver) for r in mariadb.rows] == [
        ("MariaDB 10.11", "connector"),
        ("MariaDB 10.11", "mysqlclient"),
    ]
    by_cell = {c.cell: c.index for c in report.columns}
    # A slot per Django version of the report (4.2, 5.2, 6.1): the connector cell ran 4.2, the mysqlclient one 5.2.
    assert [r.columns for r in mariadb.rows] == [
        (by_cell["mariadb1011-connector-django42"], None, None),
        (None, by_cell["mariadb1011-mysqlclient-django52"], None),
    ]
    placed = [i for block in report.layout for r in block.rows for i in r.columns if i is not None]
    assert sorted(placed) == list(range(len(rows)))
    # Each check's grid shows its entries, through the runs of rows and the rows the page renders once each.
    row = next(r for g in report.groups for r in g.rows if r.check == "collation.default")
    shown = {
        index: entry
        for block, runs, run in zip(report.layout, report.block_runs, row.patterns, strict=True)
        for layout_row, pattern in zip(block.rows, runs[run], strict=True)
        for index, entry in zip(layout_row.columns, report.patterns[pattern], strict=True)
        if index is not None
    }
    assert [shown[i].symbol for i in range(len(rows))] == [e.symbol for e in row.entries] == ["–", "⊘", "?", "‼", "✗"]


def test_the_page_s_filters_compare_observations_without_the_evidence() -> None:
    report = build_report(results())
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', render_html(report), re.S).group(1))  # type: ignore[union-attr]
    rows = {row[0]: row for row in data["rows"]}
    # Per cell (SQLite, PostgreSQL, MySQL, MariaDB connector, MariaDB mysqlclient): outcome, upper case where
    # a flag disagrees; the observation, equal for equal values, and the observations in words (what the page
    # draws a check's grid from); the cells changed since a baseline (there is none).
    assert rows["collation.exact_ignores_case"][1:] == ["nuvdd", "0..11", ["false", "true"], []]
    assert rows["row-locking.nowait.use"][1:] == ["duvxX", "0..11", ["ok", "ProgrammingError"], []]


# -- wrappers and configurations against what they build on ---------------------------------------------


def test_a_wrapper_and_a_configuration_are_contrasted_with_the_driver_they_build_on() -> None:
    """A third-party backend (django-prometheus) and a configuration (a pool) against their plain driver on the
    same server and Django version: only the checks whose observation differs, each with both observations."""
    from harness.results import BackendInfo, DriverInfo

    def made(driver: DriverInfo, observed: dict[str, object]) -> CellResult:
        checks = [check(check_id, Outcome.AS_DOCUMENTED, value, value) for check_id, value in observed.items()]
        return replace(
            cell(f"postgres15-{driver.id}-django52", "postgresql", "15", "15.20", driver.id, "5.2.19", checks),
            driver=driver,
        )

    plain = DriverInfo(id="psycopg", name="psycopg 3", module="psycopg", engine="django.db.backends.postgresql")
    wrapper = DriverInfo(
        id="prometheus-psycopg",
        name="django-prometheus over psycopg 3",
        module="psycopg",
        engine="django_prometheus.db.backends.postgresql",
        variant_of="psycopg",
        backend=BackendInfo("django-prometheus", "2.5.0", "django.db.backends.postgresql"),
    )
    pool = DriverInfo(
        id="psycopg-pool",
        name="psycopg 3, connection pool",
        module="psycopg",
        engine="django.db.backends.postgresql",
        options={"pool": True},
        variant_of="psycopg",
    )
    report = build_report(
        [
            made(
                plain, {"connections.reuse": "same", "connections.health_check": "reconnected", "smoke.round_trip": 1}
            ),
            made(
                wrapper, {"connections.reuse": "same", "connections.health_check": "reconnected", "smoke.round_trip": 1}
            ),
            made(pool, {"connections.reuse": "ImproperlyConfigured", "connections.health_check": "reconnected"}),
            # Django 4.2 has no pool: that cell runs no check, and is no contrast (its base cell ran).
            replace(
                made(plain, {"connections.reuse": "same"}), cell="postgres15-psycopg-django42", django_version="4.2.20"
            ),
            replace(
                made(pool, {}),
                cell="postgres15-psycopg-pool-django42",
                django_version="4.2.20",
                status=CellStatus.NOT_APPLICABLE,
                reason="Django 4.2 has no 'pool' option for PostgreSQL.",
                checks=[check("connections.reuse", Outcome.NOT_APPLICABLE, reason="Django 4.2 has no 'pool' option.")],
            ),
        ]
    )
    by_driver = {contrast.driver: contrast for contrast in report.contrasts}
    assert set(by_driver) == {"prometheus-psycopg", "psycopg-pool"}
    prometheus, pooled = by_driver["prometheus-psycopg"], by_driver["psycopg-pool"]
    assert (prometheus.base, prometheus.kind, prometheus.pairs, prometheus.checks, prometheus.rows) == (
        "psycopg", "wraps", 1, 3, ()
    )  # fmt: skip
    assert prometheus.label == (
        "django-prometheus over psycopg 3: django-prometheus 2.5.0 (django_prometheus.db.backends.postgresql, "
        "wraps django.db.backends.postgresql)"
    )
    assert (pooled.kind, pooled.checks, pooled.label) == (
        "configures",
        2,
        "psycopg 3, connection pool, OPTIONS pool=true",
    )
    assert pooled.differing == 1
    assert [(r.check, r.base, r.other, r.cells) for r in pooled.rows] == [
        ("connections.reuse", "✓ same", "✓ ImproperlyConfigured", ("postgres15-psycopg-pool-django52",))
    ]
    markdown = render_markdown(report)
    assert "### `psycopg-pool` against `psycopg`" in markdown
    assert "| `connections.reuse` | ✓ same | ✓ ImproperlyConfigured | postgres15-psycopg-pool-django52 |" in markdown
    html = render_html(report)
    assert '<h2 id="contrasts">' in html and "<code>connections.reuse</code>" in html
