"""CockroachDB: PostgreSQL's wire protocol and much of its SQL, through django-cockroachdb's backend.

Django's docs make no claim about CockroachDB, so its cells record observations ("no claim") for the
contrast with PostgreSQL. What differs from PostgreSQL here is how the server is reached and read.
"""

from __future__ import annotations

from typing import Any

from packaging.version import Version

from harness.backends.base import ContainerRecipe
from harness.backends.postgresql import PostgreSQL


class CockroachDB(PostgreSQL):
    vendor = "cockroachdb"
    display_name = "CockroachDB"
    # dj-database-url reads "cockroach://"; a PostgreSQL URL reaches it as well.
    url_schemes = ("cockroach", "postgres", "postgresql")
    # SHOW server_version answers the PostgreSQL release it is compatible with; version() names CockroachDB's.
    version_sql = "SELECT version()"
    settings_sql = {
        "version": "SELECT version()",
        "server_version (PostgreSQL compatibility)": "SHOW server_version",
        "default_transaction_isolation": "SHOW default_transaction_isolation",
        "TimeZone": "SHOW TimeZone",
        "serial_normalization": "SHOW serial_normalization",
    }
    # Django's PostgreSQL options are Django's backend's, which django-cockroachdb's builds on; the release that
    # added them is the same.
    django_options = dict(PostgreSQL.django_options)

    def container(self, password: str) -> ContainerRecipe:
        # With a password the image starts a secure single node (TLS, which libpq's default sslmode takes).
        return ContainerRecipe(
            "testcontainers.community.cockroachdb",
            "CockroachDBContainer",
            port=26257,
            user="dbcompat",
            dbname="defaultdb",
            kwargs={"username": "dbcompat", "password": password, "dbname": "defaultdb"},
            ready_log="finished creating default user",
        )

    def admin_database(self, settings: dict[str, Any], named: str | None) -> str:
        return named or "defaultdb"

    def drop_database_sql(self, name: str, force: bool) -> list[str]:
        # CockroachDB has no WITH (FORCE); CASCADE drops what the checks left in it.
        return [f'DROP DATABASE IF EXISTS "{name}" CASCADE']

    def can_force_drop(self, version: Version | None) -> bool:
        return False
