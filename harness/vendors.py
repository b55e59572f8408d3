"""What the harness must know about each vendor to set a check up, in one place.

Checks never branch on the vendor: where a check needs vendor-specific SQL to
prepare or to read what the server holds (a lock timeout, a legacy TIMESTAMP
table, the session time zone), it asks the cell's :class:`Backend`. Where a
vendor has no such thing, the method returns None and the check says "not
applicable" with the backend's reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from packaging.version import Version

from harness.claims.recipes import recipe


@dataclass(frozen=True)
class Backend:
    vendor: str

    # -- the server ----------------------------------------------------------------------

    @property
    def version_sql(self) -> str:
        """SQL returning the version string the server reports."""
        return _VERSION_SQL[self.vendor]

    @property
    def settings_sql(self) -> dict[str, str]:
        """The server settings that change behaviour, each with the SQL that reads it."""
        return dict(_SETTINGS_SQL.get(self.vendor, {}))

    # -- collations ----------------------------------------------------------------------

    def default_collation_sql(self) -> str | None:
        """SQL returning the current database's default collation."""
        return {
            "postgresql": "SELECT datcollate FROM pg_database WHERE datname = current_database()",
            "mysql": "SELECT @@collation_database",
            "mariadb": "SELECT @@collation_database",
            "oracle": "SELECT default_collation FROM user_users",
        }.get(self.vendor)

    def database_charset(self, django: Version) -> str | None:
        """The character set the docs of this Django version create a MySQL database with."""
        if self.vendor in ("mysql", "mariadb"):
            return recipe("mysql.database_charset", django)
        return None

    def case_sensitive_collation(self, django: Version, test_collations: dict[str, str | None]) -> str | None:
        """The collation a vendor documents for case-sensitive comparisons.

        MySQL and MariaDB: what the docs of this Django version name. PostgreSQL: "C", a
        deterministic collation (Django's own ``test_collations["deterministic"]``). Elsewhere
        Django's ``test_collations["cs"]``.
        """
        if self.vendor in ("mysql", "mariadb"):
            return recipe("mysql.case_sensitive_collation", django)
        if self.vendor == "postgresql":
            return test_collations.get("deterministic")
        return test_collations.get("cs")

    # -- locks -------------------------------------------------------------------------

    def lock_timeout_sql(self, seconds: int) -> str | None:
        """A statement bounding how long this session waits for a lock (row and table alike)."""
        if self.vendor == "postgresql":
            return f"SET lock_timeout = '{int(seconds)}s'"
        if self.vendor in ("mysql", "mariadb"):
            # innodb_lock_wait_timeout bounds row locks, lock_wait_timeout metadata (table) locks.
            return f"SET SESSION innodb_lock_wait_timeout = {int(seconds)}, lock_wait_timeout = {int(seconds)}"
        return None  # SQLite takes no row locks; Oracle waits are bounded by the thread's join timeout

    # -- time zones ----------------------------------------------------------------------

    def legacy_timestamp_table_sql(self, table: str) -> str | None:
        """A table as a legacy database has it: an id, a TIMESTAMP and a DATETIME-like column."""
        if self.vendor in ("mysql", "mariadb"):
            return f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, ts TIMESTAMP NULL DEFAULT NULL, dt DATETIME(6) NULL)"
        # The closest equivalents: ts the type the server converts by the session time zone,
        # dt the plain one it stores as given.
        if self.vendor == "postgresql":
            return (
                f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, ts TIMESTAMP WITH TIME ZONE NULL, dt TIMESTAMP(6) NULL)"
            )
        if self.vendor == "oracle":
            return (
                f"CREATE TABLE {table} (id NUMBER(11) PRIMARY KEY, "
                "ts TIMESTAMP WITH LOCAL TIME ZONE NULL, dt TIMESTAMP NULL)"
            )
        return None

    def session_time_zone_sql(self, offset: str) -> str | None:
        """Set this session's time zone to a fixed offset such as ``+02:00``."""
        if self.vendor in ("mysql", "mariadb"):
            return f"SET time_zone = '{offset}'"
        if self.vendor == "postgresql":
            # POSIX offsets are inverted ("UTC-2" is two hours east); an ISO interval is not.
            return f"SET TIME ZONE INTERVAL '{offset}' HOUR TO MINUTE"
        if self.vendor == "oracle":
            return f"ALTER SESSION SET TIME_ZONE = '{offset}'"
        return None

    def epoch_sql(self, table: str, column: str) -> str | None:
        """The instant a column holds, as Unix seconds, read in a UTC session."""
        if self.vendor in ("mysql", "mariadb"):
            return f"SELECT UNIX_TIMESTAMP({column}) FROM {table} WHERE id = 1"
        if self.vendor == "postgresql":
            return f"SELECT EXTRACT(EPOCH FROM {column} AT TIME ZONE 'UTC') FROM {table} WHERE id = 1"
        if self.vendor == "oracle":
            return (
                f"SELECT (CAST(FROM_TZ(CAST({column} AS TIMESTAMP), 'UTC') AS DATE) - DATE '1970-01-01') * 86400 "
                f"FROM {table} WHERE id = 1"
            )
        return None

    def utc_session_sql(self) -> str | None:
        return self.session_time_zone_sql("+00:00")

    def time_zone_tables_sql(self) -> str | None:
        """SQL counting the named time zones the server knows."""
        return {
            "mysql": "SELECT COUNT(*) FROM mysql.time_zone_name",
            "mariadb": "SELECT COUNT(*) FROM mysql.time_zone_name",
            "postgresql": "SELECT COUNT(*) FROM pg_timezone_names",
            "oracle": "SELECT COUNT(*) FROM v$timezone_names",
        }.get(self.vendor)

    # -- transactions ----------------------------------------------------------------------

    def isolation_level_sql(self) -> str | None:
        """SQL returning this session's transaction isolation level, as the server names it."""
        return {
            "postgresql": "SHOW transaction_isolation",
            "mysql": "SELECT @@SESSION.transaction_isolation",
            # MariaDB names it tx_isolation (transaction_isolation only from 11.1).
            "mariadb": "SELECT @@SESSION.tx_isolation",
        }.get(self.vendor)

    def isolation_option(self, level: str) -> Any:
        """The OPTIONS["isolation_level"] value for a level such as "serializable" (None: no such option)."""
        if self.vendor in ("mysql", "mariadb"):
            return level  # MySQL notes > Isolation level: the four level names as strings
        if self.vendor == "postgresql":
            from django.db.backends.postgresql.psycopg_any import IsolationLevel

            return getattr(IsolationLevel, level.upper().replace(" ", "_"))
        return None

    # -- sessions -------------------------------------------------------------------------

    def session_time_zone_query(self) -> str | None:
        """SQL returning the session's time zone."""
        return {
            "postgresql": "SHOW TimeZone",
            "mysql": "SELECT @@SESSION.time_zone",
            "mariadb": "SELECT @@SESSION.time_zone",
            "oracle": "SELECT SESSIONTIMEZONE FROM dual",
        }.get(self.vendor)

    def client_encoding_sql(self) -> str | None:
        """SQL returning the character set the session talks in."""
        return {
            "postgresql": "SHOW client_encoding",
            "mysql": "SELECT @@SESSION.character_set_connection",
            "mariadb": "SELECT @@SESSION.character_set_connection",
        }.get(self.vendor)

    def init_command_probe(self) -> tuple[str, str] | None:
        """An init_command setting a session value, and the SQL reading it back."""
        if self.vendor in ("mysql", "mariadb"):
            return "SET @dbcompat_marker = 42", "SELECT @dbcompat_marker"
        if self.vendor == "sqlite":
            # ref/databases, SQLite notes > Setting pragma options (Django 5.1+).
            return "PRAGMA cache_size = 4242", "PRAGMA cache_size"
        return None

    def table_engine_sql(self) -> str | None:
        """SQL (one %s: the table) returning the storage engine of a table."""
        if self.vendor in ("mysql", "mariadb"):
            return "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s"
        return None

    def myisam_table_sql(self, table: str) -> str | None:
        if self.vendor in ("mysql", "mariadb"):
            return f"CREATE TABLE {table} (id INTEGER PRIMARY KEY) ENGINE=MyISAM"
        return None

    def non_strict_init_command(self) -> str | None:
        """An init_command turning MySQL's strict mode off for a connection."""
        return "SET SESSION sql_mode = ''" if self.vendor in ("mysql", "mariadb") else None

    def session_id_sql(self) -> str | None:
        """SQL returning this session's id on the server."""
        return {
            "postgresql": "SELECT pg_backend_pid()",
            "mysql": "SELECT CONNECTION_ID()",
            "mariadb": "SELECT CONNECTION_ID()",
        }.get(self.vendor)

    def terminate_session_sql(self, session_id: int) -> str | None:
        """SQL closing another session from the server's side."""
        if self.vendor == "postgresql":
            return f"SELECT pg_terminate_backend({int(session_id)})"
        if self.vendor in ("mysql", "mariadb"):
            return f"KILL CONNECTION {int(session_id)}"
        return None

    def session_count_sql(self, session_id: int) -> str | None:
        """SQL counting the server's sessions with this id: 0 once the server has closed it."""
        if self.vendor == "postgresql":
            return f"SELECT COUNT(*) FROM pg_stat_activity WHERE pid = {int(session_id)}"
        if self.vendor in ("mysql", "mariadb"):
            return f"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = {int(session_id)}"
        return None

    def myisam_child_sql(self, table: str, parent: str) -> str | None:
        """A MyISAM table with a foreign key to ``parent``."""
        if self.vendor in ("mysql", "mariadb"):
            return (
                f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, parent_id INTEGER, "
                f"FOREIGN KEY (parent_id) REFERENCES {parent} (id)) ENGINE=MyISAM"
            )
        return None

    def open_cursors_sql(self) -> str | None:
        """SQL counting the server-side cursors this session holds (PostgreSQL's pg_cursors)."""
        return "SELECT COUNT(*) FROM pg_cursors" if self.vendor == "postgresql" else None

    def server_side_binding_options(self) -> dict[str, Any] | None:
        """OPTIONS asking for server-side parameter binding (Django's PostgreSQL backend, psycopg 3)."""
        return {"server_side_binding": True} if self.vendor == "postgresql" else None

    def returning_into_off_options(self) -> dict[str, Any] | None:
        """OPTIONS turning off INSERT ... RETURNING INTO (Django's Oracle backend)."""
        return {"use_returning_into": False} if self.vendor == "oracle" else None

    def write_lock_sql(self) -> str | None:
        """A statement that takes the whole database's write lock until commit (SQLite only)."""
        return "BEGIN IMMEDIATE" if self.vendor == "sqlite" else None

    # -- NULL ----------------------------------------------------------------------------

    def is_null_sql(self, table: str, column: str) -> str:
        """1 when the column of row 1 is NULL, else 0 (every vendor)."""
        return f"SELECT CASE WHEN {column} IS NULL THEN 1 ELSE 0 END FROM {table} WHERE id = 1"

    # -- stopping a statement ------------------------------------------------------------

    def cancel(self, wrapper: Any) -> None:
        """Cancel the statement running on a Django connection, from another thread."""
        raw = wrapper.connection
        if raw is None:
            return
        if self.vendor == "sqlite":
            raw.interrupt()
        elif self.vendor in ("mysql", "mariadb"):
            # MySQL cancels by KILL QUERY from a second connection. The drivers refuse to tell a
            # connection's id from another thread, so every statement running in the cell's own
            # throwaway database is stopped: nothing else uses it.
            other = wrapper.get_new_connection(wrapper.get_connection_params())
            try:
                cursor = other.cursor()
                cursor.execute(
                    "SELECT id FROM information_schema.processlist "
                    "WHERE db = %s AND command = 'Query' AND id <> CONNECTION_ID()",
                    (wrapper.settings_dict["NAME"],),
                )
                for (running,) in cursor.fetchall():
                    cursor.execute(f"KILL QUERY {int(running)}")
                cursor.close()
            finally:
                other.close()
        else:  # psycopg, psycopg2 and python-oracledb cancel from another thread themselves
            raw.cancel()

    def reason(self, what: str) -> str:
        """Why ``what`` cannot be set up on this vendor: a full sentence for "not applicable"."""
        return _REASONS.get((self.vendor, what)) or f"{self.vendor} offers nothing for {what.replace('_', ' ')}."


_VERSION_SQL = {
    "sqlite": "SELECT sqlite_version()",
    "postgresql": "SHOW server_version",
    "mysql": "SELECT VERSION()",
    "mariadb": "SELECT VERSION()",
    "oracle": "SELECT version_full FROM product_component_version WHERE product LIKE 'Oracle%'",
}

_MYSQL_SETTINGS = {
    "sql_mode": "SELECT @@GLOBAL.sql_mode",
    "character_set_server": "SELECT @@GLOBAL.character_set_server",
    "collation_server": "SELECT @@GLOBAL.collation_server",
    "time_zone": "SELECT @@GLOBAL.time_zone",
    "system_time_zone": "SELECT @@system_time_zone",
    "lower_case_table_names": "SELECT @@lower_case_table_names",
    "default_storage_engine": "SELECT @@GLOBAL.default_storage_engine",
    "transaction_isolation": "SELECT @@GLOBAL.tx_isolation",
}
_SETTINGS_SQL: dict[str, dict[str, str]] = {
    "sqlite": {
        "sqlite_version": "SELECT sqlite_version()",
        "json": "SELECT json('{}') IS NOT NULL",
    },
    "postgresql": {
        "server_version": "SHOW server_version",
        "server_encoding": "SHOW server_encoding",
        # A database property (no longer a setting from PostgreSQL 16): what new databases get.
        "lc_collate (template1)": "SELECT datcollate FROM pg_database WHERE datname = 'template1'",
        "TimeZone": "SHOW TimeZone",
        "default_transaction_isolation": "SHOW default_transaction_isolation",
    },
    "mysql": {**_MYSQL_SETTINGS, "transaction_isolation": "SELECT @@GLOBAL.transaction_isolation"},
    "mariadb": _MYSQL_SETTINGS,
    "oracle": {
        "version": "SELECT version_full FROM product_component_version",
        "max_string_size": "SELECT value FROM v$parameter WHERE name = 'max_string_size'",
        "nls_characterset": "SELECT value FROM nls_database_parameters WHERE parameter = 'NLS_CHARACTERSET'",
    },
}

_REASONS = {
    ("sqlite", "default_collation"): "SQLite has no database-wide default collation; each column defaults to BINARY.",
    ("sqlite", "legacy_timestamp"): "SQLite has no TIMESTAMP type with time zone conversion and no session time zone.",
    ("sqlite", "time_zone_tables"): "SQLite has no time zone tables; Django converts time zones in Python.",
    ("sqlite", "isolation_level"): "SQLite has no isolation levels to choose: its transactions are serializable.",
    ("oracle", "isolation_level"): "Oracle offers no query for a session's isolation level.",
    ("sqlite", "isolation_option"): "SQLite has no isolation_level option: its transactions are serializable.",
    ("oracle", "isolation_option"): "Django's Oracle backend has no isolation_level option.",
    ("sqlite", "session_time_zone"): "SQLite has no session time zone; Django converts time zones in Python.",
    ("sqlite", "client_encoding"): "SQLite has no client encoding: the library and Python share memory.",
    ("oracle", "client_encoding"): "python-oracledb always talks UTF-8 to Oracle; there is no session setting to read.",
    ("postgresql", "init_command"): "Django's PostgreSQL backend has no init_command option.",
    ("oracle", "init_command"): "Django's Oracle backend has no init_command option.",
    ("sqlite", "storage_engine"): "Only MySQL and MariaDB have storage engines.",
    ("postgresql", "write_lock"): "PostgreSQL locks rows, not the whole database: there is no 'database is locked'.",
    ("mysql", "write_lock"): "MySQL locks rows, not the whole database: there is no 'database is locked'.",
    ("mariadb", "write_lock"): "MariaDB locks rows, not the whole database: there is no 'database is locked'.",
    ("oracle", "write_lock"): "Oracle locks rows, not the whole database: there is no 'database is locked'.",
    ("sqlite", "server_side_cursors"): "Django uses server-side cursors for iterator() on PostgreSQL only.",
    ("mysql", "server_side_cursors"): "Django uses server-side cursors for iterator() on PostgreSQL only.",
    ("mariadb", "server_side_cursors"): "Django uses server-side cursors for iterator() on PostgreSQL only.",
    ("oracle", "server_side_cursors"): "Django uses server-side cursors for iterator() on PostgreSQL only.",
    ("sqlite", "server_side_binding"): "server_side_binding is an option of Django's PostgreSQL backend only.",
    ("mysql", "server_side_binding"): "server_side_binding is an option of Django's PostgreSQL backend only.",
    ("mariadb", "server_side_binding"): "server_side_binding is an option of Django's PostgreSQL backend only.",
    ("oracle", "server_side_binding"): "server_side_binding is an option of Django's PostgreSQL backend only.",
    ("sqlite", "returning_into"): "use_returning_into is an option of Django's Oracle backend only.",
    ("postgresql", "returning_into"): "use_returning_into is an option of Django's Oracle backend only.",
    ("mysql", "returning_into"): "use_returning_into is an option of Django's Oracle backend only.",
    ("mariadb", "returning_into"): "use_returning_into is an option of Django's Oracle backend only.",
    ("sqlite", "strict_mode"): "Only MySQL and MariaDB have a strict sql_mode to turn off.",
    ("postgresql", "strict_mode"): "Only MySQL and MariaDB have a strict sql_mode to turn off.",
    ("oracle", "strict_mode"): "Only MySQL and MariaDB have a strict sql_mode to turn off.",
    ("sqlite", "server_side_close"): "SQLite runs in-process: no server can close the connection.",
    ("oracle", "server_side_close"): "Closing an Oracle session needs ALTER SYSTEM, which the harness does not use.",
    ("postgresql", "storage_engine"): "Only MySQL and MariaDB have storage engines.",
    ("oracle", "storage_engine"): "Only MySQL and MariaDB have storage engines.",
}


def backend_for(vendor: str) -> Backend:
    return Backend(vendor)
