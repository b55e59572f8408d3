"""Reading a matrix file: YAML, validated by pydantic, every problem one line with file, line and key."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from harness.backends import backend_for
from harness.errors import MatrixError
from harness.matrix import (
    DJANGO_PLACEHOLDER,
    POOLER_VENDORS,
    BackendPackage,
    DjangoRelease,
    Driver,
    Matrix,
    Pooler,
    Server,
)
from harness.versions import VENDORS, SpecError, parse_spec, parse_version

# -- the file's schema ------------------------------------------------------------------
# Pydantic checks shapes and types; the values handed to the rest of the harness are the
# frozen dataclasses below, built once everything holds.

_ID_PATTERN = r"^[a-z][a-z0-9]*$"
# A server's id may join such words with '-' (postgres15-pgbouncer-tx): one server seen several ways; so
# may a driver's (psycopg-pool): one driver configured several ways.
_SERVER_ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
_DRIVER_ID_PATTERN = _SERVER_ID_PATTERN
# An OPTIONS key as Django's backends and the DB-API drivers name them: "pool", "transaction_mode".
_OPTION_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A key of the DATABASES entry itself, as Django's settings spell them: "POOL_OPTIONS", "CONN_MAX_AGE".
_SETTING_KEY = re.compile(r"[A-Z][A-Z0-9_]*")
# Keys of the DATABASES entry the cell itself sets: the engine, its throwaway database, the server's address.
_CELL_SETTINGS = ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS", "TEST")
# A module name as Python imports it: "sqlite3", "mysql.connector".
_MODULE_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
# Ids are joined into cell ids (server-driver-django), tox env names, and file names such as a
# result's temporary ".<cell>.<random>.tmp": three ids of 40 make names of at most 136 characters,
# well inside the 255 bytes a file name may have, and still readable as table columns.
ID_MAX_LENGTH = 40


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _pep508(value: str | None) -> str | None:
    # Handed to uv or pip: anything but a requirement ("-r FILE", "--index-url=...") would be an option.
    if value is not None:
        try:
            Requirement(value)
        except InvalidRequirement:
            raise ValueError(
                f"{value!r} is not a PEP 508 requirement; write a distribution with optional extras, "
                "version and marker, e.g. 'psycopg[binary]>=3.1' (no pip options)"
            ) from None
    return value


class _DjangoEntry(_Strict):
    id: str = Field(pattern=_ID_PATTERN, max_length=ID_MAX_LENGTH)
    version: str
    python: str
    requirement: str | None = None
    supports: list[str] = Field(min_length=1)
    source: str

    @field_validator("version", "python")
    @classmethod
    def _version(cls, value: str) -> str:
        parse_version(value)
        return value

    _requirement = field_validator("requirement")(_pep508)

    @field_validator("supports")
    @classmethod
    def _specs(cls, value: list[str]) -> list[str]:
        for text in value:
            spec = parse_spec(text)
            if len(spec.terms) != 1 or spec.terms[0].kind != "vendor":
                raise ValueError(f"{text!r} must name one vendor and its versions, e.g. 'mariadb>=10.5'")
        return value


def _json_values(value: Any, where: str) -> None:
    """Options end up in results and JSON job files: plain JSON values only (no dates, no YAML tags)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{where}: key {key!r} must be a string")
            _json_values(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _json_values(item, f"{where}[{index}]")
    elif not (value is None or isinstance(value, str | int | float | bool)):
        raise ValueError(
            f"{where}: {value!r} is a {type(value).__name__}; write a string, number, true/false, null, list or mapping"
        )


class _BackendEntry(_Strict):
    distribution: str
    requirement: str
    django: str | None = None

    @field_validator("requirement")
    @classmethod
    def _requirement(cls, value: str) -> str:
        if "{" in value.replace(DJANGO_PLACEHOLDER, "") or "}" in value.replace(DJANGO_PLACEHOLDER, ""):
            raise ValueError(
                f"{value!r}: the only placeholder a backend's requirement may have is {DJANGO_PLACEHOLDER} "
                "(the cell's Django release, e.g. 'django-cockroachdb~={django}.0')"
            )
        # The placeholder stands for a release ("5.2"): the requirement must hold with one in its place.
        _pep508(value.replace(DJANGO_PLACEHOLDER, "5.2"))
        return value

    @field_validator("django")
    @classmethod
    def _django(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                SpecifierSet(value)
            except InvalidSpecifier:
                raise ValueError(
                    f"{value!r} is not a version specifier; write the Django versions the backend supports as "
                    "its package metadata says, e.g. '>=4.2,<6.1'"
                ) from None
        return value


class _DriverEntry(_Strict):
    id: str = Field(pattern=_DRIVER_ID_PATTERN, max_length=ID_MAX_LENGTH)
    name: str
    # Required unless the entry is a variant_of another, whose values it takes.
    engine: str | None = None
    module: str | None = None
    distribution: str | None = None
    requirement: str | None = None
    vendors: list[str] | None = Field(default=None, min_length=1)
    replaces: str | None = None
    only_binary: bool | None = None
    options: dict[str, Any] | None = None
    settings: dict[str, Any] | None = None
    installed_apps: list[str] | None = None
    backend: _BackendEntry | None = None
    variant_of: str | None = Field(default=None, pattern=_DRIVER_ID_PATTERN, max_length=ID_MAX_LENGTH)
    servers: list[str] | None = Field(default=None, min_length=1)

    _requirement = field_validator("requirement")(_pep508)

    @field_validator("options")
    @classmethod
    def _options(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        for key, item in (value or {}).items():
            if not _OPTION_KEY.fullmatch(key):
                raise ValueError(f"{key!r} is not an OPTIONS key; write a name such as 'pool' or 'transaction_mode'")
            _json_values(item, key)
        return value

    @field_validator("settings")
    @classmethod
    def _settings(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        for key, item in (value or {}).items():
            if not _SETTING_KEY.fullmatch(key):
                raise ValueError(
                    f"{key!r} is not a DATABASES key; write it as Django's settings do, in capitals, e.g. "
                    "'POOL_OPTIONS' (OPTIONS go under 'options')"
                )
            if key in _CELL_SETTINGS:
                raise ValueError(
                    f"{key!r} is set by the cell itself (its engine, throwaway database and server); "
                    + ("put OPTIONS under 'options'" if key == "OPTIONS" else "remove it")
                )
            _json_values(item, key)
        return value

    @field_validator("installed_apps")
    @classmethod
    def _apps(cls, value: list[str] | None) -> list[str] | None:
        for app in value or ():
            if not _MODULE_PATTERN.fullmatch(app):
                raise ValueError(f"{app!r} is not an app's module name; write e.g. 'django_prometheus'")
        return value

    @field_validator("replaces")
    @classmethod
    def _module_name(cls, value: str | None) -> str | None:
        # It becomes a key of sys.modules in the cell's process: only a name Python could import.
        if value is not None and not _MODULE_PATTERN.fullmatch(value):
            raise ValueError(
                f"{value!r} is not a module name; write the module Django imports that this driver "
                "stands in for, e.g. 'sqlite3'"
            )
        return value


class _PoolerEntry(_Strict):
    name: Literal["pgbouncer"]
    mode: Literal["transaction", "session", "statement"]
    in_front_of: str | None = Field(default=None, pattern=_SERVER_ID_PATTERN, max_length=ID_MAX_LENGTH)
    image: str | None = None


class _ServerEntry(_Strict):
    id: str = Field(pattern=_SERVER_ID_PATTERN, max_length=ID_MAX_LENGTH)
    vendor: str
    version: str | None = None
    image: str | None = None
    start_timeout: int = Field(default=180, gt=0)
    pooler: _PoolerEntry | None = None

    @field_validator("vendor")
    @classmethod
    def _vendor(cls, value: str) -> str:
        if value not in VENDORS:
            raise ValueError(f"unknown vendor {value!r}; known vendors: {', '.join(VENDORS)}")
        return value

    @field_validator("version")
    @classmethod
    def _version(cls, value: str | None) -> str | None:
        if value is not None:
            parse_version(value)
        return value


class _MatrixFile(_Strict):
    django: list[_DjangoEntry] = Field(min_length=1)
    drivers: list[_DriverEntry] = Field(min_length=1)
    servers: list[_ServerEntry] = Field(min_length=1)


# -- loading ----------------------------------------------------------------------------


# The default matrix is a few KiB; a file this large is not a matrix, and reading it would be costly.
MATRIX_SIZE_LIMIT = 4 * 1024 * 1024


def read_matrix(path: Path) -> Matrix:
    """Read and validate a matrix file; raise :class:`MatrixError` with one clear line."""
    where = str(path)
    try:
        if path.exists() and not path.is_file():  # /dev/zero, a pipe or a folder would be read without end
            raise MatrixError(f"{where}: not a regular file; pass --matrix PATH to a matrix file")
        if path.exists() and path.stat().st_size > MATRIX_SIZE_LIMIT:
            raise MatrixError(
                f"{where}: {path.stat().st_size} bytes, over the {MATRIX_SIZE_LIMIT // 1024 // 1024} MiB a "
                "matrix file may have; is it the right file?"
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MatrixError(f"{where}: no such file; pass --matrix PATH to an existing matrix file") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise MatrixError(f"{where}: cannot read the matrix file: {reason}") from None

    loader: yaml.SafeLoader | None = None
    try:
        loader = yaml.SafeLoader(text)
        root = loader.get_single_node()
        if root is None:
            raise MatrixError(f"{where}: the file is empty; it needs the keys django, drivers and servers")
        _reject_duplicate_keys(root, where)
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise MatrixError(f"{where}{line}: YAML syntax error: {exc.problem or exc.context}") from None
    except yaml.reader.ReaderError as exc:
        raise MatrixError(
            f"{where}: character {exc.character!r} at offset {exc.position} is not allowed in YAML"
        ) from None
    except yaml.YAMLError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise MatrixError(f"{where}: YAML syntax error: {first_line}") from None
    finally:
        if loader is not None:
            loader.dispose()

    if not isinstance(data, dict):
        raise MatrixError(
            f"{where}:{root.start_mark.line + 1}: the top level must be a mapping with the keys "
            "django, drivers and servers"
        )
    try:
        parsed = _MatrixFile.model_validate(data)
    except ValidationError as exc:
        raise MatrixError(_describe(exc.errors()[0], root, where)) from None
    return _build(parsed, root, path)


def _build(parsed: _MatrixFile, root: yaml.Node, path: Path) -> Matrix:
    where = str(path)

    def fail(loc: tuple[str | int, ...], message: str) -> MatrixError:
        return MatrixError(f"{where}:{_line_of(root, loc)}: {_dotted(loc)}: {message}")

    for section in ("django", "drivers", "servers"):
        seen: set[str] = set()
        for index, entry in enumerate(getattr(parsed, section)):
            if entry.id in seen:
                raise fail((section, index, "id"), f"duplicate id {entry.id!r}; ids must be unique")
            seen.add(entry.id)

    resolved = _resolve_variants(parsed.drivers, fail)
    for index, driver in enumerate(resolved):
        assert driver.vendors is not None and driver.module is not None
        for v_index, vendor in enumerate(driver.vendors):
            if vendor not in VENDORS:
                raise fail(
                    ("drivers", index, "vendors", v_index),
                    f"unknown vendor {vendor!r}; known vendors: {', '.join(VENDORS)}",
                )
    for index, driver in enumerate(resolved):
        assert driver.module is not None
        if driver.replaces is not None:
            if driver.module == driver.replaces or driver.module.startswith(driver.replaces + "."):
                raise fail(
                    ("drivers", index, "replaces"),
                    f"{driver.module!r} cannot stand in for {driver.replaces!r}; 'replaces' names the module "
                    f"Django imports (e.g. 'sqlite3'), 'module' the library put in its place",
                )
            if driver.requirement is None:
                raise fail(
                    ("drivers", index, "replaces"),
                    f"a driver that replaces {driver.replaces!r} needs 'requirement': the library to install",
                )
        if driver.only_binary and driver.distribution is None:
            raise fail(
                ("drivers", index, "only_binary"),
                "needs 'distribution': the distribution to install from a wheel only",
            )
    # A server id's parts must not read as a driver or a Django version in a cell's name (server-driver-django),
    # nor a driver id's as a server or a Django version: then one server and one driver make up each name.
    other_ids = {d.id: "driver" for d in parsed.drivers} | {d.id: "Django version" for d in parsed.django}
    driver_parts = {part: d.id for d in parsed.drivers for part in d.id.split("-")}
    server_parts = {part: s.id for s in parsed.servers for part in s.id.split("-")}
    for index, server in enumerate(parsed.servers):
        for part in server.id.split("-") if "-" in server.id else ():
            if part in other_ids:
                raise fail(
                    ("servers", index, "id"),
                    f"{server.id!r} has the part {part!r}, which is a {other_ids[part]} id: its cells' names "
                    "could not be read; choose another word, e.g. 'postgres15-pgbouncer-tx'",
                )
            if part in driver_parts:
                raise fail(
                    ("servers", index, "id"),
                    f"{server.id!r} has the part {part!r}, which is part of the driver id {driver_parts[part]!r}: "
                    "its cells' names could not be read; choose another word",
                )
        if server.pooler is not None and server.vendor not in POOLER_VENDORS[server.pooler.name]:
            raise fail(
                ("servers", index, "pooler"),
                f"{server.pooler.name} pools {', '.join(POOLER_VENDORS[server.pooler.name])} connections only, "
                f"not {server.vendor}; remove 'pooler' or use a {POOLER_VENDORS[server.pooler.name][0]} server",
            )
        if server.pooler is not None:
            _check_in_front_of(parsed.servers, index, fail)
    django_ids = {d.id for d in parsed.django}
    for index, entry in enumerate(parsed.drivers):
        for part in entry.id.split("-") if "-" in entry.id else ():
            if part in django_ids:
                raise fail(
                    ("drivers", index, "id"),
                    f"{entry.id!r} has the part {part!r}, which is a Django version id: its cells' names could "
                    "not be read; choose another word, e.g. 'psycopg-pool'",
                )
            if part in server_parts:
                raise fail(
                    ("drivers", index, "id"),
                    f"{entry.id!r} has the part {part!r}, which is part of the server id {server_parts[part]!r}: "
                    "its cells' names could not be read; choose another word, e.g. 'psycopg-pool'",
                )
    for index, driver in enumerate(resolved):
        for s_index, glob in enumerate(driver.servers or ()):
            if not any(fnmatch.fnmatchcase(server.id, glob) for server in parsed.servers):
                raise fail(
                    ("drivers", index, "servers", s_index),
                    f"{glob!r} matches no server of the matrix; name server ids, or globs such as 'postgres1*'",
                )
            if not any(
                fnmatch.fnmatchcase(server.id, glob) and server.vendor in (driver.vendors or ())
                for server in parsed.servers
            ):
                raise fail(
                    ("drivers", index, "servers", s_index),
                    f"{glob!r} matches no server of the driver's vendors ({', '.join(driver.vendors or ())})",
                )
    for index, server in enumerate(parsed.servers):
        if not any(server.vendor in (d.vendors or ()) for d in resolved):
            raise fail(
                ("servers", index, "vendor"),
                f"no driver talks to {server.vendor!r}; add a driver listing it under 'vendors'",
            )
        backend = backend_for(server.vendor)
        if server.pooler is not None:
            if server.image is not None:
                raise fail(
                    ("servers", index, "image"),
                    "a server reached through a pooler has no image of its own: its server is the one "
                    "'pooler.in_front_of' names, and the pooler's image is 'pooler.image'; remove 'image'",
                )
            if server.version is None:
                raise fail(("servers", index), f"a {server.vendor} server needs 'version', e.g. '15'")
        elif backend.in_process:
            if server.image is not None:
                raise fail(("servers", index, "image"), f"{backend.display_name} runs in-process; remove 'image'")
        else:
            if server.image is None:
                raise fail(("servers", index), f"a {server.vendor} server needs 'image' (a container image)")
            if server.version is None:
                raise fail(("servers", index), f"a {server.vendor} server needs 'version', e.g. '8.0'")

    django = tuple(
        DjangoRelease(
            id=d.id,
            version=parse_version(d.version),
            python=d.python,
            requirement=d.requirement or f"Django~={d.version}.0",
            supports=tuple(d.supports),
            source=d.source,
        )
        for d in parsed.django
    )
    drivers = tuple(_driver(d) for d in resolved)
    servers = tuple(
        Server(
            id=s.id,
            vendor=s.vendor,
            version=parse_version(s.version) if s.version is not None else None,
            image=s.image,
            start_timeout=s.start_timeout,
        )
        for s in parsed.servers
    )
    # A pooler's server is the matrix's own entry: its cells and the pooler's share one container.
    by_id = {server.id: server for server in servers}
    servers = tuple(
        replace(server, pooler=_pooler(entry.pooler, by_id)) if entry.pooler is not None else server
        for server, entry in zip(servers, parsed.servers, strict=True)
    )
    return Matrix(path=path, django=django, drivers=drivers, servers=servers)


# What a driver entry must have, itself or from the driver it is a variant of.
_DRIVER_REQUIRED = ("engine", "module", "vendors")


def _resolve_variants(
    entries: list[_DriverEntry], fail: Callable[[tuple[str | int, ...], str], MatrixError]
) -> list[_DriverEntry]:
    """Every driver entry whole: a ``variant_of`` another takes each key it leaves out from that one.

    Its ``options`` and ``settings`` are the base's with its own added, so a variant says only what it
    changes. A base is an entry that is no variant itself: one level, so a chain never has to be followed.
    """
    by_id = {entry.id: entry for entry in entries}
    resolved = []
    for index, entry in enumerate(entries):
        if entry.variant_of is not None:
            base = by_id.get(entry.variant_of)
            where = ("drivers", index, "variant_of")
            if base is None:
                raise fail(where, f"no driver {entry.variant_of!r} in the matrix; name the id of the driver it varies")
            if base is entry:
                raise fail(where, f"{entry.id!r} cannot be a variant of itself; name the driver it varies")
            if base.variant_of is not None:
                raise fail(
                    where,
                    f"{base.id!r} is itself a variant of {base.variant_of!r}; name {base.variant_of!r} instead",
                )
            # id and name are every entry's own (both are required).
            inherited = {key: value for key, value in base if key not in entry.model_fields_set}
            for merged in ("options", "settings"):
                if getattr(base, merged) and getattr(entry, merged) is not None:
                    inherited[merged] = {**getattr(base, merged), **getattr(entry, merged)}
            entry = entry.model_copy(update={**inherited, "variant_of": entry.variant_of})
        for key in _DRIVER_REQUIRED:
            if getattr(entry, key) is None:
                raise fail(
                    ("drivers", index, key),
                    "missing; this key is required (or name the driver this one is a variant of in 'variant_of')",
                )
        resolved.append(entry)
    return resolved


def _driver(entry: _DriverEntry) -> Driver:
    assert entry.engine is not None and entry.module is not None and entry.vendors is not None
    package = entry.backend
    return Driver(
        id=entry.id,
        name=entry.name,
        engine=entry.engine,
        module=entry.module,
        distribution=entry.distribution,
        requirement=entry.requirement,
        vendors=tuple(entry.vendors),
        replaces=entry.replaces,
        only_binary=bool(entry.only_binary),
        options=dict(entry.options or {}),
        settings=dict(entry.settings or {}),
        installed_apps=tuple(entry.installed_apps or ()),
        backend=BackendPackage(package.distribution, package.requirement, package.django) if package else None,
        variant_of=entry.variant_of,
        servers=tuple(entry.servers or ()),
    )


def _pooler(entry: _PoolerEntry, servers: dict[str, Server]) -> Pooler:
    behind = servers[entry.in_front_of] if entry.in_front_of is not None else None
    return Pooler(entry.name, entry.mode, image=entry.image, in_front_of=behind)


def _check_in_front_of(
    entries: list[_ServerEntry], index: int, fail: Callable[[tuple[str | int, ...], str], MatrixError]
) -> None:
    """A pooler's ``in_front_of``: a matrix server reached directly, of the pooler server's vendor and version."""
    server = entries[index]
    assert server.pooler is not None
    name = server.pooler.in_front_of
    if name is None:
        return
    where = ("servers", index, "pooler", "in_front_of")
    behind = next((entry for entry in entries if entry.id == name), None)
    if behind is None:
        raise fail(where, f"no server {name!r} in the matrix; name the id of the server the pooler is in front of")
    if behind.pooler is not None:
        raise fail(where, f"{name!r} is itself reached through a pooler; name a server reached directly")
    if (behind.vendor, behind.version) != (server.vendor, server.version):
        raise fail(
            where,
            f"{name!r} is {behind.vendor} {behind.version}, but this server is {server.vendor} {server.version}; "
            "make them the same",
        )


def _reject_duplicate_keys(node: yaml.Node, where: str, visited: set[int] | None = None) -> None:
    # Aliases make the node graph shared (or cyclic): visit each node once.
    visited = set() if visited is None else visited
    if id(node) in visited:
        return
    visited.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise MatrixError(f"{where}:{key.start_mark.line + 1}: keys must be plain names, not lists or maps")
            if key.value in seen:
                raise MatrixError(f"{where}:{key.start_mark.line + 1}: key {key.value!r} appears twice")
            seen.add(key.value)
            _reject_duplicate_keys(value, where, visited)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _reject_duplicate_keys(item, where, visited)


_ALLOWED = {
    "": "django, drivers, servers",
    "django": "id, version, python, requirement, supports, source",
    "drivers": (
        "id, name, engine, module, distribution, requirement, vendors, replaces, only_binary, options, settings, "
        "installed_apps, backend, variant_of, servers"
    ),
    "backend": "distribution, requirement, django",
    "servers": "id, vendor, version, image, start_timeout, pooler",
    "pooler": "name, mode, in_front_of, image",
}


def _describe(error: Any, root: yaml.Node, where: str) -> str:
    """One line for pydantic's first complaint, in the file's own terms."""
    loc = tuple(error["loc"])
    kind = error["type"]
    line = _line_of(root, loc)
    section = str(loc[0]) if len(loc) > 1 else ""
    if "pooler" in loc[:-1] or (loc[-1:] == ("pooler",) and kind == "model_type"):
        section = "pooler"
    if section == "drivers" and ("backend" in loc[:-1] or (loc[-1:] == ("backend",) and kind == "model_type")):
        section = "backend"
    if kind == "extra_forbidden":
        message = f"unknown key; allowed here: {_ALLOWED.get(section, '')}"
    elif kind == "missing":
        message = "missing; this key is required"
    elif kind == "string_type":
        message = "must be a string"
        if isinstance(error.get("input"), int | float):  # YAML read a version as a number
            message += "; quote versions, e.g. '8.0' rather than 8.0"
    elif kind == "bool_type":
        message = "must be true or false"
    elif kind in ("list_type", "too_short"):
        message = "must be a non-empty list"
    elif kind == "dict_type":
        message = "must be a mapping of names to values, e.g. {pool: true}"
    elif kind == "model_type":
        message = f"must be a mapping with the keys {_ALLOWED.get(section, '')}"
    elif kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length", ID_MAX_LENGTH)
        message = (
            f"{len(error['input'])} characters is too long; ids are at most {limit} characters "
            "(they make up cell ids, tox env names and file names), e.g. 'mariadb1011'"
        )
    elif kind == "string_pattern_mismatch":
        message = "ids are lower-case letters and digits, starting with a letter, e.g. 'mariadb1011'"
        if section == "servers":
            message += " (a server's may join such words with '-', e.g. 'postgres15-pgbouncer-tx')"
        elif section == "drivers":
            message += " (a driver's may join such words with '-', e.g. 'psycopg-pool')"
    elif kind == "literal_error":
        message = f"{error['input']!r} is not allowed; write one of {error.get('ctx', {}).get('expected', '')}"
    elif kind == "value_error":
        cause = error.get("ctx", {}).get("error")
        message = str(cause) if isinstance(cause, SpecError | ValueError) else error["msg"]
    else:
        message = str(error["msg"])
    return f"{where}:{line}: {_dotted(loc) or 'top level'}: {message}"


def _dotted(loc: tuple[str | int, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(root: yaml.Node, loc: tuple[str | int, ...]) -> int:
    """The 1-based line of the deepest node of ``loc`` that exists in the file."""
    node = root
    line = root.start_mark.line
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    line = key.start_mark.line
                    node = value
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line
        else:
            break
    return line + 1
