"""Migration operations (ref/migration-operations): what RenameIndex, RunSQL, RunPython and RemoveField do.

Each operation runs as ``migrate`` applies a migration: ``Migration.apply()`` of a migration of that one
operation, in a schema editor opened with ``atomic=migration.atomic`` (a transaction only where the backend
can roll back DDL), from a project state that holds the check's model.

- ``migration-operations.rename_index``: whether RenameIndex renames the index in place (an ALTER ... RENAME
  statement) rather than dropping and creating it again.
- ``migration-operations.runsql_split``: how many statements Django runs for RunSQL of two INSERTs in one string.
- ``migration-operations.runpython_in_transaction``: whether the RunPython function runs in a transaction.
- ``migration-operations.runsql_commit``: an atomic migration of RunSQL inserting 1, RunSQL("COMMIT"), RunSQL
  inserting 2, and a RunSQL that fails (it reads a table there is not): what the migration does, and the rows it
  leaves (a RunPython after the COMMIT keeps whether Django still takes itself to be in the migration's transaction).
- ``migration-operations.remove_field_dependent_view``: RemoveField of a column a view reads: what it does
  ("ok" or the error), and whether the view is still there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from harness.checks import CheckRecorder
from suites.models import check_model
from suites.outcomes import outcome_of
from suites.shared import first_word, statements_of

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Model

    from harness.fixtures import CreateTables

VIEW = "dbcompat_dependent_view"


def forwards(connection: BaseDatabaseWrapper, operation: Any, model: type[Model] | None = None) -> None:
    """A migration of the one operation (or of a list of them), applied as ``migrate`` applies it, from a state that
    holds ``model``."""
    from django.db import migrations
    from django.db.migrations.state import ModelState, ProjectState

    state = ProjectState()
    if model is not None:
        state.add_model(ModelState.from_model(model))
    migration = migrations.Migration("0001_check", "suites")
    migration.operations = operation if isinstance(operation, list) else [operation]
    with connection.schema_editor(atomic=migration.atomic) as editor:
        migration.apply(state, editor)


@pytest.mark.check("migration-operations.rename_index")
def test_rename_index(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db import migrations, models

    Renamed = check_model(
        "RenamedIndex",
        {"name": models.CharField(max_length=20)},
        indexes=[models.Index(fields=["name"], name="dbc_idx_before")],
    )
    with check.step(f"create the table {Renamed._meta.db_table} with the index dbc_idx_before"):
        tables(Renamed)
    operation = migrations.RenameIndex("RenamedIndex", new_name="dbc_idx_after", old_name="dbc_idx_before")
    renamed, statements = statements_of(check, lambda: forwards(connection, operation, Renamed))
    if renamed is not None:
        check.observe(renamed)
        return
    check.flag("can_rename_index", connection.features.can_rename_index)
    check.observe(any("RENAME" in sql.upper() and first_word(sql) == "ALTER" for sql in statements))


@pytest.mark.check("migration-operations.runsql_split")
def test_runsql_split(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db import migrations, models

    Target = check_model("RunSqlTarget", {"n": models.IntegerField()})
    with check.step(f"create the table {Target._meta.db_table}"):
        tables(Target)
    table, n = connection.ops.quote_name(Target._meta.db_table), connection.ops.quote_name("n")
    operation = migrations.RunSQL(f"INSERT INTO {table} ({n}) VALUES (1); INSERT INTO {table} ({n}) VALUES (2);")
    ran, statements = statements_of(check, lambda: forwards(connection, operation))
    if ran is not None:
        check.observe(ran)
        return
    check.note("rows", Target.objects.count())
    check.observe(sum(first_word(sql) == "INSERT" for sql in statements))


@pytest.mark.check("migration-operations.runpython_in_transaction")
def test_runpython_in_transaction(check: CheckRecorder, connection: BaseDatabaseWrapper) -> None:
    from django.db import migrations

    seen: list[bool] = []

    def code(apps: Any, schema_editor: Any) -> None:
        seen.append(schema_editor.connection.in_atomic_block)

    ran = outcome_of(lambda: forwards(connection, migrations.RunPython(code)))
    check.observe(seen[0] if seen else ran)


@pytest.mark.check("migration-operations.runsql_commit")
def test_runsql_commit(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db import migrations, models

    Committed = check_model("CommitTarget", {"n": models.IntegerField()})
    with check.step(f"create the table {Committed._meta.db_table}"):
        tables(Committed)
    table, n = connection.ops.quote_name(Committed._meta.db_table), connection.ops.quote_name("n")
    in_atomic_block: list[bool] = []

    def after_commit(apps: Any, schema_editor: Any) -> None:
        in_atomic_block.append(schema_editor.connection.in_atomic_block)

    operations = [
        migrations.RunSQL(f"INSERT INTO {table} ({n}) VALUES (1)"),
        migrations.RunSQL("COMMIT"),
        migrations.RunPython(after_commit),
        migrations.RunSQL(f"INSERT INTO {table} ({n}) VALUES (2)"),
        migrations.RunSQL(f"SELECT * FROM {connection.ops.quote_name('dbcompat_no_such_table')}"),
    ]
    migrated = outcome_of(lambda: forwards(connection, operations))
    check.note("in_atomic_block after the COMMIT", in_atomic_block[0] if in_atomic_block else None)
    with check.step(f"read the rows of {Committed._meta.db_table}"):
        left = sorted(Committed.objects.values_list("n", flat=True))
    check.observe({"migration": migrated, "rows left": left})


@pytest.mark.check("migration-operations.remove_field_dependent_view")
def test_remove_field_dependent_view(
    check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables
) -> None:
    from django.db import migrations, models

    Viewed = check_model("ViewedTable", {"a": models.IntegerField(), "b": models.IntegerField()})
    with check.step(f"create the table {Viewed._meta.db_table}"):
        tables(Viewed)
    table, b = connection.ops.quote_name(Viewed._meta.db_table), connection.ops.quote_name("b")
    view = connection.ops.quote_name(VIEW)
    with check.step(f"create the view {VIEW} of the column b"), connection.cursor() as cursor:
        cursor.execute(f"CREATE VIEW {view} AS SELECT {b} FROM {table}")
    try:
        removed = outcome_of(lambda: forwards(connection, migrations.RemoveField("ViewedTable", "b"), Viewed))
        with check.step("list the tables and views"), connection.cursor() as cursor:
            left = VIEW in connection.introspection.table_names(cursor, include_views=True)
    finally:
        with check.step(f"drop the view {VIEW} if it is left"), connection.cursor() as cursor:
            if VIEW in connection.introspection.table_names(cursor, include_views=True):
                cursor.execute(f"DROP VIEW {view}")
    check.observe({"RemoveField": removed, "view left": left})
