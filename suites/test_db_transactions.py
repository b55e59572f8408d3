"""Database transactions (topics/db/transactions): savepoints, errors inside transactions, on_commit.

The checks share one table of names (suites/shared.py), empty between checks: each writes in a transaction
that is rolled back, or deletes what it wrote.

- ``db-transactions.savepoint_api``: in ``atomic()``, a row, ``savepoint()``, a second row,
  ``savepoint_rollback()``: the names the transaction then holds.
- ``db-transactions.savepoint_autocommit_off``: with autocommit turned off (``set_autocommit(False)``), whether
  ``savepoint()`` makes a savepoint (returns its id).
- ``db-transactions.atomic_autocommit_off``: with autocommit turned off, a row, then an ``atomic()`` block that
  writes a second row and fails: the names left (or the error).
- ``db-transactions.after_error``: in a transaction with a savepoint, after a statement fails (a duplicate
  primary key): what the next query does, and what it does after ``savepoint_rollback()``.
- ``db-transactions.on_commit_nested``: in ``atomic()``, a nested block that registers callback A and ends
  well, and one that registers B and fails: the callbacks run at commit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.models import check_model
from suites.outcomes import outcome_of, value_or_error
from suites.shared import SharedTables, rolled_back, shared_fixture

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Model

MODELS: dict[str, type[Model]] = {}


def _table() -> type[Model]:
    from django.db import models

    if "table" not in MODELS:
        MODELS["table"] = check_model("TransactionRows", {"name": models.CharField(max_length=20)})
    return MODELS["table"]


SHARED = SharedTables("the table the transaction checks share", lambda: [_table()], lambda: None)


class _Fail(Exception):
    pass


@pytest.fixture(scope="module")
def shared_tables() -> Iterator[SharedTables]:
    yield from shared_fixture(SHARED)


@pytest.fixture
def rows(check: CheckRecorder, shared_tables: SharedTables) -> Iterator[type[Model]]:
    shared_tables.ready(check)
    yield _table()
    with check.step("empty the shared table"):
        _table().objects.all().delete()


def names(model: type[Model]) -> list[str]:
    return sorted(model.objects.values_list("name", flat=True))


@pytest.mark.check("db-transactions.savepoint_api")
def test_savepoint_api(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db import transaction

    def in_transaction() -> list[str]:
        rows.objects.create(name="outer")
        sid = transaction.savepoint()
        rows.objects.create(name="inner")
        transaction.savepoint_rollback(sid)
        return names(rows)

    with rolled_back(check):
        check.observe(value_or_error(in_transaction))


@contextlib.contextmanager
def autocommit_off(check: CheckRecorder, connection: BaseDatabaseWrapper) -> Iterator[None]:
    """The block with autocommit turned off (set up and undone as steps); what it wrote is rolled back."""
    with check.step("turn autocommit off"):
        connection.set_autocommit(False)
    try:
        yield
    finally:
        with check.step("roll back and turn autocommit on"):
            connection.rollback()
            connection.set_autocommit(True)


@pytest.mark.check("db-transactions.savepoint_autocommit_off")
def test_savepoint_autocommit_off(check: CheckRecorder, connection: BaseDatabaseWrapper, rows: type[Model]) -> None:
    from django.db import transaction

    with autocommit_off(check, connection):
        made = value_or_error(transaction.savepoint)
    check.flag("uses_savepoints", connection.features.uses_savepoints)
    check.observe(made if isinstance(made, str) and made.startswith(("django.", "builtins.")) else made is not None)


@pytest.mark.check("db-transactions.atomic_autocommit_off")
def test_atomic_autocommit_off(check: CheckRecorder, connection: BaseDatabaseWrapper, rows: type[Model]) -> None:
    from django.db import transaction

    def write() -> list[str]:
        rows.objects.create(name="outer")
        try:
            with transaction.atomic():
                rows.objects.create(name="inner")
                raise _Fail
        except _Fail:
            pass
        return names(rows)

    with autocommit_off(check, connection):
        left = value_or_error(write)
    check.observe(left)


@pytest.mark.check("db-transactions.after_error")
def test_after_error(check: CheckRecorder, connection: BaseDatabaseWrapper, rows: type[Model]) -> None:
    from django.db import transaction

    table = connection.ops.quote_name(rows._meta.db_table)
    key, name = connection.ops.quote_name("id"), connection.ops.quote_name("name")

    def query() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            cursor.fetchone()

    observed: dict[str, str] = {}
    with rolled_back(check):
        with check.step("insert the row id=1"), connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({key}, {name}) VALUES (1, 'a')")
        sid = transaction.savepoint()

        def duplicate() -> None:
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {table} ({key}, {name}) VALUES (1, 'b')")

        failed = outcome_of(duplicate)
        check.note("duplicate insert", failed)
        observed["next query"] = outcome_of(query)

        def recovered() -> None:
            transaction.savepoint_rollback(sid)
            query()

        observed["after savepoint_rollback()"] = outcome_of(recovered)
    check.observe(observed)


@pytest.mark.check("db-transactions.on_commit_nested")
def test_on_commit_nested(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db import transaction

    ran: list[str] = []

    def nested() -> None:
        with transaction.atomic():
            with transaction.atomic():
                rows.objects.create(name="a")
                transaction.on_commit(lambda: ran.append("A"))
            try:
                with transaction.atomic():
                    rows.objects.create(name="b")
                    transaction.on_commit(lambda: ran.append("B"))
                    raise _Fail
            except _Fail:
                pass

    done = outcome_of(nested)
    check.observe(ran if done == "ok" else done)
