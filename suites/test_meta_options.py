"""Model Meta options (ref/models/options): required_db_vendor, db_table_comment and select_on_save.

- ``meta-options.required_db_vendor``: the vendor names among sqlite, postgresql, mysql and oracle for which a
  model with that required_db_vendor would be created on this cell's connection (``Options.can_migrate()``).
- ``meta-options.db_table_comment``: the comment the server reports on a table created with db_table_comment
  (or the error creating it).
- ``meta-options.select_on_save``: whether ``save()`` of an existing row (read back, then changed) sends an INSERT,
  without and with select_on_save, where a BEFORE UPDATE trigger silently skips the table's rows (the backend's
  trigger; not applicable where the server has none that can).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.models import check_model
from suites.outcomes import outcome_of
from suites.shared import first_word, statements_of

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Model

    from harness.backends import Backend
    from harness.fixtures import CreateTables

VENDORS = ("sqlite", "postgresql", "mysql", "oracle")


@pytest.mark.check("meta-options.required_db_vendor")
def test_required_db_vendor(check: CheckRecorder, connection: BaseDatabaseWrapper) -> None:
    from django.db import models

    check.note("connection.vendor", connection.vendor)
    check.observe(
        [
            vendor
            for vendor in VENDORS
            if check_model(
                f"Only{vendor.capitalize()}", {"n": models.IntegerField()}, required_db_vendor=vendor
            )._meta.can_migrate(connection)
        ]
    )


@pytest.mark.check("meta-options.db_table_comment")
def test_db_table_comment(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db import models

    Commented = check_model("CommentedTable", {"n": models.IntegerField()}, db_table_comment="The table")
    check.flag("supports_comments", connection.features.supports_comments)
    # Creating the table is part of what is observed: the comment is written as it is created.
    created = outcome_of(lambda: tables(Commented))
    if created != "ok":
        check.observe(created)
        return
    with check.step("list the tables"), connection.cursor() as cursor:
        (info,) = [t for t in connection.introspection.get_table_list(cursor) if t.name == Commented._meta.db_table]
    check.observe(getattr(info, "comment", None) or None)


def _save_sends_insert(check: CheckRecorder, label: str, model: type[Model]) -> bool:
    """Whether ``save()`` of row 1, read back and changed, sent an INSERT (what it did and ran kept as notes)."""
    with check.step(f"read row 1 of {model._meta.db_table}"):
        row = model.objects.get(pk=1)
    row.name = "after"
    saved, statements = statements_of(check, row.save)
    check.note(f"{label}: save()", "ok" if saved is None else saved)
    check.note(f"{label}: statements", [first_word(sql) for sql in statements])
    return any(first_word(sql) == "INSERT" for sql in statements)


@pytest.mark.check("meta-options.select_on_save")
def test_select_on_save(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, tables: CreateTables
) -> None:
    from django.db import models

    saved = {
        "without select_on_save": check_model("SavedByUpdate", {"name": models.CharField(max_length=10)}),
        "with select_on_save": check_model(
            "SavedBySelect", {"name": models.CharField(max_length=10)}, select_on_save=True
        ),
    }
    triggers = {label: backend.skip_update_trigger_sql(model._meta.db_table) for label, model in saved.items()}
    dropping = [sql for _, drop in triggers.values() for sql in drop]
    try:
        with check.step("create the tables, row 1 in each, and a BEFORE UPDATE trigger skipping their rows"):
            tables(*saved.values())
            for label, model in saved.items():
                model.objects.create(pk=1, name="before")
                with connection.cursor() as cursor:
                    for sql in triggers[label][0]:
                        cursor.execute(sql)
        observed = {label: _save_sends_insert(check, label, model) for label, model in saved.items()}
    finally:
        with check.step("drop the triggers"), connection.cursor() as cursor:
            for sql in dropping:
                cursor.execute(sql)
    check.observe(observed)
