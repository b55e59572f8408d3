"""String typecasting: what a string column compared with an integer matches.

Every check runs the docs' own example (ref/databases, MySQL notes > Automatic typecasting): the rows
'abc', 'def' and 'abc1', and the docs' WHERE clauses. The table also holds rows that show which values
the server matches instead ('', '0', '1', '01', ' 1', '1.0', '1e0', '1abc'): every row matched is kept
as ``matched``, while the observation is what the docs speak of, the docs' rows that matched.

- ``typecasting.raw_eq_zero``: which of 'abc' and 'def' raw ``WHERE col = 0`` returns, or the error.
- ``typecasting.raw_eq_one``: whether raw ``WHERE col = 1`` returns 'abc1' (['abc1'] or []), or the error.
- ``typecasting.orm_eq_zero``: which of 'abc' and 'def' ``filter(col=0)`` returns (Django casts to '0').
- ``typecasting.raw_manager_param``: which of 'abc' and 'def' ``raw()`` and ``RawSQL`` with the integer
  parameter 0 return, or the error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.models import Word
from suites.outcomes import value_or_error

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.fixtures import CreateTables

# The docs' example: "If your table contains the values 'abc', 'def' and you query for WHERE mycolumn=0,
# both rows will match. Similarly, WHERE mycolumn=1 will match the value 'abc1'."
ZERO_ROWS = ("abc", "def")
ONE_ROWS = ("abc1",)
# Values a number could be read from, whole or in part: which of them match shows the conversion the
# server really does.
REVEALING_ROWS = ("", "0", "1", "01", " 1", "1.0", "1e0", "1abc")
ROWS = (*ZERO_ROWS, *ONE_ROWS, *REVEALING_ROWS)


def with_rows(check: CheckRecorder, tables: CreateTables) -> None:
    with check.step(f"create the table {Word._meta.db_table} and its rows {list(ROWS)!r}"):
        tables(Word)
        for value in ROWS:
            Word.objects.create(value=value)
    check.note("rows", list(ROWS))


def among(check: CheckRecorder, name: str, found: list[str] | str, docs_rows: Iterable[str]) -> list[str] | str:
    """The docs' rows among those ``found`` (every row found is kept as ``name``), or the error."""
    if isinstance(found, str):
        return found
    check.note(name, sorted(found, key=lambda value: value or ""))  # Oracle reads '' back as None
    wanted = set(docs_rows)
    return sorted(value for value in found if value in wanted)


def raw_where(connection: BaseDatabaseWrapper, where: str) -> Callable[[], list[str]]:
    table = connection.ops.quote_name(Word._meta.db_table)
    column = connection.ops.quote_name("value")

    def run() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {column} FROM {table} WHERE {column} {where} ORDER BY {column}")
            return [row[0] for row in cursor.fetchall()]

    return run


@pytest.mark.check("typecasting.raw_eq_zero")
def test_raw_eq_zero(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    with_rows(check, tables)
    check.observe(among(check, "matched", value_or_error(raw_where(connection, "= 0")), ZERO_ROWS))


@pytest.mark.check("typecasting.raw_eq_one")
def test_raw_eq_one(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    with_rows(check, tables)
    check.observe(among(check, "matched", value_or_error(raw_where(connection, "= 1")), ONE_ROWS))


@pytest.mark.check("typecasting.orm_eq_zero")
def test_orm_eq_zero(check: CheckRecorder, tables: CreateTables) -> None:
    with_rows(check, tables)
    found = value_or_error(lambda: list(Word.objects.filter(value=0).values_list("value", flat=True)))
    check.observe(among(check, "matched", found, ZERO_ROWS))


@pytest.mark.check("typecasting.raw_manager_param")
def test_raw_manager_param(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db.models.expressions import RawSQL

    with_rows(check, tables)
    table = connection.ops.quote_name(Word._meta.db_table)
    column = connection.ops.quote_name("value")
    key = connection.ops.quote_name("id")
    raw = value_or_error(lambda: [w.value for w in Word.objects.raw(f"SELECT * FROM {table} WHERE {column} = %s", [0])])
    raw_sql = value_or_error(
        lambda: list(
            Word.objects.filter(pk__in=RawSQL(f"SELECT {key} FROM {table} WHERE {column} = %s", (0,))).values_list(
                "value", flat=True
            )
        )
    )
    check.observe(
        {
            "raw": among(check, "matched by raw()", raw, ZERO_ROWS),
            "RawSQL": among(check, "matched by RawSQL", raw_sql, ZERO_ROWS),
        }
    )
