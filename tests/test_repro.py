"""``dbcompat repro``: a script per finding that reproduces it with nothing but Django and the driver.

The live tests run the local matrix's cells once, as ``dbcompat run`` does: SQLite (sqlite3 and pysqlite3, and
each configuration of a driver with the newest Django that has it) always, PostgreSQL 15 and MariaDB 10.11 given
by URL. Then, for every "differs from docs" finding of a server's cells (and one "as documented" check of each
cell, so that a server without findings is still exercised), they write the reproducer, run it with the cell's
environment's Python, only Django's and the driver's distributions importable, against the same server, and
compare the observation it prints (its last line, JSON) with the one the run recorded. The other tests need no
server: bad input, a check no script can carry, secrets.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from harness import cli
from harness import repro as repro_module
from harness.envs import ensure_env, plan_env
from harness.matrix import Cell, Matrix, load_matrix
from harness.repro import reproducer, requirements_of, write_reproducer
from harness.results import CellResult, CellStatus, CheckResult, DriverInfo, Outcome, ServerInfo, write_result
from harness.runner import default_jobs, run_cells
from tests.conftest import live_url

# The servers of the local matrix: SQLite in-process, the others given by URL.
URL_SERVERS = {"postgres15": "DBCOMPAT_URL_POSTGRES15", "mariadb1011": "DBCOMPAT_URL_MARIADB1011"}
# Checks no script of its own can reproduce, and why; `dbcompat repro` refuses them in one line. None today:
# the contended locks and the health check use a second connection of the same process, the poolers' checks
# a pooler given by URL.
CANNOT_BUNDLE: dict[str, str] = {}
# Seconds one reproducer may take (the slowest, on MariaDB, take about 4 s on 2 cores).
SCRIPT_TIMEOUT = 180

# Run with the cell's interpreter before the script: only the standard library and the distributions that
# Django and the driver require (transitively, with the extras asked for) can be imported, as on a machine
# where nothing else is installed. The harness, pytest, packaging, ... are in the cell's environment, but a
# script that imported them would fail here. A module is refused by name; an optional import that Django or a
# driver tries behaves as on that machine.
GUARD = r'''
import importlib.abc
import importlib.machinery
import importlib.metadata
import re
import runpy
import site
import sys
import sysconfig

def closure(requirements):
    wanted, seen = list(requirements), set()
    while wanted:
        found = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?", wanted.pop())
        name = re.sub(r"[-_.]+", "-", found.group(1)).lower()
        extras = {e.strip() for e in (found.group(2) or "").split(",") if e.strip()}
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for requirement in requires:
            extra = re.search(r"""extra\s*==\s*["']([^"']+)["']""", requirement)
            if extra is None or extra.group(1) in extras:
                wanted.append(requirement.split(";")[0])
    return seen

distributions = closure([r for r in sys.argv[1].split(" ") if r])
allowed = {
    module
    for module, names in importlib.metadata.packages_distributions().items()
    if any(re.sub(r"[-_.]+", "-", n).lower() in distributions for n in names)
}

# The interpreter's own library (a module named per platform, _sysconfigdata_*, is in no list), not what was
# installed into it.
paths = sysconfig.get_paths()
own = tuple({paths["stdlib"], paths["platstdlib"]})
installed = tuple({paths["purelib"], paths["platlib"], *site.getsitepackages(), site.getusersitepackages()})

def the_interpreters(top):
    spec = importlib.machinery.PathFinder.find_spec(top)
    origin = spec.origin if spec is not None and spec.origin else ""
    return origin.startswith(own) and not origin.startswith(installed)

class OnlyDjangoAndTheDriver(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in sys.stdlib_module_names or top in sys.builtin_module_names or top in allowed:
            return None
        if the_interpreters(top):
            return None
        raise ImportError(f"{name} is not installed here: only Django and the driver are ({sorted(distributions)})")

sys.meta_path.insert(0, OnlyDjangoAndTheDriver())
script = sys.argv[2]
sys.argv = sys.argv[2:]
runpy.run_path(script, run_name="__main__")
'''


# -- no server ---------------------------------------------------------------------------------------------


def sqlite_result(checks: list[CheckResult], cell: str = "sqlite-sqlite3-django52") -> CellResult:
    return CellResult(
        cell=cell,
        status=CellStatus.RAN,
        server=ServerInfo(
            id="sqlite", vendor="sqlite", matrix_version=None, provider="in-process", origin="in-process"
        ),
        driver=DriverInfo(id="sqlite3", name="sqlite3 (standard library)", module="sqlite3", version="3.11.7"),
        django_version="5.2.19",
        django_release="5.2",
        python_version="3.11.7",
        harness_version="0",
        started_at="2026-01-01T00:00:00+00:00",
        finished_at="2026-01-01T00:00:10+00:00",
        duration=10.0,
        checks=checks,
    )


ROUND_TRIP = CheckResult(
    id="smoke.round_trip", behaviour="smoke", outcome=Outcome.AS_DOCUMENTED, observed=[[1, "dbcompat"]]
)


@pytest.fixture
def results(tmp_path: Path) -> Path:
    folder = tmp_path / "results"
    write_result(folder, sqlite_result([ROUND_TRIP]))
    return folder


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder, where a script would be written by default."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    return here


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (
            ["typecasting.raw_eq_on", "sqlite-sqlite3-django52"],
            "no check 'typecasting.raw_eq_on' in the behaviour suites; did you mean typecasting.raw_eq_one",
        ),
        (["smoke.round_trip", "sqlite-nodriver-django52"], "'sqlite-nodriver-django52' is not a cell of matrix.yaml"),
        (["smoke.round_trip", "sqlite-sqlite3"], "'sqlite-sqlite3' names no Django version; add one"),
        (
            ["smoke.round_trip", "sqlite-pysqlite3-django52"],
            "no results for sqlite-pysqlite3-django52 in {results} ({results}/sqlite-pysqlite3-django52.json is "
            "missing); run 'dbcompat run sqlite-pysqlite3-django52' first",
        ),
        (
            ["smoke.model_round_trip", "sqlite-sqlite3-django52"],
            "{results}/sqlite-sqlite3-django52.json has no record of smoke.model_round_trip (it has "
            "smoke.round_trip); if the check is newer than that run, run 'dbcompat run sqlite-sqlite3-django52' again",
        ),
        (
            ["smoke.round_trip", "sqlite-sqlite3-django52", "-o", "{workdir}/no/such/folder/x.py"],
            "-o {workdir}/no/such/folder/x.py: {workdir}/no/such/folder is not a folder",
        ),
    ],
    ids=["unknown check", "unknown cell", "cell without Django", "no results", "no record", "no such folder"],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    arguments: list[str], expected: str, results: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled = [a.format(workdir=workdir) for a in arguments]
    status = cli.main(["repro", *filled, "--results", str(results)])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("dbcompat: error: ")
    assert expected.format(results=results, workdir=workdir) in lines[0]
    assert "Traceback" not in captured.err
    assert list(workdir.rglob("*")) == []


def test_a_cell_whose_checks_do_not_apply_has_nothing_to_reproduce(
    tmp_path: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    why = "Django 5.2 has no 'frobnicate' option for SQLite."
    skipped = CheckResult(id="smoke.round_trip", behaviour="smoke", outcome=Outcome.NOT_APPLICABLE, reason=why)
    result = CellResult(**{**vars(sqlite_result([skipped])), "status": CellStatus.NOT_APPLICABLE, "reason": why})
    write_result(tmp_path / "results", result)
    status = cli.main(["repro", "smoke.round_trip", "sqlite-sqlite3-django52", "--results", str(tmp_path / "results")])
    captured = capsys.readouterr()
    assert (status, captured.out) == (2, "")
    assert captured.err == (
        f"dbcompat: error: sqlite-sqlite3-django52 runs no check, so there is nothing to reproduce: {why}\n"
    )
    assert list(workdir.rglob("*")) == []


def fake_suites(root: Path, module: str) -> Path:
    """A project whose suites hold one module, with the suites' package as the real one declares it."""
    (root / "suites").mkdir(parents=True)
    (root / "suites" / "__init__.py").write_text('DJANGO_APPS = ["suites"]\n', encoding="utf-8")
    (root / "suites" / "test_fake.py").write_text(module, encoding="utf-8")
    return root


FAKE_SUITE = """\
from __future__ import annotations

import pytest
import yaml

from harness.checks import CheckRecorder


@pytest.mark.check("fake.needs_request")
def test_needs_request(check: CheckRecorder, request: pytest.FixtureRequest) -> None:
    check.observe(request.node.name)


@pytest.mark.check("fake.needs_yaml")
def test_needs_yaml(check: CheckRecorder) -> None:
    check.observe(yaml.safe_dump({"a": 1}))


@pytest.mark.check("fake.fine")
def test_fine(check: CheckRecorder) -> None:
    check.observe(1)
"""


@pytest.mark.parametrize(
    ("check_id", "why"),
    [
        (
            "fake.needs_request",
            "fake.needs_request cannot be reproduced by a script of its own: suites.test_fake.test_needs_request "
            "takes the pytest fixture 'request', which neither its suite nor dbcompat's plugin defines and a script "
            "cannot give",
        ),
        (
            "fake.needs_yaml",
            "fake.needs_yaml cannot be reproduced by a script of its own: suites/test_fake.py line 15 uses 'yaml' "
            "from yaml, which a script with only Django and the driver cannot import",
        ),
    ],
)
def test_a_check_no_script_can_carry_is_refused_in_one_line(
    check_id: str,
    why: str,
    tmp_path: Path,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(repro_module, "SUITES_ROOT", fake_suites(tmp_path / "project", FAKE_SUITE))
    recorded = [
        CheckResult(id=i, behaviour="fake", outcome=Outcome.NO_CLAIM, observed=1)
        for i in ("fake.needs_request", "fake.needs_yaml", "fake.fine")
    ]
    write_result(tmp_path / "results", sqlite_result(recorded))
    status = cli.main(["repro", check_id, "sqlite-sqlite3-django52", "--results", str(tmp_path / "results")])
    captured = capsys.readouterr()
    assert (status, captured.out, captured.err) == (2, "", f"dbcompat: error: {why}\n")
    assert list(workdir.rglob("*")) == []
    # The same suite's check that needs nothing else is written: the refusal is the check's, not the suite's.
    assert cli.main(["repro", "fake.fine", "sqlite-sqlite3-django52", "--results", str(tmp_path / "results")]) == 0
    assert [p.name for p in workdir.iterdir()] == ["repro_fake_fine_sqlite_sqlite3_django52.py"]


def test_the_script_goes_to_a_file_named_after_check_and_cell_or_to_stdout(
    results: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["repro", "smoke.round_trip", "sqlite-sqlite3-django52", "--results", str(results)]) == 0
    name = "repro_smoke_round_trip_sqlite_sqlite3_django52.py"
    said = capsys.readouterr().out
    assert said == f"reproducer: {name} (run it with Django and the driver installed: python {name})\n"
    text = (workdir / name).read_text(encoding="utf-8")
    compile(text, name, "exec")
    assert cli.main(["repro", "smoke.round_trip", "sqlite-sqlite3-django52", "--results", str(results), "-o", "-"]) == 0
    assert capsys.readouterr().out == text
    folder = workdir / "tickets"
    folder.mkdir()
    assert (
        cli.main(["repro", "smoke.round_trip", "sqlite-sqlite3-django52", "--results", str(results), "-o", "tickets"])
        == 0
    )
    assert (folder / name).read_text(encoding="utf-8") == text


def test_the_script_holds_no_credential_and_reads_its_url_when_it_runs(
    tmp_path: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    password, encoded = "p@ss/w0rd-zq", "p%40ss%2Fw0rd-zq"
    monkeypatch.setenv(
        "DBCOMPAT_URL_POSTGRES15", f"postgres://alice:{encoded}@db.example:5432/postgres?sslmode=require"
    )
    result = CellResult(
        **{
            **vars(sqlite_result([ROUND_TRIP], "postgres15-psycopg-django52")),
            "server": ServerInfo(
                id="postgres15",
                vendor="postgresql",
                matrix_version="15",
                provider="url",
                origin=f"DBCOMPAT_URL_POSTGRES15=postgres://alice:{encoded}@db.example:5432/postgres",
                version_reported="15.14 (Debian 15.14-0+deb12u1)",
            ),
            "driver": DriverInfo(id="psycopg", name="psycopg 3", module="psycopg", version="3.2.3"),
        }
    )
    # As a run writes it: the password masked wherever it was.
    write_result(tmp_path / "results", result, secrets=[password, encoded])
    assert (
        cli.main(
            [
                "repro",
                "smoke.round_trip",
                "postgres15-psycopg-django52",
                "--results",
                str(tmp_path / "results"),
                "-o",
                "-",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    for secret in (password, encoded, "alice", "db.example", "sslmode"):
        assert secret not in text
    assert "DBCOMPAT_URL_POSTGRES15" in text  # where it reads the URL from, when it runs
    compile(text, "repro.py", "exec")


# -- live: every finding of the local matrix ---------------------------------------------------------------


@dataclass(frozen=True)
class LocalRun:
    matrix: Matrix
    results: Path
    cells: dict[str, CellResult]
    pythons: dict[str, Path]  # each cell's environment's interpreter


def local_cells(matrix: Matrix, servers: list[str]) -> list[Cell]:
    """The local matrix's cells of these servers: each driver with every Django version, and, on SQLite, each
    configuration of a driver (an entry with options, a third-party backend) with the newest Django that has it.

    A configuration reaches the script the same way on every server and with every Django (the entry's
    settings, OPTIONS, ENGINE and apps, as data); SQLite's cells show that at no server's cost, where the
    servers' would run the same checks again for minutes.
    """
    chosen: list[Cell] = []
    newest: dict[tuple[str, str], Cell] = {}
    for cell in matrix.select(servers=servers):
        if cell.driver.variant_of is None and cell.driver.backend is None:
            chosen.append(cell)
        elif cell.server.in_process and cell.not_applicable is None:
            key = (cell.server.id, cell.driver.id)
            if key not in newest or cell.django.version > newest[key].django.version:
                newest[key] = cell
    return [*chosen, *newest.values()]


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> LocalRun:
    """The local matrix's cells run once, as ``dbcompat run`` runs them: SQLite, and each server given by URL."""
    matrix = load_matrix()
    environ = dict(os.environ)
    servers = ["sqlite", *(server for server, variable in URL_SERVERS.items() if environ.get(variable))]
    cells = local_cells(matrix, servers)
    folder = tmp_path_factory.mktemp("repro") / "results"
    summary = run_cells(matrix, cells, folder, environ=environ, say=lambda line: None, jobs=default_jobs())
    pythons = {cell.id: ensure_env(plan_env(cell), environ) for cell in cells}  # built by the run: found at once
    return LocalRun(matrix, folder, {r.cell: r for r in summary.results}, pythons)


@dataclass(frozen=True)
class Ran:
    cell: str
    check: str
    recorded: Any
    outcome: str
    status: int
    last: dict[str, Any] | None
    output: str
    databases: tuple[str, ...]


def run_reproducer(run: LocalRun, cell: Cell, check: CheckResult, folder: Path, url: str | None) -> Ran:
    found = reproducer(check.id, cell.id, run.matrix, run.results)
    written = write_reproducer(found, folder)
    assert written is not None
    python = run.pythons[cell.id]
    requirements = " ".join(requirements_of(cell))
    command = [str(python), "-c", GUARD, requirements, str(written), *([url] if url else [])]
    # Nothing but the interpreter's own environment: no variable points the script at a server.
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DBCOMPAT_")}
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=folder, env=environ, timeout=SCRIPT_TIMEOUT, check=False
    )
    lines = done.stdout.strip().splitlines()
    last = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else None
    databases = tuple(re.findall(r"^database: +(dbcompat_\w+_repro) ", done.stdout, re.MULTILINE))
    return Ran(
        cell.id,
        check.id,
        check.observed,
        check.outcome.value,
        done.returncode,
        last,
        done.stdout + done.stderr,
        databases,
    )


def leftover_databases(server: str, url: str, names: set[str]) -> set[str]:
    """Which of these databases the server still has."""
    if not names:
        return set()
    if server == "postgres15":
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
            rows = connection.execute("SELECT datname FROM pg_database").fetchall()
        return names & {row[0] for row in rows}
    import pymysql

    parts = urlsplit(url)
    connection = pymysql.connect(
        host=parts.hostname, port=parts.port or 3306, user=parts.username, password=unquote(parts.password or "")
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW DATABASES")
            return names & {row[0] for row in cursor.fetchall()}
    finally:
        connection.close()


def server_url(server: str) -> str | None:
    return None if server == "sqlite" else live_url(URL_SERVERS[server])


@pytest.mark.live
@pytest.mark.parametrize("server", ["sqlite", *URL_SERVERS])
def test_every_finding_reproduces_with_only_django_and_the_driver(
    server: str, local_run: LocalRun, tmp_path: Path
) -> None:
    url = server_url(server)
    cells = local_cells(local_run.matrix, [server])
    assert cells
    jobs: list[tuple[Cell, CheckResult]] = []
    for cell in cells:
        result = local_run.cells[cell.id]
        if result.status is CellStatus.NOT_APPLICABLE:
            continue  # a configuration its Django does not have (an option added later): nothing ran
        assert result.status is CellStatus.RAN, (cell.id, result.reason)
        findings = [c for c in result.checks if c.outcome is Outcome.DIFFERS]
        documented = [c for c in result.checks if c.outcome is Outcome.AS_DOCUMENTED][:1]
        assert documented, cell.id
        jobs += [(cell, check) for check in [*findings, *documented]]
    refused: dict[str, str] = {}

    def one(job: tuple[Cell, CheckResult]) -> Ran | None:
        cell, check = job
        folder = tmp_path / cell.id
        folder.mkdir(exist_ok=True)
        try:
            return run_reproducer(local_run, cell, check, folder, url)
        except repro_module.CannotBundle as exc:
            refused[check.id] = str(exc)
            return None

    with ThreadPoolExecutor(default_jobs()) as pool:
        ran = [r for r in pool.map(one, jobs) if r is not None]
    assert refused.keys() == {c for c in CANNOT_BUNDLE if any(check.id == c for _, check in jobs)}, refused
    wrong = []
    for done in ran:
        expected_status = 1 if done.outcome == Outcome.DIFFERS.value else 0
        if (
            done.last is None
            or done.status != expected_status
            or done.last["outcome"] != done.outcome
            or json.dumps(done.last["observed"], sort_keys=True) != json.dumps(done.recorded, sort_keys=True)
            or done.last["recorded"] != done.recorded
        ):
            wrong.append(f"{done.cell} {done.check}: exit {done.status}\n{done.output[-3000:]}")
    assert not wrong, "\n\n".join(wrong)
    findings = sum(1 for done in ran if done.outcome == Outcome.DIFFERS.value)
    print(f"{server}: {findings} findings and {len(ran) - findings} documented checks reproduced in {len(cells)} cells")
    if url is not None:
        created = {name for done in ran for name in done.databases}
        assert len(created) == len(ran)  # one throwaway database each
        assert leftover_databases(server, url, created) == set()


@pytest.mark.live
def test_the_script_masks_the_password_of_its_url(local_run: LocalRun, tmp_path: Path) -> None:
    url = live_url("DBCOMPAT_URL_POSTGRES15")
    # The local server trusts connections from 127.0.0.1: any password is accepted, and must never be shown.
    written, decoded = "p%40ss%2Fw0rd-zq", "p@ss/w0rd-zq"
    cell = local_run.matrix.cell("postgres15-psycopg-django52")
    check = next(c for c in local_run.cells[cell.id].checks if c.id == "smoke.round_trip")
    done = run_reproducer(local_run, cell, check, tmp_path, url.replace("postgres@", f"postgres:{written}@", 1))
    assert done.status == 0, done.output
    assert done.last is not None and done.last["observed"] == check.observed
    assert "postgres:***@127.0.0.1:5432" in done.output
    script = next(tmp_path.glob("repro_*.py")).read_text(encoding="utf-8")
    for text in (done.output, script):
        assert written not in text
        assert decoded not in text


def test_the_readme_documents_the_command() -> None:
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Reproducers\n", 1)[1].split("\n## ", 1)[0]
    for needed in ("dbcompat repro CHECK CELL", "-o FILE", "--results DIR", "DBCOMPAT_URL_<SERVER>", "exit status"):
        assert needed in section, needed
