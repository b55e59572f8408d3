"""The matrix: Django versions, drivers and servers, and the cells they make.

``load_matrix`` reads a YAML file and validates it into frozen values. Every
problem is reported as one :class:`MatrixError` line naming the file, the line
and the key, and what is allowed there.
"""

from __future__ import annotations

import fnmatch
import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from harness.backends import backend_for
from harness.errors import UsageError
from harness.versions import Target, parse_spec

DEFAULT_MATRIX = Path(__file__).resolve().parent.parent / "matrix.yaml"

_ANY_PATCH = 999999
# How the runner hands a cell's process its cell, so it need not read the matrix again.
CELL_VARIABLE = "DBCOMPAT_CELL_JSON"


# -- the values -------------------------------------------------------------------------


@dataclass(frozen=True)
class DjangoRelease:
    id: str
    version: Version
    python: str
    requirement: str
    supports: tuple[str, ...]
    source: str

    def supports_server(self, server: Server) -> bool | None:
        """Whether Django's docs list the server's version as supported (None: unknown)."""
        if server.version is None:
            return None
        # The matrix names a release series ("8.0"); the docs may name a patch ("8.0.11").
        # The series counts as supported when its newest releases are.
        newest_of_series = Version(f"{server.version.base_version}.{_ANY_PATCH}")
        target = Target(server.vendor, newest_of_series, "", None, self.version)
        specs = [parse_spec(text) for text in self.supports]
        relevant = [spec for spec in specs if server.vendor in spec.vendors]
        if not relevant:
            return None
        return any(spec.matches(target) for spec in relevant)


# Where a driver entry's ``backend.requirement`` takes the cell's Django release ("5.2"): a backend whose
# releases follow Django's (django-cockroachdb 5.2.x for Django 5.2) is written once for every version.
DJANGO_PLACEHOLDER = "{django}"


@dataclass(frozen=True)
class BackendPackage:
    """A third-party Django backend: the distribution that ships a driver entry's ENGINE.

    django-prometheus' instrumented backends, django-db-connection-pool's pooled ones, django-cockroachdb:
    installed in the cell's environment next to the DB-API driver they use.
    """

    distribution: str  # "django-prometheus"
    requirement: str  # "django-prometheus>=2.3", or "django-cockroachdb~={django}.0"
    # The Django versions it supports (a version specifier, as its package metadata says), or None: any.
    django: str | None = None

    def requirement_for(self, django: DjangoRelease) -> str:
        return self.requirement.replace(DJANGO_PLACEHOLDER, str(django.version))

    def supports(self, django: DjangoRelease) -> bool:
        return self.django is None or SpecifierSet(self.django).contains(django.version, prereleases=True)


@dataclass(frozen=True)
class Driver:
    id: str
    name: str
    engine: str
    module: str
    distribution: str | None
    requirement: str | None
    vendors: tuple[str, ...]
    # The module Django imports that this library stands in for ("sqlite3"): the cell puts the
    # library in sys.modules under that name before Django loads its backend.
    replaces: str | None = None
    # Install the distribution from a wheel only: built from source, a library that exists for the
    # SQLite it bundles would link the system's instead, and the cell would test the wrong one.
    only_binary: bool = False
    # Merged into the cell's DATABASES["OPTIONS"]: a configuration of the driver ({"pool": True}). Plain
    # JSON values; left out of the hash, as a mapping cannot be hashed.
    options: Mapping[str, Any] = field(default_factory=dict, hash=False)
    # Merged into the cell's DATABASES entry itself: keys a third-party backend reads there (POOL_OPTIONS).
    settings: Mapping[str, Any] = field(default_factory=dict, hash=False)
    # Django apps the backend needs in INSTALLED_APPS, after the suites' own.
    installed_apps: tuple[str, ...] = ()
    # The package of a third-party ENGINE; None for Django's own backends and a driver's own (Connector's).
    backend: BackendPackage | None = None
    # The driver entry this one is a variant of (psycopg for psycopg-pool): claims made for it hold here too.
    variant_of: str | None = None
    # The servers its cells are made with (ids or globs); empty: every server of its vendors.
    servers: tuple[str, ...] = ()

    def pairs_with(self, server: Server) -> bool:
        """Whether the matrix makes cells of this driver with ``server``."""
        if server.vendor not in self.vendors:
            return False
        return not self.servers or any(fnmatch.fnmatchcase(server.id, glob) for glob in self.servers)

    def requirements(self, django: DjangoRelease) -> tuple[str, ...]:
        """What the cell's environment installs for this driver with ``django``: the DB-API driver, the backend."""
        found = [self.requirement] if self.requirement else []
        if self.backend is not None:
            found.append(self.backend.requirement_for(django))
        return tuple(found)


# The poolers a server entry may put in front of its server (with the vendors each speaks to), and their modes.
POOLER_VENDORS = {"pgbouncer": ("postgresql",)}
POOLER_NAMES = {"pgbouncer": "PgBouncer"}
POOL_MODES = ("transaction", "session", "statement")


@dataclass(frozen=True)
class Pooler:
    """A connection pooler the server is reached through: its name and the pool mode the matrix asks for.

    Without a URL, the pooler runs in a container of its own (``image``) in front of the container of
    the matrix server it names (``in_front_of``), which cells of that server share.
    """

    name: str  # "pgbouncer"
    mode: str  # "transaction", "session" or "statement"
    image: str | None = None  # the pooler's image, for the container path
    in_front_of: Server | None = None  # the server it pools connections to, for the container path

    @property
    def display_name(self) -> str:
        return POOLER_NAMES.get(self.name, self.name)


@dataclass(frozen=True)
class Server:
    id: str
    vendor: str
    version: Version | None
    image: str | None
    start_timeout: int
    # Reached through a pooler (PgBouncer in transaction mode, ...) rather than directly.
    pooler: Pooler | None = None

    @property
    def in_process(self) -> bool:
        return backend_for(self.vendor).in_process

    @property
    def url_variable(self) -> str:
        # Server ids may join words with '-' (postgres15-pgbouncer-tx); a variable name may not have one.
        return f"DBCOMPAT_URL_{self.id.upper().replace('-', '_')}"


@dataclass(frozen=True)
class Cell:
    server: Server
    driver: Driver
    django: DjangoRelease

    @property
    def id(self) -> str:
        return f"{self.server.id}-{self.driver.id}-{self.django.id}"

    @property
    def env_name(self) -> str:
        """The tox environment that runs this cell."""
        return f"{self.django.id}-{self.server.id}-{self.driver.id}"

    @property
    def not_applicable(self) -> str | None:
        """Why none of the cell's checks can run, decided from data before anything starts; None when they can.

        An option the driver entry sets that the cell's Django does not have yet (its docs add ``pool`` in
        5.1: a Django 4.2 cell would run without a pool and pass for one), or a third-party backend whose
        package does not support the cell's Django.
        """
        backend = backend_for(self.server.vendor)
        for name in self.driver.options:
            added = backend.django_options.get(name)
            if added is not None and self.django.version < Version(added.since):
                return (
                    f"Django {self.django.version} has no {name!r} option for {backend.display_name}: the docs add "
                    f"it in Django {added.since} (Django {added.since} docs, ref/databases, {added.section}), and "
                    f"driver {self.driver.id} sets it."
                )
        package = self.driver.backend
        if package is not None and not package.supports(self.django):
            return (
                f"{package.distribution} supports Django {package.django} (its package metadata, as the matrix's "
                f"driver {self.driver.id} says), not Django {self.django.version}."
            )
        return None

    def to_json(self) -> str:
        """The cell as JSON, for a cell's process that should not read and validate the matrix again."""

        def plain(value: object) -> object:
            if isinstance(value, Version):
                return str(value)
            if isinstance(value, Server | Pooler | Driver | DjangoRelease | BackendPackage):
                return {k: plain(v) for k, v in vars(value).items()}
            return value

        return json.dumps({"server": plain(self.server), "driver": plain(self.driver), "django": plain(self.django)})

    @staticmethod
    def from_json(text: str) -> Cell:
        data = json.loads(text)
        driver, django = data["driver"], data["django"]

        def server_from(server: dict[str, Any]) -> Server:
            pooler = server.get("pooler")
            if pooler:
                behind = pooler.get("in_front_of")
                pooler = Pooler(**{**pooler, "in_front_of": server_from(behind) if behind else None})
            version = Version(server["version"]) if server["version"] else None
            return Server(**{**server, "version": version, "pooler": pooler})

        package = driver.get("backend")
        return Cell(
            server_from(data["server"]),
            Driver(
                **{
                    **driver,
                    "vendors": tuple(driver["vendors"]),
                    "installed_apps": tuple(driver.get("installed_apps", ())),
                    "servers": tuple(driver.get("servers", ())),
                    "backend": BackendPackage(**package) if package else None,
                }
            ),
            DjangoRelease(**{**django, "version": Version(django["version"]), "supports": tuple(django["supports"])}),
        )


@dataclass(frozen=True)
class Matrix:
    path: Path
    django: tuple[DjangoRelease, ...]
    drivers: tuple[Driver, ...]
    servers: tuple[Server, ...]

    @cached_property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(
            Cell(server, driver, django)
            for server in self.servers
            for driver in self.drivers
            if driver.pairs_with(server)
            for django in self.django
        )

    def server(self, server_id: str) -> Server:
        return _by_id(self.servers, server_id, "server", self.path)

    def driver(self, driver_id: str) -> Driver:
        return _by_id(self.drivers, driver_id, "driver", self.path)

    def django_release(self, django_id: str) -> DjangoRelease:
        return _by_id(self.django, django_id, "Django version", self.path)

    def cell(self, name: str, installed_django: Version | None = None) -> Cell:
        """Find a cell by id or tox env name, its parts in any order.

        ``postgres15-psycopg-django52``, ``django52-postgres15-psycopg`` and, given the
        installed Django version, ``postgres15-psycopg`` all name the same cell. Server and driver ids
        may themselves have several parts (``postgres15-pgbouncer-tx``, ``psycopg-pool``): the cell is the
        one server and driver whose parts, with at most one Django version, make up the whole name (the
        matrix file keeps a server's parts apart from a driver's, so only one can).
        """
        parts = name.split("-")
        djangos = [d for d in self.django if d.id in parts]
        rest = sorted(p for p in parts if p not in {d.id for d in djangos})
        pairs = [
            (server, driver)
            for server, driver in itertools.product(self.servers, self.drivers)
            if sorted([*server.id.split("-"), *driver.id.split("-")]) == rest
        ]
        if len(pairs) != 1 or len(djangos) > 1 or len(parts) != len(set(parts)):
            raise UsageError(
                f"{name!r} is not a cell of {self.path.name}; write server-driver[-django], "
                "e.g. 'postgres15-psycopg-django52' (see 'dbcompat list')"
            )
        ((server, driver),) = pairs
        if not djangos:
            if installed_django is None:
                raise UsageError(f"{name!r} names no Django version; add one, e.g. '{name}-{self.django[-1].id}'")
            djangos = [d for d in self.django if d.version.release == installed_django.release[:2]]
            if not djangos:
                known = ", ".join(str(d.version) for d in self.django)
                raise UsageError(
                    f"the installed Django {installed_django} is not in {self.path.name} (it lists {known})"
                )
        (django,) = djangos
        if server.vendor not in driver.vendors:
            raise UsageError(f"driver {driver.id!r} does not talk to {server.vendor} (server {server.id!r})")
        if not driver.pairs_with(server):
            raise UsageError(
                f"driver {driver.id!r} is run against {', '.join(driver.servers)} only, not {server.id!r} (its "
                f"'servers' in {self.path.name})"
            )
        return Cell(server, driver, django)

    def select(
        self,
        patterns: Sequence[str] = (),
        servers: Sequence[str] = (),
        drivers: Sequence[str] = (),
        django: Sequence[str] = (),
    ) -> tuple[Cell, ...]:
        """Cells matching every filter given; each filter is a list of ids or globs (any may match)."""
        for values, known, what in (
            (servers, self.servers, "server"),
            (drivers, self.drivers, "driver"),
            (django, self.django, "Django version"),
        ):
            for value in values:
                if not any(fnmatch.fnmatchcase(x.id, value) for x in known):
                    ids = ", ".join(x.id for x in known)
                    raise UsageError(f"no {what} matches {value!r} in {self.path.name}; known: {ids}")

        def keep(cell: Cell) -> bool:
            return (
                _any_glob(cell.server.id, servers)
                and _any_glob(cell.driver.id, drivers)
                and _any_glob(cell.django.id, django)
                and (not patterns or any(fnmatch.fnmatchcase(cell.id, p) for p in patterns))
            )

        return tuple(cell for cell in self.cells if keep(cell))

    def newest_django_for(self, server: Server) -> DjangoRelease:
        """The newest Django whose docs support the server.

        When the docs say nothing (SQLite has no matrix version) or no Django supports it
        (MySQL 5.7), the newest Django: its cells then record Django's refusal.
        """
        for django in sorted(self.django, key=lambda d: d.version, reverse=True):
            if django.supports_server(server) is not False:
                return django
        return max(self.django, key=lambda d: d.version)


def _any_glob(value: str, globs: Sequence[str]) -> bool:
    return not globs or any(fnmatch.fnmatchcase(value, g) for g in globs)


_Item = TypeVar("_Item", Server, Driver, DjangoRelease)


def _by_id(items: Iterable[_Item], item_id: str, what: str, path: Path) -> _Item:
    for item in items:
        if item.id == item_id:
            return item
    raise UsageError(f"no {what} {item_id!r} in {path.name}")


# -- loading ----------------------------------------------------------------------------


def load_matrix(path: Path | str | None = None) -> Matrix:
    """Read and validate a matrix file; raise :class:`MatrixError` with one clear line.

    The validating reader (PyYAML and pydantic) is imported only here: a cell's process,
    which is handed its cell, never pays for it.
    """
    from harness.matrixfile import read_matrix

    return read_matrix(Path(path) if path is not None else DEFAULT_MATRIX)
