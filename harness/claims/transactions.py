"""Transactions (topics/db/transactions; ref/databases PostgreSQL and MySQL notes > Isolation level)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, Source

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
            "default, REPEATABLE READ; on MySQL, a level set with OPTIONS isolation_level is the connection's."
        ),
        source=Source("ref/databases", "MySQL notes > Isolation level; PostgreSQL notes > Isolation level"),
        # The level as the server resolves it (suites/test_transactions.py): MySQL's variable spells it
        # READ-COMMITTED, PostgreSQL "read committed"; the MySQL notes name it 'read committed'.
        # A level OPTIONS names is the connection's (MySQL notes > Isolation level: "You can set a connection's
        # isolation level with an 'isolation_level' entry in the OPTIONS"); the matrix's variant names serializable.
        expect=(
            Expect(("mysql [isolation_level=serializable]", "mariadb [isolation_level=serializable]"), "serializable"),
            Expect(("postgresql", "mysql", "mariadb"), "read committed"),
        ),
    ),
]

EXPLANATIONS = [
    Explanation(
        check="transactions.isolation_level",
        when="+connector",
        observed="repeatable read",
        text=(
            "Connector/Python's Django backend sets an isolation level only when OPTIONS isolation_level names "
            "one (its isolation_level defaults to None; init_connection_state runs SET SESSION TRANSACTION "
            "ISOLATION LEVEL only for a level given), so the session keeps the server's default, REPEATABLE "
            "READ, where Django's own MySQL backend defaults to read committed."
        ),
        source=(
            "MySQL Connector/Python source, lib/mysql/connector/django/base.py (DatabaseWrapper.isolation_level, "
            "init_connection_state); CHANGES.txt 8.0.30, BUG#34127959 (isolation level support added)"
        ),
        url="https://github.com/mysql/mysql-connector-python/commit/af9434846def00de19d0591da2d13198f9378f23",
    ),
]
