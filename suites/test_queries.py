"""Making queries (topics/db/queries): bitwise XOR, and querying JSONField, where the docs name backends.

The checks share one table of JSON rows (suites/shared.py), each with a label: "ten" {"n": 10}, "nine"
{"n": 9}, "hundred" {"n": 100}, "null" {"k": null}, "one" {"k": 1}, "none" {} (no k), "string true"
{"t": "true"}, "boolean true" {"t": true}, "list" {"items": [1, 2, 3]} and "object" {"a": {"b": 1}}.

- ``queries.bitxor``: ``F("n").bitxor(3)`` for n=5: the value, or the error.
- ``queries.json_key_order_by``: the n of "ten", "nine" and "hundred" in ``order_by("data__n")`` order.
- ``queries.json_exclude_none``: the labels among "null", "one" and "none" that ``exclude(data__k=None)`` keeps.
- ``queries.json_postgresql_operators``: whether the SQL of ``filter(data__n=1)`` uses the -> operator, and that
  of ``filter(data__a__b=1)`` the #> operator.
- ``queries.json_true_string``: the labels ``filter(data__t="true")`` finds among "string true" and
  "boolean true".
- ``queries.json_contains``: the labels ``data__contains={"a": {"b": 1}}`` and ``data__contained_by={"n": 9,
  "x": 0}`` find, or the error.
- ``queries.json_negative_index``: the labels ``data__items__-1=3`` finds, or the error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from harness.checks import CheckRecorder
from suites.models import check_model
from suites.outcomes import value_or_error
from suites.shared import SharedTables, shared_fixture, statements_of

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Model

MODELS: dict[str, type[Model]] = {}
ROWS: dict[str, Any] = {
    "ten": {"n": 10},
    "nine": {"n": 9},
    "hundred": {"n": 100},
    "null": {"k": None},
    "one": {"k": 1},
    "none": {},
    "string true": {"t": "true"},
    "boolean true": {"t": True},
    "list": {"items": [1, 2, 3]},
    "object": {"a": {"b": 1}},
}


def _table() -> type[Model]:
    from django.db import models

    if "table" not in MODELS:
        MODELS["table"] = check_model(
            "QueryRows",
            {"label": models.CharField(max_length=20), "n": models.IntegerField(default=5), "data": models.JSONField()},
        )
    return MODELS["table"]


def _fill() -> None:
    for label, data in ROWS.items():
        _table().objects.create(label=label, data=data)


SHARED = SharedTables("the table the query checks share, and its rows", lambda: [_table()], _fill)


@pytest.fixture(scope="module")
def shared_tables() -> Iterator[SharedTables]:
    yield from shared_fixture(SHARED)


@pytest.fixture
def rows(check: CheckRecorder, connection: BaseDatabaseWrapper, shared_tables: SharedTables) -> type[Model]:
    if not connection.features.supports_json_field:
        check.not_applicable("Django reports no JSON support on this backend (supports_json_field is False).")
    shared_tables.ready(check)
    return _table()


def labels(model: type[Model], among: tuple[str, ...], **lookup: Any) -> Any:
    return value_or_error(
        lambda: sorted(model.objects.filter(label__in=among).filter(**lookup).values_list("label", flat=True))
    )


@pytest.mark.check("queries.bitxor")
def test_bitxor(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db.models import F

    check.observe(
        value_or_error(
            lambda: rows.objects.filter(label="ten").annotate(x=F("n").bitxor(3)).values_list("x", flat=True).get()
        )
    )


@pytest.mark.check("queries.json_key_order_by")
def test_json_key_order_by(check: CheckRecorder, rows: type[Model]) -> None:
    ordered = value_or_error(
        lambda: list(
            rows.objects.filter(label__in=("ten", "nine", "hundred"))
            .order_by("data__n")
            .values_list("label", flat=True)
        )
    )
    check.observe(ordered if isinstance(ordered, str) else [ROWS[label]["n"] for label in ordered])


@pytest.mark.check("queries.json_exclude_none")
def test_json_exclude_none(check: CheckRecorder, rows: type[Model]) -> None:
    check.observe(
        value_or_error(
            lambda: sorted(
                rows.objects.filter(label__in=("null", "one", "none"))
                .exclude(data__k=None)
                .values_list("label", flat=True)
            )
        )
    )


@pytest.mark.check("queries.json_postgresql_operators")
def test_json_postgresql_operators(check: CheckRecorder, rows: type[Model]) -> None:
    _, one = statements_of(check, lambda: list(rows.objects.filter(data__n=1)))
    _, path = statements_of(check, lambda: list(rows.objects.filter(data__a__b=1)))
    check.observe({"one key: ->": any("->" in sql for sql in one), "path: #>": any("#>" in sql for sql in path)})


@pytest.mark.check("queries.json_true_string")
def test_json_true_string(check: CheckRecorder, rows: type[Model]) -> None:
    check.observe(labels(rows, ("string true", "boolean true"), data__t="true"))


@pytest.mark.check("queries.json_contains")
def test_json_contains(check: CheckRecorder, rows: type[Model]) -> None:
    check.observe(
        {
            "contains": labels(rows, tuple(ROWS), data__contains={"a": {"b": 1}}),
            "contained_by": labels(rows, tuple(ROWS), data__contained_by={"n": 9, "x": 0}),
        }
    )


@pytest.mark.check("queries.json_negative_index")
def test_json_negative_index(check: CheckRecorder, rows: type[Model]) -> None:
    check.observe(labels(rows, tuple(ROWS), **{"data__items__-1": 3}))
