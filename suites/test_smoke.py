"""Smoke checks: the pipeline works end to end on this cell.

- ``smoke.round_trip``: the row a raw ``SELECT 1, 'dbcompat'`` returns through ``connection.cursor()``.
- ``smoke.model_round_trip``: the name a model saved with non-ASCII text reads back with.
- ``smoke.server_version``: the server version Django parsed (``connection.get_database_version()``),
  or the exception class where the backend does not implement it.
- ``smoke.bulk_create``: how many rows ``bulk_create()`` of three objects saved, or the error. Django
  6.0+ sizes its batches from the SQLite library's limits (``Connection.getlimit()``), which a
  DB-API module other than the standard library's may lack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.models import Person
from suites.outcomes import value_or_error

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.fixtures import CreateTables


@pytest.mark.check("smoke.round_trip")
def test_round_trip(check: CheckRecorder, connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1, 'dbcompat'" + connection.features.bare_select_suffix)
        rows = cursor.fetchall()
    check.observe([list(row) for row in rows])


@pytest.mark.check("smoke.model_round_trip")
def test_model_round_trip(check: CheckRecorder, tables: CreateTables) -> None:
    with check.step(f"create the table {Person._meta.db_table}"):
        tables(Person)
    saved = Person.objects.create(name="Zoë Ångström")
    check.observe(Person.objects.get(pk=saved.pk).name)


@pytest.mark.check("smoke.server_version")
def test_server_version(check: CheckRecorder, connection: BaseDatabaseWrapper) -> None:
    try:
        version = connection.get_database_version()
    except Exception as exc:  # a third-party backend may not implement it
        check.observe_exception(exc)
        return
    check.observe(".".join(str(part) for part in version))


@pytest.mark.check("smoke.bulk_create")
def test_bulk_create(check: CheckRecorder, tables: CreateTables) -> None:
    with check.step(f"create the table {Person._meta.db_table}"):
        tables(Person)
    check.observe(value_or_error(lambda: len(Person.objects.bulk_create([Person(name=n) for n in "abc"]))))
