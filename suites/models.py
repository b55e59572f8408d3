"""Models of the behaviour suites. Unmanaged: each check creates the tables it uses."""

from __future__ import annotations

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
