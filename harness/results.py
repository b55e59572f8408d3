"""What a cell run produces: one JSON file per cell, written atomically.

The dataclasses here are the whole schema; ``SCHEMA_VERSION`` changes when a
field changes meaning. Secrets are removed when a result is written, so nothing
that reaches disk carries a password.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from harness.errors import DbcompatError

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
    UNSUPPORTED = "unsupported by Django"
    UNAVAILABLE = "server unavailable"
    HARNESS_ERROR = "harness error"


@dataclass(frozen=True)
class CheckResult:
    id: str
    behaviour: str
    outcome: Outcome
    observed: JSONValue = None
    expected: JSONValue = None
    claim: str | None = None
    source: str | None = None
    flags: dict[str, JSONValue] = field(default_factory=dict)
    setup: dict[str, JSONValue] = field(default_factory=dict)
    sql: list[str] = field(default_factory=list)
    duration: float = 0.0
    reason: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class ServerInfo:
    id: str
    vendor: str
    matrix_version: str | None
    provider: str  # "container", "url" or "in-process"
    origin: str  # where it came from, e.g. "DBCOMPAT_URL_POSTGRES15=postgres://postgres@127.0.0.1:5432/test"
    version_reported: str | None = None
    version_mismatch: str | None = None
    settings: dict[str, str | None] = field(default_factory=dict)  # what changes behaviour, as the server said


@dataclass(frozen=True)
class DriverInfo:
    id: str
    name: str
    module: str
    version: str | None = None


@dataclass(frozen=True)
class CellResult:
    cell: str
    status: CellStatus
    server: ServerInfo
    driver: DriverInfo
    django_version: str | None
    python_version: str
    harness_version: str
    started_at: str
    finished_at: str
    duration: float
    reason: str | None = None
    checks: list[CheckResult] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for check in self.checks:
            counts[check.outcome.value] = counts.get(check.outcome.value, 0) + 1
        return counts


class ResultError(DbcompatError):
    """A results file cannot be read as a result."""


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _redacted(value: Any, secrets: list[str]) -> Any:
    """Every string in a JSON value with the secrets replaced (keys and structure untouched)."""
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, list):
        return [_redacted(v, secrets) for v in value]
    if isinstance(value, dict):
        return {k: _redacted(v, secrets) for k, v in value.items()}
    return value


def write_result(directory: Path, result: CellResult, secrets: Iterable[str] = ()) -> Path:
    """Write ``<directory>/<cell>.json`` atomically: readers see the old file or the new one."""
    directory.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_redacted(asdict(result), list(secrets)), indent=2, ensure_ascii=False, default=str) + "\n"
    target = directory / f"{result.cell}.json"
    handle, temporary = tempfile.mkstemp(prefix=f".{result.cell}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def load_result(path: Path) -> CellResult:
    """Read a results file; raise :class:`ResultError` naming the file if it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ResultError(f"{path}: not a readable results file ({exc})") from None
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        found = data.get("schema_version") if isinstance(data, dict) else None
        raise ResultError(
            f"{path}: results schema version {found!r}, this dbcompat reads {SCHEMA_VERSION}; "
            "run the cell again with this version"
        )
    try:
        return CellResult(
            **{
                **data,
                "status": CellStatus(data["status"]),
                "server": ServerInfo(**data["server"]),
                "driver": DriverInfo(**data["driver"]),
                "checks": [CheckResult(**{**check, "outcome": Outcome(check["outcome"])}) for check in data["checks"]],
            }
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ResultError(f"{path}: malformed results file ({exc})") from None


def load_results(paths: Iterable[Path]) -> list[CellResult]:
    """Every results file under the given files and folders, sorted by cell id."""
    results: list[CellResult] = []
    for path in paths:
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        results.extend(load_result(file) for file in files)
    return sorted(results, key=lambda r: r.cell)
