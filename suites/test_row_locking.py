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
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from harness.fixtures import held_in_other_connection
from suites.models import Lockable
from suites.outcomes import class_name, outcome_of, value_or_error

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.backends import Backend
    from harness.fixtures import CreateTables

OPTIONS: dict[str, tuple[dict[str, object], str]] = {
    "nowait": ({"nowait": True}, "has_select_for_update_nowait"),
    "skip_locked": ({"skip_locked": True}, "has_select_for_update_skip_locked"),
    "of": ({"of": ("self",)}, "has_select_for_update_of"),
    "no_key": ({"no_key": True}, "has_select_for_no_key_update"),
}
LOCK_WAIT = 3  # seconds any statement may wait for a row lock


@pytest.fixture
def rows(tables: CreateTables, connection: BaseDatabaseWrapper, backend: Backend, check: CheckRecorder) -> None:
    tables(Lockable)
    Lockable.objects.bulk_create([Lockable(pk=pk, name=name) for pk, name in ((1, "a"), (2, "b"), (3, "c"))])
    bound = backend.lock_timeout_sql(LOCK_WAIT)
    if bound:
        with connection.cursor() as cursor:
            cursor.execute(bound)
    check.note("lock_wait_bound_seconds", LOCK_WAIT)


def lock_row_one() -> None:
    list(Lockable.objects.select_for_update().filter(pk=1))


@pytest.mark.parametrize("option", list(OPTIONS))
@pytest.mark.check("row-locking.{option}.flag")
def test_flag(check: CheckRecorder, connection: BaseDatabaseWrapper, option: str) -> None:
    check.observe(getattr(connection.features, OPTIONS[option][1]))


@pytest.mark.parametrize("option", list(OPTIONS))
@pytest.mark.check("row-locking.{option}.use")
def test_use(check: CheckRecorder, connection: BaseDatabaseWrapper, rows: None, option: str) -> None:
    from django.db import transaction

    kwargs, flag = OPTIONS[option]

    def use() -> None:
        with transaction.atomic():
            list(Lockable.objects.select_for_update(**kwargs).filter(pk=1))

    observed = outcome_of(use)
    supported = getattr(connection.features, flag)
    # Where Django has no SELECT ... FOR UPDATE at all, the option flag promises nothing.
    agrees = (observed == "ok") == supported if connection.features.has_select_for_update else None
    check.flag(flag, supported, agrees=agrees)
    check.observe(observed)


@pytest.mark.check("row-locking.nowait.contended")
def test_nowait_contended(check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, rows: None) -> None:
    from django.db import transaction

    raised = None
    with held_in_other_connection(lock_row_one, check, backend.lock_timeout_sql(LOCK_WAIT)):
        started = time.monotonic()
        try:
            with transaction.atomic():
                list(Lockable.objects.select_for_update(nowait=True).filter(pk=1))
        except Exception as exc:
            raised = class_name(exc)
        waited = time.monotonic() - started
    check.note("waited_seconds", round(waited, 3))
    check.observe({"raised": raised, "at_once": waited < 1.0})


@pytest.mark.check("row-locking.skip_locked.contended")
def test_skip_locked_contended(check: CheckRecorder, backend: Backend, rows: None) -> None:
    from django.db import transaction

    def skip_locked() -> list[int]:
        with transaction.atomic():
            return list(
                Lockable.objects.select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)
            )

    with held_in_other_connection(lock_row_one, check, backend.lock_timeout_sql(LOCK_WAIT)):
        observed = value_or_error(skip_locked)
    check.observe(observed)


@pytest.mark.check("row-locking.outside_transaction")
def test_outside_transaction(check: CheckRecorder, rows: None) -> None:
    check.observe(outcome_of(lambda: list(Lockable.objects.select_for_update().filter(pk=1))))


@pytest.mark.check("row-locking.with_limit")
def test_with_limit(check: CheckRecorder, connection: BaseDatabaseWrapper, rows: None) -> None:
    from django.db import transaction

    def limited() -> None:
        with transaction.atomic():
            list(Lockable.objects.select_for_update().order_by("pk")[:1])

    observed = outcome_of(limited)
    supported = connection.features.supports_select_for_update_with_limit
    agrees = (observed == "ok") == supported if connection.features.has_select_for_update else None
    check.flag("supports_select_for_update_with_limit", supported, agrees=agrees)
    check.observe(observed)
