"""MySQL, and MariaDB where it differs, through mysqlclient or MySQL Connector/Python."""

from __future__ import annotations

import socket
from typing import Any, ClassVar

from packaging.version import Version

from harness.backends.base import Backend, ContainerRecipe, DjangoOption
from harness.checks import NotApplicable

_SETTINGS = {
    "sql_mode": "SELECT @@GLOBAL.sql_mode",
    "character_set_server": "SELECT @@GLOBAL.character_set_server",
    "collation_server": "SELECT @@GLOBAL.collation_server",
    "time_zone": "SELECT @@GLOBAL.time_zone",
    "system_time_zone": "SELECT @@system_time_zone",
    "lower_case_table_names": "SELECT @@lower_case_table_names",
    "default_storage_engine": "SELECT @@GLOBAL.default_storage_engine",
    "transaction_isolation": "SELECT @@GLOBAL.transaction_isolation",
    "innodb_strict_mode": "SELECT @@GLOBAL.innodb_strict_mode",
    "explicit_defaults_for_timestamp": "SELECT @@GLOBAL.explicit_defaults_for_timestamp",
    # Which collation each character set gets by default (MariaDB 11.2+; MySQL has no such variable).
    "character_set_collations": "SELECT @@GLOBAL.character_set_collations",
    # GTID consistency forbids some statements (CREATE TABLE ... SELECT, temporary tables in transactions).
    "gtid_mode": "SELECT @@GLOBAL.gtid_mode",
    "enforce_gtid_consistency": "SELECT @@GLOBAL.enforce_gtid_consistency",
    "gtid_strict_mode": "SELECT @@GLOBAL.gtid_strict_mode",
    # CONVERT_TZ() and named session time zones need the time zone tables loaded.
    "time_zone_tables_loaded": "SELECT COUNT(*) > 0 FROM mysql.time_zone_name",
}


class MySQL(Backend):
    vendor = "mysql"
    display_name = "MySQL"
    url_schemes: ClassVar[tuple[str, ...]] = ("mysql",)
    version_sql = "SELECT VERSION()"
    settings_sql = _SETTINGS
    # Django 1.11 release notes: "Added MySQL support for the 'isolation_level' option". init_command is
    # MySQLdb's own connection argument, which Django has always passed on.
    django_options = {"isolation_level": DjangoOption("1.11", "MySQL notes > Isolation level")}

    def reported_vendor(self, version_reported: str | None) -> str:
        if version_reported:
            said = version_reported.lower()
            # TiDB answers VERSION() with the MySQL release it is compatible with, then its own.
            return "mariadb" if "mariadb" in said else "tidb" if "-tidb-" in said else "mysql"
        return self.vendor

    def timeout_options(self, module: str, connect: float, read: float) -> dict[str, Any]:
        if module == "MySQLdb":
            # mysqlclient: connect_timeout covers the handshake; read_timeout and write_timeout each socket wait.
            return {"connect_timeout": round(connect), "read_timeout": round(read), "write_timeout": round(read)}
        if module == "mysql.connector":
            # Connector/Python 9.x+: connection_timeout bounds connecting, read_timeout and write_timeout each
            # socket wait. Before, connection_timeout was the socket timeout of everything, and the others
            # were refused as unknown options: so ask which this release knows.
            import importlib

            try:
                known = importlib.import_module("mysql.connector.constants").DEFAULT_CONFIGURATION
            except (ImportError, AttributeError):
                known = {}
            if "read_timeout" in known and "write_timeout" in known:
                return {"connection_timeout": round(connect), "read_timeout": round(read), "write_timeout": round(read)}
            return {"connection_timeout": round(read)}
        return {}

    def container(self, password: str) -> ContainerRecipe:
        return ContainerRecipe(
            "testcontainers.community.mysql",
            "MySqlContainer",
            port=3306,
            user="root",
            dbname="test",
            kwargs={"username": "root", "password": password, "dbname": "test"},
        )

    def answers(self, sock: socket.socket) -> bool:
        # A MySQL or MariaDB server greets a client with a handshake packet of protocol version 10.
        greeting = sock.recv(5)
        return len(greeting) == 5 and greeting[4] == 10

    def create_database_sql(self, name: str, password: str, charset: str | None) -> list[str]:
        from harness.errors import UnsafeOperation

        if charset is not None and not charset.isalnum():
            raise UnsafeOperation(f"{charset!r} is not a character set name")
        return [f"CREATE DATABASE `{name}`" + (f" CHARACTER SET {charset}" if charset else "")]

    def drop_database_sql(self, name: str, force: bool) -> list[str]:
        return [f"DROP DATABASE IF EXISTS `{name}`"]

    def cancel(self, wrapper: Any) -> None:
        # MySQL cancels by KILL QUERY from a second connection. The drivers refuse to tell a
        # connection's id from another thread, so every statement running in the cell's own
        # throwaway database is stopped: nothing else uses it.
        if wrapper.connection is None:
            return
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

    def default_collation_sql(self) -> str:
        return "SELECT @@collation_database"

    def database_charset(self, django: Version) -> str | None:
        from harness.claims.recipes import recipe  # what the docs of that Django version say

        return recipe("mysql.database_charset", django)

    def case_sensitive_collation(self, django: Version, test_collations: dict[str, str | None]) -> str:
        from harness.claims.recipes import recipe

        return recipe("mysql.case_sensitive_collation", django)

    def lock_timeout_sql(self, seconds: int) -> str:
        # innodb_lock_wait_timeout bounds row locks, lock_wait_timeout metadata (table) locks.
        return f"SET SESSION innodb_lock_wait_timeout = {int(seconds)}, lock_wait_timeout = {int(seconds)}"

    def legacy_timestamp_table_sql(self, table: str) -> str:
        return f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, ts TIMESTAMP NULL DEFAULT NULL, dt DATETIME(6) NULL)"

    def session_time_zone_sql(self, offset: str) -> str:
        return f"SET time_zone = '{offset}'"

    def epoch_sql(self, table: str, column: str) -> str:
        return f"SELECT UNIX_TIMESTAMP({column}) FROM {table} WHERE id = 1"

    def time_zone_tables_sql(self) -> str:
        return "SELECT COUNT(*) FROM mysql.time_zone_name"

    def isolation_level_sql(self) -> str:
        return "SELECT @@SESSION.transaction_isolation"

    def isolation_option(self, level: str) -> Any:
        return level  # MySQL notes > Isolation level: the four level names as strings

    def session_time_zone_query(self) -> str:
        return "SELECT @@SESSION.time_zone"

    def client_encoding_sql(self) -> str:
        return "SELECT @@SESSION.character_set_connection"

    def init_command_probe(self) -> tuple[str, str]:
        return "SET @dbcompat_marker = 42", "SELECT @dbcompat_marker"

    def non_strict_init_command(self) -> str:
        return "SET SESSION sql_mode = ''"

    def only_full_group_by_sql(self) -> tuple[list[str], list[str]]:
        # Added to the session's own modes unless there (MySQL's default has it, MariaDB's has not); CONCAT_WS skips
        # an empty mode. The mode is put back by SET, not by closing the connection, which a pool would keep.
        return (
            [
                "SET @dbcompat_sql_mode = @@SESSION.sql_mode",
                "SET SESSION sql_mode = IF(FIND_IN_SET('ONLY_FULL_GROUP_BY', @@SESSION.sql_mode), @@SESSION.sql_mode, "
                "CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'ONLY_FULL_GROUP_BY'))",
            ],
            ["SET SESSION sql_mode = @dbcompat_sql_mode"],
        )

    def session_id_sql(self) -> str:
        return "SELECT CONNECTION_ID()"

    def terminate_session_sql(self, session_id: int) -> str:
        return f"KILL CONNECTION {int(session_id)}"

    def session_count_sql(self, session_id: int) -> str:
        return f"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = {int(session_id)}"

    def session_settings(self) -> dict[str, tuple[str, str, str]]:
        # wait_timeout: how long the server keeps an idle session (8 hours by default); one hour never bites.
        return {
            "time_zone": ("SET time_zone = '+02:00'", "SELECT @@SESSION.time_zone", "+02:00"),
            "wait_timeout": ("SET SESSION wait_timeout = 3600", "SELECT @@SESSION.wait_timeout", "3600"),
        }

    def temporary_table_sql(self, table: str) -> str:
        return f"CREATE TEMPORARY TABLE {table} (id INTEGER)"

    def advisory_lock_sql(self) -> tuple[str, str]:
        # Lock names are server-wide: the throwaway database's name keeps each cell's apart.
        name = "CONCAT('dbcompat.', DATABASE())"
        return f"SELECT GET_LOCK({name}, 0)", f"SELECT COALESCE(IS_USED_LOCK({name}) = CONNECTION_ID(), 0)"

    def skip_update_trigger_sql(self, table: str) -> tuple[list[str], list[str]]:
        raise NotApplicable(
            f"{self.display_name}'s triggers cannot skip a row silently: a BEFORE UPDATE trigger may change the new "
            "values or fail the statement (SIGNAL), and an UPDATE that changes nothing still counts the rows it "
            "matched for Django (CLIENT_FOUND_ROWS)."
        )

    def table_engine_sql(self) -> str:
        return "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s"

    def myisam_table_sql(self, table: str) -> str:
        return f"CREATE TABLE {table} (id INTEGER PRIMARY KEY) ENGINE=MyISAM"

    def myisam_child_sql(self, table: str, parent: str) -> str:
        return (
            f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, parent_id INTEGER, "
            f"FOREIGN KEY (parent_id) REFERENCES {parent} (id)) ENGINE=MyISAM"
        )


class MariaDB(MySQL):
    vendor = "mariadb"
    display_name = "MariaDB"
    is_mariadb = True
    url_schemes = ("mariadb", "mysql")
    # MariaDB names the isolation level tx_isolation (transaction_isolation only from 11.1).
    settings_sql = {**_SETTINGS, "transaction_isolation": "SELECT @@GLOBAL.tx_isolation"}

    def isolation_level_sql(self) -> str:
        return "SELECT @@SESSION.tx_isolation"
