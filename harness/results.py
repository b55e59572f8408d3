"""What a cell run produces: one JSON file per cell, written atomically.

The dataclasses here are the whole schema; ``SCHEMA_VERSION`` changes when a
field changes meaning. Secrets are removed when a result is written, so nothing
that reaches disk carries a password.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from harness.errors import DbcompatError

if TYPE_CHECKING:
    from pydantic import TypeAdapter
from harness.redaction import redact, redacted

SCHEMA_VERSION = 1

JSONValue = Any  # str, int, float, bool, None, list and dict of those


class Outcome(StrEnum):
    """What a check found in one cell."""

    AS_DOCUMENTED = "as documented"
    DIFFERS = "differs from docs"
    NO_CLAIM = "no claim"
    NOT_APPLICABLE = "not applicable"
    UNSUPPORTED = "unsupported by Django"
    UNAVAILABLE = "server unavailable"
    HARNESS_ERROR = "harness error"


class CellStatus(StrEnum):
    """How a cell's run ended as a whole."""

    RAN = "ran"
    NOT_APPLICABLE = "not applicable"
    UNSUPPORTED = "unsupported by Django"
    UNAVAILABLE = "server unavailable"
    HARNESS_ERROR = "harness error"


# The outcome every check of a cell gets when the cell itself did not run.
STATUS_OUTCOME = {
    CellStatus.NOT_APPLICABLE: Outcome.NOT_APPLICABLE,
    CellStatus.UNSUPPORTED: Outcome.UNSUPPORTED,
    CellStatus.UNAVAILABLE: Outcome.UNAVAILABLE,
    CellStatus.HARNESS_ERROR: Outcome.HARNESS_ERROR,
}

# Field docstrings below become the descriptions in the shipped JSON Schema (:func:`described`); reading them is
# reading the module's source, which a cell writing its results has no use for.
# A results file with a key these do not know is refused, not silently read in part.
_DOCUMENTED: Any = {"use_attribute_docstrings": False, "extra": "forbid"}


@contextlib.contextmanager
def described() -> Iterator[None]:
    """While it lasts, a new adapter of the result dataclasses reads their field docstrings (for the JSON Schema)."""
    _DOCUMENTED["use_attribute_docstrings"] = True
    try:
        yield
    finally:
        _DOCUMENTED["use_attribute_docstrings"] = False


@dataclass(frozen=True)
class ObservedError:
    """An error that is (part of) a check's observation, or that ended its setup: what the server said."""

    __pydantic_config__: ClassVar[Any] = _DOCUMENTED

    exception: str
    """The full class name of the exception Django raised (as in ``observed``)."""
    message: str
    """Its message, secrets masked."""
    driver_exception: str | None = None
    """The driver's own exception class that Django's wraps, when it wraps one."""
    code: str | None = None
    """The server's error code: MySQL errno, Oracle's ORA- code, SQLite's extended result code name."""
    sqlstate: str | None = None
    """The SQLSTATE, where the driver gives one."""


@dataclass(frozen=True)
class CheckResult:
    """One check's record in one cell."""

    __pydantic_config__: ClassVar[Any] = _DOCUMENTED

    id: str
    """The stable check id, e.g. ``collation.exact_ignores_case``."""
    behaviour: str
    """The behaviour the check belongs to (the id's first part)."""
    outcome: Outcome
    """How the observation compares with the documented claim."""
    observed: JSONValue = None
    """What the server and driver did: a value, a count, rows, or an exception's full class name."""
    expected: JSONValue = None
    """What the docs claim for this cell; a class expectation is written as {"instance of": ...}."""
    claim: str | None = None
    """The documented claim, paraphrased."""
    source: str | None = None
    """Where the claim comes from: Django docs version, page and section."""
    source_url: str | None = None
    """A link to that page of the Django docs."""
    flags: dict[str, JSONValue] = field(default_factory=dict)
    """Django feature flags next to the observation: {name: {"value": ..., "agrees": true/false/null}}."""
    setup: dict[str, JSONValue] = field(default_factory=dict)
    """How the check was set up (a collation, a session time zone), to reproduce it by hand."""
    sql: list[str] = field(default_factory=list)
    """Every statement the check ran, with its parameters."""
    duration: float = 0.0
    """Seconds the check took."""
    reason: str | None = None
    """Why the check could not run here (not applicable, unavailable, unsupported)."""
    error: str | None = None
    """The error text of a harness error."""
    failed_step: str | None = None
    """The setup step whose failure ended the check (a harness error), by the name the check gave it."""
    errors: list[ObservedError] = field(default_factory=list)
    """Every error the observation records, in the order the check met them, with the server's code and message;
    for a setup step that failed, that step's error."""
    applies_by: str | None = None
    """How the claim applies to this cell when the docs make it by reference (the MariaDB notes send readers to
    the MySQL notes; Connector/Python's backend replaces Django's MySQL backend)."""
    explanation: str | None = None
    """For a finding: what the server or driver does instead, and why."""
    explanation_source: str | None = None
    """The server's or driver's own documentation the explanation comes from."""
    explanation_url: str | None = None
    """A link to that documentation."""


@dataclass(frozen=True)
class DjangoView:
    """How the cell's Django backend sees its server, read from the backend itself."""

    __pydantic_config__: ClassVar[Any] = _DOCUMENTED

    display_name: str | None = None
    """The backend's ``display_name`` (MySQL's says "MariaDB" when it detected MariaDB)."""
    vendor: str | None = None
    """The backend's ``vendor``."""
    is_mariadb: bool | None = None
    """The MySQL backends' ``mysql_is_mariadb``; null for other backends."""
    version: list[int] | None = None
    """The version tuple the backend parsed (``get_database_version()``)."""
    unreadable: str | None = None
    """Why part of the view could not be read (a third-party backend may lack an attribute)."""
    mismatch: str | None = None
    """Set when Django's view differs from what the server reported: the backend took it for another vendor,
    or parsed another version."""


@dataclass(frozen=True)
class PoolerInfo:
    """The connection pooler a cell reached its server through, and its settings as the pooler reported them."""

    __pydantic_config__: ClassVar[Any] = _DOCUMENTED

    name: str
    """The pooler, e.g. ``pgbouncer``."""
    mode: str
    """The pool mode the matrix names: transaction, session or statement."""
    version: str | None = None
    """The version string the pooler reported (PgBouncer's ``SHOW VERSION``)."""
    pool_mode: str | None = None
    """The pool mode the pooler reported it runs in (``SHOW CONFIG``)."""
    max_prepared_statements: str | None = None
    """How many protocol-level prepared statements it keeps per connection (PgBouncer 1.21+; 0 is none), or
    "(not in PgBouncer <version>)"."""
    server_reset_query: str | None = None
    """What it runs on a server connection before another client gets it."""
    read_from: str | None = None
    """How these were read: the statements, on the pooler's admin console, as which user."""
    image: str | None = None
    """The pooler's container image, when the run started it in a container (the server's is ``server.image``)."""
    unreadable: str | None = None
    """Why the pooler's settings could not be read, if they could not."""
    mismatch: str | None = None
    """Set when the pooler runs in another pool mode than the matrix names."""


@dataclass(frozen=True)
class ServerInfo:
    """The server a cell ran against."""

    __pydantic_config__: ClassVar[Any] = _DOCUMENTED

    id: str
    """The server's id in the matrix, e.g. ``mariadb1011``."""
    vendor: str
    """sqlite, postgresql, mysql, mariadb or oracle."""
    matrix_version: str | None
    """The release the matrix names."""
    provider: str
    """How the server was provided: container, url or in-process."""
    origin: str
    """Where it came from (an image, or the URL variable and URL with the password masked)."""
    image: str | None = None
    """The container image it ran on, for a server started in a container."""
    version_reported: str | None = None
    """The version string the server itself reported."""
    version_mismatch: str | None = None
    """Set when the server is not the release or vendor the matrix names."""
    settings: dict[str, str | None] = field(default_factory=dict)
    """Server settings that change behaviour (sql_mode, collations, time zone, ...), as the server said."""
    django_view: DjangoView | None = None
    """How Django's backend sees the server, for a cell that connected."""
    pooler: PoolerInfo | None = None
    """The connection pooler (PgBouncer) the cell reached the server through; null for a direct connection."""


@dataclass(frozen=True)
class BackendInfo:
    """A Django backend that is not one of Django's own (a third-party package's, or a driver's own)."""

    __pydantic_config__: ClassVar[Any] = _DOCUMENTED

    distribution: str | None = None
    """The distribution the ENGINE comes from, e.g. ``django-prometheus``."""
    version: str | None = None
    """Its installed version."""
    wraps: str | None = None
    """The Django backend it builds on, read from its classes: the ENGINE of Django's own whose DatabaseWrapper its
    DatabaseWrapper subclasses (``django.db.backends.postgresql`` for django-prometheus' PostgreSQL backend); null
    for a backend built on Django's base classes alone. The cells of that backend are the ones to contrast it with."""
    installed_apps: list[str] = field(default_factory=list)
    """The apps the backend needs, which the cell added to INSTALLED_APPS."""


@dataclass(frozen=True)
class SuiteInfo:
    """A user's suite that ran beside (or instead of) the built-in ones: its checks' ids start ``<name>:``."""

    __pydantic_config__: ClassVar[Any] = _DOCUMENTED

    name: str
    """The suite's package name, its checks' namespace."""
    path: str
    """The suite's folder on the machine that ran it."""
    behaviours: dict[str, str] = field(default_factory=dict)
    """The titles of its behaviours, by namespaced key (``shop_checks:orders``)."""


@dataclass(frozen=True)
class DriverInfo:
    """The DB-API driver a cell used, and how its DATABASES entry was configured."""

    __pydantic_config__: ClassVar[Any] = _DOCUMENTED

    id: str
    """The driver's id in the matrix."""
    name: str
    """Its name."""
    module: str
    """The module Django imported for it."""
    version: str | None = None
    """Its installed version."""
    engine: str | None = None
    """The ENGINE of the cell's DATABASES entry."""
    options: dict[str, JSONValue] = field(default_factory=dict)
    """What the matrix's driver entry put in DATABASES["OPTIONS"], the configuration the cell ran with (e.g.
    ``{"pool": true}``); empty for none. The connect and read timeouts every cell sets are not listed."""
    settings: dict[str, JSONValue] = field(default_factory=dict)
    """Other keys the driver entry put in the DATABASES entry (django-db-connection-pool's POOL_OPTIONS)."""
    variant_of: str | None = None
    """The matrix driver this one is a variant of (``psycopg`` for ``psycopg-pool``): the same driver without the
    options, whose cells show what the options change."""
    backend: BackendInfo | None = None
    """For an ENGINE that is not one of Django's own: its package and the Django backend it wraps."""


@dataclass(frozen=True)
class CellResult:
    """One cell's run: a server, a driver and a Django version."""

    __pydantic_config__: ClassVar[Any] = _DOCUMENTED

    cell: str
    """The cell id: server-driver-django, e.g. ``postgres15-psycopg-django52``."""
    status: CellStatus
    """How the run ended as a whole."""
    server: ServerInfo
    driver: DriverInfo
    django_version: str | None
    """The Django version installed in the cell's environment."""
    python_version: str
    """The Python version of the cell's environment."""
    harness_version: str
    """The dbcompat version that ran the cell."""
    started_at: str
    """When the cell started (ISO 8601, UTC)."""
    finished_at: str
    """When it finished (ISO 8601, UTC)."""
    duration: float
    """Seconds, from start to finish."""
    reason: str | None = None
    """Why the cell did not run its checks, if it did not."""
    database: str | None = None
    """The throwaway database the checks ran in (dropped afterwards); under pytest-xdist each worker had its own."""
    django_release: str | None = None
    """The Django release the matrix names for the cell (e.g. 5.2): the docs its claims come from."""
    checks: list[CheckResult] = field(default_factory=list)
    """Every check's record."""
    suites: list[SuiteInfo] = field(default_factory=list)
    """A user's suites the cell ran; their checks' ids are namespaced by the suite's name."""
    builtin: bool = True
    """Whether the built-in suites ran (``dbcompat run --no-builtin`` runs a user's suites alone)."""
    schema_version: int = SCHEMA_VERSION
    """The version of this format; it changes when a field changes meaning."""

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for check in self.checks:
            counts[check.outcome.value] = counts.get(check.outcome.value, 0) + 1
        return counts


class ResultError(DbcompatError):
    """A results file cannot be read as a result."""


def mask_secrets(result: CellResult, secrets: Iterable[str]) -> CellResult:
    """The result with secrets removed from its free text: reasons, errors, SQL, setup and origin.

    Ids, versions and observed or expected values are facts, never masked; in the free text a
    short password that happens to be a word ("id", "postgres") is masked only where it stands
    as a credential (see :func:`redact`), so it rewrites no identifier nor what a server did.
    """
    hidden = [s for s in secrets if s]
    if not hidden:
        return result

    def text(value: str | None) -> str | None:
        return None if value is None else redact(value, hidden)

    return replace(
        result,
        reason=text(result.reason),
        server=replace(result.server, origin=redact(result.server.origin, hidden)),
        checks=[
            replace(
                check,
                reason=text(check.reason),
                error=text(check.error),
                errors=[replace(e, message=redact(e.message, hidden)) for e in check.errors],
                sql=[redact(statement, hidden) for statement in check.sql],
                setup=redacted(check.setup, hidden),
            )
            for check in result.checks
        ],
    )


class FolderInUse(DbcompatError):
    """Another dbcompat run writes into the same folder."""


@contextlib.contextmanager
def folder_lock(directory: Path, option: str) -> Iterator[None]:
    """Hold ``directory`` for this run: a second run given the same folder says so and exits 2.

    Two runs writing one results folder would delete each other's cell files, and the last one to
    finish would replace the report with its own subset. The lock is an flock, so a run that is
    killed lets go of it with its last breath.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / ".dbcompat.lock"
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise FolderInUse(
                f"{option} {directory}: another dbcompat run ({holder}) is writing there; wait for it to "
                f"finish, or give {option} another folder"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_result(directory: Path, result: CellResult, secrets: Iterable[str] = ()) -> Path:
    """Write ``<directory>/<cell>.json`` atomically: readers see the old file or the new one."""
    directory.mkdir(parents=True, exist_ok=True)
    text = json.dumps(as_json(mask_secrets(result, secrets)), indent=2, ensure_ascii=False, default=str) + "\n"
    return write_atomically(directory / f"{result.cell}.json", text)


class DiskFull(DbcompatError):
    """A file could not be written for want of space; what was written before is kept."""


def write_atomically(path: Path, text: str, mode: int = 0o644) -> Path:
    """Write ``path`` through a temporary file beside it: readers see the old file or the new one.

    The temporary file never stays behind; a full disk (or quota) is one :class:`DiskFull` line.
    """
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull(
                f"{path}: not written, no space left on the device holding {path.parent}; free some space and "
                "run again (what was written before is kept)"
            ) from None
        raise
    return path


def _read_bytes(path: Path) -> bytes:
    """A results file's bytes; :class:`ResultError` for one that is not a regular file or cannot be read."""
    if path.exists() and not path.is_file():
        raise ResultError(f"{path}: not a readable results file (not a regular file; give a results file or a folder)")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ResultError(f"{path}: not a readable results file ({exc})") from None


def _read_json(path: Path, raw: bytes | None = None) -> Any:
    """The JSON in a results file; :class:`ResultError` for one that is not a regular file or not JSON."""
    if raw is None:
        raw = _read_bytes(path)
    import pydantic_core

    try:
        # pydantic's own parser is faster than json's (a third, for a large merged results.json), and keeps one
        # copy of each short string that repeats (keys, ids, outcomes) instead of one per occurrence.
        return pydantic_core.from_json(raw)
    except ValueError:
        pass  # not JSON: the json module says what is wrong, in the words it always used
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise ResultError(f"{path}: not a results file (its JSON is nested too deeply to read)") from None
    except (OSError, ValueError) as exc:
        raise ResultError(f"{path}: not a readable results file ({exc})") from None


def load_result(path: Path) -> CellResult:
    """Read a results file; raise :class:`ResultError` naming the file if it is not one."""
    raw = _read_bytes(path)
    fast = _file_validator()
    if fast is not None:
        try:
            result: CellResult = fast.validate_json(raw)
        except ValueError:
            pass  # read again below, to say what is wrong as it always has
        else:
            if result.schema_version == SCHEMA_VERSION:
                return result
    return _cell_from_file(_read_json(path, raw), path)


@functools.cache
def _file_validator() -> Any:
    """A validator of a results file's JSON as it is (not parsed into Python first: reading 1000 large results
    takes a third less time), accepting what :func:`_cell_from_file` accepts: the result's own, with the fields
    every written file has and a result built in code may leave out (``checks``, ``schema_version``) required.

    None if the result's schema is not laid out as expected (another pydantic): files are then read the slow way.
    """
    import copy

    from pydantic_core import SchemaValidator

    schema = copy.deepcopy(_cell_adapter().core_schema)
    fields = schema.get("schema", {}).get("fields", []) if schema.get("type") == "dataclass" else []
    required = [f for f in fields if f.get("name") in ("checks", "schema_version")]
    if len(required) != 2 or any(f.get("schema", {}).get("type") != "default" for f in required):
        return None
    for found in required:
        found["schema"] = found["schema"]["schema"]
        if found["name"] == "schema_version":  # "1" is not 1: the version is compared as it is written
            found["schema"]["strict"] = True
    return SchemaValidator(schema)


def _cell_from_file(data: Any, path: Path) -> CellResult:
    _check_version(data, path, "; run the cell again with this version")
    return _cell_from_json(data, path)


def _check_version(data: Any, path: Path, advice: str = "") -> None:
    found = data.get("schema_version") if isinstance(data, dict) else None
    if found != SCHEMA_VERSION:
        raise ResultError(f"{path}: results schema version {found!r}, this dbcompat reads {SCHEMA_VERSION}{advice}")


def as_json(result: CellResult) -> dict[str, Any]:
    """The result as JSON values, as the results files hold it (several times faster than dataclasses.asdict)."""
    data: dict[str, Any] = _cell_adapter().dump_python(result, mode="json")
    return data


def as_json_bytes(result: CellResult) -> bytes:
    """The result as UTF-8 JSON text, compact."""
    data: bytes = _cell_adapter().dump_json(result)
    return data


def check_as_json(check: CheckResult) -> dict[str, Any]:
    """One check's record as plain JSON values (how it travels from an xdist worker to the controller)."""
    data: dict[str, Any] = _check_adapter().dump_python(check, mode="json")
    return data


def check_from_json(data: dict[str, Any]) -> CheckResult:
    """The check's record back from :func:`check_as_json`, nested values and all."""
    return _check_adapter().validate_python(data)


@functools.cache
def _check_adapter() -> TypeAdapter[CheckResult]:
    from pydantic import TypeAdapter

    return TypeAdapter(CheckResult)


@functools.cache
def _cell_adapter() -> TypeAdapter[CellResult]:
    """The validator of a cell's result, built once: building it costs far more than using it."""
    from pydantic import TypeAdapter

    return TypeAdapter(CellResult)


def _cell_from_json(data: dict[str, Any], path: Path) -> CellResult:
    """The result ``data`` describes, validated against the result dataclasses (the shipped schema's source)."""
    from pydantic import ValidationError

    if "checks" not in data:  # it has a default for building results, but every written one has it
        raise ResultError(f"{path}: malformed results file (checks: Field required)")
    try:
        return _cell_adapter().validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the top level"
        raise ResultError(f"{path}: malformed results file ({where}: {first['msg']})") from None


def load_results(paths: Iterable[Path]) -> list[CellResult]:
    """Every result in the given files and folders, sorted by cell id.

    A file is one cell's result or a merged ``results.json``; a folder holds cell results.
    """
    results: list[CellResult] = []
    for path in paths:
        if path.is_dir():
            results.extend(load_result(file) for file in sorted(path.glob("*.json")))
            continue
        data = _read_json(path)
        if isinstance(data, dict) and "cells" in data:
            results.extend(_cells_from_merged(data, path))
        else:
            results.append(_cell_from_file(data, path))
    return sorted(results, key=lambda r: r.cell)


def iter_results(paths: Iterable[Path]) -> Iterator[CellResult]:
    """Every result in the given files and folders, read one at a time (a large matrix need not fit in memory).

    As :func:`load_results`, but in the order found (a folder's files by name), not sorted by cell id.
    """
    for path in paths:
        if path.is_dir():
            for file in sorted(path.glob("*.json")):
                yield load_result(file)
        else:
            yield from load_results([path])


def merged_document(results: Iterable[CellResult], generated_at: str, partial: str | None = None) -> dict[str, Any]:
    """All results in one JSON document (``reports/results.json``), described by the shipped schema."""
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": generated_at,
        "partial": partial,
        "cells": [as_json(result) for result in results],
    }


def _cells_from_merged(data: Any, path: Path) -> list[CellResult]:
    _check_version(data, path)
    cells = data.get("cells")
    if not isinstance(cells, list) or not all(isinstance(cell, dict) for cell in cells):
        raise ResultError(f"{path}: malformed results file (cells: a list of cell results is expected)")
    return [_cell_from_json(cell, path) for cell in cells]
