"""Fields: what each backend keeps of the values Django writes.

- ``fields.decimal_19_digits``: whether a DecimalField reads back 1234567890.123456789 exactly.
- ``fields.decimal_sum``: whether the SUM of two such values is exactly twice the value.
- ``fields.json_round_trip``: whether a JSONField reads back a nested value exactly.
- ``fields.datetime_microseconds``: the microseconds a DateTimeField reads back of 10:00:00.123456.
- ``fields.overlong_string``: what saving 30 characters in a CharField(max_length=10) does (on MySQL and
  MariaDB, not applicable where the server's sql_mode has no strict mode).
- ``fields.overlong_string_non_strict``: the length kept of 30 characters in a CharField(max_length=10),
  written with MySQL's strict mode off.
- ``fields.text_unique``: what creating a table with a TextField(unique=True) does.
- ``fields.longest_unique_varchar``: the longest of 255, 500, 768, 1000, 2000 a unique CharField can be.
- ``fields.char_db_index_indexes``: how many indexes a CharField(db_index=True) gets.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.models import Amount, Document, Moment, Short, check_model
from suites.outcomes import outcome_of, value_or_error

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.backends import Backend
    from harness.fixtures import ConfigureConnection, CreateTables

DIGITS_19 = Decimal("1234567890.123456789")
NESTED = {"a": [1, 2.5, None, "x"], "b": {"c": True, "d": "Zoë"}}
# MySQL's strict modes, either of which makes truncation upon insertion an error (MySQL notes > Setting sql_mode).
STRICT_MODES = {"STRICT_TRANS_TABLES", "STRICT_ALL_TABLES"}


@pytest.mark.check("fields.decimal_19_digits")
def test_decimal_19_digits(check: CheckRecorder, tables: CreateTables) -> None:
    with check.step(f"create the table {Amount._meta.db_table}"):
        tables(Amount)
    saved = Amount.objects.create(value=DIGITS_19)
    read = Amount.objects.get(pk=saved.pk).value
    check.note("read_back", str(read))
    check.observe(read == DIGITS_19)


@pytest.mark.check("fields.json_round_trip")
def test_json_round_trip(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    supported = connection.features.supports_json_field
    check.flag("supports_json_field", supported)
    if not supported:
        check.not_applicable("Django reports no JSON support on this backend (supports_json_field is False).")
    with check.step(f"create the table {Document._meta.db_table}"):
        tables(Document)

    def round_trip() -> bool:
        saved = Document.objects.create(data=NESTED)
        return bool(Document.objects.get(pk=saved.pk).data == NESTED)

    same = value_or_error(round_trip)
    check.flag("supports_json_field", supported, agrees=same is True)
    check.observe(same)


@pytest.mark.check("fields.datetime_microseconds")
def test_datetime_microseconds(check: CheckRecorder, tables: CreateTables) -> None:
    with check.step(f"create the table {Moment._meta.db_table}"):
        tables(Moment)
    saved = Moment.objects.create(at=datetime(2024, 1, 15, 10, 0, 0, 123456, tzinfo=UTC))
    check.observe(Moment.objects.get(pk=saved.pk).at.microsecond)


@pytest.mark.check("fields.overlong_string")
def test_overlong_string(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db import transaction

    if hasattr(connection, "sql_mode"):  # Django's MySQL backends read the session's sql_mode
        with check.step("read the session's sql_mode"):
            modes = sorted(connection.sql_mode)
        check.note("sql_mode", ",".join(modes))
        if not STRICT_MODES & set(modes):
            check.not_applicable(
                "The server's sql_mode has neither STRICT_TRANS_TABLES nor STRICT_ALL_TABLES, so it is not the "
                "default sql_mode the docs speak of."
            )
    with check.step(f"create the table {Short._meta.db_table}"):
        tables(Short)

    def save() -> None:
        with transaction.atomic():
            Short.objects.create(name="x" * 30)

    check.observe(outcome_of(save))


@pytest.mark.check("fields.text_unique")
def test_text_unique(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import models

    UniqueText = check_model("UniqueText", {"body": models.TextField(unique=True)})
    check.observe(outcome_of(lambda: tables(UniqueText)))


@pytest.mark.check("fields.char_db_index_indexes")
def test_char_db_index_indexes(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db import models

    # A managed model: Django's schema editor creates no indexes for unmanaged ones.
    Indexed = check_model("Indexed", {"code": models.CharField(max_length=20, db_index=True)})
    tables(Indexed)
    with check.step("read the table's indexes"), connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Indexed._meta.db_table)
    on_code = [
        name
        for name, info in constraints.items()
        if info["columns"] == ["code"] and info["index"] and not info["primary_key"]
    ]
    check.note("indexes", sorted(on_code))
    check.observe(len(on_code))


@pytest.mark.check("fields.longest_unique_varchar")
def test_longest_unique_varchar(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import models

    longest = 0
    for length in (255, 500, 768, 1000, 2000):
        model = check_model(f"UniqueChars{length}", {"name": models.CharField(max_length=length, unique=True)})
        if outcome_of(lambda model=model: tables(model)) != "ok":  # type: ignore[misc]
            break
        longest = length
    check.note("lengths_tried", [255, 500, 768, 1000, 2000])
    check.observe(longest)


@pytest.mark.check("fields.overlong_string_non_strict")
def test_overlong_string_non_strict(
    check: CheckRecorder,
    connection: BaseDatabaseWrapper,
    backend: Backend,
    tables: CreateTables,
    configured_connection: ConfigureConnection,
) -> None:
    command = backend.non_strict_init_command()
    with check.step(f"create the table {Short._meta.db_table}"):
        tables(Short)
    check.note("init_command", command)
    with check.step(f"open a connection with init_command {command!r}"):
        wrapper = configured_connection(OPTIONS={"init_command": command})
        wrapper.ensure_connection()
    table, column = connection.ops.quote_name(Short._meta.db_table), connection.ops.quote_name("name")

    def insert() -> None:
        with wrapper.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({column}) VALUES (%s)", ["x" * 30])

    inserted = outcome_of(insert)
    if inserted != "ok":
        check.observe(inserted)
        return
    with check.step("read the row back"):
        kept = len(Short.objects.get().name)
    check.observe(kept)


@pytest.mark.check("fields.decimal_sum")
def test_decimal_sum(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db.models import Sum

    with check.step(f"create the table {Amount._meta.db_table} and two rows of {DIGITS_19}"):
        tables(Amount)
        for _ in range(2):
            Amount.objects.create(value=DIGITS_19)
    total = Amount.objects.aggregate(total=Sum("value"))["total"]
    check.note("sum", str(total))
    check.observe(total == DIGITS_19 * 2)
