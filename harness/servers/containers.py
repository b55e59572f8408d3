"""Servers started in containers with testcontainers.

``plan_container`` turns a matrix server into a :class:`ContainerPlan`: the
testcontainers class, image, credentials, port and readiness timeout. It is
plain data, so it is tested without Docker. ``start_container`` builds the
testcontainers object from the plan (this is where the Docker client is first
called), starts it, waits until it is ready, and stops it again if it never
becomes ready, attaching what the server said.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import ServerUnavailable, UsageError
from harness.matrix import Server
from harness.results import redact
from harness.servers.urls import build_url

# Raise every server's start timeout at once, e.g. DBCOMPAT_START_TIMEOUT=900 for a slow disk.
TIMEOUT_VARIABLE = "DBCOMPAT_START_TIMEOUT"


@dataclass(frozen=True)
class ContainerPlan:
    server_id: str
    vendor: str
    image: str
    module: str  # testcontainers module
    class_name: str  # testcontainers class
    port: int
    user: str
    password: str
    dbname: str
    start_timeout: int
    kwargs: dict[str, Any] = field(default_factory=dict)

    def url(self, host: str, port: int) -> str:
        return build_url(self.vendor, host, port, self.user, self.password, self.dbname)


def start_timeout(server: Server, environ: Mapping[str, str]) -> int:
    raw = environ.get(TIMEOUT_VARIABLE)
    if raw is None:
        return server.start_timeout
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise UsageError(f"{TIMEOUT_VARIABLE}={raw!r}: write a whole number of seconds, e.g. 600")
    return value


def plan_container(server: Server, environ: Mapping[str, str]) -> ContainerPlan:
    """How to start ``server`` in a container; a fresh random password each time."""
    if server.image is None:
        raise ServerUnavailable(f"server {server.id!r} has no image in the matrix and no URL")
    password = secrets.token_hex(12)
    timeout = start_timeout(server, environ)
    if server.vendor in ("mysql", "mariadb"):
        return ContainerPlan(
            server.id,
            server.vendor,
            server.image,
            "testcontainers.community.mysql",
            "MySqlContainer",
            port=3306,
            user="root",
            password=password,
            dbname="test",
            start_timeout=timeout,
            kwargs={"username": "root", "password": password, "dbname": "test"},
        )
    if server.vendor == "postgresql":
        return ContainerPlan(
            server.id,
            server.vendor,
            server.image,
            "testcontainers.community.postgres",
            "PostgresContainer",
            port=5432,
            user="postgres",
            password=password,
            dbname="postgres",
            start_timeout=timeout,
            kwargs={"username": "postgres", "password": password, "dbname": "postgres", "driver": None},
        )
    if server.vendor == "oracle":
        # SYSTEM in the pluggable database: the harness creates its own users there.
        return ContainerPlan(
            server.id,
            server.vendor,
            server.image,
            "testcontainers.community.oracle",
            "OracleDbContainer",
            port=1521,
            user="system",
            password=password,
            dbname="FREEPDB1",
            start_timeout=timeout,
            kwargs={"oracle_password": password, "dbname": "FREEPDB1"},
        )
    raise ServerUnavailable(f"server {server.id!r}: no container recipe for vendor {server.vendor!r}")


@dataclass
class StartedContainer:
    plan: ContainerPlan
    container: Any  # the testcontainers object; None for one kept from an earlier run
    url: str
    container_id: str | None = None

    def stop(self) -> None:
        if self.container is not None:
            self.container.stop()
        elif self.container_id is not None:
            stop_container_by_id(self.container_id)


def stop_container_by_id(container_id: str) -> None:
    import docker

    client = docker.from_env()
    try:
        client.containers.get(container_id).remove(force=True, v=True)
    finally:
        client.close()


def reachable(url: str, timeout: float = 2.0) -> bool:
    """Whether something listens at the URL's host and port (a kept server still up)."""
    import socket
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        with socket.create_connection((parts.hostname or "", parts.port or 0), timeout=timeout):
            return True
    except (OSError, ValueError):
        return False


@dataclass
class KeptServers:
    """Containers a run left running (``--keep-servers``), for the next run to reuse.

    The file holds the servers' URLs, passwords included: it is written for its owner only.
    """

    path: Path

    def load(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def save(self, entries: dict[str, dict[str, str]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(entries, indent=2), encoding="utf-8")
        temporary.chmod(0o600)
        temporary.replace(self.path)

    def stop_all(self) -> list[str]:
        """Stop every kept container; the ids of those stopped."""
        stopped = []
        for entry in self.load().values():
            with contextlib.suppress(Exception):
                stop_container_by_id(entry["container_id"])
                stopped.append(entry["container_id"])
        self.path.unlink(missing_ok=True)
        return stopped


def build_container(plan: ContainerPlan) -> Any:
    """The testcontainers object for a plan; raises ServerUnavailable when there is no Docker engine."""
    import importlib

    try:
        module = importlib.import_module(plan.module)
    except ImportError:
        raise ServerUnavailable(
            f"server {plan.server_id!r}: testcontainers is not installed; "
            f"pip install 'django-dbcompat[containers]' or set DBCOMPAT_URL_{plan.server_id.upper()}"
        ) from None
    from docker.errors import DockerException

    try:
        return getattr(module, plan.class_name)(plan.image, **plan.kwargs)
    except DockerException:
        raise ServerUnavailable(
            f"no Docker engine; set DBCOMPAT_URL_{plan.server_id.upper()} to use an existing server"
        ) from None


def start_container(plan: ContainerPlan, keep: bool = False) -> StartedContainer:
    from testcontainers.core.config import testcontainers_config

    container = build_container(plan)
    if keep:
        # testcontainers' reaper removes a session's containers when it exits; kept ones must outlive it.
        testcontainers_config.ryuk_disabled = True
    # testcontainers' readiness waits read one global budget: tries x interval.
    testcontainers_config.max_tries = max(1, int(plan.start_timeout / testcontainers_config.sleep_time))
    try:
        container.start()
        host = container.get_container_host_ip()
        port = int(container.get_exposed_port(plan.port))
    except BaseException as exc:
        said = _logs(container)
        with contextlib.suppress(Exception):  # nothing more to clean up
            container.stop()
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        hint = f"; the server said: {said}" if said else ""
        hint, exc_text = redact(hint, [plan.password]), redact(str(exc), [plan.password])
        raise ServerUnavailable(
            f"server {plan.server_id!r} ({plan.image}) did not become ready within "
            f"{plan.start_timeout}s: {exc_text}{hint}. "
            f"Hint: raise {TIMEOUT_VARIABLE} or the matrix's start_timeout"
        ) from None
    container_id = None
    with contextlib.suppress(Exception):
        container_id = str(container.get_wrapped_container().id)
    return StartedContainer(plan, container, plan.url(host, port), container_id)


def _logs(container: Any, limit: int = 2000) -> str:
    try:
        out, err = container.get_logs()
        text = str((out + err).decode(errors="replace")).strip()
    except Exception:
        return ""
    return text[-limit:].replace("\n", " | ")
