"""Servers started in containers with testcontainers.

``plan_container`` turns a matrix server into a :class:`ContainerPlan`: the image (the
matrix's, or ``DBCOMPAT_IMAGE_<SERVER>``), the testcontainers class, credentials, port and
readiness timeout. It is plain data, so it is tested without Docker. ``start_container``
makes sure the engine is there and has the image (each failure with its own message),
starts testcontainers' own class for the vendor with a readiness wait bounded by the plan's
own timeout, and removes the container again if it never becomes ready, attaching what the
server said. Cells connect by IP address, never by "localhost": the MySQL client libraries
take "localhost" to mean the host's Unix socket and ignore the port.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harness.backends import NotApplicable, backend_for
from harness.errors import DbcompatError, ServerUnavailable, seconds_from
from harness.matrix import Server
from harness.redaction import redact
from harness.servers import IMAGE_PREFIX, ProvidedServer
from harness.servers import docker as engine
from harness.servers.urls import build_url

# Raise every server's start timeout at once, e.g. DBCOMPAT_START_TIMEOUT=900 for a slow disk.
TIMEOUT_VARIABLE = "DBCOMPAT_START_TIMEOUT"
# What each testcontainers class waits for, as upstream waits (testcontainers 4.15's
# community/<db>/__init__.py), but bounded by the plan's timeout instead of the global one.
READY_LOG = {
    "MySqlContainer": None,  # the class's own wait_strategy_check_string
    "OracleDbContainer": "DATABASE IS READY TO USE!",
}


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
    ready_log: str | None = None  # the vendor's own readiness line, for a class that has none to bound

    def url(self, host: str, port: int) -> str:
        return build_url(self.vendor, host, port, self.user, self.password, self.dbname)


def start_timeout(server: Server, environ: Mapping[str, str]) -> int:
    raw = environ.get(TIMEOUT_VARIABLE)
    return server.start_timeout if raw is None else int(seconds_from(TIMEOUT_VARIABLE, raw, "600", whole=True))


def image_of(server: Server, environ: Mapping[str, str]) -> str | None:
    """The image to start: ``DBCOMPAT_IMAGE_<SERVER>`` when set, else the matrix's."""
    override = environ.get(IMAGE_PREFIX + server.id.upper(), "").strip()
    return override or server.image


def plan_container(server: Server, environ: Mapping[str, str]) -> ContainerPlan:
    """How to start ``server`` in a container; a fresh random password each time."""
    image = image_of(server, environ)
    if image is None:
        raise ServerUnavailable(
            f"server {server.id!r} has no image in the matrix and no URL; "
            f"set {server.url_variable} or {IMAGE_PREFIX}{server.id.upper()}"
        )
    password = secrets.token_hex(12)
    timeout = start_timeout(server, environ)
    try:
        recipe = backend_for(server.vendor).container(password)
    except NotApplicable as exc:
        raise ServerUnavailable(f"server {server.id!r}: {exc}") from None
    if recipe.password is not None:  # the server's own (none for TiDB's root), or a stronger one (SQL Server)
        password = recipe.password
    return ContainerPlan(
        server.id,
        server.vendor,
        image,
        recipe.module,
        recipe.class_name,
        port=recipe.port,
        user=recipe.user,
        password=password,
        dbname=recipe.dbname,
        start_timeout=timeout,
        kwargs=dict(recipe.kwargs),
        ready_log=recipe.ready_log,
    )


@dataclass(frozen=True)
class PoolerPlan:
    """How to start a pooler (PgBouncer) in a container in front of a server's container.

    The pooler reaches the server at its address on the engine's network (``server_host``, the
    server's own port inside its container), and logs in with the server's own user and password,
    which clients then give the pooler too.
    """

    server_id: str  # the matrix server reached through the pooler
    vendor: str  # the vendor of the server behind it: clients speak its protocol
    pooler: str  # "pgbouncer"
    mode: str
    image: str
    server_host: str
    server_port: int
    user: str
    password: str
    dbname: str
    start_timeout: int
    behind: str  # the id of the server's container
    port: int = 6432

    def url(self, host: str, port: int) -> str:
        return build_url(self.vendor, host, port, self.user, self.password, self.dbname)

    def environment(self) -> dict[str, str]:
        """The image's variables (harness/images/docker/pgbouncer-entrypoint.sh)."""
        return {
            "PGBOUNCER_SERVER_HOST": self.server_host,
            "PGBOUNCER_SERVER_PORT": str(self.server_port),
            "PGBOUNCER_POOL_MODE": self.mode,
            "PGBOUNCER_USER": self.user,
            "PGBOUNCER_PASSWORD": self.password,
        }


def pooler_image_of(server: Server, environ: Mapping[str, str]) -> str | None:
    """The pooler's image: ``DBCOMPAT_IMAGE_PGBOUNCER`` when set, else the matrix's ``pooler.image``."""
    assert server.pooler is not None
    override = environ.get(IMAGE_PREFIX + server.pooler.name.upper(), "").strip()
    return override or server.pooler.image


def plan_pooler(server: Server, environ: Mapping[str, str], behind: ProvidedServer) -> PoolerPlan:
    """How to start the pooler of ``server`` in front of ``behind``, the container of the server it pools."""
    pooler = server.pooler
    assert pooler is not None and pooler.in_front_of is not None and behind.container_id is not None
    image = pooler_image_of(server, environ)
    if image is None:
        raise ServerUnavailable(
            f"server {server.id!r}: its pooler has no image in the matrix ('pooler.image') and no URL; set "
            f"{IMAGE_PREFIX}{pooler.name.upper()} or {server.url_variable}"
        )
    recipe = backend_for(server.vendor).container("")
    return PoolerPlan(
        server.id,
        server.vendor,
        pooler.name,
        pooler.mode,
        image,
        server_host=address_on_engine(behind.container_id),
        server_port=recipe.port,
        user=str(behind.settings.get("USER") or recipe.user),
        password=str(behind.settings.get("PASSWORD") or ""),
        dbname=behind.admin_name or recipe.dbname,
        start_timeout=start_timeout(server, environ),
        behind=behind.container_id,
    )


def address_on_engine(container_id: str) -> str:
    """A container's address on the engine's network, where another container reaches it."""
    from docker.errors import DockerException

    try:
        attrs = engine.client().containers.get(container_id).attrs
    except DockerException as exc:
        raise ServerUnavailable(f"container {container_id[:12]} is gone: {' '.join(str(exc).split())}") from None
    settings = attrs.get("NetworkSettings") or {}
    networks = settings.get("Networks") or {}
    address = settings.get("IPAddress") or next(
        (network.get("IPAddress") for network in networks.values() if network.get("IPAddress")), ""
    )
    if not address:
        raise ServerUnavailable(f"container {container_id[:12]} has no address on the engine's network")
    return str(address)


def start_pooler(plan: PoolerPlan, keep: bool = False) -> StartedContainer:
    """Start the pooler, wait (bounded by the plan's timeout) until it is up and answers, or remove it again."""
    from testcontainers.core.config import testcontainers_config
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.wait_strategies import LogMessageWaitStrategy

    testcontainers_config.ryuk_disabled = True
    docker = engine.client()
    engine.ensure_image(docker, plan.image, build_hint(plan.pooler))
    # PgBouncer logs "process up" once it listens; the client port answering is the last word.
    strategy = LogMessageWaitStrategy(re.compile(r"process up")).with_startup_timeout(plan.start_timeout)
    container = (
        DockerContainer(plan.image, env=plan.environment(), labels=engine.labels(plan.server_id, keep))
        .with_exposed_ports(plan.port)
        .waiting_for(strategy)
    )
    return _started(plan, container)


@dataclass
class StartedContainer:
    plan: ContainerPlan | PoolerPlan
    container: Any  # the testcontainers object; None for one kept from an earlier run
    url: str
    container_id: str | None = None

    def stop(self) -> None:
        if self.container is not None:
            self.container.stop()
        elif self.container_id is not None:
            remove_container(self.container_id)


def remove_container(container_id: str) -> bool:
    """Remove a container by id; False if the engine no longer has it."""
    from docker.errors import NotFound

    try:
        engine.client().containers.get(container_id).remove(force=True, v=True)
    except NotFound:
        return False
    return True


def answers(vendor: str, url: str, timeout: float = 3.0) -> bool:
    """Whether a database server of the vendor answers at the URL's address (not merely a port)."""
    try:
        parts = urlsplit(url)
        with socket.create_connection((parts.hostname or "", parts.port or 0), timeout=timeout) as sock:
            sock.settimeout(timeout)
            return backend_for(vendor).answers(sock)
    except (OSError, ValueError):
        return False


def kept_container_serves(entry: Mapping[str, str], plan: ContainerPlan | PoolerPlan) -> bool:
    """Whether a kept container is still this server's: running, labelled so, and answering at its URL."""
    from docker.errors import DockerException

    try:
        container = engine.client().containers.get(entry.get("container_id", ""))
    except (DockerException, DbcompatError):
        return False
    found = container.labels or {}
    if container.status != "running" or found.get(engine.LABEL_SERVER) != plan.server_id:
        return False
    published = (container.attrs.get("NetworkSettings", {}).get("Ports") or {}).get(f"{plan.port}/tcp") or []
    port = urlsplit(entry.get("url", "")).port
    if not any(str(binding.get("HostPort")) == str(port) for binding in published):
        return False  # the port now belongs to something else
    return answers(plan.vendor, entry.get("url", ""))


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
        """Remove every kept container, and any a killed run left; the ids removed.

        Kept containers are found by the ids recorded here and by their labels (a lost file
        loses nothing). When the engine cannot be reached the file is left as it is, so
        nothing is forgotten, and the error says why.
        """
        entries = self.load()
        try:
            docker = engine.client()
        except ServerUnavailable as exc:
            if not entries:
                return []
            raise ServerUnavailable(f"cannot stop the kept containers in {self.path}: {exc}") from None
        from docker.errors import NotFound

        removed = []
        for entry in entries.values():
            try:
                docker.containers.get(entry.get("container_id", "")).remove(force=True, v=True)
                removed.append(entry["container_id"])
            except NotFound:
                pass  # already gone
        removed += [found for found in engine.remove_orphans(docker, include_kept=True) if found not in removed]
        self.path.unlink(missing_ok=True)
        return removed


def build_container(plan: ContainerPlan, keep: bool = False) -> Any:
    """testcontainers' own class for the vendor, its readiness wait bounded by the plan's timeout."""
    import importlib

    from testcontainers.core.wait_strategies import ExecWaitStrategy, LogMessageWaitStrategy

    base = getattr(importlib.import_module(plan.module), plan.class_name)
    timeout = plan.start_timeout

    class Bounded(base):  # type: ignore[misc, valid-type]
        def _connect(self) -> None:
            if plan.class_name == "PostgresContainer":
                # Upstream's own check, a query through psql inside the container.
                password = self.password.replace("'", "'\"'\"'")
                query = (
                    f"PGPASSWORD='{password}' psql --username {self.username} --dbname {self.dbname} "
                    "--host 127.0.0.1 -c 'select version();'"
                )
                strategy: Any = ExecWaitStrategy(["sh", "-c", query])
            else:
                message = READY_LOG.get(plan.class_name) or plan.ready_log or self.wait_strategy_check_string
                strategy = LogMessageWaitStrategy(re.compile(message, flags=re.DOTALL | re.MULTILINE))
            strategy.with_startup_timeout(timeout).wait_until_ready(self)

    return Bounded(plan.image, labels=engine.labels(plan.server_id, keep), **plan.kwargs)


def start_container(plan: ContainerPlan, keep: bool = False) -> StartedContainer:
    from testcontainers.core.config import testcontainers_config

    # The harness owns the cleanup through labels (harness/servers/docker.py), not Ryuk.
    testcontainers_config.ryuk_disabled = True
    docker = engine.client()
    engine.ensure_image(docker, plan.image, build_hint(plan.server_id))
    return _started(plan, build_container(plan, keep))


def _started(plan: ContainerPlan | PoolerPlan, container: Any) -> StartedContainer:
    """Start the container and find its URL; a start that fails removes it and says what the server said."""
    try:
        container.start()
        host = by_address(container.get_container_host_ip())
        port = int(container.get_exposed_port(plan.port))
        if isinstance(plan, PoolerPlan):
            _wait_until_answering(plan, plan.url(host, port))
    except BaseException as exc:
        said = _logs(container)
        with contextlib.suppress(Exception):  # nothing more to clean up
            container.stop()
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise ServerUnavailable(start_problem(plan, exc, said)) from None
    container_id = None
    with contextlib.suppress(Exception):
        container_id = str(container.get_wrapped_container().id)
    return StartedContainer(plan, container, plan.url(host, port), container_id)


def _wait_until_answering(plan: PoolerPlan, url: str) -> None:
    deadline = time.monotonic() + plan.start_timeout
    while not answers(plan.vendor, url, timeout=2.0):
        if time.monotonic() > deadline:
            raise TimeoutError(f"port {plan.port} did not answer as a {plan.vendor} server")
        time.sleep(0.2)


def build_hint(server_id: str) -> str:
    """How to get an image without a registry, for the servers Debian ships."""
    from harness.images.recipes import RECIPES

    if any(recipe.server_id == server_id for recipe in RECIPES):
        return f"; or build one from Debian's packages: dbcompat images build {server_id}"
    return ""


def start_problem(plan: ContainerPlan | PoolerPlan, exc: BaseException, said: str) -> str:
    """Why a container did not come up: a readiness time-out, an early exit, or the engine's error."""
    shown = f"server {plan.server_id!r} ({plan.image})"
    hint = f"; the server said: {said}" if said else ""
    detail = " ".join(str(exc).split())
    if isinstance(exc, TimeoutError):
        detail = detail.split(" Recent stdout:")[0]  # the logs follow once, below
        text = (
            f"{shown} did not become ready within {plan.start_timeout}s: {detail}{hint}. "
            f"Hint: raise {TIMEOUT_VARIABLE} or the matrix's start_timeout"
        )
    elif isinstance(exc, RuntimeError) and "exited" in detail:
        text = f"{shown} exited before it was ready: {detail.split(' Hint:')[0]}{hint}"
    else:
        text = f"{shown} could not be started: {type(exc).__name__}: {detail}{hint}"
    return redact(text, [plan.password])


def by_address(host: str) -> str:
    """The host as an IPv4 address where it has one: "localhost" would mean a Unix socket to libmysqlclient."""
    if host in ("localhost", "localhost.localdomain"):
        return "127.0.0.1"
    try:
        return str(socket.getaddrinfo(host, None, socket.AF_INET, socket.SOCK_STREAM)[0][4][0])
    except (OSError, IndexError):
        return host


def _logs(container: Any, limit: int = 2000) -> str:
    try:
        out, err = container.get_logs()
        text = str((out + err).decode(errors="replace")).strip()
    except Exception:
        return ""
    return text[-limit:].replace("\n", " | ")
