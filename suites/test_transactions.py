"""Transactions.

- ``transactions.nested_atomic_rollback``: the rows left after an inner ``atomic()`` block fails
  inside an outer one that commits.
- ``transactions.isolation_level``: the isolation level of Django's connection, named as the server
  resolves it: MySQL's "READ-COMMITTED" (its variable's spelling) and PostgreSQL's "read committed" are
  the one level READ COMMITTED; the server's own spelling is kept with the result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.models import Person

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.backends import Backend
    from harness.fixtures import CreateTables


def isolation_level_name(reported: str) -> str:
    """The SQL standard's name of an isolation level, in the lower case Django's OPTIONS use.

    MySQL and MariaDB spell their transaction_isolation (tx_isolation) values with hyphens
    ("REPEATABLE-READ"), the SQL statement and PostgreSQL with spaces ("repeatable read"); the
    servers take both for the same level.
    """
    return " ".join(reported.replace("-", " ").split()).lower()


class _Inner(Exception):
    pass


@pytest.mark.check("transactions.nested_atomic_rollback")
def test_nested_atomic_rollback(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db import transaction

    with check.step(f"create the table {Person._meta.db_table}"):
        tables(Person)

    def nested() -> list[str]:
        with transaction.atomic():
            Person.objects.create(name="outer")
            try:
                with transaction.atomic():
                    Person.objects.create(name="inner")
                    raise _Inner
            except _Inner:
                pass
        return sorted(Person.objects.values_list("name", flat=True))

    rows = nested()
    check.flag("uses_savepoints", connection.features.uses_savepoints, agrees=rows == ["outer"])
    check.observe(rows)


@pytest.mark.check("transactions.isolation_level")
def test_isolation_level(check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend) -> None:
    sql = backend.isolation_level_sql()
    with check.step("connect"):
        connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        reported = str(cursor.fetchone()[0])
    check.note("isolation level, as the server names it", reported)
    check.observe(isolation_level_name(reported))
