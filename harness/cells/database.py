"""The cell's database: Django's settings for it, the throwaway database, what the server says.

Databases are created and dropped as the URL's own user, in the database the URL names (never
one the harness drops), and only the throwaway databases this process created are ever dropped
(``harness.servers.throwaway``). Each vendor's SQL is its backend's.
"""

from __future__ import annotations

import copy
from typing import Any

from harness.backends import Backend
from harness.errors import DbcompatError
from harness.matrix import Cell
from harness.servers import ProvidedServer
from harness.servers.throwaway import Throwaway, create_statements


def admin_connection(backend: Backend, provided: ProvidedServer) -> Any:
    """A connection as the URL's own user, to the database the URL names; the caller closes it."""
    credentials = {k: v for k, v in provided.settings.items() if k in ("USER", "PASSWORD")}
    return django_connection(
        "dbcompat_admin", NAME=backend.admin_database(provided.settings, provided.admin_name), **credentials
    )


def create_database(
    backend: Backend, provided: ProvidedServer, throwaway: Throwaway, name: str, password: str, charset: str | None
) -> None:
    statements = create_statements(backend, name, password, charset)
    admin = admin_connection(backend, provided)
    try:
        with backend.admin_cursor(admin) as cursor:
            for statement in statements:
                cursor.execute(statement)
            throwaway.mark_created(name)
    finally:
        admin.close()


def drop_database(backend: Backend, provided: ProvidedServer, throwaway: Throwaway, name: str, force: bool) -> None:
    """Drop a throwaway database this process created; ``force`` ends other sessions still in it."""
    from django.db import connections

    connections.close_all()
    admin = admin_connection(backend, provided)
    try:
        with backend.admin_cursor(admin) as cursor:
            for statement in throwaway.drop_statements(backend, name, force=force):
                cursor.execute(statement)
        throwaway.created.discard(name)
    finally:
        admin.close()


def django_connection(alias: str, **overrides: Any) -> Any:
    """A new Django connection to what ``default`` points at, some settings changed (OPTIONS merged).

    Outside Django's registry: the caller closes it.
    """
    from django.db import connections
    from django.db.utils import load_backend

    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    options = {**settings_dict.get("OPTIONS", {}), **overrides.pop("OPTIONS", {})}
    settings_dict.update(overrides, OPTIONS=options)
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias=alias)


def read_one(raw: Any, sql: str, on_error: str | None = None) -> str | None:
    """The first column of the first row ``sql`` returns, through a raw DB-API connection."""
    cursor = raw.cursor()
    try:
        cursor.execute(sql)
        row = cursor.fetchone()
    except Exception as exc:
        if on_error is None:
            raise
        return on_error.format(error=type(exc).__name__)
    finally:
        cursor.close()
    return None if row is None or row[0] is None else str(row[0])


SUITES_APP = "suites"


def configure_django(database: dict[str, Any]) -> None:
    """Django's settings for a cell: its one database, the suites' app, time zones on."""
    import importlib

    import django
    from django.conf import settings

    suites = importlib.import_module(SUITES_APP)
    settings.configure(
        DATABASES={"default": database},
        INSTALLED_APPS=list(getattr(suites, "DJANGO_APPS", [SUITES_APP])),
        USE_TZ=True,
        TIME_ZONE="UTC",
        SECRET_KEY="dbcompat-not-secret",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()


def check_driver(cell: Cell) -> None:
    """The driver Django imported is the cell's: a wrong environment is a harness error, not a finding."""
    from django.db import connection

    used = connection.Database.__name__
    wanted = cell.driver.module
    if used != wanted and not used.startswith(wanted + "."):
        raise DbcompatError(
            f"Django imported {used!r} for {cell.driver.engine}, but cell {cell.id} is for "
            f"{cell.driver.module!r}; its environment has the wrong driver installed"
        )


def read_server(backend: Backend, raw: Any) -> tuple[str | None, dict[str, str | None]]:
    """The version string the server reports, and the settings of it that change behaviour."""
    version = read_one(raw, backend.version_sql)
    settings = {
        name: read_one(raw, sql, on_error="(not readable: {error})") for name, sql in backend.settings_sql.items()
    }
    return version, settings
