"""A user's own suites: ``dbcompat init-suite``, ``run --suite`` (beside or instead of the built-in checks), the
plain pytest and tox path (``--dbcompat-suite``), the report, diff and repro of their checks, and bad suites.

Bad suites are refused before any cell runs, in one line naming the file, with exit status 2. The example
suite ``init-suite`` writes runs on the local servers (SQLite, and each server given by URL) with its claim
judged as the built-in claims are.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from harness.envs import PROJECT_ROOT, ensure_env, plan_env
from harness.matrix import Matrix
from harness.report.diff import diff_results
from harness.results import CellStatus, Outcome, load_result
from harness.runner import default_jobs, run_cells
from harness.user_suites import SuiteError, load_suites, write_example_suite
from tests.conftest import live_url, unexplained_findings

EXAMPLE_CHECK = "example:lengths.over_max_length"
SQLITE_CELL = "sqlite-sqlite3-django52"
# The local servers given by URL that the example runs on, besides SQLite.
URL_SERVERS = {"postgres15": "DBCOMPAT_URL_POSTGRES15", "mariadb1011": "DBCOMPAT_URL_MARIADB1011"}


@pytest.fixture
def example(tmp_path: Path) -> Path:
    folder = tmp_path / "example"
    write_example_suite(folder)
    return folder


def run_dbcompat(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def refused(capsys: pytest.CaptureFixture[str], tmp_path: Path, *suites: Path) -> str:
    """``dbcompat run --suite ...`` on SQLite: exit 2, one line on stderr, and no cell run nor anything written."""
    results = tmp_path / "results"
    argv = ["run", SQLITE_CELL, "--results", str(results), "--no-report", "-q"]
    for suite in suites:
        argv += ["--suite", str(suite)]
    status, out, err = run_dbcompat(capsys, *argv)
    assert status == 2, out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dbcompat: error: "), err
    assert "Traceback" not in err
    assert not results.exists() or not any(results.glob("*.json"))
    return lines[0]


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").touch()
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


CHECK = textwrap.dedent(
    """
    import pytest

    @pytest.mark.check("things.{name}")
    def test_{name}(check):
        check.observe(1)
    """
)


# -- bad suites: one line naming the file, exit 2, before any cell runs ---------------------------------


def test_a_missing_path_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    line = refused(capsys, tmp_path, tmp_path / "nowhere")
    assert f"--suite {tmp_path / 'nowhere'}: no such folder" in line


def test_a_folder_that_is_no_package_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "loose").mkdir()
    line = refused(capsys, tmp_path, tmp_path / "loose")
    assert f"{tmp_path / 'loose' / '__init__.py'} is missing" in line and "init-suite" in line


def test_a_check_without_an_id_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    suite = write(
        tmp_path / "mine",
        {"test_a.py": "import pytest\n\n\n@pytest.mark.check\ndef test_a(check):\n    check.observe(1)\n"},
    )
    line = refused(capsys, tmp_path, suite)
    assert f"{suite / 'test_a.py'}:4: test_a is marked @pytest.mark.check without an id" in line


def test_a_duplicate_id_is_refused_naming_both_places(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    suite = write(
        tmp_path / "mine",
        {"test_a.py": CHECK.format(name="same"), "sub/__init__.py": "", "sub/test_b.py": CHECK.format(name="same")},
    )
    line = refused(capsys, tmp_path, suite)
    assert "has the check id 'things.same', which test_same at" in line
    assert str(suite / "test_a.py") in line and str(suite / "sub" / "test_b.py") in line


def test_an_id_with_its_own_namespace_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    suite = write(
        tmp_path / "mine", {"test_a.py": CHECK.replace("things.{name}", "mine:things.{name}").format(name="a")}
    )
    line = refused(capsys, tmp_path, suite)
    assert f"{suite / 'test_a.py'}:4:" in line and "the harness puts the suite's name there itself" in line


def test_a_claim_for_an_unknown_check_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    claims = """
        from harness.claims import Claim, Expect, Source

        CLAIMS = [Claim("things.b", "A statement.", Source("ref/models/fields", "Field types"), (Expect("*", 1),))]
    """
    suite = write(tmp_path / "mine", {"test_a.py": CHECK.format(name="a"), "claims.py": claims})
    line = refused(capsys, tmp_path, suite)
    assert (
        f"{suite / 'claims.py'}: a claim for 'things.b', which no check in {suite} has (its checks: things.a)" in line
    )


def test_a_claims_module_that_does_not_import_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    suite = write(tmp_path / "mine", {"test_a.py": CHECK.format(name="a"), "claims.py": "import nowhere_to_be_found\n"})
    line = refused(capsys, tmp_path, suite)
    assert (
        f"{suite / 'claims.py'}:1: cannot be imported: ModuleNotFoundError: No module named 'nowhere_to_be_found'"
        in line
    )


def test_a_check_module_that_does_not_parse_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    suite = write(tmp_path / "mine", {"test_a.py": "def test_a(:\n"})
    line = refused(capsys, tmp_path, suite)
    assert f"{suite / 'test_a.py'}:1: cannot be imported: SyntaxError" in line


def test_an_import_error_in_a_check_module_is_refused_from_the_cells_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    suite = write(
        tmp_path / "mine", {"test_a.py": "import pytest\nimport nowhere_to_be_found\n" + CHECK.format(name="a")}
    )
    line = refused(capsys, tmp_path, suite)
    assert (
        f"{suite / 'test_a.py'}:2: cannot be imported: ModuleNotFoundError: No module named 'nowhere_to_be_found' "
        f"(in {SQLITE_CELL}'s environment)"
    ) in line


def test_two_suites_of_one_name_and_a_reserved_name_are_refused(tmp_path: Path) -> None:
    first = write(tmp_path / "a" / "mine", {"test_a.py": CHECK.format(name="a")})
    second = write(tmp_path / "b" / "mine", {"test_b.py": CHECK.format(name="b")})
    with pytest.raises(SuiteError, match=r"a second suite named 'mine' \(the first is .*\); .* rename one"):
        load_suites([first, second])
    with pytest.raises(SuiteError, match=r"the name 'suites' is the harness's own"):
        load_suites([write(tmp_path / "suites", {})])


def test_no_builtin_without_a_suite_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run_dbcompat(capsys, "run", SQLITE_CELL, "--no-builtin", "--results", str(tmp_path / "r"))
    assert status == 2 and err.strip() == (
        "dbcompat: error: --no-builtin leaves no checks to run: give a suite with --suite PATH"
    )


# -- init-suite ------------------------------------------------------------------------------------------


def test_init_suite_writes_a_suite_that_loads(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = run_dbcompat(capsys, "init-suite", str(tmp_path / "shop_checks"))
    assert status == 0 and "dbcompat run --suite" in out
    folder = tmp_path / "shop_checks"
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md",
        "__init__.py",
        "claims.py",
        "models.py",
        "test_lengths.py",
    ]
    (suite,) = load_suites([folder])
    assert suite.name == "shop_checks" and suite.apps == ("shop_checks",)
    assert suite.info().behaviours == {"shop_checks:lengths": "Text lengths: what a CharField keeps"}
    assert "### `shop_checks:lengths.over_max_length`" in (folder / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not-a-name", "'not-a-name' is not a Python package name"),
        ("harness", "the name 'harness' is the harness's own"),
        ("taken", "already exists and is not an empty folder"),
    ],
)
def test_init_suite_refuses_a_folder_it_cannot_make_a_suite(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, message: str
) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "mine.txt").write_text("kept", encoding="utf-8")
    status, _, err = run_dbcompat(capsys, "init-suite", str(tmp_path / name))
    assert status == 2 and message in err and len(err.strip().splitlines()) == 1
    assert (tmp_path / "taken" / "mine.txt").read_text(encoding="utf-8") == "kept"


# -- the example across the local matrix ------------------------------------------------------------------


def local_servers() -> list[str]:
    return ["sqlite", *(server for server, variable in URL_SERVERS.items() if live_url(variable))]


@pytest.mark.live
def test_the_example_runs_across_the_local_matrix_judged_by_its_claim(matrix: Matrix, example: Path) -> None:
    """Every local cell (each driver, configuration and third-party backend, Django 5.2) runs the example's one
    check alone: SQLite keeps the six characters (its FAQ: a VARCHAR's length is not enforced), every other
    server refuses them as the docs say, with a DatabaseError."""
    cells = matrix.select(servers=local_servers(), django=["django52"])
    (suite,) = load_suites([example])
    results = example.parent / "results"
    summary = run_cells(
        matrix, cells, results, say=lambda line: None, jobs=default_jobs(), suites=[suite], builtin=False
    )
    by_cell = {result.cell: result for result in summary.results}
    assert set(by_cell) == {cell.id for cell in cells}
    for cell in cells:
        result = by_cell[cell.id]
        if cell.not_applicable is not None:
            assert result.status is CellStatus.NOT_APPLICABLE
            continue
        assert result.status is CellStatus.RAN, (cell.id, result.reason)
        assert result.builtin is False and [s.name for s in result.suites] == ["example"]
        (check,) = result.checks
        assert check.id == EXAMPLE_CHECK and check.behaviour == "example:lengths"
        assert check.source_url == (
            "https://docs.djangoproject.com/en/5.2/ref/models/fields/#django.db.models.CharField.max_length"
        )
        if cell.server.vendor == "sqlite":
            assert (check.outcome, check.observed) == (Outcome.DIFFERS, "kept 6 characters"), cell.id
            assert check.explanation_url == "https://www.sqlite.org/faq.html#q9"
        else:
            assert check.outcome is Outcome.AS_DOCUMENTED, (cell.id, check.observed, check.errors)
            assert check.observed.startswith("django.db.utils."), cell.id
    assert unexplained_findings(by_cell) == []


@pytest.mark.live
def test_the_report_diff_and_repro_of_a_suites_check(
    matrix: Matrix, example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``dbcompat run --suite`` beside the built-in checks on SQLite and PostgreSQL; the report titles the suite's
    behaviour and offers its reproducer with ``--suite``; the script prints what the cell recorded; and a change
    to the suite (a longer max_length) shows in ``dbcompat diff`` as the PostgreSQL cell's regression."""
    live_url("DBCOMPAT_URL_POSTGRES15")
    cells = [SQLITE_CELL, "postgres15-psycopg-django52"]
    first, output = tmp_path / "first", tmp_path / "report"
    status, out, err = run_dbcompat(
        capsys, "run", *cells, "--suite", str(example), "--results", str(first), "--output", str(output), "-q"
    )
    assert status == 1, out + err  # findings: the built-in checks' and SQLite's
    sqlite = load_result(first / f"{SQLITE_CELL}.json")
    ids = {check.id for check in sqlite.checks}
    assert EXAMPLE_CHECK in ids and "smoke.round_trip" in ids and sqlite.builtin is True
    markdown = (output / "compat.md").read_text(encoding="utf-8")
    assert "## Text lengths: what a CharField keeps" in markdown
    command = f"dbcompat repro --suite {example} {EXAMPLE_CHECK} {SQLITE_CELL}"
    assert command in markdown and command in (output / "index.html").read_text(encoding="utf-8")

    status, out, err = run_dbcompat(
        capsys,
        "repro",
        "--suite",
        str(example),
        EXAMPLE_CHECK,
        SQLITE_CELL,
        "--results",
        str(first),
        "-o",
        str(tmp_path),
    )
    assert status == 0, err
    python = ensure_env(plan_env(matrix.cell(SQLITE_CELL)), os.environ)
    script = tmp_path / "repro_example_lengths_over_max_length_sqlite_sqlite3_django52.py"
    done = subprocess.run([str(python), str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr  # the script's status for "differs from docs"
    last = json.loads(done.stdout.strip().splitlines()[-1])
    assert (last["observed"], last["recorded"], last["outcome"]) == ("kept 6 characters",) * 2 + ("differs from docs",)

    models = example / "models.py"
    models.write_text(models.read_text(encoding="utf-8").replace("max_length=5", "max_length=10"), encoding="utf-8")
    second = tmp_path / "second"
    status, out, err = run_dbcompat(
        capsys, "run", "postgres15-psycopg-django52", "--suite", str(example), "--no-builtin",
        "--results", str(second), "--no-report", "-q",
    )  # fmt: skip
    assert status == 1, out + err
    changes = diff_results([load_result(first / "postgres15-psycopg-django52.json")], [
        load_result(second / "postgres15-psycopg-django52.json")
    ])  # fmt: skip
    mine = [change for change in changes if change.check == EXAMPLE_CHECK]
    assert [(c.what, c.old, c.new, c.regression) for c in mine] == [
        ("outcome", "as documented", "differs from docs", True)
    ]


@pytest.mark.live
def test_a_plain_pytest_run_takes_a_suite_by_option_as_tox_passes_it(example: Path, tmp_path: Path) -> None:
    """What tox runs (``pytest suites --dbcompat-cell ... {posargs}``), given ``--dbcompat-suite`` and
    ``--dbcompat-no-builtin``: the suite's check alone, namespaced."""
    from harness.matrix import load_matrix

    python = ensure_env(plan_env(load_matrix().cell(SQLITE_CELL)), os.environ)
    results = tmp_path / "results"
    command = [
        str(python), "-m", "pytest", str(PROJECT_ROOT / "suites"), f"--dbcompat-cell={SQLITE_CELL}",
        f"--dbcompat-results={results}", "-p", "no:cacheprovider", "-o", "addopts=", "-q",
        "--dbcompat-suite", str(example), "--dbcompat-no-builtin",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=PROJECT_ROOT, check=False)
    result = load_result(results / f"{SQLITE_CELL}.json")
    assert [check.id for check in result.checks] == [EXAMPLE_CHECK], done.stdout[-2000:]
    assert "1 passed" in done.stdout and "deselected" in done.stdout


@pytest.mark.live
def test_a_module_one_cells_environment_cannot_import_is_that_cells_harness_error(
    matrix: Matrix, tmp_path: Path
) -> None:
    """The suite imports psycopg: the first cell's environment (PostgreSQL's) imports it, SQLite's has no psycopg,
    so that cell alone ends in a harness error naming the module; the PostgreSQL cell runs."""
    live_url("DBCOMPAT_URL_POSTGRES15")
    suite_dir = write(
        tmp_path / "needs_psycopg", {"test_a.py": "import psycopg  # noqa: F401\n" + CHECK.format(name="a")}
    )
    (suite,) = load_suites([suite_dir])
    cells = [matrix.cell("postgres15-psycopg-django52"), matrix.cell(SQLITE_CELL)]
    summary = run_cells(matrix, cells, tmp_path / "results", say=lambda line: None, suites=[suite], builtin=False)
    by_cell = {result.cell: result for result in summary.results}
    assert by_cell["postgres15-psycopg-django52"].status is CellStatus.RAN
    assert [c.id for c in by_cell["postgres15-psycopg-django52"].checks] == ["needs_psycopg:things.a"]
    failed = by_cell[SQLITE_CELL]
    assert failed.status is CellStatus.HARNESS_ERROR
    assert failed.reason == (
        f"could not collect {suite_dir / 'test_a.py'}: ModuleNotFoundError: No module named 'psycopg'"
    )


# The servers of the local matrix that run as containers, each with the driver the example needs there.
CONTAINER_CELLS = (
    "postgres17-psycopg-django52",
    "postgres18-psycopg-django61",
    "mariadb118-mysqlclient-django52",
    "mysql97-mysqlclient-django61",
)


@pytest.mark.docker
def test_the_example_runs_on_the_servers_started_as_containers(
    matrix: Matrix, example: Path, server_image: Any
) -> None:
    """The example on the servers this machine starts from its images (PostgreSQL 17 and 18, MariaDB 11.8, MySQL
    9.7), as ``dbcompat run --suite`` runs it without a URL: each refuses the six characters, as documented."""
    from tests.test_containers import docker_or_skip

    docker_or_skip()
    cells = [matrix.cell(cell_id) for cell_id in CONTAINER_CELLS]
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DBCOMPAT_URL_")}
    environ |= {f"DBCOMPAT_IMAGE_{cell.server.id.upper()}": server_image(cell.server.id) for cell in cells}
    (suite,) = load_suites([example])
    summary = run_cells(
        matrix,
        cells,
        example.parent / "results",
        environ=environ,
        say=lambda line: None,
        jobs=default_jobs(),
        suites=[suite],
        builtin=False,
    )
    assert summary.server_starts == len(cells)
    for result in summary.results:
        assert result.status is CellStatus.RAN and result.server.provider == "container", (result.cell, result.reason)
        (check,) = result.checks
        assert (check.id, check.outcome) == (EXAMPLE_CHECK, Outcome.AS_DOCUMENTED), (result.cell, check.observed)
        assert check.observed.startswith("django.db.utils."), result.cell
