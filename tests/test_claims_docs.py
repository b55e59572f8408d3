"""Claims say what each Django version's docs say: row locking, SQLite locking, isolation, and the findings' reasons.

The versions and wordings asserted here are the docs' own (docs/ref/models/querysets.txt, select_for_update(),
and docs/ref/databases.txt of the Django 4.2, 5.0, 5.1, 5.2, 6.0 and 6.1 release sdists); each test names
the passage it rests on.
"""

from __future__ import annotations

import pytest
from packaging.version import Version

from harness.claims import CLAIMS, IsA
from harness.claims.model import expected_json
from harness.results import Outcome
from harness.versions import Target


def target(vendor: str, server: str | None, django: str, driver: str = "mysqlclient") -> Target:
    return Target(vendor, Version(server) if server else None, driver, Version("2.2.4"), Version(django))


def expected(check: str, where: Target) -> object:
    claim = CLAIMS.claim_for(check, where)
    assert claim is not None, f"no claim for {check} on {where}"
    found, value = claim.expected_for(where)
    assert found, f"the claim for {check} says nothing of {where}"
    return expected_json(value)


# 4.2: "MySQL 8.0.1+ supports the nowait, skip_locked, and of arguments"; from 5.0 on: "MySQL supports
# the nowait, skip_locked, and of arguments" (no version). A MySQL that reports 8.0.0 tells them apart.
@pytest.mark.parametrize("option", ["nowait", "skip_locked", "of"])
@pytest.mark.parametrize(
    ("django", "documented"), [("4.2.30", False), ("5.2.19", True), ("6.0.10", True), ("6.1.3", True)]
)
def test_mysql_version_of_the_options_is_each_versions_own(option: str, django: str, documented: bool) -> None:
    assert expected(f"row-locking.{option}.flag", target("mysql", "8.0.0", django)) is documented
    use = expected(f"row-locking.{option}.use", target("mysql", "8.0.0", django))
    assert use == ("ok" if documented else {"instance of": "django.db.utils.NotSupportedError"})


# 4.2 to 6.0: "MariaDB 10.6+ also supports the skip_locked argument"; 6.1: "MariaDB only supports the nowait
# and skip_locked arguments" (no version).
@pytest.mark.parametrize(
    ("django", "documented"), [("4.2.30", False), ("5.2.19", False), ("6.0.10", False), ("6.1.3", True)]
)
def test_mariadb_version_of_skip_locked_is_each_versions_own(django: str, documented: bool) -> None:
    where = target("mariadb", "10.5.27", django)
    assert expected("row-locking.skip_locked.flag", where) is documented
    contended = expected("row-locking.skip_locked.contended", where)
    assert contended == ([2, 3] if documented else {"instance of": "django.db.utils.NotSupportedError"})


@pytest.mark.parametrize("django", ["4.2.30", "5.2.19", "6.1.3"])
def test_statements_name_the_versions_their_docs_name(django: str) -> None:
    statement = CLAIMS.claim_for("row-locking.skip_locked.use", target("mysql", "9.7.0", django))
    assert statement is not None
    assert ("8.0.1+" in statement.statement) is (django < "5")
    assert ("10.6+" in statement.statement) is (django < "6.1")


# OF is MySQL's only, in every version: "MariaDB only supports the nowait [and skip_locked] argument[s]".
@pytest.mark.parametrize("django", ["4.2.30", "5.2.19", "6.1.3"])
def test_of_is_never_documented_for_mariadb(django: str) -> None:
    assert expected("row-locking.of.flag", target("mariadb", "11.8.3", django)) is False


# 5.1 added transaction_mode and: "To make sure your transactions wait until timeout before raising
# 'Database is Locked', change the transaction mode to IMMEDIATE."
@pytest.mark.parametrize(("django", "immediate"), [("4.2.30", False), ("5.2.19", True), ("6.1.3", True)])
def test_the_immediate_caveat_is_claimed_from_django_5_1(django: str, immediate: bool) -> None:
    where = target("sqlite", "3.46.1", django, driver="sqlite3")
    claim = CLAIMS.claim_for("sqlite-locking.timeout", where)
    assert claim is not None
    assert ("IMMEDIATE" in claim.statement) is immediate
    value = expected("sqlite-locking.timeout", where)
    assert isinstance(value, dict)
    assert ("IMMEDIATE transaction, timeout 0.2" in value) is immediate


def test_a_timed_out_write_is_judged_on_its_class_and_its_wait() -> None:
    where = target("sqlite", "3.46.1", "5.2.19", driver="sqlite3")
    timed_out = {"raised": "django.db.utils.OperationalError", "after the timeout": True}
    at_once = {"raised": "django.db.utils.OperationalError", "after the timeout": False}
    observed = {"timeout 0.2": timed_out, "IMMEDIATE transaction, timeout 0.2": timed_out, "timeout 5": "ok"}
    assert CLAIMS.judge("sqlite-locking.timeout", observed, where).outcome is Outcome.AS_DOCUMENTED
    raised_at_once = {**observed, "IMMEDIATE transaction, timeout 0.2": at_once}
    assert CLAIMS.judge("sqlite-locking.timeout", raised_at_once, where).outcome is Outcome.DIFFERS


# The MySQL notes list the levels as OPTIONS take them ('read committed'); the checks name the level the
# server reports in that spelling, so MySQL, MariaDB and PostgreSQL share one expectation.
@pytest.mark.parametrize("vendor", ["mysql", "mariadb", "postgresql"])
def test_isolation_levels_are_expected_in_one_spelling(vendor: str) -> None:
    where = target(vendor, "10.11.19" if vendor == "mariadb" else "17.6", "5.2.19")
    assert expected("transactions.isolation_level", where) == "read committed"
    assert expected("connections.isolation_option", where) == "serializable"


def test_the_health_check_claim_names_no_error_class() -> None:
    # The docs: health checks "prevent errors when a connection has been closed by the database server".
    value = expected("connections.health_check", target("postgresql", "17.6", "5.2.19", driver="psycopg"))
    assert value == {"with": "ok", "without": expected_json(IsA("builtins.Exception"))}


@pytest.mark.parametrize(
    ("check_id", "observed", "where"),
    [
        ("row-locking.of.flag", True, target("mariadb", "10.11.19", "5.2.19", driver="connector")),
        (
            "row-locking.of.use",
            "django.db.utils.ProgrammingError",
            target("mariadb", "11.8.3", "4.2.30", driver="connector"),
        ),
        ("row-locking.nowait.flag", False, target("mariadb", "10.11.19", "4.2.30", driver="connector")),
        (
            "row-locking.skip_locked.contended",
            "django.db.utils.NotSupportedError",
            target("mariadb", "10.11.19", "4.2.30", driver="connector"),
        ),
        ("transactions.isolation_level", "repeatable read", target("mysql", "9.7.0", "6.1.3", driver="connector")),
        ("raw-sql.dict_params", ["Fred"], target("sqlite", "3.46.1", "4.2.30", driver="sqlite3")),
        ("identifiers.quoted_db_table", '"name_left_in_lowercase"', target("mysql", "9.7.0", "5.2.19")),
        ("identifiers.quoted_db_table", '"name_left_in_lowercase"', target("mariadb", "11.8.3", "6.1.3")),
    ],
)
def test_each_finding_here_has_its_explanation(check_id: str, observed: object, where: Target) -> None:
    judgement = CLAIMS.judge(check_id, observed, where)
    assert judgement.outcome is Outcome.DIFFERS
    assert judgement.explanation is not None
    assert judgement.explanation.url.startswith("https://")


def test_an_explanation_does_not_cover_a_driver_it_is_not_about() -> None:
    # Django's own MySQL backend on MariaDB refuses OF: were it to differ, the Connector reason is not its reason.
    judgement = CLAIMS.judge("row-locking.of.flag", True, target("mariadb", "10.11.19", "5.2.19"))
    assert judgement.outcome is Outcome.DIFFERS
    assert judgement.explanation is None


# -- the catalogued pages: each Django version's own statement ------------------------------------------------


# bulk_create(): 4.2 "PostgreSQL, MariaDB 10.5+, and SQLite 3.35+"; 5.2 and 6.0 "PostgreSQL, MariaDB, and SQLite
# 3.35+"; 6.1 "PostgreSQL, MariaDB, and SQLite" (docs/ref/models/querysets.txt, bulk_create()).
@pytest.mark.parametrize(
    ("django", "mariadb_10_4", "sqlite_3_34"),
    [("4.2.30", False, False), ("5.2.19", True, False), ("6.1.3", True, True)],
)
def test_bulk_create_sets_keys_where_each_version_says(django: str, mariadb_10_4: bool, sqlite_3_34: bool) -> None:
    assert expected("querysets.bulk_create_sets_pk", target("mariadb", "10.4.34", django)) == [mariadb_10_4] * 3
    assert expected("querysets.bulk_create_sets_pk", target("sqlite", "3.34.1", django, "sqlite3")) == [sqlite_3_34] * 3
    assert expected("querysets.bulk_create_sets_pk", target("mysql", "9.7.0", django)) == [False] * 3


# XOR: 4.2 converts to "1 = (sum)" (exactly one operand), 5.0+ to "1 = MOD(sum, 2)" (an odd number).
@pytest.mark.parametrize(("django", "ids"), [("4.2.30", [1]), ("5.2.19", [1, 3]), ("6.1.3", [1, 3])])
def test_xor_without_native_support_is_each_versions_equivalent(django: str, ids: list[int]) -> None:
    assert expected("querysets.xor", target("postgresql", "17.6", django, "psycopg")) == {"ids": ids, "XOR sent": False}
    assert expected("querysets.xor", target("mariadb", "11.8.3", django)) == {"ids": [1, 3], "XOR sent": True}


# nulls_distinct: 5.2 and 6.0 "ignored for databases besides PostgreSQL 15+"; 6.1 "besides PostgreSQL".
@pytest.mark.parametrize(("django", "honoured"), [("5.2.19", False), ("6.1.3", True)])
def test_nulls_distinct_before_postgresql_15(django: str, honoured: bool) -> None:
    value = expected("constraints.unique_nulls_distinct", target("postgresql", "14.12", django, "psycopg"))
    refused = {"instance of": "django.db.utils.DatabaseError"}
    assert value == (
        {"second NULL": refused, "second 1": refused} if honoured else {"second NULL": "ok", "second 1": "ok"}
    )


# GeneratedField: 5.2 and 6.0 "PostgreSQL only supports persisted columns"; 6.1 "PostgreSQL < 18 only supports
# persisted columns" and virtual ones on PostgreSQL 18+.
@pytest.mark.parametrize(("django", "virtual"), [("5.2.19", "refused by Django's checks"), ("6.1.3", 3)])
def test_virtual_generated_columns_on_postgresql_18(django: str, virtual: object) -> None:
    assert expected("model-fields.generated_field", target("postgresql", "18.1", django, "psycopg")) == {
        "stored": 3,
        "virtual": virtual,
    }
    assert expected("model-fields.generated_field", target("postgresql", "17.6", django, "psycopg"))["virtual"] == (
        "refused by Django's checks"
    )


# UUIDField: 4.2 "PostgreSQL"; 5.2 and 6.0 "PostgreSQL and MariaDB 10.7+"; 6.1 "PostgreSQL and MariaDB".
@pytest.mark.parametrize(
    ("django", "mariadb_10_6"), [("4.2.30", "char(32)"), ("5.2.19", "char(32)"), ("6.1.3", "uuid")]
)
def test_uuid_columns_where_each_version_says(django: str, mariadb_10_6: str) -> None:
    assert expected("model-fields.uuid_storage", target("mariadb", "10.6.20", django)) == mariadb_10_6
    assert expected("model-fields.uuid_storage", target("mariadb", "10.11.19", django)) == (
        "char(32)" if django.startswith("4.") else "uuid"
    )


# "explain(): the ANALYZE flag supported by MariaDB, MySQL 8.0.18+, and PostgreSQL" (4.2 to 6.0); 6.1: "MySQL".
@pytest.mark.parametrize(("django", "documented"), [("4.2.30", False), ("6.0.10", False), ("6.1.3", True)])
def test_explain_analyze_on_mysql_before_8_0_18(django: str, documented: bool) -> None:
    where = target("mysql", "8.0.17", django)
    assert (CLAIMS.claim_for("querysets.explain_analyze", where) is not None) is True
    claim = CLAIMS.claim_for("querysets.explain_analyze", where)
    assert claim is not None
    assert claim.expected_for(where)[0] is documented


# The docs say "MySQL" alone of what the server does (how it sorts NULLs): MariaDB gets no claim.
def test_a_server_statement_about_mysql_claims_nothing_of_mariadb() -> None:
    judgement = CLAIMS.judge("querysets.null_ordering", {"order_by": [None, None, 1, 2], "latest": 2}, target(
        "mariadb", "11.8.3", "5.2.19"))  # fmt: skip
    assert judgement.outcome is Outcome.NO_CLAIM


@pytest.mark.parametrize(
    ("check_id", "observed", "where"),
    [
        ("querysets.aggregate_datetime", {"Max": "ok", "Sum": "django.db.utils.NotSupportedError"},
         target("sqlite", "3.46.1", "5.2.19", "sqlite3")),
        ("querysets.bulk_create_batches", 3, target("sqlite", "3.46.1", "5.2.19", "sqlite3")),
        ("querysets.bulk_create_batches", "builtins.AttributeError", target("sqlite", "3.53.0", "6.1.3", "pysqlite3")),
        ("querysets.bulk_create_sets_pk", [False] * 3, target("mariadb", "11.8.3", "6.1.3", "connector")),
        ("querysets.iterator_sees_later_writes", [], target("mysql", "9.7.0", "5.2.19", "connector")),
        ("querysets.null_ordering", {"order_by": [None, None, 1, 2], "latest": 2}, target("mysql", "9.7.0", "5.2.19")),
        ("querysets.explain", "django.db.utils.DatabaseError", target("mariadb", "11.8.3", "4.2.30", "connector")),
        ("model-fields.db_comment", None, target("sqlite", "3.46.1", "5.2.19", "sqlite3")),
        ("model-fields.db_comment", "django.db.utils.ProgrammingError", target("mysql", "9.7.0", "6.1.3", "connector")),
        ("model-fields.duration_vs_datetime_arithmetic", 1, target("mariadb", "10.11.19", "5.2.19")),
        ("model-fields.generated_field_refreshed", True, target("mariadb", "10.11.19", "6.1.3")),
        ("indexes.functional_concat", True, target("postgresql", "17.6", "5.2.19", "psycopg")),
        ("expressions.window_functions", [1, 2, 3], target("sqlite", "3.46.1", "5.2.19", "sqlite3")),
        ("expressions.window_functions", [1, 2, 3], target("mariadb", "10.11.19", "4.2.30")),
        ("db-transactions.atomic_autocommit_off", ["outer"], target("sqlite", "3.46.1", "6.1.3", "sqlite3")),
        ("meta-options.db_table_comment", None, target("sqlite", "3.46.1", "4.2.30", "sqlite3")),
        ("settings.database_time_zone", {"TIME_ZONE Europe/Paris": 10, "no TIME_ZONE": 10},
         target("mariadb", "10.11.19", "5.2.19", "connector")),
        ("querysets.select_for_update_of_join", "django.db.utils.ProgrammingError",
         target("mariadb", "11.8.3", "6.1.3", "connector")),
        ("migrations.failed_migration_leaves", True, target("postgresql", "15.18", "5.2.19", "zdm-psycopg")),
        ("functions.uuid4", "django.db.utils.NotSupportedError", target("mariadb", "11.8.3", "6.1.3", "connector")),
        ("functions.uuid7", "django.db.utils.NotSupportedError", target("mariadb", "11.8.3", "6.1.3", "connector")),
    ],
)  # fmt: skip
def test_each_page_finding_here_has_its_explanation(check_id: str, observed: object, where: Target) -> None:
    judgement = CLAIMS.judge(check_id, observed, where)
    assert judgement.outcome is Outcome.DIFFERS
    assert judgement.explanation is not None
    assert judgement.explanation.url.startswith("https://")
    assert judgement.explanation.text.strip().endswith(".")
