"""Transactions (topics/db/transactions; ref/databases PostgreSQL and MySQL notes > Isolation level)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Source

CLAIMS = [
    Claim(
        check="transactions.nested_atomic_rollback",
        statement=(
            "atomic blocks nest: an inner block that fails rolls back to its savepoint, and the outer "
            "block's work is kept."
        ),
        source=Source("topics/db/transactions", "Controlling transactions explicitly > atomic()"),
        expect=(Expect("*", ["outer"]),),
    ),
    Claim(
        check="transactions.isolation_level",
        statement=(
            "Django's connections use READ COMMITTED: like PostgreSQL itself, and instead of MySQL's "
            "default, REPEATABLE READ."
        ),
        source=Source("ref/databases", "PostgreSQL notes > Isolation level; MySQL notes > Isolation level"),
        expect=(
            Expect("postgresql", "read committed"),
            Expect(("mysql", "mariadb"), "READ-COMMITTED"),
        ),
    ),
]
