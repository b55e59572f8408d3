"""Collation and case sensitivity.

- ``collation.default``: the throwaway database's default collation. Where the docs say which collation
  a database created as they show gets (MySQL), the server is asked whether the docs' name is that same
  collation (an alias such as utf8 for utf8mb3, or a name the server maps to another): if so the
  observation is the docs' name, else the server's; both names are kept with the result.
- ``collation.exact_ignores_case``: whether ``filter(name="freD")`` finds "Fred".
- ``collation.unique_ignores_case``: what inserting "AA" next to "aa" in a unique column does.
- ``collation.contains_ignores_case``: whether ``name__contains="RE"`` finds "Fred".
- ``collation.iexact_non_ascii``: whether ``name__iexact="émile"`` finds "ÉMILE".
- ``collation.icontains_non_ascii``: whether ``name__icontains="mil"`` finds "ÉMILE" (ASCII inside) and
  ``name__icontains="émi"`` does (non-ASCII).
- ``collation.db_collation_case_sensitive``: with the case-sensitive collation the vendor documents set
  through ``db_collation``, whether ``exact`` is case-sensitive (or what creating the column does); the
  collation the column got, as the server names it, is kept with the result.
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
    from django.db.models import Model
    from packaging.version import Version

    from harness.backends import Backend
    from harness.fixtures import CreateTables


def django_release() -> Version:
    import django
    from packaging.version import Version

    return Version("{}.{}".format(*django.VERSION[:2]))


def column_collation(connection: BaseDatabaseWrapper, model: type[Model], column: str) -> str | None:
    """The collation of a column as the server names it; None where it is the table's default."""
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    (found,) = [info for info in description if info.name == column]
    return getattr(found, "collation", None)


def with_person(check: CheckRecorder, tables: CreateTables, name: str) -> None:
    with check.step(f"create the table {Person._meta.db_table} and the row {name!r}"):
        tables(Person)
        Person.objects.create(name=name)


@pytest.mark.check("collation.default")
def test_default(check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, tables: CreateTables) -> None:
    from django.db import models

    from harness.claims.collation import documented_default

    sql = backend.default_collation_sql()
    with check.step("read the database's default collation"), connection.cursor() as cursor:
        cursor.execute(sql)
        default = str(cursor.fetchone()[0])
    check.note("default collation, as the server names it", default)
    release = django_release()
    # Only where the docs show how to create the database (MySQL's CHARACTER SET) do they name its default.
    if backend.database_charset(release) is None:
        check.observe(default)
        return
    documented = documented_default(release)
    if documented == default:
        check.observe(default)
        return
    # Is the docs' name another name of the same collation? The server answers: a column given the docs'
    # collation has the table's default one (introspection says None) exactly when it resolves to it.
    Named = check_model("DocsCollation", {"name": models.CharField(max_length=10, db_collation=documented)})
    created = outcome_of(lambda: tables(Named))
    if created != "ok":
        check.note(f"{documented}, as the server takes it", created)
        check.observe(default)
        return
    with check.step(f"read the collation a column given {documented} has"):
        resolved = column_collation(connection, Named, "name")
    check.note(f"{documented}, as the server takes it", resolved or default)
    check.observe(documented if resolved is None else default)


@pytest.mark.check("collation.exact_ignores_case")
def test_exact_ignores_case(check: CheckRecorder, tables: CreateTables) -> None:
    with_person(check, tables, "Fred")
    check.observe(value_or_error(lambda: Person.objects.filter(name="freD").exists()))


@pytest.mark.check("collation.unique_ignores_case")
def test_unique_ignores_case(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import transaction

    with check.step(f"create the table {UniqueName._meta.db_table} and the row 'aa'"):
        tables(UniqueName)
        UniqueName.objects.create(name="aa")

    def insert() -> None:
        with transaction.atomic():
            UniqueName.objects.create(name="AA")

    check.observe(outcome_of(insert))


@pytest.mark.check("collation.contains_ignores_case")
def test_contains_ignores_case(check: CheckRecorder, tables: CreateTables) -> None:
    with_person(check, tables, "Fred")
    check.observe(value_or_error(lambda: Person.objects.filter(name__contains="RE").exists()))


@pytest.mark.check("collation.iexact_non_ascii")
def test_iexact_non_ascii(check: CheckRecorder, tables: CreateTables) -> None:
    with_person(check, tables, "ÉMILE")
    check.observe(value_or_error(lambda: Person.objects.filter(name__iexact="émile").exists()))


@pytest.mark.check("collation.db_collation_case_sensitive")
def test_db_collation_case_sensitive(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, tables: CreateTables
) -> None:
    from django.db import models

    check.flag("supports_collation_on_charfield", connection.features.supports_collation_on_charfield)
    collation = backend.case_sensitive_collation(django_release(), connection.features.test_collations)
    CasePerson = check_model("CasePerson", {"name": models.CharField(max_length=100, db_collation=collation)})
    check.note("db_collation", collation)
    # Creating the column is part of what is observed: it is the docs' recipe, and a server without
    # the collation refuses it.
    created = outcome_of(lambda: tables(CasePerson))
    if created != "ok":
        check.observe(created)
        return
    with check.step("read the collation the column has, as the server names it"):
        check.note("column collation, as the server names it", column_collation(connection, CasePerson, "name"))
    with check.step("create the row 'Fred'"):
        CasePerson.objects.create(name="Fred")
    check.observe(value_or_error(lambda: not CasePerson.objects.filter(name="freD").exists()))


@pytest.mark.check("collation.formset_unique_case")
def test_formset_unique_case(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import transaction
    from django.forms import modelformset_factory

    with check.step(f"create the table {UniqueName._meta.db_table}"):
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
    with_person(check, tables, "ÉMILE")
    check.observe(
        {
            "ascii": value_or_error(lambda: Person.objects.filter(name__icontains="mil").exists()),
            "non-ascii": value_or_error(lambda: Person.objects.filter(name__icontains="émi").exists()),
        }
    )
