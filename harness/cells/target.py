"""What a cell's claims are matched against, worked out from the cell and what its server reported."""

from __future__ import annotations

import importlib.metadata
import platform

from harness.matrix import Cell
from harness.versions import Target, leading_version, same_release


def cell_target(cell: Cell, vendor: str, version_reported: str | None) -> Target:
    """The target of a cell's claims: the vendor and version its server reported, its driver, its Django."""
    from django import get_version

    installed = driver_version(cell)
    return Target(
        vendor=vendor,
        server_version=leading_version(version_reported) if version_reported else None,
        driver=cell.driver.id,
        driver_version=leading_version(installed) if installed else None,
        django_version=leading_version(get_version()),
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
