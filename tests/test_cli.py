"""The dbcompat command: listing, running, reporting, and its exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main
from harness.errors import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_HARNESS_ERROR, EXIT_OK
from harness.progress import RunSummary
from harness.report.markdown import render_markdown
from harness.results import CellResult, CellStatus, CheckResult, DriverInfo, Outcome, ServerInfo, write_result


def test_list_text_filters_by_server_driver_and_django(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--server", "postgres15", "--driver", "psycopg2", "--django", "5.2"]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("postgres15-psycopg2-django52  python3.11  ")
    assert out[-1].startswith("1 cells from ")


def test_list_json_for_ci_matrices(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--json", "mariadb1011-*-django61"]) == EXIT_OK
    rows = json.loads(capsys.readouterr().out)
    assert [row["id"] for row in rows] == [
        "mariadb1011-mysqlclient-django61",
        "mariadb1011-connector-django61",
        # Configurations of mysqlclient, and third-party backends over it (matrix.yaml).
        "mariadb1011-mysqlclient-serializable-django61",
        "mariadb1011-mysqlclient-initcmd-django61",
        "mariadb1011-prometheus-mysqlclient-django61",
        "mariadb1011-dbpool-mysqlclient-django61",
    ]
    assert rows[0]["url_variable"] == "DBCOMPAT_URL_MARIADB1011"
    assert rows[0]["tox_env"] == "django61-mariadb1011-mysqlclient"
    assert rows[0]["python"] == "3.12"
    assert rows[0]["django_supports_server"] is True


def test_list_marks_servers_django_does_not_support(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--server", "mysql57", "--driver", "mysqlclient", "--django", "4.2"]) == EXIT_OK
    assert "[Django's docs: not supported]" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["list", "--server", "mysql99"], "no server matches 'mysql99'"),
        (["list", "--driver", "pymysql"], "no driver matches 'pymysql'"),
        (["list", "--django", "3.2"], "no Django version matches '3.2'"),
        (["list", "nothing-like-this"], "no cell of"),
        (["report", "/nonexistent/results"], "no such results file or folder"),
        (["list", "--matrix", "/nonexistent/matrix.yaml"], "no such file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("dbcompat: error: ")
    assert message in lines[0]


def _result(cell: str, *checks: CheckResult, status: CellStatus = CellStatus.RAN) -> CellResult:
    return CellResult(
        cell=cell,
        status=status,
        server=ServerInfo("sqlite", "sqlite", None, "in-process", "Python's sqlite3 module", "3.40.1"),
        driver=DriverInfo("sqlite3", "sqlite3", "sqlite3", "3.11.7"),
        django_version="5.2.19",
        python_version="3.11.7",
        harness_version="0",
        started_at="2026-01-01T00:00:00+00:00",
        finished_at="2026-01-01T00:00:01+00:00",
        duration=1.0,
        checks=list(checks),
    )


def test_run_exit_status_follows_the_outcomes() -> None:
    ok = CheckResult("a.b", "a", Outcome.AS_DOCUMENTED, 1, 1)
    finding = CheckResult("a.c", "a", Outcome.DIFFERS, 1, 2)
    broken = CheckResult("a.d", "a", Outcome.HARNESS_ERROR, error="boom")
    assert RunSummary((_result("x", ok, CheckResult("a.e", "a", Outcome.NO_CLAIM)),), 0).exit_status == EXIT_OK
    assert RunSummary((_result("x", ok, finding),), 0).exit_status == EXIT_FINDINGS
    assert RunSummary((_result("x", finding, broken),), 0).exit_status == EXIT_HARNESS_ERROR
    unavailable = _result("y", status=CellStatus.UNAVAILABLE)
    assert RunSummary((_result("x", ok), unavailable), 0).exit_status == EXIT_OK
    errored = _result("z", status=CellStatus.HARNESS_ERROR)
    assert RunSummary((_result("x", ok), errored), 0).exit_status == EXIT_HARNESS_ERROR


def test_report_renders_results_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = tmp_path / "results"
    write_result(results, _result("sqlite-sqlite3-django52", CheckResult("smoke.x", "smoke", Outcome.DIFFERS, 1, 2)))
    assert main(["report", str(results), "--output", str(tmp_path / "out")]) == EXIT_OK
    text = (tmp_path / "out" / "compat.md").read_text()
    assert "| `smoke.x` |" in text
    assert "✗ 1" in text
    assert "report: " in capsys.readouterr().out


def test_markdown_cannot_be_broken_by_what_servers_say() -> None:
    hostile = CheckResult("smoke.x", "smoke", Outcome.NO_CLAIM, "a|b <script>alert(1)</script>\nnext")
    text = render_markdown([_result("c", hostile)])
    row = next(line for line in text.splitlines() if line.startswith("| `smoke.x`"))
    assert "<script>" not in text
    assert "a\\|b &lt;script&gt;" in row
    assert row.count(" | ") == 3  # check, claim, one cell: the pipe in the value did not add a column


def test_run_sqlite_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = tmp_path / "results"
    status = main(["run", "sqlite-sqlite3-django52", "--results", str(results), "--output", str(tmp_path)])
    out = capsys.readouterr().out
    data = json.loads((results / "sqlite-sqlite3-django52.json").read_text())
    assert data["status"] == "ran"
    # The exit status follows the outcomes: 1 when something differs from the docs, else 0.
    findings = any(c["outcome"] == "differs from docs" for c in data["checks"])
    assert status == (EXIT_FINDINGS if findings else EXIT_OK), out
    assert (tmp_path / "compat.md").exists()
    assert "[1/1] sqlite-sqlite3-django52: ran" in out


def test_a_reader_that_goes_away_ends_the_listing_quietly() -> None:
    import subprocess
    import sys

    # `dbcompat list | head -1`: head closes the pipe after one line.
    done = subprocess.run(
        f"{sys.executable} -m harness.cli list | head -1", shell=True, capture_output=True, text=True, check=False
    )
    assert done.stdout.count("\n") == 1 and "python3." in done.stdout
    assert done.stderr == ""
