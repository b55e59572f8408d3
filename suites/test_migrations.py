"""Migrations (topics/migrations): what a failing migration leaves, and how each backend alters schemas.

- ``migrations.failed_migration_leaves``: a migration that creates a table and then fails (a RunSQL that reads a
  table there is not), applied as ``migrate`` applies one (``schema_editor(atomic=migration.atomic)``): whether
  the table it created is left.
- ``migrations.alter_field_rebuilds_table``: whether Django's AlterField of a CharField's max_length rebuilds
  the table (creates a new one, copies the rows, renames it) rather than altering the column.
- ``migrations.wide_index``: what adding an index on two CharField(max_length=600) columns does.
- ``migrations.deferred_foreign_key``: in a transaction, a row referencing a parent inserted later in it, and one
  referencing a parent there never is: what each commit does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from harness.checks import CheckRecorder
from suites.models import check_model, related_check_models
from suites.outcomes import outcome_of
from suites.shared import statements_of

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.fixtures import CreateTables

HALF_APPLIED = "dbcompat_half_applied"


@pytest.mark.check("migrations.failed_migration_leaves")
def test_failed_migration_leaves(check: CheckRecorder, connection: BaseDatabaseWrapper) -> None:
    from django.db import migrations, models
    from django.db.migrations.state import ProjectState

    migration = migrations.Migration("0001_half", "suites")
    migration.operations = [
        migrations.CreateModel(
            "HalfApplied",
            [("id", models.AutoField(primary_key=True))],
            options={"db_table": HALF_APPLIED},
        ),
        migrations.RunSQL("SELECT * FROM dbcompat_no_such_table"),
    ]

    def migrate() -> None:
        with connection.schema_editor(atomic=migration.atomic) as editor:
            migration.apply(ProjectState(), editor)

    applied = outcome_of(migrate)
    check.note("migration", applied)
    try:
        with check.step("list the tables"), connection.cursor() as cursor:
            left = HALF_APPLIED in connection.introspection.table_names(cursor)
    finally:
        with check.step(f"drop {HALF_APPLIED} if it was left"), connection.cursor() as cursor:
            if HALF_APPLIED in connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(HALF_APPLIED)}")
    check.flag(
        "can_rollback_ddl",
        connection.features.can_rollback_ddl,
        agrees=left is not connection.features.can_rollback_ddl,
    )
    check.observe(left if applied != "ok" else "the migration did not fail")


@pytest.mark.check("migrations.alter_field_rebuilds_table")
def test_alter_field_rebuilds_table(
    check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables
) -> None:
    from django.db import models

    Altered = check_model("AlteredField", {"name": models.CharField(max_length=10)})
    with check.step(f"create the table {Altered._meta.db_table}"):
        tables(Altered)
    old = Altered._meta.get_field("name")
    new = models.CharField(max_length=40)
    new.set_attributes_from_name("name")
    new.model = Altered

    def alter() -> None:
        with connection.schema_editor() as editor:
            editor.alter_field(Altered, old, new, strict=True)

    altered, statements = statements_of(check, alter)
    if altered is not None:
        check.observe(altered)
        return
    check.observe(any(sql.lstrip().upper().startswith("CREATE TABLE") for sql in statements))


@pytest.mark.check("migrations.wide_index")
def test_wide_index(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db import models

    # 1200 characters: 3600 bytes in utf8mb3, 4800 in utf8mb4, past InnoDB's 3072-byte key either way.
    Wide = check_model("WideIndexed", {"a": models.CharField(max_length=600), "b": models.CharField(max_length=600)})
    with check.step(f"create the table {Wide._meta.db_table}"):
        tables(Wide)

    def add() -> None:
        with connection.schema_editor() as editor:
            editor.add_index(Wide, models.Index(fields=["a", "b"], name="dbc_idx_wide"))

    check.observe(outcome_of(add))


@pytest.mark.check("migrations.deferred_foreign_key")
def test_deferred_foreign_key(check: CheckRecorder, tables: CreateTables) -> None:
    from django.db import models, transaction

    Parent, Child = related_check_models(
        ("DeferredParent", lambda made: {}),
        ("DeferredChild", lambda made: {"parent": models.ForeignKey(made["DeferredParent"], on_delete=models.CASCADE)}),
    )
    with check.step(f"create the tables {Parent._meta.db_table} and {Child._meta.db_table}"):
        tables(Parent, Child)

    def commit(parent_later: bool) -> Any:
        with transaction.atomic():
            Child.objects.create(pk=1 if parent_later else 2, parent_id=10 if parent_later else 20)
            if parent_later:
                Parent.objects.create(pk=10)

    later = outcome_of(lambda: commit(True))
    never = outcome_of(lambda: commit(False))
    check.observe({"parent inserted later": later, "parent never inserted": never})
