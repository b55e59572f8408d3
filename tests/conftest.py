from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.matrix import Matrix, load_matrix

ROOT_MATRIX = load_matrix()


@pytest.fixture
def matrix() -> Matrix:
    return ROOT_MATRIX


def unexplained_findings(results: dict[str, Any]) -> list[tuple[str, str, object]]:
    """The findings (differs from docs) of ``results`` (cell -> CellResult) with no explanation and source."""
    from harness.results import Outcome

    return [
        (cell, check.id, check.observed)
        for cell, result in results.items()
        for check in result.checks
        if check.outcome is Outcome.DIFFERS and not (check.explanation and check.explanation_source)
    ]


def live_url(variable: str) -> str:
    """The URL of a real server for live tests: a failure in CI when it is missing, a skip elsewhere."""
    url = os.environ.get(variable)
    if not url:
        message = f"{variable} is not set; live tests need the local server (see README, 'Running the tests')"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def postgres_url() -> str:
    return live_url("DBCOMPAT_URL_POSTGRES15")


@pytest.fixture
def mariadb_url() -> str:
    return live_url("DBCOMPAT_URL_MARIADB1011")


@pytest.fixture(scope="session")
def server_image() -> Callable[[str], str]:
    """The tag of the image ``dbcompat images build`` makes for a server (built once, then reused)."""
    import subprocess
    import sys
    from pathlib import Path

    tags: dict[str, str] = {}

    def image(server_id: str) -> str:
        if server_id not in tags:
            command = [str(Path(sys.executable).parent / "dbcompat"), "images", "build", server_id]
            done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
            if done.returncode != 0:
                pytest.fail(f"dbcompat images build {server_id} failed: {done.stderr.strip()[-2000:]}")
            line = done.stdout.strip().splitlines()[-1]
            tags[server_id] = line.split("=", 1)[1]
        return tags[server_id]

    return image


# Debian's Chromium (or DBCOMPAT_CHROMIUM), driven by Playwright: no browser is downloaded.
CHROMIUM = os.environ.get("DBCOMPAT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def _missing(what: str) -> None:
    message = f"{what}; the browser test needs it (apt-get install chromium; pip install playwright)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed")
    if not Path(CHROMIUM).exists():
        _missing(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()
