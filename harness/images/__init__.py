"""Server images built on this machine from Debian's packages (``dbcompat images build``).

Where no image registry is reachable, the matrix servers Debian ships are built
locally: a base image per Debian suite from ``debootstrap --variant=minbase``, and
per server an image with Debian's server package and an entrypoint that honours the
official images' variables, so testcontainers' own ``PostgresContainer`` and
``MySqlContainer`` start them unchanged. ``recipes`` holds what each image is made
of (data); ``build`` builds or reuses them in turn, ``base_image`` making a suite's base
(debootstrap, docker import) and ``server_image`` a server's (docker build); ``steps``
runs the bounded, logged commands under a lock and ``docker_cli`` talks to Docker.
"""

from __future__ import annotations

from harness.images.build import build_images
from harness.images.docker_cli import DockerUnavailable, ImageBuildError
from harness.images.recipes import RECIPES, Recipe, export_line, image_variable, select_recipes
from harness.images.server_image import BuiltImage

__all__ = [
    "RECIPES",
    "BuiltImage",
    "DockerUnavailable",
    "ImageBuildError",
    "Recipe",
    "build_images",
    "export_line",
    "image_variable",
    "select_recipes",
]
