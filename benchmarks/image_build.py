"""Time to build the server images from Debian's packages, and to reuse them.

    python benchmarks/image_build.py [SERVER ...] [--fresh]

Runs ``dbcompat images build`` twice in this process: the first pass builds what is
missing or stale (with ``--fresh``, the chosen servers' images and their base images
are removed first, so every one is built from scratch; Docker's layer cache goes with
them), the second must reuse everything. Prints one row per image with both times.
Needs a Docker engine, debootstrap and root; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from harness.images import BuiltImage, build_images, select_recipes
from harness.images.build import Docker


def say(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("servers", nargs="*", help="server ids or globs (default: every image)")
    parser.add_argument("--fresh", action="store_true", help="remove the images first and build from scratch")
    args = parser.parse_args()
    recipes = select_recipes(args.servers)
    docker = Docker()
    if args.fresh:
        tags = [recipe.tag for recipe in recipes] + sorted({recipe.debian_suite.base_tag for recipe in recipes})
        for tag in tags:
            subprocess.run([docker.command, "image", "rm", tag], capture_output=True, timeout=120, check=False)
    passes: list[tuple[float, list[BuiltImage]]] = []
    for label in ("first", "again"):
        print(f"{label} pass:", file=sys.stderr)
        started = time.monotonic()
        built = build_images(recipes, docker=docker, say=say)
        passes.append((time.monotonic() - started, built))
    (first_total, first), (again_total, again) = passes
    print(f"{'image':<24} {'package version':<26} {'base':>8} {'first':>8} {'again':>8}")
    shown_bases: set[str] = set()
    for one, two in zip(first, again, strict=True):
        base = "reused" if one.base.reused else f"{one.base.seconds:.1f}s"
        if one.base.suite in shown_bases:
            base = "shared"
        shown_bases.add(one.base.suite)
        shown = "reused" if one.reused else f"{one.seconds:.1f}s"
        print(f"{one.tag:<24} {one.package_version:<26} {base:>8} {shown:>8} {two.seconds:>7.1f}s")
    print(f"{'all':<24} {'':<26} {'':>8} {first_total:>7.1f}s {again_total:>7.1f}s")
    if not all(image.reused for image in again):
        print("the second pass built images again: their recipe hash is not stable", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
