"""The docker command line, every call bounded, and the errors of an image build.

``TIMEOUTS`` bounds each kind of step a build runs (Docker's and the others); the labels
say who built an image and from which recipe, which is how a current image is recognised.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from harness.errors import EXIT_HARNESS_ERROR, DbcompatError
from harness.images.recipes import LABEL_PREFIX

# Seconds each kind of step may take before it is stopped and reported as failed.
TIMEOUTS = {
    "docker version": 30,
    "inspect": 60,
    "debootstrap": 1200,
    "tar": 600,
    "docker import": 600,
    "docker build": 1800,
    "package version": 120,
    "labels": 300,
    "remove old image": 120,
    "lock": 3600,
}

LABEL_BUILT_BY = f"{LABEL_PREFIX}.built-by"
LABEL_RECIPE_HASH = f"{LABEL_PREFIX}.recipe-hash"
LABEL_SERVER = f"{LABEL_PREFIX}.server"
LABEL_SUITE = f"{LABEL_PREFIX}.debian-suite"
LABEL_PACKAGE = f"{LABEL_PREFIX}.debian-package"
LABEL_PACKAGE_VERSION = f"{LABEL_PREFIX}.debian-package-version"
LABEL_DESCRIPTION = "org.opencontainers.image.description"


class ImageBuildError(DbcompatError):
    """A step of an image build failed: the message names the image, the step and the log kept."""

    exit_status = EXIT_HARNESS_ERROR


class DockerUnavailable(DbcompatError):
    """No Docker engine answers, so no image can be built."""

    exit_status = EXIT_HARNESS_ERROR


Say = Callable[[str], None]


@dataclass(frozen=True)
class Docker:
    """The docker command line; every call has a timeout."""

    command: str = "docker"

    def run(self, args: Sequence[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
        return _run([self.command, *args], timeout)

    def server_version(self) -> str:
        """The engine's version; raises DockerUnavailable when it does not answer."""
        args = ["version", "--format", "{{.Server.Version}}"]
        try:
            done = self.run(args, TIMEOUTS["docker version"])
        except FileNotFoundError:
            raise DockerUnavailable(
                f"no '{self.command}' command on PATH: install Docker to build images (dbcompat images build)"
            ) from None
        except subprocess.TimeoutExpired:
            raise DockerUnavailable(
                f"the Docker engine does not answer: '{self.command} version' took over "
                f"{TIMEOUTS['docker version']} s; start dockerd (or set DOCKER_HOST) and run again"
            ) from None
        said = last_line(done.stderr) or last_line(done.stdout)
        if done.returncode != 0 or not done.stdout.strip():
            raise DockerUnavailable(
                f"the Docker engine does not answer ('{self.command} version': {said}); "
                "start dockerd (or set DOCKER_HOST) and run again"
            )
        return done.stdout.decode().strip()

    def inspect(self, reference: str) -> dict[str, Any] | None:
        """An image's inspect data, or None when the machine has no such image."""
        done = self.run(["image", "inspect", reference], TIMEOUTS["inspect"])
        if done.returncode != 0:
            return None
        data = json.loads(done.stdout.decode() or "[]")
        return data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else None


def labels_of(inspected: dict[str, Any] | None) -> dict[str, str]:
    if not inspected:
        return {}
    labels = (inspected.get("Config") or {}).get("Labels") or {}
    return {str(key): str(value) for key, value in labels.items()}


def remove_replaced(docker: Docker, previous: dict[str, Any] | None, new_id: str, say: Say) -> None:
    """Remove the image a tag pointed at before, unless a container still uses it."""
    if not previous or str(previous.get("Id")) == new_id:
        return
    done = docker.run(["image", "rm", str(previous["Id"])], TIMEOUTS["remove old image"])
    if done.returncode != 0:
        say(f"kept the replaced image {str(previous['Id'])[:19]}: {last_line(done.stderr)}")


def _run(argv: Sequence[str], timeout: float, *, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run a command to its end or its timeout, its output captured."""
    return subprocess.run(list(argv), input=stdin, capture_output=True, timeout=timeout, check=False)


def last_line(output: bytes) -> str:
    lines = [line.strip() for line in output.decode(errors="replace").splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


__all__ = [
    "LABEL_BUILT_BY",
    "LABEL_DESCRIPTION",
    "LABEL_PACKAGE",
    "LABEL_PACKAGE_VERSION",
    "LABEL_RECIPE_HASH",
    "LABEL_SERVER",
    "LABEL_SUITE",
    "TIMEOUTS",
    "Docker",
    "DockerUnavailable",
    "ImageBuildError",
    "Say",
    "labels_of",
    "last_line",
    "remove_replaced",
]
