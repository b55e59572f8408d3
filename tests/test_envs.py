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
from harness.envs import EnvPlan, ensure_env
from harness.errors import EXIT_HARNESS_ERROR, EnvironmentBuildError

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
