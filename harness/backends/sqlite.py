"""SQLite: in-process, one file per cell, no server to reach or to close."""

from __future__ import annotations

from typing import Any

from harness.backends.base import Backend, DjangoOption
from harness.checks import NotApplicable

IN_PROCESS = "SQLite runs in-process: no server can close the connection."

# The compile-time options that change what the checks observe. A cell records each as its SQLite
# library reports it (the standard library's and a bundled one differ); SQLite's docs name them with
# the SQLITE_ prefix, ``PRAGMA compile_options`` without it.
FLAG_OPTIONS = (
    # ICU's LIKE, upper() and lower() fold non-ASCII letters: icontains / iexact on "É" (collation).
    "ENABLE_ICU",
    # LIKE, which Django's contains and icontains both use, stops ignoring ASCII case (collation).
    "CASE_SENSITIVE_LIKE",
    # No JSON functions: Django's JSONField cannot be used (supports_json_field, fields.json_round_trip).
    "OMIT_JSON",
    # Django reads this very option to choose between SQLite's math functions and its own Python ones
    # (ACOS, LN, POWER, ...), which differ on domain errors (NULL or an error).
    "ENABLE_MATH_FUNCTIONS",
)
VALUE_OPTIONS = (
    # The most query parameters the library allows; Django 6.0+ sizes bulk_create, in_bulk and
    # delete batches by the connection's limit (features.max_query_params).
    "MAX_VARIABLE_NUMBER",
    # 0 leaves the library unsafe across threads; the locking checks hold a second connection in another.
    "THREADSAFE",
)
# Left out on purpose: ENABLE_JSON1 (JSON is built in since 3.38 and the option no longer listed; the
# "json" setting probes JSON itself), DEFAULT_FOREIGN_KEYS (Django turns foreign keys on for every
# connection), ENABLE_FTS5 (nothing of Django's nor of the checks uses full-text search).


def compile_options_sql() -> dict[str, str]:
    """The SQL reading each option: 1 or 0 for a flag, the value for a NAME=VALUE option."""
    flags = {f"SQLITE_{name}": f"SELECT sqlite_compileoption_used('{name}')" for name in FLAG_OPTIONS}
    values = {
        # A build that lists no value says so rather than leave a blank.
        f"SQLITE_{name}": f"SELECT coalesce((SELECT substr(compile_options, {len(name) + 2}) "
        f"FROM pragma_compile_options WHERE compile_options LIKE '{name}=%'), 'not listed')"
        for name in VALUE_OPTIONS
    }
    return {**flags, **values}


class SQLite(Backend):
    vendor = "sqlite"
    display_name = "SQLite"
    in_process = True
    creates_test_database_by_sql = False
    version_sql = "SELECT sqlite_version()"
    settings_sql = {
        "sqlite_version": "SELECT sqlite_version()",
        "json": "SELECT json('{}') IS NOT NULL",
        **compile_options_sql(),
    }
    django_options = {
        # Django 5.1 release notes: the "init_command" and "transaction_mode" options are now supported on
        # SQLite; both sections carry "versionadded:: 5.1".
        "transaction_mode": DjangoOption("5.1", "SQLite notes > Transactions behavior"),
        "init_command": DjangoOption("5.1", "SQLite notes > Setting pragma options"),
    }

    def cancel(self, wrapper: Any) -> None:
        raw = wrapper.connection
        if raw is not None:
            raw.interrupt()

    def default_collation_sql(self) -> str:
        raise NotApplicable("SQLite has no database-wide default collation; each column defaults to BINARY.")

    def write_lock_sql(self) -> str:
        return "BEGIN IMMEDIATE"

    def legacy_timestamp_table_sql(self, table: str) -> str:
        raise NotApplicable("SQLite has no TIMESTAMP type with time zone conversion and no session time zone.")

    def time_zone_tables_sql(self) -> str:
        raise NotApplicable("SQLite has no time zone tables; Django converts time zones in Python.")

    def isolation_level_sql(self) -> str:
        raise NotApplicable("SQLite has no isolation levels to choose: its transactions are serializable.")

    def isolation_option(self, level: str) -> Any:
        raise NotApplicable("SQLite has no isolation_level option: its transactions are serializable.")

    def session_time_zone_query(self) -> str:
        raise NotApplicable("SQLite has no session time zone; Django converts time zones in Python.")

    def client_encoding_sql(self) -> str:
        raise NotApplicable("SQLite has no client encoding: the library and Python share memory.")

    def init_command_probe(self) -> tuple[str, str]:
        # ref/databases, SQLite notes > Setting pragma options (Django 5.1+).
        return "PRAGMA cache_size = 4242", "PRAGMA cache_size"

    def session_settings(self) -> dict[str, tuple[str, str, str]]:
        # A pragma of the connection (its page cache, in KiB when negative), not of the database file.
        return {"cache_size": ("PRAGMA cache_size = -4321", "PRAGMA cache_size", "-4321")}

    def temporary_table_sql(self, table: str) -> str:
        return f"CREATE TEMPORARY TABLE {table} (id INTEGER)"

    def skip_update_trigger_sql(self, table: str) -> tuple[list[str], list[str]]:
        # RAISE(IGNORE) abandons the row's change without an error (docs, CREATE TRIGGER > The RAISE() function),
        # and changes() counts no row for it. The trigger is dropped with its table too.
        name = f"{table}_skip_update"
        return (
            [f'CREATE TRIGGER "{name}" BEFORE UPDATE ON "{table}" FOR EACH ROW BEGIN SELECT RAISE(IGNORE); END'],
            [f'DROP TRIGGER IF EXISTS "{name}"'],
        )

    def advisory_lock_sql(self) -> tuple[str, str]:
        raise NotApplicable("SQLite has no advisory locks: it locks the whole database file.")

    def session_id_sql(self) -> str:
        raise NotApplicable(IN_PROCESS)

    def terminate_session_sql(self, session_id: int) -> str:
        raise NotApplicable(IN_PROCESS)

    def session_count_sql(self, session_id: int) -> str:
        raise NotApplicable(IN_PROCESS)
