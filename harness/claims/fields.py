"""Fields (ref/databases SQLite, MySQL and PostgreSQL notes; ref/models/fields)."""

from __future__ import annotations

from harness.claims.model import AtLeast, Claim, Expect, Explanation, IsA, Source

SQL_MODE = Source("ref/databases", "MySQL notes > Connecting to the database > Setting sql_mode")

CLAIMS = [
    Claim(
        check="fields.decimal_19_digits",
        statement=(
            "A DecimalField is a fixed-precision decimal number holding up to max_digits digits (the docs' "
            "own example has max_digits=19), but mind SQLite's limitation: SQLite has no real decimal type "
            "and converts decimals to REAL (8-byte floating point), which cannot keep 19 significant digits."
        ),
        source=Source("ref/models/fields", "Field types > DecimalField"),
        expect=(Expect("sqlite", False), Expect("*", True)),
    ),
    Claim(
        check="fields.decimal_sum",
        statement=(
            "SQLite converts decimal values to REAL (8-byte floating point), so they don't support "
            "correctly-rounded decimal arithmetic: a SUM of 19-digit decimals is not exact."
        ),
        source=Source("ref/databases", "SQLite notes > Decimal handling"),
        # The section is about SQLite alone: it says nothing of the other backends' sums.
        expect=(Expect("sqlite", False),),
    ),
    Claim(
        check="fields.json_round_trip",
        statement=(
            "JSONField is supported on MariaDB, MySQL, Oracle, PostgreSQL, and SQLite (with the JSON1 "
            "extension enabled, which it is by default from SQLite 3.38)."
        ),
        source=Source("ref/models/fields", "Field types > JSONField"),
        expect=(Expect("*", True),),
    ),
    Claim(
        check="fields.datetime_microseconds",
        statement=(
            "MySQL stores fractional seconds when the column definition includes them (DATETIME(6)); "
            "Django only leaves existing columns without them, so the columns it creates keep microseconds."
        ),
        source=Source("ref/databases", "MySQL notes > Fractional seconds support for Time and DateTime fields"),
        expect=(Expect(("mysql", "mariadb"), 123456),),
    ),
    Claim(
        check="fields.overlong_string",
        statement=(
            "MySQL's default sql_mode contains STRICT_TRANS_TABLES, which escalates the warning into an error "
            "when data are truncated upon insertion."
        ),
        source=SQL_MODE,
        # "errors": an error from the database, of whichever class the driver's error maps to.
        expect=(Expect(("mysql", "mariadb"), IsA("django.db.utils.DatabaseError")),),
    ),
    Claim(
        check="fields.overlong_string_non_strict",
        statement=(
            "Without a strict sql_mode MySQL truncates data upon insertion with a warning, not an error: "
            "30 characters in a CharField(max_length=10) are cut to the column's 10."
        ),
        source=SQL_MODE,
        expect=(Expect(("mysql", "mariadb"), 10),),
    ),
    Claim(
        check="fields.text_unique",
        statement=(
            "MySQL can index only the first N characters of a TEXT column, so a TextField, having no defined "
            "length, can't be unique=True: MySQL reports \"BLOB/TEXT column used in key specification "
            'without a key length".'
        ),
        source=Source("ref/databases", "MySQL notes > Notes on specific fields > TextField limitations"),
        expect=(Expect(("mysql", "mariadb"), IsA("django.db.utils.DatabaseError")),),
    ),
    Claim(
        check="fields.longest_unique_varchar",
        statement=(
            "On MySQL a VARCHAR field with unique=True may have its max_length restricted to 255 characters: "
            "up to 255 is always allowed (what lies beyond depends on the server)."
        ),
        source=Source("ref/databases", "MySQL notes > Notes on specific fields > Character fields"),
        expect=(Expect(("mysql", "mariadb"), AtLeast(255)),),
    ),
    Claim(
        check="fields.char_db_index_indexes",
        statement=(
            "For db_index=True on a varchar or text column, Django creates on PostgreSQL an additional index "
            "with a LIKE-friendly operator class besides the usual one: two indexes."
        ),
        source=Source("ref/databases", "PostgreSQL notes > Indexes for varchar and text columns"),
        expect=(Expect("postgresql", 2),),
    ),
]

EXPLANATIONS = [
    Explanation(
        check="fields.text_unique",
        when="mariadb>=10.4",
        observed="ok",
        text=(
            "From MariaDB 10.4 a unique index may be set on a BLOB or TEXT column without a key length: MariaDB "
            "enforces it with a hash of the whole value (UNIQUE ... USING HASH), so TextField(unique=True) is "
            "created; MySQL still refuses it."
        ),
        source="MariaDB Server documentation, BLOB > Indexing (TEXT is the BLOB type with a character set)",
        url="https://mariadb.com/kb/en/blob/",
    ),
    Explanation(
        check="fields.datetime_microseconds",
        when="mariadb<11.0.1 +connector",
        observed=0,
        text=(
            "Connector/Python's Django backend keeps microseconds only when its features say "
            "supports_microsecond_precision, which it decides by mysql_version >= (5, 6, 3); it takes that "
            "version from the server's handshake, where MariaDB before 11.0.1 puts the prefix '5.5.5-' "
            "(5.5.5-10.11.x-MariaDB), so the backend believes it talks to MySQL 5.5.5 and drops the microseconds "
            "before sending the value (the column is DATETIME(6))."
        ),
        source=(
            "MySQL Connector/Python source, lib/mysql/connector/django/features.py "
            "(supports_microsecond_precision) and operations.py (value_to_db_datetime)"
        ),
        url=(
            "https://github.com/mysql/mysql-connector-python/blob/trunk/mysql-connector-python/lib/mysql/"
            "connector/django/features.py"
        ),
    ),
]
