"""The Docker engine, as the harness uses it: a client, images, and the containers it owns.

The client is testcontainers' own, so it follows the same engine testcontainers does
(``DOCKER_HOST``, the current Docker context, ``~/.testcontainers.properties``). Each
failure the engine can give has its own message: no engine, permission denied on its
socket, an image that cannot be pulled (no such image, no registry, a rate limit, no image
for this platform).

The harness does not use testcontainers' Ryuk reaper (its image is pulled from Docker Hub,
and concurrent starts race on it). It owns the cleanup instead: every container it starts
carries the labels below; a run removes its containers when it ends, and containers left by
a run that was killed (its process gone) are removed by the next run or ``stop-servers``.
Kept containers (``--keep-servers``) are labelled so, and only ``stop-servers`` removes them.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import platform
import re
import socket
import threading
from collections.abc import Collection, Iterator
from typing import Any

from harness.errors import ServerUnavailable
from harness.servers import IMAGE_PREFIX

LABEL_OWNER = "io.dbcompat.owner"  # "<host>:<pid>" of the dbcompat process that started it
LABEL_SERVER = "io.dbcompat.server"  # the matrix server id
LABEL_KEPT = "io.dbcompat.kept"  # "true" when left running for the next run
# Bounds every call to the engine (docker-py's own default is 60 s).
API_TIMEOUT = 60


class EngineUnavailable(ServerUnavailable):
    """The Docker engine cannot be used (none, or no permission): every container server is unavailable."""


def owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def labels(server_id: str, kept: bool) -> dict[str, str]:
    return {LABEL_OWNER: owner(), LABEL_SERVER: server_id, LABEL_KEPT: "true" if kept else "false"}


# Servers start on threads of their own; importing testcontainers from several at once can
# deadlock on its circular imports, so it is imported once, under this lock.
_IMPORTING = threading.Lock()
TESTCONTAINERS_MODULES = (
    "testcontainers.core.config",
    "testcontainers.core.docker_client",
    "testcontainers.core.container",
    "testcontainers.core.wait_strategies",
    "testcontainers.community.mysql",
    "testcontainers.community.postgres",
    "testcontainers.community.oracle",
)


def load_testcontainers() -> None:
    """Import every testcontainers module the harness uses; ImportError if it is not installed."""
    with _IMPORTING:
        for name in TESTCONTAINERS_MODULES:
            importlib.import_module(name)


def client() -> Any:
    """A docker-py client for the engine testcontainers uses; ServerUnavailable with the reason if none."""
    try:
        load_testcontainers()
        from testcontainers.core.docker_client import DockerClient
    except ImportError:
        raise EngineUnavailable("testcontainers is not installed: pip install 'django-dbcompat[containers]'") from None
    from docker.errors import DockerException

    try:
        docker = DockerClient(timeout=API_TIMEOUT).client
        docker.ping()
    except DockerException as exc:
        raise EngineUnavailable(engine_problem(exc)) from None
    return docker


def engine_problem(exc: BaseException) -> str:
    """Why the engine cannot be used, in words a user can act on."""
    text = str(exc)
    where = os.environ.get("DOCKER_HOST") or "the default socket (/var/run/docker.sock)"
    if "Permission denied" in text or "PermissionError" in text:
        return (
            f"permission denied on the Docker socket ({where}): add your user to the 'docker' group "
            "(then log in again), or point DOCKER_HOST at an engine you may use"
        )
    # docker-py wraps the socket's error: "... ('Connection aborted.', FileNotFoundError(2, 'No such file'))".
    inner = re.search(r"\w+Error\(\d+, '([^']*)'\)", text)
    detail = inner.group(1) if inner else _short(text, 200)
    return f"no Docker engine at {where} ({detail}): start one, or point DOCKER_HOST at one"


def pull_problem(image: str, exc: BaseException) -> str:
    """Why an image could not be pulled, one reason per kind of failure."""
    text = str(exc)
    lowered = text.lower()
    if "no matching manifest" in lowered or "no match for platform" in lowered:
        return (
            f"image {image} has no build for this platform ({platform.machine()}); run it under emulation "
            f"(DOCKER_DEFAULT_PLATFORM=linux/amd64) or set {IMAGE_PREFIX}<SERVER> to another image"
        )
    if "toomanyrequests" in lowered or "rate limit" in lowered:
        return f"image {image}: the registry refused the pull (rate limit); log in with 'docker login' or use a mirror"
    if any(
        word in lowered
        for word in ("no such host", "dial tcp", "connection refused", "i/o timeout", "network is unreachable")
    ):
        return (
            f"image {image} is not on this machine and no registry is reachable to pull it ({_short(text)}); "
            f"set TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX to a mirror, or {IMAGE_PREFIX}<SERVER> to a local image"
        )
    if "not found" in lowered or "manifest unknown" in lowered or "pull access denied" in lowered:
        return f"image {image} does not exist in its registry ({_short(text)})"
    return f"image {image} could not be pulled ({_short(text)})"


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def ensure_image(docker: Any, image: str, hint: str = "") -> None:
    """Pull the image unless the engine has it; ServerUnavailable with the pull's reason (and ``hint``)."""
    from docker.errors import DockerException, ImageNotFound

    try:
        docker.images.get(image)
        return
    except ImageNotFound:
        pass
    except DockerException as exc:
        raise EngineUnavailable(engine_problem(exc)) from None
    try:
        docker.images.pull(image)
    except DockerException as exc:
        raise ServerUnavailable(pull_problem(image, exc) + hint) from None


def owned_containers(docker: Any) -> Iterator[Any]:
    """Every container (running or not) that a dbcompat process started on this engine."""
    yield from docker.containers.list(all=True, filters={"label": LABEL_OWNER})


def _alive(owner_label: str) -> bool:
    """Whether the process named by an owner label still runs (only knowable on the same host)."""
    host, _, pid = owner_label.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine's: not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_orphans(docker: Any, include_kept: bool = False) -> list[str]:
    """Remove containers whose dbcompat process is gone (kept ones too with ``include_kept``); their ids."""
    removed = []
    for container in owned_containers(docker):
        found = container.labels or {}
        if found.get(LABEL_KEPT) == "true" and not include_kept:
            continue
        if found.get(LABEL_KEPT) != "true" and _alive(found.get(LABEL_OWNER, "")):
            continue
        with contextlib.suppress(Exception):  # already going away
            container.remove(force=True, v=True)
            removed.append(str(container.id))
    return removed


def remove_mine(docker: Any, spare: Collection[str] = ()) -> list[str]:
    """Remove every container this process started, but those in ``spare`` (an interrupted run); their ids."""
    removed = []
    for container in owned_containers(docker):
        found = container.labels or {}
        if found.get(LABEL_OWNER) == owner() and str(container.id) not in spare:
            with contextlib.suppress(Exception):
                container.remove(force=True, v=True)
                removed.append(str(container.id))
    return removed
