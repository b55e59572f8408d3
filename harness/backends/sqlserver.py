"""Microsoft SQL Server, through mssql-django's backend (ENGINE "mssql", pyodbc and an ODBC driver).

Django's docs make no claim about SQL Server; its cells record observations for the contrast. The
container and the throwaway databases are all the harness needs to know of it.
"""

from __future__ import annotations

from typing import Any

from harness.backends.base import Backend, ContainerRecipe


class SQLServer(Backend):
    vendor = "sqlserver"
    display_name = "SQL Server"
    # dj-database-url reads "mssql://" (and "mssqlms://"); the engine comes from the matrix, not the URL.
    url_schemes = ("mssql", "mssqlms")
    version_sql = "SELECT @@VERSION"
    settings_sql = {
        "ProductVersion": "SELECT CAST(SERVERPROPERTY('ProductVersion') AS NVARCHAR(128))",
        "Edition": "SELECT CAST(SERVERPROPERTY('Edition') AS NVARCHAR(128))",
        "Collation": "SELECT CAST(SERVERPROPERTY('Collation') AS NVARCHAR(128))",
        # READ COMMITTED reads row versions instead of taking shared locks when this is on.
        "is_read_committed_snapshot_on (model)": (
            "SELECT CAST(is_read_committed_snapshot_on AS INT) FROM sys.databases WHERE name = 'model'"
        ),
    }

    def timeout_options(self, module: str, connect: float, read: float) -> dict[str, Any]:
        # mssql-django's own OPTIONS: the ODBC login timeout, and pyodbc's query timeout on each statement.
        return {"connection_timeout": max(1, round(connect)), "query_timeout": max(1, round(read))}

    def container(self, password: str) -> ContainerRecipe:
        # SQL Server refuses an SA password without three of: capitals, small letters, digits and symbols;
        # the random one is hex (small letters and digits), so a capital and a symbol are added.
        strong = f"Dbc-{password}"
        return ContainerRecipe(
            "testcontainers.community.mssql",
            "SqlServerContainer",
            port=1433,
            user="SA",
            dbname="master",
            kwargs={"username": "SA", "password": strong, "dbname": "master"},
            ready_log="SQL Server is now ready for client connections",
            password=strong,
        )

    def admin_database(self, settings: dict[str, Any], named: str | None) -> str:
        return named or "master"

    def create_database_sql(self, name: str, password: str, charset: str | None) -> list[str]:
        return [f"CREATE DATABASE [{name}]"]

    def drop_database_sql(self, name: str, force: bool) -> list[str]:
        # A database other sessions still use cannot be dropped; SINGLE_USER ends them first.
        ending = [f"IF DB_ID('{name}') IS NOT NULL ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE"]
        return [*(ending if force else []), f"DROP DATABASE IF EXISTS [{name}]"]

    def can_force_drop(self, version: Any) -> bool:
        return True
