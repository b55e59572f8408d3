"""The summary table at the end of a run: one row per server and driver, every check counted once."""

from __future__ import annotations

from rich.console import Console

from harness.progress import print_summary
from tests.reportdata import results


def rows() -> dict[str, list[str]]:
    console = Console(record=True, width=200)
    print_summary(results(), console)
    table = console.export_text()
    cells = [[part.strip() for part in line.split("│")[1:-1]] for line in table.splitlines() if line.startswith("│")]
    return {f"{row[0]} {row[1]}": row[2:] for row in cells}


def test_summary_counts_every_outcome_of_the_cells_that_ran() -> None:
    # cells, ran, as documented, differs, no claim, not applicable, harness errors, status
    found = rows()
    assert found["sqlite sqlite3"] == ["1", "1", "1", "0", "1", "1", "0", ""]
    assert found["mariadb1011 mysqlclient"] == ["1", "1", "1", "2", "0", "0", "0", ""]


def test_summary_names_the_status_of_cells_that_did_not_run() -> None:
    found = rows()
    assert found["postgres14 psycopg"][:2] == ["1", "0"]
    assert found["postgres14 psycopg"][-1] == "unsupported by Django"
    assert found["mysql80 connector"] == ["1", "0", "0", "0", "0", "0", "0", "server unavailable"]
