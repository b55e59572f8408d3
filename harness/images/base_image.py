"""The base image of a Debian suite: a ``debootstrap --variant=minbase`` root filesystem,
made a container base as Debian's own images are and loaded with ``docker import``.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from harness import __version__
from harness.images.docker_cli import (
    LABEL_BUILT_BY,
    LABEL_DESCRIPTION,
    LABEL_RECIPE_HASH,
    LABEL_SUITE,
    Docker,
    ImageBuildError,
    Say,
    labels_of,
    remove_replaced,
)
from harness.images.recipes import DPKG_EXCLUDES, Suite
from harness.images.steps import run_step, scratch_folder, unmount_under


@dataclass(frozen=True)
class BaseImage:
    suite: str
    tag: str
    image_id: str
    reused: bool
    seconds: float


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
    with scratch_folder(f"dbcompat-{suite.name}-") as scratch:
        rootfs = scratch / "rootfs"
        run_step(
            suite.base_tag,
            "debootstrap",
            ["debootstrap", "--variant=minbase", "--components=main", suite.name, str(rootfs), mirror],
            log_dir / f"{name}-debootstrap.log",
        )
        unmount_under(scratch)
        prepare_rootfs(rootfs, suite, mirror)
        archive = scratch / "rootfs.tar"
        run_step(
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
        run_step(
            suite.base_tag,
            "docker import",
            [docker.command, "import", *(f"--change={change}" for change in changes), str(archive), suite.base_tag],
            log_dir / f"{name}-import.log",
        )
    image = docker.inspect(suite.base_tag)
    if image is None:
        raise ImageBuildError(f"image {suite.base_tag}: step docker import: the image is not there afterwards")
    remove_replaced(docker, current, str(image["Id"]), say)
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


__all__ = [
    "BaseImage",
    "ensure_base",
    "prepare_rootfs",
]
