"""Per-cell Python environments: one per Django version x driver, built once, reused.

An environment holds the harness itself (editable, from this checkout), one
Django release and one driver (with the third-party backend it is used through, if
any; a variant of a driver, such as ``psycopg-pool``, is an environment of its own).
It is rebuilt only when what it should hold changes (its key). uv builds it when available, else venv and pip.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from harness.errors import EnvironmentBuildError
from harness.matrix import Cell

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_MARKER = ".dbcompat-env.json"
_FORMAT = 2  # how environments are built; a change rebuilds them


@dataclass(frozen=True)
class EnvPlan:
    name: str
    python: str  # "3.12"
    requirements: tuple[str, ...]
    harness_dependencies: tuple[str, ...] = ()
    only_binary: tuple[str, ...] = ()  # distributions installed from wheels only, never built

    @property
    def key(self) -> str:
        """Changes whenever the environment should hold something else, the harness's own needs included."""
        parts: list[object] = [_FORMAT, self.python, sorted(self.requirements), sorted(self.harness_dependencies)]
        if self.only_binary:  # appended only when set, so that every other environment keeps its key
            parts.append(sorted(self.only_binary))
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def plan_env(cell: Cell, root: Path = PROJECT_ROOT) -> EnvPlan:
    # The DB-API driver and, for a third-party ENGINE, the package that ships it (for this Django release).
    requirements = [f"-e {root}", cell.django.requirement, *cell.driver.requirements(cell.django)]
    binary = (cell.driver.distribution,) if cell.driver.only_binary and cell.driver.distribution else ()
    return EnvPlan(
        f"{cell.django.id}-{cell.driver.id}",
        cell.django.python,
        tuple(requirements),
        harness_dependencies(root),
        binary,
    )


@functools.cache
def harness_dependencies(root: Path) -> tuple[str, ...]:
    """What the harness itself needs in every environment (pyproject.toml's dependencies)."""
    import tomllib

    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return ()
    return tuple(project.get("dependencies", ()))


def envs_dir(environ: Mapping[str, str], root: Path = PROJECT_ROOT) -> Path:
    return Path(environ.get("DBCOMPAT_ENVS") or root / ".dbcompat" / "envs")


def find_python(version: str, environ: Mapping[str, str]) -> Path:
    """An interpreter for ``version`` ("3.12"): DBCOMPAT_PYTHON312, PATH, pyenv, or this one."""
    variable = "DBCOMPAT_PYTHON" + version.replace(".", "")
    candidates: list[Path] = []
    if environ.get(variable):
        candidates.append(Path(environ[variable]))
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        candidates.append(Path(sys.executable))
    found = shutil.which(f"python{version}")
    if found:
        candidates.append(Path(found))
    pyenv_root = Path(environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    candidates.extend(sorted(pyenv_root.glob(f"versions/{version}.*/bin/python{version}"), reverse=True))
    for candidate in candidates:
        if _reports_version(candidate, version):
            return candidate
    raise EnvironmentBuildError(
        f"no Python {version} found (needed by the matrix); install it, put python{version} on PATH, "
        f"or set {variable}=/path/to/python{version}"
    )


def _reports_version(python: Path, version: str) -> bool:
    try:
        out = subprocess.run(
            [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0 and out.stdout.strip() == version


def uv_binary() -> str | None:
    try:
        from uv import find_uv_bin

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("uv")


def env_python(directory: Path) -> Path:
    return directory / "bin" / "python"


def ensure_env(plan: EnvPlan, environ: Mapping[str, str], root: Path = PROJECT_ROOT) -> Path:
    """The environment's interpreter, building the environment first if needed."""
    base = envs_dir(environ, root)
    base.mkdir(parents=True, exist_ok=True)
    directory = base / plan.name
    with _locked(base / f"{plan.name}.lock"):
        if _is_current(directory, plan):
            damage = _damage(directory)
            if damage is None:
                return env_python(directory)
            # Said, not silent: a file someone deleted (or a disk that lost it) is rebuilt once.
            print(f"dbcompat: the environment {plan.name} is damaged ({damage}); building it again", file=sys.stderr)
        shutil.rmtree(directory, ignore_errors=True)
        python = find_python(plan.python, environ)
        log = base / f"{plan.name}.log"
        uv = uv_binary()
        if uv:
            steps = [
                [uv, "venv", "--quiet", "--python", str(python), str(directory)],
                # Compiled now, once: a cell's every run would otherwise compile Django again where
                # PYTHONDONTWRITEBYTECODE is set, as it often is in CI.
                [uv, "pip", "install", "--compile-bytecode", "--python", str(env_python(directory)), *_args(plan)],
            ]
        else:
            steps = [
                [str(python), "-m", "venv", str(directory)],
                [str(env_python(directory)), "-m", "pip", "install", "--quiet", *_args(plan)],
            ]
        with log.open("w", encoding="utf-8") as stream:
            for step in steps:
                stream.write("$ " + " ".join(step) + "\n")
                stream.flush()
                returncode = _run_step(step, stream)
                if returncode != 0:
                    shutil.rmtree(directory, ignore_errors=True)
                    raise EnvironmentBuildError(
                        f"building the environment {plan.name} failed (exit {returncode}); see {log}: {_tail(log)}"
                    )
        (directory / _MARKER).write_text(json.dumps({"key": plan.key, "requirements": plan.requirements}))
        return env_python(directory)


# The installers running now, each in a process group of its own, so that stopping a run ends them
# (and whatever they started) at once instead of waiting on an index that does not answer.
_BUILDS: set[subprocess.Popen[bytes]] = set()
_BUILDS_LOCK = threading.Lock()


def _run_step(step: list[str], stream: IO[str]) -> int:
    child = subprocess.Popen(step, stdout=stream, stderr=subprocess.STDOUT, env={**os.environ}, start_new_session=True)
    with _BUILDS_LOCK:
        _BUILDS.add(child)
    try:
        return child.wait()
    finally:
        with _BUILDS_LOCK:
            _BUILDS.discard(child)


def stop_builds(grace: float = 3.0) -> None:
    """End every environment build of this process: SIGTERM to each installer's group, SIGKILL after ``grace``."""
    with _BUILDS_LOCK:
        running = list(_BUILDS)
    for child in running:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
    for child in running:
        try:
            child.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)


def _args(plan: EnvPlan) -> list[str]:
    """The installer's arguments: the editable harness, then ``--``, then the requirements.

    After ``--`` uv and pip take every argument as a requirement, never as an option: a
    requirement cannot point them at another index or a requirements file.
    """
    editable: list[str] = []
    requirements: list[str] = []
    for requirement in plan.requirements:
        if requirement.startswith("-e "):
            editable.extend(requirement.split(" ", 1))
        else:
            requirements.append(requirement)
    # Where no wheel fits the platform the build fails and says so: built from source, a library that
    # bundles SQLite in its wheel would link the system's instead.
    binary = [item for name in plan.only_binary for item in ("--only-binary", name)]
    return [*binary, *editable, "--", *requirements]


def _damage(directory: Path) -> str | None:
    """What is missing from an environment that was built whole: a file an installed distribution's RECORD
    lists. Stat-ing them costs some milliseconds, far less than a cell that fails on an ImportError."""
    for record in sorted(directory.glob("lib/python*/site-packages/*.dist-info/RECORD")):
        site = record.parent.parent
        try:
            lines = record.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            return f"{record.relative_to(directory)} unreadable: {exc.strerror or exc}"
        for line in lines:
            name = line.rsplit(",", 2)[0]
            if name and not (site / name).exists():
                return f"{name} is missing"
    if not any(directory.glob("lib/python*/site-packages/*.dist-info/RECORD")):
        return "no installed distribution is recorded"
    return None


def _is_current(directory: Path, plan: EnvPlan) -> bool:
    try:
        marker = json.loads((directory / _MARKER).read_text())
    except (OSError, ValueError):
        return False
    return bool(marker.get("key") == plan.key and env_python(directory).exists())


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _tail(path: Path, lines: int = 3) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])
