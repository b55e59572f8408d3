"""One cell's run inside its own Python environment.

The session provides the server, configures Django, creates the cell's
throwaway database, reads the version the server reports, and gathers every
check's record into the cell's results file. Under pytest-xdist the controller
probes the server once and each worker works in a throwaway database of its own.
"""

from __future__ import annotations

import contextlib
import os
import platform
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness import __version__
from harness.backends import backend_for
from harness.cells.database import (
    admin_connection,
    cell_database,
    check_driver,
    configure_django,
    create_database,
    drop_database,
    read_server,
)
from harness.cells.job import CellJob
from harness.cells.target import (
    cell_target,
    django_view_mismatch,
    driver_info,
    driver_version,
    read_django_view,
    version_mismatch,
)
from harness.errors import DbcompatError
from harness.redaction import redact
from harness.results import (
    STATUS_OUTCOME,
    CellResult,
    CellStatus,
    CheckResult,
    DjangoView,
    Outcome,
    PoolerInfo,
    write_result,
)
from harness.servers import ProvidedServer, server_info
from harness.servers.throwaway import Throwaway, new_token, throwaway_name
from harness.versions import Target, leading_version, parse_version


@dataclass
class Probe:
    """What the controller learnt about the server, handed to xdist workers as plain data."""

    status: str = CellStatus.RAN.value
    reason: str | None = None
    version_reported: str | None = None
    server_settings: dict[str, str | None] = field(default_factory=dict)
    django_view: dict[str, Any] | None = None
    pooler: dict[str, Any] | None = None


class CellSession:
    def __init__(self, job: CellJob, worker: str = "main") -> None:
        self.job = job
        self.cell = job.cell
        self.backend = backend_for(job.cell.server.vendor)
        self.worker = worker
        self.token = job.token
        self.status = CellStatus.RAN
        self.reason: str | None = None
        self.provided: ProvidedServer | None = None
        self.version_reported: str | None = None
        self.server_settings: dict[str, str | None] = {}
        self.django_view: DjangoView | None = None
        self.pooler: PoolerInfo | None = None  # what the pooler in front of the server reported, if there is one
        self.used_database: str | None = None
        self._target: Target | None = None
        self.database: str | None = None
        self.records: dict[str, CheckResult] = {}
        self.started = time.monotonic()
        self.started_at = _now()
        self._throwaway = Throwaway()
        self._sqlite_dir: tempfile.TemporaryDirectory[str] | None = None
        self._secrets: list[str] = []
        self._throwaway_password = ""  # the throwaway user's, where the throwaway "database" is a user

    # -- lifecycle ----------------------------------------------------------------------

    def probe(self) -> Probe:
        """Provide the server and read its version; no database is created."""
        if self._applicable() and self._provide():
            try:
                self._configure_django()
                self._read_server_version()
            except Exception as exc:
                self._fail(CellStatus.HARNESS_ERROR, f"setting up Django failed: {_describe(exc)}")
        view = asdict(self.django_view) if self.django_view is not None else None
        pooler = asdict(self.pooler) if self.pooler is not None else None
        return Probe(self.status.value, self.reason, self.version_reported, self.server_settings, view, pooler)

    def adopt(self, probe: Probe) -> None:
        """Take the controller's probe (xdist worker)."""
        self.status = CellStatus(probe.status)
        self.reason = probe.reason
        self.version_reported = probe.version_reported
        self.server_settings = probe.server_settings
        self.django_view = DjangoView(**probe.django_view) if probe.django_view is not None else None
        self.pooler = PoolerInfo(**probe.pooler) if probe.pooler is not None else None

    def open(self, probe_first: bool = True) -> None:
        """Everything a check needs: server, Django, a throwaway database with the suites' tables."""
        if probe_first:
            self.probe()
        elif self.status is CellStatus.RAN and self._applicable() and self._provide():
            try:
                self._configure_django()
            except Exception as exc:
                self._fail(CellStatus.HARNESS_ERROR, f"setting up Django failed: {_describe(exc)}")
        elif self.status is CellStatus.NOT_APPLICABLE:  # an xdist worker, told so by the controller's probe
            self._configure_for_collection()
        if self.status is not CellStatus.RAN:
            return
        try:
            self._create_database()
            assert self.database is not None
            self.used_database = Path(self.database).name  # SQLite's is a file in a temporary folder
            check_driver(self.cell)
            from django.apps import apps

            # The suites' models are unmanaged (each check creates its tables); migrate only for others.
            if any(model._meta.managed for model in apps.get_models()):
                from django.core.management import call_command

                call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
        except DbcompatError as exc:
            self._fail(CellStatus.HARNESS_ERROR, str(exc))
        except Exception as exc:
            self._fail(CellStatus.HARNESS_ERROR, f"setting up the cell failed: {_describe(exc)}")

    def server_lost(self, check_id: str, error: str) -> str | None:
        """If the server no longer answers, end the cell: "server lost" during ``check_id``.

        Returns the check's error text then; None while the server is there (the error was the check's).
        """
        if self.backend.in_process or self.status is not CellStatus.RAN:
            return None
        probe = self._admin_connection()
        try:
            probe.ensure_connection()
            return None
        except Exception:
            lost = f"server lost during {check_id}: {error}"
            self._fail(CellStatus.HARNESS_ERROR, lost)
            return lost
        finally:
            with contextlib.suppress(Exception):
                probe.close()

    def collection_failed(self, where: str, error: str) -> None:
        """A check module could not be collected (a user's suite that does not import here): no check ran."""
        self._fail(CellStatus.HARNESS_ERROR, f"could not collect {where}: {error}")

    def interrupted(self) -> None:
        """The run was stopped: whatever checks are recorded, the cell did not finish."""
        self._fail(CellStatus.HARNESS_ERROR, "interrupted before every check ran")

    def close(self) -> None:
        """Drop what this session created; a failure is the cell's harness error, never a traceback."""
        try:
            self._drop_database()
        except Exception as exc:
            # A database is only ever created by a session that ran, so the cell's status is still "ran".
            self._fail(
                CellStatus.HARNESS_ERROR,
                f"could not drop the throwaway database {self.database}: {_describe(exc)}; "
                "drop it by hand once nothing uses it",
            )
        finally:
            if self._sqlite_dir is not None:
                self._sqlite_dir.cleanup()

    # -- steps --------------------------------------------------------------------------

    def _applicable(self) -> bool:
        """Whether the cell's checks can run at all; else the cell is not applicable, for the reason the data gives
        (an option its Django does not have), before anything connects. The server is still named in its result."""
        reason = self.cell.not_applicable
        if reason is None:
            return True
        self._fail(CellStatus.NOT_APPLICABLE, reason)
        self._configure_for_collection()
        return False

    def _configure_for_collection(self) -> None:
        """Django's settings for a cell whose checks do not run (not applicable), so that pytest can collect
        them, and record each with the cell's reason, as it does for a server Django refuses. Nothing connects."""
        if self.job.provided is None:
            return
        self.provided = self.job.provided
        self._secrets.extend(self.provided.secrets)
        try:
            self._configure_django()
        except Exception as exc:
            # Outranks the cell's reason: the harness could not even set Django up for it.
            self.status = CellStatus.HARNESS_ERROR
            self.reason = redact(f"setting up Django failed: {_describe(exc)}", self._secrets)

    def _provide(self) -> bool:
        if self.job.provided is None:
            self._fail(CellStatus.UNAVAILABLE, self.job.unavailable or f"server {self.cell.server.id!r} unavailable")
            return False
        self.provided = self.job.provided
        self._secrets.extend(self.provided.secrets)
        return True

    def _configure_django(self) -> None:
        assert self.provided is not None
        if self.backend.in_process:
            self._sqlite_dir = tempfile.TemporaryDirectory(prefix="dbcompat_")
            name = str(Path(self._sqlite_dir.name) / f"{throwaway_name(self.token, self.worker)}.sqlite3")
        else:
            name = throwaway_name(self.token, self.worker)
        self.database = name
        database = cell_database(
            self.cell, self.provided, name, self.job.connect_timeout, self.job.check_timeout + self.job.connect_timeout
        )
        if self.backend.throwaway_is_user:
            self._throwaway_password = f"Dbc_{new_token()}{new_token()}"
            self._secrets.append(self._throwaway_password)
            database.update(
                self.backend.throwaway_user_settings(name, self._throwaway_password, self._admin_database())
            )
        configure_django(database, self.cell.driver, self.job.suites)

    def _admin_database(self) -> str:
        """The NAME Django connects to as the URL's own user: never a database the harness drops."""
        assert self.provided is not None
        return self.backend.admin_database(self.provided.settings, self.provided.admin_name)

    def _admin_connection(self) -> Any:
        """A connection outside Django's registry, as the URL's own user and database.

        It only ever runs short statements (reading the version, creating and dropping the throwaway
        database, asking whether the server still answers), so each of its reads is bounded by the
        connect timeout: a server that accepts connections but never answers is given up on quickly.
        """
        assert self.provided is not None
        wrapper = admin_connection(self.backend, self.provided, self.cell.driver)
        quick = self.backend.timeout_options(
            self.cell.driver.module, self.job.connect_timeout, self.job.connect_timeout
        )
        wrapper.settings_dict["OPTIONS"] = {**wrapper.settings_dict.get("OPTIONS", {}), **quick}
        return wrapper

    def _read_server_version(self) -> None:
        from django.db import NotSupportedError, connections

        wrapper = connections["default"] if self.backend.in_process else self._admin_connection()
        try:
            try:
                wrapper.ensure_connection()
            except NotSupportedError as exc:
                # Django checked the version and refused; the raw connection is still open.
                self._fail(CellStatus.UNSUPPORTED, str(exc))
            except Exception as exc:
                self._fail(CellStatus.UNAVAILABLE, f"cannot connect: {_describe(exc)}")
                return
            raw = wrapper.connection
            if raw is None:
                return
            self.version_reported, self.server_settings = read_server(self.backend, raw)
            view = read_django_view(wrapper)
            mismatch = django_view_mismatch(view, self.reported_vendor(), self.version_reported)
            self.django_view = replace(view, mismatch=mismatch)
        finally:
            wrapper.close()
        self._read_pooler()

    def _read_pooler(self) -> None:
        """What the pooler the server is reached through (PgBouncer) reports of itself; nothing for a direct one."""
        pooler = self.cell.server.pooler
        if pooler is None or self.provided is None:
            return
        from harness.servers.poolers import read_pooler

        info = read_pooler(pooler, self.provided.settings, self.cell.driver.module, self.job.connect_timeout)
        info = replace(info, image=self.provided.pooler_image)
        self.pooler = replace(info, unreadable=redact(info.unreadable, self._secrets)) if info.unreadable else info

    def _create_database(self) -> None:
        if self.backend.in_process:
            return  # the file appears on first connect, inside our own temporary folder
        assert self.database is not None and self.provided is not None
        from django import get_version

        charset = self.backend.database_charset(parse_version(django_release(get_version())))
        create_database(
            self.backend,
            self.provided,
            self._throwaway,
            self.database,
            self._throwaway_password,
            charset,
            self.cell.driver,
        )

    def _drop_database(self) -> None:
        if self.database is None or self.database not in self._throwaway.created:
            return
        assert self.provided is not None
        # PostgreSQL 13+ can drop a database other sessions still hold (a check's stuck thread).
        force = self.backend.can_force_drop(leading_version(self.version_reported or ""))
        drop_database(self.backend, self.provided, self._throwaway, self.database, force, self.cell.driver)

    def _fail(self, status: CellStatus, reason: str) -> None:
        if self.status is CellStatus.RAN:
            self.status = status
            self.reason = redact(reason, self._secrets)

    # -- what checks see ----------------------------------------------------------------

    def target(self) -> Target:
        """What the claims are matched against; fixed once the checks run, so worked out once."""
        if self._target is None:
            self._target = self._make_target()
        return self._target

    def _make_target(self) -> Target:
        pool_mode = self.pooler.pool_mode if self.pooler is not None and self.pooler.version else None
        return cell_target(self.cell, self.reported_vendor(), self.version_reported, pool_mode)

    def reported_vendor(self) -> str:
        """The vendor the server's version string names: a URL given for MySQL may reach MariaDB."""
        return self.backend.reported_vendor(self.version_reported)

    def driver_version(self) -> str | None:
        return driver_version(self.cell)

    def version_mismatch(self) -> str | None:
        return version_mismatch(self.cell, self.reported_vendor(), self.version_reported)

    # -- records ------------------------------------------------------------------------

    def skip_outcome(self) -> Outcome | None:
        """The outcome every check gets when the cell cannot run them."""
        return STATUS_OUTCOME.get(self.status)

    def record(self, nodeid: str, result: CheckResult) -> None:
        self.records[nodeid] = result

    def result(self) -> CellResult:
        from django import get_version

        return CellResult(
            cell=self.cell.id,
            status=self.status,
            reason=self.reason,
            server=server_info(
                self.cell.server,
                self.provided,
                self.version_reported,
                self.version_mismatch(),
                self.server_settings,
                self.django_view,
                self.pooler,
            ),
            driver=driver_info(self.cell, self._wrapper_class()),
            django_version=get_version(),
            django_release=str(self.cell.django.version),
            python_version=platform.python_version(),
            harness_version=__version__,
            database=self.used_database,
            started_at=self.started_at,
            finished_at=_now(),
            duration=round(time.monotonic() - self.started, 3),
            checks=sorted(self.records.values(), key=lambda r: r.id),
            suites=[suite.info() for suite in self.job.suites],
            builtin=self.job.builtin,
        )

    def _wrapper_class(self) -> type | None:
        """The DatabaseWrapper class of the cell's ENGINE, once Django is set up (it says what the backend wraps)."""
        from django.conf import settings

        if not settings.configured:
            return None
        try:
            from django.db.utils import load_backend

            wrapper: type = load_backend(self.cell.driver.engine).DatabaseWrapper
        except Exception:  # the cell's own error says why the backend cannot be loaded
            return None
        return wrapper

    def write(self, directory: Path) -> Path:
        return write_result(directory, self.result(), self._secrets)

    @property
    def secrets(self) -> list[str]:
        return list(self._secrets)


def django_release(version: str) -> str:
    """ "5.2" for "5.2.19" or "6.1a1": what the docs of a Django version are called."""
    found = leading_version(version)
    return f"{found.major}.{found.minor}" if found else version


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__qualname__}: {exc}".replace("\n", " ")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")
