"""The vendor backends (setup SQL, what a vendor lacks, no vendor branches elsewhere), and what the claims expect
of vendors no server here runs (Oracle, MySQL)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from packaging.version import Version

from harness.backends import BACKENDS, NotApplicable, backend_for
from harness.claims import CLAIMS
from harness.results import Outcome
from harness.versions import Target

DJANGO_42, DJANGO_52 = Version("4.2"), Version("5.2")
ROOT = Path(__file__).resolve().parent.parent


def target(vendor: str, server: str, driver: str = "mysqlclient", django: str = "5.2.19") -> Target:
    return Target(vendor, Version(server), driver, Version("2.2.4"), Version(django))


def test_mysql_and_mariadb_setup_sql() -> None:
    for vendor in ("mysql", "mariadb"):
        backend = backend_for(vendor)
        assert backend.session_time_zone_sql("+02:00") == "SET time_zone = '+02:00'"
        assert backend.utc_session_sql() == "SET time_zone = '+00:00'"
        assert backend.lock_timeout_sql(3) == "SET SESSION innodb_lock_wait_timeout = 3, lock_wait_timeout = 3"
        assert backend.epoch_sql("t", "ts") == "SELECT UNIX_TIMESTAMP(ts) FROM t WHERE id = 1"
        assert backend.time_zone_tables_sql() == "SELECT COUNT(*) FROM mysql.time_zone_name"
        assert "ts TIMESTAMP NULL" in (backend.legacy_timestamp_table_sql("t") or "")
        assert "dt DATETIME(6)" in (backend.legacy_timestamp_table_sql("t") or "")
        # As each Django version's docs create the database and name the case-sensitive collation.
        assert backend.database_charset(DJANGO_42) == "utf8"
        assert backend.database_charset(DJANGO_52) == "utf8mb4"
        assert backend.case_sensitive_collation(DJANGO_42, {}) == "utf8_bin"
        assert backend.case_sensitive_collation(DJANGO_52, {}) == "utf8mb4_0900_as_cs"


def test_oracle_setup_sql() -> None:
    backend = backend_for("oracle")
    assert backend.session_time_zone_sql("+02:00") == "ALTER SESSION SET TIME_ZONE = '+02:00'"
    assert backend.lock_timeout_sql(3) is None  # Oracle has no session lock timeout; the thread join bounds it
    assert backend.legacy_timestamp_table_sql("t") == (
        "CREATE TABLE t (id NUMBER(11) PRIMARY KEY, ts TIMESTAMP WITH LOCAL TIME ZONE NULL, dt TIMESTAMP NULL)"
    )
    assert "FROM_TZ(CAST(ts AS TIMESTAMP), 'UTC')" in (backend.epoch_sql('"T"', "ts") or "")
    assert backend.case_sensitive_collation(DJANGO_52, {"cs": "BINARY"}) == "BINARY"
    assert backend.default_collation_sql() == "SELECT default_collation FROM user_users"
    assert backend.database_charset(DJANGO_52) is None


def test_postgresql_setup_sql() -> None:
    backend = backend_for("postgresql")
    assert backend.lock_timeout_sql(3) == "SET lock_timeout = '3s'"
    # An ISO interval: POSIX zone strings would invert the sign.
    assert backend.session_time_zone_sql("+02:00") == "SET TIME ZONE INTERVAL '+02:00' HOUR TO MINUTE"
    assert backend.case_sensitive_collation(DJANGO_52, {"deterministic": "C"}) == "C"


def test_sqlite_has_no_legacy_setup_and_says_why() -> None:
    backend = backend_for("sqlite")
    for method in (
        lambda: backend.legacy_timestamp_table_sql("t"),
        backend.default_collation_sql,
        backend.time_zone_tables_sql,
        backend.session_id_sql,
    ):
        with pytest.raises(NotApplicable) as raised:
            method()
        reason = str(raised.value)
        assert reason.startswith("SQLite ") and reason.endswith(".")


@pytest.mark.parametrize("vendor", sorted(BACKENDS))
def test_what_a_vendor_lacks_is_a_full_sentence(vendor: str) -> None:
    backend = backend_for(vendor)
    lacking = []
    for name, method in inspect.getmembers(backend, inspect.ismethod):
        if name.startswith("_") or name in ("cancel", "abandon", "answers", "admin_cursor"):
            continue
        arguments = [param for param in inspect.signature(method).parameters.values() if param.default is param.empty]
        fakes = {"table": "t", "column": "c", "parent": "p", "offset": "+02:00", "seconds": 3, "level": "serializable",
                 "session_id": 1, "name": "dbcompat_a_main", "password": "pw", "charset": None, "force": False,
                 "django": DJANGO_52, "test_collations": {}, "version_reported": None, "password_": "",
                 "settings": {}, "named": None, "admin_database": "x", "version": None, "module": "MySQLdb",
                 "connect": 10.0, "read": 70.0, "options": {}}  # fmt: skip
        try:
            method(*[fakes[param.name] for param in arguments])
        except NotApplicable as exc:
            lacking.append(str(exc))
        except ImportError:
            pass  # Django's PostgreSQL backend is imported for its isolation levels
    assert lacking, f"{vendor} lacks nothing?"
    for reason in lacking:
        assert reason[0].isupper() or reason.startswith(("python-oracledb", "server_side_binding", "use_returning")), (
            reason
        )
        assert reason.endswith("."), reason


def test_no_vendor_name_is_compared_outside_the_backends() -> None:
    """Only harness/backends/ knows vendors: elsewhere a vendor is data (matrix, claims), never a branch."""
    names = "|".join(BACKENDS)
    comparison = re.compile(rf"""(vendor\w*\s*(==|!=|\bin\b)\s*\(?["'])|(["']({names})["']\s*(==|!=)\s*\w*vendor)""")
    found = []
    for folder in ("harness", "suites"):
        for path in (ROOT / folder).rglob("*.py"):
            if "backends" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if comparison.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("check_id", "expected"),
    [
        ("empty-string.stored_as_null", True),
        ("empty-string.filter_isnull", 1),
        ("empty-string.read_back", ""),
        ("empty-string.flag", True),
        ("row-locking.nowait.flag", True),
        ("row-locking.of.flag", True),
        ("row-locking.no_key.flag", False),
        ("identifiers.long_table_name", 30),
        ("identifiers.quoted_db_table", "name_left_in_lowercase"),
        ("lobs.index_on_text", False),
        ("lobs.returning_into_off", True),
    ],
)
def test_oracle_claims(check_id: str, expected: object) -> None:
    # Django docs, ref/databases, Oracle notes > NULL and empty strings; ref/models/querysets, select_for_update().
    judged = CLAIMS.judge(check_id, expected, target("oracle", "23.5", "oracledb"))
    assert judged.outcome is Outcome.AS_DOCUMENTED
    assert judged.expected == expected


@pytest.mark.parametrize(
    ("vendor", "server", "django", "check_id", "observed", "outcome"),
    [
        # MySQL 8.0.1+ supports OF; MariaDB does not (ref/databases, MySQL notes > Row locking).
        ("mysql", "8.4.2", "6.1.3", "row-locking.of.use", "ok", Outcome.AS_DOCUMENTED),
        ("mariadb", "10.11.9", "6.1.3", "row-locking.of.use", "ok", Outcome.DIFFERS),
        (
            "mariadb",
            "10.11.9",
            "6.1.3",
            "row-locking.of.use",
            "django.db.utils.NotSupportedError",
            Outcome.AS_DOCUMENTED,
        ),
        # SKIP LOCKED on MariaDB from 10.6 only.
        ("mariadb", "10.5.20", "4.2.30", "row-locking.skip_locked.flag", False, Outcome.AS_DOCUMENTED),
        ("mariadb", "10.6.18", "4.2.30", "row-locking.skip_locked.flag", True, Outcome.AS_DOCUMENTED),
        ("mysql", "8.0.36", "4.2.30", "row-locking.skip_locked.flag", True, Outcome.AS_DOCUMENTED),
        # The default collation the docs name changed with the 5.2 docs.
        ("mysql", "8.0.36", "4.2.30", "collation.default", "utf8_general_ci", Outcome.AS_DOCUMENTED),
        ("mysql", "8.4.2", "5.2.19", "collation.default", "utf8mb4_0900_ai_ci", Outcome.AS_DOCUMENTED),
        ("mysql", "8.4.2", "5.2.19", "collation.default", "utf8_general_ci", Outcome.DIFFERS),
        # A TIMESTAMP column with USE_TZ: the docs speak of corruption on MySQL.
        ("mysql", "8.0.36", "5.2.19", "timestamp-use-tz.timestamp_shift", 0, Outcome.DIFFERS),
        ("mysql", "8.0.36", "5.2.19", "timestamp-use-tz.timestamp_shift_no_tz", 0, Outcome.AS_DOCUMENTED),
        # A lock conflict is a DatabaseError; NotSupportedError means the option was refused instead.
        (
            "mysql",
            "8.4.2",
            "5.2.19",
            "row-locking.nowait.contended",
            {"raised": "django.db.utils.NotSupportedError", "at_once": True},
            Outcome.DIFFERS,
        ),
    ],
)
def test_mysql_family_claims(
    vendor: str, server: str, django: str, check_id: str, observed: object, outcome: Outcome
) -> None:
    assert CLAIMS.judge(check_id, observed, target(vendor, server, django=django)).outcome is outcome


def test_recipes_cover_every_django_version_in_the_matrix() -> None:
    from harness.claims.recipes import RECIPES, recipe
    from harness.matrix import load_matrix

    for django in load_matrix().django:
        for name in RECIPES:
            assert recipe(name, django.version)


def test_oracle_lob_claims_judge_the_error_and_the_workaround() -> None:
    # Django docs, ref/databases, Oracle notes > TextField limitations: DISTINCT over an NCLOB is ORA-00932,
    # defer() of the TextField avoids it.
    oracle = target("oracle", "23.5", "oracledb")
    observed = {"distinct": "django.db.utils.DatabaseError", "distinct with defer(body)": 1}
    assert CLAIMS.judge("lobs.distinct_with_text", observed, oracle).outcome is Outcome.AS_DOCUMENTED
    worked = {"distinct": 2, "distinct with defer(body)": 1}
    assert CLAIMS.judge("lobs.distinct_with_text", worked, oracle).outcome is Outcome.DIFFERS
    # Oracle notes > Naming issues: ORA-06552 "may be encountered", which claims neither an error nor none.
    for either in ("django.db.utils.DatabaseError", "ok"):
        assert CLAIMS.judge("lobs.type_named_fields", either, oracle).outcome is Outcome.NO_CLAIM
