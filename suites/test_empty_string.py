"""NULL versus the empty string.

- ``empty-string.stored_as_null``: after saving '' in a CharField, whether raw SQL sees NULL.
- ``empty-string.read_back``: what the ORM reads back.
- ``empty-string.filter_exact``: how many rows ``filter(text="")`` finds.
- ``empty-string.filter_isnull``: how many rows ``filter(text__isnull=True)`` finds.
- ``empty-string.not_null_accepts_empty``: whether a ``null=False`` field takes '' ("ok" or the exception).
- ``empty-string.flag``: Django's ``interprets_empty_strings_as_nulls``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import pytest

from harness.checks import CheckRecorder
from suites.models import Blankable
from suites.outcomes import outcome_of

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.backends import Backend
    from harness.fixtures import CreateTables

FLAG = "interprets_empty_strings_as_nulls"


@pytest.fixture
def saved(check: CheckRecorder, tables: CreateTables) -> Blankable:
    with check.step(f"create the table {Blankable._meta.db_table} and a row with text ''"):
        tables(Blankable)
        return cast(Blankable, Blankable.objects.create(id=1, text=""))


@pytest.mark.check("empty-string.stored_as_null")
def test_stored_as_null(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, saved: Blankable
) -> None:
    sql = backend.is_null_sql(connection.ops.quote_name(Blankable._meta.db_table), connection.ops.quote_name("text"))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        is_null = bool(cursor.fetchone()[0])
    flag = getattr(connection.features, FLAG)
    check.flag(FLAG, flag, agrees=flag == is_null)
    check.observe(is_null)


@pytest.mark.check("empty-string.read_back")
def test_read_back(check: CheckRecorder, saved: Blankable) -> None:
    check.observe(Blankable.objects.get(pk=saved.pk).text)


@pytest.mark.check("empty-string.filter_exact")
def test_filter_exact(check: CheckRecorder, saved: Blankable) -> None:
    check.observe(Blankable.objects.filter(text="").count())


@pytest.mark.check("empty-string.filter_isnull")
def test_filter_isnull(check: CheckRecorder, saved: Blankable) -> None:
    check.observe(Blankable.objects.filter(text__isnull=True).count())


@pytest.mark.check("empty-string.not_null_accepts_empty")
def test_not_null_accepts_empty(check: CheckRecorder, tables: CreateTables) -> None:
    with check.step(f"create the table {Blankable._meta.db_table}"):
        tables(Blankable)
    check.observe(outcome_of(lambda: Blankable.objects.create(id=2, text="x", required="")))


@pytest.mark.check("empty-string.flag")
def test_flag(check: CheckRecorder, connection: BaseDatabaseWrapper) -> None:
    check.observe(getattr(connection.features, FLAG))
