"""Fixed results for report tests: every outcome, a finding, a flag disagreement, hostile text optional."""

from __future__ import annotations

from harness.results import CellResult, CellStatus, CheckResult, DriverInfo, Outcome, ServerInfo

SOURCE = "Django 5.2 docs, ref/databases, MySQL notes > Collation settings"
URL = "https://docs.djangoproject.com/en/5.2/ref/databases/"


def check(
    check_id: str, outcome: Outcome, observed: object = None, expected: object = None, **more: object
) -> CheckResult:
    claimed = outcome in (Outcome.AS_DOCUMENTED, Outcome.DIFFERS)
    return CheckResult(
        id=check_id,
        behaviour=check_id.split(".", 1)[0],
        outcome=outcome,
        observed=observed,
        expected=expected,
        claim="With the default collation MySQL compares strings case-insensitively." if claimed else None,
        source=SOURCE if claimed else None,
        source_url=URL if claimed else None,
        sql=['SELECT 1 FROM "suites_person" WHERE "name" = %s  -- params: (\'freD\',)'],
        duration=0.0123,
        **more,  # type: ignore[arg-type]
    )


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
    """Four cells: SQLite and MariaDB that ran, a PostgreSQL Django refuses, a MySQL nobody provided."""
    odd = hostile or "utf8mb4_general_ci"
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
            hostile or "10.11.19-MariaDB-0+deb12u1",
            "mysqlclient",
            "5.2.19",
            [
                check("collation.exact_ignores_case", Outcome.AS_DOCUMENTED, True, True),
                check("collation.default", Outcome.DIFFERS, odd, "utf8mb4_0900_ai_ci"),
                check(
                    "row-locking.nowait.use",
                    Outcome.DIFFERS,
                    "django.db.utils.ProgrammingError",
                    "ok",
                    flags={"has_select_for_update_nowait": {"value": True, "agrees": False}},
                    error=hostile,
                ),
            ],
            settings={"sql_mode": hostile or "STRICT_TRANS_TABLES", "collation_server": "utf8mb4_general_ci"},
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
    ]
