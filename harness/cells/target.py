"""What a cell's claims are matched against, worked out from the cell and what its server reported."""

from __future__ import annotations

import importlib.metadata
import platform
from typing import Any

from harness.matrix import Cell
from harness.results import DjangoView
from harness.versions import Target, leading_version, same_release


def cell_target(cell: Cell, vendor: str, version_reported: str | None, pool_mode: str | None = None) -> Target:
    """The target of a cell's claims: the vendor and version its server reported, its driver, its Django,
    and the pool mode of the pooler it is reached through (the one the pooler reported, else the matrix's).
    """
    from django import get_version

    installed = driver_version(cell)
    pooler = cell.server.pooler
    return Target(
        vendor=vendor,
        server_version=leading_version(version_reported) if version_reported else None,
        driver=cell.driver.id,
        driver_version=leading_version(installed) if installed else None,
        django_version=leading_version(get_version()),
        pooler=(pool_mode or pooler.mode) if pooler is not None else None,
    )


def driver_version(cell: Cell) -> str | None:
    """The installed version of the cell's driver (Python's, for the standard library's sqlite3)."""
    if cell.driver.distribution is None:
        return platform.python_version() if cell.driver.module == "sqlite3" else None
    try:
        return importlib.metadata.version(cell.driver.distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def version_mismatch(cell: Cell, vendor: str, version_reported: str | None) -> str | None:
    """Why the server is not the release the matrix names, if it is not."""
    server = cell.server
    if version_reported is None:
        return None
    reported = leading_version(version_reported)
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
    reported = leading_version(version_reported) if version_reported else None
    if view.version and reported is not None:
        release = list(reported.release) + [0] * len(view.version)
        if view.version != release[: len(view.version)]:
            parsed = ".".join(map(str, view.version))
            found.append(
                f"Django's backend parsed the version as {parsed}, but the server reported {version_reported!r}"
            )
    return "; ".join(found) or None
