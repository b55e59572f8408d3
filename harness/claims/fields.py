"""Fields (ref/databases SQLite and MySQL notes; ref/models/fields)."""

from __future__ import annotations

from harness.claims.model import AtLeast, Claim, Expect, IsA, Source

CLAIMS = [
    Claim(
        check="fields.decimal_19_digits",
        statement=(
            "SQLite has no real decimal type: decimals are stored as REAL (8-byte floating point), so 19 "
            "significant digits do not survive; a DecimalField is a fixed-precision decimal elsewhere."
        ),
        source=Source("ref/databases", "SQLite notes > Decimal handling"),
        expect=(Expect("sqlite", False), Expect("*", True)),
    ),
    Claim(
        check="fields.decimal_sum",
        statement=(
            "SQLite's REAL cannot do correctly-rounded decimal arithmetic: a SUM of 19-digit decimals is "
            "not exact; DecimalField is exact elsewhere."
        ),
        source=Source("ref/databases", "SQLite notes > Decimal handling"),
        expect=(Expect("sqlite", False), Expect("*", True)),
    ),
    Claim(
        check="fields.json_round_trip",
        statement=(
            "JSONField is supported on MariaDB, MySQL, Oracle, PostgreSQL, and SQLite (with the JSON1 "
            "extension, enabled by default from SQLite 3.38)."
        ),
        source=Source("ref/models/fields", "Field types > JSONField"),
        expect=(Expect("*", True),),
    ),
    Claim(
        check="fields.datetime_microseconds",
        statement=(
            "MySQL stores fractional seconds when the column definition includes them (DATETIME(6)), "
            "as the columns Django creates do."
        ),
        source=Source("ref/databases", "MySQL notes > Fractional seconds support for Time and DateTime fields"),
        expect=(Expect(("mysql", "mariadb"), 123456),),
    ),
    Claim(
        check="fields.overlong_string",
        statement=(
            "MySQL's default sql_mode contains STRICT_TRANS_TABLES, which turns truncation on insertion into an error."
        ),
        source=Source("ref/databases", "MySQL notes > Setting sql_mode"),
        expect=(Expect(("mysql", "mariadb"), IsA("django.db.utils.DataError")),),
    ),
    Claim(
        check="fields.overlong_string_non_strict",
        statement=(
            "Without a strict sql_mode MySQL truncates data on insertion (a warning, not an error): "
            "a CharField(max_length=10) keeps 10 characters."
        ),
        source=Source("ref/databases", "MySQL notes > Setting sql_mode"),
        expect=(Expect(("mysql", "mariadb"), 10),),
    ),
    Claim(
        check="fields.text_unique",
        statement=(
            "MySQL can index only the first N characters of a TEXT column, so a TextField cannot be "
            'unique=True: "BLOB/TEXT column used in key specification without a key length".'
        ),
        source=Source("ref/databases", "MySQL notes > Notes on specific fields > TextField limitations"),
        expect=(Expect(("mysql", "mariadb"), IsA("django.db.utils.DatabaseError")),),
    ),
    Claim(
        check="fields.longest_unique_varchar",
        statement=("On MySQL a unique CharField may be restricted to max_length 255; up to 255 characters work."),
        source=Source("ref/databases", "MySQL notes > Notes on specific fields > Character fields"),
        expect=(Expect(("mysql", "mariadb"), AtLeast(255)),),
    ),
    Claim(
        check="fields.char_db_index_indexes",
        statement=(
            "For db_index=True on a varchar or text column, Django creates an additional index with a "
            "LIKE-friendly operator class on PostgreSQL: two indexes."
        ),
        source=Source("ref/databases", "PostgreSQL notes > Indexes for varchar and text columns"),
        expect=(Expect("postgresql", 2),),
    ),
]
