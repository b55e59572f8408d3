"""Database transactions (topics/db/transactions): its statements that a backend behaves differently."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, IsA, Not, Source

PAGE = "topics/db/transactions"
SQLITE_SAVEPOINTS = Source(PAGE, "Database-specific notes > Savepoints in SQLite", anchor="savepoints-in-sqlite")
TRANSACTIONAL = ("sqlite", "postgresql", "oracle", "mysql", "mariadb")

CLAIMS = [
    Claim(
        check="db-transactions.savepoint_api",
        statement=(
            "Savepoints are available with the SQLite, PostgreSQL, Oracle, and MySQL (with InnoDB) backends: "
            "savepoint_rollback() undoes what was done since savepoint()."
        ),
        source=Source(PAGE, "Low-level APIs > Savepoints", anchor="savepoints"),
        expect=(Expect(TRANSACTIONAL, ["outer"]),),
    ),
    Claim(
        check="db-transactions.savepoint_autocommit_off",
        statement=(
            "A flaw of the sqlite3 module (it commits before savepoint statements when autocommit is off) makes "
            "the low-level savepoint APIs usable on SQLite only inside an atomic() block; the other backends have "
            "them in any transaction."
        ),
        source=SQLITE_SAVEPOINTS,
        expect=(Expect("sqlite", False), Expect(("postgresql", "oracle", "mysql", "mariadb"), True)),
    ),
    Claim(
        check="db-transactions.atomic_autocommit_off",
        statement=(
            "Because sqlite3 commits implicitly before savepoint statements when autocommit is off, it's "
            "impossible to use atomic() on SQLite when autocommit is turned off."
        ),
        source=SQLITE_SAVEPOINTS,
        expect=(Expect("sqlite", Not(["outer"])),),
    ),
    Claim(
        check="db-transactions.after_error",
        statement=(
            "Inside a transaction, when a call to a PostgreSQL cursor raises an exception, all subsequent SQL in "
            'the same transaction fails ("current transaction is aborted"); rolling back to a savepoint recovers.'
        ),
        source=Source(
            PAGE,
            "Database-specific notes > Handling exceptions within PostgreSQL transactions",
            anchor="handling-exceptions-within-postgresql-transactions",
        ),
        expect=(
            Expect(
                "postgresql",
                {"next query": IsA("django.db.utils.DatabaseError"), "after savepoint_rollback()": "ok"},
            ),
        ),
    ),
    Claim(
        check="db-transactions.on_commit_nested",
        statement=(
            "A callable registered with on_commit() in a savepoint (a nested atomic block) runs after the outer "
            "transaction commits, unless that savepoint was rolled back, which discards it."
        ),
        source=Source(PAGE, "Performing actions after commit > Savepoints", anchor="savepoints"),
        expect=(Expect("*", ["A"]),),
    ),
]

EXPLANATIONS = [
    Explanation(
        check="db-transactions.atomic_autocommit_off",
        when="sqlite",
        observed=["outer"],
        text=(
            "Since Python 3.6 the sqlite3 module no longer commits an open transaction implicitly before statements "
            "other than DML: it only opens one before INSERT, UPDATE, DELETE and REPLACE, so the SAVEPOINT of the "
            "atomic() block runs in the transaction and rolls back as asked. The flaw the note describes is gone."
        ),
        source="Python docs, sqlite3 > Transaction control (Changed in version 3.6)",
        url="https://docs.python.org/3/library/sqlite3.html#sqlite3-controlling-transactions",
    ),
]
