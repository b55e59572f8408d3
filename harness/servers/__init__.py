"""Where each server comes from: a URL, a container, or in-process (SQLite).

A server is provided once per run and shared by every cell that uses it. The
order is fixed: SQLite runs in-process; a ``DBCOMPAT_URL_<SERVER>`` variable
names an existing server; otherwise a container is started if a Docker engine
is there. When none works, the server is unavailable, with the reason.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import DbcompatError, ServerUnavailable
from harness.matrix import Server
from harness.results import ServerInfo
from harness.servers.urls import mask_url, parse_server_url, url_passwords

PROVIDER_PREFIX = "DBCOMPAT_PROVIDER_"


@dataclass(frozen=True)
class ProvidedServer:
    server: Server
    provider: str  # "in-process", "url" or "container"
    origin: str  # where it came from, password masked
    settings: dict[str, Any] = field(default_factory=dict)  # HOST, PORT, USER, PASSWORD, OPTIONS ...
    admin_name: str | None = None  # the database named in the URL; used to connect, never dropped
    secrets: tuple[str, ...] = ()


def server_info(
    server: Server,
    provided: ProvidedServer | None,
    version_reported: str | None = None,
    version_mismatch: str | None = None,
    settings: dict[str, str | None] | None = None,
) -> ServerInfo:
    """What a result says about its server; no secrets (origins are masked)."""
    return ServerInfo(
        id=server.id,
        vendor=server.vendor,
        matrix_version=str(server.version) if server.version else None,
        provider=provided.provider if provided else "none",
        origin=provided.origin if provided else f"{server.url_variable} not set",
        version_reported=version_reported,
        version_mismatch=version_mismatch,
        settings=dict(settings or {}),
    )


def locate_server(server: Server, environ: Mapping[str, str]) -> ProvidedServer | None:
    """The server if it needs no starting (in-process or by URL); None if it needs a container."""
    if server.in_process:
        return ProvidedServer(server, "in-process", "Python's sqlite3 module, in-process")
    url = environ.get(server.url_variable)
    if url is None or not url.strip():
        return None
    settings = parse_server_url(server.url_variable, url.strip(), server.vendor)
    admin_name = settings.pop("ADMIN_NAME")
    provider = environ.get(PROVIDER_PREFIX + server.id.upper(), "url")
    return ProvidedServer(
        server,
        provider,
        f"{server.url_variable}={mask_url(url.strip())}",
        settings,
        admin_name,
        url_passwords(url.strip()),
    )


class ServerPool:
    """Provides each server once per run, starting containers as needed, and stops them at the end."""

    def __init__(self, environ: Mapping[str, str], keep: Path | None = None) -> None:
        """``keep``: a file recording started containers, left running for the next run to reuse."""
        self._environ = environ
        self._keep = keep
        self._provided: dict[str, ProvidedServer | DbcompatError] = {}
        self._containers: list[Any] = []
        self.starts = 0
        # One lock per server: cells of one server wait for its start, other servers start meanwhile.
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def provide(self, server: Server) -> ProvidedServer:
        with self._guard:
            lock = self._locks.setdefault(server.id, threading.Lock())
        with lock:
            if server.id not in self._provided:
                try:
                    self._provided[server.id] = self._provide(server)
                except DbcompatError as exc:
                    self._provided[server.id] = exc
        found = self._provided[server.id]
        if isinstance(found, DbcompatError):
            raise found
        return found

    def _provide(self, server: Server) -> ProvidedServer:
        located = locate_server(server, self._environ)
        if located is not None:
            return located
        from harness.servers.containers import KeptServers, StartedContainer, plan_container, reachable, start_container

        plan = plan_container(server, self._environ)
        kept = KeptServers(self._keep).load().get(server.id) if self._keep else None
        if kept and kept.get("image") == plan.image and reachable(kept["url"]):
            started = StartedContainer(plan, None, kept["url"], kept.get("container_id"))
            origin = f"container {plan.image} (kept from an earlier run)"
        else:
            started = start_container(plan, keep=self._keep is not None)
            origin = f"container {plan.image}"
            with self._guard:
                self.starts += 1
        with self._guard:
            self._containers.append(started)
        environ = {server.url_variable: started.url, PROVIDER_PREFIX + server.id.upper(): "container"}
        provided = locate_server(server, environ)
        if provided is None:  # pragma: no cover - build_url always gives a URL
            raise ServerUnavailable(f"server {server.id!r} started but gave no URL")
        return ProvidedServer(
            server,
            "container",
            origin,
            provided.settings,
            provided.admin_name,
            provided.secrets,
        )

    def child_environ(self, environ: MutableMapping[str, str]) -> None:
        """Tell cell processes about the containers started here (they connect by URL)."""
        for started in self._containers:
            variable = f"DBCOMPAT_URL_{started.plan.server_id.upper()}"
            environ[variable] = started.url
            environ[PROVIDER_PREFIX + started.plan.server_id.upper()] = "container"

    def stop_all(self) -> None:
        """Stop the containers this run uses; with ``keep``, record them and leave them running."""
        if self._keep is not None:
            from harness.servers.containers import KeptServers

            kept = KeptServers(self._keep)
            entries = kept.load()
            for started in self._containers:
                entries[started.plan.server_id] = {
                    "image": started.plan.image,
                    "url": started.url,
                    "container_id": started.container_id or "",
                }
            kept.save(entries)
            self._containers.clear()
            return
        while self._containers:
            with self._guard:
                started = self._containers.pop()
            with contextlib.suppress(Exception):  # stopping is best effort at exit
                started.stop()
