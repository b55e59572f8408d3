"""Migration operations (ref/migration-operations): its statements that a backend behaves differently."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, IsA, Not, Source

PAGE = "ref/migration-operations"
OPERATIONS = "django.db.migrations.operations"


def operation(group: str, name: str) -> Source:
    return Source(PAGE, f"{group} > {name}", anchor=f"{OPERATIONS}.{name}")


CLAIMS = [
    Claim(
        check="migration-operations.rename_index",
        django="django<6.0",
        statement=(
            "On databases that don't support an index renaming statement (SQLite and MariaDB < 10.5.2), RenameIndex "
            "drops and recreates the index; elsewhere it renames it."
        ),
        source=operation("Schema Operations", "RenameIndex"),
        expect=(Expect(("sqlite", "mariadb<10.5.2"), False), Expect("*", True)),
    ),
    Claim(
        check="migration-operations.rename_index",
        django="django>=6.0",
        statement=(
            "On databases that don't support an index renaming statement (SQLite), RenameIndex drops and recreates "
            "the index; elsewhere it renames it."
        ),
        source=operation("Schema Operations", "RenameIndex"),
        expect=(Expect("sqlite", False), Expect("*", True)),
    ),
    Claim(
        check="migration-operations.runsql_split",
        statement=(
            "On most database backends (all but PostgreSQL), Django splits RunSQL's SQL into individual statements "
            "before executing them."
        ),
        source=operation("Special Operations", "RunSQL"),
        expect=(Expect("postgresql", 1), Expect("*", 2)),
    ),
    Claim(
        check="migration-operations.runpython_in_transaction",
        statement=(
            "RunPython runs its contents inside a transaction on databases that do not support DDL transactions "
            "(for example, MySQL and Oracle); on those that do (SQLite and PostgreSQL) it runs in the transaction "
            "created for each migration."
        ),
        source=operation("Special Operations", "RunPython"),
        expect=(Expect("*", True),),
    ),
    Claim(
        check="migration-operations.runsql_commit",
        statement=(
            "On PostgreSQL and SQLite, only use BEGIN or COMMIT in RunSQL's SQL in non-atomic migrations, to avoid "
            "breaking Django's transaction state (observed as what a migration that fails after the COMMIT leaves: "
            "its transaction no longer undoes what ran before it)."
        ),
        source=operation("Special Operations", "RunSQL"),
        expect=(Expect(("postgresql", "sqlite"), {"migration": IsA("builtins.Exception"), "rows left": Not([])}),),
    ),
    Claim(
        check="migration-operations.remove_field_dependent_view",
        django="django>=5.2 django<6.0",
        statement=(
            "On PostgreSQL, RemoveField also deletes any additional database objects related to the removed field "
            "(like views): its DROP COLUMN includes CASCADE."
        ),
        source=operation("Schema Operations", "RemoveField"),
        expect=(Expect("postgresql", {"RemoveField": "ok", "view left": False}),),
    ),
    Claim(
        check="migration-operations.remove_field_dependent_view",
        django="django>=6.0",
        statement=(
            "The PostgreSQL backend no longer uses CASCADE to delete dependent related database objects, such as "
            "views: dependent objects Django does not manage must be removed before running RemoveField."
        ),
        source=operation("Schema Operations", "RemoveField"),
        expect=(Expect("postgresql", {"RemoveField": IsA("builtins.Exception"), "view left": True}),),
    ),
]
