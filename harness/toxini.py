"""tox.ini, generated from the matrix so the two cannot drift."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.matrix import DJANGO_PLACEHOLDER, DjangoRelease, Matrix
from harness.report.render import environment


@dataclass(frozen=True)
class DefaultEnv:
    name: str  # server-driver
    server: str
    cell: str
    django: DjangoRelease
    supported: bool


def render_tox_ini(matrix: Matrix) -> str:
    pairs = [(s, d) for s in matrix.servers for d in matrix.drivers if d.pairs_with(s)]
    default_envs = []
    for server, driver in pairs:
        cells = [c for c in matrix.cells if (c.server, c.driver) == (server, driver)]
        # The newest Django that supports the server and that the cell can run with (a third-party backend may
        # not support the newest Django yet): else the newest that supports the server, whose cell says why not.
        runnable = [c for c in cells if c.not_applicable is None and c.django.supports_server(server) is not False]
        django = max(runnable, key=lambda c: c.django.version).django if runnable else matrix.newest_django_for(server)
        cell = next(c for c in cells if c.django == django)
        supported = django.supports_server(server) is not False
        default_envs.append(DefaultEnv(f"{server.id}-{driver.id}", server.id, cell.id, django, supported))
    vendors = sorted({s.vendor for s in matrix.servers})
    labels = [
        (vendor, [e.name for e in default_envs if matrix.server(e.server).vendor == vendor]) for vendor in vendors
    ]
    template = environment().get_template("tox.ini.j2")
    return template.render(
        matrix_name=matrix.path.name,
        django=matrix.django,
        driver_deps=driver_deps(matrix),
        default_envs=default_envs,
        labels=labels,
    )


def driver_deps(matrix: Matrix) -> list[tuple[str, str]]:
    """Each driver's requirements as tox factor conditions: ``(condition, requirement)``.

    tox reads ``psycopg-pool:`` as the factors psycopg and pool together, so a variant's env gets its base
    driver's requirement too (the same library). A backend whose requirement names the Django release
    gets one line per Django version (``django52-cockroach-psycopg:``).
    """
    deps: list[tuple[str, str]] = []
    by_id = {driver.id: driver for driver in matrix.drivers}
    for driver in matrix.drivers:
        base = by_id.get(driver.variant_of or "")
        # A variant whose id holds its base's (psycopg-ssb, prometheus-psycopg) gets the base's line already.
        inherited = (
            base is not None
            and base.requirement == driver.requirement
            and set(base.id.split("-")) <= set(driver.id.split("-"))
        )
        if driver.requirement and not inherited:
            deps.append((driver.id, driver.requirement))
        package = driver.backend
        if package is None:
            continue
        if DJANGO_PLACEHOLDER in package.requirement:
            deps.extend((f"{django.id}-{driver.id}", package.requirement_for(django)) for django in matrix.django)
        else:
            deps.append((driver.id, package.requirement))
    return deps


def write_tox_ini(matrix: Matrix, path: Path) -> bool:
    """Write ``path``; True when it changed."""
    text = render_tox_ini(matrix)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
