"""Cell environments: built once, reused while current, rebuilt when their requirements change.

Real builds (uv, and venv + pip when uv is missing) of a small environment: the same code path
as a cell's Django x driver environment, with one light requirement instead.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness import envs
from harness.envs import EnvPlan, ensure_env, plan_env
from harness.errors import EXIT_HARNESS_ERROR, EnvironmentBuildError
from harness.matrix import Matrix, load_matrix

PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


def plan(*requirements: str) -> EnvPlan:
    return EnvPlan("django00-sample", PYTHON, requirements)


def imports(python: Path, module: str) -> bool:
    return subprocess.run([python, "-c", f"import {module}"], capture_output=True, check=False).returncode == 0


def test_built_once_reused_and_rebuilt_when_its_requirements_change(tmp_path: Path) -> None:
    environ = {"DBCOMPAT_ENVS": str(tmp_path)}
    python = ensure_env(plan("packaging"), environ)
    assert python == tmp_path / "django00-sample" / "bin" / "python"
    assert imports(python, "packaging")
    assert "uv" in (tmp_path / "django00-sample.log").read_text()  # uv is installed here: preferred

    sentinel = tmp_path / "django00-sample" / "left-by-the-first-build"
    sentinel.touch()
    assert ensure_env(plan("packaging"), environ) == python
    assert sentinel.exists()  # current: reused as it is

    ensure_env(plan("packaging", "iniconfig"), environ)
    assert not sentinel.exists()  # another requirement: built afresh
    assert imports(python, "iniconfig")


def test_without_uv_venv_and_pip_build_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(envs, "uv_binary", lambda: None)
    python = ensure_env(plan("packaging"), {"DBCOMPAT_ENVS": str(tmp_path)})
    log = (tmp_path / "django00-sample.log").read_text()
    assert "-m venv" in log
    assert "-m pip install" in log
    assert imports(python, "packaging")


def test_a_failed_build_names_the_environment_and_its_log_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentBuildError) as raised:
        ensure_env(plan("dbcompat-no-such-distribution-exists"), {"DBCOMPAT_ENVS": str(tmp_path)})
    message = str(raised.value)
    assert message.startswith("building the environment django00-sample failed")
    assert str(tmp_path / "django00-sample.log") in message
    assert raised.value.exit_status == EXIT_HARNESS_ERROR
    assert not (tmp_path / "django00-sample").exists()


def test_no_interpreter_for_a_version_says_how_to_give_one(tmp_path: Path) -> None:
    missing = EnvPlan("django00-sample", "2.1", ("packaging",))
    environ = {"DBCOMPAT_ENVS": str(tmp_path), "PYENV_ROOT": str(tmp_path / "no-pyenv")}
    with pytest.raises(EnvironmentBuildError, match=r"no Python 2\.1 found .* DBCOMPAT_PYTHON21=/path/to/python2\.1"):
        ensure_env(missing, environ)


def test_a_damaged_environment_is_built_again_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    environ = {"DBCOMPAT_ENVS": str(tmp_path)}
    python = ensure_env(plan("packaging"), environ)
    (module,) = (tmp_path / "django00-sample").glob("lib/python*/site-packages/packaging/version.py")
    module.unlink()  # a file inside the environment is gone: importing it would fail in every cell
    assert not imports(python, "packaging.version")
    assert ensure_env(plan("packaging"), environ) == python
    assert imports(python, "packaging.version")
    err = capsys.readouterr().err
    assert err == (
        "dbcompat: the environment django00-sample is damaged (packaging/version.py is missing); building it again\n"
    )
    assert ensure_env(plan("packaging"), environ) == python  # whole again: reused, nothing said
    assert capsys.readouterr().err == ""


def test_a_variant_and_a_third_party_backend_each_get_an_environment_of_their_own(matrix: Matrix) -> None:
    base = plan_env(matrix.cell("postgres15-psycopg-django52"), Path("/src"))
    pool = plan_env(matrix.cell("postgres15-psycopg-pool-django52"), Path("/src"))
    wrapper = plan_env(matrix.cell("postgres15-prometheus-psycopg-django52"), Path("/src"))
    assert (base.name, pool.name, wrapper.name) == (
        "django52-psycopg",
        "django52-psycopg-pool",
        "django52-prometheus-psycopg",
    )
    # The pool needs psycopg's pool extra; the wrapper needs its package next to the DB-API driver it uses.
    assert pool.requirements == ("-e /src", "Django~=5.2.0", "psycopg[binary,pool]>=3.1.12")
    assert wrapper.requirements == ("-e /src", "Django~=5.2.0", "psycopg[binary]>=3.1.12", "django-prometheus>=2.3")
    assert len({base.key, pool.key, wrapper.key}) == 3
    # A variant that changes only OPTIONS installs what its base does, in its own environment.
    ssb = plan_env(matrix.cell("postgres15-psycopg-ssb-django52"), Path("/src"))
    assert ssb.name == "django52-psycopg-ssb" and ssb.requirements == base.requirements


def test_a_backend_requirement_takes_the_cells_django_release(tmp_path: Path) -> None:
    path = tmp_path / "cockroach.yaml"
    path.write_text(
        "django:\n"
        '  - {id: django52, version: "5.2", python: "3.11", supports: ["postgresql>=14"], source: "Django 5.2 docs"}\n'
        "drivers:\n"
        "  - id: cockroach-psycopg\n"
        "    name: django-cockroachdb over psycopg 3\n"
        "    engine: django_cockroachdb\n"
        "    module: psycopg\n"
        "    distribution: psycopg\n"
        '    requirement: "psycopg[binary]>=3.1.12"\n'
        "    vendors: [cockroachdb]\n"
        '    backend: {distribution: django-cockroachdb, requirement: "django-cockroachdb~={django}.0"}\n'
        "servers:\n"
        '  - {id: cockroach241, vendor: cockroachdb, version: "24.1", image: "cockroachdb/cockroach:v24.1.0"}\n',
        encoding="utf-8",
    )
    cell = load_matrix(path).cell("cockroach241-cockroach-psycopg-django52")
    assert plan_env(cell, Path("/src")).requirements[-1] == "django-cockroachdb~=5.2.0"
