"""Fixed results for report tests: every outcome, findings explained and not, a flag disagreement,
observed errors, a failed setup step, a claim whose wording changed between Django versions, a
Django backend that sees its server otherwise; hostile text optional."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from harness.results import (
    CellResult,
    CellStatus,
    CheckResult,
    DjangoView,
    DriverInfo,
    ObservedError,
    Outcome,
    ServerInfo,
)

SOURCE = "Django 5.2 docs, ref/databases, MySQL notes > Collation settings"
URL = "https://docs.djangoproject.com/en/5.2/ref/databases/"
CLAIM = "With the default collation MySQL compares strings case-insensitively."
# Django 4.2's docs worded the claim otherwise (the Django 5.2 wording is CLAIM).
CLAIM_42 = "MySQL's default collation is case-insensitive."
SOURCE_42 = "Django 4.2 docs, ref/databases, MySQL notes > Collation settings"
URL_42 = "https://docs.djangoproject.com/en/4.2/ref/databases/"
EXPLANATION = "MariaDB's default collation for utf8mb4 is utf8mb4_general_ci; utf8mb4_0900_ai_ci is MySQL 8.0's."
EXPLANATION_SOURCE = "MariaDB Knowledge Base, Supported Character Sets and Collations"
EXPLANATION_URL = "https://mariadb.com/kb/en/supported-character-sets-and-collations/"
APPLIES_BY = 'MySQL notes, applied to MariaDB by the MariaDB notes\' reference ("See the MySQL notes")'
NOWAIT_ERROR = ObservedError(
    exception="django.db.utils.ProgrammingError",
    message="You have an error in your SQL syntax; check the manual near 'NOWAIT' at line 1",
    driver_exception="MySQLdb.ProgrammingError",
    code="1064",
    sqlstate="42000",
)
SETUP_ERROR = ObservedError(
    exception="django.db.utils.DatabaseError",
    message="Unknown collation: 'utf8mb4_0900_as_cs'",
    driver_exception="mysql.connector.errors.DatabaseError",
    code="1273",
    sqlstate="HY000",
)
VIEW_MISMATCH = "Django's backend takes the server for MySQL, but it reported '10.11.19-MariaDB-0+deb12u1'"
VIEW_UNREADABLE = "display_name: TypeError: DatabaseWrapper.display_name() takes 0 positional arguments but 1 was given"


def check(
    check_id: str, outcome: Outcome, observed: object = None, expected: object = None, **more: object
) -> CheckResult:
    claimed = outcome in (Outcome.AS_DOCUMENTED, Outcome.DIFFERS)
    fields: dict[str, object] = {
        "claim": CLAIM if claimed else None,
        "source": SOURCE if claimed else None,
        "source_url": URL if claimed else None,
        "sql": ['SELECT 1 FROM "suites_person" WHERE "name" = %s  -- params: (\'freD\',)'],
        "duration": 0.0123,
    }
    return CheckResult(
        id=check_id,
        behaviour=check_id.split(".", 1)[0],
        outcome=outcome,
        observed=observed,
        expected=expected,
        **{**fields, **more},  # type: ignore[arg-type]
    )


def in_django_42(found: CheckResult) -> CheckResult:
    """The record as a Django 4.2 cell has it: its claim in the 4.2 docs' words, where it has one."""
    if found.claim is None:
        return found
    return replace(found, claim=CLAIM_42, source=SOURCE_42, source_url=URL_42)


def cell(
    cell_id: str,
    vendor: str,
    matrix_version: str | None,
    reported: str | None,
    driver: str,
    django: str | None,
    checks: list[CheckResult],
    status: CellStatus = CellStatus.RAN,
    reason: str | None = None,
    settings: dict[str, str | None] | None = None,
    view: DjangoView | None = None,
) -> CellResult:
    server_id = cell_id.split("-", 1)[0]
    return CellResult(
        cell=cell_id,
        status=status,
        reason=reason,
        server=ServerInfo(
            id=server_id,
            vendor=vendor,
            matrix_version=matrix_version,
            provider="url" if vendor != "sqlite" else "in-process",
            origin=f"DBCOMPAT_URL_{server_id.upper()}=mysql://root@127.0.0.1:3306/",
            version_reported=reported,
            settings=settings or {},
            django_view=view,
        ),
        driver=DriverInfo(id=driver, name=driver, module=driver, version="1.0"),
        django_version=django,
        django_release=f"{cell_id[-2]}.{cell_id[-1]}",  # what the matrix names: django52 is 5.2
        python_version="3.11.7",
        harness_version="0.1.0",
        started_at="2026-01-01T00:00:00+00:00",
        finished_at="2026-01-01T00:00:05+00:00",
        duration=5.0,
        checks=checks,
    )


def results(hostile: str | None = None) -> list[CellResult]:
    """Five cells: SQLite and MariaDB that ran, a PostgreSQL Django refuses, a MySQL nobody provided, and
    (last, so that the others keep their places) MariaDB again through Connector/Python on Django 4.2."""
    odd = hostile or "utf8mb4_general_ci"
    mariadb_reported = hostile or "10.11.19-MariaDB-0+deb12u1"
    return [
        cell(
            "sqlite-sqlite3-django52",
            "sqlite",
            None,
            "3.40.1",
            "sqlite3",
            "5.2.19",
            [
                check("collation.exact_ignores_case", Outcome.NO_CLAIM, False),
                check("collation.default", Outcome.NOT_APPLICABLE, reason="SQLite has no default collation."),
                check(
                    "row-locking.nowait.use",
                    Outcome.AS_DOCUMENTED,
                    "ok",
                    "ok",
                    flags={"has_select_for_update_nowait": {"value": False, "agrees": None}},
                ),
            ],
            settings={"sqlite_version": "3.40.1", "json": "1"},
        ),
        cell(
            "mariadb1011-mysqlclient-django52",
            "mariadb",
            "10.11",
            mariadb_reported,
            "mysqlclient",
            "5.2.19",
            [
                check("collation.exact_ignores_case", Outcome.AS_DOCUMENTED, True, True, applies_by=APPLIES_BY),
                check(
                    "collation.default",
                    Outcome.DIFFERS,
                    odd,
                    "utf8mb4_0900_ai_ci",
                    applies_by=APPLIES_BY,
                    explanation=hostile or EXPLANATION,
                    explanation_source=hostile or EXPLANATION_SOURCE,
                    explanation_url=EXPLANATION_URL,
                ),
                check(
                    "row-locking.nowait.use",
                    Outcome.DIFFERS,
                    "django.db.utils.ProgrammingError",
                    "ok",
                    flags={"has_select_for_update_nowait": {"value": True, "agrees": False}},
                    error=hostile,
                    errors=[replace(NOWAIT_ERROR, message=hostile) if hostile else NOWAIT_ERROR],
                ),
            ],
            settings={
                # MySQL 8's default: one long word, which must not widen the page on a phone.
                "sql_mode": hostile
                or "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
                "NO_ENGINE_SUBSTITUTION",
                "collation_server": "utf8mb4_general_ci",
                "character_set_collations": "(not readable: OperationalError)",
                "time_zone_tables_loaded": "0",
            },
            view=DjangoView(display_name="MariaDB", vendor="mysql", is_mariadb=True, version=[10, 11, 19]),
        ),
        cell(
            "postgres14-psycopg-django61",
            "postgresql",
            "14",
            "14.13",
            "psycopg",
            "6.1.3",
            [
                check(c, Outcome.UNSUPPORTED, reason="PostgreSQL 15 or later is required (found 14.13).")
                for c in ("collation.exact_ignores_case", "collation.default", "row-locking.nowait.use")
            ],
            status=CellStatus.UNSUPPORTED,
            reason="PostgreSQL 15 or later is required (found 14.13).",
        ),
        cell(
            "mysql80-connector-django52",
            "mysql",
            "8.0",
            None,
            "connector",
            None,
            [],
            status=CellStatus.UNAVAILABLE,
            reason="no Docker engine; set DBCOMPAT_URL_MYSQL80 to use an existing server",
        ),
        cell(
            "mariadb1011-connector-django42",
            "mariadb",
            "10.11",
            mariadb_reported,
            "connector",
            "4.2.27",
            [
                in_django_42(check("collation.exact_ignores_case", Outcome.AS_DOCUMENTED, True, True)),
                check(
                    "collation.default",
                    Outcome.HARNESS_ERROR,
                    error=f"setup step 'create the table' failed: {SETUP_ERROR.exception}: {SETUP_ERROR.message}",
                    failed_step="create the table",
                    errors=[SETUP_ERROR],
                ),
                in_django_42(
                    check("row-locking.nowait.use", Outcome.DIFFERS, "django.db.utils.ProgrammingError", "ok")
                ),
            ],
            settings={
                "sql_mode": hostile or "STRICT_TRANS_TABLES",
                "collation_server": "utf8mb4_general_ci",
                "character_set_collations": "(not readable: DatabaseError)",
                "time_zone_tables_loaded": "0",
            },
            view=DjangoView(
                vendor="mysql",
                is_mariadb=False,
                version=[10, 11, 19],
                unreadable=hostile or VIEW_UNREADABLE,
                mismatch=hostile or VIEW_MISMATCH,
            ),
        ),
    ]


def evidence_records(report: Path) -> dict[int, dict[str, Any]]:
    """Every cell's record in a report folder's evidence files, by the cell's number, as the page reads them."""
    found: dict[int, dict[str, Any]] = {}
    for path in sorted((report / "evidence").glob("*.js")):
        # One call per line: compact JSON holds no newline (nor any other line break the page would mind).
        for line in path.read_text(encoding="utf-8").split("\n")[:-1]:
            call = re.fullmatch(r"dbcompatEvidence\((\d+),(.*)\);", line, re.S)
            assert call is not None, line[:200]
            record = json.loads(call.group(2))
            found[int(call.group(1))] = json.loads(record) if isinstance(record, str) else record
    return found


def record_of(report: Path, cell_id: str) -> dict[str, Any]:
    (record,) = [r for r in evidence_records(report).values() if r["cell"] == cell_id]
    return record


def check_record(report: Path, cell_id: str, check_id: str) -> dict[str, Any]:
    """One check's record in one cell, as the evidence panel shows it."""
    (found,) = [c for c in record_of(report, cell_id)["checks"] if c["id"] == check_id]
    return found
