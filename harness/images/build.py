"""Building the server images: debootstrap, docker import, docker build, with every wait bounded.

``build_images`` makes, for each recipe, the suite's base image (a ``debootstrap
--variant=minbase`` root filesystem loaded with ``docker import``) and then the server
image (``docker build`` from that base, the server installed from Debian's packages in
the build). What the machine already has is reused: a base image whose recipe-hash
label matches, a server image whose recipe-hash label matches (the hash covers the
recipe, its Dockerfile and entrypoint, and the base image's id). A tag is only ever
moved onto a finished image, so a failed step leaves nothing half-built tagged; its
log is kept and named in the error.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import __version__
from harness.errors import EXIT_HARNESS_ERROR, DbcompatError
from harness.images.recipes import DEFAULT_MIRROR, DPKG_EXCLUDES, LABEL_PREFIX, SUITES, Recipe, Suite

DEFAULT_LOG_DIR = Path(".dbcompat") / "images"

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


@dataclass(frozen=True)
class BaseImage:
    suite: str
    tag: str
    image_id: str
    reused: bool
    seconds: float


@dataclass(frozen=True)
class BuiltImage:
    recipe: Recipe
    image_id: str
    package_version: str
    reused: bool
    seconds: float  # the server image alone; the base image's time is in ``base``
    base: BaseImage

    @property
    def tag(self) -> str:
        return self.recipe.tag


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
        said = _last_line(done.stderr) or _last_line(done.stdout)
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


def current_image(recipe: Recipe, mirror: str = DEFAULT_MIRROR, docker: Docker | None = None) -> str | None:
    """The tag of the recipe's image when the machine has it built from the current recipe, else None."""
    docker = docker or Docker()
    suite = recipe.debian_suite
    base = docker.inspect(suite.base_tag)
    if base is None or labels_of(base).get(LABEL_RECIPE_HASH) != suite.base_hash(mirror):
        return None
    image = docker.inspect(recipe.tag)
    if labels_of(image).get(LABEL_RECIPE_HASH) != recipe.recipe_hash(str(base["Id"])):
        return None
    return recipe.tag


def build_images(
    recipes: Sequence[Recipe],
    *,
    mirror: str = DEFAULT_MIRROR,
    log_dir: Path = DEFAULT_LOG_DIR,
    rebuild: bool = False,
    docker: Docker | None = None,
    say: Say = lambda text: None,
    done: Callable[[BuiltImage], None] = lambda image: None,
) -> list[BuiltImage]:
    """Build (or reuse) each recipe's image in turn; ``done`` is called as each one is ready."""
    docker = docker or Docker()
    engine = docker.server_version()
    say(f"Docker engine {engine}; logs of failed steps go to {log_dir}/")
    started = time.monotonic()
    built: list[BuiltImage] = []
    bases: dict[str, BaseImage] = {}
    for recipe in recipes:
        suite = recipe.debian_suite
        if suite.name not in bases:
            with _build_lock(docker, suite.base_tag, say):
                bases[suite.name] = ensure_base(suite, mirror, docker, log_dir, say)
        with _build_lock(docker, recipe.tag, say):
            image = ensure_server(recipe, bases[suite.name], docker, log_dir, rebuild, say)
        built.append(image)
        done(image)
    fresh = sum(not image.reused for image in built)
    say(f"{len(built)} images in {time.monotonic() - started:.1f}s ({fresh} built, {len(built) - fresh} reused)")
    return built


# -- the base image of a suite ------------------------------------------------------------


def ensure_base(suite: Suite, mirror: str, docker: Docker, log_dir: Path, say: Say) -> BaseImage:
    started = time.monotonic()
    wanted = suite.base_hash(mirror)
    current = docker.inspect(suite.base_tag)
    if current and labels_of(current).get(LABEL_RECIPE_HASH) == wanted:
        seconds = time.monotonic() - started
        say(f"{suite.base_tag}: reused ({seconds:.1f}s)")
        return BaseImage(suite.name, suite.base_tag, str(current["Id"]), True, seconds)
    name = f"debian-{suite.name}"
    if shutil.which("debootstrap") is None:
        raise ImageBuildError(
            f"image {suite.base_tag}: step debootstrap: debootstrap is not installed (apt-get install debootstrap)"
        )
    if os.geteuid() != 0:
        raise ImageBuildError(f"image {suite.base_tag}: step debootstrap: debootstrap needs root; run as root")
    say(f"{suite.base_tag}: debootstrap --variant=minbase {suite.name} from {mirror} ...")
    with _scratch(f"dbcompat-{suite.name}-") as scratch:
        rootfs = scratch / "rootfs"
        _step(
            suite.base_tag,
            "debootstrap",
            ["debootstrap", "--variant=minbase", "--components=main", suite.name, str(rootfs), mirror],
            log_dir / f"{name}-debootstrap.log",
        )
        _unmount_under(scratch)
        prepare_rootfs(rootfs, suite, mirror)
        archive = scratch / "rootfs.tar"
        _step(
            suite.base_tag,
            "tar",
            ["tar", "--numeric-owner", "--xattrs", "-C", str(rootfs), "-cf", str(archive), "."],
            log_dir / f"{name}-tar.log",
        )
        labels = {
            LABEL_BUILT_BY: f"dbcompat {__version__}",
            LABEL_SUITE: suite.name,
            LABEL_RECIPE_HASH: wanted,
            LABEL_DESCRIPTION: f"Debian {suite.name} (debootstrap --variant=minbase) built by dbcompat {__version__}",
        }
        changes = ["ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 'CMD ["bash"]']
        changes += [f"LABEL {key}={json.dumps(value)}" for key, value in labels.items()]
        _step(
            suite.base_tag,
            "docker import",
            [docker.command, "import", *(f"--change={change}" for change in changes), str(archive), suite.base_tag],
            log_dir / f"{name}-import.log",
        )
    image = docker.inspect(suite.base_tag)
    if image is None:
        raise ImageBuildError(f"image {suite.base_tag}: step docker import: the image is not there afterwards")
    _remove_replaced(docker, current, str(image["Id"]), say)
    seconds = time.monotonic() - started
    say(f"{suite.base_tag}: built in {seconds:.1f}s")
    return BaseImage(suite.name, suite.base_tag, str(image["Id"]), False, seconds)


def prepare_rootfs(rootfs: Path, suite: Suite, mirror: str) -> None:
    """Make a debootstrapped tree a container base, as Debian's own images are made.

    apt sources (with -updates and -security for stable suites), no recommends, no
    docs or man pages, no daemons started by package scripts, UTC, and none of the host's
    files (hostname, resolv.conf: Docker provides them) or of debootstrap's caches.
    """
    (rootfs / "etc/apt/sources.list").write_text(suite.sources(mirror), encoding="utf-8")
    (rootfs / "etc/apt/apt.conf.d").mkdir(parents=True, exist_ok=True)
    (rootfs / "etc/apt/apt.conf.d/90dbcompat").write_text(suite.apt_settings(), encoding="utf-8")
    (rootfs / "etc/dpkg/dpkg.cfg.d").mkdir(parents=True, exist_ok=True)
    (rootfs / "etc/dpkg/dpkg.cfg.d/90dbcompat-slim").write_text(DPKG_EXCLUDES, encoding="utf-8")
    policy = rootfs / "usr/sbin/policy-rc.d"
    policy.parent.mkdir(parents=True, exist_ok=True)
    policy.write_text("#!/bin/sh\n# no service is started while an image is built\nexit 101\n", encoding="utf-8")
    policy.chmod(0o755)
    localtime = rootfs / "etc/localtime"
    if localtime.is_symlink() or localtime.exists():
        localtime.unlink()
    localtime.symlink_to("/usr/share/zoneinfo/Etc/UTC")
    (rootfs / "etc/timezone").write_text("Etc/UTC\n", encoding="utf-8")
    for name in ("etc/hostname", "etc/resolv.conf"):
        path = rootfs / name
        if path.is_symlink() or path.exists():
            path.unlink()
        path.write_text("", encoding="utf-8")
    for folder, keep in (
        ("var/cache/apt/archives", {"partial", "lock"}),
        ("var/cache/apt", {"archives"}),
        ("var/lib/apt/lists", {"partial", "lock", "auxfiles"}),
        ("var/log", {"apt"}),
        ("dev", set()),
        ("usr/share/man", set()),
        ("usr/share/info", set()),
    ):
        _empty(rootfs / folder, keep)
    docs = rootfs / "usr/share/doc"
    if docs.is_dir():
        for package in docs.iterdir():
            if package.is_dir() and not package.is_symlink():
                _empty(package, {"copyright"})


def _empty(folder: Path, keep: set[str]) -> None:
    if not folder.is_dir() or folder.is_symlink():
        return
    for entry in folder.iterdir():
        if entry.name in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


# -- the server image -----------------------------------------------------------------------


def ensure_server(
    recipe: Recipe, base: BaseImage, docker: Docker, log_dir: Path, rebuild: bool, say: Say
) -> BuiltImage:
    started = time.monotonic()
    wanted = recipe.recipe_hash(base.image_id)
    current = docker.inspect(recipe.tag)
    labels = labels_of(current)
    if current and not rebuild and labels.get(LABEL_RECIPE_HASH) == wanted:
        seconds = time.monotonic() - started
        version = labels.get(LABEL_PACKAGE_VERSION, "")
        say(f"{recipe.tag} ({recipe.server_id}): reused ({seconds:.1f}s): {recipe.package} {version}")
        return BuiltImage(recipe, str(current["Id"]), version, True, seconds, base)
    say(f"{recipe.tag} ({recipe.server_id}): docker build from {base.tag}, Debian package {recipe.package} ...")
    with _scratch(f"dbcompat-{recipe.server_id}-") as context:
        for name, text in recipe.files().items():
            (context / name).write_text(text, encoding="utf-8")
            (context / name).chmod(0o755 if name.endswith(".sh") else 0o644)
        iidfile = context.parent / f"{context.name}.iid"
        args = [docker.command, "build", "--force-rm", "--iidfile", str(iidfile), "--build-arg", f"BASE={base.tag}"]
        if rebuild:
            # fresh packages: Docker's layer cache would replay the apt-get of the last build
            args.append("--no-cache")
        for key, value in recipe.build_args:
            args += ["--build-arg", f"{key}={value}"]
        try:
            _step(recipe.tag, "docker build", [*args, str(context)], log_dir / f"{recipe.server_id}-build.log")
            intermediate = iidfile.read_text(encoding="utf-8").strip()
        finally:
            iidfile.unlink(missing_ok=True)
    version_log = log_dir / f"{recipe.server_id}-package-version.log"
    query = ["run", "--rm", "--network", "none", "--entrypoint", "dpkg-query", intermediate]
    done = _step(
        recipe.tag,
        "package version",
        [docker.command, *query, "-W", "-f", "${Version}", recipe.package],
        version_log,
        capture=True,
    )
    version = done.stdout.decode().strip()
    final_labels = {
        LABEL_BUILT_BY: f"dbcompat {__version__}",
        LABEL_SERVER: recipe.server_id,
        LABEL_SUITE: recipe.suite,
        LABEL_PACKAGE: recipe.package,
        LABEL_PACKAGE_VERSION: version,
        LABEL_RECIPE_HASH: wanted,
        LABEL_DESCRIPTION: recipe.description(version),
    }
    # Labels are added in a build of their own, once the package version is known; only this
    # last step tags, so the tag never points at an unfinished image.
    label_args = [item for key, value in final_labels.items() for item in ("--label", f"{key}={value}")]
    _step(
        recipe.tag,
        "labels",
        [docker.command, "build", "--force-rm", "-t", recipe.tag, *label_args, "-"],
        log_dir / f"{recipe.server_id}-labels.log",
        stdin=f"FROM {intermediate}\n".encode(),
    )
    image = docker.inspect(recipe.tag)
    if image is None:
        raise ImageBuildError(f"image {recipe.tag} ({recipe.server_id}): step labels: no such image afterwards")
    _remove_replaced(docker, current, str(image["Id"]), say)
    seconds = time.monotonic() - started
    say(f"{recipe.tag} ({recipe.server_id}): built in {seconds:.1f}s: {recipe.package} {version}")
    return BuiltImage(recipe, str(image["Id"]), version, False, seconds, base)


def _remove_replaced(docker: Docker, previous: dict[str, Any] | None, new_id: str, say: Say) -> None:
    """Remove the image a tag pointed at before, unless a container still uses it."""
    if not previous or str(previous.get("Id")) == new_id:
        return
    done = docker.run(["image", "rm", str(previous["Id"])], TIMEOUTS["remove old image"])
    if done.returncode != 0:
        say(f"kept the replaced image {str(previous['Id'])[:19]}: {_last_line(done.stderr)}")


# -- running steps --------------------------------------------------------------------------


def _run(argv: Sequence[str], timeout: float, *, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run a command to its end or its timeout, its output captured."""
    return subprocess.run(list(argv), input=stdin, capture_output=True, timeout=timeout, check=False)


def _step(
    image: str, step: str, argv: Sequence[str], log: Path, *, stdin: bytes | None = None, capture: bool = False
) -> subprocess.CompletedProcess[bytes]:
    """One build step, its output in ``log`` (stdout returned instead with ``capture``).

    Raises ImageBuildError naming the image, the step and the log, which is kept; a step that
    succeeds leaves no log.
    """
    timeout = TIMEOUTS[step]
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        with log.open("wb") as sink:
            sink.write(f"$ {' '.join(argv)}\n".encode())
            sink.flush()
            done = subprocess.run(
                list(argv),
                input=stdin,
                stdout=subprocess.PIPE if capture else sink,
                stderr=sink,
                timeout=timeout,
                check=False,
            )
    except FileNotFoundError:
        raise ImageBuildError(f"image {image}: step {step}: no {argv[0]!r} command on PATH") from None
    except subprocess.TimeoutExpired:
        raise ImageBuildError(f"image {image}: step {step} took over {timeout} s, stopped; log kept: {log}") from None
    if done.returncode != 0:
        said = _last_line(log.read_bytes())
        raise ImageBuildError(
            f"image {image}: step {step} failed (exit status {done.returncode}: {said}); log kept: {log}"
        )
    log.unlink(missing_ok=True)
    return done


def _last_line(output: bytes) -> str:
    lines = [line.strip() for line in output.decode(errors="replace").splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


@contextlib.contextmanager
def _scratch(prefix: str) -> Iterator[Path]:
    """A temporary folder, removed afterwards (after unmounting anything debootstrap left mounted in it)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        _unmount_under(folder)
        shutil.rmtree(folder, ignore_errors=True)


def _unmount_under(folder: Path) -> None:
    """Unmount whatever is mounted below ``folder`` (debootstrap mounts /proc and /sys while it works)."""
    prefix = str(folder.resolve()) + "/"
    try:
        mounts = Path("/proc/self/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return
    points = [line.split()[1] for line in mounts if len(line.split()) > 1]
    points = [point.encode().decode("unicode_escape") for point in points]
    for point in sorted((p for p in points if p.startswith(prefix)), key=len, reverse=True):
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            subprocess.run(["umount", "-l", point], capture_output=True, timeout=30, check=False)


@contextlib.contextmanager
def _build_lock(docker: Docker, tag: str, say: Say) -> Iterator[None]:
    """One build of a tag at a time on an engine (e.g. two test workers): the others wait, bounded."""
    engine = hashlib.sha256(f"{docker.command}|{os.environ.get('DOCKER_HOST', '')}".encode()).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9.-]+", "-", tag)
    path = Path(tempfile.gettempdir()) / f"dbcompat-images-{os.getuid()}-{engine}-{name}.lock"
    with path.open("a") as handle:
        deadline = time.monotonic() + TIMEOUTS["lock"]
        waiting = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ImageBuildError(
                        f"image {tag}: another 'dbcompat images build' has held {path} for over "
                        f"{TIMEOUTS['lock']} s; wait for it or end it, and run again"
                    ) from None
                if not waiting:
                    say(f"{tag}: waiting for another 'dbcompat images build' (lock {path})")
                    waiting = True
                time.sleep(1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


__all__ = [
    "DEFAULT_LOG_DIR",
    "SUITES",
    "BaseImage",
    "BuiltImage",
    "Docker",
    "DockerUnavailable",
    "ImageBuildError",
    "build_images",
    "current_image",
    "prepare_rootfs",
]
