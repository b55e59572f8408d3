"""The model field reference (ref/models/fields): its statements that a backend behaves differently.

"Refused by Django's checks" is how Django turns down a field a backend does not support (the system checks
report an error for the model on that database); where the docs say a backend does not support something
without saying how it fails, any outcome but the one that works is what they claim (``Not``).
"""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, IsA, Not, Source

PAGE = "ref/models/fields"
ERROR = IsA("builtins.Exception")
REFUSED = "refused by Django's checks"


def field_type(name: str, anchor: str | None = None) -> Source:
    return Source(PAGE, f"Field types > {name}", anchor=f"django.db.models.{anchor or name}")


def option(name: str) -> Source:
    return Source(PAGE, f"Field options > {name}", anchor=f"django.db.models.Field.{name}")


CHARFIELD = field_type("CharField", "CharField.max_length")
DATEFIELD = field_type("DateField", "DateField.auto_now_add")
JSONFIELD = field_type("JSONField")
# ExpressionWrapper(F("day") - 1, output_field=DateField()) of the day 2024-01-15: the day before, a date.
PREVIOUS_DAY = {"type": "date", "value": "2024-01-14"}
UUIDFIELD = field_type("UUIDField")
GENERATED = field_type("GeneratedField", "GeneratedField.db_persist")


def _uuid(django: str, native: tuple[str, ...], names: str) -> list[Claim]:
    return [
        Claim(
            check="model-fields.uuid_storage",
            django=django,
            statement=f"When used on {names}, UUIDField stores in a uuid datatype, otherwise in a char(32).",
            source=UUIDFIELD,
            expect=(Expect(native, "uuid"), Expect("*", "char(32)")),
        ),
        Claim(
            check="model-fields.uuid_lookup_without_hyphens",
            django=django,
            statement=(
                "iexact, contains, icontains, startswith, istartswith, endswith and iendswith lookups on "
                f"{names} don't work for values without hyphens, because the uuid datatype stores them hyphenated."
            ),
            source=UUIDFIELD,
            expect=(Expect(native, False),),
        ),
    ]


def _generated(django: str, statement: str, *expect: Expect) -> Claim:
    return Claim(
        check="model-fields.generated_field", django=django, statement=statement, source=GENERATED, expect=expect
    )


CLAIMS = [
    Claim(
        check="model-fields.charfield_without_max_length",
        django="django<5.0",
        statement=(
            "max_length is required for all database backends included with Django except PostgreSQL, which "
            "supports unlimited VARCHAR columns."
        ),
        source=CHARFIELD,
        expect=(
            Expect("postgresql", {REFUSED: False, "stores 300 characters": True}),
            Expect("*", {REFUSED: True, "stores 300 characters": ERROR}),
        ),
    ),
    Claim(
        check="model-fields.charfield_without_max_length",
        django="django>=5.0",
        statement=(
            "max_length is required for all database backends included with Django except PostgreSQL and SQLite, "
            "which support unlimited VARCHAR columns."
        ),
        source=CHARFIELD,
        expect=(
            Expect(("postgresql", "sqlite"), {REFUSED: False, "stores 300 characters": True}),
            Expect("*", {REFUSED: True, "stores 300 characters": ERROR}),
        ),
    ),
    Claim(
        check="model-fields.textfield_db_collation",
        statement="Oracle does not support collations for a TextField.",
        source=field_type("TextField", "TextField.db_collation"),
        expect=(Expect("oracle", True), Expect("*", False)),
    ),
    Claim(
        check="model-fields.duration_storage",
        statement=(
            "DurationField is an interval on PostgreSQL and an INTERVAL DAY(9) TO SECOND(6) on Oracle; otherwise a "
            "bigint of microseconds."
        ),
        source=field_type("DurationField"),
        expect=(Expect(("postgresql", "oracle"), "DurationField"), Expect("*", "BigIntegerField")),
    ),
    Claim(
        check="model-fields.duration_vs_datetime_arithmetic",
        statement=(
            "On all databases other than PostgreSQL, comparing the value of a DurationField to arithmetic on "
            "DateTimeField instances will not work as expected."
        ),
        source=field_type("DurationField"),
        expect=(Expect("postgresql", 1), Expect("*", Not(1))),
    ),
    Claim(
        check="model-fields.json_key_order",
        django="django>=6.1",
        statement="JSONField uses PostgreSQL's jsonb, which doesn't preserve the order of object keys.",
        source=field_type("JSONField"),
        expect=(Expect("postgresql", Not(["b", "a"])),),
    ),
    Claim(
        check="model-fields.json_scalar",
        statement="Oracle Database does not support storing JSON scalar values, only JSON objects and arrays.",
        source=field_type("JSONField"),
        expect=(Expect("oracle", Not("text")),),
    ),
    *_uuid("django<5.0", ("postgresql",), "PostgreSQL"),
    *_uuid("django>=5.0 django<6.1", ("postgresql", "mariadb>=10.7"), "PostgreSQL and MariaDB 10.7+"),
    *_uuid("django>=6.1", ("postgresql", "mariadb"), "PostgreSQL and MariaDB"),
    Claim(
        check="model-fields.datefield_plus_timedelta",
        # The note is new in the 5.2 docs (the 5.0 and 5.1 sdists' ref/models/fields.txt lack it).
        django="django>=5.2",
        statement=(
            "On PostgreSQL and MySQL, arithmetic on a DateField with a timedelta returns a datetime instead of a "
            "date: the timedelta is an SQL INTERVAL, and date +/- interval is a timestamp on these databases."
        ),
        source=field_type("DateField", "DateField.auto_now_add"),
        expect=(Expect(("postgresql", "mysql"), "datetime"),),
    ),
    _generated(
        "django>=5.0 django<6.1",
        "GeneratedField: PostgreSQL only supports persisted columns (db_persist=True); Oracle only supports virtual "
        "ones (db_persist=False); the other backends both.",
        Expect("postgresql", {"stored": 3, "virtual": REFUSED}),
        Expect("oracle", {"stored": REFUSED, "virtual": 3}),
        Expect("*", {"stored": 3, "virtual": 3}),
    ),
    _generated(
        "django>=6.1",
        "GeneratedField: PostgreSQL < 18 only supports persisted columns (db_persist=True) and Oracle < 23ai/26ai "
        "(23.7) only virtual ones; virtual columns on PostgreSQL 18+ and stored ones on Oracle 23.7+ were added in "
        "Django 6.1.",
        Expect(("postgresql>=18", "oracle>=23.7"), {"stored": 3, "virtual": 3}),
        Expect("postgresql", {"stored": 3, "virtual": REFUSED}),
        Expect("oracle", {"stored": REFUSED, "virtual": 3}),
        Expect("*", {"stored": 3, "virtual": 3}),
    ),
    Claim(
        check="model-fields.generated_field_refreshed",
        django="django>=6.0",
        statement=(
            "GeneratedFields are refreshed from the database on save() on backends that support it (SQLite, "
            "PostgreSQL, and Oracle), and marked as deferred otherwise."
        ),
        source=GENERATED,
        expect=(Expect(("sqlite", "postgresql", "oracle"), True), Expect("*", False)),
    ),
    Claim(
        check="model-fields.decimal_without_precision",
        django="django>=6.1",
        statement=(
            "max_digits and decimal_places are always required on MySQL, which doesn't support numeric fields with "
            "no precision; DecimalField with no precision was added on Oracle, PostgreSQL, and SQLite."
        ),
        source=field_type("DecimalField", "DecimalField.decimal_places"),
        expect=(Expect(("oracle", "postgresql", "sqlite"), True), Expect(("mysql", "mariadb"), REFUSED)),
    ),
    Claim(
        check="model-fields.db_on_delete_set_default",
        django="django>=6.1",
        statement=(
            "DB_SET_DEFAULT (the database sets the reference to its db_default when the parent is deleted) is not "
            "supported on MySQL and MariaDB."
        ),
        source=Source(
            PAGE, "Relationship fields > ForeignKey > Arguments", anchor="django.db.models.ForeignKey.on_delete"
        ),
        expect=(Expect(("mysql", "mariadb"), REFUSED), Expect("*", 1)),
    ),
    Claim(
        check="model-fields.db_comment",
        statement="db_comment is the comment on the database column to use for this field.",
        source=option("db_comment"),
        expect=(Expect("*", "The title"),),
    ),
    Claim(
        check="model-fields.db_default",
        django="django>=5.0",
        statement=(
            "db_default is the database-computed default value of the field, a literal or a database function such "
            "as Now(): set by the database for a row the ORM saves without a value, and for rows inserted outside "
            "the ORM."
        ),
        source=option("db_default"),
        expect=(Expect("*", {"ORM": True, "raw SQL": True}),),
    ),
    Claim(
        check="model-fields.datefield_integer_arithmetic",
        django="django>=5.2",
        statement=(
            "To get a date from arithmetic on a DateField, on PostgreSQL only, integer arithmetic can represent days: "
            'ExpressionWrapper(F("date_field") - 1, output_field=DateField()) subtracts one day.'
        ),
        source=DATEFIELD,
        expect=(Expect("postgresql", PREVIOUS_DAY), Expect("*", Not(PREVIOUS_DAY))),
    ),
    Claim(
        check="model-fields.generated_field_immutable",
        django="django>=5.0",
        statement=(
            "There are database-specific restrictions on generated fields that Django doesn't validate, and the "
            "database may raise an error: PostgreSQL requires functions and operators referenced in a generated "
            "column to be marked as IMMUTABLE."
        ),
        source=GENERATED,
        expect=(Expect("postgresql", ERROR),),
    ),
    Claim(
        check="model-fields.json_gin_index",
        statement=(
            "Index and Field.db_index both create a B-tree index, which isn't particularly helpful when querying "
            "JSONField; on PostgreSQL only, a GinIndex (django.contrib.postgres) can be used, which is better suited."
        ),
        source=JSONFIELD,
        expect=(Expect("postgresql", "gin"), Expect("*", Not("gin"))),
    ),
]

CONNECTOR_SOURCE = (
    "https://github.com/mysql/mysql-connector-python/blob/trunk/mysql-connector-python/lib/mysql/connector/django/"
)
NOT_MARIADB = (
    "Connector/Python's Django backend answers False for mysql_is_mariadb (lib/mysql/connector/django/base.py, "
    "DatabaseWrapper.__getattr__), so the MySQL features it takes from Django are MySQL's"
)

EXPLANATIONS = [
    Explanation(
        check="model-fields.db_comment",
        when="+connector",
        observed="django.db.utils.ProgrammingError",
        text=(
            "Connector/Python's schema editor quotes a value with the connection's converter.escape(), which "
            "escapes it but adds no quotes (lib/mysql/connector/django/schema.py, quote_value), so Django's "
            "COMMENT %s becomes COMMENT The title, a syntax error (1064), and the table is not created."
        ),
        source="MySQL Connector/Python source, lib/mysql/connector/django/schema.py (DatabaseSchemaEditor.quote_value)",
        url=CONNECTOR_SOURCE + "schema.py",
    ),
    Explanation(
        check="model-fields.duration_vs_datetime_arithmetic",
        when=("sqlite", "mysql", "mariadb", "oracle"),
        observed=1,
        text=(
            "Django subtracts DateTimeFields on every built-in backend with SQL of the backend's own "
            "(DatabaseOperations.subtract_temporals: SQLite's django_timestamp_diff() function, MySQL's "
            "TIMESTAMPDIFF(MICROSECOND, ...), Oracle's interval arithmetic) that gives the microseconds a "
            "DurationField holds there, so the comparison finds the row; the caveat dates from before temporal "
            "subtraction was added (Django 1.10: supports_temporal_subtraction)."
        ),
        source=(
            "Django source, django/db/backends/mysql/operations.py and sqlite3/operations.py (subtract_temporals); "
            "Django 1.10 release notes, Database backend API"
        ),
        url="https://github.com/django/django/blob/main/django/db/backends/mysql/operations.py",
    ),
    *(
        Explanation(
            check=check,
            when="mariadb +connector django>=5.0",
            observed=observed,
            text=(
                f"{NOT_MARIADB}: has_native_uuid_field, which Django's MySQL features turn on for MariaDB only "
                "(django/db/backends/mysql/features.py), is off, so the column is char(32) and holds the UUID as 32 "
                "hex digits."
            ),
            source="MySQL Connector/Python source, lib/mysql/connector/django/base.py (DatabaseWrapper.__getattr__)",
            url=CONNECTOR_SOURCE + "base.py",
        )
        for check, observed in (
            ("model-fields.uuid_storage", "char(32)"),
            ("model-fields.uuid_lookup_without_hyphens", True),
        )
    ),
    Explanation(
        check="model-fields.generated_field_refreshed",
        when="mariadb>=10.5 +mysqlclient django>=6.0",
        observed=True,
        text=(
            "MariaDB 10.5+ has INSERT ... RETURNING, which Django's MySQL features use for MariaDB "
            "(can_return_columns_from_insert, django/db/backends/mysql/features.py), so Django 6.0 reads the "
            "generated value back with the INSERT as it does on SQLite, PostgreSQL and Oracle; MySQL has no "
            "RETURNING."
        ),
        source="MariaDB Server documentation, INSERT...RETURNING (MariaDB 10.5.0)",
        url="https://mariadb.com/kb/en/insertreturning/",
    ),
    Explanation(
        check="model-fields.db_on_delete_set_default",
        when="+connector django>=6.1",
        observed="builtins.TypeError",
        text=(
            "Django's system check of the foreign key names the backend with connection.display_name, which "
            "Connector/Python's backend defines as a cached_property over a staticmethod that takes no argument, so "
            "reading it raises TypeError and the check itself fails."
        ),
        source="MySQL Connector/Python source, lib/mysql/connector/django/base.py (DatabaseWrapper.display_name)",
        url=CONNECTOR_SOURCE + "base.py",
    ),
    Explanation(
        check="model-fields.db_comment",
        when="sqlite",
        observed=None,
        text=(
            "SQLite has no comments on columns (its CREATE TABLE and ALTER TABLE grammar has no COMMENT clause), and "
            "Django's SQLite backend says so (supports_comments is False) and leaves db_comment out."
        ),
        source="SQLite docs, CREATE TABLE (syntax diagrams); Django source, django/db/backends/sqlite3/features.py",
        url="https://www.sqlite.org/lang_createtable.html",
    ),
    Explanation(
        check="model-fields.datefield_integer_arithmetic",
        when="oracle",
        observed=PREVIOUS_DAY,
        text=(
            "Oracle Database interprets a NUMBER in arithmetic with a DATE as a number of days (DATE - 1 is the day "
            "before, a DATE), and Django's Oracle backend reads a DATE back as a date for a DateField "
            "(django/db/backends/oracle/operations.py, convert_datefield_value), so the docs' PostgreSQL-only "
            "integer arithmetic gives the day before on Oracle too."
        ),
        source="Oracle Database SQL Language Reference, Data Types > Datetime/Interval Arithmetic",
        url="https://docs.oracle.com/en/database/oracle/oracle-database/23/sqlrf/Data-Types.html",
    ),
]
