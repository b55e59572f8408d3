"""What a cell's process is given, once: :class:`CellJob`.

The runner provides the server (a URL, a container it started, or SQLite in-process), then
writes one job file per cell and passes its path to the cell's pytest (``--dbcompat-job``).
The file holds the cell, the provided server with its secrets, the throwaway-name token, the
check timeout and where results and progress go; it is written for its owner only. A plain
``pytest suites --dbcompat-cell ID`` builds the same object from the matrix and the
environment (:func:`job_from_environment`), providing the server itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from harness.errors import DbcompatError, UsageError, seconds_from
from harness.matrix import Cell
from harness.servers import ProvidedServer, ServerPool
from harness.servers.throwaway import RUN_TOKEN_VARIABLE, new_token
from harness.user_suites import Suite

# A cell's whole wait for one check: past it the check's statement is cancelled.
DEFAULT_CHECK_TIMEOUT = 60.0
CHECK_TIMEOUT_VARIABLE = "DBCOMPAT_CHECK_TIMEOUT"
# Connecting to a server, a silent one included, gives up after this long.
DEFAULT_CONNECT_TIMEOUT = 10.0
CONNECT_TIMEOUT_VARIABLE = "DBCOMPAT_CONNECT_TIMEOUT"


@dataclass(frozen=True)
class CellJob:
    cell: Cell
    token: str  # names the cell's throwaway databases: dbcompat_<token>_<worker>
    check_timeout: float
    results_dir: Path
    provided: ProvidedServer | None = None
    unavailable: str | None = None  # why there is no server, when there is none
    progress: Path | None = None  # where "done total" goes, for a runner's live display
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    suites: tuple[Suite, ...] = ()  # a user's suites, run beside (or, without builtin, instead of) the built-in ones
    builtin: bool = True

    def write(self, path: Path) -> Path:
        """The job as a file only its owner reads (it holds the server's password)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
            json.dump(self._plain(), out)
        temporary.replace(path)
        return path

    def _plain(self) -> dict[str, Any]:
        provided = None
        if self.provided is not None:
            provided = {**asdict(self.provided), "server": None, "secrets": list(self.provided.secrets)}
        return {
            "cell": json.loads(self.cell.to_json()),
            "token": self.token,
            "check_timeout": self.check_timeout,
            "results_dir": str(self.results_dir),
            "provided": provided,
            "unavailable": self.unavailable,
            "progress": str(self.progress) if self.progress else None,
            "connect_timeout": self.connect_timeout,
            "suites": [suite.to_json() for suite in self.suites],
            "builtin": self.builtin,
        }

    @staticmethod
    def read(path: Path) -> CellJob:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            cell = Cell.from_json(json.dumps(data["cell"]))
            given = data["provided"]
            provided = None
            if given is not None:
                provided = ProvidedServer(**{**given, "server": cell.server, "secrets": tuple(given["secrets"])})
            return CellJob(
                cell=cell,
                token=data["token"],
                check_timeout=float(data["check_timeout"]),
                results_dir=Path(data["results_dir"]),
                provided=provided,
                unavailable=data["unavailable"],
                progress=Path(data["progress"]) if data["progress"] else None,
                connect_timeout=float(data["connect_timeout"]),
                suites=tuple(Suite.from_json(suite) for suite in data["suites"]),
                builtin=bool(data["builtin"]),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{path}: not a cell job dbcompat wrote ({type(exc).__name__}: {exc})") from None


def check_timeout(environ: Mapping[str, str]) -> float:
    raw = environ.get(CHECK_TIMEOUT_VARIABLE)
    return DEFAULT_CHECK_TIMEOUT if raw is None else seconds_from(CHECK_TIMEOUT_VARIABLE, raw, "60")


def connect_timeout(environ: Mapping[str, str]) -> float:
    raw = environ.get(CONNECT_TIMEOUT_VARIABLE)
    return DEFAULT_CONNECT_TIMEOUT if raw is None else seconds_from(CONNECT_TIMEOUT_VARIABLE, raw, "10")


def job_from_environment(
    cell: Cell,
    environ: Mapping[str, str],
    results_dir: Path,
    timeout: float | None = None,
    suites: tuple[Suite, ...] = (),
    builtin: bool = True,
) -> tuple[CellJob, ServerPool]:
    """The job of a plain pytest run: the server provided here (and the pool, to stop it at the end)."""
    pool = ServerPool(environ)
    provided, unavailable = None, None
    try:
        provided = pool.provide(cell.server)
    except DbcompatError as exc:
        unavailable = str(exc)
    job = CellJob(
        cell=cell,
        token=environ.get(RUN_TOKEN_VARIABLE) or new_token(),
        check_timeout=timeout if timeout is not None else check_timeout(environ),
        results_dir=results_dir,
        provided=provided,
        unavailable=unavailable,
        connect_timeout=connect_timeout(environ),
        suites=suites,
        builtin=builtin,
    )
    return job, pool
