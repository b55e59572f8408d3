"""Every behaviour check, run for real on SQLite, PostgreSQL 15 and MariaDB 10.11 (both MySQL drivers)
for Django 4.2, 5.2 and 6.1, as ``dbcompat run`` runs them.

Expected values here never come from what a server returned: each cites the server's or
the language's own documentation for why it must be so.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from harness.matrix import Matrix
from harness.results import CellResult, CellStatus, Outcome
from harness.runner import run_cells

pytestmark = pytest.mark.live

RUN_TOKEN = "live1"
PAIRS = (
    "sqlite-sqlite3",
    "postgres15-psycopg",
    "postgres15-psycopg2",
    "mariadb1011-mysqlclient",
    "mariadb1011-connector",
)
DJANGOS = ("django42", "django52", "django61")

# The stable check ids the behaviour suites publish.
CHECK_IDS = {
    *(f"smoke.{name}" for name in ("round_trip", "model_round_trip", "server_version")),
    *(
        f"collation.{name}"
        for name in (
            "default",
            "exact_ignores_case",
            "unique_ignores_case",
            "contains_ignores_case",
            "iexact_non_ascii",
            "db_collation_case_sensitive",
            "formset_unique_case",
        )
    ),
    *(f"typecasting.{name}" for name in ("raw_eq_zero", "raw_eq_one", "orm_eq_zero", "raw_manager_param")),
    *(
        f"row-locking.{option}.{what}"
        for option in ("nowait", "skip_locked", "of", "no_key")
        for what in ("flag", "use")
    ),
    "row-locking.nowait.contended",
    "row-locking.skip_locked.contended",
    "row-locking.outside_transaction",
    "row-locking.with_limit",
    *(
        f"timestamp-use-tz.{name}"
        for name in ("timestamp_shift", "timestamp_shift_no_tz", "datetime_shift", "zoneinfo")
    ),
    *(
        f"empty-string.{name}"
        for name in ("stored_as_null", "read_back", "filter_exact", "filter_isnull", "not_null_accepts_empty", "flag")
    ),
    *(
        f"sequence-reset.{name}"
        for name in ("collision_after_manual_pk", "sqlsequencereset_statements", "fixed_after_reset")
    ),
    *(
        f"fields.{name}"
        for name in (
            "decimal_19_digits",
            "json_round_trip",
            "datetime_microseconds",
            "overlong_string",
            "text_unique",
            "char_db_index_indexes",
        )
    ),
    "transactions.nested_atomic_rollback",
    "transactions.isolation_level",
    *(
        f"connections.{name}"
        for name in ("conn_max_age_reuse", "session_time_zone", "client_encoding", "init_command", "isolation_option")
    ),
    "raw-sql.dict_params",
    "storage-engines.default_engine",
    "storage-engines.myisam_rollback",
    "fields.longest_unique_varchar",
    "sqlite-locking.timeout",
    "fields.overlong_string_non_strict",
    "connections.health_check",
    "collation.icontains_non_ascii",
    "identifiers.long_table_name",
    "identifiers.quoted_db_table",
    "identifiers.mixed_case_table",
    "cursors.iterator_server_side",
    "storage-engines.myisam_savepoint",
    "storage-engines.myisam_foreign_keys",
    "lobs.distinct_with_text",
    "lobs.index_on_text",
    "lobs.type_named_fields",
    "postgresql-binding.server_side_binding",
    "fields.decimal_sum",
    "lobs.text_primary_key",
    "lobs.returning_into_off",
}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> dict[str, CellResult]:
    from tests.conftest import ROOT_MATRIX, live_url

    environ = {
        **os.environ,
        "DBCOMPAT_URL_POSTGRES15": live_url("DBCOMPAT_URL_POSTGRES15"),
        "DBCOMPAT_URL_MARIADB1011": live_url("DBCOMPAT_URL_MARIADB1011"),
        "DBCOMPAT_RUN_TOKEN": RUN_TOKEN,
    }
    folder = tmp_path_factory.mktemp("results")
    cells = ROOT_MATRIX.select([f"{pair}-{django}" for pair in PAIRS for django in DJANGOS])
    summary = run_cells(ROOT_MATRIX, cells, Path(folder), environ=environ, say=lambda line: None)
    return {result.cell: result for result in summary.results}


def observed(result: CellResult, check_id: str) -> Any:
    (found,) = [c for c in result.checks if c.id == check_id]
    return found.observed


def cells_of(results: dict[str, CellResult], prefix: str) -> list[CellResult]:
    found = [r for cell, r in results.items() if cell.startswith(prefix)]
    assert found, prefix
    return found


def test_every_cell_runs_every_check_without_harness_errors(results: dict[str, CellResult], matrix: Matrix) -> None:
    assert len(results) == len(PAIRS) * len(DJANGOS)
    for cell, result in results.items():
        assert result.status is CellStatus.RAN, (cell, result.reason)
        assert {c.id for c in result.checks} == CHECK_IDS, cell
        for check in result.checks:
            assert check.outcome is not Outcome.HARNESS_ERROR, (cell, check.id, check.error)
            if check.outcome is Outcome.NOT_APPLICABLE:
                assert check.reason and check.reason.endswith("."), (cell, check.id)
            if check.outcome in (Outcome.AS_DOCUMENTED, Outcome.DIFFERS):
                assert check.claim and check.source and check.source.startswith("Django "), (cell, check.id)
                # Each cell is judged by the docs of its own Django version.
                assert check.source.startswith(f"Django {result.django_version[:3]} docs"), (cell, check.source)
            if check.outcome is Outcome.DIFFERS:
                assert check.expected is not None
        reported = result.server.version_reported or ""
        if cell.startswith("postgres15"):
            assert reported.startswith("15."), reported
        elif cell.startswith("mariadb1011"):
            assert "MariaDB" in reported and reported.startswith("10.11."), reported
        assert result.django_version and result.django_version.startswith(
            {"django42": "4.2", "django52": "5.2", "django61": "6.1"}[cell.rsplit("-", 1)[1]]
        )


def test_every_throwaway_database_was_dropped(results: dict[str, CellResult]) -> None:
    from tests.conftest import live_url
    from tests.test_live import throwaway_databases

    for result in results.values():
        assert result.database is not None and result.database.startswith(f"dbcompat_{RUN_TOKEN}"), result.database
    assert len({r.database for r in results.values()}) == len(results)  # one database per cell
    left = throwaway_databases(live_url("DBCOMPAT_URL_POSTGRES15"), live_url("DBCOMPAT_URL_MARIADB1011"), RUN_TOKEN)
    assert left == []


def test_sql_and_flags_are_recorded(results: dict[str, CellResult]) -> None:
    for result in results.values():
        by_id = {c.id: c for c in result.checks}
        assert any(
            sql.endswith('" = 0 ORDER BY "value"') or sql.endswith("` = 0 ORDER BY `value`")
            for sql in by_id["typecasting.raw_eq_zero"].sql
        ), by_id["typecasting.raw_eq_zero"].sql
        assert "has_select_for_update_nowait" in by_id["row-locking.nowait.use"].flags
        assert "interprets_empty_strings_as_nulls" in by_id["empty-string.stored_as_null"].flags


# -- observations, each grounded in the server's own documentation --------------------------------


def test_exact_matches(results: dict[str, CellResult]) -> None:
    # PostgreSQL: the default collations are deterministic, comparing strings byte-wise
    # (PostgreSQL docs, "Collation Support" > nondeterministic collations). SQLite: = uses the BINARY
    # collation unless a column says otherwise (SQLite docs, "Collating Sequences").
    for result in cells_of(results, "postgres15") + cells_of(results, "sqlite"):
        assert observed(result, "collation.exact_ignores_case") is False
    # MariaDB: the utf8mb3/utf8mb4 *_general_ci collations are case-insensitive ("ci")
    # (MariaDB docs, "Character Sets and Collations").
    for result in cells_of(results, "mariadb1011"):
        assert observed(result, "collation.exact_ignores_case") is True
        assert observed(result, "collation.unique_ignores_case") == "django.db.utils.IntegrityError"


def test_like_on_sqlite_ignores_ascii_case(results: dict[str, CellResult]) -> None:
    # SQLite docs, "The LIKE, GLOB, REGEXP, MATCH, and extract operators": LIKE is case-insensitive
    # for ASCII characters by default, and case-sensitive for characters beyond ASCII.
    for result in cells_of(results, "sqlite"):
        assert observed(result, "collation.contains_ignores_case") is True
        assert observed(result, "collation.iexact_non_ascii") is False


def test_mariadb_default_collation(results: dict[str, CellResult]) -> None:
    # MariaDB docs, "Supported Character Sets and Collations": the default collation of utf8mb4 is
    # utf8mb4_general_ci; since 10.6 utf8 means utf8mb3 and its default is utf8mb3_general_ci.
    # The harness creates the database as each Django version's docs say: utf8 (4.2), utf8mb4 (5.2+).
    for result in cells_of(results, "mariadb1011"):
        charset = "utf8mb3" if result.cell.endswith("django42") else "utf8mb4"
        assert observed(result, "collation.default") == f"{charset}_general_ci"


def test_mariadb_lacks_mysql_0900_collations(results: dict[str, CellResult]) -> None:
    # The 5.2+ docs recommend utf8mb4_0900_as_cs, a MySQL 8.0 collation that MariaDB 10.11 does not have
    # (MariaDB docs, "Supported Character Sets and Collations"; MySQL compatibility aliases came in 11.4.5):
    # creating the column fails. utf8_bin (the 4.2 docs) is a binary, case-sensitive collation.
    for result in cells_of(results, "mariadb1011"):
        found = observed(result, "collation.db_collation_case_sensitive")
        if result.cell.endswith("django42"):
            assert found is True
        else:
            assert found in ("django.db.utils.OperationalError", "django.db.utils.DatabaseError"), found


def test_string_to_number_comparisons(results: dict[str, CellResult]) -> None:
    # MariaDB docs, "Type Conversion": comparing a string with a number compares them as numbers;
    # a string with no leading number converts to 0 -- 'abc', 'def' and 'abc1' all convert to 0.
    for result in cells_of(results, "mariadb1011"):
        assert observed(result, "typecasting.raw_eq_zero") == ["abc", "def"]
        assert observed(result, "typecasting.raw_eq_one") == []
    # PostgreSQL has no implicit cast between character varying and integer, so varchar = integer is
    # "operator does not exist" (SQLSTATE 42883, a ProgrammingError in DB-API terms).
    for result in cells_of(results, "postgres15"):
        assert observed(result, "typecasting.raw_eq_zero") == "django.db.utils.ProgrammingError"
    # SQLite docs, "Datatypes In SQLite" > type affinity of comparison operands: the TEXT column's affinity
    # applies to the literal, so 0 is compared as '0' and matches nothing.
    for result in cells_of(results, "sqlite"):
        assert observed(result, "typecasting.raw_eq_zero") == []
    # Django casts a string field's value to a string (ref/databases), so no server coerces: nothing matches.
    for result in results.values():
        assert observed(result, "typecasting.orm_eq_zero") == []


def test_row_locks(results: dict[str, CellResult]) -> None:
    # PostgreSQL docs, "The Locking Clause": NOWAIT reports an error instead of waiting (55P03,
    # lock_not_available: an OperationalError), SKIP LOCKED skips rows that cannot be locked at once.
    # MariaDB docs, "NOWAIT and SKIP LOCKED" (SKIP LOCKED since 10.6): the same.
    # Where the cell's Django backend does not offer the option (its flag is False), Django refuses it with
    # NotSupportedError before the server is asked (Django docs, ref/models/querysets, select_for_update()).
    for result in cells_of(results, "postgres15") + cells_of(results, "mariadb1011"):
        contended = observed(result, "row-locking.nowait.contended")
        assert contended["at_once"] is True
        if observed(result, "row-locking.nowait.flag"):
            assert contended["raised"] in ("django.db.utils.OperationalError", "django.db.utils.DatabaseError")
        else:
            assert contended["raised"] == "django.db.utils.NotSupportedError"
        if observed(result, "row-locking.skip_locked.flag"):
            assert observed(result, "row-locking.skip_locked.contended") == [2, 3]
        else:
            assert observed(result, "row-locking.skip_locked.contended") == "django.db.utils.NotSupportedError"
    # SQLite takes no row locks on SELECT (SQLite docs, "File Locking And Concurrency"): nothing is skipped.
    for result in cells_of(results, "sqlite"):
        assert observed(result, "row-locking.skip_locked.contended") == [1, 2, 3]
        assert observed(result, "row-locking.nowait.contended") == {"raised": None, "at_once": True}


def test_empty_strings_are_not_null_here(results: dict[str, CellResult]) -> None:
    # The SQL standard, and PostgreSQL, MariaDB and SQLite with it, keep '' and NULL apart.
    for result in results.values():
        assert observed(result, "empty-string.stored_as_null") is False
        assert observed(result, "empty-string.filter_isnull") == 0
        assert observed(result, "empty-string.filter_exact") == 1


def test_manual_primary_keys(results: dict[str, CellResult]) -> None:
    # PostgreSQL docs, CREATE TABLE > GENERATED BY DEFAULT AS IDENTITY: a user-supplied value does not
    # advance the sequence, so the next generated value (1) collides.
    for result in cells_of(results, "postgres15"):
        assert observed(result, "sequence-reset.collision_after_manual_pk") == "django.db.utils.IntegrityError"
        assert observed(result, "sequence-reset.fixed_after_reset") == "ok"
    # MariaDB docs, AUTO_INCREMENT: inserting a larger value moves the counter past it.
    # SQLite docs, "ROWIDs and the INTEGER PRIMARY KEY": a new rowid is one more than the largest.
    for result in cells_of(results, "mariadb1011") + cells_of(results, "sqlite"):
        assert observed(result, "sequence-reset.collision_after_manual_pk") == "ok"


def test_legacy_timestamps_on_mariadb(results: dict[str, CellResult]) -> None:
    # MariaDB docs, TIMESTAMP: values are converted from the session time zone to UTC for storage;
    # DATETIME is stored as given. The session is at UTC+2: with USE_TZ Django writes UTC wall time
    # (10:00), which the server takes as 10:00+02:00, two hours early. Without USE_TZ Django writes
    # local wall time (12:00 at UTC+2), the right instant. The DATETIME column holds UTC wall time,
    # read back in a UTC session as the right instant.
    for result in cells_of(results, "mariadb1011"):
        assert observed(result, "timestamp-use-tz.timestamp_shift") == -7200
        assert observed(result, "timestamp-use-tz.timestamp_shift_no_tz") == 0
        assert observed(result, "timestamp-use-tz.datetime_shift") == 0


def test_formsets_and_case_sensitive_collations(results: dict[str, CellResult]) -> None:
    # Django's docs (ref/databases, MySQL notes > Collation settings, warning): model formsets validate
    # uniqueness case-sensitively. Under MariaDB's *_ci collation the unique index then rejects "AA" next
    # to "aa"; PostgreSQL's deterministic collations and SQLite's BINARY keep them apart.
    for result in cells_of(results, "mariadb1011"):
        assert observed(result, "collation.formset_unique_case") == {
            "valid": True,
            "save": "django.db.utils.IntegrityError",
        }
    for result in cells_of(results, "postgres15") + cells_of(results, "sqlite"):
        assert observed(result, "collation.formset_unique_case") == {"valid": True, "save": "ok"}
        # "C" (PostgreSQL docs, "Collation Support": byte order) and "binary" (SQLite docs, "Collating
        # Sequences": memcmp) are case-sensitive.
        assert observed(result, "collation.db_collation_case_sensitive") is True


def test_empty_strings_round_trip(results: dict[str, CellResult]) -> None:
    # Outside Oracle '' is a value, not NULL: a NOT NULL column takes it and it reads back as ''.
    for result in results.values():
        assert observed(result, "empty-string.read_back") == ""
        assert observed(result, "empty-string.not_null_accepts_empty") == "ok"
        assert observed(result, "empty-string.flag") is False  # Django's flag is True on Oracle only


def test_select_for_update_outside_transactions_and_with_limit(results: dict[str, CellResult]) -> None:
    # Django raises TransactionManagementError itself in autocommit mode where it emits FOR UPDATE, and
    # emits nothing on SQLite (ref/models/querysets, select_for_update()). LIMIT with FOR UPDATE is valid
    # SQL on PostgreSQL ("The Locking Clause") and MariaDB (SELECT syntax), and Django drops FOR UPDATE
    # on SQLite.
    for result in cells_of(results, "postgres15") + cells_of(results, "mariadb1011"):
        assert observed(result, "row-locking.outside_transaction") == "django.db.transaction.TransactionManagementError"
    for result in cells_of(results, "sqlite"):
        assert observed(result, "row-locking.outside_transaction") == "ok"
    for result in results.values():
        assert observed(result, "row-locking.with_limit") == "ok"


def test_time_zone_data_and_postgresql_timestamps(results: dict[str, CellResult]) -> None:
    # PostgreSQL ships the IANA time zone database (pg_timezone_names); MariaDB creates its time zone
    # tables empty until mysql_tzinfo_to_sql fills them (MariaDB docs, "Time Zones"), which the local
    # server has not done.
    for result in cells_of(results, "postgres15"):
        assert observed(result, "timestamp-use-tz.zoneinfo") is True
        # PostgreSQL docs, "Date/Time Types": timestamptz converts input with an explicit zone, and naive
        # input in the session's zone, to UTC, so both ways of writing hold the right instant. A plain
        # timestamp stores the session-local wall time (12:00 at UTC+2), read in UTC two hours late.
        assert observed(result, "timestamp-use-tz.timestamp_shift") == 0
        assert observed(result, "timestamp-use-tz.timestamp_shift_no_tz") == 0
        assert observed(result, "timestamp-use-tz.datetime_shift") == 7200
    for result in cells_of(results, "mariadb1011"):
        assert observed(result, "timestamp-use-tz.zoneinfo") is False


def test_server_version_as_django_parses_it(results: dict[str, CellResult]) -> None:
    for result in cells_of(results, "postgres15"):
        assert observed(result, "smoke.server_version").startswith("15.")
    for result in cells_of(results, "mariadb1011-mysqlclient"):
        assert observed(result, "smoke.server_version").startswith("10.11.")
    # Django's BaseDatabaseWrapper.get_database_version() raises NotImplementedError unless a backend
    # overrides it; Connector/Python's backend (mysql/connector/django/base.py) does not.
    for result in cells_of(results, "mariadb1011-connector"):
        assert observed(result, "smoke.server_version") == "builtins.NotImplementedError"
    for result in results.values():
        assert observed(result, "smoke.round_trip") == [[1, "dbcompat"]]
        assert observed(result, "smoke.model_round_trip") == "Zoë Ångström"


def test_fields(results: dict[str, CellResult]) -> None:
    # PostgreSQL numeric and MariaDB DECIMAL are exact (their docs, "Numeric Types" / "DECIMAL");
    # SQLite keeps REAL, an 8-byte IEEE float of about 15-17 significant digits (SQLite docs, "Datatypes").
    for result in cells_of(results, "postgres15") + cells_of(results, "mariadb1011"):
        assert observed(result, "fields.decimal_19_digits") is True
    for result in cells_of(results, "sqlite"):
        assert observed(result, "fields.decimal_19_digits") is False
    # jsonb (PostgreSQL), JSON (MariaDB 10.2.7+), and JSON1, built into SQLite from 3.38 (SQLite docs, "JSON").
    for result in results.values():
        assert observed(result, "fields.json_round_trip") is True
        assert observed(result, "transactions.nested_atomic_rollback") == ["outer"]
    # Microseconds: PostgreSQL timestamps hold them; Django's MySQL backend creates DATETIME(6) (MariaDB docs,
    # "DATETIME": up to 6 fractional digits); SQLite keeps Django's ISO text.
    for result in (
        cells_of(results, "postgres15") + cells_of(results, "mariadb1011-mysqlclient") + cells_of(results, "sqlite")
    ):
        assert observed(result, "fields.datetime_microseconds") == 123456
    # Too long a string: PostgreSQL refuses it (docs, "Character Types": "an error"), MariaDB in strict mode
    # too (error 1406, "Data too long"; the local sql_mode has STRICT_TRANS_TABLES), SQLite does not enforce
    # VARCHAR lengths (SQLite FAQ).
    for result in cells_of(results, "postgres15") + cells_of(results, "mariadb1011"):
        assert observed(result, "fields.overlong_string") == "django.db.utils.DataError"
    for result in cells_of(results, "sqlite"):
        assert observed(result, "fields.overlong_string") == "ok"
    # MariaDB 10.4+ enforces UNIQUE on BLOB/TEXT of any length with a hash (MariaDB docs, "CREATE TABLE" >
    # UNIQUE); PostgreSQL and SQLite index text as any other value.
    for result in results.values():
        assert observed(result, "fields.text_unique") == "ok"
    # Django's own behaviour (ref/databases, PostgreSQL notes): the LIKE index only on PostgreSQL.
    for result in cells_of(results, "postgres15"):
        assert observed(result, "fields.char_db_index_indexes") == 2
    for result in cells_of(results, "mariadb1011") + cells_of(results, "sqlite"):
        assert observed(result, "fields.char_db_index_indexes") == 1


def test_isolation_levels(results: dict[str, CellResult]) -> None:
    # Django sets READ COMMITTED on its PostgreSQL and MySQL connections (ref/databases, Isolation level);
    # the local MariaDB's own default is REPEATABLE-READ (its settings in the results say so).
    for result in cells_of(results, "postgres15"):
        assert observed(result, "transactions.isolation_level") == "read committed"
    for result in cells_of(results, "mariadb1011-mysqlclient"):
        assert observed(result, "transactions.isolation_level") == "READ-COMMITTED"
        assert result.server.settings["transaction_isolation"] == "REPEATABLE-READ"


def test_connections(results: dict[str, CellResult]) -> None:
    # Django's own connection handling (ref/databases, Persistent connections) on every backend.
    for result in results.values():
        assert observed(result, "connections.conn_max_age_reuse") == {"0": False, "None": True}
    # PostgreSQL reports what Django set (docs, "SET" and "SHOW"); SERIALIZABLE inside a transaction.
    for result in cells_of(results, "postgres15"):
        assert observed(result, "connections.session_time_zone") == "UTC"
        assert observed(result, "connections.client_encoding") == "UTF8"
        assert observed(result, "connections.isolation_option") == "serializable"
    # MariaDB: a user variable set by init_command reads back; SET SESSION TRANSACTION ISOLATION LEVEL holds.
    for result in cells_of(results, "mariadb1011-mysqlclient"):
        assert observed(result, "connections.init_command") == 42
        assert observed(result, "connections.isolation_option") == "SERIALIZABLE"
        # Django does not set the session time zone on MySQL: the server's own, as its settings say.
        assert observed(result, "connections.session_time_zone") == result.server.settings["time_zone"]
        # The table Django created got the server's default engine; MyISAM ignores the rollback.
        assert observed(result, "storage-engines.default_engine") == result.server.settings["default_storage_engine"]
        assert observed(result, "storage-engines.myisam_rollback") == 1
    # Django's SQLite backend turns %(name)s into sqlite3's :name placeholders when the parameters are a
    # dict (django/db/backends/sqlite3/base.py, convert_query, 4.2 to 6.1), so dictionary params work there
    # too, whatever the raw() docs say.
    for result in results.values():
        assert observed(result, "raw-sql.dict_params") == ["Fred"]


def test_longest_unique_varchar_and_sqlite_locks(results: dict[str, CellResult]) -> None:
    # MariaDB 10.4+ enforces long UNIQUE constraints with a hash (MariaDB docs, "CREATE TABLE" > UNIQUE);
    # PostgreSQL and SQLite index text of any of these lengths. All five lengths work.
    for result in results.values():
        assert observed(result, "fields.longest_unique_varchar") == 2000
    # SQLite docs, "File Locking And Concurrency" and sqlite3's timeout: a writer waits for the lock up to
    # the timeout, then gets "database is locked".
    for result in cells_of(results, "sqlite"):
        assert observed(result, "sqlite-locking.timeout") == {
            "timeout 0.2": "django.db.utils.OperationalError",
            "timeout 5": "ok",
        }


def test_non_strict_truncation_health_checks_and_non_ascii_icontains(results: dict[str, CellResult]) -> None:
    # MariaDB docs, "SQL_MODE": without strict mode an over-long value is truncated with a warning.
    for result in cells_of(results, "mariadb1011"):
        assert observed(result, "fields.overlong_string_non_strict") == 10
    # A connection the server closed (pg_terminate_backend / KILL CONNECTION) fails its next query
    # unless Django checks it first (CONN_HEALTH_CHECKS, ref/databases, Connection management).
    for result in cells_of(results, "postgres15") + cells_of(results, "mariadb1011"):
        assert observed(result, "connections.health_check") == {
            "with": "ok",
            "without": "django.db.utils.OperationalError",
        }
    # SQLite's LIKE folds ASCII case only (SQLite docs, "The LIKE ... operators"); ILIKE (PostgreSQL)
    # and *_general_ci (MariaDB) fold É too.
    for result in cells_of(results, "sqlite"):
        assert observed(result, "collation.icontains_non_ascii") == {"ascii": True, "non-ascii": False}
    for result in cells_of(results, "postgres15") + cells_of(results, "mariadb1011"):
        assert observed(result, "collation.icontains_non_ascii") == {"ascii": True, "non-ascii": True}


def test_identifiers_cursors_and_myisam(results: dict[str, CellResult]) -> None:
    # PostgreSQL keeps 63-byte names, MariaDB 64, SQLite any length (their docs, identifier limits);
    # every name keeps its case (PostgreSQL quotes Django's names; lower_case_table_names is 0 here).
    for result in results.values():
        assert observed(result, "identifiers.long_table_name") == 40
        assert observed(result, "identifiers.mixed_case_table") == "DbCompat_Mixed"
    # Django's PostgreSQL and SQLite quote_name leave a name already in double quotes alone; the MySQL
    # backend quotes with backticks, so the double quotes become part of the name
    # (django/db/backends/mysql/operations.py, quote_name).
    for result in cells_of(results, "postgres15") + cells_of(results, "sqlite"):
        assert observed(result, "identifiers.quoted_db_table") == "name_left_in_lowercase"
    for result in cells_of(results, "mariadb1011"):
        assert observed(result, "identifiers.quoted_db_table") == '"name_left_in_lowercase"'
    # pg_cursors lists the session's open cursors (PostgreSQL docs, "pg_cursors").
    for result in cells_of(results, "postgres15"):
        assert observed(result, "cursors.iterator_server_side") == {"default": 1, "DISABLE_SERVER_SIDE_CURSORS": 0}
    # MariaDB docs, "MyISAM": no transactions (SAVEPOINT and ROLLBACK TO are accepted and do nothing
    # for it) and no foreign keys (parsed, not enforced).
    for result in cells_of(results, "mariadb1011"):
        assert observed(result, "storage-engines.myisam_savepoint") == 2
        assert observed(result, "storage-engines.myisam_foreign_keys") == "ok"


def test_lobs_type_names_and_binding(results: dict[str, CellResult]) -> None:
    # Two rows that differ only by id are distinct; without the id and the text, one remains.
    # Every identifier is quoted by Django, so type names as columns are fine outside Oracle.
    for result in results.values():
        assert observed(result, "lobs.distinct_with_text") == {"distinct": 2, "distinct with defer(body)": 1}
        assert observed(result, "lobs.type_named_fields") == "ok"
    # B-tree indexes take text (PostgreSQL docs, "Index Types"); SQLite indexes any column.
    for result in cells_of(results, "postgres15") + cells_of(results, "sqlite"):
        assert observed(result, "lobs.index_on_text") is True
    # psycopg2 ignores server_side_binding (ref/databases); with psycopg 3 the parameter goes to the
    # server, and SET takes no parameters there (PostgreSQL docs, "PREPARE": only SELECT, INSERT, UPDATE,
    # DELETE, MERGE and VALUES statements take them).
    for result in cells_of(results, "postgres15-psycopg2"):
        assert observed(result, "postgresql-binding.server_side_binding") == {
            "default": "ok",
            "server_side_binding": "ok",
        }
    for result in cells_of(results, "postgres15-psycopg-"):
        assert observed(result, "postgresql-binding.server_side_binding") == {
            "default": "ok",
            "server_side_binding": "django.db.utils.ProgrammingError",
        }


def test_decimal_sums_and_text_keys(results: dict[str, CellResult]) -> None:
    # Exact NUMERIC/DECIMAL sums on PostgreSQL and MariaDB; SQLite sums REALs (SQLite docs, "Datatypes").
    for result in cells_of(results, "postgres15") + cells_of(results, "mariadb1011"):
        assert observed(result, "fields.decimal_sum") is True
    for result in cells_of(results, "sqlite"):
        assert observed(result, "fields.decimal_sum") is False
    # PostgreSQL and SQLite take text primary keys; MariaDB needs a key length for a TEXT key
    # (MariaDB docs, "BLOB and TEXT Data Types": error 1170), whatever error class the driver maps it to.
    for result in cells_of(results, "postgres15") + cells_of(results, "sqlite"):
        assert observed(result, "lobs.text_primary_key") == "ok"
    for result in cells_of(results, "mariadb1011"):
        assert observed(result, "lobs.text_primary_key") in (
            "django.db.utils.OperationalError",
            "django.db.utils.ProgrammingError",
        )
