"""The model field reference (ref/models/fields): what each backend does with the fields its caveats name.

The checks that read and write values share one table (suites/shared.py): a row with a start, an end and
the duration between them, a UUID, a date and a JSON value. A check whose field is the point (a CharField
without max_length, generated fields, ...) defines its model and creates its table itself; "Django's checks"
are the errors Django's system checks report for the model on this database (``Model.check()``), which is
how Django refuses a field the backend does not support before any SQL is sent; a check observes whether they
refuse it, and keeps their error ids.

- ``model-fields.charfield_without_max_length``: whether Django's checks refuse a CharField() without
  max_length, and whether its table stores 300 characters (or the error).
- ``model-fields.textfield_db_collation``: whether Django's checks refuse a TextField with a db_collation.
- ``model-fields.duration_storage``: the field type Django's introspection reads back for a DurationField's
  column (an interval type reads back as DurationField, a bigint as BigIntegerField).
- ``model-fields.duration_vs_datetime_arithmetic``: how many rows ``filter(duration=F("end") - F("start"))``
  finds where the duration is that difference (1).
- ``model-fields.json_key_order``: the keys of {"b": 1, "a": 2} in the order a JSONField reads them back.
- ``model-fields.json_scalar``: what saving the JSON scalar "text" in a JSONField and reading it back gives.
- ``model-fields.uuid_storage``: how a UUIDField's column holds the value: "uuid" where a raw SELECT gives the
  36-character hyphenated form (or a UUID object), "char(32)" where it gives 32 hex digits.
- ``model-fields.uuid_lookup_without_hyphens``: whether ``icontains`` of hex digits spanning a hyphen finds it.
- ``model-fields.datefield_plus_timedelta``: the type of ``F("day") + timedelta(days=1)``: "date" or
  "datetime".
- ``model-fields.generated_field``: for GeneratedField(db_persist=True) and (db_persist=False): whether
  Django's checks refuse it, else the value read back (3 for a + 1 with a = 2) or the error (Django 5.0+).
- ``model-fields.generated_field_refreshed``: whether a GeneratedField's value is on the instance after
  ``save()`` without a query (Django 6.0+).
- ``model-fields.decimal_without_precision``: whether Django's checks refuse DecimalField() without max_digits
  and decimal_places, else whether its table keeps 12.5 (or the error).
- ``model-fields.db_on_delete_set_default``: whether Django's checks refuse a ForeignKey with
  on_delete=DB_SET_DEFAULT and db_default=1, else the child's reference after its parent 2 is deleted
  (Django 6.1+).
- ``model-fields.db_comment``: the comment the server reports on a column created with db_comment.
- ``model-fields.db_default``: whether a db_default of an expression (Now()) is set by the database for a
  row saved through the ORM and for one inserted by raw SQL that names no value (Django 5.0+).
- ``model-fields.datefield_integer_arithmetic``: the docs' ``ExpressionWrapper(F("day") - 1,
  output_field=DateField())`` for the day 2024-01-15: the type of the value read back and the value
  ({"type": "date", "value": "2024-01-14"} for the day before), or the error.
- ``model-fields.generated_field_immutable``: for GeneratedField(expression=Now()) (stored where Django's
  features support stored generated columns, else virtual): whether Django's checks refuse it, else what
  creating its table does, "ok" or the error (Django 5.0+).
- ``model-fields.json_gin_index``: adding django.contrib.postgres's GinIndex(fields=["data"]) to the JSONField's
  column with Django's schema editor (as the AddIndex operation does): the index type Django's introspection
  reads back ("gin" for a GIN index), or the error.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from harness.checks import CheckRecorder
from suites.models import check_model, related_check_models
from suites.outcomes import outcome_of, value_or_error
from suites.shared import SharedTables, optional, shared_fixture

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Model

    from harness.backends import Backend
    from harness.fixtures import CreateTables

UUID = uuid.UUID("550e8400-e29b-41d4-a716-446655440000")
START = datetime(2024, 1, 15, 10, 0, tzinfo=UTC)
END = datetime(2024, 1, 15, 12, 30, tzinfo=UTC)


def json_supported() -> bool:
    from django.db import connection

    return bool(connection.features.supports_json_field)


def _kinds() -> type[Model]:
    from django.db import models

    # The JSON column only where the backend has JSON (a table with one could not be created elsewhere).
    json = {"data": models.JSONField(null=True)} if json_supported() else {}
    return check_model(
        "FieldKinds",
        {
            "start": models.DateTimeField(),
            "end": models.DateTimeField(),
            "duration": models.DurationField(),
            "key": models.UUIDField(),
            "day": models.DateField(),
            **json,
        },
    )


KINDS: dict[str, type[Model]] = {}


def _kinds_model() -> type[Model]:
    if "model" not in KINDS:
        KINDS["model"] = _kinds()
    return KINDS["model"]


def _fill() -> None:
    json = {"data": {"b": 1, "a": 2}} if json_supported() else {}
    _kinds_model().objects.create(
        pk=1, start=START, end=END, duration=END - START, key=UUID, day=date(2024, 1, 15), **json
    )


SHARED = SharedTables("the table the field checks share, and its row", lambda: [_kinds_model()], _fill)


@pytest.fixture(scope="module")
def shared_tables() -> Iterator[SharedTables]:
    yield from shared_fixture(SHARED)


@pytest.fixture
def kinds(check: CheckRecorder, shared_tables: SharedTables) -> type[Model]:
    shared_tables.ready(check)
    return _kinds_model()


def django_checks(model: type[Model]) -> list[str]:
    """The ids of the errors Django's system checks report for the model on the cell's database."""
    from django.core import checks

    return sorted(error.id for error in model.check(databases=["default"]) if error.level >= checks.ERROR)


def refused(check: CheckRecorder, model: type[Model]) -> bool | str:
    """Whether Django's system checks refuse the model on this database (their error ids are kept), or the
    class of what they raised."""
    errors = value_or_error(lambda: django_checks(model))
    check.note(f"Django's checks of {model.__name__}", errors)
    return errors if isinstance(errors, str) else bool(errors)


REFUSED = "refused by Django's checks"


@pytest.mark.check("model-fields.charfield_without_max_length")
def test_charfield_without_max_length(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import models

    Unlimited = check_model("Unlimited", {"name": models.CharField()})

    def store() -> bool:
        tables(Unlimited)
        saved = Unlimited.objects.create(name="x" * 300)
        return len(Unlimited.objects.get(pk=saved.pk).name) == 300

    check.observe({REFUSED: refused(check, Unlimited), "stores 300 characters": value_or_error(store)})


@pytest.mark.check("model-fields.textfield_db_collation")
def test_textfield_db_collation(check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend) -> None:
    from django.db import models

    from suites.test_collation import django_release

    collation = backend.case_sensitive_collation(django_release(), connection.features.test_collations)
    check.note("db_collation", collation)
    Collated = check_model("CollatedText", {"body": models.TextField(db_collation=collation)})
    check.flag("supports_collation_on_textfield", connection.features.supports_collation_on_textfield)
    check.observe(refused(check, Collated))


@pytest.mark.check("model-fields.duration_storage")
def test_duration_storage(check: CheckRecorder, connection: BaseDatabaseWrapper, kinds: type[Model]) -> None:
    with check.step("read the table's description"), connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, kinds._meta.db_table)
    (column,) = [info for info in description if info.name == "duration"]
    check.note("type_code", str(column.type_code))
    check.observe(value_or_error(lambda: connection.introspection.get_field_type(column.type_code, column)))


@pytest.mark.check("model-fields.duration_vs_datetime_arithmetic")
def test_duration_vs_datetime_arithmetic(check: CheckRecorder, kinds: type[Model]) -> None:
    from django.db.models import F

    check.observe(value_or_error(lambda: kinds.objects.filter(duration=F("end") - F("start")).count()))


def json_needed(check: CheckRecorder) -> None:
    if not json_supported():
        check.not_applicable("Django reports no JSON support on this backend (supports_json_field is False).")


@pytest.mark.check("model-fields.json_key_order")
def test_json_key_order(check: CheckRecorder, kinds: type[Model]) -> None:
    json_needed(check)
    check.observe(value_or_error(lambda: list(kinds.objects.get(pk=1).data)))


@pytest.mark.check("model-fields.json_scalar")
def test_json_scalar(check: CheckRecorder, kinds: type[Model]) -> None:
    from suites.shared import rolled_back

    json_needed(check)

    def round_trip() -> Any:
        saved = kinds.objects.create(
            pk=2, start=START, end=END, duration=END - START, key=UUID, day=date(2024, 1, 15), data="text"
        )
        return kinds.objects.get(pk=saved.pk).data

    with rolled_back(check):
        check.observe(value_or_error(round_trip))


@pytest.mark.check("model-fields.uuid_storage")
def test_uuid_storage(check: CheckRecorder, connection: BaseDatabaseWrapper, kinds: type[Model]) -> None:
    table, column = connection.ops.quote_name(kinds._meta.db_table), connection.ops.quote_name("key")
    with check.step("read the column with raw SQL"), connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")
        raw = cursor.fetchone()[0]
    text = str(raw)
    check.note("raw value", text)
    check.flag("has_native_uuid_field", connection.features.has_native_uuid_field)
    check.observe("uuid" if text == str(UUID) else "char(32)" if text == UUID.hex else text)


@pytest.mark.check("model-fields.uuid_lookup_without_hyphens")
def test_uuid_lookup_without_hyphens(check: CheckRecorder, kinds: type[Model]) -> None:
    # 8400e29b: the end of the first group and the second group, without the hyphen between them.
    check.observe(value_or_error(lambda: kinds.objects.filter(key__icontains="8400e29b").exists()))


@pytest.mark.check("model-fields.datefield_plus_timedelta")
def test_datefield_plus_timedelta(check: CheckRecorder, kinds: type[Model]) -> None:
    from django.db.models import F

    value = value_or_error(
        lambda: kinds.objects.annotate(next=F("day") + timedelta(days=1)).values_list("next", flat=True).get()
    )
    check.note("value", str(value))
    check.observe("datetime" if isinstance(value, datetime) else "date" if isinstance(value, date) else value)


def _generated(check: CheckRecorder, tables: CreateTables, persist: bool) -> Any:
    from django.db import models

    generated = optional("GeneratedField")
    name = "Stored" if persist else "Virtual"
    model = check_model(
        f"Generated{name}",
        {
            "a": models.IntegerField(),
            "plus_one": generated(expression=models.F("a") + 1, output_field=models.IntegerField(), db_persist=persist),
        },
    )
    refusal = refused(check, model)
    if refusal:
        return REFUSED if refusal is True else refusal

    def read() -> Any:
        tables(model)
        saved = model.objects.create(a=2)
        return model.objects.get(pk=saved.pk).plus_one

    return value_or_error(read)


@pytest.mark.check("model-fields.generated_field")
def test_generated_field(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    if optional("GeneratedField") is None:
        check.not_applicable("This Django has no GeneratedField (added in Django 5.0).")
    features = connection.features
    check.flag("supports_stored_generated_columns", features.supports_stored_generated_columns)
    check.flag("supports_virtual_generated_columns", features.supports_virtual_generated_columns)
    check.observe({"stored": _generated(check, tables, True), "virtual": _generated(check, tables, False)})


@pytest.mark.check("model-fields.generated_field_refreshed")
def test_generated_field_refreshed(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import models

    from suites.shared import django_version

    generated = optional("GeneratedField")
    if generated is None or django_version() < (6, 0):
        check.not_applicable("GeneratedFields are refreshed on save() from Django 6.0; this Django is older.")
    Refreshed = check_model(
        "GeneratedRefreshed",
        {
            "a": models.IntegerField(),
            "plus_one": generated(expression=models.F("a") + 1, output_field=models.IntegerField(), db_persist=True),
        },
    )
    with check.step(f"create the table {Refreshed._meta.db_table}"):
        tables(Refreshed)
    saved = Refreshed(a=2)
    created = outcome_of(saved.save)
    if created != "ok":
        check.observe(created)
        return
    check.note("value after save()", saved.__dict__.get("plus_one"))
    check.observe("plus_one" in saved.__dict__)


@pytest.mark.check("model-fields.decimal_without_precision")
def test_decimal_without_precision(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import models

    Imprecise = check_model("Imprecise", {"value": models.DecimalField()})
    refusal = refused(check, Imprecise)
    if refusal:
        check.observe(REFUSED if refusal is True else refusal)
        return

    def keeps() -> bool:
        tables(Imprecise)
        saved = Imprecise.objects.create(value=Decimal("12.5"))
        return bool(Imprecise.objects.get(pk=saved.pk).value == Decimal("12.5"))

    check.observe(value_or_error(keeps))


@pytest.mark.check("model-fields.db_on_delete_set_default")
def test_db_on_delete_set_default(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import models

    set_default = optional("DB_SET_DEFAULT")
    if set_default is None:
        check.not_applicable("This Django has no database-level on_delete (DB_SET_DEFAULT, added in Django 6.1).")
    Parent, Child = related_check_models(
        ("DbParent", lambda made: {}),
        (
            "DbChild",
            lambda made: {
                "parent": models.ForeignKey(made["DbParent"], on_delete=set_default, db_default=1, null=True)
            },
        ),
    )
    refusal = refused(check, Child)
    if refusal:
        check.observe(REFUSED if refusal is True else refusal)
        return

    def after_delete() -> Any:
        tables(Parent, Child)
        Parent.objects.create(pk=1)
        Parent.objects.create(pk=2)
        child = Child.objects.create(parent_id=2)
        Parent.objects.filter(pk=2).delete()
        return Child.objects.values_list("parent_id", flat=True).get(pk=child.pk)

    check.observe(value_or_error(after_delete))


@pytest.mark.check("model-fields.db_comment")
def test_db_comment(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db import models

    Commented = check_model("Commented", {"title": models.CharField(max_length=20, db_comment="The title")})
    check.flag("supports_comments", connection.features.supports_comments)
    # Creating the table is part of what is observed: the comment is written as it is created.
    created = outcome_of(lambda: tables(Commented))
    if created != "ok":
        check.observe(created)
        return
    with check.step("read the table's description"), connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, Commented._meta.db_table)
    (column,) = [info for info in description if info.name == "title"]
    check.observe(getattr(column, "comment", None) or None)


@pytest.mark.check("model-fields.db_default")
def test_db_default(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db import models
    from django.db.models.functions import Now

    if optional("DatabaseDefault", "django.db.models.expressions") is None:
        check.not_applicable("This Django has no Field.db_default (added in Django 5.0).")
    Defaulted = check_model(
        "Defaulted", {"name": models.CharField(max_length=10), "created": models.DateTimeField(db_default=Now())}
    )
    with check.step(f"create the table {Defaulted._meta.db_table}"):
        tables(Defaulted)
    table, name = connection.ops.quote_name(Defaulted._meta.db_table), connection.ops.quote_name("name")

    def orm() -> bool:
        saved = Defaulted.objects.create(name="orm")
        return Defaulted.objects.get(pk=saved.pk).created is not None

    def raw() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({name}) VALUES (%s)", ["raw"])
        return Defaulted.objects.get(name="raw").created is not None

    check.observe({"ORM": value_or_error(orm), "raw SQL": value_or_error(raw)})


@pytest.mark.check("model-fields.datefield_integer_arithmetic")
def test_datefield_integer_arithmetic(check: CheckRecorder, kinds: type[Model]) -> None:
    from django.db.models import DateField, ExpressionWrapper, F

    def previous_day() -> dict[str, str]:
        previous = ExpressionWrapper(F("day") - 1, output_field=DateField())
        value = kinds.objects.annotate(previous_day=previous).values_list("previous_day", flat=True).get()
        return {"type": type(value).__name__, "value": str(value)}

    check.observe(value_or_error(previous_day))


@pytest.mark.check("model-fields.generated_field_immutable")
def test_generated_field_immutable(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db import models
    from django.db.models.functions import Now

    generated = optional("GeneratedField")
    if generated is None:
        check.not_applicable("This Django has no GeneratedField (added in Django 5.0).")
    persist = bool(connection.features.supports_stored_generated_columns)
    check.flag("supports_stored_generated_columns", persist)
    check.note("db_persist", persist)
    Stamped = check_model(
        "GeneratedNow",
        {"at": generated(expression=Now(), output_field=models.DateTimeField(), db_persist=persist)},
    )
    refusal = refused(check, Stamped)
    if refusal:
        check.observe(REFUSED if refusal is True else refusal)
        return
    # Creating the table is what is observed: the server judges the generation expression then.
    check.observe(outcome_of(lambda: tables(Stamped)))


@pytest.mark.check("model-fields.json_gin_index")
def test_json_gin_index(check: CheckRecorder, connection: BaseDatabaseWrapper, kinds: type[Model]) -> None:
    from suites.test_indexes import add, found, postgres_index

    json_needed(check)
    gin_index = postgres_index(check, "GinIndex")
    added, _ = add(check, kinds, gin_index(fields=["data"], name="dbc_json_gin"))
    if added != "ok":
        check.observe(added)
        return
    with check.step("read the table's indexes"):
        info = found(connection, kinds, "dbc_json_gin")
    check.observe(info.get("type") if info is not None else None)
