"""SQLite's "database is locked".

- ``sqlite-locking.timeout``: with another connection holding SQLite's write lock (``BEGIN IMMEDIATE`` and
  an INSERT, not committed):

  - "timeout 0.2": what a write in autocommit mode with OPTIONS timeout 0.2 s does while the holder keeps
    its lock: the exception class (None if it wrote), and whether it came only after the timeout;
  - "IMMEDIATE transaction, timeout 0.2": the same for a transaction (``atomic()``: a read, then a write)
    with OPTIONS transaction_mode "IMMEDIATE", where Django has that option (5.1+);
  - "timeout 5": what the autocommit write does with timeout 5 s when the holder commits after 0.5 s.

Taking the lock, opening each connection and the holder's commit are setup steps: a lock that was never
taken, or never given back, ends the check a harness error rather than pass for SQLite's answer.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.models import Person
from suites.outcomes import outcome_of

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.backends import Backend
    from harness.fixtures import ConfigureConnection, CreateTables

SHORT = 0.2  # seconds: the timeout the holder outlasts
PATIENT = 5  # seconds: the timeout that outlasts the holder
RELEASE_AFTER = 0.5  # seconds until the holder commits, in the patient case
# A wait counts as "after the timeout" from this share of it on (SQLite's busy handler sleeps until
# the timeout is spent; the clocks it and Python read are not the same).
AFTER_TIMEOUT = 0.9


def timed(
    check: CheckRecorder, wrapper: BaseDatabaseWrapper, label: str, timeout: float, action: Callable[[], object]
) -> dict[str, object]:
    """What ``action`` raised (None if nothing) and whether it came only after ``timeout``."""
    with check.step(f"open a connection with {label}"):
        wrapper.ensure_connection()
    began = time.monotonic()
    outcome = outcome_of(action)
    waited = time.monotonic() - began
    check.note(f"{label}: waited_seconds", round(waited, 3))
    return {"raised": None if outcome == "ok" else outcome, "after the timeout": waited >= AFTER_TIMEOUT * timeout}


@pytest.fixture
def connect(check: CheckRecorder, configured_connection: ConfigureConnection) -> Iterator[ConfigureConnection]:
    """``configured_connection``, each new connection's statements recorded with the check's SQL."""
    with contextlib.ExitStack() as stack:

        def make(**overrides: object) -> BaseDatabaseWrapper:
            wrapper = configured_connection(**overrides)
            stack.enter_context(wrapper.execute_wrapper(check.capture))
            return wrapper

        yield make


@pytest.mark.check("sqlite-locking.timeout")
def test_timeout(
    check: CheckRecorder,
    connection: BaseDatabaseWrapper,
    backend: Backend,
    tables: CreateTables,
    connect: ConfigureConnection,
) -> None:
    from django.db import connections, transaction

    take_lock = backend.write_lock_sql()
    with check.step(f"create the table {Person._meta.db_table}"):
        tables(Person)
    table, column = connection.ops.quote_name(Person._meta.db_table), connection.ops.quote_name("name")
    insert = f"INSERT INTO {table} ({column}) VALUES (%s)"

    def write(wrapper: BaseDatabaseWrapper) -> None:
        with wrapper.cursor() as cursor:
            cursor.execute(insert, ["writer"])

    holder = connect()
    step = f"take SQLite's write lock on another connection ({take_lock} and an INSERT)"
    with check.step(step), holder.cursor() as cursor:
        cursor.execute(take_lock)
        cursor.execute(insert, ["holder"])

    short = connect(OPTIONS={"timeout": SHORT})
    observed: dict[str, object] = {"timeout 0.2": timed(check, short, "timeout 0.2", SHORT, lambda: write(short))}

    # Django 5.1 added OPTIONS transaction_mode (its backend lists the modes it takes).
    if hasattr(connection, "transaction_modes"):
        immediate = connect(OPTIONS={"timeout": SHORT, "transaction_mode": "IMMEDIATE"})

        def read_then_write() -> None:
            with transaction.atomic(using=immediate.alias), immediate.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                cursor.execute(insert, ["writer"])

        # atomic() finds a connection by its alias: this one is Django's for the check's length.
        connections[immediate.alias] = immediate
        try:
            observed["IMMEDIATE transaction, timeout 0.2"] = timed(
                check, immediate, "transaction_mode IMMEDIATE and timeout 0.2", SHORT, read_then_write
            )
        finally:
            del connections[immediate.alias]
    else:
        check.note("transaction_mode", "not an option of this Django's SQLite backend (added in Django 5.1)")

    patient = connect(OPTIONS={"timeout": PATIENT})
    with check.step("open a connection with timeout 5"):
        patient.ensure_connection()
    failed: list[BaseException] = []

    def release() -> None:
        try:
            holder.connection.commit()
        except BaseException as exc:  # kept, and raised by the step below: the holder must let go
            failed.append(exc)

    timer = threading.Timer(RELEASE_AFTER, release)
    timer.start()
    try:
        observed["timeout 5"] = outcome_of(lambda: write(patient))
    finally:
        timer.join()
    with check.step(f"commit the other connection's transaction after {RELEASE_AFTER}s"):
        if failed:
            raise failed[0]
    check.observe(observed)
