"""Oracle, through python-oracledb: the throwaway "database" is a user in a pluggable database."""

from __future__ import annotations

from typing import Any

from harness.backends.base import Backend, ContainerRecipe
from harness.checks import NotApplicable

NO_SESSION_CLOSE = "Closing an Oracle session needs ALTER SYSTEM, which the harness does not use."


class Oracle(Backend):
    vendor = "oracle"
    display_name = "Oracle"
    url_schemes = ("oracle",)
    throwaway_is_user = True
    creates_test_database_by_sql = False
    version_sql = "SELECT version_full FROM product_component_version WHERE product LIKE 'Oracle%'"
    settings_sql = {
        "version": "SELECT version_full FROM product_component_version",
        "max_string_size": "SELECT value FROM v$parameter WHERE name = 'max_string_size'",
        "nls_characterset": "SELECT value FROM nls_database_parameters WHERE parameter = 'NLS_CHARACTERSET'",
    }

    def container(self, password: str) -> ContainerRecipe:
        # SYSTEM in the pluggable database: the harness creates its own users there.
        return ContainerRecipe(
            "testcontainers.community.oracle",
            "OracleDbContainer",
            port=1521,
            user="system",
            dbname="FREEPDB1",
            kwargs={"oracle_password": password, "dbname": "FREEPDB1"},
        )

    def admin_database(self, settings: dict[str, Any], named: str | None) -> str:
        # Pluggable databases are reached by service name: an Easy Connect string in NAME,
        # HOST and PORT left empty (Django docs, ref/databases, Oracle notes > Full DSN and Easy Connect).
        return f"{settings.get('HOST')}:{settings.get('PORT') or 1521}/{named or 'FREEPDB1'}"

    def throwaway_user_settings(self, name: str, password: str, admin_database: str) -> dict[str, Any]:
        return {"NAME": admin_database, "HOST": "", "PORT": "", "USER": name.upper(), "PASSWORD": password}

    def admin_cursor(self, admin: Any) -> Any:
        return admin.cursor()  # users are created and dropped as the admin user, inside its database

    def create_database_sql(self, name: str, password: str, charset: str | None) -> list[str]:
        user = name.upper()
        return [
            f'CREATE USER "{user}" IDENTIFIED BY "{password}" DEFAULT TABLESPACE USERS QUOTA UNLIMITED ON USERS',
            f"GRANT CREATE SESSION, CREATE TABLE, CREATE SEQUENCE, CREATE TRIGGER, CREATE VIEW, "
            f'CREATE PROCEDURE, CREATE TYPE TO "{user}"',
        ]

    def drop_database_sql(self, name: str, force: bool) -> list[str]:
        return [f'DROP USER "{name.upper()}" CASCADE']

    def default_collation_sql(self) -> str:
        return "SELECT default_collation FROM user_users"

    def legacy_timestamp_table_sql(self, table: str) -> str:
        return (
            f"CREATE TABLE {table} (id NUMBER(11) PRIMARY KEY, "
            "ts TIMESTAMP WITH LOCAL TIME ZONE NULL, dt TIMESTAMP NULL)"
        )

    def session_time_zone_sql(self, offset: str) -> str:
        return f"ALTER SESSION SET TIME_ZONE = '{offset}'"

    def epoch_sql(self, table: str, column: str) -> str:
        return (
            f"SELECT (CAST(FROM_TZ(CAST({column} AS TIMESTAMP), 'UTC') AS DATE) - DATE '1970-01-01') * 86400 "
            f"FROM {table} WHERE id = 1"
        )

    def time_zone_tables_sql(self) -> str:
        return "SELECT COUNT(*) FROM v$timezone_names"

    def isolation_level_sql(self) -> str:
        raise NotApplicable("Oracle offers no query for a session's isolation level.")

    def session_time_zone_query(self) -> str:
        return "SELECT SESSIONTIMEZONE FROM dual"

    def client_encoding_sql(self) -> str:
        raise NotApplicable("python-oracledb always talks UTF-8 to Oracle; there is no session setting to read.")

    def session_id_sql(self) -> str:
        raise NotApplicable(NO_SESSION_CLOSE)

    def terminate_session_sql(self, session_id: int) -> str:
        raise NotApplicable(NO_SESSION_CLOSE)

    def session_count_sql(self, session_id: int) -> str:
        raise NotApplicable(NO_SESSION_CLOSE)

    def skip_update_trigger_sql(self, table: str) -> tuple[list[str], list[str]]:
        raise NotApplicable(
            "Oracle's row triggers cannot skip a row silently: a BEFORE UPDATE trigger may change the new values or "
            "fail the statement (RAISE_APPLICATION_ERROR); only an INSTEAD OF trigger, on a view, replaces an UPDATE."
        )

    def returning_into_off_options(self) -> dict[str, Any]:
        return {"use_returning_into": False}
