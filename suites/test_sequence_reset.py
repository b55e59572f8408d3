"""Sequence reset after manually assigned primary keys.

On a fresh table (the sequence's next value is 1), with a row created with pk=1 (the docs' example):

- ``sequence-reset.collision_after_manual_pk``: what creating a row without a pk does: "ok" or the
  exception class.
- ``sequence-reset.sqlsequencereset_statements``: how many statements ``sqlsequencereset`` prints
  for an app with one auto-incrementing model.
- ``sequence-reset.fixed_after_reset``: after running them, whether the next row without a pk is
  created ("ok" or the exception class); running them is part of what is observed (they are the remedy
  the docs give), so a statement that fails is the observation, its class and message kept.
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
    return outcome_of(lambda: Counter.objects.create(name="bob"))


def reset_statements(connection: BaseDatabaseWrapper) -> list[str]:
    """What ``sqlsequencereset sequences`` prints, statement by statement.

    The command prints ``connection.ops.sequence_reset_sql()`` for the app's models, one
    statement each (a statement may span lines: Oracle's are PL/SQL blocks).
    """
    from django.apps import apps
    from django.core.management.color import no_style

    return list(connection.ops.sequence_reset_sql(no_style(), list(apps.get_app_config("sequences").get_models())))


@pytest.fixture
def manual_pk(check: CheckRecorder, tables: CreateTables) -> None:
    with check.step(f"create the table {Counter._meta.db_table} and the row pk=1, as the docs' example does"):
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
    statements = reset_statements(connection)

    def run_them() -> None:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    reset = outcome_of(run_them)
    check.observe(create_without_pk() if reset == "ok" else reset)
