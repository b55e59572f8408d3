"""Query expressions (ref/models/expressions): window functions, their frames, and F() after save().

The checks share one table (suites/shared.py): rows 1, 2 and 3 with n 1, 2 and 3.

- ``expressions.window_functions``: RowNumber() over the rows ordered by id: the values, or the error.
- ``expressions.value_range_offset``: Sum(n) over ValueRange(start=-1, end=0) (RANGE BETWEEN 1 PRECEDING AND
  CURRENT ROW): the values, or the error.
- ``expressions.f_assignment_refreshed``: after ``obj.n = F("n") + 1`` and ``save()``, whether the new value is on
  the instance without a query (Django 6.0+).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from harness.checks import CheckRecorder
from suites.models import check_model
from suites.outcomes import outcome_of, value_or_error
from suites.shared import SharedTables, django_version, rolled_back, shared_fixture

if TYPE_CHECKING:
    from django.db.models import Model

MODELS: dict[str, type[Model]] = {}


def _table() -> type[Model]:
    from django.db import models

    if "table" not in MODELS:
        MODELS["table"] = check_model("ExpressionRows", {"n": models.IntegerField()})
    return MODELS["table"]


def _fill() -> None:
    for pk in (1, 2, 3):
        _table().objects.create(pk=pk, n=pk)


SHARED = SharedTables("the table the expression checks share, and its rows", lambda: [_table()], _fill)


@pytest.fixture(scope="module")
def shared_tables() -> Iterator[SharedTables]:
    yield from shared_fixture(SHARED)


@pytest.fixture
def rows(check: CheckRecorder, shared_tables: SharedTables) -> type[Model]:
    shared_tables.ready(check)
    return _table()


def window_values(model: type[Model], expression: Any, **window: Any) -> Any:
    from django.db.models import F, Window

    return value_or_error(
        lambda: list(
            model.objects.annotate(value=Window(expression, order_by=F("n").asc(), **window))
            .order_by("n")
            .values_list("value", flat=True)
        )
    )


@pytest.mark.check("expressions.window_functions")
def test_window_functions(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db import connection
    from django.db.models.functions import RowNumber

    check.flag("supports_over_clause", connection.features.supports_over_clause)
    check.observe(window_values(rows, RowNumber()))


@pytest.mark.check("expressions.value_range_offset")
def test_value_range_offset(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db.models import Sum, ValueRange

    check.observe(window_values(rows, Sum("n"), frame=ValueRange(start=-1, end=0)))


@pytest.mark.check("expressions.f_assignment_refreshed")
def test_f_assignment_refreshed(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db.models import F

    if django_version() < (6, 0):
        check.not_applicable("F() assignments are refreshed on save() from Django 6.0; this Django is older.")
    with rolled_back(check):
        with check.step("read row 1"):
            obj = rows.objects.get(pk=1)
        obj.n = F("n") + 1
        saved = outcome_of(obj.save)
        value = obj.__dict__.get("n")
    if saved != "ok":
        check.observe(saved)
        return
    check.note("n on the instance after save()", repr(value))
    check.observe(isinstance(value, int))
