"""MySQL and MariaDB storage engines.

- ``storage-engines.default_engine``: the engine of a table Django creates (it names none), as the server
  names it (information_schema spells each engine one way, whatever alias created the table); the
  server's default_storage_engine is kept with the result.
- ``storage-engines.myisam_rollback``: rows left in a MyISAM table after ``atomic()`` rolls back an insert.
- ``storage-engines.myisam_savepoint``: rows left in a MyISAM table after an inner ``atomic()`` fails inside
  an outer one, or the error the savepoint methods give (not applicable where the server's
  enforce_gtid_consistency refuses a second MyISAM write in one transaction).
- ``storage-engines.myisam_foreign_keys``: what inserting a MyISAM row that references no parent does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.models import Person
from suites.outcomes import outcome_of

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.backends import Backend
    from harness.fixtures import CreateTables


class _Rollback(Exception):
    pass


def server_setting(connection: BaseDatabaseWrapper, backend: Backend, name: str) -> str | None:
    """A server setting, read by the backend's own SQL for it; None where the server has no such setting."""
    from django.db import DatabaseError

    sql = backend.settings_sql.get(name)
    if sql is None:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone()
    except DatabaseError:  # a variable this server does not have (MariaDB has no enforce_gtid_consistency)
        return None
    return None if row is None or row[0] is None else str(row[0])


@pytest.mark.check("storage-engines.default_engine")
def test_default_engine(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, tables: CreateTables
) -> None:
    sql = backend.table_engine_sql()
    check.note("default_storage_engine", server_setting(connection, backend, "default_storage_engine"))
    with check.step(f"create the table {Person._meta.db_table}"):
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
    with check.step("create the MyISAM table dbcompat_myisam"):
        raw_table("dbcompat_myisam", ddl)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO dbcompat_myisam (id) VALUES (1)")
            raise _Rollback
    except _Rollback:
        pass
    with check.step("count the rows left"), connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM dbcompat_myisam")
        left = int(cursor.fetchone()[0])
    check.observe(left)


@pytest.mark.check("storage-engines.myisam_savepoint")
def test_myisam_savepoint(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, raw_table: Callable[[str, str], None]
) -> None:
    from django.db import transaction

    ddl = backend.myisam_table_sql("dbcompat_myisam_sp")
    consistency = server_setting(connection, backend, "enforce_gtid_consistency")
    check.note("enforce_gtid_consistency", consistency)
    if consistency in ("ON", "1"):
        check.not_applicable(
            "The server's enforce_gtid_consistency is ON, which refuses a second write to a non-transactional "
            "(MyISAM) table inside one transaction: the savepoint methods cannot be used on MyISAM rows here."
        )
    with check.step("create the MyISAM table dbcompat_myisam_sp"):
        raw_table("dbcompat_myisam_sp", ddl)

    # What is observed are the savepoint methods: atomic() blocks nested in a transaction. The inserts
    # that give them something to undo are steps, so that their errors are never the observation.
    def nested() -> None:
        with transaction.atomic():
            with check.step("insert row 1 in the outer atomic block"), connection.cursor() as cursor:
                cursor.execute("INSERT INTO dbcompat_myisam_sp (id) VALUES (1)")
            try:
                with transaction.atomic():
                    with check.step("insert row 2 in the inner atomic block"), connection.cursor() as cursor:
                        cursor.execute("INSERT INTO dbcompat_myisam_sp (id) VALUES (2)")
                    raise _Rollback
            except _Rollback:
                pass

    used = outcome_of(nested)
    if used != "ok":
        check.observe(used)
        return
    with check.step("count the rows left"), connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM dbcompat_myisam_sp")
        left = int(cursor.fetchone()[0])
    check.observe(left)


@pytest.mark.check("storage-engines.myisam_foreign_keys")
def test_myisam_foreign_keys(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, raw_table: Callable[[str, str], None]
) -> None:
    parent = backend.myisam_table_sql("dbcompat_myisam_parent")
    child = backend.myisam_child_sql("dbcompat_myisam_child", "dbcompat_myisam_parent")
    with check.step("create the MyISAM tables dbcompat_myisam_parent and dbcompat_myisam_child (with a foreign key)"):
        raw_table("dbcompat_myisam_parent", parent)
        raw_table("dbcompat_myisam_child", child)

    def orphan() -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO dbcompat_myisam_child (id, parent_id) VALUES (1, 999)")

    check.observe(outcome_of(orphan))
