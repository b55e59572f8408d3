"""Configurations as an axis, for real: the variants of a driver with OPTIONS, on SQLite, PostgreSQL 15 and
MariaDB 10.11 (the local servers, by URL), Django 5.2, next to the plain driver's cell.

Every check of every variant runs, and what the docs say an option changes is asserted where it shows:
in a check's observation, or read in the cell as its pytest opens it (tests/variant_cells.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.matrix import Matrix
from harness.results import CellResult, CellStatus, Outcome
from tests.conftest import ROOT_MATRIX, live_url
from tests.variant_cells import cell_id, probe, results

pytestmark = pytest.mark.live

VARIANTS = {
    "sqlite-sqlite3-immediate": "sqlite-sqlite3",
    "sqlite-sqlite3-pragmas": "sqlite-sqlite3",
    "postgres15-psycopg-pool": "postgres15-psycopg",
    "postgres15-psycopg-ssb": "postgres15-psycopg",
    "mariadb1011-mysqlclient-serializable": "mariadb1011-mysqlclient",
    "mariadb1011-mysqlclient-initcmd": "mariadb1011-mysqlclient",
}

REFUSED = "django.core.exceptions.ImproperlyConfigured"
# What an option changes in the checks of its base driver: what the variant's cell observes instead, and why.
CHANGED = {
    ("postgres15-psycopg-pool", "connections.conn_max_age_reuse"): (
        {"0": False, "None": "django.core.exceptions.ImproperlyConfigured"},
        "Django refuses persistent connections with a pool (postgresql/base.py, DatabaseWrapper.pool: "
        "'Pooling doesn't support persistent connections.'), which the check meets opening its CONN_MAX_AGE None "
        "connection; CONN_MAX_AGE 0 hands the connection back to the pool at the end of the request.",
    ),
    ("postgres15-psycopg-pool", "connections.health_check"): (
        {
            "with": "django.core.exceptions.ImproperlyConfigured",
            "without": "django.core.exceptions.ImproperlyConfigured",
        },
        "The same refusal, for the kept connection (CONN_MAX_AGE None) the check opens.",
    ),
    ("sqlite-sqlite3-immediate", "row-locking.nowait.contended"): (
        {"raised": "django.db.utils.OperationalError", "at_once": False},
        "The other connection's atomic() began IMMEDIATE and holds SQLite's write lock, so the check's own BEGIN "
        "IMMEDIATE waits out the busy timeout and fails, 'database is locked' (SQLite docs, BEGIN IMMEDIATE).",
    ),
    ("sqlite-sqlite3-immediate", "row-locking.skip_locked.contended"): (
        "django.db.utils.OperationalError",
        "The same: the holder's BEGIN IMMEDIATE took the write lock the check's BEGIN IMMEDIATE waits for.",
    ),
    ("sqlite-sqlite3-immediate", "poolers.select_for_update_in_atomic"): (
        {"while the transaction runs": "django.db.utils.OperationalError", "after it ends": "ok"},
        "The same: the second connection's transaction begins IMMEDIATE while the first holds the write lock; "
        "once that one ended, it begins.",
    ),
}


@pytest.fixture(scope="module")
def environ() -> dict[str, str]:
    return {
        **os.environ,
        "DBCOMPAT_URL_POSTGRES15": live_url("DBCOMPAT_URL_POSTGRES15"),
        "DBCOMPAT_URL_MARIADB1011": live_url("DBCOMPAT_URL_MARIADB1011"),
    }


@pytest.fixture(scope="module")
def ran(matrix_module: Matrix, tmp_root: Path, environ: dict[str, str]) -> dict[str, CellResult]:
    return results(matrix_module, tmp_root, environ)


@pytest.fixture(scope="module")
def matrix_module() -> Matrix:
    return ROOT_MATRIX


@pytest.fixture(scope="module")
def tmp_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("variants")


def result(ran: dict[str, CellResult], pair: str) -> CellResult:
    return ran[cell_id(pair)]


def observed(ran: dict[str, CellResult], pair: str, check: str) -> object:
    (found,) = [c for c in result(ran, pair).checks if c.id == check]
    return found.observed


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_check_of_a_variant_runs_as_its_base_drivers_do(ran: dict[str, CellResult], variant: str) -> None:
    cell, base = result(ran, variant), result(ran, VARIANTS[variant])
    assert (cell.status, base.status) == (CellStatus.RAN, CellStatus.RAN), (cell.reason, base.reason)
    assert [c.id for c in cell.checks] == [c.id for c in base.checks]
    assert len(cell.checks) > 100
    for check in cell.checks:
        assert check.outcome is not Outcome.HARNESS_ERROR, (check.id, check.error)
        if check.outcome is Outcome.DIFFERS:
            assert check.explanation and check.explanation_source, (variant, check.id, check.observed)
    assert not [c.id for c in base.checks if c.outcome is Outcome.HARNESS_ERROR]


@pytest.mark.parametrize(("variant", "check_id"), list(CHANGED))
def test_what_an_option_changes_in_its_base_drivers_checks(
    ran: dict[str, CellResult], variant: str, check_id: str
) -> None:
    wanted, why = CHANGED[(variant, check_id)]
    assert observed(ran, variant, check_id) == wanted, why
    assert observed(ran, VARIANTS[variant], check_id) != wanted, why


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_result_says_which_options_its_cell_ran_with(
    ran: dict[str, CellResult], matrix_module: Matrix, variant: str
) -> None:
    driver = matrix_module.cell(cell_id(variant)).driver
    info = result(ran, variant).driver
    assert info.options == dict(driver.options) and info.options
    assert info.variant_of == VARIANTS[variant].split("-", 1)[1] == driver.variant_of
    assert info.engine == driver.engine
    assert info.backend is None  # Django's own backend: nothing third-party
    base = result(ran, VARIANTS[variant]).driver
    assert (base.options, base.variant_of) == ({}, None)


@pytest.mark.parametrize("name", ["postgres15-psycopg-pool-django42", "sqlite-sqlite3-immediate-django42"])
def test_an_option_its_django_lacks_makes_the_cell_not_applicable(ran: dict[str, CellResult], name: str) -> None:
    cell = ran[name]
    assert cell.status is CellStatus.NOT_APPLICABLE
    assert cell.reason is not None and cell.reason.startswith("Django 4.2 has no ")
    assert "the docs add it in Django 5.1" in cell.reason
    # Every check, with the cell's one reason: none ran against a Django that would have ignored the option.
    assert len(cell.checks) > 100
    assert {(c.outcome, c.reason) for c in cell.checks} == {(Outcome.NOT_APPLICABLE, cell.reason)}
    assert cell.server.provider in ("url", "in-process")


def test_transaction_mode_immediate_takes_the_write_lock_at_begin(
    matrix_module: Matrix, tmp_root: Path, environ: dict[str, str]
) -> None:
    # Django 5.1+ docs, SQLite notes > Transactions behavior: IMMEDIATE transactions take the write lock as they
    # begin (SQLite's BEGIN IMMEDIATE); DEFERRED ones, the default, only once they write.
    deferred = probe(matrix_module, "sqlite-sqlite3", ["write_lock_after_read"], tmp_root, environ)
    immediate = probe(matrix_module, "sqlite-sqlite3-immediate", ["write_lock_after_read"], tmp_root, environ)
    assert deferred["write_lock_after_read"] == "taken"
    assert immediate["write_lock_after_read"] == "django.db.utils.OperationalError: database is locked"


def test_the_pool_reuses_the_servers_connections(
    matrix_module: Matrix, tmp_root: Path, environ: dict[str, str]
) -> None:
    # Django 5.1+ docs, PostgreSQL notes > Connection pool: with "pool" connections come from psycopg's
    # ConnectionPool (4 connections with its defaults), and closing one gives it back; without, each request's
    # connection is a new server session (CONN_MAX_AGE 0: closed at the end of each request).
    plain = probe(matrix_module, "postgres15-psycopg", ["backend_pids"], tmp_root, environ)
    pooled = probe(matrix_module, "postgres15-psycopg-pool", ["backend_pids"], tmp_root, environ)
    assert plain["backend_pids"] == 8
    assert 1 <= pooled["backend_pids"] <= 4


def test_server_side_binding_binds_the_cells_statements_on_the_server(ran: dict[str, CellResult]) -> None:
    # Django 4.2+ docs, PostgreSQL notes > Server-side parameters binding: the check runs SET with a parameter
    # with the cell's settings and with server_side_binding: through psycopg they differ (the server refuses a
    # parameter in SET); in the cell that has the option already, both bind on the server and behave the same.
    check = "postgresql-binding.server_side_binding"
    assert observed(ran, "postgres15-psycopg", check) is False
    assert observed(ran, "postgres15-psycopg-ssb", check) is True


def test_the_isolation_level_option_sets_the_cells_transactions(ran: dict[str, CellResult]) -> None:
    # Django docs, MySQL notes > Isolation level: Django defaults to read committed, the option sets another.
    assert observed(ran, "mariadb1011-mysqlclient", "transactions.isolation_level") == "read committed"
    assert observed(ran, "mariadb1011-mysqlclient-serializable", "transactions.isolation_level") == "serializable"


def test_init_command_runs_on_every_connection_of_the_cell(
    matrix_module: Matrix, tmp_root: Path, environ: dict[str, str]
) -> None:
    # Django docs, MySQL notes > Setting sql_mode: init_command "SET sql_mode='STRICT_TRANS_TABLES'".
    query = "sql:SELECT @@SESSION.sql_mode"
    plain = probe(matrix_module, "mariadb1011-mysqlclient", [query], tmp_root, environ)
    configured = probe(matrix_module, "mariadb1011-mysqlclient-initcmd", [query], tmp_root, environ)
    assert configured[query] == "STRICT_TRANS_TABLES"
    assert plain[query] != "STRICT_TRANS_TABLES"  # the server's own, which has more modes than the docs' example


def test_sqlite_init_command_sets_the_pragmas(matrix_module: Matrix, tmp_root: Path, environ: dict[str, str]) -> None:
    # Django 5.1+ docs, SQLite notes > Setting pragma options: "PRAGMA synchronous=3; PRAGMA cache_size=2000;".
    pragmas = ["sql:PRAGMA synchronous", "sql:PRAGMA cache_size"]
    plain = probe(matrix_module, "sqlite-sqlite3", pragmas, tmp_root, environ)
    configured = probe(matrix_module, "sqlite-sqlite3-pragmas", pragmas, tmp_root, environ)
    assert (configured[pragmas[0]], configured[pragmas[1]]) == (3, 2000)
    assert (plain[pragmas[0]], plain[pragmas[1]]) != (3, 2000)
