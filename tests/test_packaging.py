"""The built wheel holds the whole harness package: every module, template and schema."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_holds_every_file_of_the_package(tmp_path: Path) -> None:
    # Built from a copy: an in-tree build/ folder left by an earlier build would hide what is missing.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "harness", source / "harness", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", tmp_path, source],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("django_dbcompat-*.whl")
    packaged = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "harness").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert len(expected) > 40
    assert expected - packaged == set()
