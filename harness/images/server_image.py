"""The server image of a recipe: ``docker build`` from its suite's base image, the server
installed from Debian's packages, then labelled with the package version and tagged.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from harness import __version__
from harness.images.base_image import BaseImage
from harness.images.docker_cli import (
    LABEL_BUILT_BY,
    LABEL_DESCRIPTION,
    LABEL_PACKAGE,
    LABEL_PACKAGE_VERSION,
    LABEL_RECIPE_HASH,
    LABEL_SERVER,
    LABEL_SUITE,
    Docker,
    ImageBuildError,
    Say,
    labels_of,
    remove_replaced,
)
from harness.images.recipes import Recipe
from harness.images.steps import run_step, scratch_folder


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
    with scratch_folder(f"dbcompat-{recipe.server_id}-") as context:
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
            run_step(recipe.tag, "docker build", [*args, str(context)], log_dir / f"{recipe.server_id}-build.log")
            intermediate = iidfile.read_text(encoding="utf-8").strip()
        finally:
            iidfile.unlink(missing_ok=True)
    version_log = log_dir / f"{recipe.server_id}-package-version.log"
    query = ["run", "--rm", "--network", "none", "--entrypoint", "dpkg-query", intermediate]
    done = run_step(
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
    run_step(
        recipe.tag,
        "labels",
        [docker.command, "build", "--force-rm", "-t", recipe.tag, *label_args, "-"],
        log_dir / f"{recipe.server_id}-labels.log",
        stdin=f"FROM {intermediate}\n".encode(),
    )
    image = docker.inspect(recipe.tag)
    if image is None:
        raise ImageBuildError(f"image {recipe.tag} ({recipe.server_id}): step labels: no such image afterwards")
    remove_replaced(docker, current, str(image["Id"]), say)
    seconds = time.monotonic() - started
    say(f"{recipe.tag} ({recipe.server_id}): built in {seconds:.1f}s: {recipe.package} {version}")
    return BuiltImage(recipe, str(image["Id"]), version, False, seconds, base)


__all__ = [
    "BuiltImage",
    "ensure_server",
]
