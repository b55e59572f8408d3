"""tox.ini is generated from matrix.yaml; the two must not drift, and tox must read it as intended."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness.cli import main
from harness.matrix import Matrix
from harness.toxini import render_tox_ini

ROOT = Path(__file__).resolve().parent.parent


def test_tox_ini_matches_the_matrix(matrix: Matrix) -> None:
    assert (ROOT / "tox.ini").read_text() == render_tox_ini(matrix), "run 'dbcompat tox-ini'"


def test_check_flag_reports_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "tox.ini"
    stale.write_text((ROOT / "tox.ini").read_text().replace("Django~=4.2.0", "Django~=4.1.0"))
    assert main(["tox-ini", "--check", "--output", str(stale)]) == 1
    assert "differs from" in capsys.readouterr().err
    assert main(["tox-ini", "--output", str(stale)]) == 0
    assert main(["tox-ini", "--check", "--output", str(stale)]) == 0


def test_every_server_driver_pair_has_a_default_env(matrix: Matrix) -> None:
    text = render_tox_ini(matrix)
    pairs = {f"{c.server.id}-{c.driver.id}" for c in matrix.cells}
    for pair in pairs:
        assert f"[testenv:{pair}]" in text
    assert "[testenv:report]" in text


def tox_config(env: str, *keys: str) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "tox", "config", "-e", env, "-k", *keys],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    values: dict[str, str] = {}
    key = ""
    for line in done.stdout.splitlines():
        if "=" in line and not line.startswith((" ", "[")):
            key, _, value = line.partition("=")
            key = key.strip()
            values[key] = value.strip()
        elif line.startswith("  ") and key:
            values[key] += "\n" + line.strip()
    return values


def test_tox_resolves_a_default_env_to_the_newest_supporting_django() -> None:
    config = tox_config("mysql80-connector", "deps", "base_python", "commands")
    assert "Django~=6.0.0" in config["deps"]  # Django 6.1 requires MySQL 8.4 (Django 6.1 docs, MySQL notes)
    assert "mysql-connector-python" in config["deps"]
    assert "mysqlclient" not in config["deps"]
    assert config["base_python"] == "python3.12"
    assert "--dbcompat-cell=mysql80-connector" in config["commands"]


def test_tox_resolves_a_django_factor_env() -> None:
    config = tox_config("django42-postgres15-psycopg2", "deps", "base_python")
    assert "Django~=4.2.0" in config["deps"]
    assert "psycopg2-binary" in config["deps"]
    assert "psycopg[binary]" not in config["deps"]
    assert config["base_python"] == "python3.11"
