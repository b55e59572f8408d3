"""Migrations (topics/migrations): its statements that a backend behaves differently.

Which migrations run in a transaction is Django's choice per backend ("On databases that support DDL
transactions ... In contrast, if a database doesn't support DDL transactions (e.g. MySQL, Oracle) then all
operations will run without a transaction"), so MariaDB, used through the MySQL backend, is claimed with MySQL.
"""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, IsA, Source

PAGE = "topics/migrations"
ERROR = IsA("builtins.Exception")
# The docs name no class for the refusal: an error from the database.
REFUSED = IsA("django.db.utils.DatabaseError")

CLAIMS = [
    Claim(
        check="migrations.failed_migration_leaves",
        statement=(
            "On databases that support DDL transactions (SQLite and PostgreSQL) all migration operations run "
            "inside a single transaction, so a migration that fails leaves nothing; where DDL is not transactional "
            '(MySQL, Oracle) they run without one, and a failed migration leaves what it did ("you will have to '
            'manually unpick the changes").'
        ),
        source=Source(PAGE, "Transactions", anchor="transactions"),
        expect=(Expect(("sqlite", "postgresql"), False), Expect(("mysql", "mariadb", "oracle"), True)),
    ),
    Claim(
        check="migrations.alter_field_rebuilds_table",
        statement=(
            "SQLite has very little built-in schema alteration support, so Django emulates it: it creates a new "
            "table with the new schema, copies the data across, drops the old table and renames the new one."
        ),
        source=Source(PAGE, "Backend Support > SQLite", anchor="sqlite"),
        expect=(Expect("sqlite", True),),
    ),
    Claim(
        check="migrations.wide_index",
        statement=(
            "MySQL has a relatively small limit on the combined size of all columns an index covers, so indexes "
            "that are possible on other backends will fail to be created under MySQL."
        ),
        source=Source(PAGE, "Backend Support > MySQL", anchor="mysql"),
        expect=(Expect("mysql", ERROR), Expect(("postgresql", "sqlite", "oracle"), "ok")),
    ),
    Claim(
        check="migrations.deferred_foreign_key",
        django="django>=6.1",
        statement=(
            "The DEFERRABLE part of a foreign key constraint (sqlmigrate's output for PostgreSQL) tells PostgreSQL "
            "not to enforce the foreign key until the end of the transaction."
        ),
        source=Source(PAGE, "Workflow > Executing sqlmigrate", anchor="executing-sqlmigrate"),
        expect=(Expect("postgresql", {"parent inserted later": "ok", "parent never inserted": REFUSED}),),
    ),
]

EXPLANATIONS = [
    Explanation(
        check="migrations.failed_migration_leaves",
        when="postgresql +zdm-psycopg",
        observed=True,
        text=(
            "django-pg-zero-downtime-migrations' schema editor always opens without a transaction "
            '(DatabaseSchemaEditor.__init__ passes atomic=False: "Disable atomic transactions as it can be reason '
            'of downtime or deadlock"), so on PostgreSQL too a migration that fails leaves what it did.'
        ),
        source=(
            "django-pg-zero-downtime-migrations source, django_zero_downtime_migrations/backends/postgres/schema.py "
            "(DatabaseSchemaEditor.__init__)"
        ),
        url="https://github.com/tbicr/django-pg-zero-downtime-migrations/blob/master/django_zero_downtime_migrations/backends/postgres/schema.py",
    ),
]
