"""String typecasting: what a string column compared with an integer matches.

The rows are the docs' own examples (ref/databases, MySQL notes > Automatic typecasting).

- ``typecasting.raw_eq_zero``: rows 'abc' and 'def'; the values raw ``WHERE col = 0`` returns, or the error.
- ``typecasting.raw_eq_one``: row 'abc1'; the values raw ``WHERE col = 1`` returns, or the error.
- ``typecasting.orm_eq_zero``: rows 'abc' and 'def'; the values ``filter(col=0)`` returns (Django casts to '0').
- ``typecasting.raw_manager_param``: rows 'abc' and 'def'; what ``raw()`` and ``RawSQL`` with the integer
  parameter 0 return, or the error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.models import Word
from suites.outcomes import value_or_error

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.fixtures import CreateTables


def with_rows(tables: CreateTables, *values: str) -> None:
    tables(Word)
    Word.objects.bulk_create([Word(value=value) for value in values])


def raw_values(connection: BaseDatabaseWrapper, where: str) -> list[str] | str:
    table = connection.ops.quote_name(Word._meta.db_table)
    column = connection.ops.quote_name("value")

    def run() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {column} FROM {table} WHERE {column} {where} ORDER BY {column}")
            return [row[0] for row in cursor.fetchall()]

    return value_or_error(run)


@pytest.mark.check("typecasting.raw_eq_zero")
def test_raw_eq_zero(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    with_rows(tables, "abc", "def")
    check.observe(raw_values(connection, "= 0"))


@pytest.mark.check("typecasting.raw_eq_one")
def test_raw_eq_one(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    with_rows(tables, "abc1")
    check.observe(raw_values(connection, "= 1"))


@pytest.mark.check("typecasting.orm_eq_zero")
def test_orm_eq_zero(check: CheckRecorder, tables: CreateTables) -> None:
    with_rows(tables, "abc", "def")
    check.observe(value_or_error(lambda: sorted(Word.objects.filter(value=0).values_list("value", flat=True))))


@pytest.mark.check("typecasting.raw_manager_param")
def test_raw_manager_param(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db.models.expressions import RawSQL

    with_rows(tables, "abc", "def")
    table = connection.ops.quote_name(Word._meta.db_table)
    column = connection.ops.quote_name("value")
    key = connection.ops.quote_name("id")
    raw = value_or_error(
        lambda: sorted(w.value for w in Word.objects.raw(f"SELECT * FROM {table} WHERE {column} = %s", [0]))
    )
    raw_sql = value_or_error(
        lambda: sorted(
            Word.objects.filter(pk__in=RawSQL(f"SELECT {key} FROM {table} WHERE {column} = %s", (0,))).values_list(
                "value", flat=True
            )
        )
    )
    check.observe({"raw": raw, "RawSQL": raw_sql})
