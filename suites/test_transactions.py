"""Transactions.

- ``transactions.nested_atomic_rollback``: the rows left after an inner ``atomic()`` block fails
  inside an outer one that commits.
- ``transactions.isolation_level``: the isolation level of Django's connection, as the server reports it.
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


class _Inner(Exception):
    pass


@pytest.mark.check("transactions.nested_atomic_rollback")
def test_nested_atomic_rollback(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db import transaction

    tables(Person)
    with transaction.atomic():
        Person.objects.create(name="outer")
        try:
            with transaction.atomic():
                Person.objects.create(name="inner")
                raise _Inner
        except _Inner:
            pass
    rows = sorted(Person.objects.values_list("name", flat=True))
    check.flag("uses_savepoints", connection.features.uses_savepoints, agrees=rows == ["outer"])
    check.observe(rows)


@pytest.mark.check("transactions.isolation_level")
def test_isolation_level(check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend) -> None:
    sql = backend.isolation_level_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        check.observe(cursor.fetchone()[0])
