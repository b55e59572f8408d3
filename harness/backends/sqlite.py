"""SQLite: in-process, one file per cell, no server to reach or to close."""

from __future__ import annotations

from typing import Any

from harness.backends.base import Backend
from harness.checks import NotApplicable

IN_PROCESS = "SQLite runs in-process: no server can close the connection."


class SQLite(Backend):
    vendor = "sqlite"
    display_name = "SQLite"
    in_process = True
    version_sql = "SELECT sqlite_version()"
    settings_sql = {
        "sqlite_version": "SELECT sqlite_version()",
        "json": "SELECT json('{}') IS NOT NULL",
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

    def session_id_sql(self) -> str:
        raise NotApplicable(IN_PROCESS)

    def terminate_session_sql(self, session_id: int) -> str:
        raise NotApplicable(IN_PROCESS)

    def session_count_sql(self, session_id: int) -> str:
        raise NotApplicable(IN_PROCESS)
