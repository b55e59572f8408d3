"""The constraints reference (ref/models/constraints): what each backend does with the constraints it names.

Each check creates a table whose model has the constraint (Django's schema editor, as migrate does) and
inserts the rows that test it, in a transaction that is rolled back.

- ``constraints.check_enforced``: what inserting a row that breaks CheckConstraint(age >= 0) does.
- ``constraints.check_null``: with CheckConstraint(age >= 18) on a nullable age and a row whose age is NULL:
  whether ``validate()`` accepts the row, and whether the database does.
- ``constraints.unique_deferrable``: with UniqueConstraint(n, deferrable=DEFERRED) and a row n=1: what inserting
  a second n=1 does inside the transaction, and what its commit does.
- ``constraints.unique_include``: what inserting a duplicate n does with UniqueConstraint(n, include=[m]).
- ``constraints.unique_opclasses``: what inserting a duplicate name does with
  UniqueConstraint(name, opclasses=["varchar_pattern_ops"]).
- ``constraints.unique_nulls_distinct``: with UniqueConstraint(n, nulls_distinct=False), what inserting a second
  NULL does, and a second 1 (Django 5.0+).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from harness.checks import CheckRecorder
from suites.models import check_model
from suites.outcomes import outcome_of
from suites.shared import django_version, rolled_back

if TYPE_CHECKING:
    from django.db.models import Model

    from harness.fixtures import CreateTables


def check_constraint(condition: Any, name: str) -> Any:
    """CheckConstraint(condition=...) (Django 5.1+), check=... before it."""
    from django.db.models import CheckConstraint

    keyword = "condition" if django_version() >= (5, 1) else "check"
    return CheckConstraint(**{keyword: condition, "name": name})


def with_table(check: CheckRecorder, tables: CreateTables, name: str, fields: dict[str, Any], *constraints: Any) -> Any:
    model = check_model(name, fields, constraints=list(constraints))
    with check.step(f"create the table {model._meta.db_table} with its constraint"):
        tables(model)
    return model


def insert(model: type[Model], **values: Any) -> str:
    """ "ok", or the class of what inserting the row raised (in a savepoint, so the transaction goes on)."""
    from django.db import transaction

    def run() -> None:
        with transaction.atomic():
            model.objects.create(**values)

    return outcome_of(run)


@pytest.mark.check("constraints.check_enforced")
def test_check_enforced(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import connection, models
    from django.db.models import Q

    Aged = with_table(
        check, tables, "CheckAged", {"age": models.IntegerField()}, check_constraint(Q(age__gte=0), "dbc_age_gte_0")
    )
    check.flag("supports_table_check_constraints", connection.features.supports_table_check_constraints)
    with rolled_back(check):
        check.observe(insert(Aged, age=-1))


@pytest.mark.check("constraints.check_null")
def test_check_null(check: CheckRecorder, tables: CreateTables) -> None:
    from django.core.exceptions import ValidationError
    from django.db import models
    from django.db.models import Q

    constraint = check_constraint(Q(age__gte=18), "dbc_adult")
    Adult = with_table(check, tables, "CheckAdult", {"age": models.IntegerField(null=True)}, constraint)
    row = Adult(age=None)
    try:
        constraint.validate(Adult, row)
    except ValidationError:
        validates = False
    else:
        validates = True
    with rolled_back(check):
        stored = insert(Adult, age=None)
    check.observe({"validate() accepts": validates, "database accepts": stored == "ok"})
    check.note("insert", stored)


@pytest.mark.check("constraints.unique_deferrable")
def test_unique_deferrable(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import connection, models, transaction
    from django.db.models import Deferrable, UniqueConstraint

    Deferred = with_table(
        check,
        tables,
        "UniqueDeferred",
        {"n": models.IntegerField()},
        UniqueConstraint(fields=["n"], name="dbc_n_deferred", deferrable=Deferrable.DEFERRED),
    )
    check.flag("supports_deferrable_unique_constraints", connection.features.supports_deferrable_unique_constraints)
    with check.step("create the row n=1"):
        Deferred.objects.create(n=1)
    inside: list[str] = []

    def transaction_with_duplicate() -> None:
        with transaction.atomic():
            inside.append(outcome_of(lambda: Deferred.objects.create(n=1)))

    at_commit = outcome_of(transaction_with_duplicate)
    check.observe({"inside the transaction": inside[0] if inside else None, "at commit": at_commit})


@pytest.mark.check("constraints.unique_include")
def test_unique_include(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import models
    from django.db.models import UniqueConstraint

    Covering = with_table(
        check,
        tables,
        "UniqueCovering",
        {"n": models.IntegerField(), "m": models.IntegerField()},
        UniqueConstraint(fields=["n"], name="dbc_n_include", include=["m"]),
    )
    with rolled_back(check):
        with check.step("create the row n=1"):
            Covering.objects.create(n=1, m=1)
        check.observe(insert(Covering, n=1, m=2))


@pytest.mark.check("constraints.unique_opclasses")
def test_unique_opclasses(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import models
    from django.db.models import UniqueConstraint

    Classed = with_table(
        check,
        tables,
        "UniqueOpclass",
        {"name": models.CharField(max_length=20)},
        UniqueConstraint(fields=["name"], name="dbc_name_opclass", opclasses=["varchar_pattern_ops"]),
    )
    with rolled_back(check):
        with check.step("create the row name='a'"):
            Classed.objects.create(name="a")
        check.observe(insert(Classed, name="a"))


@pytest.mark.check("constraints.unique_nulls_distinct")
def test_unique_nulls_distinct(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import connection, models
    from django.db.models import UniqueConstraint

    if django_version() < (5, 0):
        check.not_applicable("This Django's UniqueConstraint has no nulls_distinct (added in Django 5.0).")
    Nulls = with_table(
        check,
        tables,
        "UniqueNulls",
        {"n": models.IntegerField(null=True)},
        UniqueConstraint(fields=["n"], name="dbc_n_nulls", nulls_distinct=False),
    )
    check.flag(
        "supports_nulls_distinct_unique_constraints", connection.features.supports_nulls_distinct_unique_constraints
    )
    with rolled_back(check):
        with check.step("create the rows n=NULL and n=1"):
            Nulls.objects.create(n=None)
            Nulls.objects.create(n=1)
        check.observe({"second NULL": insert(Nulls, n=None), "second 1": insert(Nulls, n=1)})
