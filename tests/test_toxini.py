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


def test_tox_resolves_a_variant_env_with_its_own_requirement() -> None:
    config = tox_config("django52-postgres15-psycopg-pool", "deps", "commands")
    assert "psycopg[binary,pool]>=3.1.12" in config["deps"]
    assert "Django~=5.2.0" in config["deps"]
    assert "--dbcompat-cell=django52-postgres15-psycopg-pool" in config["commands"]
    # The plain driver's env does not get the variant's requirement.
    assert "pool" not in tox_config("django52-postgres15-psycopg", "deps")["deps"]


def test_tox_resolves_a_third_party_backend_env_to_a_django_it_supports() -> None:
    # django-prometheus supports Django <6.1 (its metadata): the default env is the newest Django it supports.
    config = tox_config("postgres15-prometheus-psycopg", "deps", "base_python")
    assert "django-prometheus>=2.3" in config["deps"]
    assert "psycopg[binary]>=3.1.12" in config["deps"]
    assert "Django~=6.0.0" in config["deps"]
    assert "django-db-connection-pool" not in config["deps"]


def test_a_backend_requirement_naming_the_django_release_gets_one_line_per_version(tmp_path: Path) -> None:
    from harness.matrix import load_matrix

    path = tmp_path / "matrix.yaml"
    text = (ROOT / "matrix.yaml").read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "servers:\n",
            "  - id: cockroach-psycopg\n"
            "    name: django-cockroachdb over psycopg 3\n"
            "    variant_of: psycopg\n"
            "    engine: django_cockroachdb\n"
            "    vendors: [cockroachdb]\n"
            '    backend: {distribution: django-cockroachdb, requirement: "django-cockroachdb~={django}.0"}\n'
            "servers:\n",
            1,
        )
        + '  - {id: cockroach241, vendor: cockroachdb, version: "24.1", image: "cockroachdb/cockroach:v24.1.0"}\n',
        encoding="utf-8",
    )
    rendered = render_tox_ini(load_matrix(path))
    assert "    django42-cockroach-psycopg: django-cockroachdb~=4.2.0\n" in rendered
    assert "    django61-cockroach-psycopg: django-cockroachdb~=6.1.0\n" in rendered
    assert "[testenv:cockroach241-cockroach-psycopg]" in rendered
