"""Tables and rows that the checks of one suite share, created once for the suite.

Checks that observe the same setup (one table of rows queried several ways) share it instead of each
creating and dropping its own, so that a suite's cost grows with what it observes, not with its number
of checks. The first check that needs the tables creates them, as a setup step of its own (a failure
ends it, and every later check that needs them, a harness error naming the step); they are dropped
after the suite's last check. A check that writes to shared rows does so in :func:`rolled_back`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from harness.checks import SetupFailed

if TYPE_CHECKING:
    from django.db.models import Model

    from harness.checks import CheckRecorder

T = TypeVar("T")


class SharedTables:
    """``models``' tables, filled by ``fill()``; made on first :meth:`ready`, dropped by :meth:`drop`."""

    def __init__(self, what: str, models: Callable[[], list[type[Model]]], fill: Callable[[], object]) -> None:
        self.what = what
        self._models = models
        self._fill = fill
        self.models: list[type[Model]] = []
        self._failed: SetupFailed | None = None
        self._made = False

    def ready(self, check: CheckRecorder) -> None:
        """Make the tables and rows now if no check has; fail this check's setup as the first one failed."""
        if self._failed is not None:
            raise self._failed
        if self._made:
            return
        try:
            with check.step(f"create {self.what}"):
                from django.db import connection

                with connection.schema_editor() as editor:
                    for model in self._models():
                        editor.create_model(model)
                        self.models.append(model)
                self._fill()
        except SetupFailed as failed:
            self._failed = failed
            raise
        self._made = True

    def drop(self) -> None:
        """Drop the tables that were made (after the suite's last check)."""
        from django.db import connection

        if not self.models:
            return

        def drop_all() -> None:
            with connection.schema_editor() as editor:
                for model in reversed(self.models):
                    editor.delete_model(model)

        try:
            drop_all()
        except Exception:
            # A check may leave its connection unusable (a failed transaction): start afresh once.
            connection.close()
            drop_all()
        self.models.clear()
        self._made = False
        self._failed = None


def shared_fixture(tables: SharedTables) -> Iterator[SharedTables]:
    """The body of a suite's module-scoped fixture: the tables, dropped after its last check."""
    try:
        yield tables
    finally:
        tables.drop()


@contextlib.contextmanager
def rolled_back(check: CheckRecorder) -> Iterator[None]:
    """The block in a transaction (begun as a setup step) that is rolled back, whatever it did."""
    from django.db import transaction

    stack = contextlib.ExitStack()
    with check.step("begin a transaction"):
        stack.enter_context(transaction.atomic())
    with stack:
        try:
            yield
        finally:
            transaction.set_rollback(True)


def statements_of(check: CheckRecorder, action: Callable[[], T]) -> tuple[T | str, list[str]]:
    """What ``action`` returned (or the class of what it raised), and the statements it ran, as recorded."""
    from suites.outcomes import value_or_error

    before = len(check.sql)
    value = value_or_error(action)
    return value, check.sql[before:]


def first_word(sql: str) -> str:
    """A statement's verb in capitals (``SELECT``, ``UPDATE``, ...), for counting what ran."""
    return sql.lstrip(" (").split(None, 1)[0].upper() if sql.strip() else ""


def django_version() -> tuple[int, int]:
    import django

    return (int(django.VERSION[0]), int(django.VERSION[1]))


def optional(name: str, module: str = "django.db.models") -> Any:
    """An attribute of a Django module, or None where this Django has none (an API added later)."""
    import importlib

    return getattr(importlib.import_module(module), name, None)
