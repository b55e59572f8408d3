"""Row locking with ``select_for_update()``.

For each option (nowait, skip_locked, of, no_key):

- ``row-locking.<option>.flag``: Django's feature flag for the option.
- ``row-locking.<option>.use``: what using the option in a transaction does: "ok" or the exception class.

With a second real connection holding a lock on row 1 (every wait bounded):

- ``row-locking.nowait.contended``: the exception NOWAIT raises, and whether it came at once (under 1 s).
- ``row-locking.skip_locked.contended``: the ids SKIP LOCKED returns from rows 1, 2 and 3.

And:

- ``row-locking.outside_transaction``: what ``select_for_update()`` does in autocommit mode.
- ``row-locking.with_limit``: what ``select_for_update()`` with a slice (LIMIT) does in a transaction.

The table, its rows, the lock-wait bound, the transaction and the other connection's lock are setup
steps: if one fails the check ends a harness error naming it, so a lock that was never taken cannot
pass for what NOWAIT or SKIP LOCKED did. Each transaction a check opens is rolled back.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

import pytest

from harness.checks import CheckRecorder, error_observed
from harness.fixtures import held_in_other_connection
from suites.models import Lockable
from suites.outcomes import outcome_of, value_or_error

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.backends import Backend
    from harness.fixtures import CreateTables

T = TypeVar("T")

OPTIONS: dict[str, tuple[dict[str, object], str]] = {
    "nowait": ({"nowait": True}, "has_select_for_update_nowait"),
    "skip_locked": ({"skip_locked": True}, "has_select_for_update_skip_locked"),
    "of": ({"of": ("self",)}, "has_select_for_update_of"),
    "no_key": ({"no_key": True}, "has_select_for_no_key_update"),
}
LOCK_WAIT = 3  # seconds any statement may wait for a row lock


@pytest.fixture
def rows(tables: CreateTables, connection: BaseDatabaseWrapper, backend: Backend, check: CheckRecorder) -> None:
    with check.step(f"create the table {Lockable._meta.db_table} and its rows 1, 2 and 3"):
        tables(Lockable)
        for pk, name in ((1, "a"), (2, "b"), (3, "c")):
            Lockable.objects.create(pk=pk, name=name)
    bound = backend.lock_timeout_sql(LOCK_WAIT)
    if bound:
        with check.step(f"bound this session's lock waits to {LOCK_WAIT}s"), connection.cursor() as cursor:
            cursor.execute(bound)
    check.note("lock_wait_bound_seconds", LOCK_WAIT)


def in_transaction(check: CheckRecorder, observe: Callable[[], T], contended: Callable[[str], T] | None = None) -> T:
    """``observe()`` inside a transaction (begun as a setup step), which is then rolled back.

    With ``contended`` (another connection holds a lock), beginning is part of what is observed: a BEGIN
    that itself waits for that lock and fails (SQLite's IMMEDIATE transaction mode takes the write lock at
    BEGIN; Django 5.1+ docs, SQLite notes > Transactions behavior) gives ``contended(error)``.
    """
    from django.db import transaction

    stack = contextlib.ExitStack()
    if contended is None:
        with check.step("begin a transaction"):
            stack.enter_context(transaction.atomic())
    else:
        try:
            stack.enter_context(transaction.atomic())
        except Exception as exc:
            return contended(error_observed(exc))
    with stack:
        observed = observe()
        # Nothing the check did is kept; a transaction an error aborted (PostgreSQL) ends cleanly too.
        transaction.set_rollback(True)
    return observed


@contextlib.contextmanager
def row_one_locked_elsewhere(check: CheckRecorder, backend: Backend) -> Iterator[None]:
    """Row 1 locked by a transaction on a second connection while the block runs (setup steps both ways)."""
    stack = contextlib.ExitStack()
    with check.step("lock row 1 with select_for_update() in a transaction on another connection"):
        stack.enter_context(held_in_other_connection(lock_row_one, check, backend.lock_timeout_sql(LOCK_WAIT)))
    try:
        yield
    finally:
        with check.step("end the other connection's transaction"):
            stack.close()


def lock_row_one() -> None:
    list(Lockable.objects.select_for_update().filter(pk=1))


@pytest.mark.parametrize("option", list(OPTIONS))
@pytest.mark.check("row-locking.{option}.flag")
def test_flag(check: CheckRecorder, connection: BaseDatabaseWrapper, option: str) -> None:
    check.observe(getattr(connection.features, OPTIONS[option][1]))


@pytest.mark.parametrize("option", list(OPTIONS))
@pytest.mark.check("row-locking.{option}.use")
def test_use(check: CheckRecorder, connection: BaseDatabaseWrapper, rows: None, option: str) -> None:
    kwargs, flag = OPTIONS[option]
    queryset = Lockable.objects.select_for_update(**kwargs).filter(pk=1)
    observed = in_transaction(check, lambda: outcome_of(lambda: list(queryset)))
    supported = getattr(connection.features, flag)
    # Where Django has no SELECT ... FOR UPDATE at all, the option flag promises nothing.
    agrees = (observed == "ok") == supported if connection.features.has_select_for_update else None
    check.flag(flag, supported, agrees=agrees)
    check.observe(observed)


@pytest.mark.check("row-locking.nowait.contended")
def test_nowait_contended(check: CheckRecorder, backend: Backend, rows: None) -> None:
    queryset = Lockable.objects.select_for_update(nowait=True).filter(pk=1)

    def timed() -> tuple[str, float]:
        outcome = outcome_of(lambda: list(queryset))
        return outcome, time.monotonic() - started

    with row_one_locked_elsewhere(check, backend):
        started = time.monotonic()  # from BEGIN on: where BEGIN takes the lock, the wait is there
        outcome, waited = in_transaction(check, timed, contended=lambda error: (error, time.monotonic() - started))
    check.note("waited_seconds", round(waited, 3))
    check.observe({"raised": None if outcome == "ok" else outcome, "at_once": waited < 1.0})


@pytest.mark.check("row-locking.skip_locked.contended")
def test_skip_locked_contended(check: CheckRecorder, backend: Backend, rows: None) -> None:
    queryset = Lockable.objects.select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)
    with row_one_locked_elsewhere(check, backend):
        observed = in_transaction(check, lambda: value_or_error(lambda: list(queryset)), contended=lambda e: e)
    check.observe(observed)


@pytest.mark.check("row-locking.outside_transaction")
def test_outside_transaction(check: CheckRecorder, rows: None) -> None:
    check.observe(outcome_of(lambda: list(Lockable.objects.select_for_update().filter(pk=1))))


@pytest.mark.check("row-locking.with_limit")
def test_with_limit(check: CheckRecorder, connection: BaseDatabaseWrapper, rows: None) -> None:
    queryset = Lockable.objects.select_for_update().order_by("pk")[:1]
    observed = in_transaction(check, lambda: outcome_of(lambda: list(queryset)))
    supported = connection.features.supports_select_for_update_with_limit
    agrees = (observed == "ok") == supported if connection.features.has_select_for_update else None
    check.flag("supports_select_for_update_with_limit", supported, agrees=agrees)
    check.observe(observed)
