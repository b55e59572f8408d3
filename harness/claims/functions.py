"""Database functions (ref/models/database-functions): its statements that a backend behaves differently."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, IsA, Not, Source

PAGE = "ref/models/database-functions"
ERROR = IsA("builtins.Exception")
ABC_SHA224 = "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"
ROWS = [0, 1, 2]  # Lag(n, default=0) over n = 1, 2, 3


def function(group: str, name: str, anchor: str | None = None) -> Source:
    return Source(PAGE, f"{group} > {name}", anchor=f"django.db.models.functions.{anchor or name}")


def comparison(name: str) -> Source:
    return function("Comparison and conversion functions", name)


CLAIMS = [
    Claim(
        check="functions.greatest_least_null",
        statement=(
            "PostgreSQL: Greatest and Least return the largest and smallest non-null expression (null only if all "
            "are null); SQLite, Oracle, and MySQL: if any expression is null, they return null."
        ),
        source=comparison("Greatest"),
        expect=(
            Expect("postgresql", {"Greatest": 3, "Least": 1}),
            Expect(("sqlite", "oracle", "mysql"), {"Greatest": None, "Least": None}),
        ),
    ),
    Claim(
        check="functions.nullif_char",
        statement=(
            "NullIf returns None if the two expressions are equal; due to an Oracle convention it returns the empty "
            "string instead of None there when they are CharFields."
        ),
        source=comparison("NullIf"),
        expect=(Expect("oracle", ""), Expect("*", "NULL")),
    ),
    Claim(
        check="functions.nullif_null_first",
        statement=(
            "NullIf returns expression1 (here None) when the two differ; passing Value(None) as expression1 is "
            "prohibited on Oracle, which doesn't accept NULL as the first argument."
        ),
        source=comparison("NullIf"),
        expect=(Expect("oracle", ERROR), Expect("*", "NULL")),
    ),
    Claim(
        check="functions.now_statement_time",
        statement=(
            "On PostgreSQL CURRENT_TIMESTAMP is the time the transaction started, so for cross-database "
            "compatibility Now() uses STATEMENT_TIMESTAMP instead: a later statement in the same transaction gets "
            "a later Now()."
        ),
        source=function("Date functions", "Now"),
        expect=(Expect("*", True),),
    ),
    Claim(
        check="functions.now_precision",
        django="django<5.0",
        statement="Now() has microsecond precision on MySQL and millisecond precision on SQLite (added in Django 4.2).",
        source=function("Date functions", "Now"),
        expect=(Expect("mysql", "microseconds"), Expect("sqlite", "milliseconds")),
    ),
    Claim(
        check="functions.truncdate_time_zone",
        statement=(
            "TruncDate casts the expression to a date in the time zone given (tzinfo), or the current one: 23:30 UTC "
            "on January 15 is January 16 in Europe/Paris (the page names no backend)."
        ),
        source=function("Date functions", "TruncDate"),
        expect=(Expect("*", "2024-01-16"),),
    ),
    Claim(
        check="functions.collate_nocase",
        statement='Collate filters case-insensitively in SQLite with its "nocase" collation (the docs\' example).',
        source=comparison("Collate"),
        expect=(Expect("sqlite", True),),
    ),
    Claim(
        check="functions.collate_icu",
        statement='Collate orders by a collation on PostgreSQL, e.g. "et-x-icu" (the docs\' example).',
        source=comparison("Collate"),
        expect=(Expect("postgresql", "ok"),),
    ),
    Claim(
        check="functions.sha224",
        statement=(
            "SHA224 returns the hash of the string; on PostgreSQL the pgcrypto extension must be installed (here it "
            "is not), and Oracle doesn't support SHA224."
        ),
        source=function("Text functions", "SHA1, SHA224, SHA256, SHA384, and SHA512", "SHA1"),
        expect=(Expect(("postgresql", "oracle"), ERROR), Expect("*", ABC_SHA224)),
    ),
    Claim(
        check="functions.strindex_case",
        statement=(
            "In MySQL, a table's collation determines whether StrIndex's comparisons are case-sensitive, and they "
            "are case-insensitive by default (the MySQL notes on collation, which the MariaDB notes refer to)."
        ),
        source=function("Text functions", "StrIndex"),
        expect=(Expect(("mysql", "mariadb"), 2),),
    ),
    Claim(
        check="functions.lag_default",
        statement=(
            "Lag's default is the value where there is no previous row; MariaDB doesn't support the default parameter."
        ),
        source=function("Window functions", "Lag"),
        expect=(Expect("mariadb", ERROR), Expect(("postgresql", "mysql", "oracle", "sqlite"), ROWS)),
    ),
    Claim(
        check="functions.nth_value_missing",
        statement=(
            "Some databases handle a nonexistent nth value differently: Oracle returns an empty string rather than "
            "None for character-based expressions, and Django doesn't convert it."
        ),
        source=function("Window functions", "NthValue"),
        expect=(Expect("oracle", ""),),
    ),
    Claim(
        check="functions.cast",
        statement="Cast forces the result type of the expression to be that of output_field: 1 as a FloatField is 1.0.",
        source=comparison("Cast"),
        expect=(Expect("*", {"FloatField": 1.0, "DecimalField": "Decimal"}),),
    ),
    Claim(
        check="functions.uuid4",
        django="django>=6.1",
        statement=(
            "UUID4 is available on PostgreSQL, SQLite, MariaDB 11.7 or later, and Oracle 23ai/26ai (23.9) or later."
        ),
        source=function("UUID functions", "UUID4"),
        expect=(Expect(("postgresql", "sqlite", "mariadb>=11.7", "oracle>=23.9"), 4), Expect("*", Not(4))),
    ),
    Claim(
        check="functions.uuid7",
        django="django>=6.1",
        statement=(
            "UUID7 is available on PostgreSQL 18 or later, MariaDB 11.7 or later, and SQLite on Python 3.14 or "
            "later (which the spec of a cell cannot say: no claim for SQLite)."
        ),
        source=function("UUID functions", "UUID7"),
        expect=(
            Expect(("postgresql>=18", "mariadb>=11.7"), 7),
            Expect(("postgresql", "mariadb", "mysql", "oracle"), Not(7)),
        ),
    ),
    Claim(
        check="functions.uuid7_shift",
        django="django>=6.1",
        statement=(
            "On PostgreSQL, UUID7 also supports an optional shift, a timedelta offsetting the timestamp of the "
            "generated UUID; a positive value shifts it into the future (timedelta(days=1): 24 hours later). UUID7 "
            "is available on PostgreSQL 18 or later."
        ),
        source=function("UUID functions", "UUID7"),
        expect=(Expect("postgresql>=18", 24), Expect("postgresql", ERROR)),
    ),
]

EXPLANATIONS = [
    Explanation(
        check=check,
        when="mariadb>=11.7 +connector",
        observed="django.db.utils.NotSupportedError",
        text=(
            "Connector/Python's Django backend answers False for mysql_is_mariadb (lib/mysql/connector/django/base.py, "
            f"DatabaseWrapper.__getattr__), so {flag}, which Django's MySQL features turn on for MariaDB 11.7+ only "
            f"(django/db/backends/mysql/features.py), is off, and {name}() raises NotSupportedError before the server "
            "is asked."
        ),
        source="MySQL Connector/Python source, lib/mysql/connector/django/base.py (DatabaseWrapper.__getattr__)",
        url="https://github.com/mysql/mysql-connector-python/blob/trunk/mysql-connector-python/lib/mysql/connector/django/base.py",
    )
    for check, flag, name in (
        ("functions.uuid4", "supports_uuid4_function", "UUID4"),
        ("functions.uuid7", "supports_uuid7_function", "UUID7"),
    )
]
