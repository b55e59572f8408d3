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

from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.outcomes import outcome_of
from suites.sequences.models import Counter

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.fixtures import CreateTables


def create_without_pk() -> str:
    from django.db import transaction

    def create() -> None:
        with transaction.atomic():
            Counter.objects.create(name="bob")

    return outcome_of(create)


def reset_statements(connection: BaseDatabaseWrapper) -> list[str]:
    """What ``sqlsequencereset sequences`` prints, statement by statement.

    The command prints ``connection.ops.sequence_reset_sql()`` for the app's models, one
    statement each (a statement may span lines: Oracle's are PL/SQL blocks).
    """
    from django.apps import apps
    from django.core.management.color import no_style

    return list(connection.ops.sequence_reset_sql(no_style(), list(apps.get_app_config("sequences").get_models())))


@pytest.fixture
def manual_pk(tables: CreateTables) -> None:
    tables(Counter)
    Counter.objects.create(pk=1, name="alice")


@pytest.mark.check("sequence-reset.collision_after_manual_pk")
def test_collision_after_manual_pk(check: CheckRecorder, manual_pk: None) -> None:
    check.observe(create_without_pk())


@pytest.mark.check("sequence-reset.sqlsequencereset_statements")
def test_sqlsequencereset_statements(check: CheckRecorder, connection: BaseDatabaseWrapper, manual_pk: None) -> None:
    statements = reset_statements(connection)
    check.note("statements", statements)
    check.observe(len(statements))


@pytest.mark.check("sequence-reset.fixed_after_reset")
def test_fixed_after_reset(check: CheckRecorder, connection: BaseDatabaseWrapper, manual_pk: None) -> None:
    with connection.cursor() as cursor:
        for statement in reset_statements(connection):
            cursor.execute(statement)
    check.observe(create_without_pk())
