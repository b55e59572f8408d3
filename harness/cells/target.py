"""What a cell's claims are matched against, worked out from the cell and what its server reported."""

from __future__ import annotations

import importlib.metadata
import platform
import re
from typing import Any

from harness.matrix import Cell
from harness.results import BackendInfo, DjangoView, DriverInfo
from harness.versions import Target, leading_version, same_release

# The modules of Django's own backends' DatabaseWrapper: django.db.backends.<name>.base (GIS ones too).
_DJANGO_BACKEND = re.compile(r"^(?P<engine>django\.(?:contrib\.gis\.)?db\.backends\.(?!base\b)\w+)\.base$")


def cell_target(cell: Cell, vendor: str, version_reported: str | None, pool_mode: str | None = None) -> Target:
    """The target of a cell's claims: the vendor and version its server reported, its driver, its Django,
    and the pool mode of the pooler it is reached through (the one the pooler reported, else the matrix's).
    """
    from django import get_version

    return target_of(cell, vendor, version_reported, driver_version(cell), get_version(), pool_mode)


def target_of(
    cell: Cell,
    vendor: str,
    version_reported: str | None,
    driver_version: str | None,
    django_version: str,
    pool_mode: str | None = None,
) -> Target:
    """The target of ``cell``'s claims from what was read of it: as its session makes it (:func:`cell_target`),
    and as a reproducer makes it from the cell's results."""
    from harness.backends import backend_for

    pooler = cell.server.pooler
    return Target(
        vendor=vendor,
        server_version=backend_for(vendor).server_version(version_reported) if version_reported else None,
        driver=cell.driver.id,
        driver_version=leading_version(driver_version) if driver_version else None,
        django_version=leading_version(django_version),
        pooler=(pool_mode or pooler.mode) if pooler is not None else None,
        options=dict(cell.driver.options),
        driver_bases=(cell.driver.variant_of,) if cell.driver.variant_of else (),
    )


def is_djangos_own(engine: str) -> bool:
    """Whether an ENGINE is one of the backends Django ships."""
    return _DJANGO_BACKEND.match(f"{engine}.base") is not None


def wrapped_backend(wrapper_class: type) -> str | None:
    """The ENGINE of Django's own backend whose DatabaseWrapper ``wrapper_class`` is or builds on; None if none."""
    for klass in wrapper_class.__mro__:
        found = _DJANGO_BACKEND.match(klass.__module__)
        if found is not None and klass.__name__ == "DatabaseWrapper":
            return found["engine"]
    return None


def driver_info(cell: Cell, wrapper_class: type | None = None) -> DriverInfo:
    """What a result says of its driver: the DB-API module, the ENGINE and how the matrix configured it, and,
    for a backend that is not Django's own, its package and (given its DatabaseWrapper class) what it wraps."""
    driver = cell.driver
    backend = None
    if not is_djangos_own(driver.engine):
        distribution = driver.backend.distribution if driver.backend is not None else driver.distribution
        backend = BackendInfo(
            distribution=distribution,
            version=_installed(distribution),
            wraps=wrapped_backend(wrapper_class) if wrapper_class is not None else None,
            installed_apps=list(driver.installed_apps),
        )
    return DriverInfo(
        id=driver.id,
        name=driver.name,
        module=driver.module,
        version=driver_version(cell),
        engine=driver.engine,
        options=dict(driver.options),
        settings=dict(driver.settings),
        variant_of=driver.variant_of,
        backend=backend,
    )


def _installed(distribution: str | None) -> str | None:
    if distribution is None:
        return None
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def driver_version(cell: Cell) -> str | None:
    """The installed version of the cell's driver (Python's, for the standard library's sqlite3)."""
    if cell.driver.distribution is None:
        return platform.python_version() if cell.driver.module == "sqlite3" else None
    return _installed(cell.driver.distribution)


def version_mismatch(cell: Cell, vendor: str, version_reported: str | None) -> str | None:
    """Why the server is not the release the matrix names, if it is not."""
    from harness.backends import backend_for

    server = cell.server
    if version_reported is None:
        return None
    reported = backend_for(vendor).server_version(version_reported)
    said = f"the matrix says {server.vendor} {server.version or ''} for {server.id}".replace("  ", " ")
    if vendor != server.vendor:
        return f"{said}, but the server is {vendor} ({version_reported})"
    if server.version is not None and reported is not None and not same_release(server.version, reported):
        return f"{said}, but the server reported {version_reported}"
    return None


def read_django_view(wrapper: Any) -> DjangoView:
    """How the backend of ``wrapper`` (connected) sees its server: its name for it, vendor, parsed version."""
    unreadable: list[str] = []

    def read(what: str, getter: Any) -> Any:
        try:
            return getter()
        except Exception as exc:  # a third-party backend may lack it, or fail to parse
            unreadable.append(f"{what}: {type(exc).__name__}: {exc}")
            return None

    version = read("get_database_version()", wrapper.get_database_version)
    # Backends of vendor "mysql" say whether they detected MariaDB: Django's as a cached property (which may
    # query the server), Connector/Python's through __getattr__, which answers False for any mysql_is_* name.
    is_mysql = getattr(wrapper, "vendor", None) == "mysql"
    return DjangoView(
        display_name=read("display_name", lambda: str(wrapper.display_name)),
        vendor=read("vendor", lambda: str(wrapper.vendor)),
        is_mariadb=read("mysql_is_mariadb", lambda: bool(wrapper.mysql_is_mariadb)) if is_mysql else None,
        version=[int(part) for part in version] if isinstance(version, tuple | list) else None,
        unreadable="; ".join(unreadable) or None,
    )


def django_view_mismatch(view: DjangoView, vendor: str, version_reported: str | None) -> str | None:
    """Where Django's view of the server differs from what the server reported, as a sentence; else None."""
    from harness.backends import backend_for

    found: list[str] = []
    backend = backend_for(vendor)
    named = backend.display_name
    if view.display_name is not None and view.display_name != named:
        found.append(f"Django's backend calls the server {view.display_name}, but it is {named}")
    if view.is_mariadb is not None and view.is_mariadb != backend.is_mariadb:
        taken = "MariaDB" if view.is_mariadb else "MySQL"
        found.append(f"Django's backend takes the server for {taken}, but it reported {version_reported!r}")
    reported = backend.server_version(version_reported) if version_reported else None
    if view.version and reported is not None:
        release = list(reported.release) + [0] * len(view.version)
        if view.version != release[: len(view.version)]:
            parsed = ".".join(map(str, view.version))
            found.append(
                f"Django's backend parsed the version as {parsed}, but the server reported {version_reported!r}"
            )
    return "; ".join(found) or None
