"""What each locally built server image is made of: data only, no Docker.

A :class:`Recipe` names the matrix server, the Debian suite its packages come from,
the Debian package whose version the image reports, and the Dockerfile and
entrypoint (package data in ``harness/images/docker/``) that turn the suite's base
image into a server image. Tags and the variable a run reads an image from are
derived here too, so the naming scheme lives in one place.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib import resources

from harness import __version__
from harness.backends import backend_for
from harness.errors import UsageError

# Every image this package builds is named dbcompat/<name>:<version>, never an official image's name.
TAG_NAMESPACE = "dbcompat"
# Labels on every image built here (base and server images alike).
LABEL_PREFIX = "org.dbcompat"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
# Bumped when the way images are made changes in a way the hashed files do not show.
RECIPE_FORMAT = "1"
# What the base images leave out, as Debian's "slim" images do (copyright files stay).
DPKG_EXCLUDES = """\
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
"""


@dataclass(frozen=True)
class Suite:
    """A Debian suite and how its base root filesystem is bootstrapped."""

    name: str
    # stable suites also get their -updates and -security archives, as Debian's own images do
    stable: bool

    @property
    def base_tag(self) -> str:
        return f"{TAG_NAMESPACE}/debian:{self.name}"

    def sources(self, mirror: str) -> str:
        """The apt sources.list of the base image."""
        lines = [f"deb {mirror} {self.name} main"]
        if self.stable:
            lines.append(f"deb {mirror} {self.name}-updates main")
            security = mirror[: -len("/debian")] + "/debian-security" if mirror.endswith("/debian") else None
            if security:
                lines.append(f"deb {security} {self.name}-security main")
        return "\n".join(lines) + "\n"

    def apt_settings(self) -> str:
        """apt.conf of the base image: no recommends, no translations; sid's Release files may be past Valid-Until."""
        lines = [
            'APT::Install-Recommends "false";',
            'APT::Install-Suggests "false";',
            'Acquire::Languages "none";',
        ]
        if not self.stable:
            lines.append('Acquire::Check-Valid-Until "false";')
        return "\n".join(lines) + "\n"

    def base_hash(self, mirror: str) -> str:
        """What the base image is made from; a base image whose label differs is rebuilt."""
        parts = {"format": RECIPE_FORMAT, "suite": self.name, "sources": self.sources(mirror)}
        parts["apt"] = self.apt_settings()
        parts["dpkg"] = DPKG_EXCLUDES
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


SUITES = {
    "bookworm": Suite("bookworm", stable=True),
    "trixie": Suite("trixie", stable=True),
    "sid": Suite("sid", stable=False),
}


@dataclass(frozen=True)
class Recipe:
    """How one matrix server's image is built from Debian's packages."""

    server_id: str  # the matrix server it is for, or the pooler ("pgbouncer") that servers are reached through
    vendor: str  # postgresql, mariadb, mysql, or a pooler's name
    version: str  # the release series the matrix names, e.g. "15", "10.11"
    suite: str  # a key of SUITES
    package: str  # the Debian package whose version the image's labels record
    dockerfile: str  # a file in harness/images/docker/
    entrypoint: str  # a file in harness/images/docker/, installed as docker-entrypoint.sh
    build_args: tuple[tuple[str, str], ...] = ()

    @property
    def tag(self) -> str:
        return f"{TAG_NAMESPACE}/{_IMAGE_NAMES[self.vendor]}:{self.version}"

    @property
    def variable(self) -> str:
        return image_variable(self.server_id)

    @property
    def debian_suite(self) -> Suite:
        return SUITES[self.suite]

    def files(self) -> dict[str, str]:
        """The build context: file name -> text."""
        return {"Dockerfile": _data(self.dockerfile), "docker-entrypoint.sh": _data(self.entrypoint)}

    def recipe_hash(self, base_image_id: str) -> str:
        """What the image is made from: this recipe, its files and the base image it starts from."""
        parts = {"format": RECIPE_FORMAT, "recipe": asdict(self), "files": self.files(), "base": base_image_id}
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    def description(self, package_version: str) -> str:
        return (
            f"{_display_name(self.vendor)} {self.version} built by dbcompat {__version__} "
            f"from Debian {self.suite}'s package {self.package} {package_version}"
        )


_IMAGE_NAMES = {"postgresql": "postgres", "mariadb": "mariadb", "mysql": "mysql", "pgbouncer": "pgbouncer"}


def _display_name(vendor: str) -> str:
    from harness.matrix import POOLER_NAMES

    return POOLER_NAMES[vendor] if vendor in POOLER_NAMES else backend_for(vendor).display_name


def _postgresql(server_id: str, major: str, suite: str, pgdata: str = "/var/lib/postgresql/data") -> Recipe:
    build_args = (("PG_MAJOR", major), ("PGDATA_DIR", pgdata))
    dockerfile, entrypoint = "postgresql.Dockerfile", "postgresql-entrypoint.sh"
    return Recipe(server_id, "postgresql", major, suite, f"postgresql-{major}", dockerfile, entrypoint, build_args)


def _mariadb(server_id: str, version: str, suite: str) -> Recipe:
    return Recipe(server_id, "mariadb", version, suite, "mariadb-server", "mariadb.Dockerfile", "mysql-entrypoint.sh")


# The matrix servers Debian ships, in build order (servers sharing a suite share a base image).
RECIPES: tuple[Recipe, ...] = (
    _postgresql("postgres15", "15", "bookworm"),
    _mariadb("mariadb1011", "10.11", "bookworm"),
    _postgresql("postgres17", "17", "trixie"),
    _mariadb("mariadb118", "11.8", "trixie"),
    # 18+ official images keep their data where pg_ctlcluster would: /var/lib/postgresql/<major>/docker
    _postgresql("postgres18", "18", "sid", pgdata="/var/lib/postgresql/18/docker"),
    # sid's "mysql-server" also starts a server in its postinst and pulls in systemd; the official
    # image installs only the server and client binaries too (Oracle's "server-minimal" package).
    Recipe("mysql97", "mysql", "9.7", "sid", "mysql-server-core", "mysql.Dockerfile", "mysql-entrypoint.sh"),
    # The pooler the matrix's PgBouncer servers start in front of their PostgreSQL's container; trixie's
    # is recent enough to pool prepared statements in transaction mode (max_prepared_statements, 1.21+).
    Recipe("pgbouncer", "pgbouncer", "1.24", "trixie", "pgbouncer", "pgbouncer.Dockerfile", "pgbouncer-entrypoint.sh"),
)

_BY_ID = {recipe.server_id: recipe for recipe in RECIPES}


def image_variable(server_id: str) -> str:
    """The variable a run reads a server's image from, e.g. DBCOMPAT_IMAGE_POSTGRES15."""
    from harness.servers import IMAGE_PREFIX

    return f"{IMAGE_PREFIX}{server_id.upper()}"


def export_line(recipe: Recipe) -> str:
    """The shell line ``dbcompat images build`` prints for an image, for ``eval``."""
    return f"export {recipe.variable}={recipe.tag}"


def select_recipes(patterns: Sequence[str]) -> tuple[Recipe, ...]:
    """The recipes for server ids or globs, in build order; every recipe when none are given."""
    if not patterns:
        return RECIPES
    chosen: set[str] = set()
    for pattern in patterns:
        matched = [recipe.server_id for recipe in RECIPES if fnmatch.fnmatchcase(recipe.server_id, pattern)]
        if not matched:
            raise UsageError(
                f"cannot build an image for {pattern!r}: Debian ships no package for it; "
                f"buildable servers: {', '.join(_BY_ID)}"
            )
        chosen.update(matched)
    return tuple(recipe for recipe in RECIPES if recipe.server_id in chosen)


def _data(name: str) -> str:
    return (resources.files("harness.images") / "docker" / name).read_text(encoding="utf-8")
