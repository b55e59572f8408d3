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
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    container: Any
    url: str

    def stop(self) -> None:
        self.container.stop()


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


def start_container(plan: ContainerPlan) -> StartedContainer:
    from testcontainers.core.config import testcontainers_config

    container = build_container(plan)
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
    return StartedContainer(plan, container, plan.url(host, port))


def _logs(container: Any, limit: int = 2000) -> str:
    try:
        out, err = container.get_logs()
        text = str((out + err).decode(errors="replace")).strip()
    except Exception:
        return ""
    return text[-limit:].replace("\n", " | ")
