"""Identifiers: what becomes of table names Django is given.

- ``identifiers.long_table_name``: the length of the name a table with a 40-character db_table gets.
- ``identifiers.quoted_db_table``: the name a table with db_table '"name_left_in_lowercase"' gets.
- ``identifiers.mixed_case_table``: the name a table with db_table "DbCompat_Mixed" gets.
"""

from __future__ import annotations

from typing import Any

import pytest

from harness.fixtures import CheckRecorder
from suites.models import check_model

LONG_NAME = "dbcompat_a_table_name_of_forty_character"  # 40 characters


def created_table(connection: Any, tables: Any, db_table: str) -> Any:
    """Create a model's table and return the name the server lists for it (the only new one)."""
    with connection.cursor() as cursor:
        before = set(connection.introspection.table_names(cursor))
    tables(check_model("Named", {}, db_table=db_table))
    with connection.cursor() as cursor:
        after = set(connection.introspection.table_names(cursor))
    (new,) = after - before
    return new


@pytest.mark.check("identifiers.long_table_name")
def test_long_table_name(check: CheckRecorder, connection: Any, tables: Any) -> None:
    assert len(LONG_NAME) == 40
    name = created_table(connection, tables, LONG_NAME)
    check.note("table", name)
    check.flag("max_name_length", connection.ops.max_name_length())
    check.observe(len(name))


@pytest.mark.check("identifiers.quoted_db_table")
def test_quoted_db_table(check: CheckRecorder, connection: Any, tables: Any) -> None:
    check.observe(created_table(connection, tables, '"name_left_in_lowercase"'))


@pytest.mark.check("identifiers.mixed_case_table")
def test_mixed_case_table(check: CheckRecorder, connection: Any, tables: Any) -> None:
    check.observe(created_table(connection, tables, "DbCompat_Mixed"))
