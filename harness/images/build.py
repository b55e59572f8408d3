"""Building the server images in turn, each under its lock, reusing what is current.

``build_images`` makes, for each recipe, the suite's base image (a ``debootstrap
--variant=minbase`` root filesystem loaded with ``docker import``) and then the server
image (``docker build`` from that base, the server installed from Debian's packages in
the build). What the machine already has is reused: a base image whose recipe-hash
label matches, a server image whose recipe-hash label matches (the hash covers the
recipe, its Dockerfile and entrypoint, and the base image's id). A tag is only ever
moved onto a finished image, so a failed step leaves nothing half-built tagged; its
log is kept and named in the error. ``base_image`` and ``server_image`` make the two
kinds of image, ``steps`` runs their commands, ``docker_cli`` talks to the engine.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from harness.images.base_image import BaseImage, ensure_base
from harness.images.docker_cli import LABEL_RECIPE_HASH, Docker, Say, labels_of
from harness.images.recipes import DEFAULT_MIRROR, Recipe
from harness.images.server_image import BuiltImage, ensure_server
from harness.images.steps import build_lock

DEFAULT_LOG_DIR = Path(".dbcompat") / "images"


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
            with build_lock(docker, suite.base_tag, say):
                bases[suite.name] = ensure_base(suite, mirror, docker, log_dir, say)
        with build_lock(docker, recipe.tag, say):
            image = ensure_server(recipe, bases[suite.name], docker, log_dir, rebuild, say)
        built.append(image)
        done(image)
    fresh = sum(not image.reused for image in built)
    say(f"{len(built)} images in {time.monotonic() - started:.1f}s ({fresh} built, {len(built) - fresh} reused)")
    return built


__all__ = [
    "DEFAULT_LOG_DIR",
    "Docker",  # what build_images is given (benchmarks/image_build.py imports it from here)
    "build_images",
    "current_image",
]
