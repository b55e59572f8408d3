"""MySQL storage engines: InnoDB by default, and what MyISAM lacks (ref/databases, MySQL notes)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, IsA, Source

STORAGE = Source("ref/databases", "MySQL notes > Storage engines")

CLAIMS = [
    Claim(
        check="storage-engines.default_engine",
        statement="MySQL's default storage engine is InnoDB, and Django names none when it creates tables.",
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
