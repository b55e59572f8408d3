"""Evidence a finding can be filed from: what an error said, setup kept apart, claims by reference, explanations.

The errors here are real ones, raised by the standard library's sqlite3 and wrapped the way
Django wraps a driver's error (``django.db.utils.DatabaseErrorWrapper``: Django's class, the
driver's as ``__cause__``); server drivers' codes are asserted by the live tests.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from packaging.version import Version

from harness.cells.target import django_view_mismatch
from harness.checks import (
    CheckEnd,
    CheckRecorder,
    NotApplicable,
    SetupFailed,
    error_observed,
    judge,
    observed_error,
    recording,
)
from harness.claims import REFERENCES, Claim, ClaimsTable, Expect, Explanation, Not, Source
from harness.results import DjangoView, Outcome
from harness.versions import Target

MYSQL_NOTES = Source("ref/databases", "MySQL notes > Demo")
SQLITE_NOTES = Source("ref/databases", "SQLite notes > Demo")


def target(vendor: str, version: str = "10.11.19", driver: str = "mysqlclient") -> Target:
    return Target(vendor, Version(version), driver, Version("2.2"), Version("5.2"))


def duplicate_key() -> sqlite3.IntegrityError:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (x integer UNIQUE)")
    connection.execute("INSERT INTO t VALUES (1)")
    try:
        connection.execute("INSERT INTO t VALUES (1)")
    except sqlite3.IntegrityError as exc:
        return exc
    raise AssertionError("SQLite accepted a duplicate in a UNIQUE column")


def wrapped_by_django(exc: BaseException) -> BaseException:
    from django.db import utils

    wrapped = getattr(utils, type(exc).__name__)(*exc.args)
    wrapped.__cause__ = exc
    return wrapped


def test_an_error_keeps_the_drivers_class_code_and_message() -> None:
    error = observed_error(wrapped_by_django(duplicate_key()))
    assert error.exception == "django.db.utils.IntegrityError"
    assert error.driver_exception == "sqlite3.IntegrityError"
    # SQLite's extended result code for a UNIQUE constraint (sqlite.org/rescode.html#constraint_unique).
    assert error.code == "SQLITE_CONSTRAINT_UNIQUE"
    assert error.message == "UNIQUE constraint failed: t.x"
    assert error.sqlstate is None


def test_an_unwrapped_error_is_its_own_driver_error() -> None:
    error = observed_error(duplicate_key())
    assert (error.exception, error.driver_exception, error.code) == (
        "sqlite3.IntegrityError",
        None,
        "SQLITE_CONSTRAINT_UNIQUE",
    )
    # An OSError's errno is no server error code.
    assert observed_error(FileNotFoundError(2, "No such file")).code is None


def test_the_running_check_keeps_what_each_observed_error_said() -> None:
    recorder = CheckRecorder("demo.unique")
    with recording(recorder):
        observed = error_observed(wrapped_by_django(duplicate_key()))
    assert observed == "django.db.utils.IntegrityError"
    assert [e.code for e in recorder.errors] == ["SQLITE_CONSTRAINT_UNIQUE"]
    # Outside a check nothing is kept, and the class is still the observation.
    assert error_observed(ValueError("x")) == "builtins.ValueError"
    assert len(recorder.errors) == 1


@pytest.mark.parametrize(
    "raised", [NotApplicable("No such thing here."), SetupFailed("rows", observed_error(OSError()))]
)
def test_not_applicable_and_a_failed_setup_are_never_observations(raised: Exception) -> None:
    with pytest.raises(type(raised)):
        error_observed(raised)


def test_a_failed_setup_step_ends_the_check_as_a_harness_error_naming_the_step() -> None:
    recorder = CheckRecorder("demo.unique")
    with pytest.raises(SetupFailed) as failed, recorder.step("insert the rows"):
        raise wrapped_by_django(duplicate_key())
    with pytest.raises(NotApplicable), recorder.step("set the session time zone"):
        raise NotApplicable("SQLite has no session time zone.")
    table = ClaimsTable(
        [Claim("demo.unique", "Unique.", SQLITE_NOTES, (Expect("*", "django.db.utils.IntegrityError"),))]
    )
    result = judge(
        CheckEnd("demo.unique", 0.1, recorder, raised=failed.value), table, lambda: target("sqlite", "3.40"), []
    )
    assert result.outcome is Outcome.HARNESS_ERROR
    assert result.observed is None  # the setup's error is never the observation, even where it would match
    assert result.error == (
        "setup step 'insert the rows' failed: django.db.utils.IntegrityError [SQLITE_CONSTRAINT_UNIQUE]: "
        "UNIQUE constraint failed: t.x"
    )
    assert [e.code for e in result.errors] == ["SQLITE_CONSTRAINT_UNIQUE"]
    assert result.failed_step == "insert the rows"


def test_secrets_are_masked_in_error_messages() -> None:
    recorder = CheckRecorder("demo.unique")
    with recording(recorder):
        recorder.observe(error_observed(wrapped_by_django(sqlite3.OperationalError("no password S3cretPassw0rd"))))
    table = ClaimsTable([Claim("demo.unique", "Unique.", SQLITE_NOTES, (Expect("*", "ok"),))])
    result = judge(CheckEnd("demo.unique", 0.1, recorder), table, lambda: target("sqlite", "3.40"), ["S3cretPassw0rd"])
    assert [e.message for e in result.errors] == ["no password ***"]


def table_with(*explanations: Explanation) -> ClaimsTable:
    claim = Claim("demo.cast", "MySQL casts 'abc' to 0.", MYSQL_NOTES, (Expect(("mysql", "mariadb"), ["abc"]),))
    return ClaimsTable([claim], references=REFERENCES, explanations=explanations)


def test_a_mysql_note_applies_to_mariadb_and_connector_by_reference() -> None:
    table = table_with()
    assert table.judge("demo.cast", ["abc"], target("mysql", "8.4")).applies_by is None
    on_mariadb = table.judge("demo.cast", ["abc"], target("mariadb")).applies_by
    assert on_mariadb is not None and on_mariadb.startswith("MySQL notes, applied to MariaDB")
    both = table.judge("demo.cast", ["abc"], target("mariadb", driver="connector")).applies_by
    assert both is not None and "Connector/Python" in both and "MariaDB" in both
    on_sqlite = ClaimsTable([Claim("demo.s", "SQLite.", SQLITE_NOTES, (Expect("*", 1),))], references=REFERENCES).judge(
        "demo.s", 1, target("mariadb")
    )
    assert on_sqlite.applies_by is None  # only MySQL notes are referred to
    # Connector/Python's backend replaces Django's MySQL backend wherever the docs speak of it.
    querysets = ClaimsTable(
        [Claim("demo.of", "OF.", Source("ref/models/querysets", "select_for_update()"), (Expect("*", True),))],
        references=REFERENCES,
    )
    assert querysets.judge("demo.of", True, target("mysql", "8.4")).applies_by is None
    via = querysets.judge("demo.of", True, target("mysql", "8.4", driver="connector")).applies_by
    assert via == "Django's MySQL backend, applied to Connector/Python's backend, which replaces it"


def test_an_explanation_goes_with_the_finding_it_explains_only() -> None:
    why = Explanation("demo.cast", "mariadb>=11", "MariaDB 11 casts otherwise.", "MariaDB docs, Casts", "https://x")
    table = table_with(why)
    assert table.judge("demo.cast", [], target("mariadb", "11.8")).explanation is why
    assert table.judge("demo.cast", [], target("mariadb", "10.11")).explanation is None  # unexplained
    assert table.judge("demo.cast", ["abc"], target("mariadb", "11.8")).explanation is None  # as documented
    narrowed = Explanation("demo.cast", "mariadb", "Nothing matches.", "MariaDB docs", "https://x", observed=[])
    assert table_with(narrowed).judge("demo.cast", ["def"], target("mariadb")).explanation is None
    assert table_with(narrowed).judge("demo.cast", [], target("mariadb")).explanation is narrowed
    with pytest.raises(ValueError, match=r"'demo\.other', which has no claim"):
        table_with(Explanation("demo.other", "*", "x", "y", "https://x"))


def test_not_expects_any_other_value() -> None:
    table = ClaimsTable([Claim("demo.shift", "Corrupted.", MYSQL_NOTES, (Expect("mysql", Not(0)),))])
    assert table.judge("demo.shift", -7200, target("mysql", "8.4")).outcome is Outcome.AS_DOCUMENTED
    judged = table.judge("demo.shift", 0, target("mysql", "8.4"))
    assert (judged.outcome, judged.expected) == (Outcome.DIFFERS, {"not": 0})


def view(**fields: Any) -> DjangoView:
    return DjangoView(**{"display_name": "MariaDB", "vendor": "mysql", "is_mariadb": True, **fields})


def test_django_view_mismatches_are_named() -> None:
    reported = "10.11.19-MariaDB-0+deb12u1"
    assert django_view_mismatch(view(version=[10, 11, 19]), "mariadb", reported) is None
    assert django_view_mismatch(DjangoView("PostgreSQL", "postgresql", None, [15, 20]), "postgresql", "15.20") is None
    taken = django_view_mismatch(
        view(display_name="MySQL", is_mariadb=False, version=[10, 11, 19]), "mariadb", reported
    )
    assert taken == (
        "Django's backend calls the server MySQL, but it is MariaDB; "
        f"Django's backend takes the server for MySQL, but it reported {reported!r}"
    )
    parsed = django_view_mismatch(view(version=[5, 5, 5]), "mariadb", reported)
    assert parsed == f"Django's backend parsed the version as 5.5.5, but the server reported {reported!r}"
