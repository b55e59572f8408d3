"""Sequence reset after manually assigned primary keys.

On a fresh table (the sequence's next value is 1):

- ``sequence-reset.collision_after_manual_pk``: create a row with pk=1, then one without a pk:
  "ok" or the exception class.
- ``sequence-reset.sqlsequencereset_statements``: how many statements ``sqlsequencereset`` prints
  for an app with one auto-incrementing model.
- ``sequence-reset.fixed_after_reset``: after running them, whether the next row without a pk is
  created ("ok" or the exception class).
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from harness.fixtures import CheckRecorder
from suites.outcomes import outcome_of
from suites.sequences.models import Counter


def create_without_pk() -> str:
    from django.db import transaction

    def create() -> None:
        with transaction.atomic():
            Counter.objects.create(name="bob")

    return outcome_of(create)


def reset_statements() -> list[str]:
    from django.core.management import call_command

    out = io.StringIO()
    call_command("sqlsequencereset", "sequences", stdout=out, stderr=io.StringIO(), no_color=True)
    lines = [line.strip() for line in out.getvalue().splitlines()]
    return [line for line in lines if line and line.upper() not in ("BEGIN;", "COMMIT;")]


@pytest.fixture
def manual_pk(tables: Any) -> None:
    tables(Counter)
    Counter.objects.create(pk=1, name="alice")


@pytest.mark.check("sequence-reset.collision_after_manual_pk")
def test_collision_after_manual_pk(check: CheckRecorder, manual_pk: None) -> None:
    check.observe(create_without_pk())


@pytest.mark.check("sequence-reset.sqlsequencereset_statements")
def test_sqlsequencereset_statements(check: CheckRecorder, manual_pk: None) -> None:
    statements = reset_statements()
    check.note("statements", statements)
    check.observe(len(statements))


@pytest.mark.check("sequence-reset.fixed_after_reset")
def test_fixed_after_reset(check: CheckRecorder, connection: Any, manual_pk: None) -> None:
    with connection.cursor() as cursor:
        for statement in reset_statements():
            cursor.execute(statement.rstrip(";"))
    check.observe(create_without_pk())
