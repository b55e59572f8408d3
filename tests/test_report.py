"""The report: golden files of HTML and Markdown, hostile text, the merged results and their schema, diffs."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest

from harness import __version__
from harness.cli import main
from harness.report import SCHEMA_PATH, results_schema, write_reports
from harness.report.build import build_report
from harness.report.diff import diff_results, has_regressions
from harness.report.html import render_html
from harness.report.markdown import compress, render_markdown
from harness.results import CellResult, CellStatus, Outcome, PoolerInfo, load_results, write_result
from tests.reportdata import cell, check, results

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
    html = render_html(build_report(results(hostile=HOSTILE)))
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    # Exactly the report's own two script elements: its data and its code.
    assert len(re.findall(r"<script\b", html)) == 2
    data = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert data is not None
    # The data is JSON with < > & ' escaped, so it cannot end its script element, and it still
    # decodes to exactly what the server said.
    assert not set("<>&'") & set(data.group(1))
    payload = json.loads(data.group(1))
    observed_at = payload["fields"].index("observed")
    observed = [
        json.loads(payload["strings"][e[observed_at]])
        for e in payload["evidence"]
        if len(e) > observed_at and e[observed_at] is not None
    ]
    assert HOSTILE in observed


@pytest.mark.parametrize("hostile", [HOSTILE, "a|b`c<b>x</b>*y*_z_"])
def test_hostile_text_renders_inert_in_markdown(hostile: str) -> None:
    markdown = render_markdown(results(hostile=hostile))
    assert "<script>" not in markdown and "<img" not in markdown and "<b>" not in markdown
    (line,) = [line for line in markdown.splitlines() if line.startswith("| `collation.default`")]
    # Check, claim, and SQLite, PostgreSQL and MariaDB (MySQL did not run): the value's pipe and
    # backtick did not add a column or open a code span.
    assert len(re.findall(r"(?<!\\)\|", line)) == 6
    assert line.count("`") - line.count("\\`") == 2


def test_write_reports_writes_three_files_with_a_valid_merged_document(tmp_path: Path) -> None:
    import jsonschema

    written = write_reports(results(), tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"index.html", "compat.md", "results.json"}
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
