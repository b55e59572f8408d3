"""Performing raw SQL queries (topics/db/sql): placeholders and stored procedures.

- ``sql.percent_placeholder``: the row ``cursor.execute("SELECT %s", [7])`` returns through Django's cursor; what
  the "?" placeholder does is kept with the result.
- ``sql.callproc_kparams``: what ``cursor.callproc()`` of a procedure there is not, with keyword parameters
  (``kparams``), does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.outcomes import outcome_of, value_or_error

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper


@pytest.mark.check("sql.percent_placeholder")
def test_percent_placeholder(check: CheckRecorder, connection: BaseDatabaseWrapper) -> None:
    suffix = connection.features.bare_select_suffix

    def select(placeholder: str) -> list[list[object]]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {placeholder}{suffix}", [7])
            return [list(row) for row in cursor.fetchall()]

    check.note('"?" placeholder', value_or_error(lambda: select("?")))
    check.observe(value_or_error(lambda: select("%s")))


@pytest.mark.check("sql.callproc_kparams")
def test_callproc_kparams(check: CheckRecorder, connection: BaseDatabaseWrapper) -> None:
    check.flag("supports_callproc_kwargs", connection.features.supports_callproc_kwargs)

    def call() -> None:
        with connection.cursor() as cursor:
            cursor.callproc("dbcompat_no_such_procedure", kparams={"value": 1})

    check.observe(outcome_of(call))
