"""Running the steps of a build: a bounded command whose log is kept when it fails, scratch
folders (with what debootstrap mounted in them undone), and one build of a tag at a time.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from harness.images.docker_cli import TIMEOUTS, Docker, ImageBuildError, Say, last_line


def run_step(
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
        said = last_line(log.read_bytes())
        raise ImageBuildError(
            f"image {image}: step {step} failed (exit status {done.returncode}: {said}); log kept: {log}"
        )
    log.unlink(missing_ok=True)
    return done


@contextlib.contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """A temporary folder, removed afterwards (after unmounting anything debootstrap left mounted in it)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        unmount_under(folder)
        shutil.rmtree(folder, ignore_errors=True)


def unmount_under(folder: Path) -> None:
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
def build_lock(docker: Docker, tag: str, say: Say) -> Iterator[None]:
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
    "build_lock",
    "run_step",
    "scratch_folder",
    "unmount_under",
]
