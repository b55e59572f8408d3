"""Identifiers: what becomes of table names Django is given.

- ``identifiers.long_table_name``: the length of the name a table with a 40-character db_table gets.
- ``identifiers.quoted_db_table``: the name a table with db_table '"name_left_in_lowercase"' gets.
- ``identifiers.mixed_case_table``: the name a table with db_table "DbCompat_Mixed" gets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.models import check_model

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.fixtures import CreateTables

LONG_NAME = "dbcompat_a_table_name_of_forty_character"  # 40 characters


def created_table(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables, db_table: str) -> str:
    """Create a model's table and return the name the server lists for it (the only new one)."""
    with check.step("list the tables there are before"), connection.cursor() as cursor:
        before: set[str] = set(connection.introspection.table_names(cursor))
    tables(check_model("Named", {}, db_table=db_table))
    with connection.cursor() as cursor:
        after: set[str] = set(connection.introspection.table_names(cursor))
    (new,) = after - before
    return new


@pytest.mark.check("identifiers.long_table_name")
def test_long_table_name(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    assert len(LONG_NAME) == 40
    name = created_table(check, connection, tables, LONG_NAME)
    check.note("table", name)
    check.flag("max_name_length", connection.ops.max_name_length())
    check.observe(len(name))


@pytest.mark.check("identifiers.quoted_db_table")
def test_quoted_db_table(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    check.observe(created_table(check, connection, tables, '"name_left_in_lowercase"'))


@pytest.mark.check("identifiers.mixed_case_table")
def test_mixed_case_table(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    check.observe(created_table(check, connection, tables, "DbCompat_Mixed"))
