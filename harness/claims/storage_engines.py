"""MySQL storage engines: InnoDB by default, and what MyISAM lacks (ref/databases, MySQL notes)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, IsA, Source

STORAGE = Source("ref/databases", "MySQL notes > Storage engines")

CLAIMS = [
    Claim(
        check="storage-engines.default_engine",
        statement=(
            "MySQL's default storage engine is InnoDB, and Django names none when it creates tables (Creating "
            "your tables): on a server left at its default they are InnoDB tables."
        ),
        source=STORAGE,
        expect=(Expect(("mysql", "mariadb"), "InnoDB"),),
    ),
    Claim(
        check="storage-engines.myisam_rollback",
        statement="MyISAM does not support transactions: a rolled-back insert stays.",
        source=STORAGE,
        expect=(Expect(("mysql", "mariadb"), 1),),
    ),
    Claim(
        check="storage-engines.myisam_savepoint",
        statement=(
            "With MyISAM, the savepoint methods of the transactions API (nested atomic blocks) give "
            "database-generated errors."
        ),
        source=Source("ref/databases", "MySQL notes > Savepoints"),
        expect=(Expect(("mysql", "mariadb"), IsA("django.db.utils.DatabaseError")),),
    ),
    Claim(
        check="storage-engines.myisam_foreign_keys",
        statement="MyISAM does not enforce foreign-key constraints: a row referencing no parent is stored.",
        source=STORAGE,
        expect=(Expect(("mysql", "mariadb"), "ok"),),
    ),
]

EXPLANATIONS = [
    Explanation(
        check="storage-engines.myisam_savepoint",
        when="mariadb",
        observed=2,
        text=(
            "MariaDB runs SAVEPOINT, ROLLBACK TO SAVEPOINT and RELEASE SAVEPOINT in a transaction that wrote to "
            "a MyISAM table without an error (its manual lists one error for them: a savepoint that does not "
            "exist). ROLLBACK TO SAVEPOINT cannot undo the MyISAM row and only warns (1196, Some "
            "non-transactional changed tables couldn't be rolled back), so both rows stay."
        ),
        source="MariaDB Server documentation, SAVEPOINT > Errors",
        url="https://mariadb.com/kb/en/savepoint/",
    ),
]
