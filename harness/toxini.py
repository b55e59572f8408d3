"""tox.ini, generated from the matrix so the two cannot drift."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.matrix import DjangoRelease, Matrix
from harness.report.render import environment


@dataclass(frozen=True)
class DefaultEnv:
    name: str  # server-driver
    server: str
    cell: str
    django: DjangoRelease
    supported: bool


def render_tox_ini(matrix: Matrix) -> str:
    pairs = [(s, d) for s in matrix.servers for d in matrix.drivers if s.vendor in d.vendors]
    default_envs = []
    for server, driver in pairs:
        django = matrix.newest_django_for(server)
        cell = next(c for c in matrix.cells if (c.server, c.driver, c.django) == (server, driver, django))
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
        drivers=matrix.drivers,
        default_envs=default_envs,
        labels=labels,
    )


def write_tox_ini(matrix: Matrix, path: Path) -> bool:
    """Write ``path``; True when it changed."""
    text = render_tox_ini(matrix)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
