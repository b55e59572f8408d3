"""TiDB: MySQL's wire protocol and SQL, through django-tidb's backend (Django's MySQL backend, subclassed).

Django's docs make no claim about TiDB. Its version string is a MySQL release followed by TiDB's own
("8.0.11-TiDB-v8.5.1"): the version its claims would be matched against is TiDB's.
"""

from __future__ import annotations

import re

from packaging.version import Version

from harness.backends.base import ContainerRecipe
from harness.backends.mysql import MySQL

_TIDB_RELEASE = re.compile(r"TiDB-v(\d+(?:\.\d+)*)", re.IGNORECASE)


class TiDB(MySQL):
    vendor = "tidb"
    display_name = "TiDB"
    url_schemes = ("mysql",)

    def reported_vendor(self, version_reported: str | None) -> str:
        return self.vendor

    def server_version(self, version_reported: str | None) -> Version | None:
        found = _TIDB_RELEASE.search(version_reported or "")
        return Version(found.group(1)) if found else super().server_version(version_reported)

    def container(self, password: str) -> ContainerRecipe:
        # The image's tidb-server (a single node on its built-in store) reads none of the MySQL image's
        # variables: root has no password, and "test" exists from the start.
        return ContainerRecipe(
            "testcontainers.community.mysql",
            "MySqlContainer",
            port=4000,
            user="root",
            dbname="test",
            kwargs={
                "username": "root",
                "dbname": "test",
                "port": 4000,
                "wait_strategy_check_string": "server is running MySQL protocol",
            },
            password="",
        )
