"""MySQL and MariaDB storage engines.

- ``storage-engines.default_engine``: the engine of a table Django creates (it names none).
- ``storage-engines.myisam_rollback``: rows left in a MyISAM table after ``atomic()`` rolls back an insert.
"""

from __future__ import annotations

from typing import Any

import pytest

from harness.fixtures import CheckRecorder
from suites.models import Person


class _Rollback(Exception):
    pass


@pytest.mark.check("storage-engines.default_engine")
def test_default_engine(check: CheckRecorder, connection: Any, backend: Any, tables: Any) -> None:
    sql = backend.table_engine_sql()
    if sql is None:
        check.not_applicable(backend.reason("storage_engine"))
    tables(Person)
    with connection.cursor() as cursor:
        cursor.execute(sql, [Person._meta.db_table])
        check.observe(cursor.fetchone()[0])


@pytest.mark.check("storage-engines.myisam_rollback")
def test_myisam_rollback(check: CheckRecorder, connection: Any, backend: Any, raw_table: Any) -> None:
    from django.db import transaction

    ddl = backend.myisam_table_sql("dbcompat_myisam")
    if ddl is None:
        check.not_applicable(backend.reason("storage_engine"))
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
