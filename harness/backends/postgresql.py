"""PostgreSQL, through psycopg 3 or psycopg2."""

from __future__ import annotations

import socket
import struct
from typing import Any

from packaging.version import Version

from harness.backends.base import Backend, ContainerRecipe, DjangoOption


class PostgreSQL(Backend):
    vendor = "postgresql"
    display_name = "PostgreSQL"
    url_schemes = ("postgres", "postgresql", "pgsql")
    version_sql = "SHOW server_version"
    settings_sql = {
        "server_version": "SHOW server_version",
        "server_encoding": "SHOW server_encoding",
        # A database property (no longer a setting from PostgreSQL 16): what new databases get.
        "lc_collate (template1)": "SELECT datcollate FROM pg_database WHERE datname = 'template1'",
        "lc_ctype (template1)": "SELECT datctype FROM pg_database WHERE datname = 'template1'",
        # libc or ICU (PostgreSQL 15+; builtin from 17), which decides what the collation names mean.
        "locale_provider (template1)": "SELECT datlocprovider FROM pg_database WHERE datname = 'template1'",
        "TimeZone": "SHOW TimeZone",
        "default_transaction_isolation": "SHOW default_transaction_isolation",
    }
    django_options = {
        # Django 5.1 release notes: '"pool" option is now supported in OPTIONS on PostgreSQL'.
        "pool": DjangoOption("5.1", "PostgreSQL notes > Connection pool"),
        # Django 4.2 release notes: 'The new "server_side_binding" option'; "versionadded:: 4.2" in 4.2's docs.
        "server_side_binding": DjangoOption("4.2", "PostgreSQL notes > Server-side parameters binding"),
        "assume_role": DjangoOption("4.2", "PostgreSQL notes > Role"),
    }

    def timeout_options(self, module: str, connect: float, read: float) -> dict[str, Any]:
        # libpq's connect_timeout (whole seconds, at least 2) covers the handshake too; libpq has no read
        # timeout, so a statement on a server that stopped answering is ended by abandon().
        return {"connect_timeout": max(2, round(connect))}

    def bounded_options(self, options: dict[str, Any], connect: float) -> dict[str, Any]:
        # Django hands a "pool" dict to psycopg_pool's ConnectionPool, whose getconn() waits 30 s by default for
        # a connection (retrying a server that refuses meanwhile): the connect timeout bounds it instead.
        pool = options.get("pool")
        if not pool:
            return options
        settings = {} if pool is True else dict(pool)
        settings.setdefault("timeout", connect)
        return {**options, "pool": settings}

    def cancel(self, wrapper: Any) -> None:
        raw = wrapper.connection
        if raw is None:
            return
        # psycopg 3.2+'s cancel_safe() waits in Python, bounded, without holding the GIL (libpq 17's
        # non-blocking cancel). psycopg2's cancel() holds the GIL in libpq's PQcancel until the server
        # answers, which one that stopped answering never does, so nothing else (not even abandoning
        # the connection) could run: it cancels by pg_cancel_backend() from a second connection, whose
        # waits release the GIL and whose connecting is bounded by connect_timeout.
        safe = getattr(raw, "cancel_safe", None)
        if callable(safe):
            safe(timeout=10.0)
            return
        pid = raw.get_backend_pid()
        other = wrapper.get_new_connection(wrapper.get_connection_params())
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_cancel_backend(%s)", (pid,))
        finally:
            other.close()

    def container(self, password: str) -> ContainerRecipe:
        return ContainerRecipe(
            "testcontainers.community.postgres",
            "PostgresContainer",
            port=5432,
            user="postgres",
            dbname="postgres",
            kwargs={"username": "postgres", "password": password, "dbname": "postgres", "driver": None},
        )

    def answers(self, sock: socket.socket) -> bool:
        # An SSLRequest: a PostgreSQL server answers with one byte, S or N.
        sock.sendall(struct.pack("!ii", 8, 80877103))
        return sock.recv(1) in (b"S", b"N")

    def admin_database(self, settings: dict[str, Any], named: str | None) -> str:
        return named or "postgres"

    def create_database_sql(self, name: str, password: str, charset: str | None) -> list[str]:
        return [f'CREATE DATABASE "{name}"']

    def drop_database_sql(self, name: str, force: bool) -> list[str]:
        return [f'DROP DATABASE IF EXISTS "{name}"' + (" WITH (FORCE)" if force else "")]

    def can_force_drop(self, version: Version | None) -> bool:
        return version is not None and version.major >= 13  # DROP DATABASE ... WITH (FORCE)

    def default_collation_sql(self) -> str:
        return "SELECT datcollate FROM pg_database WHERE datname = current_database()"

    def case_sensitive_collation(self, django: Version, test_collations: dict[str, str | None]) -> str:
        # "C", a deterministic collation (Django's own test_collations["deterministic"]).
        found = test_collations.get("deterministic")
        if found is None:
            raise self._nothing("case sensitive collation")
        return found

    def lock_timeout_sql(self, seconds: int) -> str:
        return f"SET lock_timeout = '{int(seconds)}s'"

    def legacy_timestamp_table_sql(self, table: str) -> str:
        # The closest equivalents: ts the type the server converts by the session time zone,
        # dt the plain one it stores as given.
        return f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, ts TIMESTAMP WITH TIME ZONE NULL, dt TIMESTAMP(6) NULL)"

    def session_time_zone_sql(self, offset: str) -> str:
        # POSIX offsets are inverted ("UTC-2" is two hours east); an ISO interval is not.
        return f"SET TIME ZONE INTERVAL '{offset}' HOUR TO MINUTE"

    def epoch_sql(self, table: str, column: str) -> str:
        return f"SELECT EXTRACT(EPOCH FROM {column} AT TIME ZONE 'UTC') FROM {table} WHERE id = 1"

    def time_zone_tables_sql(self) -> str:
        return "SELECT COUNT(*) FROM pg_timezone_names"

    def isolation_level_sql(self) -> str:
        return "SHOW transaction_isolation"

    def isolation_option(self, level: str) -> Any:
        from django.db.backends.postgresql.psycopg_any import IsolationLevel

        return getattr(IsolationLevel, level.upper().replace(" ", "_"))

    def session_time_zone_query(self) -> str:
        return "SHOW TimeZone"

    def client_encoding_sql(self) -> str:
        return "SHOW client_encoding"

    def session_id_sql(self) -> str:
        return "SELECT pg_backend_pid()"

    def terminate_session_sql(self, session_id: int) -> str:
        return f"SELECT pg_terminate_backend({int(session_id)})"

    def session_count_sql(self, session_id: int) -> str:
        return f"SELECT COUNT(*) FROM pg_stat_activity WHERE pid = {int(session_id)}"

    def session_settings(self) -> dict[str, tuple[str, str, str]]:
        # TimeZone is one of the settings the server reports to its client (GUC_REPORT), which PgBouncer
        # tracks per client; statement_timeout is not. One hour: a leftover bound that never bites.
        return {
            "TimeZone": ("SET TIME ZONE 'America/Sao_Paulo'", "SHOW TimeZone", "America/Sao_Paulo"),
            "statement_timeout": ("SET statement_timeout = '1h'", "SHOW statement_timeout", "1h"),
        }

    def temporary_table_sql(self, table: str) -> str:
        return f"CREATE TEMPORARY TABLE {table} (id INTEGER)"

    def advisory_lock_sql(self) -> tuple[str, str]:
        # Advisory lock keys are per database: cells in other throwaway databases never meet this one.
        return (
            "SELECT pg_advisory_lock(4242)",
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND granted "
            "AND pid = pg_backend_pid()",
        )

    def prepared_statement_options(self, module: str) -> dict[str, dict[str, Any]]:
        variants: dict[str, dict[str, Any]] = {"default": {}, "server_side_binding": self.server_side_binding_options()}
        if module == "psycopg":
            # Django turns psycopg 3's prepared statements off (prepare_threshold None) "to keep connection
            # poolers working", and lets OPTIONS turn them on again (postgresql/base.py); 5 is psycopg's default.
            variants["server_side_binding, prepare_threshold 5"] = {"server_side_binding": True, "prepare_threshold": 5}
        return variants

    def prepared_statements_sql(self) -> str:
        return "SELECT COUNT(*) FROM pg_prepared_statements"

    def discard_session_sql(self) -> list[str]:
        # DISCARD ALL (PgBouncer's server_reset_query) is refused in a transaction; these are its parts.
        return ["CLOSE ALL", "SELECT pg_advisory_unlock_all()", "DISCARD TEMP", "DEALLOCATE ALL", "RESET ALL"]

    def skip_update_trigger_sql(self, table: str) -> tuple[list[str], list[str]]:
        # A BEFORE row trigger returning NULL skips the operation for the row (docs, Overview of Trigger Behavior),
        # and the UPDATE's row count leaves the row out.
        name = f"{table}_skip_update"
        return (
            [
                f'CREATE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$',
                f'CREATE TRIGGER "{name}" BEFORE UPDATE ON "{table}" FOR EACH ROW EXECUTE FUNCTION "{name}"()',
            ],
            [f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"', f'DROP FUNCTION IF EXISTS "{name}"()'],
        )

    def open_cursors_sql(self) -> str:
        return "SELECT COUNT(*) FROM pg_cursors"

    def server_side_binding_options(self) -> dict[str, Any]:
        return {"server_side_binding": True}
