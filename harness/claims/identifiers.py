"""Identifiers, server-side cursors and MyISAM (ref/databases Oracle, PostgreSQL and MySQL notes)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, IsA, Source

ORACLE_NAMES = Source("ref/databases", "Oracle notes > Naming issues")
STORAGE = Source("ref/databases", "MySQL notes > Storage engines")

CLAIMS = [
    Claim(
        check="identifiers.long_table_name",
        behaviour="identifiers",
        statement=(
            "Oracle's name length limit is 30 characters: the backend truncates longer identifiers, the "
            "last four characters replaced by a hash."
        ),
        source=ORACLE_NAMES,
        expect=(Expect("oracle", 30),),
    ),
    Claim(
        check="identifiers.quoted_db_table",
        behaviour="identifiers",
        statement=(
            "A quoted db_table keeps Oracle from upper-casing and truncating the name; on the other "
            "backends the quotes have no effect."
        ),
        source=ORACLE_NAMES,
        expect=(Expect("*", "name_left_in_lowercase"),),
    ),
    Claim(
        check="cursors.iterator_server_side",
        behaviour="cursors",
        statement=(
            "QuerySet.iterator() opens a server-side cursor on PostgreSQL; DISABLE_SERVER_SIDE_CURSORS turns that off."
        ),
        source=Source(
            "ref/databases", "PostgreSQL notes > Server-side cursors; Transaction pooling and server-side cursors"
        ),
        expect=(Expect("postgresql", {"default": 1, "DISABLE_SERVER_SIDE_CURSORS": 0}),),
    ),
    Claim(
        check="storage-engines.myisam_savepoint",
        behaviour="storage-engines",
        statement=(
            "With MyISAM, the savepoint methods of the transactions API (nested atomic blocks) give "
            "database-generated errors."
        ),
        source=Source("ref/databases", "MySQL notes > Savepoints"),
        expect=(
            Expect("mysql", IsA("django.db.utils.DatabaseError")),
            Expect("mariadb", IsA("django.db.utils.DatabaseError")),
        ),
    ),
    Claim(
        check="storage-engines.myisam_foreign_keys",
        behaviour="storage-engines",
        statement="MyISAM does not enforce foreign-key constraints: a row referencing no parent is stored.",
        source=STORAGE,
        expect=(Expect("mysql", "ok"), Expect("mariadb", "ok")),
    ),
]
