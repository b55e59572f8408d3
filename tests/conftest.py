from __future__ import annotations

import os

import pytest

from harness.matrix import Matrix, load_matrix

ROOT_MATRIX = load_matrix()


@pytest.fixture
def matrix() -> Matrix:
    return ROOT_MATRIX


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
