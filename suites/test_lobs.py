"""Text columns as LOBs, and field names that are type names (the Oracle notes' limits, observed everywhere).

- ``lobs.distinct_with_text``: what ``distinct()`` on a model with a TextField does, and with ``defer()``
  of that field.
- ``lobs.index_on_text``: whether an index asked for on a TextField column exists afterwards.
- ``lobs.text_primary_key``: what a model with a TextField primary key does when created and saved.
- ``lobs.returning_into_off``: whether a row saved with OPTIONS use_returning_into False gets its pk.
- ``lobs.type_named_fields``: what saving a model whose fields are named date, timestamp, number and
  float does.
- ``postgresql-binding.server_side_binding``: whether ``SET lock_timeout = %s`` with a parameter behaves the
  same by default and with OPTIONS server_side_binding (what each did, the lock_timeout it read back or
  the error, is kept with the result). A server refuses a parameter in SET, so the statement tells a
  value bound by the client from one sent to the server.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.models import check_model
from suites.outcomes import outcome_of, value_or_error

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.backends import Backend
    from harness.fixtures import ConfigureConnection, CreateTables


@pytest.mark.check("lobs.distinct_with_text")
def test_distinct_with_text(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import models

    Note = check_model("Note", {"title": models.CharField(max_length=20), "body": models.TextField()})
    with check.step(f"create the table {Note._meta.db_table} and two equal rows"):
        tables(Note)
        Note.objects.create(title="a", body="x")
        Note.objects.create(title="a", body="x")
    check.observe(
        {
            "distinct": value_or_error(lambda: len(list(Note.objects.distinct()))),
            "distinct with defer(body)": value_or_error(
                lambda: len(list(Note.objects.defer("body").values("title").distinct()))
            ),
        }
    )


@pytest.mark.check("lobs.index_on_text")
def test_index_on_text(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db import models

    Indexed = check_model(
        "IndexedText",
        {"body": models.TextField()},
        indexes=[models.Index(fields=["body"], name="dbcompat_text_idx")],
    )
    # Creating the table is what is observed: a server that cannot index the column refuses it.
    created = outcome_of(lambda: tables(Indexed))
    check.note("create_table", created)
    exists = False
    if created == "ok":
        with check.step("read the table's indexes"), connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, Indexed._meta.db_table)
        exists = any(info["columns"] == ["body"] and info["index"] for info in constraints.values())
    flag = connection.features.supports_index_on_text_field
    check.flag("supports_index_on_text_field", flag, agrees=flag == exists)
    check.observe(exists)


@pytest.mark.check("lobs.type_named_fields")
def test_type_named_fields(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import models

    Typed = check_model(
        "TypeNamed",
        {
            "date": models.DateField(),
            "timestamp": models.IntegerField(),
            "number": models.IntegerField(),
            "float": models.FloatField(),
        },
    )

    # Creating the table (what migrate does) and saving a row are both what is observed.
    def save() -> None:
        tables(Typed)
        Typed.objects.create(date=date(2024, 1, 15), timestamp=1, number=2, float=3.5)

    check.observe(outcome_of(save))


@pytest.mark.check("postgresql-binding.server_side_binding")
def test_server_side_binding(
    check: CheckRecorder, backend: Backend, configured_connection: ConfigureConnection
) -> None:
    option = backend.server_side_binding_options()

    def set_with_parameter(wrapper: BaseDatabaseWrapper) -> str:
        def run() -> str:
            with wrapper.cursor() as cursor:
                cursor.execute("SET lock_timeout = %s", ["2s"])
                cursor.execute("SHOW lock_timeout")
                return str(cursor.fetchone()[0])

        return value_or_error(run)

    behaviours: dict[str, str] = {}
    for name, options in (("default", {}), ("server_side_binding", option)):
        with check.step(f"open a connection with OPTIONS {options!r}"):
            wrapper = configured_connection(OPTIONS=options)
            wrapper.ensure_connection()
        behaviours[name] = set_with_parameter(wrapper)
        check.note(f"SET lock_timeout = %s, then SHOW lock_timeout ({name})", behaviours[name])
    check.observe(behaviours["default"] == behaviours["server_side_binding"])


@pytest.mark.check("lobs.text_primary_key")
def test_text_primary_key(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import models

    Keyed = check_model("TextKeyed", {"key": models.TextField(primary_key=True)})

    # Creating the table and saving a row are both what is observed: either may be refused.
    def save() -> None:
        tables(Keyed)
        Keyed.objects.create(key="a")

    check.observe(outcome_of(save))


@pytest.mark.check("lobs.returning_into_off")
def test_returning_into_off(
    check: CheckRecorder, backend: Backend, configured_connection: ConfigureConnection, tables: CreateTables
) -> None:
    from django.db import connections

    from suites.models import Person

    options = backend.returning_into_off_options()
    with check.step(f"create the table {Person._meta.db_table}"):
        tables(Person)
    with check.step(f"open a connection with OPTIONS {options!r}"):
        wrapper = configured_connection(OPTIONS=options)
        wrapper.ensure_connection()
    connections[wrapper.alias] = wrapper  # so the ORM can use it, in this thread
    try:
        saved = Person.objects.using(wrapper.alias).create(name="returned")
        check.observe(saved.pk is not None and Person.objects.filter(pk=saved.pk).exists())
    finally:
        del connections[wrapper.alias]
