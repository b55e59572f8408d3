"""What the checks of the catalogued pages (suites/test_<page>.py) observe on each server of the live run, and why.

The data of tests/test_checks_live.py for these checks: every entry's ``why`` cites the documentation of the server,
the driver or Django's own source that makes it so. ``page_observations(seen)`` builds the entries with that
module's ``seen``; ``PAGE_CHECK_IDS`` are the check ids these suites publish.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.results import Outcome

PG, MYSQL, MARIADB, SQLITE, EVERY = "postgres*", "mysql*", "mariadb*", "sqlite-*", "*"
# Every cell but Connector/Python's on MySQL, or on MariaDB 11 (server ids mysqlNN, mariadb11N; no other driver
# id on them starts with "c").
EVERY_BUT_MYSQL_CONNECTOR = (PG, SQLITE, MARIADB, "mysql??-[!c]*")
EVERY_BUT_MARIADB11_CONNECTOR = (PG, SQLITE, MYSQL, "mariadb10*", "mariadb11?-[!c]*")
SERVERS = (PG, MYSQL, MARIADB)
MYSQLCLIENT, CONNECTOR = "*-mysqlclient-*", "*-connector-*"
D42, D52, D61 = "*-django42", "*-django52", "*-django61"
INTEGRITY = "django.db.utils.IntegrityError"
OPERATIONAL = "django.db.utils.OperationalError"
PROGRAMMING = "django.db.utils.ProgrammingError"
DATABASE = "django.db.utils.DatabaseError"
INTERNAL = "django.db.utils.InternalError"
NOT_SUPPORTED = "django.db.utils.NotSupportedError"
VALUE_ERROR = "builtins.ValueError"
ATTRIBUTE_ERROR = "builtins.AttributeError"
TYPE_ERROR = "builtins.TypeError"
REFUSED = "refused by Django's checks"
ABC_SHA224 = "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"
PYSQLITE3_6 = "sqlite-pysqlite3-django61"
NOT_PYSQLITE3_6 = ("sqlite-sqlite3-*", "sqlite-pysqlite3-django42", "sqlite-pysqlite3-django52")

PAGE_CHECK_IDS = {
    *(
        f"querysets.{name}"
        for name in (
            "distinct_on_fields",
            "values_json_keywords",
            "datetimes_time_zone",
            "select_for_update_window",
            "select_for_update_of_join",
            "xor",
            "bulk_create_sets_pk",
            "bulk_create_ignore_conflicts",
            "bulk_create_ignore_conflicts_null",
            "bulk_create_update_conflicts",
            "bulk_create_update_conflicts_no_target",
            "bulk_create_batches",
            "bulk_update_batches",
            "iterator_sees_later_writes",
            "null_ordering",
            "update_order_by",
            "update_order_by_sent",
            "update_related_filter",
            "explain",
            "explain_formats",
            "explain_default_tree",
            "explain_analyze",
            "explain_generic_plan",
            "explain_memory_serialize",
            "like_lookups_ignore_case",
            "regex_case",
            "regex_python_syntax",
            "aggregate_datetime",
            "any_value",
            "any_value_only_full_group_by",
            "bit_aggregate_default",
            "string_agg_distinct",
        )
    ),
    *(
        f"model-fields.{name}"
        for name in (
            "charfield_without_max_length",
            "textfield_db_collation",
            "duration_storage",
            "duration_vs_datetime_arithmetic",
            "json_key_order",
            "json_scalar",
            "uuid_storage",
            "uuid_lookup_without_hyphens",
            "datefield_plus_timedelta",
            "generated_field",
            "generated_field_refreshed",
            "decimal_without_precision",
            "db_on_delete_set_default",
            "db_comment",
            "db_default",
            "datefield_integer_arithmetic",
            "generated_field_immutable",
            "json_gin_index",
        )
    ),
    *(
        f"indexes.{name}"
        for name in (
            "functional",
            "functional_concat",
            "functional_non_deterministic",
            "descending",
            "opclasses",
            "condition",
            "include",
            "condition_immutable",
            "include_gist",
            "include_spgist",
        )
    ),
    *(
        f"constraints.{name}"
        for name in (
            "check_enforced",
            "check_null",
            "unique_deferrable",
            "unique_include",
            "unique_opclasses",
            "unique_nulls_distinct",
        )
    ),
    *(
        f"functions.{name}"
        for name in (
            "greatest_least_null",
            "nullif_char",
            "nullif_null_first",
            "now_statement_time",
            "now_precision",
            "truncdate_time_zone",
            "collate_nocase",
            "collate_icu",
            "sha224",
            "strindex_case",
            "lag_default",
            "nth_value_missing",
            "cast",
            "uuid4",
            "uuid7",
            "uuid7_shift",
        )
    ),
    *(f"expressions.{name}" for name in ("window_functions", "value_range_offset", "f_assignment_refreshed")),
    *(
        f"queries.{name}"
        for name in (
            "bitxor",
            "json_key_order_by",
            "json_exclude_none",
            "json_postgresql_operators",
            "json_true_string",
            "json_contains",
            "json_negative_index",
        )
    ),
    *(
        f"db-transactions.{name}"
        for name in (
            "savepoint_api",
            "savepoint_autocommit_off",
            "atomic_autocommit_off",
            "after_error",
            "on_commit_nested",
        )
    ),
    *(
        f"migrations.{name}"
        for name in ("failed_migration_leaves", "alter_field_rebuilds_table", "wide_index", "deferred_foreign_key")
    ),
    *(
        f"migration-operations.{name}"
        for name in (
            "rename_index",
            "runsql_split",
            "runpython_in_transaction",
            "runsql_commit",
            "remove_field_dependent_view",
        )
    ),
    "meta-options.required_db_vendor",
    "meta-options.db_table_comment",
    "meta-options.select_on_save",
    *(
        f"settings.{name}"
        for name in (
            "unused_with_sqlite",
            "host_socket",
            "database_time_zone",
            "test_database_name",
            "test_charset",
            "test_collation",
            "test_template",
        )
    ),
    "sql.percent_placeholder",
    "sql.callproc_kparams",
}

# Reasons shared by several entries.
CONNECTOR_NOT_MARIADB = (
    "Connector/Python's DatabaseWrapper answers False for every mysql_is_* attribute (lib/mysql/connector/django/"
    "base.py, DatabaseWrapper.__getattr__), so the MySQL features and SQL it takes from Django "
    "(django/db/backends/mysql/features.py, operations.py) are MySQL's on MariaDB"
)
CONNECTOR_VERSION = (
    "; it reads the server's version from the handshake, where MariaDB 10.11 puts the prefix 5.5.5- (MariaDB 11.0.1 "
    "release notes: dropped from 11.0.1), which Django 4.2 and 5.2's MySQL backend take for MySQL 5.5.5 and 6.1's "
    "strips, while MariaDB 11.8 sends none"
)
PYSQLITE3_GETLIMIT = (
    "Django 6.0+ sizes SQLite batches with Connection.getlimit() (django/db/backends/sqlite3/features.py, "
    "max_query_params), which pysqlite3's Connection lacks (pysqlite3 src/connection.c, connection_methods), so "
    "bulk_create() raises AttributeError before any INSERT."
)
MYSQL_NULLS = "MySQL Reference Manual, Working with NULL Values: NULLs sort first in ascending order"


def page_observations(seen: Callable[..., Any]) -> tuple[Any, ...]:
    """The entries for the catalogued pages' checks, made with test_checks_live's ``seen``."""
    return (
        # -- ref/models/querysets ------------------------------------------------------------------------------
        seen(
            "querysets.distinct_on_fields",
            PG,
            [1, 3],
            "PostgreSQL docs, SELECT > DISTINCT Clause: DISTINCT ON keeps the first row of each set of rows equal on "
            "the expressions; Django's PostgreSQL features set can_distinct_on_fields "
            "(django/db/backends/postgresql/features.py).",
        ),
        seen(
            "querysets.distinct_on_fields",
            (SQLITE, MYSQL, MARIADB),
            NOT_SUPPORTED,
            "Django raises NotSupportedError for distinct(*fields) where can_distinct_on_fields is False "
            "(django/db/models/sql/compiler.py, get_distinct; the flag is False but on PostgreSQL).",
        ),
        seen(
            "querysets.values_json_keywords",
            SQLITE,
            {"values": [False, None, True], "values_list": [False, None, True]},
            "SQLite docs, JSON Functions > json_extract(): a JSON string is returned as "
            "SQL text without its quotes, so "
            "the strings 'true', 'false' and 'null' reach JSONField's decoder as the JSON keywords "
            "(django/db/models/fields/json.py, KeyTransform.as_sqlite and JSONField.from_db_value).",
        ),
        seen(
            "querysets.values_json_keywords",
            SERVERS,
            {"values": ["false", "null", "true"], "values_list": ["false", "null", "true"]},
            "PostgreSQL docs, JSON Functions and Operators (->: a jsonb string stays a "
            "string); MySQL Reference Manual, "
            "JSON_EXTRACT() (MariaDB, JSON_EXTRACT) returns the JSON string, which JSONField decodes as a str.",
        ),
        seen(
            "querysets.datetimes_time_zone",
            (PG, SQLITE, "mysql97-*", "mariadb118-*"),
            ["2024-01-16"],
            "PostgreSQL docs, AT TIME ZONE; Django's SQLite functions convert in Python (django/db/backends/sqlite3/"
            "_functions.py); CONVERT_TZ with loaded time zone tables (MySQL Reference Manual, MySQL Server Time Zone "
            "Support; the images load them): 23:30 UTC on January 15 is 00:30 on January 16 in Paris.",
        ),
        seen(
            "querysets.datetimes_time_zone",
            "mariadb1011-*",
            None,
            "The host's MariaDB has no time zone tables loaded (Django's has_zoneinfo_database is False; MariaDB, "
            "mariadb-tzinfo-to-sql), which the docs require for datetimes() in a time zone, so the check says it "
            "cannot run.",
            Outcome.NOT_APPLICABLE,
        ),
        seen(
            "querysets.select_for_update_window",
            PG,
            NOT_SUPPORTED,
            "PostgreSQL docs, SELECT > The Locking Clause: FOR UPDATE cannot be used with window functions (SQLSTATE "
            "0A000 feature_not_supported, a NotSupportedError in psycopg's and psycopg2's errors).",
        ),
        seen(
            "querysets.select_for_update_of_join",
            (PG, SQLITE, MYSQL),
            "ok",
            "PostgreSQL docs, SELECT > The Locking Clause (FOR UPDATE OF table); MySQL Reference Manual, Locking Reads "
            "(OF, 8.0.1+); on SQLite Django adds no FOR UPDATE (has_select_for_update is off).",
        ),
        seen(
            "querysets.select_for_update_of_join",
            ("mariadb*-mysqlclient-*", "mariadb1011-connector-django42"),
            NOT_SUPPORTED,
            "Django's MySQL features leave has_select_for_update_of off for MariaDB, whose locking clause has no OF "
            "(MariaDB, SELECT), and refuse of= with NotSupportedError (django/db/models/sql/compiler.py, as_sql); "
            f"{CONNECTOR_NOT_MARIADB}{CONNECTOR_VERSION}, and on MariaDB 10.11 Django 4.2 sees MySQL 5.5.5, "
            "without OF.",
        ),
        seen(
            "querysets.select_for_update_of_join",
            ("mariadb1011-connector-django5*", "mariadb1011-connector-django6*", "mariadb118-connector-*"),
            PROGRAMMING,
            f"{CONNECTOR_NOT_MARIADB}: Django sends FOR UPDATE OF, which MariaDB's grammar lacks: error 1064, SQLSTATE "
            "42000 (see row-locking.of.use).",
        ),
        seen(
            "querysets.xor",
            (MYSQL, MARIADB),
            {"ids": [1, 3], "XOR sent": True},
            "MySQL Reference Manual, Logical Operators > XOR (MariaDB, XOR): a XOR b XOR c is true when an odd number "
            "of operands is; Django's MySQL features set supports_logical_xor (django/db/backends/mysql/features.py).",
        ),
        seen(
            "querysets.xor",
            ("postgres*-django42", "sqlite-*-django42"),
            {"ids": [1], "XOR sent": False},
            "Django 4.2 converts x ^ y ^ z to (x OR y OR z) AND 1 = (the sum of the true operands) where there is no "
            "XOR (django/db/models/sql/where.py, WhereNode.as_sql), true for exactly one operand.",
        ),
        seen(
            "querysets.xor",
            ("postgres*-django5*", "postgres*-django6*", "sqlite-*-django5*", "sqlite-*-django6*"),
            {"ids": [1, 3], "XOR sent": False},
            "Django 5.0+ converts x ^ y ^ z to (x OR y OR z) AND 1 = MOD(the sum, 2) where there is no XOR "
            "(django/db/models/sql/where.py, WhereNode.as_sql; Django 5.0 release notes): an odd number of operands.",
        ),
        seen(
            "querysets.bulk_create_sets_pk",
            (PG, *NOT_PYSQLITE3_6, "mariadb*-mysqlclient-*"),
            [True, True, True],
            "INSERT ... RETURNING: PostgreSQL docs, INSERT; SQLite docs, RETURNING (3.35.0+); MariaDB, "
            "INSERT...RETURNING (10.5+); Django reads the keys back where can_return_rows_from_bulk_insert "
            "(django/db/backends/*/features.py).",
        ),
        seen(
            "querysets.bulk_create_sets_pk",
            MYSQL,
            [False, False, False],
            "MySQL has no INSERT ... RETURNING (MySQL Reference Manual, INSERT Statement), so Django's MySQL features "
            "leave can_return_rows_from_bulk_insert off (django/db/backends/mysql/features.py).",
        ),
        seen(
            "querysets.bulk_create_sets_pk",
            "mariadb*-connector-*",
            [False, False, False],
            f"{CONNECTOR_NOT_MARIADB}: can_return_rows_from_bulk_insert, on for MariaDB only, is off.",
        ),
        seen("querysets.bulk_create_sets_pk", PYSQLITE3_6, ATTRIBUTE_ERROR, PYSQLITE3_GETLIMIT),
        seen(
            "querysets.bulk_create_ignore_conflicts",
            (*SERVERS, *NOT_PYSQLITE3_6),
            {"raised": None, "rows": 2, "pk set": False},
            "ON CONFLICT DO NOTHING (PostgreSQL docs, INSERT; SQLite docs, UPSERT) and INSERT IGNORE (MySQL Reference "
            "Manual, INSERT Statement; MariaDB, INSERT IGNORE) skip the duplicate and insert the other; Django sets no "
            "key with ignore_conflicts (django/db/models/query.py, bulk_create).",
        ),
        seen(
            "querysets.bulk_create_ignore_conflicts",
            PYSQLITE3_6,
            {"raised": ATTRIBUTE_ERROR, "rows": None, "pk set": False},
            PYSQLITE3_GETLIMIT,
        ),
        seen(
            "querysets.bulk_create_ignore_conflicts_null",
            (MYSQL, MARIADB),
            "ok",
            "MySQL Reference Manual, The Effect of IGNORE on Statement Execution (MariaDB, "
            "IGNORE): a NULL for a NOT NULL "
            "column is stored as the column type's implicit default, with a warning, even in strict mode.",
        ),
        seen(
            "querysets.bulk_create_update_conflicts",
            (PG, *NOT_PYSQLITE3_6),
            "new",
            "INSERT ... ON CONFLICT (code) DO UPDATE (PostgreSQL docs, INSERT > ON CONFLICT; SQLite docs, UPSERT) "
            "updates the conflicting row.",
        ),
        seen("querysets.bulk_create_update_conflicts", PYSQLITE3_6, ATTRIBUTE_ERROR, PYSQLITE3_GETLIMIT),
        seen(
            "querysets.bulk_create_update_conflicts_no_target",
            (PG, SQLITE),
            VALUE_ERROR,
            "Django requires unique_fields where supports_update_conflicts_with_target is True and raises ValueError "
            "without them (django/db/models/query.py, _check_bulk_create_options).",
        ),
        seen(
            "querysets.bulk_create_update_conflicts_no_target",
            (MYSQL, "mariadb*-mysqlclient-*", "mariadb1011-connector-django42", "mariadb1011-connector-django52"),
            "new",
            "INSERT ... ON DUPLICATE KEY UPDATE (MySQL Reference Manual, with the row alias of 8.0.19+; MariaDB, "
            "INSERT ON DUPLICATE KEY UPDATE, with VALUES()) updates the row the duplicate key names.",
        ),
        seen(
            "querysets.bulk_create_update_conflicts_no_target",
            ("mariadb1011-connector-django61", "mariadb118-connector-*"),
            PROGRAMMING,
            f"{CONNECTOR_NOT_MARIADB}{CONNECTOR_VERSION}; a MySQL of 8.0.19+ gets the row alias INSERT ... AS new "
            "(django/db/backends/mysql/operations.py, on_conflict_suffix_sql), which MariaDB's grammar lacks: error "
            "1064 (MariaDB, INSERT ON DUPLICATE KEY UPDATE).",
        ),
        seen(
            "querysets.bulk_create_batches",
            (*SERVERS, "sqlite-sqlite3-django61"),
            1,
            "2400 parameters are within PostgreSQL's 65535 (docs, Appendix K, PostgreSQL Limits), MySQL's and "
            "MariaDB's (no limit on parameters but max_allowed_packet), and SQLite's 32766 from 3.32.0, which "
            "Django 6.0+ reads from the library (django/db/backends/sqlite3/features.py, max_query_params).",
        ),
        seen(
            "querysets.bulk_create_batches",
            ("sqlite-*-django42", "sqlite-*-django52"),
            3,
            "Django 4.2 and 5.2 size SQLite batches by max_query_params = 999 (django/db/backends/sqlite3/features.py; "
            "operations.py, bulk_batch_size: 999 // 2 fields = 499 rows), whatever the library allows (SQLite docs, "
            "Limits In SQLite: 32766 from 3.32.0).",
        ),
        seen("querysets.bulk_create_batches", PYSQLITE3_6, ATTRIBUTE_ERROR, PYSQLITE3_GETLIMIT),
        seen(
            "querysets.bulk_update_batches",
            SERVERS,
            1,
            "Django's bulk_batch_size is unlimited for PostgreSQL and MySQL (django/db/backends/base/operations.py; "
            "PostgreSQL's 65535-parameter limit is well above the 1020 here), so bulk_update() runs one UPDATE "
            "with CASE.",
        ),
        seen(
            "querysets.iterator_sees_later_writes",
            MYSQLCLIENT,
            ["Émile", "alfred"],
            "mysqlclient's default cursor stores the whole result set on the client at execute (MySQLdb cursors.py, "
            "Cursor; MySQL C API, mysql_store_result), so rows changed later read as they were.",
        ),
        seen(
            "querysets.iterator_sees_later_writes",
            CONNECTOR,
            [],
            "Connector/Python's Django backend connects with consume_results=True (lib/mysql/connector/django/base.py) "
            "and its cursors are unbuffered: the rows not yet fetched are discarded when the next statement runs "
            "(Connector/Python Developer Guide, Connection Arguments > consume_results).",
        ),
        seen(
            "querysets.null_ordering",
            PG,
            {"order_by": [1, 2, None, None], "latest": None},
            "PostgreSQL docs, ORDER BY: null values sort as if larger than any non-null value (NULLS LAST ascending, "
            "NULLS FIRST descending), so latest() (ORDER BY rank DESC) gets a NULL.",
        ),
        seen(
            "querysets.null_ordering",
            (MYSQL, MARIADB, SQLITE),
            {"order_by": [None, None, 1, 2], "latest": 2},
            f"{MYSQL_NULLS} (MariaDB, ORDER BY: NULLs first ascending); SQLite docs, SELECT > ORDER BY: NULLs are "
            "considered smaller than any other value.",
        ),
        seen(
            "querysets.update_order_by",
            (MYSQL, MARIADB),
            "ok",
            "MySQL Reference Manual, UPDATE Statement (MariaDB, UPDATE): with ORDER BY the rows are updated in that "
            "order, so 3 becomes 4 before 2 becomes 3; Django sends it (django/db/models/sql/compiler.py, "
            "SQLUpdateCompiler, update_can_self_select and the MySQL backend's ordering).",
        ),
        seen(
            "querysets.update_order_by_sent",
            (MYSQL, MARIADB),
            True,
            "Django's MySQL backend keeps the ordering of an update() (django/db/backends/mysql/compiler.py, "
            "SQLUpdateCompiler.as_sql adds ORDER BY).",
        ),
        seen(
            "querysets.update_order_by_sent",
            (PG, SQLITE),
            False,
            "Django's base UPDATE compiler writes no ORDER BY (django/db/models/sql/compiler.py, SQLUpdateCompiler); "
            "PostgreSQL's UPDATE has none (docs, UPDATE) and Django does not use SQLite's optional one.",
        ),
        seen(
            "querysets.update_related_filter",
            ("mysql*-django52", "mysql*-django61"),
            ["SELECT", "UPDATE"],
            "MySQL Reference Manual, UPDATE Statement: a table cannot be updated and selected from in a subquery of "
            "the same statement; Django's MySQL features leave update_can_self_select off for MySQL, so the ids are "
            "selected first (django/db/models/sql/compiler.py, SQLUpdateCompiler.pre_sql_setup).",
        ),
        seen(
            "querysets.explain",
            (
                PG,
                SQLITE,
                MYSQL,
                "mariadb*-mysqlclient-*",
                "mariadb1011-connector-django42",
                "mariadb1011-connector-django52",
            ),
            "ok",
            "PostgreSQL docs, EXPLAIN; SQLite docs, EXPLAIN QUERY PLAN; MySQL Reference Manual and MariaDB, EXPLAIN; "
            "each backend's explain_query_prefix (django/db/backends/*/operations.py).",
        ),
        seen(
            "querysets.explain",
            ("mariadb1011-connector-django61", "mariadb118-connector-*"),
            DATABASE,
            f"{CONNECTOR_NOT_MARIADB}{CONNECTOR_VERSION}; for a MySQL of 8.0.16+ explain() asks for FORMAT=TREE, "
            "which MariaDB rejects: error 1791, SQLSTATE HY000 (MariaDB, EXPLAIN FORMAT=JSON).",
        ),
        seen(
            "querysets.explain_formats",
            PG,
            {"TEXT": "ok", "TRADITIONAL": VALUE_ERROR, "JSON": "ok", "YAML": "ok", "XML": "ok", "TREE": VALUE_ERROR},
            "PostgreSQL docs, EXPLAIN > FORMAT (TEXT, XML, JSON, YAML); Django refuses other formats with ValueError "
            "(django/db/models/sql/query.py, explain; postgresql/features.py, supported_explain_formats).",
        ),
        seen(
            "querysets.explain_formats",
            MYSQL,
            {"TEXT": "ok", "TRADITIONAL": "ok", "JSON": "ok", "YAML": VALUE_ERROR, "XML": VALUE_ERROR, "TREE": "ok"},
            "MySQL Reference Manual, EXPLAIN Statement > FORMAT (TRADITIONAL, JSON, TREE); Django maps TEXT to "
            "TRADITIONAL and refuses the others (django/db/backends/mysql/features.py and operations.py).",
        ),
        seen(
            "querysets.explain_formats",
            ("mariadb*-mysqlclient-*", "mariadb1011-connector-django42", "mariadb1011-connector-django52"),
            {
                "TEXT": "ok",
                "TRADITIONAL": "ok",
                "JSON": "ok",
                "YAML": VALUE_ERROR,
                "XML": VALUE_ERROR,
                "TREE": VALUE_ERROR,
            },
            "MariaDB, EXPLAIN and EXPLAIN FORMAT=JSON: no TREE; Django's MySQL features give MariaDB TEXT, "
            "TRADITIONAL and JSON only (django/db/backends/mysql/features.py, supported_explain_formats).",
        ),
        seen(
            "querysets.explain_formats",
            ("mariadb1011-connector-django61", "mariadb118-connector-*"),
            {
                "TEXT": "ok",
                "TRADITIONAL": "ok",
                "JSON": "ok",
                "YAML": VALUE_ERROR,
                "XML": VALUE_ERROR,
                "TREE": DATABASE,
            },
            f"{CONNECTOR_NOT_MARIADB}{CONNECTOR_VERSION}; Django sends FORMAT=TREE, which MariaDB rejects (error "
            "1791, SQLSTATE HY000).",
        ),
        seen(
            "querysets.explain_default_tree",
            MYSQL,
            True,
            "MySQL Reference Manual, EXPLAIN Statement (TREE from 8.0.16); Django's MySQL "
            "explain_query_prefix uses TREE "
            "when no format is given and it is supported (django/db/backends/mysql/operations.py).",
        ),
        seen(
            "querysets.explain_analyze",
            (PG, MYSQL, "mariadb*-mysqlclient-*", "mariadb1011-connector-django42", "mariadb1011-connector-django52"),
            "ok",
            "PostgreSQL docs, EXPLAIN ANALYZE; MySQL Reference Manual, EXPLAIN ANALYZE (8.0.18+); MariaDB, ANALYZE "
            "Statement, which Django writes for MariaDB (django/db/backends/mysql/operations.py).",
        ),
        seen(
            "querysets.explain_analyze",
            ("mariadb1011-connector-django61", "mariadb118-connector-*"),
            PROGRAMMING,
            f"{CONNECTOR_NOT_MARIADB}{CONNECTOR_VERSION}; Django writes MySQL's EXPLAIN ANALYZE, which MariaDB's "
            "grammar lacks (it has ANALYZE SELECT): error 1064, SQLSTATE 42000.",
        ),
        seen(
            "querysets.explain_generic_plan",
            "postgres15-*-django52",
            PROGRAMMING,
            "PostgreSQL 15 has no GENERIC_PLAN option (PostgreSQL 16 release notes: EXPLAIN (GENERIC_PLAN) added): "
            "unrecognized EXPLAIN option, SQLSTATE 42601.",
        ),
        seen(
            "querysets.explain_generic_plan",
            ("postgres17-*-django52", "postgres18-*-django52"),
            "ok",
            "PostgreSQL docs, EXPLAIN > GENERIC_PLAN (16+); Django 5.2 passes it (django/db/backends/postgresql/"
            "operations.py, explain_options).",
        ),
        seen(
            "querysets.explain_memory_serialize",
            "postgres15-*-django52",
            {"memory": PROGRAMMING, "serialize": PROGRAMMING},
            "PostgreSQL 15 has neither MEMORY nor SERIALIZE (PostgreSQL 17 release notes: EXPLAIN options SERIALIZE "
            "and MEMORY added): unrecognized EXPLAIN option, SQLSTATE 42601.",
        ),
        seen(
            "querysets.explain_memory_serialize",
            ("postgres17-*-django52", "postgres18-*-django52"),
            {"memory": "ok", "serialize": "ok"},
            "PostgreSQL docs, EXPLAIN > MEMORY and SERIALIZE (17+; SERIALIZE with ANALYZE); Django 5.2 passes them "
            "(django/db/backends/postgresql/operations.py, explain_query_prefix).",
        ),
        seen(
            "querysets.like_lookups_ignore_case",
            SQLITE,
            {"startswith": True, "endswith": True},
            "SQLite docs, The LIKE, GLOB, REGEXP, MATCH, and extract operators: LIKE is case-insensitive for ASCII; "
            "Django's SQLite startswith and endswith are LIKE (django/db/backends/sqlite3/base.py, operators).",
        ),
        seen(
            "querysets.like_lookups_ignore_case",
            SERVERS,
            {"startswith": False, "endswith": False},
            "PostgreSQL docs, Pattern Matching > LIKE (case-sensitive); Django's MySQL startswith and endswith are "
            "LIKE BINARY (django/db/backends/mysql/base.py, operators; Connector/Python's LIKE CAST(... AS BINARY)).",
        ),
        seen(
            "querysets.regex_case",
            "mariadb11*-connector-*",
            {"regex": "django.db.utils.ProgrammingError", "iregex": "django.db.utils.ProgrammingError"},
            "Connector/Python writes REGEXP_LIKE() for a server whose handshake version is 8.0 or later "
            "(lib/mysql/connector/django/operations.py, regex_lookup), which MariaDB 11's is (MariaDB 10 sent "
            "5.5.5-10.x); MariaDB has no REGEXP_LIKE (MariaDB KB, Regular Expressions Functions): error 1305.",
        ),
        seen(
            "querysets.regex_case",
            EVERY_BUT_MARIADB11_CONNECTOR,
            {"regex": False, "iregex": True},
            "PostgreSQL docs, POSIX Regular Expressions (~ and ~*); MySQL Reference Manual, REGEXP_LIKE() match_type c "
            "and i; MariaDB, REGEXP BINARY; Django's SQLite REGEXP function uses re.search, with (?i) for iregex "
            "(django/db/backends/sqlite3/_functions.py).",
        ),
        seen(
            "querysets.regex_python_syntax",
            SQLITE,
            True,
            "Django's SQLite backend provides REGEXP with Python's re module "
            "(django/db/backends/sqlite3/_functions.py, "
            "_sqlite_regexp; Python docs, re: (?P<name>...)).",
        ),
        seen(
            "querysets.aggregate_datetime",
            SQLITE,
            {"Max": "ok", "Sum": NOT_SUPPORTED},
            "Django's SQLite backend refuses only Sum, Avg, Variance and StdDev of date/time fields "
            "(django/db/backends/sqlite3/operations.py, check_expression_support); Max compares the ISO 8601 text.",
        ),
        seen(
            "querysets.any_value",
            ("sqlite-*-django61", "postgres17-*-django61", "postgres18-*-django61", "mysql*-django61"),
            "ok",
            "ANY_VALUE exists in SQLite (docs, Built-in Aggregate Functions, 3.44+; "
            "Django's SQLite backend emulates it "
            "with MIN on older libraries), PostgreSQL 16+ (docs, Aggregate Functions > any_value) and MySQL (Reference "
            "Manual, Miscellaneous Functions > ANY_VALUE()).",
        ),
        seen(
            "querysets.any_value",
            ("postgres15-*-django61", "mariadb*-mysqlclient-django61"),
            NOT_SUPPORTED,
            "Django's supports_any_value is off for PostgreSQL < 16 and for MariaDB (django/db/backends/postgresql/"
            "features.py and mysql/features.py), and AnyValue then raises NotSupportedError "
            "(django/db/models/aggregates.py).",
        ),
        seen(
            "querysets.any_value",
            "mariadb*-connector-django61",
            PROGRAMMING,
            f"{CONNECTOR_NOT_MARIADB}: Django sends ANY_VALUE(), which MariaDB does not have (MDEV-10426, open): error "
            "1305 FUNCTION does not exist, SQLSTATE 42000.",
        ),
        seen(
            "querysets.any_value_only_full_group_by",
            (D42, D52),
            None,
            "AnyValue is new in Django 6.0 (django/db/models/aggregates.py; Django 6.0 release notes), so the check "
            "says it cannot run.",
            Outcome.NOT_APPLICABLE,
        ),
        seen(
            "querysets.any_value_only_full_group_by",
            "mysql*-mysqlclient-django61",
            {"without AnyValue": OPERATIONAL, "with AnyValue": "ok"},
            "MySQL Reference Manual, MySQL Handling of GROUP BY: with ONLY_FULL_GROUP_BY MySQL does not recognize a "
            "select expression that is a formula of a GROUP BY expression (GREATEST(n, 1) / COUNT(id) over GROUP BY "
            "1) and refuses it, error 1055 (an OperationalError in mysqlclient's mapping), while ANY_VALUE() "
            "(Miscellaneous Functions) suppresses the test.",
        ),
        seen(
            "querysets.any_value_only_full_group_by",
            "mysql*-connector-django61",
            {"without AnyValue": PROGRAMMING, "with AnyValue": "ok"},
            "MySQL Reference Manual, MySQL Handling of GROUP BY: with ONLY_FULL_GROUP_BY a select expression that is a "
            "formula of a GROUP BY expression is refused, error 1055, SQLSTATE 42000 (a ProgrammingError in "
            "Connector/Python's mapping), while ANY_VALUE() (Miscellaneous Functions) suppresses the test.",
        ),
        seen(
            "querysets.any_value_only_full_group_by",
            ("sqlite-*-django61", "postgres17-*-django61", "postgres18-*-django61"),
            {"without AnyValue": "ok", "with AnyValue": "ok"},
            "SQLite has no ONLY_FULL_GROUP_BY and takes bare columns in an aggregate query (docs, SELECT > Generation "
            "of the set of result rows); PostgreSQL takes an expression of a GROUP BY expression (docs, SELECT > GROUP "
            "BY Clause; psycopg and psycopg2 bind 1 client-side, so both GREATEST(n, 1) are the same text) and has "
            "any_value() from 16 (docs, Aggregate Functions); Django's SQLite backend has ANY_VALUE too "
            "(django/db/backends/sqlite3/_functions.py).",
        ),
        seen(
            "querysets.any_value_only_full_group_by",
            "postgres15-*-django61",
            {"without AnyValue": "ok", "with AnyValue": NOT_SUPPORTED},
            "PostgreSQL takes an expression of a GROUP BY expression (docs, SELECT > GROUP BY Clause); Django's "
            "supports_any_value is off before PostgreSQL 16 (django/db/backends/postgresql/features.py), and AnyValue "
            "then raises NotSupportedError (django/db/models/aggregates.py).",
        ),
        seen(
            "querysets.any_value_only_full_group_by",
            "mariadb*-mysqlclient-django61",
            {"without AnyValue": OPERATIONAL, "with AnyValue": NOT_SUPPORTED},
            "MariaDB, SQL_MODE > ONLY_FULL_GROUP_BY: a non-aggregated column of the select list must be in GROUP BY, "
            "and n is not (only GREATEST(n, 1) is): error 1055, an OperationalError in mysqlclient's mapping; Django's "
            "supports_any_value is off for MariaDB (django/db/backends/mysql/features.py), and AnyValue then raises "
            "NotSupportedError.",
        ),
        seen(
            "querysets.any_value_only_full_group_by",
            "mariadb*-connector-django61",
            {"without AnyValue": PROGRAMMING, "with AnyValue": PROGRAMMING},
            "MariaDB, SQL_MODE > ONLY_FULL_GROUP_BY: n is not in GROUP BY, error 1055, SQLSTATE 42000 (a "
            f"ProgrammingError in Connector/Python's mapping); {CONNECTOR_NOT_MARIADB}: Django sends ANY_VALUE(), "
            "which MariaDB does not have (MDEV-10426): error 1305, SQLSTATE 42000.",
        ),
        seen(
            "querysets.bit_aggregate_default",
            ("postgres*-django61", "sqlite-*-django61"),
            0,
            "BIT_AND of no rows is NULL (PostgreSQL docs, Aggregate Functions; Django's SQLite backend registers "
            "BIT_AND), which Django 6.1 replaces with default through Coalesce (django/db/models/aggregates.py).",
        ),
        seen(
            "querysets.bit_aggregate_default",
            ("mysql*-django61", "mariadb*-django61"),
            NOT_SUPPORTED,
            "Django's MySQL features set supports_default_in_bit_aggregations False, and BitAnd with a default raises "
            "NotSupportedError (django/db/models/aggregates.py, BitAggregate.as_sql); MySQL's BIT_AND of no rows is "
            "all bits set (Reference Manual, Aggregate Function Descriptions).",
        ),
        seen(
            "querysets.string_agg_distinct",
            "sqlite-*-django61",
            {"','": "ok", "';'": NOT_SUPPORTED},
            "SQLite docs, Built-in Aggregate Functions > group_concat(): DISTINCT takes one argument, the separator "
            "then being ','; Django 6.1 uses that form for Value(',') and refuses other delimiters with distinct "
            "(django/db/models/aggregates.py, StringAgg.as_sqlite).",
        ),
        # -- ref/models/fields ---------------------------------------------------------------------------------
        seen(
            "model-fields.charfield_without_max_length",
            (
                "postgres*-django42",
                "postgres*-django5*",
                "postgres*-django6*",
                "sqlite-*-django5*",
                "sqlite-*-django6*",
            ),
            {REFUSED: False, "stores 300 characters": True},
            "PostgreSQL docs, Character Types (varchar without length); SQLite docs, Datatypes In SQLite (lengths are "
            "not enforced); Django's supports_unlimited_charfield (postgresql and, from 5.2, sqlite3 features.py).",
        ),
        seen(
            "model-fields.charfield_without_max_length",
            "sqlite-*-django42",
            {REFUSED: True, "stores 300 characters": OPERATIONAL},
            "Django 4.2's SQLite features leave supports_unlimited_charfield off (fields.E120), and its column type "
            "varchar(None) is a syntax error for SQLite (docs, CREATE TABLE > column-def type-name takes numbers).",
        ),
        seen(
            "model-fields.charfield_without_max_length",
            (MYSQL, MARIADB),
            {REFUSED: True, "stores 300 characters": PROGRAMMING},
            "Django's MySQL features leave supports_unlimited_charfield off (fields.E120), and varchar(None) is a "
            "syntax error, 1064 ER_PARSE_ERROR (MySQL Reference Manual, The CHAR and VARCHAR Types: a length is "
            "required; mysqlclient and Connector/Python both raise ProgrammingError for it).",
        ),
        seen(
            "model-fields.textfield_db_collation",
            EVERY,
            False,
            "Django's supports_collation_on_textfield is True but on Oracle (django/db/backends/base/features.py, "
            "oracle/features.py), so its check of db_collation reports nothing.",
        ),
        seen(
            "model-fields.duration_storage",
            PG,
            "DurationField",
            "Django's PostgreSQL data type for DurationField is interval "
            "(django/db/backends/postgresql/base.py), which "
            "its introspection maps back to DurationField (introspection.py, data_types_reverse).",
        ),
        seen(
            "model-fields.duration_storage",
            (MYSQL, MARIADB, SQLITE),
            "BigIntegerField",
            "Django stores DurationField as bigint on MySQL and SQLite (django/db/backends/mysql/base.py and "
            "sqlite3/base.py, data_types), which introspection reads back as BigIntegerField.",
        ),
        seen(
            "model-fields.duration_vs_datetime_arithmetic",
            EVERY,
            1,
            "Django subtracts DateTimeFields with each backend's own SQL (DatabaseOperations.subtract_temporals: "
            "PostgreSQL interval arithmetic, MySQL TIMESTAMPDIFF(MICROSECOND, ...), SQLite django_timestamp_diff()), "
            "giving what a DurationField holds there, so the row is found everywhere.",
        ),
        seen(
            "model-fields.json_key_order",
            "postgres*-django61",
            ["a", "b"],
            "PostgreSQL docs, JSON Types: jsonb does not preserve the order of object keys (it stores them sorted by "
            "length, then bytes).",
        ),
        seen(
            "model-fields.uuid_storage",
            PG,
            "uuid",
            "Django's PostgreSQL data type for UUIDField is uuid "
            "(django/db/backends/postgresql/base.py), which psycopg "
            "and psycopg2 read as a UUID (psycopg docs, Adapting basic Python types > UUID).",
        ),
        seen(
            "model-fields.uuid_storage",
            ("mariadb*-mysqlclient-django5*", "mariadb*-mysqlclient-django6*"),
            "uuid",
            "MariaDB, UUID Data Type (10.7+): the value reads back in its hyphenated form; Django 5.0+ uses it on "
            "MariaDB (django/db/backends/mysql/features.py, has_native_uuid_field).",
        ),
        seen(
            "model-fields.uuid_storage",
            (MYSQL, SQLITE, "mariadb*-django42", "mariadb*-connector-django5*", "mariadb*-connector-django6*"),
            "char(32)",
            "Django stores UUIDField as char(32) of hex digits elsewhere (django/db/backends/mysql/base.py and "
            "sqlite3/base.py, data_types); Django 4.2 has no native uuid for MariaDB, and "
            f"{CONNECTOR_NOT_MARIADB}.",
        ),
        seen(
            "model-fields.uuid_lookup_without_hyphens",
            (PG, "mariadb*-mysqlclient-django5*", "mariadb*-mysqlclient-django6*"),
            False,
            "The uuid types store the value hyphenated (PostgreSQL docs, UUID Type; MariaDB, UUID Data Type), and "
            "Django's icontains compares the column's text with the digits given, so digits spanning a hyphen are not "
            "found.",
        ),
        seen(
            "model-fields.uuid_lookup_without_hyphens",
            ("mariadb*-connector-django5*", "mariadb*-connector-django6*"),
            True,
            f"{CONNECTOR_NOT_MARIADB}: the column is char(32), 32 hex digits without hyphens, which icontains finds.",
        ),
        seen(
            "model-fields.datefield_plus_timedelta",
            ("postgres*-django5*", "postgres*-django6*", "mysql*-django5*", "mysql*-django6*"),
            "datetime",
            "PostgreSQL docs, Date/Time Operators: date + interval is a timestamp; MySQL "
            "Reference Manual, Date and Time "
            "Functions > DATE_ADD(): a DATE plus a MICROSECOND interval is a DATETIME, as Django writes it "
            "(django/db/backends/mysql/operations.py, format_for_duration_arithmetic).",
        ),
        seen(
            "model-fields.generated_field",
            ("postgres*-django52", "postgres15-*-django61", "postgres17-*-django61"),
            {"stored": 3, "virtual": REFUSED},
            "PostgreSQL before 18 has only stored generated columns (docs, Generated Columns), and Django's PostgreSQL "
            "features refuse virtual ones there (supports_virtual_generated_columns: False in 5.2, PostgreSQL 18+ in "
            "6.1; the system check fields.E221).",
        ),
        seen(
            "model-fields.generated_field",
            (
                "postgres18-*-django61",
                "sqlite-*-django5*",
                "sqlite-*-django6*",
                "mysql*-django5*",
                "mysql*-django6*",
                "mariadb*-django5*",
                "mariadb*-django6*",
            ),
            {"stored": 3, "virtual": 3},
            "PostgreSQL docs, Generated Columns (virtual from 18); SQLite docs, Generated "
            "Columns (VIRTUAL and STORED); "
            "MySQL Reference Manual, CREATE TABLE and Generated Columns; MariaDB, Generated Columns.",
        ),
        seen(
            "model-fields.generated_field_refreshed",
            ("postgres*-django61", "sqlite-*-django61", "mariadb*-mysqlclient-django61"),
            True,
            "Django 6.0 reads generated values back with INSERT ... RETURNING where can_return_columns_from_insert "
            "(PostgreSQL docs, INSERT; SQLite docs, RETURNING; MariaDB, INSERT...RETURNING, 10.5+).",
        ),
        seen(
            "model-fields.generated_field_refreshed",
            ("mysql*-django61", "mariadb*-connector-django61"),
            False,
            "MySQL has no RETURNING (Reference Manual, INSERT Statement), so Django 6.0 marks the field deferred; "
            f"{CONNECTOR_NOT_MARIADB}.",
        ),
        seen(
            "model-fields.decimal_without_precision",
            ("postgres*-django61", "sqlite-*-django61"),
            True,
            "PostgreSQL docs, Numeric Types (numeric without precision stores any value); SQLite has no precision "
            "(Datatypes In SQLite); Django 6.1's supports_no_precision_decimalfield (postgresql and sqlite3 "
            "features.py).",
        ),
        seen(
            "model-fields.decimal_without_precision",
            ("mysql*-django61", "mariadb*-django61"),
            REFUSED,
            "Django's MySQL features leave supports_no_precision_decimalfield off (fields.E130 and E132): DECIMAL "
            "without precision is DECIMAL(10,0) there (MySQL Reference Manual, Fixed-Point Types; MariaDB, DECIMAL).",
        ),
        seen(
            "model-fields.db_on_delete_set_default",
            ("postgres*-django61", "sqlite-*-django61"),
            1,
            "ON DELETE SET DEFAULT sets the reference to the column's default (PostgreSQL docs, CREATE TABLE > "
            "REFERENCES; SQLite docs, Foreign Key Support > ON DELETE), db_default 1 here.",
        ),
        seen(
            "model-fields.db_on_delete_set_default",
            ("mysql*-mysqlclient-django61", "mariadb*-mysqlclient-django61"),
            REFUSED,
            "Django's MySQL features set supports_on_delete_db_default False (django/db/backends/mysql/features.py): "
            "InnoDB rejects SET DEFAULT (MySQL Reference Manual, FOREIGN KEY Constraints > Referential Actions; "
            "MariaDB, Foreign Keys).",
        ),
        seen(
            "model-fields.db_on_delete_set_default",
            "*-connector-django61",
            TYPE_ERROR,
            "Django's system check of the foreign key names the backend with "
            "connection.display_name, a cached_property "
            "over a staticmethod without arguments in Connector/Python's backend (lib/mysql/connector/django/base.py), "
            "so reading it raises TypeError.",
        ),
        seen(
            "model-fields.db_comment",
            (PG, MYSQLCLIENT),
            "The title",
            "PostgreSQL docs, COMMENT; MySQL Reference Manual, CREATE TABLE > COMMENT "
            "(MariaDB, CREATE TABLE); Django's "
            "supports_comments (postgresql and mysql features.py).",
        ),
        seen(
            "model-fields.db_comment",
            CONNECTOR,
            PROGRAMMING,
            "Connector/Python's schema editor quote_value() escapes without quoting (lib/mysql/connector/django/"
            "schema.py), so COMMENT The title is a syntax error, 1064, SQLSTATE 42000.",
        ),
        seen(
            "model-fields.db_comment",
            SQLITE,
            None,
            "SQLite has no column comments (docs, CREATE TABLE), and Django's SQLite features leave supports_comments "
            "off (django/db/backends/sqlite3/features.py).",
        ),
        seen(
            "model-fields.db_default",
            ("*-django5*", "*-django6*"),
            {"ORM": True, "raw SQL": True},
            "DEFAULT of an expression: PostgreSQL docs, CREATE TABLE > DEFAULT; MySQL Reference Manual, Data Type "
            "Default Values (expressions, 8.0.13+); MariaDB, CREATE TABLE > DEFAULT; SQLite docs, CREATE TABLE > "
            "DEFAULT (an expression in parentheses).",
        ),
        seen(
            "model-fields.datefield_integer_arithmetic",
            PG,
            {"type": "date", "value": "2024-01-14"},
            "PostgreSQL docs, Date/Time Functions and Operators > Date/Time Operators: date - integer subtracts a "
            "number of days and is a date, which psycopg and psycopg2 read as a date.",
        ),
        seen(
            "model-fields.datefield_integer_arithmetic",
            (MARIADB, "mysql*-django5*", "mysql*-django6*"),
            {"type": "int", "value": "20240114"},
            "MySQL Reference Manual, Conversion Between Date and Time Types (MariaDB, DATE): a DATE in numeric context "
            "is the number YYYYMMDD, so 2024-01-15 - 1 is the integer 20240114, which Django's MySQL backend returns "
            "as it is (no DateField converter: django/db/backends/mysql/operations.py, get_db_converters).",
        ),
        seen(
            "model-fields.datefield_integer_arithmetic",
            SQLITE,
            TYPE_ERROR,
            "SQLite docs, Datatypes In SQLite > Type Affinity and CAST expressions: Django stores a date as the TEXT "
            "'2024-01-15', which arithmetic takes as its leading number 2024, so the value is the integer 2023, which "
            "Django's SQLite DateField converter passes to date.fromisoformat() (django/db/backends/sqlite3/"
            "operations.py, convert_datefield_value; django/utils/dateparse.py, parse_date): TypeError.",
        ),
        seen(
            "model-fields.generated_field_immutable",
            ("postgres*-django5*", "postgres*-django6*"),
            PROGRAMMING,
            "PostgreSQL docs, Generated Columns (the generation expression can only use immutable functions) and "
            "Function Volatility Categories (the current_timestamp family is STABLE): Django's Now() is "
            "STATEMENT_TIMESTAMP(), so CREATE TABLE fails, generation expression is not immutable, SQLSTATE 42P17.",
        ),
        seen(
            "model-fields.generated_field_immutable",
            ("sqlite-*-django5*", "sqlite-*-django6*"),
            "ok",
            "SQLite docs, Deterministic SQL Functions > Special-case Processing For Date/Time Functions: strftime() "
            "with 'now' is non-deterministic, and since its arguments are known only at run time it raises its error "
            "when a row is written (non-deterministic use of strftime() in a generated column), not when the table is "
            "created.",
        ),
        seen(
            "model-fields.generated_field_immutable",
            ("mariadb1011-mysqlclient-django5*", "mariadb1011-mysqlclient-django6*"),
            OPERATIONAL,
            "MariaDB, Generated Columns > Expression Support: non-deterministic built-in functions such as "
            "CURRENT_TIMESTAMP are not allowed in a PERSISTENT (stored) generated column, error 1901, which "
            "mysqlclient raises as OperationalError.",
        ),
        seen(
            "model-fields.generated_field_immutable",
            ("mariadb1011-connector-django5*", "mariadb1011-connector-django6*"),
            DATABASE,
            "MariaDB, Generated Columns > Expression Support: non-deterministic built-in functions such as "
            "CURRENT_TIMESTAMP are not allowed in a PERSISTENT (stored) generated column, error 1901 with SQLSTATE "
            "HY000, which Connector/Python raises as DatabaseError.",
        ),
        seen(
            "model-fields.json_gin_index",
            PG,
            "gin",
            "PostgreSQL docs, GIN Indexes > Built-in Operator Classes (jsonb_ops, the default for jsonb) and CREATE "
            "INDEX > USING; Django's PostgreSQL schema editor writes USING gin (django/db/backends/postgresql/"
            "schema.py, sql_create_index) and its introspection reads the access method back (get_constraints).",
        ),
        seen(
            "model-fields.json_gin_index",
            (SQLITE, MARIADB),
            "idx",
            "The CREATE INDEX of Django's base and MySQL schema editors has no USING (django/db/backends/base/"
            "schema.py and mysql/schema.py, sql_create_index; only PostgreSQL's has one), so GinIndex makes a plain "
            "B-tree index of the column: SQLite docs, CREATE INDEX; MariaDB, JSON Data Type (an alias of LONGTEXT, "
            "indexed on a prefix: note 1071).",
        ),
        seen(
            "model-fields.json_gin_index",
            "mysql*-mysqlclient-*",
            OPERATIONAL,
            "MySQL Reference Manual, The JSON Data Type: a JSON column cannot be indexed directly, only through a "
            "generated column (error 3152, ER_JSON_USED_AS_KEY), which mysqlclient raises as OperationalError.",
        ),
        seen(
            "model-fields.json_gin_index",
            "mysql*-connector-*",
            PROGRAMMING,
            "MySQL Reference Manual, The JSON Data Type: a JSON column cannot be indexed directly, only through a "
            "generated column (error 3152, ER_JSON_USED_AS_KEY, SQLSTATE 42000), which Connector/Python raises as "
            "ProgrammingError.",
        ),
        # -- ref/models/indexes --------------------------------------------------------------------------------
        seen(
            "indexes.functional",
            (PG, SQLITE, MYSQL),
            True,
            "PostgreSQL docs, Indexes on Expressions; SQLite docs, Indexes On Expressions; MySQL Reference Manual, "
            "CREATE INDEX > Functional Key Parts (8.0.13+).",
        ),
        seen(
            "indexes.functional",
            ("mariadb*-mysqlclient-*", "mariadb1011-connector-django42", "mariadb1011-connector-django52"),
            False,
            "Django's MySQL features leave supports_expression_indexes off for MariaDB "
            "(and, for Connector/Python before "
            "6.1 on MariaDB 10.11, for a MySQL older than 8.0.13), so add_index() creates nothing "
            "(django/db/backends/base/schema.py, add_index).",
        ),
        seen(
            "indexes.functional",
            ("mariadb1011-connector-django61", "mariadb118-connector-*"),
            PROGRAMMING,
            f"{CONNECTOR_NOT_MARIADB}{CONNECTOR_VERSION}; the functional index is sent, and MariaDB's CREATE INDEX "
            "takes columns only: error 1064.",
        ),
        seen(
            "indexes.functional_concat",
            "postgres*-django42",
            PROGRAMMING,
            "Django 4.2's Concat() on PostgreSQL is CONCAT(), which PostgreSQL marks "
            "STABLE (docs, String Functions and "
            "Operators): functions in index expression must be marked IMMUTABLE, SQLSTATE 42P17.",
        ),
        seen(
            "indexes.functional_concat",
            ("postgres*-django5*", "postgres*-django6*"),
            True,
            "Django 5's Concat() on PostgreSQL is || over text (django/db/models/functions/text.py, "
            "ConcatPair.as_postgresql), which is IMMUTABLE (PostgreSQL docs, String Functions and Operators).",
        ),
        seen(
            "indexes.descending",
            (
                "*-django5*",
                "*-django6*",
                "postgres*-django42",
                "sqlite-*-django42",
                "*-mysqlclient-django42",
                "mysql*-connector-django42",
                "mariadb11*-connector-django42",
            ),
            ["DESC"],
            "Descending indexes: PostgreSQL docs, Indexes and ORDER BY; SQLite docs, CREATE INDEX; MySQL Reference "
            "Manual, Descending Indexes (8.0+); MariaDB, CREATE INDEX (10.8+); Django's introspection reads the order "
            "back (get_constraints).",
        ),
        seen(
            "indexes.descending",
            "mariadb10*-connector-django42",
            None,
            "Connector/Python's introspection reports orders only where Django 4.2's supports_index_column_ordering "
            "holds (MariaDB 10.8+), which it computes from Connector/Python's mysql_version, the handshake version: "
            "5.5.5 for MariaDB 10.x (lib/mysql/connector/django/introspection.py, get_constraints; "
            "django/db/backends/mysql/features.py), so the check cannot read the order and says so.",
            Outcome.NOT_APPLICABLE,
        ),
        seen(
            "indexes.opclasses",
            PG,
            {"added": "ok", "sent": True},
            "PostgreSQL docs, Operator Classes and Operator Families; Django's PostgreSQL schema editor writes the "
            "operator class after each column (django/db/backends/postgresql/schema.py, _index_columns).",
        ),
        seen(
            "indexes.opclasses",
            (SQLITE, MYSQL, MARIADB),
            {"added": "ok", "sent": False},
            "Django's base schema editor ignores opclasses (django/db/backends/base/schema.py, _index_columns), so a "
            "plain index is created.",
        ),
        seen(
            "indexes.condition",
            (PG, SQLITE),
            {"added": "ok", "sent": True},
            "PostgreSQL docs, Partial Indexes; SQLite docs, Partial Indexes; Django's supports_partial_indexes "
            "(django/db/backends/postgresql and sqlite3 features.py).",
        ),
        seen(
            "indexes.condition",
            (MYSQL, MARIADB),
            {"added": "ok", "sent": False},
            "MySQL and MariaDB have no partial indexes (Reference Manual, CREATE INDEX; MariaDB, CREATE INDEX); "
            "Django's MySQL features leave supports_partial_indexes off and the WHERE out "
            "(django/db/backends/base/schema.py, _index_condition_sql).",
        ),
        seen(
            "indexes.include",
            PG,
            {"added": "ok", "sent": True},
            "PostgreSQL docs, CREATE INDEX > INCLUDE (11+); Django's supports_covering_indexes "
            "(django/db/backends/postgresql/features.py).",
        ),
        seen(
            "indexes.include",
            (SQLITE, MYSQL, MARIADB),
            {"added": "ok", "sent": False},
            "Django leaves INCLUDE out where supports_covering_indexes is off (django/db/backends/base/schema.py, "
            "_index_include_sql); SQLite's, MySQL's and MariaDB's CREATE INDEX have no INCLUDE.",
        ),
        seen(
            "indexes.condition_immutable",
            "postgres*-django42",
            {
                "Q(stamp__lte=Now())": PROGRAMMING,
                "Q(stamp__hour=10)": "ok",
                "Q(name=Concat('code', 'code'))": PROGRAMMING,
            },
            "PostgreSQL docs, CREATE INDEX (functions in an index predicate must be IMMUTABLE) and Function Volatility "
            "Categories: Now() is STATEMENT_TIMESTAMP() and Django 4.2's Concat() is CONCAT(), both STABLE (SQLSTATE "
            "42P17); the hour is extracted after AT TIME ZONE 'UTC' (django/db/backends/postgresql/operations.py, "
            "_convert_sql_to_tz), from a timestamp without time zone, which is IMMUTABLE.",
        ),
        seen(
            "indexes.condition_immutable",
            ("postgres*-django5*", "postgres*-django6*"),
            {"Q(stamp__lte=Now())": PROGRAMMING, "Q(stamp__hour=10)": "ok", "Q(name=Concat('code', 'code'))": "ok"},
            "PostgreSQL docs, CREATE INDEX (functions in an index predicate must be IMMUTABLE) and Function Volatility "
            "Categories: Now() is STATEMENT_TIMESTAMP(), STABLE (SQLSTATE 42P17); the hour is extracted after AT TIME "
            "ZONE 'UTC' (django/db/backends/postgresql/operations.py, _convert_sql_to_tz), from a timestamp without "
            "time zone, and Django 5's Concat() is || over text (django/db/models/functions/text.py, "
            "ConcatPair.as_postgresql): both IMMUTABLE.",
        ),
        seen(
            "indexes.condition_immutable",
            SQLITE,
            {"Q(stamp__lte=Now())": "ok", "Q(stamp__hour=10)": "ok", "Q(name=Concat('code', 'code'))": "ok"},
            "SQLite docs, Partial Indexes and Deterministic SQL Functions: Django registers django_datetime_extract() "
            "as deterministic (django/db/backends/sqlite3/_functions.py), and strftime() with 'now' raises its error "
            "only when evaluated for a row (Special-case Processing For Date/Time Functions), the table being empty.",
        ),
        seen(
            "indexes.condition_immutable",
            (MYSQL, MARIADB),
            {"Q(stamp__lte=Now())": "ok", "Q(stamp__hour=10)": "ok", "Q(name=Concat('code', 'code'))": "ok"},
            "MySQL and MariaDB have no partial indexes (Reference Manual, CREATE INDEX; MariaDB, CREATE INDEX); "
            "Django's MySQL features leave supports_partial_indexes off and the WHERE out "
            "(django/db/backends/base/schema.py, _index_condition_sql).",
        ),
        seen(
            "indexes.include_gist",
            PG,
            {"added": "ok", "sent": True},
            "PostgreSQL docs, CREATE INDEX > INCLUDE (B-tree, GiST and, from 14, SP-GiST) and GiST Indexes > Built-in "
            "Operator Classes (inet_ops for inet); Django's PostgreSQL schema editor writes USING gist and INCLUDE "
            "(django/db/backends/postgresql/schema.py, sql_create_index).",
        ),
        seen(
            "indexes.include_spgist",
            PG,
            {"added": "ok", "sent": True},
            "PostgreSQL docs, CREATE INDEX > INCLUDE (SP-GiST from 14) and SP-GiST Indexes > Built-in Operator Classes "
            "(inet_ops, the default for inet); Django's PostgreSQL schema editor writes USING spgist and INCLUDE "
            "(django/db/backends/postgresql/schema.py, sql_create_index).",
        ),
        seen(
            "indexes.include_gist",
            (SQLITE, MYSQL, MARIADB),
            {"added": "ok", "sent": False},
            "The CREATE INDEX of Django's base and MySQL schema editors has no USING, and Django leaves INCLUDE out "
            "where supports_covering_indexes is off (django/db/backends/base/schema.py, sql_create_index and "
            "_index_include_sql), so a plain index of the column is made.",
        ),
        seen(
            "indexes.include_spgist",
            (
                "sqlite-*-django5*",
                "sqlite-*-django6*",
                "mysql*-django5*",
                "mysql*-django6*",
                "mariadb*-django5*",
                "mariadb*-django6*",
            ),
            {"added": "ok", "sent": False},
            "The CREATE INDEX of Django's base and MySQL schema editors has no USING, and Django leaves INCLUDE out "
            "where supports_covering_indexes is off (django/db/backends/base/schema.py, sql_create_index and "
            "_index_include_sql), so a plain index of the column is made.",
        ),
        seen(
            "indexes.include_spgist",
            ("sqlite-*-django42", "mysql*-django42", "mariadb*-django42"),
            {"added": ATTRIBUTE_ERROR, "sent": False},
            "Django 4.2's SpGistIndex.check_supported() reads supports_covering_spgist_indexes for an index with "
            "include (django/contrib/postgres/indexes.py), a flag only its PostgreSQL features define "
            "(django/db/backends/postgresql/features.py), so elsewhere it raises AttributeError before any SQL.",
        ),
        # -- ref/models/constraints ----------------------------------------------------------------------------
        seen(
            "constraints.check_enforced",
            "mysql*-connector-*",
            "django.db.utils.DatabaseError",
            "MySQL's error 3819 has SQLSTATE HY000, which Connector/Python raises as its DatabaseError; its Django "
            "backend turns only an OperationalError with a code of codes_for_integrityerror into IntegrityError "
            "(lib/mysql/connector/django/base.py, CursorWrapper.execute), so Django's wrapper gives DatabaseError: "
            "the constraint is enforced all the same.",
        ),
        seen(
            "constraints.check_enforced",
            EVERY_BUT_MYSQL_CONNECTOR,
            INTEGRITY,
            "CHECK constraints are enforced: PostgreSQL docs, Constraints > Check Constraints (23514); SQLite docs, "
            "CREATE TABLE > CHECK constraints; MySQL Reference Manual, CHECK Constraints "
            "(8.0.16+, error 3819); MariaDB, "
            "CONSTRAINT (error 4025); Django's MySQL cursor and Connector/Python's raise both as IntegrityError "
            "(codes_for_integrityerror).",
        ),
        seen(
            "constraints.check_null",
            EVERY,
            {"validate() accepts": True, "database accepts": True},
            "A CHECK whose condition is NULL is satisfied (PostgreSQL docs, Check "
            "Constraints; SQLite docs, CREATE TABLE; "
            "MySQL Reference Manual, CHECK Constraints), and Django's validate() wraps the condition in Coalesce(..., "
            "True) where the backend compares boolean expressions (django/db/models/query_utils.py, Q.check).",
        ),
        seen(
            "constraints.unique_deferrable",
            PG,
            {"inside the transaction": "ok", "at commit": INTEGRITY},
            "PostgreSQL docs, SET CONSTRAINTS and CREATE TABLE > DEFERRABLE: a deferred "
            "unique constraint is checked at "
            "commit (SQLSTATE 23505 unique_violation).",
        ),
        seen(
            "constraints.unique_deferrable",
            (SQLITE, MYSQL, MARIADB),
            {"inside the transaction": "ok", "at commit": "ok"},
            "Django leaves out a unique constraint it cannot make deferrable (django/db/backends/base/schema.py, "
            "_unique_supported; supports_deferrable_unique_constraints is off for SQLite and MySQL), so there is no "
            "constraint.",
        ),
        seen(
            "constraints.unique_include",
            PG,
            INTEGRITY,
            "PostgreSQL docs, CREATE TABLE > UNIQUE ... INCLUDE: the key columns stay unique (23505).",
        ),
        seen(
            "constraints.unique_include",
            (
                "sqlite-*-django5*",
                "sqlite-*-django6*",
                "mysql*-django5*",
                "mysql*-django6*",
                "mariadb*-django5*",
                "mariadb*-django6*",
            ),
            "ok",
            "Django leaves out a unique constraint with include where supports_covering_indexes is off "
            "(django/db/backends/base/schema.py, _unique_supported), so there is no constraint.",
        ),
        seen(
            "constraints.unique_opclasses",
            EVERY,
            INTEGRITY,
            "The unique constraint is created (with its operator class on PostgreSQL, docs, Operator Classes; without "
            "it elsewhere, django/db/backends/base/schema.py, _index_columns), and the duplicate is refused.",
        ),
        seen(
            "constraints.unique_nulls_distinct",
            ("postgres*-django5*", "postgres*-django6*"),
            {"second NULL": INTEGRITY, "second 1": INTEGRITY},
            "PostgreSQL docs, CREATE TABLE > UNIQUE NULLS NOT DISTINCT (15+): NULLs are equal in the constraint.",
        ),
        seen(
            "constraints.unique_nulls_distinct",
            (
                "sqlite-*-django5*",
                "sqlite-*-django6*",
                "mysql*-django5*",
                "mysql*-django6*",
                "mariadb*-django5*",
                "mariadb*-django6*",
            ),
            {"second NULL": "ok", "second 1": "ok"},
            "Django leaves out a unique constraint with nulls_distinct where "
            "supports_nulls_distinct_unique_constraints is off (django/db/backends/base/schema.py, _unique_supported).",
        ),
        # -- ref/models/database-functions ---------------------------------------------------------------------
        seen(
            "functions.greatest_least_null",
            PG,
            {"Greatest": 3, "Least": 1},
            "PostgreSQL docs, Conditional Expressions > GREATEST and LEAST: NULL values in the list are ignored.",
        ),
        seen(
            "functions.greatest_least_null",
            (SQLITE, MYSQL),
            {"Greatest": None, "Least": None},
            "SQLite docs, Core Functions > max() and min() (multi-argument: NULL if any argument is NULL); MySQL "
            "Reference Manual, Comparison Functions > GREATEST(): NULL if any argument is NULL.",
        ),
        seen(
            "functions.nullif_char",
            EVERY,
            "NULL",
            "NULLIF returns NULL when its arguments are equal (PostgreSQL docs, NULLIF; SQLite docs, nullif(); MySQL "
            "Reference Manual, NULLIF(); MariaDB, NULLIF).",
        ),
        seen(
            "functions.nullif_null_first",
            EVERY,
            "NULL",
            "NULLIF(NULL, x) is NULL: the first argument when they differ (PostgreSQL docs, NULLIF; SQLite docs, "
            "nullif(); MySQL Reference Manual, NULLIF()).",
        ),
        seen(
            "functions.now_statement_time",
            EVERY,
            True,
            "PostgreSQL docs, Current Date/Time > statement_timestamp(); MySQL Reference "
            "Manual, NOW() (the statement's "
            "start; MariaDB, NOW); SQLite docs, Date And Time Functions > 'now' (per statement).",
        ),
        seen(
            "functions.now_precision",
            "mysql*-django42",
            "microseconds",
            "Django 4.2 writes CURRENT_TIMESTAMP(6) for MySQL (django/db/models/functions/datetime.py, Now.as_mysql); "
            "MySQL Reference Manual, Fractional Seconds in Time Values.",
        ),
        seen(
            "functions.now_precision",
            "sqlite-*-django42",
            "milliseconds",
            "Django 4.2 writes STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW') for SQLite (Now.as_sqlite); SQLite docs, Date And "
            "Time Functions: %f is fractional seconds SS.SSS.",
        ),
        seen(
            "functions.truncdate_time_zone",
            (PG, SQLITE, "mysql97-*", "mariadb118-*"),
            "2024-01-16",
            "PostgreSQL docs, AT TIME ZONE; Django's SQLite functions convert in Python (django/db/backends/sqlite3/"
            "_functions.py); CONVERT_TZ with the time zone tables loaded (MySQL Reference Manual, MySQL Server Time "
            "Zone Support; the images load them): 23:30 UTC on January 15 is January 16 in Paris.",
        ),
        seen(
            "functions.truncdate_time_zone",
            "mariadb1011-*",
            None,
            "The host's MariaDB has no time zone tables loaded (Django's has_zoneinfo_database is False; MariaDB, "
            "mariadb-tzinfo-to-sql), so the check says it cannot convert to Europe/Paris there.",
            Outcome.NOT_APPLICABLE,
        ),
        seen(
            "functions.collate_nocase",
            SQLITE,
            True,
            "SQLite docs, Datatypes In SQLite > Collating Sequences: NOCASE folds ASCII upper case to lower case.",
        ),
        seen(
            "functions.collate_icu",
            PG,
            "ok",
            "PostgreSQL docs, Collation Support > ICU Collations: initdb imports the ICU collations (et-x-icu) of a "
            "server built with ICU, as Debian's are.",
        ),
        seen(
            "functions.sha224",
            PG,
            PROGRAMMING,
            "Django's PostgreSQL SHA224 is DIGEST() of pgcrypto (django/db/models/functions/text.py, "
            "PostgreSQLSHAMixin), not installed in the throwaway database (PostgreSQL docs, pgcrypto): function digest "
            "does not exist, SQLSTATE 42883.",
        ),
        seen(
            "functions.sha224",
            (SQLITE, MYSQL, MARIADB),
            ABC_SHA224,
            "MySQL Reference Manual, SHA2() (MariaDB, SHA2); Django registers SHA224 for SQLite with Python's hashlib "
            "(django/db/backends/sqlite3/_functions.py): the SHA-224 of 'abc' (FIPS 180-4 test vector).",
        ),
        seen(
            "functions.strindex_case",
            (MYSQL, MARIADB),
            2,
            "INSTR() compares under the column's collation (MySQL Reference Manual, String Functions > INSTR(); "
            "MariaDB, INSTR), a case-insensitive _ci one here (see collation.exact_ignores_case).",
        ),
        seen(
            "functions.lag_default",
            (PG, SQLITE, MYSQL),
            [0, 1, 2],
            "LAG(value, offset, default) (PostgreSQL docs, Window Functions; SQLite docs, Window Functions; MySQL "
            "Reference Manual, Window Function Descriptions): the default where there is no previous row.",
        ),
        seen(
            "functions.lag_default",
            (
                "mariadb*-mysqlclient-*",
                "mariadb1011-connector-django5*",
                "mariadb1011-connector-django6*",
                "mariadb118-connector-*",
            ),
            PROGRAMMING,
            "MariaDB's LAG takes no default argument (MariaDB, LAG; MDEV-12981), and Django does not refuse it first "
            "(supports_default_in_lead_lag is not consulted): error 1064.",
        ),
        seen(
            "functions.lag_default",
            "mariadb1011-connector-django42",
            NOT_SUPPORTED,
            f"{CONNECTOR_NOT_MARIADB}{CONNECTOR_VERSION}; Django 4.2 then takes MariaDB 10.11 for MySQL 5.5.5, without "
            "window functions (supports_over_clause), and refuses the Window with NotSupportedError.",
        ),
        seen(
            "functions.cast",
            EVERY,
            {"FloatField": 1.0, "DecimalField": "Decimal"},
            "CAST to the output field's type (PostgreSQL docs, CAST; MySQL Reference Manual, CAST(); SQLite docs, CAST "
            "expressions), converted by Django to float and Decimal (each backend's get_db_converters).",
        ),
        seen(
            "functions.uuid4",
            ("postgres*-django61", "sqlite-*-django61", "mariadb118-mysqlclient-django61"),
            4,
            "PostgreSQL docs, UUID Functions > gen_random_uuid(); Django's SQLite function uses uuid.uuid4() "
            "(django/db/backends/sqlite3/_functions.py); MariaDB, UUID_v4() (11.7+).",
        ),
        seen(
            "functions.uuid4",
            ("mysql*-django61", "mariadb1011-*-django61", "mariadb118-connector-django61"),
            NOT_SUPPORTED,
            "Django's supports_uuid4_function is True for MariaDB 11.7+ only among the MySQL backend's servers "
            "(django/db/backends/mysql/features.py), and UUID4 then raises "
            f"NotSupportedError; {CONNECTOR_NOT_MARIADB}.",
        ),
        seen(
            "functions.uuid7",
            ("postgres18-*-django61", "mariadb118-mysqlclient-django61"),
            7,
            "PostgreSQL docs, UUID Functions > uuidv7() (18+); MariaDB, UUID_v7() (11.7+).",
        ),
        seen(
            "functions.uuid7",
            (
                "postgres15-*-django61",
                "postgres17-*-django61",
                "mysql*-django61",
                "mariadb1011-*-django61",
                "mariadb118-connector-django61",
            ),
            NOT_SUPPORTED,
            "Django's supports_uuid7_function is True for PostgreSQL 18+ and MariaDB 11.7+ only "
            "(django/db/backends/postgresql and mysql features.py), and UUID7 then raises NotSupportedError; "
            f"{CONNECTOR_NOT_MARIADB}.",
        ),
        seen(
            "functions.uuid7_shift",
            (D42, D52),
            None,
            "UUID7 is new in Django 6.1 (django/db/models/functions/uuid.py; Django 6.1 release notes), so the check "
            "says it cannot run.",
            Outcome.NOT_APPLICABLE,
        ),
        seen(
            "functions.uuid7_shift",
            "postgres18-*-django61",
            24,
            "PostgreSQL docs, UUID Functions > uuidv7(shift interval) (18+): the timestamp is shifted by the interval, "
            "which Django passes for shift where supports_uuid7_function_shift (django/db/backends/postgresql/"
            "features.py, 18+); RFC 9562, section 5.7: a version 7 UUID starts with 48 bits of Unix time in ms.",
        ),
        seen(
            "functions.uuid7_shift",
            (
                "postgres15-*-django61",
                "postgres17-*-django61",
                "sqlite-*-django61",
                "mysql*-django61",
                "mariadb*-django61",
            ),
            NOT_SUPPORTED,
            "Django raises NotSupportedError for UUID7 where supports_uuid7_function is off (PostgreSQL before 18, "
            "MySQL, MariaDB before 11.7, SQLite on Python before 3.14) and for its shift where "
            "supports_uuid7_function_shift is off (every backend but PostgreSQL 18+, MariaDB 11.8 included) "
            f"(django/db/models/functions/uuid.py, UUID7.as_sql; the backends' features.py); {CONNECTOR_NOT_MARIADB}.",
        ),
        # -- ref/models/expressions ----------------------------------------------------------------------------
        seen(
            "expressions.window_functions",
            (
                PG,
                SQLITE,
                MYSQL,
                "mariadb*-mysqlclient-*",
                "mariadb1011-connector-django5*",
                "mariadb1011-connector-django6*",
                "mariadb118-connector-*",
            ),
            [1, 2, 3],
            "Window functions: PostgreSQL docs, Window Functions; SQLite docs, Window Functions (3.25+); MySQL "
            "Reference Manual, Window Functions (8.0+); MariaDB, Window Functions Overview (10.2+).",
        ),
        seen(
            "expressions.window_functions",
            "mariadb1011-connector-django42",
            NOT_SUPPORTED,
            f"{CONNECTOR_NOT_MARIADB}{CONNECTOR_VERSION}; Django 4.2 takes MariaDB 10.11 for MySQL 5.5.5, without "
            "supports_over_clause, and refuses the Window with NotSupportedError.",
        ),
        seen(
            "expressions.value_range_offset",
            PG,
            NOT_SUPPORTED,
            "Django's PostgreSQL features set only_supports_unbounded_with_preceding_and_following, and a ValueRange "
            "offset then raises NotSupportedError (django/db/backends/base/operations.py, "
            "window_frame_range_start_end).",
        ),
        seen(
            "expressions.f_assignment_refreshed",
            ("postgres*-django61", "sqlite-*-django61"),
            True,
            "Django 6.0 reads F() assignments back with UPDATE ... RETURNING (PostgreSQL docs, UPDATE; SQLite docs, "
            "RETURNING) where can_return_columns_from_update.",
        ),
        seen(
            "expressions.f_assignment_refreshed",
            ("mysql*-django61", "mariadb*-django61"),
            False,
            "MySQL's and MariaDB's UPDATE has no RETURNING (MySQL Reference Manual, UPDATE "
            "Statement; MariaDB, UPDATE), "
            "so Django 6.0 defers the field.",
        ),
        # -- topics/db/queries ---------------------------------------------------------------------------------
        seen(
            "queries.bitxor",
            EVERY,
            6,
            "5 XOR 3 is 6: PostgreSQL docs, Bit String Functions (#); MySQL Reference Manual, Bit Functions (^); "
            "SQLite has no XOR operator, which Django writes as (a | b) - (a & b) (django/db/backends/sqlite3/"
            "operations.py, combine_expression).",
        ),
        seen(
            "queries.json_key_order_by",
            MARIADB,
            [10, 100, 9],
            "MariaDB's JSON is LONGTEXT, and JSON_EXTRACT returns text (MariaDB, JSON Data Type and JSON_EXTRACT), so "
            "the values sort as strings.",
        ),
        seen(
            "queries.json_key_order_by",
            (PG, SQLITE, MYSQL),
            [9, 10, 100],
            "PostgreSQL docs, jsonb Indexing > ordering of numbers; SQLite docs, json_extract() returns an SQL number "
            "for a JSON number; MySQL Reference Manual, Comparison and Ordering of JSON Values.",
        ),
        seen(
            "queries.json_exclude_none",
            EVERY,
            ["one"],
            "Django's KeyTransformIsNull and exact lookups of None outside Oracle match a JSON null at the path only "
            "(django/db/models/fields/json.py), so exclude() keeps the rows with the path and a value.",
        ),
        seen(
            "queries.json_postgresql_operators",
            PG,
            {"one key: ->": True, "path: #>": True},
            "Django's PostgreSQL KeyTransform uses -> for one key and #> for a path "
            "(django/db/models/fields/json.py, KeyTransform.as_postgresql; PostgreSQL docs, JSON Functions and "
            "Operators).",
        ),
        seen(
            "queries.json_true_string",
            SQLITE,
            ["boolean true", "string true"],
            "Django's SQLite JSON lookups compare JSON_EXTRACT values, where the string "
            "'true' and the boolean true are "
            "read alike (django/db/models/fields/json.py, KeyTransformExact.process_rhs on SQLite; SQLite docs, "
            "json_extract()).",
        ),
        seen(
            "queries.json_contains",
            SQLITE,
            {"contains": NOT_SUPPORTED, "contained_by": NOT_SUPPORTED},
            "Django's SQLite features leave supports_json_field_contains off, and the lookups raise "
            "NotSupportedError (django/db/models/fields/json.py, DataContains.as_sql).",
        ),
        seen(
            "queries.json_contains",
            SERVERS,
            {"contains": ["object"], "contained_by": ["nine", "none"]},
            "PostgreSQL docs, jsonb Containment (@> and <@; {} is contained in any object); MySQL Reference Manual, "
            "JSON_CONTAINS(); MariaDB, JSON_CONTAINS.",
        ),
        seen(
            "queries.json_negative_index",
            ("postgres*-django61", "sqlite-*-django61"),
            ["list"],
            "PostgreSQL docs, JSON Functions and Operators (a negative index counts from the end); SQLite docs, JSON "
            "path arguments [#-1], which Django 6.0+ writes (django/db/models/fields/json.py, compile_json_path).",
        ),
        seen(
            "queries.json_negative_index",
            ("mysql*-django61", "mariadb*-django61"),
            NOT_SUPPORTED,
            "Django 6.0+ refuses negative JSON array indices where supports_json_negative_indexing is off, as on its "
            "MySQL backend (django/db/backends/mysql/features.py; django/db/models/fields/json.py, KeyTransform).",
        ),
        # -- topics/db/transactions ----------------------------------------------------------------------------
        seen(
            "db-transactions.savepoint_api",
            EVERY,
            ["outer"],
            "PostgreSQL docs, ROLLBACK TO SAVEPOINT; MySQL Reference Manual, SAVEPOINT (InnoDB); MariaDB, SAVEPOINT; "
            "SQLite docs, SAVEPOINT.",
        ),
        seen(
            "db-transactions.savepoint_autocommit_off",
            SERVERS,
            True,
            "Django makes a savepoint in any transaction where uses_savepoints (django/db/backends/base/base.py, "
            "_savepoint_allowed).",
        ),
        seen(
            "db-transactions.savepoint_autocommit_off",
            SQLITE,
            False,
            "Django's SQLite backend allows savepoints only inside atomic() (django/db/backends/sqlite3/base.py, "
            "_savepoint_allowed: in_atomic_block).",
        ),
        seen(
            "db-transactions.atomic_autocommit_off",
            SQLITE,
            ["outer"],
            "Python docs, sqlite3 > Transaction control: since Python 3.6 sqlite3 no longer commits implicitly before "
            "other statements, so the atomic() block's SAVEPOINT runs in the transaction and rolls back.",
        ),
        seen(
            "db-transactions.after_error",
            PG,
            {"next query": INTERNAL, "after savepoint_rollback()": "ok"},
            "PostgreSQL docs, Transactions: after an error the transaction is aborted until rolled back, SQLSTATE "
            "25P02 in_failed_sql_transaction, an InternalError (psycopg docs, errors); ROLLBACK TO SAVEPOINT recovers.",
        ),
        seen(
            "db-transactions.on_commit_nested",
            EVERY,
            ["A"],
            "Django discards the on_commit() callbacks of a savepoint rolled back and runs the others at commit "
            "(django/db/backends/base/base.py, savepoint_rollback and run_and_clear_commit_hooks).",
        ),
        # -- topics/migrations ---------------------------------------------------------------------------------
        seen(
            "migrations.failed_migration_leaves",
            (PG, SQLITE),
            False,
            "Transactional DDL (PostgreSQL docs, Transactional DDL; SQLite docs, BEGIN TRANSACTION) and Django's "
            "can_rollback_ddl: the migration's transaction is rolled back with the table it created.",
        ),
        seen(
            "migrations.failed_migration_leaves",
            (MYSQL, MARIADB),
            True,
            "MySQL Reference Manual, Statements That Cause an Implicit Commit (CREATE TABLE; MariaDB, SQL statements "
            "that cause an implicit commit): the table stays, and Django's MySQL features leave can_rollback_ddl off.",
        ),
        seen(
            "migrations.alter_field_rebuilds_table",
            SQLITE,
            True,
            "Django's SQLite schema editor rebuilds the table to alter a column (django/db/backends/sqlite3/schema.py, "
            "_remake_table; SQLite docs, ALTER TABLE > Making Other Kinds Of Table Schema Changes).",
        ),
        seen(
            "migrations.wide_index",
            "mysql*-mysqlclient-*",
            OPERATIONAL,
            "MySQL Reference Manual, Limits on InnoDB Tables: an index key is at most 3072 bytes; 1200 characters are "
            "more in utf8mb3 and utf8mb4: error 1071 ER_TOO_LONG_KEY, which mysqlclient raises as OperationalError.",
        ),
        seen(
            "migrations.wide_index",
            "mysql*-connector-*",
            PROGRAMMING,
            "MySQL Reference Manual, Limits on InnoDB Tables: an index key is at most 3072 bytes: error 1071, SQLSTATE "
            "42000, which Connector/Python raises as ProgrammingError.",
        ),
        seen(
            "migrations.wide_index",
            (PG, SQLITE),
            "ok",
            "PostgreSQL docs, B-Tree Indexes (the limit is on the size of an entry, not of the declared columns); "
            "SQLite docs, CREATE INDEX (no limit on the columns).",
        ),
        seen(
            "migrations.deferred_foreign_key",
            "postgres*-django61",
            {"parent inserted later": "ok", "parent never inserted": INTEGRITY},
            "Django's PostgreSQL foreign keys are DEFERRABLE INITIALLY DEFERRED (django/db/backends/postgresql/"
            "schema.py); PostgreSQL docs, CREATE TABLE > DEFERRABLE: checked at commit, SQLSTATE 23503.",
        ),
        # -- ref/migration-operations --------------------------------------------------------------------------
        seen(
            "migration-operations.rename_index",
            SERVERS,
            True,
            "ALTER INDEX ... RENAME TO (PostgreSQL docs, ALTER INDEX); ALTER TABLE ... RENAME INDEX (MySQL Reference "
            "Manual, ALTER TABLE; MariaDB 10.5.2+); Django's can_rename_index.",
        ),
        seen(
            "migration-operations.rename_index",
            SQLITE,
            False,
            "SQLite has no statement that renames an index (docs, ALTER TABLE), so Django drops and creates it "
            "(django/db/backends/base/schema.py, rename_index).",
        ),
        seen(
            "migration-operations.runsql_split",
            PG,
            1,
            "Django's PostgreSQL features leave requires_sqlparse_for_splitting off and send the SQL whole, which "
            "PostgreSQL runs as several statements (docs, Multiple Statements in a Simple Query).",
        ),
        seen(
            "migration-operations.runsql_split",
            (SQLITE, MYSQL, MARIADB),
            2,
            "Django splits RunSQL with sqlparse where requires_sqlparse_for_splitting (django/db/migrations/operations/"
            "special.py, RunSQL._run_sql).",
        ),
        seen(
            "migration-operations.runpython_in_transaction",
            EVERY,
            True,
            "Django's Migration.apply runs an operation in atomic() where the schema editor is not atomic (MySQL: "
            "can_rollback_ddl off), and inside the migration's transaction elsewhere (django/db/migrations/"
            "migration.py, apply).",
        ),
        seen(
            "migration-operations.remove_field_dependent_view",
            "postgres*-django52",
            {"RemoveField": "ok", "view left": False},
            "Django 5.2's PostgreSQL schema editor drops a column with CASCADE (django/db/backends/base/schema.py, "
            "sql_delete_column), which drops the views that depend on it (PostgreSQL docs, ALTER TABLE > CASCADE).",
        ),
        seen(
            "migration-operations.remove_field_dependent_view",
            "postgres*-django61",
            {"RemoveField": INTERNAL, "view left": True},
            "Django 6.0+ drops a column without CASCADE; PostgreSQL refuses to drop a column a view depends on (docs, "
            "ALTER TABLE > RESTRICT: SQLSTATE 2BP01 dependent_objects_still_exist, an InternalError in psycopg's "
            "errors).",
        ),
        seen(
            "migration-operations.runsql_commit",
            "postgres*-psycopg-*",
            {"migration": PROGRAMMING, "rows left": [1]},
            "PostgreSQL docs, COMMIT: the migration's transaction ends there; psycopg 3 reads the transaction status "
            "from libpq and begins a new transaction before the next statement (psycopg docs, Transactions "
            "management), which Django's rollback of the failed migration (a missing table, SQLSTATE 42P01) undoes: "
            "row 1 stays.",
        ),
        seen(
            "migration-operations.runsql_commit",
            "postgres*-psycopg2-*",
            {"migration": PROGRAMMING, "rows left": [1, 2]},
            "PostgreSQL docs, COMMIT: the migration's transaction ends there; psycopg2 keeps a transaction status of "
            "its own, which only connection.commit() and rollback() reset (psycopg2 source, psycopg/pqpath.c, "
            "pq_begin_locked), so it sends no BEGIN and INSERT 2 commits on its own (PostgreSQL docs, BEGIN: without "
            "it each statement is a transaction): both rows stay.",
        ),
        seen(
            "migration-operations.runsql_commit",
            SQLITE,
            {"migration": OPERATIONAL, "rows left": [1, 2]},
            "Django's SQLite backend begins its transactions with its own BEGIN under the library's autocommit "
            "(django/db/backends/sqlite3/base.py, _start_transaction_under_autocommit); after the COMMIT SQLite is in "
            "autocommit mode (SQLite docs, BEGIN TRANSACTION), so INSERT 2 commits on its own: both rows stay.",
        ),
        seen(
            "migration-operations.runsql_commit",
            (MYSQL, MARIADB),
            {"migration": PROGRAMMING, "rows left": [1, 2]},
            "Django's MySQL features leave can_rollback_ddl off (django/db/backends/mysql/features.py), so the schema "
            "editor opens no transaction for the migration (base/schema.py, atomic_migration): each INSERT commits in "
            "autocommit mode and COMMIT has nothing to end (MySQL Reference Manual, START TRANSACTION, COMMIT, and "
            "ROLLBACK Statements); the missing table is error 1146, a ProgrammingError for both drivers.",
        ),
        # -- ref/models/options --------------------------------------------------------------------------------
        seen(
            "meta-options.required_db_vendor",
            PG,
            ["postgresql"],
            "Django's PostgreSQL backend's vendor is 'postgresql' (django/db/backends/postgresql/base.py).",
        ),
        seen(
            "meta-options.required_db_vendor",
            (MYSQL, MARIADB),
            ["mysql"],
            "Django's MySQL backend, and Connector/Python's, have vendor 'mysql', MariaDB included "
            "(django/db/backends/mysql/base.py; lib/mysql/connector/django/base.py).",
        ),
        seen(
            "meta-options.required_db_vendor",
            SQLITE,
            ["sqlite"],
            "Django's SQLite backend's vendor is 'sqlite' (django/db/backends/sqlite3/base.py).",
        ),
        seen(
            "meta-options.db_table_comment",
            (PG, MYSQLCLIENT),
            "The table",
            "PostgreSQL docs, COMMENT; MySQL Reference Manual, CREATE TABLE > COMMENT (MariaDB, CREATE TABLE).",
        ),
        seen(
            "meta-options.db_table_comment",
            CONNECTOR,
            PROGRAMMING,
            "Connector/Python's schema editor quote_value() escapes without quoting (lib/mysql/connector/django/"
            "schema.py), so COMMENT = The table is a syntax error, 1064, SQLSTATE 42000.",
        ),
        seen(
            "meta-options.db_table_comment",
            SQLITE,
            None,
            "SQLite has no table comments (docs, CREATE TABLE); Django's SQLite features leave supports_comments off.",
        ),
        seen(
            "meta-options.select_on_save",
            PG,
            {"without select_on_save": True, "with select_on_save": False},
            "PostgreSQL docs, Overview of Trigger Behavior: a BEFORE row trigger returning NULL skips the operation "
            "for the row, so the UPDATE's row count is 0; save() then INSERTs (django/db/models/base.py, _save_table "
            "and _do_update), and with select_on_save the SELECT finds the row and no INSERT follows.",
        ),
        seen(
            "meta-options.select_on_save",
            SQLITE,
            {"without select_on_save": True, "with select_on_save": False},
            "SQLite docs, CREATE TRIGGER > The RAISE() function: RAISE(IGNORE) abandons the row's change without an "
            "error, and sqlite3_changes() counts no row for it, so save() INSERTs without select_on_save "
            "(django/db/models/base.py, _do_update) and does not with it.",
        ),
        seen(
            "meta-options.select_on_save",
            (MYSQL, MARIADB),
            None,
            "MySQL Reference Manual, Using Triggers (MariaDB, Trigger Overview): a BEFORE trigger may change the new "
            "values or fail the statement with SIGNAL, never skip a row silently, so the harness has no such trigger "
            "and the check says it cannot run.",
            Outcome.NOT_APPLICABLE,
        ),
        # -- ref/settings --------------------------------------------------------------------------------------
        seen(
            "settings.unused_with_sqlite",
            SQLITE,
            {"HOST": "ok", "PORT": "ok", "USER": "ok", "PASSWORD": "ok"},
            "Django's SQLite backend connects with NAME and OPTIONS only (django/db/backends/sqlite3/base.py, "
            "get_connection_params); SQLite is a file, with no server (SQLite docs, About SQLite).",
        ),
        seen(
            "settings.host_socket",
            SERVERS,
            True,
            "libpq takes a host starting with / as the directory of the Unix socket (PostgreSQL docs, libpq, Parameter "
            "Key Words > host); Django's MySQL backend passes it as unix_socket (django/db/backends/mysql/base.py; "
            "Connector/Python's base.py likewise), and the client names the socket in its error (MySQL error 2002).",
        ),
        seen(
            "settings.database_time_zone",
            (PG, SQLITE, MYSQLCLIENT),
            {"TIME_ZONE Europe/Paris": 11, "no TIME_ZONE": 10},
            "Django's MySQL and SQLite backends write aware datetimes in the connection's time zone "
            "(adapt_datetimefield_value, connection.timezone); its PostgreSQL backend sets the session's TimeZone to "
            "it (postgresql/base.py, _configure_timezone), so a raw SELECT reads 11:00 in Paris (UTC+1 in January).",
        ),
        seen(
            "settings.database_time_zone",
            CONNECTOR,
            {"TIME_ZONE Europe/Paris": 10, "no TIME_ZONE": 10},
            "Connector/Python's backend converts aware datetimes to UTC whenever USE_TZ is on "
            "(lib/mysql/connector/django/operations.py, value_to_db_datetime), ignoring DATABASES TIME_ZONE.",
        ),
        seen(
            "settings.test_database_name",
            SERVERS,
            "test_ + NAME",
            "Django's creation names the test database TEST_DATABASE_PREFIX + NAME when TEST NAME is None "
            "(django/db/backends/base/creation.py, _get_test_db_name).",
        ),
        seen(
            "settings.test_database_name",
            SQLITE,
            "in memory",
            "Django's SQLite creation uses an in-memory database for TEST NAME None "
            "(django/db/backends/sqlite3/creation.py, _get_test_db_name: file:memorydb_...?mode=memory).",
        ),
        seen(
            "settings.test_charset",
            SERVERS,
            "created with it",
            "Django's PostgreSQL and MySQL creations put TEST CHARSET into CREATE DATABASE (django/db/backends/"
            "postgresql/creation.py, _get_database_create_suffix: WITH ENCODING; mysql/creation.py, "
            "sql_table_creation_suffix: CHARACTER SET), and UTF8 is an encoding of both (PostgreSQL docs, Character "
            "Set Support; MySQL Reference Manual and MariaDB, Character Sets: utf8, an alias of utf8mb3).",
        ),
        seen(
            "settings.test_collation",
            (MYSQL, MARIADB),
            "created with it",
            "Django's MySQL creation puts TEST COLLATION into CREATE DATABASE as COLLATE (django/db/backends/mysql/"
            "creation.py, sql_table_creation_suffix), and utf8mb4_bin is a collation of both servers (MySQL "
            "Reference Manual, Database Character Set and Collation; MariaDB, Supported Character Sets and "
            "Collations).",
        ),
        seen(
            "settings.test_collation",
            PG,
            "django.core.exceptions.ImproperlyConfigured",
            "Django's PostgreSQL creation refuses TEST COLLATION: 'PostgreSQL does not support collation setting at "
            "database creation time.' (django/db/backends/postgresql/creation.py, sql_table_creation_suffix).",
        ),
        seen(
            "settings.test_template",
            PG,
            "created with it",
            "Django's PostgreSQL creation puts TEST TEMPLATE into CREATE DATABASE as TEMPLATE (django/db/backends/"
            "postgresql/creation.py, _get_database_create_suffix), and template0 is always there (PostgreSQL docs, "
            "Template Databases).",
        ),
        seen(
            "settings.test_template",
            (MYSQL, MARIADB),
            "not sent",
            "Django's MySQL creation builds CREATE DATABASE from CHARSET and COLLATION only (django/db/backends/mysql/"
            "creation.py, sql_table_creation_suffix).",
        ),
        *(
            seen(
                check,
                SQLITE,
                "not sent",
                "Django's SQLite creation opens a file or an in-memory database and sends no CREATE DATABASE (django/"
                "db/backends/sqlite3/creation.py, _create_test_db; the base sql_table_creation_suffix is empty).",
            )
            for check in ("settings.test_charset", "settings.test_collation", "settings.test_template")
        ),
        # -- topics/db/sql -------------------------------------------------------------------------------------
        seen(
            "sql.percent_placeholder",
            EVERY,
            [[7]],
            "psycopg, psycopg2, mysqlclient and Connector/Python take %s (PEP 249, paramstyle format); Django's SQLite "
            "cursor turns %s into ? (django/db/backends/sqlite3/base.py, SQLiteCursorWrapper.convert_query).",
        ),
        seen(
            "sql.callproc_kparams",
            EVERY,
            NOT_SUPPORTED,
            "Django raises NotSupportedError for kparams where supports_callproc_kwargs is "
            "off, as on every backend but "
            "Oracle, before the server is asked (django/db/backends/utils.py, CursorWrapper.callproc).",
        ),
    )
