"""Where each server comes from: a URL, a container, or in-process (SQLite).

A server is provided once per run and shared by every cell that uses it. The
order is fixed: SQLite runs in-process; a ``DBCOMPAT_URL_<SERVER>`` variable
names an existing server; otherwise a container is started if a Docker engine
is there. When none works, the server is unavailable, with the reason.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from harness.errors import DbcompatError, ServerUnavailable
from harness.matrix import Server
from harness.results import DjangoView, PoolerInfo, ServerInfo
from harness.servers.urls import mask_url, parse_server_url, url_passwords

# DBCOMPAT_IMAGE_<SERVER>: the image to start instead of the matrix's.
IMAGE_PREFIX = "DBCOMPAT_IMAGE_"


@dataclass(frozen=True)
class ProvidedServer:
    server: Server
    provider: str  # "in-process", "url" or "container"
    origin: str  # where it came from, password masked
    settings: dict[str, Any] = field(default_factory=dict)  # HOST, PORT, USER, PASSWORD, OPTIONS ...
    admin_name: str | None = None  # the database named in the URL; used to connect, never dropped
    secrets: tuple[str, ...] = ()
    image: str | None = None  # the container image, for a server started in a container
    container_id: str | None = None  # for a server started in a container
    pooler_image: str | None = None  # the pooler's image, for a server reached through a pooler's container


def server_info(
    server: Server,
    provided: ProvidedServer | None,
    version_reported: str | None = None,
    version_mismatch: str | None = None,
    settings: dict[str, str | None] | None = None,
    django_view: DjangoView | None = None,
    pooler: PoolerInfo | None = None,
) -> ServerInfo:
    """What a result says about its server; no secrets (origins are masked).

    A server reached through a pooler names it, with what the pooler reported (``pooler``) or, for a
    cell that never reached it, the pooler and mode the matrix names.
    """
    if pooler is None and server.pooler is not None:
        pooler = PoolerInfo(server.pooler.name, server.pooler.mode)
    return ServerInfo(
        id=server.id,
        vendor=server.vendor,
        matrix_version=str(server.version) if server.version else None,
        provider=provided.provider if provided else "none",
        origin=provided.origin if provided else f"{server.url_variable} not set",
        image=provided.image if provided else None,
        version_reported=version_reported,
        version_mismatch=version_mismatch,
        settings=dict(settings or {}),
        django_view=django_view,
        pooler=pooler,
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
    origin = f"{server.url_variable}={mask_url(url.strip())}"
    return ProvidedServer(server, "url", origin, settings, admin_name, url_passwords(url.strip()))


def _url_hint(server: Server) -> str:
    return f"; or set {server.url_variable} to use an existing server"


class _Start:
    """One server's provision: done once, by a thread of its own; every cell of the server waits on it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.outcome: ProvidedServer | BaseException | None = None


class ServerPool:
    """Provides each server once per run, starting containers as needed, and stops them at the end.

    Starts run on daemon threads: an interrupted run does not wait for a pull or a readiness
    wait to finish. ``abort`` removes what this process started and makes every waiting cell
    give up at once.
    """

    # How often a waiting cell looks whether the run was interrupted.
    POLL = 0.2

    def __init__(self, environ: Mapping[str, str], keep: Path | None = None) -> None:
        """``keep``: a file recording started containers, left running for the next run to reuse."""
        self._environ = environ
        self._keep = keep
        self._starts: dict[str, _Start] = {}
        self._containers: list[Any] = []
        self.starts = 0
        self._guard = threading.Lock()
        self._aborted = threading.Event()
        self._swept = False

    def begin(self, server: Server) -> None:
        """Start providing the server in the background, unless that is under way or done."""
        self._start_of(server)

    def settled(self, server: Server, timeout: float) -> bool:
        """Whether the server is provided or known unavailable, waiting up to ``timeout`` seconds."""
        return self._start_of(server).done.wait(timeout)

    def provide(self, server: Server) -> ProvidedServer:
        start = self._start_of(server)
        while not start.done.wait(self.POLL):
            if self._aborted.is_set():
                raise ServerUnavailable(f"server {server.id!r}: the run was interrupted while it started")
        if isinstance(start.outcome, BaseException):
            raise start.outcome
        assert start.outcome is not None
        return start.outcome

    def abort(self) -> None:
        """An interrupted run: waiting cells give up, and containers still starting are removed.

        Containers that had started stay for ``stop_all`` (which keeps them with ``keep``).
        """
        self._aborted.set()
        if not self._swept:
            return  # no container was ever asked for
        with self._guard:
            ready = {started.container_id for started in self._containers if started.container_id}
        with contextlib.suppress(Exception):  # best effort: the next run removes what is left
            from harness.servers import docker

            docker.remove_mine(docker.client(), spare=ready)

    def _start_of(self, server: Server) -> _Start:
        with self._guard:
            start = self._starts.get(server.id)
            if start is None:
                start = self._starts[server.id] = _Start()
                thread = threading.Thread(
                    target=self._run_start, args=(server, start), name=f"dbcompat-server-{server.id}", daemon=True
                )
                thread.start()
        return start

    def _run_start(self, server: Server, start: _Start) -> None:
        try:
            start.outcome = self._provide(server)
        except BaseException as exc:  # handed to every waiting cell
            start.outcome = exc
        finally:
            start.done.set()

    def _provide(self, server: Server) -> ProvidedServer:
        located = locate_server(server, self._environ)
        if located is not None:
            return located
        from harness.servers.docker import EngineUnavailable

        try:
            if server.pooler is not None:
                return self._provide_pooler(server)
            return self._provide_container(server)
        except EngineUnavailable as exc:
            raise ServerUnavailable(f"{exc}{_url_hint(server)}") from None

    def _provide_pooler(self, server: Server) -> ProvidedServer:
        """A pooler container in front of the container of the server it pools (started once, shared)."""
        from harness.servers import containers
        from harness.servers.poolers import behind_unavailable, no_container_reason

        pooler = server.pooler
        assert pooler is not None
        if pooler.in_front_of is None:
            raise ServerUnavailable(no_container_reason(server))
        try:
            behind = self.provide(pooler.in_front_of)
        except ServerUnavailable as exc:
            # A URL for the server behind would not help: the pooler's container needs that server's container.
            why = str(exc).removesuffix(_url_hint(pooler.in_front_of))
            raise ServerUnavailable(behind_unavailable(server, why)) from None
        if behind.provider != "container" or behind.container_id is None:
            raise ServerUnavailable(behind_unavailable(server, f"it is given by URL ({behind.origin})"))
        plan = containers.plan_pooler(server, self._environ, behind)
        kept = containers.KeptServers(self._keep).load().get(server.id) if self._keep else None
        if (
            kept
            and (kept.get("image"), kept.get("behind")) == (plan.image, plan.behind)
            and containers.kept_container_serves(kept, plan)
        ):
            # Kept from an earlier run, in front of the very container this run uses.
            started = containers.StartedContainer(plan, None, kept["url"], kept.get("container_id"))
        else:
            if self._aborted.is_set():
                raise ServerUnavailable(f"server {server.id!r}: the run was interrupted before it started")
            started = containers.start_pooler(plan, keep=self._keep is not None)
            with self._guard:
                self.starts += 1
        with self._guard:
            self._containers.append(started)
        if self._aborted.is_set():
            raise ServerUnavailable(f"server {server.id!r}: the run was interrupted while it started")
        provided = locate_server(server, {server.url_variable: started.url})
        if provided is None:  # pragma: no cover - build_url always gives a URL
            raise ServerUnavailable(f"server {server.id!r} started but gave no URL")
        origin = f"{pooler.display_name} container {plan.image} in front of {pooler.in_front_of.id} ({behind.origin})"
        return replace(
            provided,
            provider="container",
            origin=origin,
            secrets=behind.secrets,
            image=behind.image,
            container_id=started.container_id,
            pooler_image=plan.image,
        )

    def _provide_container(self, server: Server) -> ProvidedServer:
        from harness.servers import containers

        plan = containers.plan_container(server, self._environ)
        self._sweep()
        kept = containers.KeptServers(self._keep).load().get(server.id) if self._keep else None
        if kept and kept.get("image") == plan.image and containers.kept_container_serves(kept, plan):
            started = containers.StartedContainer(plan, None, kept["url"], kept.get("container_id"))
            origin = f"container {plan.image} (kept from an earlier run)"
        else:
            if self._aborted.is_set():
                raise ServerUnavailable(f"server {server.id!r}: the run was interrupted before it started")
            started = containers.start_container(plan, keep=self._keep is not None)
            origin = f"container {plan.image}"
            with self._guard:
                self.starts += 1
            if self._aborted.is_set():  # interrupted during the start: nothing is left behind
                with contextlib.suppress(Exception):
                    started.stop()
                raise ServerUnavailable(f"server {server.id!r}: the run was interrupted while it started")
        with self._guard:
            self._containers.append(started)
        provided = locate_server(server, {server.url_variable: started.url})
        if provided is None:  # pragma: no cover - build_url always gives a URL
            raise ServerUnavailable(f"server {server.id!r} started but gave no URL")
        return ProvidedServer(
            server,
            "container",
            origin,
            provided.settings,
            provided.admin_name,
            provided.secrets,
            plan.image,
            container_id=started.container_id,
        )

    def _sweep(self) -> None:
        """Once per run, before the first start: remove what runs that were killed left behind."""
        with self._guard:
            if self._swept:
                return
            self._swept = True
        from harness.servers import docker

        with contextlib.suppress(DbcompatError):  # no engine: the start says so
            docker.remove_orphans(docker.client())

    def stop_all(self) -> None:
        """Stop the containers this run uses; with ``keep``, record them and leave them running."""
        if self._keep is not None:
            from harness.servers.containers import KeptServers, PoolerPlan

            kept = KeptServers(self._keep)
            entries = kept.load()
            for started in self._containers:
                entries[started.plan.server_id] = {
                    "image": started.plan.image,
                    "url": started.url,
                    "container_id": started.container_id or "",
                    **({"behind": started.plan.behind} if isinstance(started.plan, PoolerPlan) else {}),
                }
            kept.save(entries)
            self._containers.clear()
            return
        while self._containers:
            with self._guard:
                started = self._containers.pop()
            with contextlib.suppress(Exception):  # stopping is best effort at exit
                started.stop()
