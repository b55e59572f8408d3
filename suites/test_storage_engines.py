"""MySQL and MariaDB storage engines.

- ``storage-engines.default_engine``: the engine of a table Django creates (it names none).
- ``storage-engines.myisam_rollback``: rows left in a MyISAM table after ``atomic()`` rolls back an insert.
- ``storage-engines.myisam_savepoint``: rows left in a MyISAM table after an inner ``atomic()`` fails inside
  an outer one (or the error the savepoint methods give).
- ``storage-engines.myisam_foreign_keys``: what inserting a MyISAM row that references no parent does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.models import Person

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.backends import Backend
    from harness.fixtures import CreateTables


class _Rollback(Exception):
    pass


@pytest.mark.check("storage-engines.default_engine")
def test_default_engine(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, tables: CreateTables
) -> None:
    sql = backend.table_engine_sql()
    tables(Person)
    with connection.cursor() as cursor:
        cursor.execute(sql, [Person._meta.db_table])
        check.observe(cursor.fetchone()[0])


@pytest.mark.check("storage-engines.myisam_rollback")
def test_myisam_rollback(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, raw_table: Callable[[str, str], None]
) -> None:
    from django.db import transaction

    ddl = backend.myisam_table_sql("dbcompat_myisam")
    raw_table("dbcompat_myisam", ddl)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO dbcompat_myisam (id) VALUES (1)")
            raise _Rollback
    except _Rollback:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM dbcompat_myisam")
        check.observe(cursor.fetchone()[0])


@pytest.mark.check("storage-engines.myisam_savepoint")
def test_myisam_savepoint(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, raw_table: Callable[[str, str], None]
) -> None:
    from django.db import transaction

    from suites.outcomes import value_or_error

    ddl = backend.myisam_table_sql("dbcompat_myisam_sp")
    raw_table("dbcompat_myisam_sp", ddl)

    def nested() -> int:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO dbcompat_myisam_sp (id) VALUES (1)")
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("INSERT INTO dbcompat_myisam_sp (id) VALUES (2)")
                    raise _Rollback
            except _Rollback:
                pass
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM dbcompat_myisam_sp")
            return int(cursor.fetchone()[0])

    check.observe(value_or_error(nested))


@pytest.mark.check("storage-engines.myisam_foreign_keys")
def test_myisam_foreign_keys(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, raw_table: Callable[[str, str], None]
) -> None:
    from suites.outcomes import outcome_of

    parent = backend.myisam_table_sql("dbcompat_myisam_parent")
    child = backend.myisam_child_sql("dbcompat_myisam_child", "dbcompat_myisam_parent")
    raw_table("dbcompat_myisam_parent", parent)
    raw_table("dbcompat_myisam_child", child)

    def orphan() -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO dbcompat_myisam_child (id, parent_id) VALUES (1, 999)")

    check.observe(outcome_of(orphan))
