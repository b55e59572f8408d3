"""The pytest plugin, run in a subprocess against throwaway projects (pytester).

The throwaway project brings its own ``suites`` app, checks and claims, so each
outcome path is driven on purpose; the server is the real in-process SQLite.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.matrix import DEFAULT_MATRIX

pytest_plugins = ["pytester"]

CLAIMS = """
import harness.claims as claims
from harness.claims import Claim, ClaimsTable, Expect, Source

SOURCE = Source("ref/databases", "Test section")
claims.CLAIMS = ClaimsTable([
    Claim("demo.matches", "One plus one is two.", SOURCE, (Expect("*", 2),)),
    Claim("demo.differs", "SQLite is documented to say 3 here.", SOURCE,
          (Expect("sqlite", 3), Expect("*", 2))),
    Claim("demo.only_elsewhere", "Only PostgreSQL is documented.", SOURCE,
          (Expect("postgresql", 1),)),
])
"""

CHECKS = """
import pytest

@pytest.mark.check("demo.matches")
def test_matches(check, connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 + 1")
        check.observe(cursor.fetchone()[0])

@pytest.mark.check("demo.differs")
def test_differs(check):
    check.flag("interprets_empty_strings_as_nulls", False)
    check.observe(2)

@pytest.mark.check("demo.no_claim")
def test_no_claim(check):
    check.observe("anything")

@pytest.mark.check("demo.only_elsewhere")
def test_only_elsewhere(check):
    check.observe(1)

@pytest.mark.check("demo.not_applicable")
def test_not_applicable(check):
    check.not_applicable("SQLite has no such column type.")

@pytest.mark.check("demo.broken")
def test_broken(check):
    raise ZeroDivisionError("a bug in the check")

@pytest.mark.check("demo.silent")
def test_silent(check):
    pass

@pytest.mark.check("demo.exception")
def test_exception(check):
    from suites.models import Thing
    try:
        Thing.objects.get(pk=999)
    except Exception as exc:
        check.observe_exception(exc)

@pytest.mark.parametrize("option", ["nowait", "skip_locked"])
@pytest.mark.check("demo.{option}.flag")
def test_param(check, option):
    check.observe(option)
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.mkpydir("suites")
    pytester.path.joinpath("suites", "models.py").write_text(
        "from django.db import models\n\n"
        "class Thing(models.Model):\n"
        "    name = models.CharField(max_length=10)\n\n"
        "    class Meta:\n"
        "        app_label = 'suites'\n"
    )
    pytester.makeconftest(CLAIMS)
    pytester.makepyfile(test_demo=CHECKS)
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, Path]:
    results = pytester.path / "results"
    outcome = pytester.runpytest_subprocess(
        f"--dbcompat-matrix={DEFAULT_MATRIX}",
        f"--dbcompat-results={results}",
        "-p",
        "no:cacheprovider",
        *args,
    )
    return outcome, results


def checks_of(path: Path) -> dict[str, dict[str, Any]]:
    data = json.loads(path.read_text())
    return {check["id"]: check for check in data["checks"]}


def test_every_outcome_path_on_sqlite(project: pytest.Pytester) -> None:
    outcome, results = run(project, "--dbcompat-cell=sqlite-sqlite3")
    (written,) = results.glob("*.json")
    assert written.name.startswith("sqlite-sqlite3-django")
    data = json.loads(written.read_text())
    assert data["status"] == "ran"
    assert data["server"]["provider"] == "in-process"
    assert data["server"]["version_reported"]
    checks = checks_of(written)
    assert checks["demo.matches"]["outcome"] == "as documented"
    assert checks["demo.matches"]["observed"] == 2
    assert checks["demo.matches"]["source"] == "Django 5.2 docs, ref/databases, Test section"
    assert any("SELECT 1 + 1" in sql for sql in checks["demo.matches"]["sql"])
    differs = checks["demo.differs"]
    assert (differs["outcome"], differs["observed"], differs["expected"]) == ("differs from docs", 2, 3)
    assert differs["flags"] == {"interprets_empty_strings_as_nulls": {"value": False, "agrees": None}}
    assert checks["demo.no_claim"]["outcome"] == "no claim"
    assert checks["demo.only_elsewhere"]["outcome"] == "no claim"
    assert checks["demo.not_applicable"]["outcome"] == "not applicable"
    assert checks["demo.not_applicable"]["reason"] == "SQLite has no such column type."
    assert checks["demo.broken"]["outcome"] == "harness error"
    assert "ZeroDivisionError: a bug in the check" in checks["demo.broken"]["error"]
    assert checks["demo.silent"]["outcome"] == "harness error"
    assert checks["demo.exception"]["observed"] == "suites.models.Thing.DoesNotExist"
    assert checks["demo.nowait.flag"]["observed"] == "nowait"
    assert checks["demo.skip_locked.flag"]["observed"] == "skip_locked"
    # Only harness errors fail the pytest run; findings and skips do not.
    outcome.assert_outcomes(passed=7, failed=2, skipped=1)
    outcome.stdout.fnmatch_lines(["*differs from docs: demo.differs: observed 2, docs say 3*"])


def test_xdist_workers_each_get_a_database_and_one_result(project: pytest.Pytester) -> None:
    outcome, results = run(project, "--dbcompat-cell=sqlite-sqlite3", "-n", "2")
    (written,) = results.glob("*.json")
    checks = checks_of(written)
    assert len(checks) == 10
    assert checks["demo.matches"]["outcome"] == "as documented"
    assert checks["demo.differs"]["outcome"] == "differs from docs"
    outcome.assert_outcomes(passed=7, failed=2, skipped=1)


def test_server_without_url_or_docker_is_unavailable(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBCOMPAT_URL_MYSQL84", raising=False)
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    outcome, results = run(project, "--dbcompat-cell=mysql84-connector-django52")
    data = json.loads((results / "mysql84-connector-django52.json").read_text())
    assert data["status"] == "server unavailable"
    assert data["reason"] == (
        "no Docker engine at unix:///nonexistent/docker.sock (No such file or directory): start one, "
        "or point DOCKER_HOST at one; or set DBCOMPAT_URL_MYSQL84 to use an existing server"
    )
    assert {c["outcome"] for c in data["checks"]} == {"server unavailable"}
    assert len(data["checks"]) == 10
    outcome.assert_outcomes(skipped=10)


def test_django_refusing_the_server_is_unsupported_not_a_failure(project: pytest.Pytester) -> None:
    # Django's own version check, made to refuse this SQLite: the real NotSupportedError path.
    project.path.joinpath("conftest.py").write_text(
        CLAIMS
        + "\nfrom django.db.backends.sqlite3.base import DatabaseWrapper\n"
        + "DatabaseWrapper.features_class.minimum_database_version = (99,)\n"
    )
    outcome, results = run(project, "--dbcompat-cell=sqlite-sqlite3")
    (written,) = results.glob("*.json")
    data = json.loads(written.read_text())
    assert data["status"] == "unsupported by Django"
    assert data["reason"].startswith("SQLite 99 or later is required (found ")
    assert data["server"]["version_reported"]  # read although Django refused
    assert {c["outcome"] for c in data["checks"]} == {"unsupported by Django"}
    outcome.assert_outcomes(skipped=10)


def test_checks_without_a_cell_are_a_usage_error(project: pytest.Pytester) -> None:
    outcome = project.runpytest_subprocess("-p", "no:cacheprovider")
    assert outcome.ret == pytest.ExitCode.USAGE_ERROR
    outcome.stderr.fnmatch_lines(["*need a cell: pass --dbcompat-cell*"])


def test_unknown_cell_is_a_usage_error(project: pytest.Pytester) -> None:
    outcome, results = run(project, "--dbcompat-cell=postgres15-nodriver")
    assert outcome.ret == pytest.ExitCode.USAGE_ERROR
    outcome.stderr.fnmatch_lines(["*'postgres15-nodriver' is not a cell of matrix.yaml*"])
    assert not results.exists()


def test_plugin_is_inert_without_a_cell(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_plain():\n    assert 1 + 1 == 2\n")
    outcome = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    outcome.assert_outcomes(passed=1)
    assert not (pytester.path / "reports").exists()
