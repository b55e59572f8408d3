"""Database functions (ref/models/database-functions): what each backend returns where the docs name a backend.

The checks share one table (suites/shared.py): rows 1, 2 and 3 named "Fred", "Émile" and "Zoë", with n 1, 2
and 3, a NULL in a nullable column, and row 1 at 2024-01-15 23:30 UTC.

- ``functions.greatest_least_null``: Greatest(1, NULL, 3) and Least(1, NULL, 3).
- ``functions.nullif_char``: NullIf of two equal CharField values ("NULL" for None).
- ``functions.nullif_null_first``: NullIf(Value(None), name): the value ("NULL" for None), or the error.
- ``functions.now_statement_time``: in one transaction, whether Now() in a second statement is later than in the
  first (5 ms apart).
- ``functions.now_precision``: the precision of Now() values read back: "microseconds", "milliseconds" or
  "seconds" (the finest any of five values shows).
- ``functions.truncdate_time_zone``: TruncDate(at, tzinfo=Europe/Paris) of 23:30 UTC on January 15 (not
  applicable where Django says the server's time zone tables are not loaded).
- ``functions.collate_nocase``: whether ``filter(name=Collate(Value("FRED"), "nocase"))`` finds "Fred".
- ``functions.collate_icu``: what ``order_by(Collate("name", "et-x-icu"))`` does ("ok" or the error).
- ``functions.sha224``: SHA224("abc"), or the error.
- ``functions.strindex_case``: StrIndex(name, "RE") for "Fred".
- ``functions.lag_default``: Lag(n, default=0) over the rows in order: the values, or the error.
- ``functions.nth_value_missing``: NthValue(name, nth=5) of the first row (there are three): the value.
- ``functions.cast``: the value Cast(n, FloatField()) gives for n=1, and the type Cast to a DecimalField gives.
- ``functions.uuid4``: the version of the UUID UUID4() gives, or the error (Django 6.1+).
- ``functions.uuid7``: the version of the UUID UUID7() gives, or the error (Django 6.1+).
- ``functions.uuid7_shift``: how many hours later the timestamp of UUID7(shift=timedelta(days=1)) is than that of
  UUID7() in the same row, or the error (Django 6.1+).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

from harness.checks import CheckRecorder
from suites.models import check_model
from suites.outcomes import value_or_error
from suites.shared import SharedTables, optional, rolled_back, shared_fixture

if TYPE_CHECKING:
    from django.db.models import Model

MODELS: dict[str, type[Model]] = {}


def _table() -> type[Model]:
    from django.db import models

    if "table" not in MODELS:
        MODELS["table"] = check_model(
            "FunctionRows",
            {
                "name": models.CharField(max_length=20),
                "n": models.IntegerField(),
                "nothing": models.IntegerField(null=True),
                "at": models.DateTimeField(null=True),
            },
        )
    return MODELS["table"]


def _fill() -> None:
    for pk, name in ((1, "Fred"), (2, "Émile"), (3, "Zoë")):
        _table().objects.create(
            pk=pk, name=name, n=pk, at=datetime(2024, 1, 15, 23, 30, tzinfo=UTC) if pk == 1 else None
        )


SHARED = SharedTables("the table the function checks share, and its rows", lambda: [_table()], _fill)


@pytest.fixture(scope="module")
def shared_tables() -> Iterator[SharedTables]:
    yield from shared_fixture(SHARED)


@pytest.fixture
def rows(check: CheckRecorder, shared_tables: SharedTables) -> type[Model]:
    shared_tables.ready(check)
    return _table()


def first(model: type[Model], **annotations: Any) -> Any:
    """The annotations of row 1, or the class of what evaluating them raised."""
    names = list(annotations)
    values = value_or_error(lambda: model.objects.filter(pk=1).annotate(**annotations).values(*names).get())
    return values if isinstance(values, str) else {name: values[name] for name in names}


def as_null(value: Any) -> Any:
    """The value, "NULL" for None (the observation of a SQL NULL)."""
    return "NULL" if value is None else value


@pytest.mark.check("functions.greatest_least_null")
def test_greatest_least_null(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db.models import F, Value
    from django.db.models.functions import Greatest, Least

    check.observe(
        first(
            rows,
            Greatest=Greatest(Value(1), F("nothing"), Value(3)),
            Least=Least(Value(1), F("nothing"), Value(3)),
        )
    )


@pytest.mark.check("functions.nullif_char")
def test_nullif_char(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db.models import F
    from django.db.models.functions import NullIf

    found = first(rows, same=NullIf(F("name"), F("name")))
    check.observe(found if isinstance(found, str) else as_null(found["same"]))


@pytest.mark.check("functions.nullif_null_first")
def test_nullif_null_first(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db.models import CharField, F, Value
    from django.db.models.functions import NullIf

    found = value_or_error(lambda: first(rows, value=NullIf(Value(None, output_field=CharField()), F("name"))))
    check.observe(found if isinstance(found, str) else as_null(found["value"]))


@pytest.mark.check("functions.now_statement_time")
def test_now_statement_time(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db.models.functions import Now

    def now() -> datetime:
        return rows.objects.filter(pk=1).annotate(now=Now()).values_list("now", flat=True).get()  # type: ignore[no-any-return]

    with rolled_back(check):
        earlier = value_or_error(now)
        time.sleep(0.005)
        later = value_or_error(now)
    if isinstance(earlier, str) or isinstance(later, str):
        check.observe(earlier if isinstance(earlier, str) else later)
        return
    check.note("Now() values", [earlier.isoformat(), later.isoformat()])
    check.observe(later > earlier)


@pytest.mark.check("functions.now_precision")
def test_now_precision(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db.models.functions import Now

    values = []
    for _ in range(5):
        value = value_or_error(
            lambda: rows.objects.filter(pk=1).annotate(now=Now()).values_list("now", flat=True).get()
        )
        if isinstance(value, str):
            check.observe(value)
            return
        values.append(value)
    check.note("Now() values", [value.isoformat() for value in values])
    micros = [value.microsecond for value in values]
    if any(m % 1000 for m in micros):
        check.observe("microseconds")
    elif any(micros):
        check.observe("milliseconds")
    else:
        check.observe("seconds")


@pytest.mark.check("functions.truncdate_time_zone")
def test_truncdate_time_zone(check: CheckRecorder, connection: Any, rows: type[Model]) -> None:
    from zoneinfo import ZoneInfo

    from django.db.models.functions import TruncDate

    # Django's MySQL backend says whether the server's time zone tables are loaded, which converting needs.
    loaded = getattr(connection.features, "has_zoneinfo_database", True)
    check.flag("has_zoneinfo_database", loaded)
    if not loaded:
        check.not_applicable(
            "Django reports the server's time zone tables are not loaded (has_zoneinfo_database is False), which "
            "converting to a named time zone needs."
        )
    found = first(rows, day=TruncDate("at", tzinfo=ZoneInfo("Europe/Paris")))
    check.observe(found if isinstance(found, str) else str(found["day"]))


@pytest.mark.check("functions.collate_nocase")
def test_collate_nocase(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db.models import Value
    from django.db.models.functions import Collate

    check.observe(value_or_error(lambda: rows.objects.filter(name=Collate(Value("FRED"), "nocase")).exists()))


@pytest.mark.check("functions.collate_icu")
def test_collate_icu(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db.models.functions import Collate

    ordered = value_or_error(
        lambda: list(rows.objects.order_by(Collate("name", "et-x-icu")).values_list("name", flat=True))
    )
    if not isinstance(ordered, str):
        check.note("order", ordered)
    check.observe("ok" if isinstance(ordered, list) else ordered)


@pytest.mark.check("functions.sha224")
def test_sha224(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db.models import Value
    from django.db.models.functions import SHA224

    found = first(rows, digest=SHA224(Value("abc")))
    check.observe(found if isinstance(found, str) else found["digest"])


@pytest.mark.check("functions.strindex_case")
def test_strindex_case(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db.models import Value
    from django.db.models.functions import StrIndex

    found = first(rows, position=StrIndex("name", Value("RE")))
    check.observe(found if isinstance(found, str) else found["position"])


def window_values(model: type[Model], expression: Any) -> Any:
    from django.db.models import F, Window

    return value_or_error(
        lambda: list(
            model.objects.annotate(value=Window(expression, order_by=F("id").asc()))
            .order_by("id")
            .values_list("value", flat=True)
        )
    )


@pytest.mark.check("functions.lag_default")
def test_lag_default(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db.models.functions import Lag

    check.observe(window_values(rows, Lag("n", default=0)))


@pytest.mark.check("functions.nth_value_missing")
def test_nth_value_missing(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db.models.functions import NthValue

    found = window_values(rows, NthValue("name", nth=5))
    check.observe(found if isinstance(found, str) else found[0])


@pytest.mark.check("functions.cast")
def test_cast(check: CheckRecorder, rows: type[Model]) -> None:
    from django.db.models import DecimalField, FloatField
    from django.db.models.functions import Cast

    found = first(rows, real=Cast("n", FloatField()), decimal=Cast("n", DecimalField(max_digits=5, decimal_places=2)))
    if isinstance(found, str):
        check.observe(found)
        return
    check.note("DecimalField value", str(found["decimal"]))
    check.observe({"FloatField": found["real"], "DecimalField": type(found["decimal"]).__name__})


def uuid_version(check: CheckRecorder, model: type[Model], name: str) -> None:
    function = optional(name, "django.db.models.functions")
    if function is None:
        check.not_applicable(f"This Django has no {name}() function (added in Django 6.1).")
    found = first(model, value=function())
    if isinstance(found, str):
        check.observe(found)
        return
    check.note("value", str(found["value"]))
    check.observe(uuid.UUID(str(found["value"])).version)


@pytest.mark.check("functions.uuid4")
def test_uuid4(check: CheckRecorder, rows: type[Model]) -> None:
    uuid_version(check, rows, "UUID4")


@pytest.mark.check("functions.uuid7")
def test_uuid7(check: CheckRecorder, rows: type[Model]) -> None:
    uuid_version(check, rows, "UUID7")


@pytest.mark.check("functions.uuid7_shift")
def test_uuid7_shift(check: CheckRecorder, connection: Any, rows: type[Model]) -> None:
    from datetime import timedelta

    function = optional("UUID7", "django.db.models.functions")
    if function is None:
        check.not_applicable("This Django has no UUID7() function (added in Django 6.1).")
    check.flag("supports_uuid7_function_shift", connection.features.supports_uuid7_function_shift)
    found = first(rows, plain=function(), shifted=function(shift=timedelta(days=1)))
    if isinstance(found, str):
        check.observe(found)
        return
    values = {name: uuid.UUID(str(value)) for name, value in found.items()}
    check.note("values", {name: str(value) for name, value in values.items()})
    # A version 7 UUID starts with its timestamp: 48 bits of Unix time in milliseconds (RFC 9562, section 5.7).
    millis = {name: value.int >> 80 for name, value in values.items()}
    check.observe(round((millis["shifted"] - millis["plain"]) / 3_600_000))
