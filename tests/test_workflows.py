"""The GitHub workflows: schema-valid, zizmor-clean, their scripts shellcheck-clean, and the nightly's
plan and publishing in the order the README describes.

All three linters come from PyPI or Debian: check-jsonschema (its vendored GitHub-workflow schema,
no network), zizmor (offline) and shellcheck. Each has a test that it catches a broken workflow.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.cli import main

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ZIZMOR_CONFIG = ROOT / ".github" / "zizmor.yml"
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")


def tool(name: str, how: str) -> str:
    """The linter's path: next to this interpreter (the project's venv) or on PATH; missing fails in CI."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        message = f"{name} is not installed: {how}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    command = [tool("check-jsonschema", "pip install -e '.[dev]'"), "--builtin-schema", "vendor.github-workflows"]
    return subprocess.run([*command, *map(str, files)], capture_output=True, text=True, check=False, timeout=120)


def zizmor(*files: Path) -> subprocess.CompletedProcess[str]:
    command = [tool("zizmor", "pip install -e '.[dev]'"), "--offline", "--no-progress", "--config", str(ZIZMOR_CONFIG)]
    return subprocess.run([*command, *map(str, files)], capture_output=True, text=True, check=False, timeout=120)


def run_scripts(workflow: dict[str, Any]) -> list[tuple[str, str]]:
    """Every ``run:`` script of a workflow as (job/step, script), expressions replaced by a plain word."""
    scripts = []
    for job_id, job in (workflow.get("jobs") or {}).items():
        for index, step in enumerate(job.get("steps") or []):
            if "run" in step:
                script = EXPRESSION.sub("EXPRESSION", str(step["run"]))
                scripts.append((f"{job_id}/{step.get('name', step.get('id', index))}", script))
    return scripts


def shellcheck(script: str) -> subprocess.CompletedProcess[str]:
    # GitHub runs a step's script with bash -e -o pipefail.
    source = "#!/usr/bin/env bash\nset -eo pipefail\n" + script
    command = [tool("shellcheck", "apt-get install shellcheck"), "--shell=bash", "-"]
    return subprocess.run(command, input=source, capture_output=True, text=True, check=False, timeout=60)


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_workflows_match_githubs_schema() -> None:
    assert len(WORKFLOWS) >= 2
    done = check_jsonschema(*WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - rnu: echo hi\n")
    done = check_jsonschema(broken)
    assert done.returncode == 1
    assert "broken.yml" in done.stdout


def test_workflows_pass_zizmor() -> None:
    done = zizmor(*WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_catches_a_template_injection(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.issue.title }}\n"
    )
    done = zizmor(broken)
    assert done.returncode != 0
    assert "template-injection" in done.stdout


def test_every_run_script_passes_shellcheck() -> None:
    checked = 0
    for path in WORKFLOWS:
        for where, script in run_scripts(load(path)):
            done = shellcheck(script)
            assert done.returncode == 0, f"{path.name} {where}:\n{done.stdout}{done.stderr}"
            checked += 1
    assert checked >= 8


def test_shellcheck_catches_a_broken_script() -> None:
    workflow = {"jobs": {"a": {"steps": [{"run": "rm -rf $RUNNER_TEMP/build\n"}]}}}
    [(_, script)] = run_scripts(workflow)
    done = shellcheck(script)
    assert done.returncode == 1
    assert "SC2086" in done.stdout  # the unquoted $RUNNER_TEMP


def test_nightly_plan_is_one_job_per_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--json", "--by-server"]) == 0
    plan = json.loads(capsys.readouterr().out)
    by_server = {entry["server"]: entry for entry in plan}
    assert set(by_server) >= {"sqlite", "mysql80", "mariadb1011", "postgres15", "oracle23"}
    assert by_server["mariadb1011"]["image"] == "mariadb:10.11"
    assert "mariadb1011-connector-django52" in by_server["mariadb1011"]["cells"]
    # 2 drivers, 2 configurations of mysqlclient and 2 third-party backends over it, x 4 Django versions
    assert len(by_server["mariadb1011"]["cells"]) == 24
    nightly = (ROOT / ".github" / "workflows" / "nightly.yml").read_text()
    assert "dbcompat list --json --by-server" in nightly
    assert "matrix.server.server" in nightly
    # A server reached through a pooler has its pooler's image built first: no registry has it.
    assert by_server["postgres15-pgbouncer-tx"]["pooler"] == "pgbouncer"
    assert by_server["postgres15"]["pooler"] is None
    steps = load(ROOT / ".github" / "workflows" / "nightly.yml")["jobs"]["cells"]["steps"]
    (build,) = [step for step in steps if "images build" in step.get("run", "")]
    assert build["if"] == "matrix.server.pooler" and build["env"]["POOLER"] == "${{ matrix.server.pooler }}"
    assert 'images build "$POOLER"' in build["run"]


def test_nightly_publishes_only_a_run_that_was_planned_and_not_cancelled() -> None:
    publish = load(ROOT / ".github" / "workflows" / "nightly.yml")["jobs"]["publish"]
    assert "always()" not in publish["if"]
    assert "!cancelled()" in publish["if"]
    assert "needs.plan.result == 'success'" in publish["if"]
    # Job-level permissions replace the workflow's, so the checkout needs contents: read again.
    assert publish["permissions"]["contents"] == "read"


def test_nightly_fails_on_regressions_before_it_deploys() -> None:
    steps = load(ROOT / ".github" / "workflows" / "nightly.yml")["jobs"]["publish"]["steps"]
    names = [step.get("name") or step.get("uses") or step.get("id") for step in steps]
    diff = names.index("Fail on regressions")
    deploy = next(i for i, step in enumerate(steps) if str(step.get("uses", "")).startswith("actions/deploy-pages"))
    upload = next(i for i, step in enumerate(steps) if str(step.get("uses", "")).startswith("actions/upload-pages"))
    assert diff < upload < deploy


def test_nightly_baseline_comes_from_the_pages_site_address() -> None:
    steps = load(ROOT / ".github" / "workflows" / "nightly.yml")["jobs"]["publish"]["steps"]
    previous = next(step for step in steps if step.get("id") == "previous")
    # Not github.io/<repo> built by hand: that is wrong for <owner>.github.io and custom domains.
    assert "github.io" not in json.dumps(previous)
    assert 'gh api "repos/${GITHUB_REPOSITORY}/pages" --jq .html_url' in previous["run"]


@pytest.mark.parametrize("name", ["run", "pgbouncer"])
def test_the_ci_scripts_pass_shellcheck(name: str) -> None:
    path = ROOT / ".ci" / name
    done = shellcheck(path.read_text(encoding="utf-8"))
    assert done.returncode == 0, f".ci/{name}:\n{done.stdout}{done.stderr}"
