"""Query expressions (ref/models/expressions): its statements that a backend behaves differently."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, Not, Source

PAGE = "ref/models/expressions"
NUMBERS = [1, 2, 3]  # RowNumber() over three rows
WINDOWS = Source(PAGE, "Built-in Expressions > Window functions", anchor="window-functions")

CLAIMS = [
    Claim(
        check="expressions.window_functions",
        django="django<5.0",
        statement=(
            "Among Django's built-in database backends, MySQL 8.0.2+, PostgreSQL, and Oracle support window "
            "expressions."
        ),
        source=WINDOWS,
        expect=(Expect(("mysql>=8.0.2", "postgresql", "oracle"), NUMBERS), Expect("*", Not(NUMBERS))),
    ),
    Claim(
        check="expressions.window_functions",
        django="django>=5.0",
        statement=(
            "Among Django's built-in database backends, MySQL, PostgreSQL, and Oracle support window expressions."
        ),
        source=WINDOWS,
        expect=(Expect(("mysql", "postgresql", "oracle"), NUMBERS), Expect("*", Not(NUMBERS))),
    ),
    Claim(
        check="expressions.value_range_offset",
        statement=(
            "PostgreSQL has limited support for ValueRange and only supports the standard start and end points, "
            "such as CURRENT ROW and UNBOUNDED FOLLOWING: not 1 PRECEDING."
        ),
        source=Source(PAGE, "Built-in Expressions > Window functions > Frames", anchor="frames"),
        expect=(Expect("postgresql", Not([1, 3, 5])),),
    ),
    Claim(
        check="expressions.f_assignment_refreshed",
        django="django>=6.0",
        statement=(
            "F() objects assigned to model fields are refreshed from the database on save() without a subsequent "
            "query on backends that support it (SQLite, PostgreSQL, and Oracle), and deferred otherwise (MySQL or "
            "MariaDB)."
        ),
        source=Source(
            PAGE,
            "Built-in Expressions > F() expressions > F() assignments are refreshed after Model.save()",
            anchor="f-assignments-are-refreshed-after-model-save",
        ),
        expect=(Expect(("sqlite", "postgresql", "oracle"), True), Expect(("mysql", "mariadb"), False)),
    ),
]

EXPLANATIONS = [
    Explanation(
        check="expressions.window_functions",
        when="sqlite>=3.25",
        observed=NUMBERS,
        text=(
            "SQLite has window functions from 3.25.0, and Django's SQLite backend uses them there "
            "(supports_over_clause, django/db/backends/sqlite3/features.py); the docs' list leaves SQLite out."
        ),
        source="SQLite docs, Window Functions (added in 3.25.0)",
        url="https://www.sqlite.org/windowfunctions.html",
    ),
    Explanation(
        check="expressions.window_functions",
        when="mariadb>=10.2",
        observed=NUMBERS,
        text=(
            "MariaDB has window functions from 10.2, and Django's MySQL backend, which MariaDB is used through, "
            "turns supports_over_clause on for it (django/db/backends/mysql/features.py); the docs' list names "
            "MySQL only."
        ),
        source="MariaDB Server documentation, Window Functions Overview (MariaDB 10.2)",
        url="https://mariadb.com/kb/en/window-functions-overview/",
    ),
]
