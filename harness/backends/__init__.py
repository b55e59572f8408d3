"""One class per vendor, modelled on Django's ``db/backends/<vendor>/``.

``base.Backend`` holds every default; ``sqlite``, ``postgresql``, ``mysql`` (with
``MariaDB(MySQL)``) and ``oracle`` override only what differs. The servers of third-party backends
have one each too (``cockroachdb``, ``tidb``, ``sqlserver``), so that a user's matrix can add them with
an image and an engine. A new vendor is one new module here and an entry in ``BACKENDS``, plus its
servers in the matrix.
"""

from __future__ import annotations

from harness.backends.base import Backend, ContainerRecipe
from harness.backends.cockroachdb import CockroachDB
from harness.backends.mysql import MariaDB, MySQL
from harness.backends.oracle import Oracle
from harness.backends.postgresql import PostgreSQL
from harness.backends.sqlite import SQLite
from harness.backends.sqlserver import SQLServer
from harness.backends.tidb import TiDB
from harness.checks import NotApplicable

# Django's own vendors first, then the servers of third-party backends.
BACKENDS: dict[str, Backend] = {
    b.vendor: b for b in (SQLite(), PostgreSQL(), MySQL(), MariaDB(), Oracle(), CockroachDB(), TiDB(), SQLServer())
}


def backend_for(vendor: str) -> Backend:
    """The backend of a vendor the matrix names (the matrix rejects any other)."""
    return BACKENDS[vendor]


__all__ = ["BACKENDS", "Backend", "ContainerRecipe", "NotApplicable", "backend_for"]
