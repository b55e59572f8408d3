"""The QuerySet API reference (ref/models/querysets): its statements that a backend behaves differently.

Where the page says "MySQL" of what Django's MySQL backend or its drivers do, the claim covers MariaDB too,
which is used through that backend (ref/databases, MariaDB notes: "use the MySQL backend, which is shared
between the two"); where it says it of the server itself (how it sorts NULLs), MariaDB gets no claim. A
statement that names no outcome for the other backends ("On PostgreSQL only, you can ...") claims only
what it says of them.
"""

from __future__ import annotations

from harness.claims.model import AtLeast, Claim, Expect, Explanation, IsA, Not, Source
from harness.claims.row_locking import STATEMENTS as LOCKING_STATEMENTS
from harness.claims.row_locking import SUPPORT as LOCKING_SUPPORT

PAGE = "ref/models/querysets"
QUERYSET = "django.db.models.query.QuerySet"
ERROR = IsA("builtins.Exception")
DATABASE_ERROR = IsA("django.db.utils.DatabaseError")
NOT_SUPPORTED = IsA("django.db.utils.NotSupportedError")
# What a statement that says "may" leaves open: an outcome is "ok" or an error's class, never None.
ANY_OUTCOME = Not(None)


def method(name: str, section: str = "Methods that return new QuerySets") -> Source:
    return Source(PAGE, f"QuerySet API > {section} > {name}()", anchor=f"{QUERYSET}.{name}")


def returning(name: str) -> Source:
    return method(name, "Methods that do not return QuerySets")


def lookup(name: str) -> Source:
    return Source(PAGE, f"QuerySet API > Field lookups > {name}", anchor=f"std-fieldlookup-{name}")


def aggregate(name: str) -> Source:
    return Source(PAGE, f"QuerySet API > Aggregation functions > {name}", anchor=f"django.db.models.{name}")


EXPLAIN = returning("explain")
BULK_CREATE = returning("bulk_create")
# The rows suites/test_querysets.py shares: distinct("n") keeps ids 1 and 3; Q(a) ^ Q(b) ^ Q(c) is true in
# 1, 2 and 3 of its operands in rows 1, 2 and 3.
DISTINCT_ON = [1, 3]
PARITY = [1, 3]
EXACTLY_ONE = [1]
ALL_FORMATS = ("TEXT", "TRADITIONAL", "JSON", "YAML", "XML", "TREE")


def formats(*supported: str) -> dict[str, object]:
    return {name: "ok" if name in supported else ERROR for name in ALL_FORMATS}


def _bulk_create_pk(django: str, where: tuple[str, ...], statement: str) -> Claim:
    return Claim(
        check="querysets.bulk_create_sets_pk",
        django=django,
        statement=statement,
        source=BULK_CREATE,
        expect=(Expect(where, [True, True, True]), Expect("*", [False, False, False])),
    )


def _upsert(django: str, not_supported: tuple[str, ...], statement: str) -> list[Claim]:
    return [
        Claim(
            check="querysets.bulk_create_update_conflicts",
            django=django,
            statement=(
                f"{statement} On PostgreSQL and SQLite a list of unique_fields that may be in conflict is given "
                "besides update_fields: the conflicting row is updated."
            ),
            source=BULK_CREATE,
            expect=(Expect(not_supported, ERROR), Expect(("postgresql", "sqlite"), "new")),
        ),
        Claim(
            check="querysets.bulk_create_update_conflicts_no_target",
            django=django,
            statement=(
                f"{statement} On PostgreSQL and SQLite a list of unique_fields must be provided besides "
                "update_fields (without one the call fails); MySQL and MariaDB update the conflicting row without."
            ),
            source=BULK_CREATE,
            expect=(
                Expect(not_supported, ERROR),
                Expect(("postgresql", "sqlite"), ERROR),
                Expect(("mysql", "mariadb"), "new"),
            ),
        ),
    ]


CLAIMS = [
    Claim(
        check="querysets.distinct_on_fields",
        statement=(
            "On PostgreSQL only, distinct(*fields) names the fields DISTINCT applies to (SELECT DISTINCT ON): "
            "the first row of each n is kept. No other backend does so."
        ),
        source=method("distinct"),
        expect=(Expect("postgresql", DISTINCT_ON), Expect("*", Not(DISTINCT_ON))),
    ),
    Claim(
        check="querysets.values_json_keywords",
        statement=(
            "Due to how JSON_EXTRACT and JSON_TYPE work on SQLite, and its lack of a BOOLEAN type, values() and "
            'values_list() return True, False and None instead of the strings "true", "false" and "null" for '
            "JSONField key transforms."
        ),
        source=method("values"),
        expect=(
            Expect("sqlite", {"values": [False, None, True], "values_list": [False, None, True]}),
            Expect("*", {"values": ["false", "null", "true"], "values_list": ["false", "null", "true"]}),
        ),
    ),
    Claim(
        check="querysets.datetimes_time_zone",
        statement=(
            "datetimes() converts the values to the tzinfo given before truncating them: 23:30 UTC on January 15 "
            "is January 16 in Europe/Paris. SQLite, PostgreSQL and Oracle need nothing for "
            "it; MySQL needs its time zone tables loaded."
        ),
        source=method("datetimes"),
        expect=(Expect("*", ["2024-01-16"]),),
    ),
    Claim(
        check="querysets.select_for_update_window",
        statement="PostgreSQL doesn't support select_for_update() with Window expressions.",
        source=method("select_for_update"),
        expect=(Expect("postgresql", DATABASE_ERROR),),
    ),
    *(
        Claim(
            check="querysets.select_for_update_of_join",
            django=django,
            statement=(
                f'{LOCKING_STATEMENTS[django]["of"]} of=("self",) locks the rows of the queryset\'s own model when '
                "it joins others (select_related); an unsupported option raises NotSupportedError, and on SQLite "
                "select_for_update() has no effect."
            ),
            source=method("select_for_update"),
            expect=(Expect(("sqlite", *LOCKING_SUPPORT[django]["of"]), "ok"), Expect("*", NOT_SUPPORTED)),
        )
        for django in LOCKING_STATEMENTS
    ),
    Claim(
        check="querysets.xor",
        django="django<5.0",
        statement=(
            "x ^ y ^ z combines the conditions with the SQL XOR operator, natively supported on MariaDB and MySQL "
            "(where three operands are true when an odd number is); on other databases it is converted to "
            "(x OR y OR z) AND 1 = (the number of them that are true): exactly one."
        ),
        source=Source(PAGE, "QuerySet API > Operators that return new QuerySets > XOR (^)", anchor="xor"),
        expect=(
            Expect(("mysql", "mariadb"), {"ids": PARITY, "XOR sent": True}),
            Expect("*", {"ids": EXACTLY_ONE, "XOR sent": False}),
        ),
    ),
    Claim(
        check="querysets.xor",
        django="django>=5.0",
        statement=(
            "A XOR expression matches rows that are matched by an odd number of operands. XOR is natively "
            "supported on MariaDB and MySQL; on other databases x ^ y ^ z is converted to (x OR y OR z) AND "
            "1 = MOD(the number of them that are true, 2)."
        ),
        source=Source(PAGE, "QuerySet API > Operators that return new QuerySets > XOR (^)", anchor="xor"),
        expect=(
            Expect(("mysql", "mariadb"), {"ids": PARITY, "XOR sent": True}),
            Expect("*", {"ids": PARITY, "XOR sent": False}),
        ),
    ),
    _bulk_create_pk(
        "django<5.0",
        ("postgresql", "mariadb>=10.5", "sqlite>=3.35"),
        "With an AutoField primary key, bulk_create() sets the primary key attribute only on certain databases "
        "(currently PostgreSQL, MariaDB 10.5+, and SQLite 3.35+); on other databases it is not set.",
    ),
    _bulk_create_pk(
        "django>=5.0 django<6.1",
        ("postgresql", "mariadb", "sqlite>=3.35"),
        "With an AutoField primary key and ignore_conflicts False, bulk_create() sets the primary key attribute "
        "only on certain databases (currently PostgreSQL, MariaDB, and SQLite 3.35+); on other databases it is not "
        "set.",
    ),
    _bulk_create_pk(
        "django>=6.1",
        ("postgresql", "mariadb", "sqlite"),
        "With an AutoField primary key and ignore_conflicts False, bulk_create() sets the primary key attribute "
        "only on certain databases (currently PostgreSQL, MariaDB, and SQLite); on other databases it is not set.",
    ),
    Claim(
        check="querysets.bulk_create_ignore_conflicts",
        statement=(
            "On databases that support it (all but Oracle), ignore_conflicts=True ignores the rows that fail "
            "constraints such as duplicate unique values, and the others are inserted; it disables setting the "
            "primary key on each model instance."
        ),
        source=BULK_CREATE,
        expect=(
            Expect("oracle", {"raised": ERROR, "rows": None, "pk set": False}),
            Expect("*", {"raised": None, "rows": 2, "pk set": False}),
        ),
    ),
    Claim(
        check="querysets.bulk_create_ignore_conflicts_null",
        statement=(
            "On MySQL and MariaDB, ignore_conflicts=True turns certain errors other than duplicate key into "
            "warnings, even with strict mode: for example a non-nullable violation."
        ),
        source=BULK_CREATE,
        expect=(Expect(("mysql", "mariadb"), "ok"),),
    ),
    *_upsert(
        "django<5.0",
        ("oracle", "sqlite<3.24"),
        "On databases that support it (all except Oracle and SQLite < 3.24), update_conflicts=True updates "
        "update_fields when a row insertion fails on conflicts.",
    ),
    *_upsert(
        "django>=5.0",
        ("oracle",),
        "On databases that support it (all except Oracle), update_conflicts=True updates update_fields when a "
        "row insertion fails on conflicts.",
    ),
    Claim(
        check="querysets.bulk_create_batches",
        django="django<5.0",
        statement=(
            "bulk_create() creates all objects in one batch by default, except for SQLite, where the batches are "
            "such that at most 999 variables per query are used (2400 parameters: three statements at least)."
        ),
        source=BULK_CREATE,
        expect=(Expect("sqlite", AtLeast(3)), Expect("*", 1)),
    ),
    Claim(
        check="querysets.bulk_create_batches",
        django="django>=5.0",
        statement=(
            "bulk_create() creates as many objects in one batch as the database will allow by default (SQLite and "
            "Oracle limit the number of parameters in a query): 2400 parameters are within every limit but that of "
            "SQLite before 3.32.0, whose default SQLITE_MAX_VARIABLE_NUMBER is 999 (32766 from 3.32.0; SQLite docs, "
            "Limits In SQLite), so one INSERT."
        ),
        source=BULK_CREATE,
        expect=(Expect("sqlite<3.32", AtLeast(3)), Expect("*", 1)),
    ),
    Claim(
        check="querysets.bulk_update_batches",
        statement=(
            "bulk_update() updates all objects in one batch by default, except for SQLite and Oracle, which have "
            "restrictions on the number of variables used in a query."
        ),
        source=returning("bulk_update"),
        expect=(Expect(("postgresql", "mysql", "mariadb"), 1),),
    ),
    Claim(
        check="querysets.iterator_sees_later_writes",
        statement=(
            "MySQL doesn't support streaming results: the driver loads the entire result set into memory, so what "
            "an iterator() reads is the result as it was when the query ran (rows changed after it ran read as "
            "they were)."
        ),
        source=Source(
            PAGE,
            "QuerySet API > Methods that do not return QuerySets > iterator() > Without server-side cursors",
            anchor="without-server-side-cursors",
        ),
        expect=(Expect(("mysql", "mariadb"), ["Émile", "alfred"]),),
    ),
    Claim(
        check="querysets.null_ordering",
        statement=(
            "Ordering is delegated to the database: PostgreSQL and MySQL sort null values as if they are higher "
            "than non-null values (last ascending, so latest() gets a NULL), while SQLite does the opposite."
        ),
        source=returning("latest"),
        expect=(
            Expect(("postgresql", "mysql"), {"order_by": [1, 2, None, None], "latest": None}),
            Expect("sqlite", {"order_by": [None, None, 1, 2], "latest": 2}),
        ),
    ),
    Claim(
        check="querysets.update_order_by",
        statement=(
            "Chaining order_by() with update() is supported only on MariaDB and MySQL: a unique field is updated "
            "in the order given, without conflicts."
        ),
        source=Source(
            PAGE,
            "QuerySet API > Methods that do not return QuerySets > update() > Ordered queryset",
            anchor="ordered-queryset",
        ),
        expect=(Expect(("mysql", "mariadb"), "ok"),),
    ),
    Claim(
        check="querysets.update_order_by_sent",
        statement="Chaining order_by() with update() is supported only on MariaDB and MySQL, and ignored elsewhere.",
        source=Source(
            PAGE,
            "QuerySet API > Methods that do not return QuerySets > update() > Ordered queryset",
            anchor="ordered-queryset",
        ),
        expect=(Expect(("mysql", "mariadb"), True), Expect("*", False)),
    ),
    Claim(
        check="querysets.update_related_filter",
        django="django>=5.2",
        statement=(
            "MySQL does not support self-select updates: filtering on related tables, QuerySet.update() may "
            "execute a SELECT followed by an UPDATE instead of a single UPDATE."
        ),
        source=returning("update"),
        expect=(Expect("mysql", ["SELECT", "UPDATE"]),),
    ),
    Claim(
        check="querysets.explain",
        statement="explain() is supported by all built-in database backends except Oracle.",
        source=EXPLAIN,
        expect=(Expect("oracle", ERROR), Expect("*", "ok")),
    ),
    Claim(
        check="querysets.explain_formats",
        statement=(
            "PostgreSQL supports the 'TEXT', 'JSON', 'YAML' and 'XML' formats; MariaDB and MySQL 'TEXT' (also "
            "called 'TRADITIONAL') and 'JSON'; MySQL 8.0.16+ also 'TREE'. Oracle has no explain()."
        ),
        source=EXPLAIN,
        expect=(
            Expect("postgresql", formats("TEXT", "JSON", "YAML", "XML")),
            Expect("mysql>=8.0.16", formats("TEXT", "TRADITIONAL", "JSON", "TREE")),
            Expect(("mysql", "mariadb"), formats("TEXT", "TRADITIONAL", "JSON")),
            Expect("oracle", formats()),
        ),
    ),
    Claim(
        check="querysets.explain_default_tree",
        statement="MySQL 8.0.16+ supports the 'TREE' format, which explain() uses by default where it is supported.",
        source=EXPLAIN,
        expect=(Expect("mysql>=8.0.16", True), Expect("mysql", False)),
    ),
    Claim(
        check="querysets.explain_analyze",
        django="django<6.1",
        statement="The ANALYZE flag is supported by MariaDB, MySQL 8.0.18+, and PostgreSQL; Oracle has no explain().",
        source=EXPLAIN,
        expect=(Expect(("mariadb", "mysql>=8.0.18", "postgresql"), "ok"), Expect("oracle", ERROR)),
    ),
    Claim(
        check="querysets.explain_analyze",
        django="django>=6.1",
        statement="The ANALYZE flag is supported by MariaDB, MySQL, and PostgreSQL; Oracle has no explain().",
        source=EXPLAIN,
        expect=(Expect(("mariadb", "mysql", "postgresql"), "ok"), Expect("oracle", ERROR)),
    ),
    Claim(
        check="querysets.explain_generic_plan",
        django="django>=5.2 django<6.0",
        statement="explain() takes the generic_plan option on PostgreSQL 16+ (added in Django 5.2).",
        source=EXPLAIN,
        expect=(Expect("postgresql>=16", "ok"), Expect("postgresql", ERROR)),
    ),
    Claim(
        check="querysets.explain_memory_serialize",
        django="django>=5.2 django<6.1",
        statement="explain() takes the memory and serialize options on PostgreSQL 17+ (added in Django 5.2).",
        source=EXPLAIN,
        expect=(
            Expect("postgresql>=17", {"memory": "ok", "serialize": "ok"}),
            Expect("postgresql", {"memory": ERROR, "serialize": ERROR}),
        ),
    ),
    Claim(
        check="querysets.like_lookups_ignore_case",
        statement=(
            "startswith and endswith are case-sensitive; SQLite doesn't support case-sensitive LIKE statements, so "
            "there startswith acts like istartswith and endswith like iendswith."
        ),
        source=lookup("startswith"),
        expect=(
            Expect("sqlite", {"startswith": True, "endswith": True}),
            Expect("*", {"startswith": False, "endswith": False}),
        ),
    ),
    Claim(
        check="querysets.regex_case",
        statement=(
            "regex is a case-sensitive regular expression match and iregex a case-insensitive one, on every "
            "backend (the docs' SQL: REGEXP BINARY on MySQL, REGEXP_LIKE(..., 'c') on Oracle, ~ on PostgreSQL)."
        ),
        source=lookup("regex"),
        expect=(Expect("*", {"regex": False, "iregex": True}),),
    ),
    Claim(
        check="querysets.regex_python_syntax",
        statement=(
            "SQLite has no built-in regular expressions: a Python user-defined REGEXP function provides them, so "
            "the syntax is that of Python's re module (a named group (?P<name>...) included)."
        ),
        source=lookup("regex"),
        expect=(Expect("sqlite", True),),
    ),
    Claim(
        check="querysets.aggregate_datetime",
        statement=(
            "SQLite can't handle aggregation on date/time fields out of the box (Django emulates them with text): "
            "aggregating a date/time field on SQLite raises NotSupportedError."
        ),
        source=Source(PAGE, "QuerySet API > Aggregation functions", anchor="aggregation-functions"),
        expect=(Expect("sqlite", {"Max": NOT_SUPPORTED, "Sum": NOT_SUPPORTED}),),
    ),
    Claim(
        check="querysets.any_value",
        django="django>=6.0",
        statement="AnyValue is supported on SQLite, MySQL, Oracle, and PostgreSQL 16+.",
        source=aggregate("AnyValue"),
        expect=(Expect(("sqlite", "mysql", "oracle", "postgresql>=16"), "ok"), Expect("*", ERROR)),
    ),
    Claim(
        check="querysets.any_value_only_full_group_by",
        django="django>=6.0",
        statement=(
            "When the ONLY_FULL_GROUP_BY SQL mode is enabled on MySQL it may be necessary to use AnyValue if an "
            "aggregation includes a mix of aggregate and non-aggregate functions: AnyValue allows the non-aggregate "
            'function to be referenced in the select list, so the aggregation with it runs ("may": whether it '
            "fails without AnyValue is not claimed)."
        ),
        source=aggregate("AnyValue"),
        expect=(Expect("mysql", {"without AnyValue": ANY_OUTCOME, "with AnyValue": "ok"}),),
    ),
    Claim(
        check="querysets.bit_aggregate_default",
        django="django>=6.1",
        statement=(
            "BitAnd returns default if all values are null; the default parameter is not supported on MariaDB, "
            "MySQL, and Oracle."
        ),
        source=aggregate("BitAnd"),
        expect=(Expect(("mariadb", "mysql", "oracle"), ERROR), Expect("*", 0)),
    ),
    Claim(
        check="querysets.string_agg_distinct",
        django="django>=6.1",
        statement='On SQLite, the literal delimiter Value(",") is the only delimiter compatible with distinct=True.',
        source=aggregate("StringAgg"),
        expect=(Expect("sqlite", {"','": "ok", "';'": ERROR}),),
    ),
]

# Connector/Python's Django backend and MariaDB: the backend never tells MariaDB from MySQL.
CONNECTOR_BASE = "MySQL Connector/Python source, lib/mysql/connector/django/base.py (DatabaseWrapper.__getattr__)"
CONNECTOR_BASE_URL = "https://github.com/mysql/mysql-connector-python/blob/trunk/mysql-connector-python/lib/mysql/connector/django/base.py"
NOT_MARIADB = (
    "Connector/Python's Django backend answers False for mysql_is_mariadb (its DatabaseWrapper.__getattr__ answers "
    "False for any mysql_is_* name), so the features and SQL it takes from Django's MySQL backend are MySQL's"
)
PYSQLITE3_GETLIMIT = Explanation(
    check="",
    when="sqlite +pysqlite3 django>=6.0",
    text=(
        "Django 6.0+ sizes SQLite batches with Connection.getlimit(SQLITE_LIMIT_VARIABLE_NUMBER) "
        "(django/db/backends/sqlite3/features.py, max_query_params), a method the standard library's sqlite3 has "
        "since Python 3.11 and pysqlite3's Connection lacks, so bulk_create() raises AttributeError before any "
        "INSERT."
    ),
    source=(
        "pysqlite3 source, src/connection.c (connection_methods: no getlimit); Python docs, sqlite3.Connection.getlimit"
    ),
    url="https://github.com/coleifer/pysqlite3/blob/master/src/connection.c",
)


def _on_pysqlite3(check: str) -> Explanation:
    return Explanation(**{**PYSQLITE3_GETLIMIT.__dict__, "check": check})


EXPLANATIONS = [
    Explanation(
        check="querysets.regex_case",
        when="mariadb>=11 +connector",
        observed={"regex": "django.db.utils.ProgrammingError", "iregex": "django.db.utils.ProgrammingError"},
        text=(
            "Connector/Python's Django backend writes regex and iregex as REGEXP_LIKE(..., 'c' / 'i') for any server "
            "version 8.0 or later, the version it takes from the server's handshake; MariaDB 11 reports its own "
            "version there (11.8), where MariaDB 10 reported 5.5.5-10.x, and MariaDB has no REGEXP_LIKE() function "
            "(only REGEXP / RLIKE), so the query fails with error 1305, FUNCTION ... REGEXP_LIKE does not exist."
        ),
        source=(
            "MySQL Connector/Python source, lib/mysql/connector/django/operations.py (DatabaseOperations."
            "regex_lookup); MariaDB Knowledge Base, Regular Expressions Functions (REGEXP, REGEXP_INSTR, "
            "REGEXP_REPLACE, REGEXP_SUBSTR)"
        ),
        url="https://mariadb.com/kb/en/regular-expressions-functions/",
    ),
    Explanation(
        check="querysets.aggregate_datetime",
        when="sqlite",
        observed={"Max": "ok", "Sum": "django.db.utils.NotSupportedError"},
        text=(
            "Django's SQLite backend refuses only Sum, Avg, Variance and StdDev of date/time fields "
            "(DatabaseOperations.check_expression_support); Max and Min compare the ISO 8601 text Django stores, "
            "which sorts chronologically, so they work."
        ),
        source="Django source, django/db/backends/sqlite3/operations.py (check_expression_support)",
        url="https://github.com/django/django/blob/main/django/db/backends/sqlite3/operations.py",
    ),
    Explanation(
        check="querysets.bulk_create_batches",
        when="sqlite>=3.32 django>=5.0 django<6.0",
        text=(
            "Django 5.x's SQLite backend sizes batches by max_query_params = 999, the limit of SQLite before 3.32.0, "
            "whatever the library allows (django/db/backends/sqlite3/features.py; operations.py, bulk_batch_size); "
            "from 3.32.0 SQLite's default SQLITE_MAX_VARIABLE_NUMBER is 32766, so the 2400 parameters would fit one "
            "INSERT. Django 6.0 asks the library for its limit instead."
        ),
        source=(
            "SQLite docs, Limits In SQLite > Maximum Number Of Host Parameters In A Single SQL Statement; Django "
            "source, django/db/backends/sqlite3/features.py (max_query_params)"
        ),
        url="https://www.sqlite.org/limits.html#max_variable_number",
    ),
    *(
        _on_pysqlite3(check)
        for check in (
            "querysets.bulk_create_batches",
            "querysets.bulk_create_sets_pk",
            "querysets.bulk_create_ignore_conflicts",
            "querysets.bulk_create_update_conflicts",
        )
    ),
    Explanation(
        check="querysets.bulk_create_sets_pk",
        when="mariadb +connector",
        observed=[False, False, False],
        text=(
            f"{NOT_MARIADB}: can_return_rows_from_bulk_insert, which Django's MySQL features turn on for MariaDB "
            "only (its INSERT ... RETURNING), is off, so no primary key is read back."
        ),
        source=CONNECTOR_BASE
        + "; Django source, django/db/backends/mysql/features.py (can_return_columns_from_insert)",
        url=CONNECTOR_BASE_URL,
    ),
    Explanation(
        check="querysets.bulk_create_update_conflicts_no_target",
        when="mariadb +connector",
        observed="django.db.utils.ProgrammingError",
        text=(
            f"{NOT_MARIADB}: for a MySQL of 8.0.19 or later Django writes INSERT ... AS new ON DUPLICATE KEY UPDATE "
            "col = new.col (a row alias, django/db/backends/mysql/operations.py, on_conflict_suffix_sql), which "
            "MariaDB's grammar lacks (it takes VALUES(col)): error 1064, a syntax error."
        ),
        source="MariaDB Server documentation, INSERT ON DUPLICATE KEY UPDATE; " + CONNECTOR_BASE,
        url="https://mariadb.com/kb/en/insert-on-duplicate-key-update/",
    ),
    Explanation(
        check="querysets.select_for_update_of_join",
        when="mariadb +connector",
        observed="django.db.utils.ProgrammingError",
        text=(
            f"{NOT_MARIADB}: has_select_for_update_of is on, and Django sends SELECT ... FOR UPDATE OF, which "
            "MariaDB, whose locking clause takes only WAIT n, NOWAIT and SKIP LOCKED, rejects as a syntax error (1064) "
            "where Django's own backend refuses the option first (NotSupportedError)."
        ),
        source="MariaDB Server documentation, SELECT (FOR UPDATE); " + CONNECTOR_BASE,
        url="https://mariadb.com/kb/en/select/",
    ),
    Explanation(
        check="querysets.explain",
        when="mariadb +connector",
        observed="django.db.utils.DatabaseError",
        text=(
            f"{NOT_MARIADB}: for a MySQL of 8.0.16 or later Django's explain() asks for FORMAT=TREE by default "
            "(django/db/backends/mysql/operations.py, explain_query_prefix), a format MariaDB's EXPLAIN does not "
            "have (it has FORMAT=JSON): error 1791, unknown EXPLAIN format name."
        ),
        source="MariaDB Server documentation, EXPLAIN FORMAT=JSON; " + CONNECTOR_BASE,
        url="https://mariadb.com/kb/en/explain-format-json/",
    ),
    Explanation(
        check="querysets.explain_analyze",
        when="mariadb +connector",
        observed="django.db.utils.ProgrammingError",
        text=(
            f"{NOT_MARIADB}: Django writes MySQL's EXPLAIN ANALYZE where MariaDB's statement is ANALYZE SELECT ... "
            "(django/db/backends/mysql/operations.py, explain_query_prefix), and MariaDB rejects it: error 1064."
        ),
        source="MariaDB Server documentation, ANALYZE Statement; " + CONNECTOR_BASE,
        url="https://mariadb.com/kb/en/analyze-statement/",
    ),
    Explanation(
        check="querysets.iterator_sees_later_writes",
        when="+connector",
        observed=[],
        text=(
            "Connector/Python's Django backend opens its connections with consume_results=True "
            "(lib/mysql/connector/django/base.py, get_connection_params), and its cursors are unbuffered: the rows "
            "not yet fetched are read and discarded when the next statement runs on the connection, so the iteration "
            "ends without the rest of its rows, and without an error."
        ),
        source="MySQL Connector/Python Developer Guide, Connector/Python Connection Arguments (consume_results)",
        url="https://dev.mysql.com/doc/connector-python/en/connector-python-connectargs.html",
    ),
    Explanation(
        check="querysets.null_ordering",
        when="mysql",
        observed={"order_by": [None, None, 1, 2], "latest": 2},
        text=(
            "MySQL sorts NULL values first in ascending order and last in descending order, as lower than any value, "
            "so order_by() puts them first and latest() gets the highest non-null value."
        ),
        source="MySQL Reference Manual, Working with NULL Values",
        url="https://dev.mysql.com/doc/refman/8.4/en/working-with-null.html",
    ),
]
