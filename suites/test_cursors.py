"""Server-side cursors.

- ``cursors.iterator_server_side``: how many server-side cursors the session holds while iterating
  ``QuerySet.iterator()``, by default and with DISABLE_SERVER_SIDE_CURSORS.
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


@pytest.mark.check("cursors.iterator_server_side")
def test_iterator_server_side(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, tables: CreateTables
) -> None:
    from django.db import transaction

    sql = backend.open_cursors_sql()
    with check.step(f"create the table {Person._meta.db_table} and 5 rows"):
        tables(Person)
        for n in range(5):
            Person.objects.create(name=f"p{n}")

    def open_while_iterating() -> int:
        # In a transaction, as the docs advise with server-side cursors: it closes them when it ends.
        with transaction.atomic():
            iterator = Person.objects.iterator(chunk_size=2)
            next(iterator)  # the first chunk: the cursor is open now, and the rest still on the server
            with connection.cursor() as cursor:
                cursor.execute(sql)
                count = int(cursor.fetchone()[0])
            list(iterator)
        return count

    default = open_while_iterating()
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
    try:
        disabled = open_while_iterating()
    finally:
        connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = False
    check.flag("can_use_chunked_reads", connection.features.can_use_chunked_reads)
    check.observe({"default": default, "DISABLE_SERVER_SIDE_CURSORS": disabled})
