"""Collation and case sensitivity.

- ``collation.default``: the throwaway database's default collation, as the server reports it.
- ``collation.exact_ignores_case``: whether ``filter(name="freD")`` finds "Fred".
- ``collation.unique_ignores_case``: what inserting "AA" next to "aa" in a unique column does.
- ``collation.contains_ignores_case``: whether ``name__contains="RE"`` finds "Fred".
- ``collation.iexact_non_ascii``: whether ``name__iexact="émile"`` finds "ÉMILE".
- ``collation.icontains_non_ascii``: whether ``name__icontains="mil"`` finds "ÉMILE" (ASCII inside) and
  ``name__icontains="émi"`` does (non-ASCII).
- ``collation.db_collation_case_sensitive``: with the case-sensitive collation the vendor documents set
  through ``db_collation``, whether ``exact`` is case-sensitive.
- ``collation.formset_unique_case``: a model formset with "aa" and "AA" for a unique field: whether it
  validates, and what ``save()`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.models import Person, UniqueName, check_model
from suites.outcomes import outcome_of, value_or_error

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.backends import Backend
    from harness.fixtures import CreateTables


@pytest.mark.check("collation.default")
def test_default(check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend) -> None:
    sql = backend.default_collation_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        check.observe(cursor.fetchone()[0])


@pytest.mark.check("collation.exact_ignores_case")
def test_exact_ignores_case(check: CheckRecorder, tables: CreateTables) -> None:
    tables(Person)
    Person.objects.create(name="Fred")
    check.observe(Person.objects.filter(name="freD").exists())


@pytest.mark.check("collation.unique_ignores_case")
def test_unique_ignores_case(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import transaction

    tables(UniqueName)
    UniqueName.objects.create(name="aa")

    def insert() -> None:
        with transaction.atomic():
            UniqueName.objects.create(name="AA")

    check.observe(outcome_of(insert))


@pytest.mark.check("collation.contains_ignores_case")
def test_contains_ignores_case(check: CheckRecorder, tables: CreateTables) -> None:
    tables(Person)
    Person.objects.create(name="Fred")
    check.observe(Person.objects.filter(name__contains="RE").exists())


@pytest.mark.check("collation.iexact_non_ascii")
def test_iexact_non_ascii(check: CheckRecorder, tables: CreateTables) -> None:
    tables(Person)
    Person.objects.create(name="ÉMILE")
    check.observe(Person.objects.filter(name__iexact="émile").exists())


@pytest.mark.check("collation.db_collation_case_sensitive")
def test_db_collation_case_sensitive(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, tables: CreateTables
) -> None:
    import django
    from django.db import models
    from packaging.version import Version

    release = Version("{}.{}".format(*django.VERSION[:2]))
    check.flag("supports_collation_on_charfield", connection.features.supports_collation_on_charfield)
    collation = backend.case_sensitive_collation(release, connection.features.test_collations)
    CasePerson = check_model("CasePerson", {"name": models.CharField(max_length=100, db_collation=collation)})
    check.note("db_collation", collation)

    def case_sensitive() -> bool:
        tables(CasePerson)
        CasePerson.objects.create(name="Fred")
        return not CasePerson.objects.filter(name="freD").exists()

    check.observe(value_or_error(case_sensitive))


@pytest.mark.check("collation.formset_unique_case")
def test_formset_unique_case(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import transaction
    from django.forms import modelformset_factory

    tables(UniqueName)
    formset_class = modelformset_factory(UniqueName, fields=["name"], extra=2)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-name": "aa",
        "form-1-name": "AA",
    }
    formset = formset_class(data, queryset=UniqueName.objects.none())
    valid = formset.is_valid()

    def save() -> None:
        with transaction.atomic():
            formset.save()

    check.observe({"valid": valid, "save": outcome_of(save) if valid else "not attempted"})


@pytest.mark.check("collation.icontains_non_ascii")
def test_icontains_non_ascii(check: CheckRecorder, tables: CreateTables) -> None:
    tables(Person)
    Person.objects.create(name="ÉMILE")
    check.observe(
        {
            "ascii": Person.objects.filter(name__icontains="mil").exists(),
            "non-ascii": Person.objects.filter(name__icontains="émi").exists(),
        }
    )
