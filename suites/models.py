"""Models of the behaviour suites. Unmanaged: each check creates the tables it uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models


def check_model(name: str, fields: dict[str, models.Field], **meta: object) -> type[models.Model]:
    """A model defined by one check (a collation, a limit to probe), in an app registry of its own.

    Managed, unlike the models below, so that Django's schema editor creates its indexes too.
    """
    from django.test.utils import isolate_apps

    with isolate_apps("suites"):
        return type(
            name,
            (models.Model,),
            {"__module__": __name__, **fields, "Meta": type("Meta", (), {"app_label": "suites", **meta})},
        )


class Person(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "suites"
        managed = False


class UniqueName(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        app_label = "suites"
        managed = False


class Word(models.Model):
    value = models.CharField(max_length=50)

    class Meta:
        app_label = "suites"
        managed = False


class Lockable(models.Model):
    name = models.CharField(max_length=10)

    class Meta:
        app_label = "suites"
        managed = False


class Blankable(models.Model):
    # blank=True: the empty string is a possible value (what the Oracle notes speak of).
    text = models.CharField(max_length=20, blank=True)
    required = models.CharField(max_length=20, blank=True, null=False, default="x")

    class Meta:
        app_label = "suites"
        managed = False


class LegacyStamp(models.Model):
    """A legacy table (created by raw SQL); inspectdb maps its TIMESTAMP columns to DateTimeField."""

    id = models.IntegerField(primary_key=True)
    ts = models.DateTimeField(null=True)
    dt = models.DateTimeField(null=True)

    class Meta:
        app_label = "suites"
        managed = False
        db_table = "dbcompat_legacy_stamp"


class Amount(models.Model):
    value = models.DecimalField(max_digits=30, decimal_places=9)

    class Meta:
        app_label = "suites"
        managed = False


class Document(models.Model):
    data = models.JSONField(null=True)

    class Meta:
        app_label = "suites"
        managed = False
        required_db_features = {"supports_json_field"}


class Moment(models.Model):
    at = models.DateTimeField()

    class Meta:
        app_label = "suites"
        managed = False


class Short(models.Model):
    name = models.CharField(max_length=10)

    class Meta:
        app_label = "suites"
        managed = False


# -- Tables the checks of one suite share (suites/shared.py), created once for the suite. --


class Item(models.Model):
    """Rows queried several ways: names of several cases, a nullable rank, three flags, a time."""

    name = models.CharField(max_length=50)
    rank = models.IntegerField(null=True)
    n = models.IntegerField(default=0)
    a = models.BooleanField(default=False)
    b = models.BooleanField(default=False)
    c = models.BooleanField(default=False)
    at = models.DateTimeField(null=True)

    class Meta:
        app_label = "suites"
        managed = False


class ItemTag(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE)
    label = models.CharField(max_length=20)

    class Meta:
        app_label = "suites"
        managed = False


class UniqueCode(models.Model):
    """A unique code, a value to update on conflict, and a count that may not be NULL."""

    code = models.CharField(max_length=20, unique=True)
    value = models.CharField(max_length=20)
    count = models.IntegerField()

    class Meta:
        app_label = "suites"
        managed = False


class Ranked(models.Model):
    rank = models.IntegerField(unique=True)

    class Meta:
        app_label = "suites"
        managed = False


class BulkRow(models.Model):
    name = models.CharField(max_length=20)
    n = models.IntegerField(default=0)

    class Meta:
        app_label = "suites"
        managed = False


class JsonRow(models.Model):
    label = models.CharField(max_length=20)
    data = models.JSONField(null=True)

    class Meta:
        app_label = "suites"
        managed = False
        required_db_features = {"supports_json_field"}


def related_check_models(
    *definitions: tuple[str, Callable[[dict[str, type[models.Model]]], dict[str, Any]]],
) -> list[type[models.Model]]:
    """Models that refer to each other, defined in one app registry of their own (``check_model`` gives each
    model its own): each definition is a name and a function of the models defined before it to its fields."""
    from django.test.utils import isolate_apps

    made: dict[str, type[models.Model]] = {}
    with isolate_apps("suites"):
        for name, fields in definitions:
            made[name] = type(
                name,
                (models.Model,),
                {"__module__": __name__, **fields(made), "Meta": type("Meta", (), {"app_label": "suites"})},
            )
    return list(made.values())
