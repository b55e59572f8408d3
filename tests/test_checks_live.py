"""Every behaviour check, run for real on every server this machine has, as ``dbcompat run`` runs them.

One run of 42 cells, in one ``run_cells`` call: PostgreSQL 15 and MariaDB 10.11 given by URL (the host's
servers), PostgreSQL 17 and 18, MariaDB 11.8 and MySQL 9.7 in containers of the images ``dbcompat images
build`` makes, and SQLite in-process through the standard library's sqlite3 and through pysqlite3 (a newer,
bundled SQLite); each server with each of its drivers, for Django 4.2, 5.2 and 6.1 (the claims differ
between these: ``django=`` ranges in harness/claims/).

``OBSERVATIONS`` says what each check observes on each server, and why: every entry's ``why`` cites the
documentation of the server, the driver or Django's own source that makes it so (page and section), never
"what it returned". Where the docs of Django make a claim for a cell, the entry asserts the observation
whether it agrees with the claim or not (a finding); ``test_every_claimed_check_is_asserted_on_every_cell``
makes sure no claimed check of any cell is left out. The entries of the checks of the catalogued pages
(suites/test_<page>.py) are in tests/live_pages.py.

``DBCOMPAT_LIVE_NO_CONTAINERS=1`` runs the cells of the host's servers and SQLite only, without a Docker engine
(for a machine without one): the entries and assertions about the container servers' cells are then skipped.
"""

from __future__ import annotations

import fnmatch
import os
import platform
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harness.claims import CLAIMS
from harness.matrix import Matrix
from harness.results import CellResult, CellStatus, CheckResult, Outcome
from harness.runner import default_jobs, run_cells
from harness.versions import Target, leading_version
from tests.live_pages import PAGE_CHECK_IDS, page_observations

pytestmark = [pytest.mark.live, pytest.mark.docker]

RUN_TOKEN = "live1"
# Servers given by URL (the host's), and servers started from the images ``dbcompat images build`` makes.
URL_SERVERS = {"postgres15": "DBCOMPAT_URL_POSTGRES15", "mariadb1011": "DBCOMPAT_URL_MARIADB1011"}
CONTAINER_SERVERS = ("postgres17", "postgres18", "mariadb118", "mysql97")
PAIRS = (
    "sqlite-sqlite3",
    "sqlite-pysqlite3",
    "postgres15-psycopg",
    "postgres15-psycopg2",
    "postgres17-psycopg",
    "postgres17-psycopg2",
    "postgres18-psycopg",
    "postgres18-psycopg2",
    "mariadb1011-mysqlclient",
    "mariadb1011-connector",
    "mariadb118-mysqlclient",
    "mariadb118-connector",
    "mysql97-mysqlclient",
    "mysql97-connector",
)
DJANGOS = ("django42", "django52", "django61")
# Without containers: the host's servers (by URL) and SQLite only.
NO_CONTAINERS = os.environ.get("DBCOMPAT_LIVE_NO_CONTAINERS") == "1"
RUN_PAIRS = tuple(p for p in PAIRS if not (NO_CONTAINERS and p.split("-", 1)[0] in CONTAINER_SERVERS))

# The stable check ids the behaviour suites publish.
CHECK_IDS = {
    *(f"smoke.{name}" for name in ("round_trip", "model_round_trip", "server_version", "bulk_create")),
    *(
        f"collation.{name}"
        for name in (
            "default",
            "exact_ignores_case",
            "unique_ignores_case",
            "contains_ignores_case",
            "iexact_non_ascii",
            "icontains_non_ascii",
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
            "decimal_sum",
            "json_round_trip",
            "datetime_microseconds",
            "overlong_string",
            "overlong_string_non_strict",
            "text_unique",
            "longest_unique_varchar",
            "char_db_index_indexes",
        )
    ),
    "transactions.nested_atomic_rollback",
    "transactions.isolation_level",
    *(
        f"connections.{name}"
        for name in (
            "conn_max_age_reuse",
            "session_time_zone",
            "client_encoding",
            "init_command",
            "isolation_option",
            "health_check",
        )
    ),
    "raw-sql.dict_params",
    *(
        f"storage-engines.{name}"
        for name in ("default_engine", "myisam_rollback", "myisam_savepoint", "myisam_foreign_keys")
    ),
    "sqlite-locking.timeout",
    *(f"identifiers.{name}" for name in ("long_table_name", "quoted_db_table", "mixed_case_table")),
    "cursors.iterator_server_side",
    *(
        f"lobs.{name}"
        for name in (
            "distinct_with_text",
            "index_on_text",
            "text_primary_key",
            "returning_into_off",
            "type_named_fields",
        )
    ),
    "postgresql-binding.server_side_binding",
    *(
        f"poolers.{name}"
        for name in (
            "iterator_across_transactions",
            "session_setting",
            "temporary_table",
            "advisory_lock",
            "prepared_statements",
            "select_for_update_in_atomic",
            "connection_dropped",
        )
    ),
}
CHECK_IDS |= PAGE_CHECK_IDS


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory, server_image: Callable[[str], str]) -> dict[str, CellResult]:
    from tests.conftest import ROOT_MATRIX, live_url
    from tests.test_containers import docker_or_skip

    environ = {**os.environ, "DBCOMPAT_RUN_TOKEN": RUN_TOKEN}
    environ.update({variable: live_url(variable) for variable in URL_SERVERS.values()})
    if not NO_CONTAINERS:
        docker_or_skip()
    for server_id in () if NO_CONTAINERS else CONTAINER_SERVERS:
        # The image, never a URL someone set for the same server: these cells are the container path.
        environ.pop(f"DBCOMPAT_URL_{server_id.upper()}", None)
        environ[f"DBCOMPAT_IMAGE_{server_id.upper()}"] = server_image(server_id)
    folder = tmp_path_factory.mktemp("results")
    cells = ROOT_MATRIX.select([f"{pair}-{django}" for pair in RUN_PAIRS for django in DJANGOS])
    summary = run_cells(ROOT_MATRIX, cells, Path(folder), environ=environ, say=lambda line: None, jobs=default_jobs())
    return {result.cell: result for result in summary.results}


# -- what each check observes where, and why ------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """What ``check`` observes in every cell one of ``cells`` (fnmatch patterns over cell ids) names."""

    check: str
    cells: tuple[str, ...]
    observed: Any
    why: str  # the server's, driver's or Django's documentation: page and section
    outcome: Outcome | None = None  # asserted too where the observation alone does not say it

    def covers(self, cell: str) -> bool:
        return any(fnmatch.fnmatchcase(cell, pattern) for pattern in self.cells)


def seen(check: str, cells: str | tuple[str, ...], observed: Any, why: str, outcome: Outcome | None = None) -> Seen:
    return Seen(check, (cells,) if isinstance(cells, str) else cells, observed, why, outcome)


PG = "postgres*"
MYSQL = "mysql*"
MARIADB = "mariadb*"
SQLITE = "sqlite-*"
SERVERS = (PG, MYSQL, MARIADB)  # every server but SQLite
EVERY = "*"
INTEGRITY = "django.db.utils.IntegrityError"
OPERATIONAL = "django.db.utils.OperationalError"
PROGRAMMING = "django.db.utils.ProgrammingError"
DATABASE = "django.db.utils.DatabaseError"
DATA = "django.db.utils.DataError"
NOT_SUPPORTED = "django.db.utils.NotSupportedError"

# How each MySQL driver names a server error (Django's django.db.utils classes mirror the driver's).
MYSQLCLIENT_CLASSES = (
    "mysqlclient maps errno to a class in src/MySQLdb/_mysql.c (_mysql_Exception): ER_DUP_ENTRY is IntegrityError, "
    "ER_DATA_TOO_LONG DataError, ER_PARSE_ERROR ProgrammingError, and any other errno of 1000 and up "
    "OperationalError"
)
CONNECTOR_CLASSES = (
    "Connector/Python maps an error by its SQLSTATE class (lib/mysql/connector/errors.py, get_mysql_exception and "
    "_SQLSTATE_CLASS_EXCEPTION): 22 is DataError, 23 IntegrityError, 42 ProgrammingError, and HY000, which has no "
    "class there, DatabaseError"
)
# Connector/Python's Django backend and MariaDB (lib/mysql/connector/django/base.py).
CONNECTOR_NOT_MARIADB = (
    "Connector/Python's DatabaseWrapper answers False for every mysql_is_* attribute (lib/mysql/connector/django/"
    "base.py, DatabaseWrapper.__getattr__), so the MySQL features it inherits from Django "
    "(django/db/backends/mysql/features.py) take MariaDB for MySQL"
)
CONNECTOR_5_5_5 = (
    f"{CONNECTOR_NOT_MARIADB}; its mysql_version is the handshake's server version (base.py, mysql_version), which "
    "MariaDB before 11.0.1 prefixes with 5.5.5- (MariaDB 11.0.1 release notes: the prefix is dropped), so Django "
    "4.2's features, which want MySQL 8.0.1 for NOWAIT, SKIP LOCKED and OF, see MySQL 5.5.5 and turn all three off"
)
MYSQL_CI = (
    "MySQL Reference Manual, Character Sets and Collations > Unicode Character Sets (the _ai_ci and _general_ci "
    "collations, utf8mb4_0900_ai_ci and utf8mb3_general_ci, are case- and accent-insensitive); MariaDB, Character "
    "Sets and Collations (_ci: case-insensitive; uca1400_ai_ci: accent- and case-insensitive). The databases are "
    "created with the charset each Django version's docs give (utf8 for 4.2, utf8mb4 for 5.2+), so they have one "
    "of these by default"
)
ROW_LOCKS_PG = (
    "PostgreSQL docs, SELECT > The Locking Clause: NOWAIT reports an error (SQLSTATE 55P03 lock_not_available, "
    "class 55, an OperationalError in psycopg's and psycopg2's errors modules) instead of waiting, SKIP LOCKED "
    "skips rows that cannot be locked at once, OF and FOR NO KEY UPDATE exist; Django's PostgreSQL features set "
    "every has_select_for_update_* flag and has_select_for_no_key_update (django/db/backends/postgresql/features.py)."
)
ROW_LOCKS_SQLITE = (
    "Django's SQLite features leave has_select_for_update and its option flags False "
    "(django/db/backends/base/features.py defaults), and select_for_update() on SQLite has no effect (Django docs, "
    "ref/models/querysets, select_for_update()); SQLite takes no row locks (SQLite docs, File Locking And "
    "Concurrency), so nothing is skipped and nothing waits."
)
ROW_LOCKS_MYSQL = (
    "MySQL Reference Manual, InnoDB Locking and Transaction Model > Locking Read Concurrency with NOWAIT and SKIP "
    "LOCKED (since 8.0.1, with OF); FOR NO KEY UPDATE is PostgreSQL's only. Django 4.2's MySQL features turn "
    "NOWAIT, SKIP LOCKED and OF on for MySQL 8.0.1+, 5.2 and 6.1 always (django/db/backends/mysql/features.py), "
    "which Connector/Python's features inherit (lib/mysql/connector/django/features.py)."
)
ROW_LOCKS_MARIADB = (
    "MariaDB docs, WAIT and NOWAIT (10.3+) and SELECT > SKIP LOCKED (10.6+); MariaDB's locking clause has no OF "
    "(SELECT ... FOR UPDATE syntax). Django's MySQL features: NOWAIT on for MariaDB, SKIP LOCKED for 10.6+, OF "
    "only when not mysql_is_mariadb (django/db/backends/mysql/features.py); an option a flag turns off is refused "
    "with NotSupportedError before the server is asked (django/db/models/sql/compiler.py, as_sql)."
)

OBSERVATIONS: tuple[Seen, ...] = (
    # -- smoke -----------------------------------------------------------------------------------------------
    seen(
        "smoke.round_trip",
        EVERY,
        [[1, "dbcompat"]],
        "PEP 249, Cursor.fetchall(): every row of the result; a SELECT of two literals returns one row of them "
        "(Django docs, topics/db/sql, Executing custom SQL directly).",
    ),
    seen(
        "smoke.model_round_trip",
        EVERY,
        "Zoë Ångström",
        "PostgreSQL docs, Character Set Support (the databases are UTF8: server_encoding); MySQL and MariaDB "
        "utf8mb3 and utf8mb4 hold every character of the Basic Multilingual Plane (MySQL Reference Manual, The "
        "utf8mb3 Character Set; MariaDB, Unicode); SQLite keeps TEXT in the database encoding, UTF-8 by default "
        "(SQLite docs, Datatypes In SQLite > Storage Classes).",
    ),
    seen(
        "smoke.server_version",
        "*-connector-*",
        "builtins.NotImplementedError",
        "Django's BaseDatabaseWrapper.get_database_version() raises NotImplementedError unless a backend overrides "
        "it (django/db/backends/base/base.py); Connector/Python's DatabaseWrapper does not "
        "(lib/mysql/connector/django/base.py).",
    ),
    seen(
        "smoke.bulk_create",
        ("sqlite-pysqlite3-django61",),
        "builtins.AttributeError",
        "Django 6.0+ sizes SQLite batches with Connection.getlimit(SQLITE_LIMIT_VARIABLE_NUMBER) "
        "(django/db/backends/sqlite3/features.py, max_query_params), a method the standard library's sqlite3 has "
        "since Python 3.11 (Python docs, sqlite3.Connection.getlimit) and pysqlite3's Connection lacks "
        "(pysqlite3 src/connection.c, connection_methods: no getlimit).",
    ),
    seen(
        "smoke.bulk_create",
        (*SERVERS, "sqlite-sqlite3-*", "sqlite-pysqlite3-django42", "sqlite-pysqlite3-django52"),
        3,
        "Django docs, ref/models/querysets, bulk_create(): the objects are inserted; Django before 6.0 sizes SQLite "
        "batches by a constant (django/db/backends/sqlite3/features.py, max_query_params = 999), later by "
        "Connection.getlimit(), which the standard library's sqlite3 has (Python 3.11+).",
    ),
    # -- collation -------------------------------------------------------------------------------------------
    seen(
        "collation.default",
        ("mysql97-*-django42", "mariadb1011-*-django42"),
        "utf8_general_ci",
        "The Django 4.2 docs create the database with CHARACTER SET utf8, an alias of utf8mb3 (MySQL Reference "
        "Manual, The utf8 Character Set (Deprecated alias for utf8mb3); MariaDB, Unicode: utf8 is utf8mb3 under "
        "the default old_mode UTF8_IS_UTF8MB3), whose default collation utf8mb3_general_ci is the collation "
        "utf8_general_ci names (the check observes the docs' name when the server resolves it to the default).",
    ),
    seen(
        "collation.default",
        ("mysql97-*-django5*", "mysql97-*-django6*"),
        "utf8mb4_0900_ai_ci",
        "MySQL Reference Manual, The utf8mb4 Character Set and default_collation_for_utf8mb4: utf8mb4's default "
        "collation is utf8mb4_0900_ai_ci.",
    ),
    seen(
        "collation.default",
        ("mariadb1011-*-django5*", "mariadb1011-*-django6*"),
        "utf8mb4_general_ci",
        "MariaDB, Setting Character Sets and Collations: a character set given without a collation gets its "
        "default one, utf8mb4_general_ci for utf8mb4 in 10.x (Supported Character Sets and Collations); MariaDB has "
        "no utf8mb4_0900_ai_ci before 11.4.5 (MariaDB 11.4.5 release notes, Character Sets and Collations).",
    ),
    seen(
        "collation.default",
        "mariadb118-*-django42",
        "utf8mb3_uca1400_ai_ci",
        "MariaDB, Supported Character Sets and Collations: from 11.2 character_set_collations sets the default "
        "collation of a character set, and this server's names utf8mb3=utf8mb3_uca1400_ai_ci (its settings).",
    ),
    seen(
        "collation.default",
        ("mariadb118-*-django5*", "mariadb118-*-django6*"),
        "utf8mb4_uca1400_ai_ci",
        "MariaDB, Setting Character Sets and Collations: from 11.6 the default collation of utf8mb4 is "
        "utf8mb4_uca1400_ai_ci (character_set_collations), and utf8mb4_0900_ai_ci is an alias of "
        "utf8mb4_uca1400_nopad_ai_ci, not of it (MariaDB 11.4.5 release notes).",
    ),
    seen("collation.exact_ignores_case", (MYSQL, MARIADB), True, MYSQL_CI + "."),
    seen(
        "collation.exact_ignores_case",
        PG,
        False,
        "PostgreSQL docs, Collation Support > Nondeterministic Collations: collations are deterministic by default, "
        "so strings that differ in case are never equal.",
    ),
    seen(
        "collation.exact_ignores_case",
        SQLITE,
        False,
        "SQLite docs, Datatypes In SQLite > Collating Sequences: = uses BINARY unless the column names another, "
        "comparing with memcmp().",
    ),
    seen(
        "collation.unique_ignores_case",
        (MYSQL, MARIADB),
        INTEGRITY,
        f"{MYSQL_CI}: 'AA' equals 'aa', a duplicate entry (error 1062, ER_DUP_ENTRY: MySQL Server Error Message "
        f"Reference; MariaDB Error Codes), which both drivers raise as IntegrityError ({MYSQLCLIENT_CLASSES}; "
        f"{CONNECTOR_CLASSES}).",
    ),
    seen(
        "collation.unique_ignores_case",
        (PG, SQLITE),
        "ok",
        "PostgreSQL's deterministic collations and SQLite's BINARY tell 'AA' from 'aa' (PostgreSQL docs, Collation "
        "Support; SQLite docs, Datatypes In SQLite > Collating Sequences): no duplicate.",
    ),
    seen(
        "collation.contains_ignores_case",
        SQLITE,
        True,
        "SQLite docs, SQL Language Expressions > The LIKE, GLOB, REGEXP, MATCH, and extract operators: LIKE is "
        "case-insensitive for ASCII characters by default (SQLITE_CASE_SENSITIVE_LIKE is off, as the settings say); "
        "Django's SQLite contains is LIKE (django/db/backends/sqlite3/base.py, operators).",
    ),
    seen(
        "collation.contains_ignores_case",
        PG,
        False,
        "PostgreSQL docs, Pattern Matching > LIKE: ILIKE, not LIKE, matches case-insensitively; Django's "
        "PostgreSQL contains is LIKE (django/db/backends/postgresql/base.py, operators).",
    ),
    seen(
        "collation.contains_ignores_case",
        (MYSQL, MARIADB),
        False,
        "Django's MySQL backend compiles contains as LIKE BINARY (django/db/backends/mysql/base.py, operators) and "
        "Connector/Python's as LIKE CAST(%s AS BINARY) (lib/mysql/connector/django/base.py); MySQL Reference Manual, "
        "String Comparison Functions > LIKE, and Case Sensitivity in String Searches: with a binary string "
        "operand the comparison is case-sensitive.",
    ),
    seen(
        "collation.iexact_non_ascii",
        SQLITE,
        False,
        "SQLite docs, The LIKE ... operators: SQLite only understands upper/lower case for ASCII characters unless "
        "built with ICU (SQLITE_ENABLE_ICU is off, as the settings say); Django's SQLite iexact is LIKE "
        "(django/db/backends/sqlite3/base.py, operators).",
    ),
    seen(
        "collation.iexact_non_ascii",
        PG,
        True,
        "Django's PostgreSQL iexact compares UPPER() of both sides (django/db/backends/postgresql/base.py, "
        "operators); PostgreSQL docs, String Functions and Operators > upper(): by the rules of the database's "
        "locale, a UTF-8 one here (the settings' lc_ctype), which upper-cases é as É.",
    ),
    seen(
        "collation.iexact_non_ascii",
        (MYSQL, MARIADB),
        True,
        f"Django's MySQL iexact is LIKE under the column's collation (django/db/backends/mysql/base.py, operators); "
        f"{MYSQL_CI}, É and é included.",
    ),
    seen(
        "collation.icontains_non_ascii",
        (PG, MYSQL, MARIADB),
        {"ascii": True, "non-ascii": True},
        "As for iexact: Django's PostgreSQL icontains is UPPER() LIKE UPPER() (django/db/backends/postgresql/base.py, "
        "operators; PostgreSQL docs, upper(): by the database's locale), its MySQL icontains LIKE under a _ci "
        f"collation ({MYSQL_CI}).",
    ),
    seen(
        "collation.icontains_non_ascii",
        SQLITE,
        {"ascii": True, "non-ascii": False},
        "SQLite docs, The LIKE ... operators: LIKE folds ASCII case only (no ICU here, as the settings say).",
    ),
    seen(
        "collation.db_collation_case_sensitive",
        ("mysql97-*", "mariadb1011-*-django42", "mariadb118-*"),
        True,
        "The docs' collations compare case-sensitively: utf8_bin, an alias of utf8mb3_bin, compares code points "
        "(MySQL Reference Manual, The binary Collation Compared to _bin Collations; MariaDB, Character Sets and "
        "Collations: _bin), utf8mb4_0900_as_cs is accent- and case-sensitive (MySQL Reference Manual, Unicode "
        "Character Sets), and MariaDB has it from 11.4.5, an alias of utf8mb4_uca1400_as_cs (MariaDB 11.4.5 "
        "release notes).",
    ),
    seen(
        "collation.db_collation_case_sensitive",
        "mariadb1011-mysqlclient-django[56]*",
        OPERATIONAL,
        "MariaDB before 11.4.5 has no utf8mb4_0900_as_cs (MariaDB 11.4.5 release notes): creating the column fails, "
        f"error 1273 Unknown collation, SQLSTATE HY000 (MariaDB Error Codes); {MYSQLCLIENT_CLASSES}.",
    ),
    seen(
        "collation.db_collation_case_sensitive",
        "mariadb1011-connector-django[56]*",
        DATABASE,
        "MariaDB before 11.4.5 has no utf8mb4_0900_as_cs (MariaDB 11.4.5 release notes): creating the column fails, "
        f"error 1273 Unknown collation, SQLSTATE HY000 (MariaDB Error Codes); {CONNECTOR_CLASSES}.",
    ),
    seen(
        "collation.db_collation_case_sensitive",
        (PG, SQLITE),
        True,
        "PostgreSQL docs, Collation Support > Standard Collations: C sorts and compares by byte values; SQLite docs, "
        "Datatypes In SQLite > Collating Sequences: BINARY compares with memcmp().",
    ),
    seen(
        "collation.formset_unique_case",
        (MYSQL, MARIADB),
        {"valid": True, "save": INTEGRITY},
        "Django's BaseModelFormSet.validate_unique() compares the forms' values as Python strings "
        "(django/forms/models.py), so 'aa' and 'AA' pass; then the server's unique index under the _ci collation "
        "rejects the second, error 1062, an IntegrityError (see collation.unique_ignores_case).",
    ),
    seen(
        "collation.formset_unique_case",
        (PG, SQLITE),
        {"valid": True, "save": "ok"},
        "Django's formset validation passes (django/forms/models.py, validate_unique) and the case-sensitive "
        "comparisons of PostgreSQL and SQLite keep 'aa' and 'AA' apart (see collation.unique_ignores_case).",
    ),
    # -- typecasting -----------------------------------------------------------------------------------------
    seen(
        "typecasting.raw_eq_zero",
        (MYSQL, MARIADB),
        ["abc", "def"],
        "MySQL Reference Manual, Type Conversion in Expression Evaluation (a string compared with a number is "
        "compared as a number; 'abc' has no leading digits and converts to 0); MariaDB, Type Conversion > Rules "
        "for Conversion on Comparison (a string and an integer compare as decimals).",
    ),
    seen(
        "typecasting.raw_eq_one",
        (MYSQL, MARIADB),
        [],
        "Same rules: a string converts by its leading numeric characters, and 'abc1' has none, so it is 0, not 1 "
        "(MySQL Reference Manual, Type Conversion in Expression Evaluation: 0 = 'x6' is 1; MariaDB, Type "
        "Conversion).",
    ),
    seen(
        "typecasting.raw_manager_param",
        (MYSQL, MARIADB),
        {"raw": ["abc", "def"], "RawSQL": ["abc", "def"]},
        "Both MySQL drivers interpolate the integer 0 into the statement client-side as the number 0 (mysqlclient "
        "src/MySQLdb/cursors.py and converters.py; Connector/Python lib/mysql/connector/conversion.py), which the "
        "server then compares as a number (MySQL Reference Manual, Type Conversion in Expression Evaluation; "
        "MariaDB, Type Conversion).",
    ),
    *(
        seen(
            check,
            PG,
            observed,
            "PostgreSQL docs, Type Conversion > Operators: there is no = operator for character varying and integer "
            "and no implicit cast between them, so the query fails, SQLSTATE 42883 undefined_function, a "
            "ProgrammingError in psycopg's and psycopg2's errors modules.",
        )
        for check, observed in (
            ("typecasting.raw_eq_zero", PROGRAMMING),
            ("typecasting.raw_eq_one", PROGRAMMING),
            ("typecasting.raw_manager_param", {"raw": PROGRAMMING, "RawSQL": PROGRAMMING}),
        )
    ),
    *(
        seen(
            check,
            SQLITE,
            observed,
            "SQLite docs, Datatypes In SQLite > Type Conversions Prior To Comparison: the TEXT column's affinity is "
            "applied to the number, so 0 is compared as '0' and 1 as '1', which none of the docs' rows is.",
        )
        for check, observed in (
            ("typecasting.raw_eq_zero", []),
            ("typecasting.raw_eq_one", []),
            ("typecasting.raw_manager_param", {"raw": [], "RawSQL": []}),
        )
    ),
    seen(
        "typecasting.orm_eq_zero",
        EVERY,
        [],
        "Django's CharField.get_prep_value() turns the value into a string (django/db/models/fields/__init__.py, "
        "CharField.to_python), so filter(value=0) compares with '0', which neither 'abc' nor 'def' is.",
    ),
    # -- row locking -----------------------------------------------------------------------------------------
    *(
        seen(f"row-locking.{option}.flag", PG, True, ROW_LOCKS_PG)
        for option in ("nowait", "skip_locked", "of", "no_key")
    ),
    *(
        seen(f"row-locking.{option}.use", PG, "ok", ROW_LOCKS_PG)
        for option in ("nowait", "skip_locked", "of", "no_key")
    ),
    seen("row-locking.nowait.contended", PG, {"raised": OPERATIONAL, "at_once": True}, ROW_LOCKS_PG),
    seen("row-locking.skip_locked.contended", PG, [2, 3], ROW_LOCKS_PG),
    *(
        seen(f"row-locking.{option}.flag", SQLITE, False, ROW_LOCKS_SQLITE)
        for option in ("nowait", "skip_locked", "of", "no_key")
    ),
    *(
        seen(f"row-locking.{option}.use", SQLITE, "ok", ROW_LOCKS_SQLITE)
        for option in ("nowait", "skip_locked", "of", "no_key")
    ),
    seen("row-locking.nowait.contended", SQLITE, {"raised": None, "at_once": True}, ROW_LOCKS_SQLITE),
    seen("row-locking.skip_locked.contended", SQLITE, [1, 2, 3], ROW_LOCKS_SQLITE),
    *(seen(f"row-locking.{option}.flag", MYSQL, True, ROW_LOCKS_MYSQL) for option in ("nowait", "skip_locked", "of")),
    *(seen(f"row-locking.{option}.use", MYSQL, "ok", ROW_LOCKS_MYSQL) for option in ("nowait", "skip_locked", "of")),
    seen(
        "row-locking.no_key.flag",
        (MYSQL, MARIADB),
        False,
        "Django's MySQL features leave has_select_for_no_key_update False (django/db/backends/base/features.py "
        "default; FOR NO KEY UPDATE is PostgreSQL's: PostgreSQL docs, SELECT > The Locking Clause).",
    ),
    seen(
        "row-locking.no_key.use",
        (MYSQL, MARIADB),
        NOT_SUPPORTED,
        "With has_select_for_no_key_update False, Django refuses no_key=True with NotSupportedError "
        "(django/db/models/sql/compiler.py, as_sql).",
    ),
    seen(
        "row-locking.nowait.contended",
        "mysql97-mysqlclient-*",
        {"raised": OPERATIONAL, "at_once": True},
        f"{ROW_LOCKS_MYSQL} NOWAIT fails at once with error 3572 ER_LOCK_NOWAIT (MySQL Server Error Message "
        f"Reference); {MYSQLCLIENT_CLASSES}.",
    ),
    seen(
        "row-locking.nowait.contended",
        "mysql97-connector-*",
        {"raised": DATABASE, "at_once": True},
        f"{ROW_LOCKS_MYSQL} NOWAIT fails at once with error 3572 ER_LOCK_NOWAIT, SQLSTATE HY000 (MySQL Server Error "
        f"Message Reference); {CONNECTOR_CLASSES}.",
    ),
    seen("row-locking.skip_locked.contended", MYSQL, [2, 3], ROW_LOCKS_MYSQL),
    # MariaDB with mysqlclient: Django's own backend detects MariaDB.
    *(
        seen(f"row-locking.{option}.flag", "mariadb*-mysqlclient-*", flag, ROW_LOCKS_MARIADB)
        for option, flag in (("nowait", True), ("skip_locked", True), ("of", False))
    ),
    *(
        seen(f"row-locking.{option}.use", "mariadb*-mysqlclient-*", used, ROW_LOCKS_MARIADB)
        for option, used in (("nowait", "ok"), ("skip_locked", "ok"), ("of", NOT_SUPPORTED))
    ),
    seen(
        "row-locking.nowait.contended",
        "mariadb*-mysqlclient-*",
        {"raised": OPERATIONAL, "at_once": True},
        f"{ROW_LOCKS_MARIADB} NOWAIT is WAIT 0, a lock wait timeout of zero (MariaDB docs, WAIT and NOWAIT), so it "
        f"fails at once with error 1205 ER_LOCK_WAIT_TIMEOUT (MariaDB Error Codes); {MYSQLCLIENT_CLASSES}.",
    ),
    seen("row-locking.skip_locked.contended", "mariadb*-mysqlclient-*", [2, 3], ROW_LOCKS_MARIADB),
    # MariaDB with Connector/Python: its backend takes MariaDB for MySQL.
    *(
        seen(
            f"row-locking.{option}.flag",
            ("mariadb118-connector-*", "mariadb1011-connector-django[56]*"),
            True,
            f"{CONNECTOR_NOT_MARIADB}: NOWAIT, SKIP LOCKED and OF on, as for MySQL (django/db/backends/mysql/"
            "features.py; Django 4.2 also wants MySQL 8.0.1, which MariaDB 11.8's handshake version 11.8 passes).",
        )
        for option in ("nowait", "skip_locked", "of")
    ),
    *(
        seen(
            f"row-locking.{option}.use",
            ("mariadb118-connector-*", "mariadb1011-connector-django[56]*"),
            used,
            f"{CONNECTOR_NOT_MARIADB}: Django sends FOR UPDATE NOWAIT and SKIP LOCKED, which MariaDB has (MariaDB "
            "docs, WAIT and NOWAIT; SKIP LOCKED 10.6+), and FOR UPDATE OF, which MariaDB's grammar lacks: error "
            f"1064 ER_PARSE_ERROR, SQLSTATE 42000 (MariaDB Error Codes); {CONNECTOR_CLASSES}.",
        )
        for option, used in (("nowait", "ok"), ("skip_locked", "ok"), ("of", PROGRAMMING))
    ),
    seen(
        "row-locking.nowait.contended",
        ("mariadb118-connector-*", "mariadb1011-connector-django[56]*"),
        {"raised": DATABASE, "at_once": True},
        "NOWAIT is WAIT 0 (MariaDB docs, WAIT and NOWAIT): error 1205 ER_LOCK_WAIT_TIMEOUT, SQLSTATE HY000 (MariaDB "
        f"Error Codes); {CONNECTOR_CLASSES}.",
    ),
    seen(
        "row-locking.skip_locked.contended",
        ("mariadb118-connector-*", "mariadb1011-connector-django[56]*"),
        [2, 3],
        "MariaDB docs, SELECT > SKIP LOCKED (10.6+): locked rows are skipped.",
    ),
    *(
        seen(f"row-locking.{option}.flag", "mariadb1011-connector-django42", False, CONNECTOR_5_5_5 + ".")
        for option in ("nowait", "skip_locked", "of")
    ),
    *(
        seen(
            f"row-locking.{option}.use",
            "mariadb1011-connector-django42",
            NOT_SUPPORTED,
            f"{CONNECTOR_5_5_5}; Django refuses an option whose flag is off with NotSupportedError "
            "(django/db/models/sql/compiler.py, as_sql).",
        )
        for option in ("nowait", "skip_locked", "of")
    ),
    seen(
        "row-locking.nowait.contended",
        "mariadb1011-connector-django42",
        {"raised": NOT_SUPPORTED, "at_once": True},
        f"{CONNECTOR_5_5_5}; Django refuses nowait=True with NotSupportedError before the server is asked.",
    ),
    seen(
        "row-locking.skip_locked.contended",
        "mariadb1011-connector-django42",
        NOT_SUPPORTED,
        f"{CONNECTOR_5_5_5}; Django refuses skip_locked=True with NotSupportedError before the server is asked.",
    ),
    seen(
        "row-locking.outside_transaction",
        SERVERS,
        "django.db.transaction.TransactionManagementError",
        "Django raises TransactionManagementError itself for select_for_update() in autocommit mode where "
        "has_select_for_update is True (django/db/models/sql/compiler.py, as_sql; Django docs, "
        "ref/models/querysets, select_for_update()).",
    ),
    seen(
        "row-locking.outside_transaction",
        SQLITE,
        "ok",
        "Django's SQLite features leave has_select_for_update False, so select_for_update() is ignored "
        "(django/db/backends/base/features.py; Django docs, ref/models/querysets, select_for_update()).",
    ),
    seen(
        "row-locking.with_limit",
        EVERY,
        "ok",
        "LIMIT with FOR UPDATE is valid SQL on PostgreSQL (docs, SELECT > The Locking Clause), MySQL (Reference "
        "Manual, SELECT Statement) and MariaDB (SELECT); on SQLite Django emits no FOR UPDATE.",
    ),
    # -- TIMESTAMP and USE_TZ (a session at UTC+2, TIME_ZONE UTC+2; 10:00 UTC written) -----------------------
    seen(
        "timestamp-use-tz.timestamp_shift",
        (MYSQL, MARIADB),
        -7200,
        "MySQL Reference Manual, The DATE, DATETIME, and TIMESTAMP Types (MariaDB, TIMESTAMP): TIMESTAMP values are "
        "converted from the session time zone to UTC for storage. With USE_TZ Django writes UTC wall time (10:00; "
        "django/db/backends/mysql/operations.py, adapt_datetimefield_value), which the server takes for 10:00+02:00: "
        "two hours early.",
    ),
    seen(
        "timestamp-use-tz.timestamp_shift_no_tz",
        (MYSQL, MARIADB, PG),
        0,
        "Without USE_TZ Django writes local wall time (12:00 at UTC+2), which the server converts from the session "
        "zone to the right instant (MySQL Reference Manual, The DATE, DATETIME, and TIMESTAMP Types; MariaDB, "
        "TIMESTAMP; PostgreSQL docs, Date/Time Types > Time Zones: timestamptz input without a zone is in the "
        "session's TimeZone).",
    ),
    seen(
        "timestamp-use-tz.datetime_shift",
        (MYSQL, MARIADB),
        0,
        "MySQL Reference Manual, The DATE, DATETIME, and TIMESTAMP Types: DATETIME is stored as given (no "
        "conversion); Django wrote UTC wall time, read back in a UTC session as the right instant.",
    ),
    seen(
        "timestamp-use-tz.timestamp_shift",
        PG,
        0,
        "PostgreSQL docs, Date/Time Types > Time Stamps: timestamptz input with an explicit offset (psycopg sends "
        "Django's aware UTC datetime with one) is converted to UTC: the right instant.",
    ),
    seen(
        "timestamp-use-tz.datetime_shift",
        PG,
        7200,
        "PostgreSQL docs, Date/Time Types > Time Stamps: an aware value written to a plain timestamp is converted to "
        "the session's TimeZone (UTC+2) and stored as that wall time, 12:00, which a UTC session reads two hours late.",
    ),
    seen(
        "timestamp-use-tz.zoneinfo",
        PG,
        True,
        "PostgreSQL docs, pg_timezone_names: the view lists the time zone names the server knows, from its IANA "
        "time zone data.",
    ),
    seen(
        "timestamp-use-tz.zoneinfo",
        ("mysql97-*", "mariadb118-*"),
        True,
        "The images' entrypoint loads the time zone tables with mysql_tzinfo_to_sql, as the official images do "
        "(harness/images/docker/mysql-entrypoint.sh; MySQL Reference Manual, MySQL Server Time Zone Support > "
        "Populating the Time Zone Tables).",
    ),
    # -- NULL and empty strings ------------------------------------------------------------------------------
    *(
        seen(
            check,
            EVERY,
            observed,
            "Outside Oracle '' is a value, not NULL (MySQL Reference Manual, Working with NULL Values: '' is not "
            "NULL; MariaDB, NULL Values; PostgreSQL docs, Comparison Functions and Operators > IS NULL; SQLite docs, "
            "NULL Handling in SQLite); Django's interprets_empty_strings_as_nulls is False but on Oracle "
            "(django/db/backends/base/features.py, oracle/features.py).",
        )
        for check, observed in (
            ("empty-string.stored_as_null", False),
            ("empty-string.read_back", ""),
            ("empty-string.filter_exact", 1),
            ("empty-string.filter_isnull", 0),
            ("empty-string.not_null_accepts_empty", "ok"),
            ("empty-string.flag", False),
        )
    ),
    # -- sequence reset --------------------------------------------------------------------------------------
    seen(
        "sequence-reset.collision_after_manual_pk",
        PG,
        INTEGRITY,
        "PostgreSQL docs, CREATE TABLE > GENERATED BY DEFAULT AS IDENTITY: a value given by hand does not advance "
        "the sequence, so the next generated id (1) is taken: SQLSTATE 23505 unique_violation, an IntegrityError.",
    ),
    seen(
        "sequence-reset.sqlsequencereset_statements",
        PG,
        1,
        "Django's PostgreSQL sequence_reset_sql() gives one setval() per auto field (django/db/backends/postgresql/"
        "operations.py), and the app has one; PostgreSQL docs, Sequence Manipulation Functions > setval.",
    ),
    seen(
        "sequence-reset.fixed_after_reset",
        (*SERVERS, SQLITE),
        "ok",
        "PostgreSQL docs, Sequence Manipulation Functions > setval: the next value is past the largest id; MySQL and "
        "SQLite never collided (below).",
    ),
    seen(
        "sequence-reset.collision_after_manual_pk",
        (MYSQL, MARIADB, SQLITE),
        "ok",
        "MySQL Reference Manual, Using AUTO_INCREMENT (MariaDB, AUTO_INCREMENT): inserting a larger value moves the "
        "counter past it; SQLite docs, ROWIDs and the INTEGER PRIMARY KEY: a new rowid is one more than the largest.",
    ),
    seen(
        "sequence-reset.sqlsequencereset_statements",
        (MYSQL, MARIADB, SQLITE),
        0,
        "Django's MySQL and SQLite backends keep BaseDatabaseOperations.sequence_reset_sql(), which returns no "
        "statements (django/db/backends/base/operations.py).",
    ),
    # -- fields ----------------------------------------------------------------------------------------------
    seen(
        "fields.decimal_19_digits",
        SERVERS,
        True,
        "PostgreSQL docs, Numeric Types > Arbitrary Precision Numbers (numeric is exact); MySQL Reference Manual, "
        "Fixed-Point Types (DECIMAL, up to 65 digits, exact); MariaDB, DECIMAL.",
    ),
    seen(
        "fields.decimal_19_digits",
        SQLITE,
        False,
        "SQLite docs, Datatypes In SQLite > Type Affinity: a decimal column has NUMERIC affinity, converting a real "
        "literal to REAL, of which only the first 15 significant decimal digits are preserved.",
    ),
    seen(
        "fields.decimal_sum",
        SERVERS,
        True,
        "Exact numeric/DECIMAL arithmetic (PostgreSQL docs, Numeric Types; MySQL Reference Manual, Precision Math).",
    ),
    seen(
        "fields.decimal_sum",
        SQLITE,
        False,
        "SQLite docs, Datatypes In SQLite: the values are REALs (8-byte IEEE "
        "floating point), and so is their SUM (SQLite docs, Built-in Aggregate Functions > sum()).",
    ),
    seen(
        "fields.json_round_trip",
        EVERY,
        True,
        "PostgreSQL docs, JSON Types (jsonb); MySQL Reference Manual, The JSON Data Type; MariaDB, JSON Data Type "
        "(10.2.7+); SQLite docs, JSON Functions (built in from 3.38; SQLITE_OMIT_JSON is off, as the settings say).",
    ),
    seen(
        "fields.datetime_microseconds",
        (PG, SQLITE, "mysql97-*", "mariadb*-mysqlclient-*", "mariadb118-connector-*"),
        123456,
        "PostgreSQL docs, Date/Time Types (microsecond resolution); Django's MySQL backend creates datetime(6) "
        "(django/db/backends/mysql/base.py, data_types; MySQL Reference Manual, Fractional Seconds in Time Values); "
        "SQLite keeps Django's ISO 8601 text (django/db/backends/sqlite3/operations.py).",
    ),
    seen(
        "fields.datetime_microseconds",
        "mariadb1011-connector-*",
        0,
        "Connector/Python's backend drops microseconds unless mysql_version >= (5, 6, 3) "
        "(lib/mysql/connector/django/features.py, supports_microsecond_precision; operations.py, "
        "value_to_db_datetime), and its mysql_version is the handshake's, 5.5.5- prefixed by MariaDB before 11.0.1 "
        "(MariaDB 11.0.1 release notes).",
    ),
    seen(
        "fields.overlong_string",
        (MYSQL, MARIADB),
        DATA,
        "MySQL Reference Manual, Server SQL Modes > Strict SQL Mode (STRICT_TRANS_TABLES is in the default sql_mode, "
        "and in these servers'; MariaDB, SQL_MODE): the insert fails, error 1406 ER_DATA_TOO_LONG, SQLSTATE 22001, "
        f"a DataError for both drivers ({MYSQLCLIENT_CLASSES}; {CONNECTOR_CLASSES}).",
    ),
    seen(
        "fields.overlong_string",
        PG,
        DATA,
        "PostgreSQL docs, Character Types: storing a longer string into varchar(n) is an error, SQLSTATE 22001 "
        "string_data_right_truncation (class 22, a DataError).",
    ),
    seen(
        "fields.overlong_string",
        SQLITE,
        "ok",
        "SQLite FAQ, (9) What is the maximum size of a VARCHAR in SQLite?: "
        "SQLite does not enforce the length of a VARCHAR.",
    ),
    seen(
        "fields.overlong_string_non_strict",
        (MYSQL, MARIADB),
        10,
        "MySQL Reference Manual, The CHAR and VARCHAR Types: without strict mode a value longer than the column is "
        "truncated to fit, with a warning (MariaDB, VARCHAR and SQL_MODE).",
    ),
    seen(
        "fields.text_unique",
        "mysql97-mysqlclient-*",
        OPERATIONAL,
        "MySQL Reference Manual, The BLOB and TEXT Types: an index on a TEXT column needs a prefix length; error "
        f"1170 ER_BLOB_KEY_WITHOUT_LENGTH (MySQL Server Error Message Reference); {MYSQLCLIENT_CLASSES}.",
    ),
    seen(
        "fields.text_unique",
        "mysql97-connector-*",
        PROGRAMMING,
        "MySQL Reference Manual, The BLOB and TEXT Types: an index on a TEXT column needs a prefix length; error "
        f"1170 ER_BLOB_KEY_WITHOUT_LENGTH, SQLSTATE 42000; {CONNECTOR_CLASSES}.",
    ),
    seen(
        "fields.text_unique",
        (MARIADB, PG, SQLITE),
        "ok",
        "MariaDB, BLOB > Indexing: from 10.4 a UNIQUE key on a BLOB or TEXT column needs no length (MariaDB keeps a "
        "hash of the value); PostgreSQL and SQLite index text like any value (PostgreSQL docs, Index Types > B-Tree; "
        "SQLite docs, CREATE INDEX).",
    ),
    seen(
        "fields.longest_unique_varchar",
        "mysql97-*-django42",
        1000,
        "MySQL Reference Manual, Limits on InnoDB Tables: index keys are up to 3072 bytes (DYNAMIC row format); the "
        "Django 4.2 database is utf8 (utf8mb3, 3 bytes a character), so 1000 characters (3000 bytes) fit and 2000 do "
        "not (error 1071).",
    ),
    seen(
        "fields.longest_unique_varchar",
        ("mysql97-*-django5*", "mysql97-*-django6*"),
        768,
        "MySQL Reference Manual, Limits on InnoDB Tables: index keys are up to 3072 bytes; the Django 5.2+ database "
        "is utf8mb4 (4 bytes a character), so 768 characters fit and 1000 do not (error 1071).",
    ),
    seen(
        "fields.longest_unique_varchar",
        (MARIADB, PG, SQLITE),
        2000,
        "MariaDB, CREATE TABLE > Index Definitions: from 10.4 a UNIQUE key too long for the engine is kept as a hash "
        "(long unique); PostgreSQL and SQLite index these lengths like any value.",
    ),
    seen(
        "fields.char_db_index_indexes",
        PG,
        2,
        "Django's PostgreSQL schema editor adds a varchar_pattern_ops index next to the usual one "
        "(django/db/backends/postgresql/schema.py, _create_like_index_sql; Django docs, ref/databases, PostgreSQL "
        "notes > Indexes for varchar and text columns).",
    ),
    seen(
        "fields.char_db_index_indexes",
        (MYSQL, MARIADB, SQLITE),
        1,
        "Only Django's PostgreSQL schema editor adds a LIKE index (django/db/backends/postgresql/schema.py); the "
        "others create the one index db_index asks for.",
    ),
    # -- transactions ----------------------------------------------------------------------------------------
    seen(
        "transactions.nested_atomic_rollback",
        EVERY,
        ["outer"],
        "The inner atomic() block is a savepoint, rolled back on its own (Django docs, topics/db/transactions, "
        "atomic(); PostgreSQL docs, SAVEPOINT; MySQL Reference Manual, SAVEPOINT, ROLLBACK TO SAVEPOINT; SQLite "
        "docs, SAVEPOINT).",
    ),
    seen(
        "transactions.isolation_level",
        (PG, "*-mysqlclient-*"),
        "read committed",
        "Django's MySQL backend sets READ COMMITTED when OPTIONS names no level (django/db/backends/mysql/base.py, "
        "isolation_level default), where the server's own default is REPEATABLE READ (MySQL Reference Manual, "
        "Transaction Isolation Levels; the settings' transaction_isolation); READ COMMITTED is PostgreSQL's default "
        "(PostgreSQL docs, Transaction Isolation).",
    ),
    seen(
        "transactions.isolation_level",
        "*-connector-*",
        "repeatable read",
        "Connector/Python's backend sets a level only when OPTIONS isolation_level names one "
        "(lib/mysql/connector/django/base.py, isolation_level = None and init_connection_state), so the session "
        "keeps the server's default, REPEATABLE READ (MySQL Reference Manual, Transaction Isolation Levels).",
    ),
    # -- connections -----------------------------------------------------------------------------------------
    seen(
        "connections.conn_max_age_reuse",
        EVERY,
        {"0": False, "None": True},
        "Django's BaseDatabaseWrapper.close_if_unusable_or_obsolete() closes a connection whose close_at has passed "
        "(CONN_MAX_AGE 0: at once) and keeps it for None (django/db/backends/base/base.py; Django docs, "
        "ref/databases, Persistent connections).",
    ),
    seen(
        "connections.session_time_zone",
        PG,
        "UTC",
        "Django's PostgreSQL backend sets the connection's TimeZone to UTC with USE_TZ "
        "(django/db/backends/postgresql/base.py, timezone_name and _configure_timezone).",
    ),
    seen(
        "connections.client_encoding",
        PG,
        "UTF8",
        "Django's PostgreSQL backend connects with client_encoding UTF8 (django/db/backends/postgresql/base.py, "
        "get_connection_params; PostgreSQL docs, Character Set Support > Automatic Character Set Conversion).",
    ),
    seen(
        "connections.client_encoding",
        "*-mysqlclient-django42",
        "utf8mb3",
        "Django 4.2's MySQL backend connects with charset utf8 (django/db/backends/mysql/base.py, "
        "get_connection_params), which the server names utf8mb3 (MySQL Reference Manual, The utf8 Character Set; "
        "MariaDB, Unicode).",
    ),
    seen(
        "connections.client_encoding",
        ("*-mysqlclient-django5*", "*-mysqlclient-django6*"),
        "utf8mb4",
        "Django 5.2+'s MySQL backend connects with charset utf8mb4 (django/db/backends/mysql/base.py, "
        "get_connection_params).",
    ),
    seen(
        "connections.client_encoding",
        "*-connector-*",
        "utf8mb4",
        "Connector/Python's backend names no charset (lib/mysql/connector/django/base.py, get_connection_params), "
        "and Connector/Python's default is utf8mb4 (lib/mysql/connector/constants.py, DEFAULT_CONFIGURATION).",
    ),
    seen(
        "connections.init_command",
        (MYSQL, MARIADB),
        42,
        "OPTIONS init_command runs on each new connection (mysqlclient: MYSQL_INIT_COMMAND, src/MySQLdb/_mysql.c; "
        "Connector/Python: init_command, lib/mysql/connector/django/base.py), so the user variable it sets reads "
        "back (MySQL Reference Manual, User-Defined Variables: session-scoped).",
    ),
    seen(
        "connections.init_command",
        ("sqlite-*-django5*", "sqlite-*-django6*"),
        4242,
        "Django 5.1+'s SQLite backend runs OPTIONS init_command on each new connection "
        "(django/db/backends/sqlite3/base.py, get_new_connection), so the PRAGMA it sets reads back (SQLite docs, "
        "PRAGMA cache_size).",
    ),
    seen(
        "connections.init_command",
        "sqlite-*-django42",
        "builtins.TypeError",
        "Django 4.2's SQLite backend passes OPTIONS to sqlite3.connect() (django/db/backends/sqlite3/base.py, "
        "get_connection_params), which takes no init_command keyword (Python docs, sqlite3.connect()).",
    ),
    seen(
        "connections.isolation_option",
        SERVERS,
        "serializable",
        "OPTIONS isolation_level is set on each connection: Django's PostgreSQL backend through psycopg's "
        "isolation_level, its MySQL backend and Connector/Python's with SET SESSION TRANSACTION ISOLATION LEVEL "
        "(django/db/backends/postgresql/base.py and mysql/base.py; lib/mysql/connector/django/base.py, "
        "init_connection_state); PostgreSQL docs, SET TRANSACTION; MySQL Reference Manual, SET TRANSACTION.",
    ),
    seen(
        "connections.health_check",
        SERVERS,
        {"with": "ok", "without": OPERATIONAL},
        "A query on a connection the server closed fails with OperationalError, the class PEP 249 gives an "
        "unexpected disconnect (PEP 249, Exceptions > OperationalError; psycopg docs, errors: AdminShutdown 57P01 is "
        "an OperationalError; mysqlclient: CR_SERVER_LOST 2013; Connector/Python lib/mysql/connector/connection.py: "
        "OperationalError 'MySQL Connection not available'); CONN_HEALTH_CHECKS replaces it first (Django docs, "
        "ref/databases, Connection management; django/db/backends/base/base.py, close_if_health_check_failed).",
    ),
    seen(
        "connections.health_check",
        SQLITE,
        None,
        "SQLite is a library in the process, not a server (SQLite docs, About SQLite: serverless), so nothing can "
        "close Django's connection from the other side: the check cannot run, and says so.",
        outcome=Outcome.NOT_APPLICABLE,
    ),
    seen(
        "raw-sql.dict_params",
        EVERY,
        ["Fred"],
        "psycopg, psycopg2, mysqlclient and Connector/Python take the pyformat paramstyle, %(name)s with a mapping "
        "(PEP 249, paramstyle; each driver's paramstyle); Django 4.2+ rewrites %(name)s to :name for sqlite3 "
        "(django/db/backends/sqlite3/base.py, SQLiteCursorWrapper.convert_query; Django pull request 16243).",
    ),
    # -- storage engines -------------------------------------------------------------------------------------
    seen(
        "storage-engines.default_engine",
        (MYSQL, MARIADB),
        "InnoDB",
        "MySQL Reference Manual, Setting the Storage Engine (default_storage_engine, InnoDB by default; MariaDB, "
        "InnoDB: the default since 10.2), and Django names no engine (django/db/backends/mysql/schema.py).",
    ),
    seen(
        "storage-engines.myisam_rollback",
        (MYSQL, MARIADB),
        1,
        "MySQL Reference Manual, The MyISAM Storage Engine (no transactions) and ROLLBACK: changes to nontransactional "
        "tables cannot be rolled back (warning 1196); MariaDB, MyISAM.",
    ),
    seen(
        "storage-engines.myisam_savepoint",
        MARIADB,
        2,
        "MariaDB, SAVEPOINT > Errors: SAVEPOINT, ROLLBACK TO and RELEASE fail only for a savepoint that does not "
        "exist; ROLLBACK TO cannot undo the MyISAM row and warns (1196), so both rows stay.",
    ),
    seen(
        "storage-engines.myisam_savepoint",
        MYSQL,
        None,
        "MySQL Reference Manual, Restrictions on Replication with GTIDs: with enforce_gtid_consistency ON (as this "
        "server's settings say) a transaction may not update a nontransactional table twice, so the check cannot "
        "observe what the savepoint methods do on MyISAM here, and says so.",
        outcome=Outcome.NOT_APPLICABLE,
    ),
    seen(
        "storage-engines.myisam_foreign_keys",
        (MYSQL, MARIADB),
        "ok",
        "MySQL Reference Manual, FOREIGN KEY Constraints: MyISAM does not support foreign keys, and parses and ignores "
        "them; MariaDB, Foreign Keys.",
    ),
    # -- SQLite locking --------------------------------------------------------------------------------------
    seen(
        "sqlite-locking.timeout",
        "sqlite-*-django42",
        {"timeout 0.2": {"raised": OPERATIONAL, "after the timeout": True}, "timeout 5": "ok"},
        "Python docs, sqlite3.connect() > timeout: how long to wait for a lock before raising OperationalError; "
        "SQLite docs, sqlite3_busy_timeout() and Result Codes > SQLITE_BUSY (database is locked).",
    ),
    seen(
        "sqlite-locking.timeout",
        ("sqlite-*-django5*", "sqlite-*-django6*"),
        {
            "timeout 0.2": {"raised": OPERATIONAL, "after the timeout": True},
            "IMMEDIATE transaction, timeout 0.2": {"raised": OPERATIONAL, "after the timeout": True},
            "timeout 5": "ok",
        },
        "As for 4.2, and Django 5.1's transaction_mode IMMEDIATE opens the transaction with BEGIN IMMEDIATE "
        "(django/db/backends/sqlite3/base.py, _start_transaction_under_autocommit), which waits for the busy "
        "timeout (SQLite docs, BEGIN TRANSACTION > IMMEDIATE; sqlite3_busy_timeout()).",
    ),
    # -- identifiers -----------------------------------------------------------------------------------------
    seen(
        "identifiers.quoted_db_table",
        (PG, SQLITE),
        "name_left_in_lowercase",
        "Django's PostgreSQL and SQLite quote_name() leave a name already in double quotes as it is "
        "(django/db/backends/postgresql/operations.py and sqlite3/operations.py), and a quoted identifier keeps its "
        "case (PostgreSQL docs, Identifiers and Key Words; SQLite docs, SQLite Keywords).",
    ),
    seen(
        "identifiers.quoted_db_table",
        (MYSQL, MARIADB),
        '"name_left_in_lowercase"',
        "Django's MySQL quote_name() leaves a name alone only in backticks (django/db/backends/mysql/operations.py), "
        "and inside backticks a double quote is part of the name (MySQL Reference Manual, Schema Object Names; "
        "MariaDB, Identifier Names).",
    ),
    seen(
        "identifiers.long_table_name",
        EVERY,
        40,
        "40 characters fit every limit here: PostgreSQL 63 bytes (docs, Identifiers and Key Words: NAMEDATALEN), MySQL "
        "and MariaDB 64 characters (Identifier Length Limits), SQLite none (Limits In SQLite).",
    ),
    seen(
        "identifiers.mixed_case_table",
        EVERY,
        "DbCompat_Mixed",
        "Django quotes table names, and a quoted name keeps its case (PostgreSQL docs, Identifiers and Key Words); "
        "MySQL keeps it with lower_case_table_names 0, as the settings say (Reference Manual, Identifier Case "
        "Sensitivity); SQLite keeps names as written.",
    ),
    # -- cursors ---------------------------------------------------------------------------------------------
    seen(
        "cursors.iterator_server_side",
        PG,
        {"default": 1, "DISABLE_SERVER_SIDE_CURSORS": 0},
        "Django's PostgreSQL backend iterates with one named (server-side) cursor unless DISABLE_SERVER_SIDE_CURSORS "
        "(django/db/backends/postgresql/base.py, create_cursor and chunked_cursor), and pg_cursors lists the "
        "session's open cursors (PostgreSQL docs, pg_cursors).",
    ),
    # -- LOBs, type-named fields, binding --------------------------------------------------------------------
    seen(
        "lobs.distinct_with_text",
        EVERY,
        {"distinct": 2, "distinct with defer(body)": 1},
        "Outside Oracle text compares as any value (PostgreSQL docs, SELECT DISTINCT; MySQL Reference Manual, DISTINCT "
        "Optimization): two rows differ by id; without the id and the text one remains.",
    ),
    seen(
        "lobs.type_named_fields",
        EVERY,
        "ok",
        "Django quotes every column name (each backend's quote_name), so "
        "date, timestamp, number and float are plain names (PostgreSQL docs, Key Words; MySQL Reference Manual, "
        "Keywords and Reserved Words).",
    ),
    seen(
        "lobs.index_on_text",
        (PG, SQLITE),
        True,
        "PostgreSQL docs, Index Types > B-Tree (text is indexable); SQLite docs, CREATE INDEX (any column).",
    ),
    seen(
        "lobs.index_on_text",
        MYSQL,
        False,
        "MySQL Reference Manual, The BLOB and TEXT Types: an index on a TEXT "
        "column needs a prefix length (error 1170), which Django does not give, so no index is made.",
    ),
    seen(
        "lobs.text_primary_key",
        (PG, SQLITE),
        "ok",
        "PostgreSQL docs, Index Types > B-Tree; SQLite docs, CREATE TABLE > PRIMARY KEY: a text key is indexed like "
        "any value.",
    ),
    seen(
        "lobs.text_primary_key",
        "*-mysqlclient-*",
        OPERATIONAL,
        f"MySQL Reference Manual and MariaDB, BLOB and TEXT: a primary key on a TEXT column needs a prefix length, "
        f"error 1170; {MYSQLCLIENT_CLASSES}.",
    ),
    seen(
        "lobs.text_primary_key",
        "*-connector-*",
        PROGRAMMING,
        f"MySQL Reference Manual and MariaDB, BLOB and TEXT: a primary key on a TEXT column needs a prefix length, "
        f"error 1170, SQLSTATE 42000; {CONNECTOR_CLASSES}.",
    ),
    seen(
        "postgresql-binding.server_side_binding",
        "postgres*-psycopg2-*",
        True,
        "psycopg2 binds every parameter client-side, and Django's PostgreSQL backend uses server_side_binding with "
        "psycopg 3 only (django/db/backends/postgresql/base.py, get_connection_params and create_cursor).",
    ),
    seen(
        "postgresql-binding.server_side_binding",
        "postgres*-psycopg-*",
        False,
        "With server_side_binding psycopg sends the parameter to the server (psycopg docs, Server-side binding), and "
        "SET takes no parameters (PostgreSQL docs, PREPARE: only SELECT, INSERT, UPDATE, DELETE, MERGE and VALUES "
        "statements): a syntax error, SQLSTATE 42601.",
    ),
)
OBSERVATIONS += page_observations(seen)


# -- helpers ------------------------------------------------------------------------------------------------


def same(observed: Any, expected: Any) -> bool:
    """Equal as JSON values at every depth, with True never equal to 1."""
    if isinstance(expected, dict):
        return (
            isinstance(observed, dict)
            and observed.keys() == expected.keys()
            and all(same(observed[key], expected[key]) for key in expected)
        )
    if isinstance(expected, list | tuple):
        return (
            isinstance(observed, list | tuple)
            and len(observed) == len(expected)
            and all(same(o, e) for o, e in zip(observed, expected, strict=True))
        )
    return type(observed) is type(expected) and observed == expected


def check_of(result: CellResult, check_id: str) -> CheckResult:
    (found,) = [c for c in result.checks if c.id == check_id]
    return found


def observed(result: CellResult, check_id: str) -> Any:
    return check_of(result, check_id).observed


def cells_of(results: dict[str, CellResult], pattern: str) -> list[CellResult]:
    found = [r for cell, r in results.items() if fnmatch.fnmatchcase(cell, pattern)]
    assert found or NO_CONTAINERS, pattern
    return found


def target_of(result: CellResult) -> Target:
    """What the cell's claims were matched against (as harness/cells/target.py works it out in the cell)."""

    def version(text: str | None) -> Any:
        return leading_version(text) if text else None

    return Target(
        vendor=result.server.vendor,
        server_version=version(result.server.version_reported),
        driver=result.driver.id,
        driver_version=version(result.driver.version),
        django_version=version(result.django_version),
    )


def claimed(check_id: str, result: CellResult) -> bool:
    """Whether the docs of the cell's Django version make a claim for this check in this cell."""
    target = target_of(result)
    claim = CLAIMS.claim_for(check_id, target)
    return claim is not None and claim.expected_for(target)[0]


def numbers_of(text: str | None) -> list[int]:
    found = leading_version(text or "")
    assert found is not None, text
    return list(found.release)


# -- the run as a whole -------------------------------------------------------------------------------------


def test_every_cell_runs_every_check_without_harness_errors(results: dict[str, CellResult], matrix: Matrix) -> None:
    assert sorted(results) == sorted(f"{pair}-{django}" for pair in RUN_PAIRS for django in DJANGOS)
    for cell, result in results.items():
        assert result.status is CellStatus.RAN, (cell, result.reason)
        assert {c.id for c in result.checks} == CHECK_IDS, cell
        release = {"django42": "4.2", "django52": "5.2", "django61": "6.1"}[cell.rsplit("-", 1)[1]]
        assert (result.django_version or "").startswith(f"{release}."), (cell, result.django_version)
        for check in result.checks:
            assert check.outcome is not Outcome.HARNESS_ERROR, (cell, check.id, check.failed_step, check.error)
            if check.outcome is Outcome.NOT_APPLICABLE:
                assert check.reason and check.reason.endswith("."), (cell, check.id)
            if check.outcome in (Outcome.AS_DOCUMENTED, Outcome.DIFFERS):
                assert check.claim and check.source, (cell, check.id)
                # Each cell is judged by the docs of its own Django version.
                assert check.source.startswith(f"Django {release} docs"), (cell, check.source)
                assert check.expected is not None, (cell, check.id)


def test_every_finding_is_explained(results: dict[str, CellResult]) -> None:
    from tests.conftest import unexplained_findings

    assert unexplained_findings(results) == []


def test_the_claims_apply_as_the_docs_refer_to_them(results: dict[str, CellResult]) -> None:
    # The MariaDB notes send readers to the MySQL notes ("See the MySQL notes"), and Connector/Python's backend
    # (ENGINE mysql.connector.django) replaces Django's MySQL backend: the claims apply by reference, and say so.
    for cell, result in results.items():
        for check in result.checks:
            if check.outcome not in (Outcome.AS_DOCUMENTED, Outcome.DIFFERS):
                continue
            if result.driver.id == "connector":
                assert check.applies_by and "Connector/Python" in check.applies_by, (cell, check.id)
            if result.server.vendor == "mariadb" and check.source and ", MySQL notes" in check.source:
                assert check.applies_by and "MariaDB notes" in check.applies_by, (cell, check.id)
            if result.server.vendor in ("postgresql", "sqlite"):
                assert check.applies_by is None, (cell, check.id)


def test_each_server_is_the_release_its_id_names(
    results: dict[str, CellResult], server_image: Callable[[str], str]
) -> None:
    releases = {
        "postgres15": r"15\.\d+ ",
        "postgres17": r"17\.\d+ ",
        "postgres18": r"18\.\d+ ",
        "mariadb1011": r"10\.11\.\d+-MariaDB",
        "mariadb118": r"11\.8\.\d+-MariaDB",
        "mysql97": r"9\.7\.\d+",
    }
    for cell, result in results.items():
        server = result.server
        reported = server.version_reported or ""
        assert server.version_mismatch is None, (cell, server.version_mismatch)
        if server.id == "sqlite":
            assert server.provider == "in-process", cell
            continue
        assert re.match(releases[server.id], reported), (cell, reported)
        if server.vendor == "mysql":
            assert "MariaDB" not in reported, (cell, reported)
        if server.id in URL_SERVERS:
            assert server.provider == "url" and server.origin.startswith(URL_SERVERS[server.id]), (cell, server.origin)
        else:
            assert server.provider == "container", (cell, server.provider)
            assert server.image == server_image(server.id), (cell, server.image)


def test_pysqlite3_brings_a_newer_sqlite_than_the_standard_library(results: dict[str, CellResult]) -> None:
    # The standard library's sqlite3 reports the SQLite it links (Python docs, sqlite3.sqlite_version); a cell
    # running on this interpreter's Python must report the same one.
    stdlib = tuple(int(part) for part in sqlite3.sqlite_version.split("."))
    for result in cells_of(results, "sqlite-sqlite3-*"):
        if result.python_version == platform.python_version():
            assert result.server.version_reported == sqlite3.sqlite_version, result.cell
    # pysqlite3's wheels bundle their own, newer SQLite (README, Servers; matrix.yaml), and Django uses it.
    bundled = {result.server.version_reported for result in cells_of(results, "sqlite-pysqlite3-*")}
    assert len(bundled) == 1, bundled
    (version,) = bundled
    assert tuple(numbers_of(version)) > stdlib, (version, sqlite3.sqlite_version)
    for result in cells_of(results, "sqlite-pysqlite3-*"):
        assert result.driver.module == "pysqlite3", result.cell
        assert result.server.settings["sqlite_version"] == version, result.cell


DISPLAY_NAMES = {"postgresql": "PostgreSQL", "mysql": "MySQL", "mariadb": "MariaDB", "sqlite": "SQLite"}


def test_djangos_view_of_each_server(results: dict[str, CellResult]) -> None:
    for cell, result in results.items():
        view = result.server.django_view
        assert view is not None, cell
        vendor = result.server.vendor
        if result.driver.id == "connector":
            continue
        # Django's own backends: display_name is "MariaDB" exactly when mysql_is_mariadb ("mariadb" in the
        # server's version string; django/db/backends/mysql/base.py), the version tuple is the one the server
        # reports (mysql/base.py mysql_version; postgresql/base.py get_database_version, from server_version_num;
        # sqlite3/base.py, Database.sqlite_version_info).
        assert view.mismatch is None and view.unreadable is None, (cell, view)
        assert view.display_name == DISPLAY_NAMES[vendor], (cell, view)
        assert view.vendor == ("mysql" if vendor == "mariadb" else vendor), (cell, view)
        assert view.is_mariadb is {"mariadb": True, "mysql": False}.get(vendor), (cell, view)
        assert view.version == numbers_of(result.server.version_reported), (cell, view)
        assert observed(result, "smoke.server_version") == ".".join(map(str, view.version)), cell
    for result in cells_of(results, "*-connector-*"):
        view = result.server.django_view
        assert view is not None
        # What Connector/Python's backend gets wrong (lib/mysql/connector/django/base.py): display_name is a
        # cached_property over a staticmethod that takes no argument, so reading it raises TypeError (and it
        # would say "MySQL" on MariaDB too); get_database_version() is Django's base one, which raises
        # NotImplementedError (django/db/backends/base/base.py). mysql_is_mariadb is not an attribute of its
        # own but __getattr__'s False for any mysql_is_* name: it never detects MariaDB, which the view shows
        # as a mismatch on MariaDB (row-locking.of.flag shows its effect).
        assert view.vendor == "mysql", (result.cell, view)
        assert view.display_name is None and view.version is None, (result.cell, view)
        assert view.is_mariadb is False, (result.cell, view)
        assert view.unreadable is not None, result.cell
        assert "display_name: TypeError" in view.unreadable, (result.cell, view.unreadable)
        assert "get_database_version(): NotImplementedError" in view.unreadable, (result.cell, view.unreadable)
        if result.server.vendor == "mariadb":
            assert view.mismatch == (
                f"Django's backend takes the server for MySQL, but it reported {result.server.version_reported!r}"
            ), (result.cell, view.mismatch)
        else:
            assert view.mismatch is None, (result.cell, view.mismatch)


def test_the_server_settings_the_claims_rely_on(results: dict[str, CellResult]) -> None:
    for result in cells_of(results, "mysql*") + cells_of(results, "mariadb*"):
        settings = result.server.settings
        # MySQL Reference Manual, Server SQL Modes > The default SQL mode (STRICT_TRANS_TABLES, 5.7+); MariaDB,
        # SQL_MODE (STRICT_TRANS_TABLES by default since 10.2.4): what fields.overlong_string's claim assumes.
        assert "STRICT_TRANS_TABLES" in (settings["sql_mode"] or "").split(","), (result.cell, settings["sql_mode"])
        # InnoDB is the default engine, REPEATABLE READ InnoDB's default level (MySQL Reference Manual, Setting the
        # Storage Engine; Transaction Isolation Levels; MariaDB, InnoDB), lower_case_table_names 0 on Linux
        # (Identifier Case Sensitivity).
        assert settings["default_storage_engine"] == "InnoDB", result.cell
        assert settings["transaction_isolation"] == "REPEATABLE-READ", result.cell
        assert settings["lower_case_table_names"] == "0", result.cell
    for result in cells_of(results, "mariadb118-*"):
        # MariaDB, Setting Character Sets and Collations: 11.6+ defaults utf8mb4 to utf8mb4_uca1400_ai_ci through
        # character_set_collations (11.2+), which names utf8mb3's default too.
        mapped = (result.server.settings["character_set_collations"] or "").split(",")
        assert "utf8mb4=utf8mb4_uca1400_ai_ci" in mapped and "utf8mb3=utf8mb3_uca1400_ai_ci" in mapped, mapped
    for result in cells_of(results, "mysql97-*"):
        assert result.server.settings["enforce_gtid_consistency"] == "ON", result.cell  # see myisam_savepoint
    for result in cells_of(results, "postgres*"):
        settings = result.server.settings
        # PostgreSQL docs, Transaction Isolation: Read Committed is the default; the databases are UTF8.
        assert settings["default_transaction_isolation"] == "read committed", result.cell
        assert settings["server_encoding"] == "UTF8", result.cell
        # CREATE DATABASE copies its template's collation (PostgreSQL docs, CREATE DATABASE > LC_COLLATE).
        assert observed(result, "collation.default") == settings["lc_collate (template1)"], result.cell
    for result in cells_of(results, "sqlite-*"):
        settings = result.server.settings
        # What the SQLite entries above rely on (SQLite docs, Compile-time Options): no ICU, the default
        # case-insensitive LIKE, JSON built in.
        assert settings["SQLITE_ENABLE_ICU"] == "0" and settings["SQLITE_CASE_SENSITIVE_LIKE"] == "0", result.cell
        assert settings["SQLITE_OMIT_JSON"] == "0" and settings["json"] == "1", result.cell


def test_every_throwaway_database_was_dropped(results: dict[str, CellResult]) -> None:
    from tests.conftest import live_url
    from tests.test_live import throwaway_databases

    for result in results.values():
        if result.server.vendor != "sqlite":
            assert result.database is not None and result.database.startswith(f"dbcompat_{RUN_TOKEN}"), result.cell
    servers = [r for r in results.values() if r.server.vendor != "sqlite"]
    assert len({(r.server.id, r.database) for r in servers}) == len(servers)  # one database per cell
    left = throwaway_databases(live_url("DBCOMPAT_URL_POSTGRES15"), live_url("DBCOMPAT_URL_MARIADB1011"), RUN_TOKEN)
    assert left == []


def test_sql_and_flags_are_recorded(results: dict[str, CellResult]) -> None:
    for result in results.values():
        raw = check_of(result, "typecasting.raw_eq_zero")
        assert any(
            sql.endswith('" = 0 ORDER BY "value"') or sql.endswith("` = 0 ORDER BY `value`") for sql in raw.sql
        ), raw.sql
        assert "has_select_for_update_nowait" in check_of(result, "row-locking.nowait.use").flags
        assert "interprets_empty_strings_as_nulls" in check_of(result, "empty-string.stored_as_null").flags


# -- what every check observed, where, and why --------------------------------------------------------------


def test_the_observations_name_only_published_checks() -> None:
    assert {entry.check for entry in OBSERVATIONS} <= CHECK_IDS
    assert all(entry.why.endswith(".") for entry in OBSERVATIONS)


def test_no_two_observations_say_different_things_of_one_cell(results: dict[str, CellResult]) -> None:
    for cell in results:
        for check_id in CHECK_IDS:
            entries = [entry for entry in OBSERVATIONS if entry.check == check_id and entry.covers(cell)]
            assert len(entries) <= 1, (cell, check_id, [entry.cells for entry in entries])


def test_every_claimed_check_is_asserted_on_every_cell(results: dict[str, CellResult]) -> None:
    missing = [
        (cell, check.id)
        for cell, result in results.items()
        for check in result.checks
        if claimed(check.id, result)
        and not any(entry.check == check.id and entry.covers(cell) for entry in OBSERVATIONS)
    ]
    assert missing == []


@pytest.mark.parametrize("expected", OBSERVATIONS, ids=lambda e: f"{e.check}[{'|'.join(e.cells)}]")
def test_observation(results: dict[str, CellResult], expected: Seen) -> None:
    cells = [result for cell, result in results.items() if expected.covers(cell)]
    if not cells and NO_CONTAINERS:
        pytest.skip(f"no cell of this run is one of {expected.cells}: the container servers did not run")
    assert cells, f"no cell of this run is one of {expected.cells}"
    for result in cells:
        check = check_of(result, expected.check)
        assert same(check.observed, expected.observed), (result.cell, check.observed, check.errors, check.reason)
        if expected.outcome is not None:
            assert check.outcome is expected.outcome, (result.cell, check.outcome, check.reason)


def test_the_docs_typecasting_example_and_what_does_match(results: dict[str, CellResult]) -> None:
    # Beside the docs' rows the table holds rows that show what the server converts: a string compared with a
    # number converts by its leading numeric characters, '' and 'abc1' to 0, ' 1', '01', '1.0', '1e0' and '1abc'
    # to 1 (MySQL Reference Manual, Type Conversion in Expression Evaluation; MariaDB, Type Conversion).
    for result in cells_of(results, "mysql*") + cells_of(results, "mariadb*"):
        assert check_of(result, "typecasting.raw_eq_zero").setup["matched"] == ["", "0", "abc", "abc1", "def"]
        assert check_of(result, "typecasting.raw_eq_one").setup["matched"] == [" 1", "01", "1", "1.0", "1abc", "1e0"]
        setup = check_of(result, "typecasting.raw_manager_param").setup
        assert setup["matched by raw()"] == setup["matched by RawSQL"] == ["", "0", "abc", "abc1", "def"]
    # SQLite applies the TEXT column's affinity to the number (Datatypes In SQLite > Type Conversions Prior To
    # Comparison): only '0' matches 0 and '1' matches 1.
    for result in cells_of(results, "sqlite-*"):
        assert check_of(result, "typecasting.raw_eq_zero").setup["matched"] == ["0"]
        assert check_of(result, "typecasting.raw_eq_one").setup["matched"] == ["1"]
    # Django casts the ORM's 0 to '0' (CharField.to_python), which matches the row '0' on every server.
    for result in results.values():
        assert check_of(result, "typecasting.orm_eq_zero").setup["matched"] == ["0"], result.cell


def test_time_zones_django_leaves_to_mysql(results: dict[str, CellResult]) -> None:
    # Django's MySQL backend sets no session time zone (django/db/backends/mysql/base.py, init_connection_state),
    # so the session's is the server's global time_zone (MySQL Reference Manual, MySQL Server Time Zone Support).
    for result in cells_of(results, "mysql*") + cells_of(results, "mariadb*"):
        assert observed(result, "connections.session_time_zone") == result.server.settings["time_zone"], result.cell


# -- evidence: what the server said, with its own error codes ------------------------------------------------


def errors_of(result: CellResult, check_id: str) -> list[tuple[str | None, str | None, str | None]]:
    return [(e.driver_exception, e.code, e.sqlstate) for e in check_of(result, check_id).errors]


def test_observed_errors_carry_the_servers_codes(results: dict[str, CellResult]) -> None:
    # MySQL Server Error Message Reference and MariaDB Error Codes: 1062 ER_DUP_ENTRY (SQLSTATE 23000), 1406
    # ER_DATA_TOO_LONG (22001), 1170 ER_BLOB_KEY_WITHOUT_LENGTH (42000), 1071 ER_TOO_LONG_KEY, 1273 Unknown
    # collation, 3572 ER_LOCK_NOWAIT (MySQL), 1205 ER_LOCK_WAIT_TIMEOUT (MariaDB's NOWAIT, which is WAIT 0),
    # 1064 ER_PARSE_ERROR (42000). mysqlclient gives no SQLSTATE; Connector/Python gives the server's.
    driver = {"mysqlclient": "MySQLdb.", "connector": "mysql.connector.errors."}
    for result in cells_of(results, "mysql*") + cells_of(results, "mariadb*"):
        by = driver[result.driver.id]
        sqlstate = (lambda state: state) if result.driver.id == "connector" else (lambda state: None)
        assert errors_of(result, "collation.unique_ignores_case") == [
            (f"{by}IntegrityError", "1062", sqlstate("23000"))
        ]
        assert errors_of(result, "fields.overlong_string") == [(f"{by}DataError", "1406", sqlstate("22001"))]
        assert [code for _, code, _ in errors_of(result, "lobs.text_primary_key")] == ["1170"], result.cell
        nowait = [code for _, code, _ in errors_of(result, "row-locking.nowait.contended")]
        if observed(result, "row-locking.nowait.flag"):
            assert nowait == ["3572" if result.server.vendor == "mysql" else "1205"], (result.cell, nowait)
    for result in cells_of(results, "mysql97-*"):
        assert [code for _, code, _ in errors_of(result, "fields.text_unique")] == ["1170"], result.cell
        (too_long,) = check_of(result, "fields.longest_unique_varchar").errors
        assert too_long.code == "1071" and "max key length is 3072 bytes" in too_long.message, too_long
    for result in cells_of(results, "mariadb1011-*-django[56]*"):
        assert [code for _, code, _ in errors_of(result, "collation.db_collation_case_sensitive")] == ["1273"]
    for pattern in ("mariadb118-connector-*", "mariadb1011-connector-django[56]*"):
        for result in cells_of(results, pattern):
            assert errors_of(result, "row-locking.of.use") == [
                ("mysql.connector.errors.ProgrammingError", "1064", "42000")
            ]
    # PostgreSQL docs, Appendix A, PostgreSQL Error Codes: 23505 unique_violation, 22001 string_data_right_truncation,
    # 55P03 lock_not_available, 42883 undefined_function, 42601 syntax_error; psycopg and psycopg2 name a class
    # for each (psycopg docs, errors; psycopg2 docs, psycopg2.errors).
    for result in cells_of(results, "postgres*"):
        module = "psycopg.errors." if result.driver.id == "psycopg" else "psycopg2.errors."
        assert errors_of(result, "sequence-reset.collision_after_manual_pk") == [
            (f"{module}UniqueViolation", None, "23505")
        ]
        assert errors_of(result, "fields.overlong_string") == [(f"{module}StringDataRightTruncation", None, "22001")]
        assert errors_of(result, "row-locking.nowait.contended") == [(f"{module}LockNotAvailable", None, "55P03")]
        assert errors_of(result, "typecasting.raw_eq_zero") == [(f"{module}UndefinedFunction", None, "42883")]
    for result in cells_of(results, "postgres*-psycopg-*"):
        assert errors_of(result, "postgresql-binding.server_side_binding") == [
            ("psycopg.errors.SyntaxError", None, "42601")
        ]
    # SQLite docs, Result and Error Codes: SQLITE_BUSY, "database is locked", from sqlite3 and pysqlite3 alike.
    for result in cells_of(results, "sqlite-*"):
        module = "sqlite3." if result.driver.id == "sqlite3" else "pysqlite3.dbapi2."
        locked = errors_of(result, "sqlite-locking.timeout")
        assert locked and set(locked) == {(f"{module}OperationalError", "SQLITE_BUSY", None)}, (result.cell, locked)
