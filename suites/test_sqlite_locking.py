"""SQLite's "database is locked".

- ``sqlite-locking.timeout``: with another connection holding the write lock, what a write does with
  OPTIONS timeout 0.2 s (the holder keeps its lock), and with timeout 5 s (the holder commits after 0.5 s).
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.models import Person
from suites.outcomes import outcome_of

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.backends import Backend
    from harness.fixtures import ConfigureConnection, CreateTables


@pytest.mark.check("sqlite-locking.timeout")
def test_timeout(
    check: CheckRecorder, backend: Backend, tables: CreateTables, configured_connection: ConfigureConnection
) -> None:
    take_lock = backend.write_lock_sql()
    tables(Person)
    table = Person._meta.db_table

    def write(wrapper: BaseDatabaseWrapper) -> None:
        with wrapper.cursor() as cursor:
            cursor.execute(f'INSERT INTO "{table}" ("name") VALUES (%s)', ["writer"])

    holder = configured_connection()
    holder.ensure_connection()
    with holder.cursor() as cursor:
        cursor.execute(take_lock)
        cursor.execute(f'INSERT INTO "{table}" ("name") VALUES (%s)', ["holder"])
    began = time.monotonic()
    short = outcome_of(lambda: write(configured_connection(OPTIONS={"timeout": 0.2})))
    short_wait = time.monotonic() - began

    release = threading.Timer(0.5, lambda: holder.connection.commit())
    patient = configured_connection(OPTIONS={"timeout": 5})
    patient.ensure_connection()
    release.start()
    try:
        long = outcome_of(lambda: write(patient))
    finally:
        release.join()
    check.note("short_wait_seconds", round(short_wait, 2))
    check.observe({"timeout 0.2": short, "timeout 5": long})
