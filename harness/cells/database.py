"""The cell's database: Django's settings for it, the throwaway database, what the server says.

Databases are created and dropped as the URL's own user, in the database the URL names (never
one the harness drops), and only the throwaway databases this process created are ever dropped
(``harness.servers.throwaway``). Each vendor's SQL is its backend's.
"""

from __future__ import annotations

import contextlib
import copy
import importlib
import itertools
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from harness.backends import Backend
from harness.errors import DbcompatError
from harness.matrix import Cell, Driver
from harness.servers import ProvidedServer
from harness.servers.throwaway import Throwaway, create_statements

if TYPE_CHECKING:
    from harness.user_suites import Suite


def cell_database(cell: Cell, provided: ProvidedServer, name: str, connect: float, read: float) -> dict[str, Any]:
    """The cell's ``DATABASES["default"]``: its ENGINE, its throwaway database ``name``, the server provided, and
    what the matrix's driver entry adds (OPTIONS, other keys), every connection bounded (``connect`` seconds to
    connect, ``read`` for each read where the driver can)."""
    from harness.backends import backend_for

    return database_settings(backend_for(cell.server.vendor), cell.driver, provided.settings, name, connect, read)


def database_settings(
    backend: Backend, driver: Driver, given: dict[str, Any], name: str, connect: float, read: float
) -> dict[str, Any]:
    """``DATABASES["default"]`` for ``driver`` on the server whose settings (from its URL) are ``given``: what a
    cell runs with, and what a reproducer script builds for itself."""
    database: dict[str, Any] = {
        "ENGINE": driver.engine,
        "NAME": name,
        **given,
        "TEST": {"NAME": name},
        # What a third-party backend reads from the entry itself (POOL_OPTIONS); the matrix keeps the keys
        # above out of it.
        **copy.deepcopy(dict(driver.settings)),
    }
    # Every connection the harness opens is bounded: connecting (a silent port, a stopped server) and,
    # where the driver can, each read, which outlasts the check timeout so that cancelling comes first.
    bounds = backend.timeout_options(driver.module, connect, read)
    # The driver entry's options last: they are the configuration the cell is about ({"pool": True}).
    options = backend.bounded_options(copy.deepcopy(dict(driver.options)), connect)
    database["OPTIONS"] = {**bounds, **given.get("OPTIONS", {}), **options}
    return database


def admin_connection(backend: Backend, provided: ProvidedServer, driver: Driver | None = None) -> Any:
    """A connection as the URL's own user, to the database the URL names; the caller closes it.

    Without what ``driver``'s matrix entry adds to the cell's settings (a pool, server-side binding): it
    only creates and drops databases and asks the server what it is, and a pool of its own would keep
    connections open after it is closed.
    """
    credentials = {k: v for k, v in provided.settings.items() if k in ("USER", "PASSWORD")}
    return django_connection(
        "dbcompat_admin",
        without=driver,
        numbered=False,  # always the same settings: a backend's pool of them may be reused
        NAME=backend.admin_database(provided.settings, provided.admin_name),
        **credentials,
    )


def create_database(
    backend: Backend,
    provided: ProvidedServer,
    throwaway: Throwaway,
    name: str,
    password: str,
    charset: str | None,
    driver: Driver | None = None,
) -> None:
    statements = create_statements(backend, name, password, charset)
    admin = admin_connection(backend, provided, driver)
    try:
        with backend.admin_cursor(admin) as cursor:
            for statement in statements:
                cursor.execute(statement)
            throwaway.mark_created(name)
    finally:
        admin.close()


def drop_database(
    backend: Backend,
    provided: ProvidedServer,
    throwaway: Throwaway,
    name: str,
    force: bool,
    driver: Driver | None = None,
) -> None:
    """Drop a throwaway database this process created; ``force`` ends other sessions still in it."""
    from django.db import connections

    connections.close_all()
    for wrapper in connections.all(initialized_only=True):
        close_pool(wrapper)  # a pool keeps its connections to the database open after close_all()
    admin = admin_connection(backend, provided, driver)
    try:
        with backend.admin_cursor(admin) as cursor:
            for statement in throwaway.drop_statements(backend, name, force=force):
                cursor.execute(statement)
        throwaway.created.discard(name)
    finally:
        admin.close()


# Each connection made here gets an alias of its own: pools are kept per alias (Django's for "pool": True,
# django-db-connection-pool's), and one made for a check with some OPTIONS must not be handed to a later
# check's connection of the same name with other OPTIONS.
_SERIAL = itertools.count(1)


def django_connection(alias: str, without: Driver | None = None, numbered: bool = True, **overrides: Any) -> Any:
    """A new Django connection to what ``default`` points at, some settings changed (OPTIONS merged).

    Outside Django's registry: the caller closes it, which closes its pool too when it has one. ``without``:
    a driver whose matrix entry's options and settings are left out (the settings as the cell has them
    otherwise). ``numbered``: the alias gets a number of its own (see _SERIAL).
    """
    from django.db import connections
    from django.db.utils import load_backend

    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    options = {**settings_dict.get("OPTIONS", {}), **overrides.pop("OPTIONS", {})}
    if without is not None:
        options = {key: value for key, value in options.items() if key not in without.options}
        for key in without.settings:
            settings_dict.pop(key, None)
    settings_dict.update(overrides, OPTIONS=options)
    own = f"{alias}_n{next(_SERIAL)}" if numbered else alias
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias=own)
    if options.get("pool"):
        _close_pool_on_close(wrapper)
    return wrapper


def close_pool(wrapper: Any) -> None:
    """Close the connection pool of a Django connection, if it has one (Django 5.1+'s PostgreSQL "pool")."""
    from django.core.exceptions import ImproperlyConfigured

    closing = getattr(wrapper, "close_pool", None)
    if callable(closing):
        # A connection whose pool could never be made (a pool with CONN_MAX_AGE, which Django refuses) raises
        # the same refusal again here: it has no pool to close.
        with contextlib.suppress(ImproperlyConfigured):
            closing()


def _close_pool_on_close(wrapper: Any) -> None:
    # Closing a pooled connection gives it back to its pool; this connection's pool has no other user.
    plain_close = wrapper.close

    def close() -> None:
        try:
            plain_close()
        finally:
            close_pool(wrapper)

    wrapper.close = close


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


def configure_django(database: dict[str, Any], driver: Driver | None = None, suites: Sequence[Suite] = ()) -> None:
    """Django's settings for a cell: its one database, the suites' app, time zones on.

    ``driver``, when it stands in for a module Django imports, is put in its place first. A user's
    ``suites`` add their apps (their folders' parents go on ``sys.path``, so that they import).
    """
    if driver is not None and driver.replaces is not None:
        use_driver(driver, database["ENGINE"])

    import django
    from django.conf import settings

    builtin = importlib.import_module(SUITES_APP)
    apps = list(getattr(builtin, "DJANGO_APPS", [SUITES_APP]))
    # A third-party backend's own apps (its models, its checks), after the suites'.
    apps += [app for app in (driver.installed_apps if driver is not None else ()) if app not in apps]
    for suite in suites:
        suite.importable()
        apps += [app for app in suite.apps if app not in apps]
    settings.configure(
        DATABASES={"default": database},
        INSTALLED_APPS=apps,
        USE_TZ=True,
        TIME_ZONE="UTC",
        SECRET_KEY="dbcompat-not-secret",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()


def use_driver(driver: Driver, engine: str) -> None:
    """Make Django's ``engine`` import ``driver.module`` wherever it imports ``driver.replaces``.

    pysqlite3 is "the SQLite module from Python 3" packaged "as a separately-installable module" (its
    README): the standard library's API under another name. Django's backend writes ``import sqlite3``
    itself, so it gets the library by finding it under that name in ``sys.modules``, the one way to
    point code one cannot edit at it (the recipe pysqlite3's users give, e.g. django-s3-sqlite's
    README). It must be there before the backend is imported: a module imported earlier keeps the
    module it got.
    """
    if driver.replaces is None:
        return
    early = _holders_of(driver.replaces, engine)
    if early:
        raise DbcompatError(
            f"{', '.join(early)} imported {driver.replaces} before {driver.module} could be put in its place; "
            f"nothing may import Django's {engine} backend before the cell configures Django"
        )
    try:
        library = importlib.import_module(driver.module)
    except ImportError as exc:
        raise DbcompatError(
            f"the driver {driver.id} needs {driver.module} ({driver.requirement}) to put in place of "
            f"{driver.replaces}, but it cannot be imported: {exc}; install it in the cell's environment"
        ) from None
    sys.modules[driver.replaces] = library


def check_driver(cell: Cell) -> None:
    """The driver Django imported is the cell's: a wrong environment is a harness error, not a finding."""
    from django.db import connection

    driver = cell.driver
    database = connection.Database
    used = database.__name__
    wanted = driver.module
    # By identity, not only by name: the module Django holds is the one imported under that name.
    if (used != wanted and not used.startswith(wanted + ".")) or sys.modules.get(used) is not database:
        if driver.replaces is not None:
            raise DbcompatError(
                f"Django imported {used!r} for {driver.engine}, but cell {cell.id} is for {wanted!r} in place of "
                f"{driver.replaces!r}: {wanted} was not in sys.modules as {driver.replaces} when Django loaded "
                "its backend (configure_django puts it there when given the cell's driver)"
            )
        raise DbcompatError(
            f"Django imported {used!r} for {driver.engine}, but cell {cell.id} is for "
            f"{driver.module!r}; its environment has the wrong driver installed"
        )
    if driver.replaces is not None:
        # Django's backend imports the module in several of its modules (base, creation, schema,
        # features): every one must hold the library, not only the one ``connection.Database`` came from.
        still = _holders_of(driver.replaces, driver.engine)
        if still:
            raise DbcompatError(
                f"{', '.join(still)} still use the standard {driver.replaces}, not {wanted!r}, in cell {cell.id}"
            )


def _holders_of(replaced: str, engine: str) -> list[str]:
    """The modules of Django's ``engine`` backend that hold the original module ``replaced`` (or a submodule)."""
    holders = []
    for name, module in list(sys.modules.items()):
        if not isinstance(module, ModuleType) or (name != engine and not name.startswith(engine + ".")):
            continue
        for value in vars(module).values():
            if isinstance(value, ModuleType) and _is_original(value, replaced):
                holders.append(name)
                break
    return sorted(holders)


def _is_original(module: ModuleType, replaced: str) -> bool:
    # The library keeps its own name ("pysqlite3.dbapi2") wherever it is bound.
    return module.__name__ == replaced or module.__name__.startswith(replaced + ".")


def read_server(backend: Backend, raw: Any) -> tuple[str | None, dict[str, str | None]]:
    """The version string the server reports, and the settings of it that change behaviour."""
    version = read_one(raw, backend.version_sql)
    settings = {
        name: read_one(raw, sql, on_error="(not readable: {error})") for name, sql in backend.settings_sql.items()
    }
    return version, settings
