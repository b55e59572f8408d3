"""A second SQLite: a DB-API library bundling a newer SQLite, put in place of the standard sqlite3.

The matrix's keys for it (``replaces``, ``only_binary``) are parsed and rejected like any other;
the environment installs the library from a wheel only; and real cells show that Django used the
library, that the SQLite version recorded is the one the library bundles, and that the compile
options that matter are recorded with it.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from harness import cli
from harness.cells.database import use_driver
from harness.envs import _FORMAT, PROJECT_ROOT, EnvPlan, _args, ensure_env, plan_env
from harness.errors import DbcompatError
from harness.matrix import Cell, Driver, Matrix, load_matrix
from harness.results import CellStatus, Outcome
from harness.runner import run_cells

LIBRARY_CELLS = [
    "sqlite-pysqlite3-django42",
    "sqlite-pysqlite3-django52",
    "sqlite-pysqlite3-django60",
    "sqlite-pysqlite3-django61",
]
COMPILE_OPTIONS = [
    "SQLITE_ENABLE_ICU",
    "SQLITE_CASE_SENSITIVE_LIKE",
    "SQLITE_OMIT_JSON",
    "SQLITE_ENABLE_MATH_FUNCTIONS",
    "SQLITE_MAX_VARIABLE_NUMBER",
    "SQLITE_THREADSAFE",
]
VALUED = ("MAX_VARIABLE_NUMBER", "THREADSAFE")


# -- the shipped matrix -----------------------------------------------------------------


def test_the_library_is_a_driver_of_sqlite(matrix: Matrix) -> None:
    driver = matrix.driver("pysqlite3")
    assert driver.vendors == ("sqlite",)
    assert driver.engine == "django.db.backends.sqlite3"  # Django's own backend, unchanged
    assert (driver.module, driver.replaces, driver.distribution) == ("pysqlite3", "sqlite3", "pysqlite3")
    assert driver.only_binary is True
    assert matrix.driver("sqlite3").replaces is None  # the standard library's needs nothing put in place
    assert [c.id for c in matrix.select(drivers=["pysqlite3"])] == LIBRARY_CELLS


def test_a_cell_carries_the_new_keys_to_its_process(matrix: Matrix) -> None:
    cell = matrix.cell("sqlite-pysqlite3-django52")
    assert Cell.from_json(cell.to_json()) == cell


# -- the keys, on small matrices --------------------------------------------------------

BASE = """\
django:
  - id: django52
    version: "5.2"
    python: "3.11"
    supports: ["sqlite>=3.31"]
    source: "Django 5.2 docs"
drivers:
  - id: sqlite3
    name: sqlite3
    engine: django.db.backends.sqlite3
    module: sqlite3
    vendors: [sqlite]
  - id: bundled
    name: bundled
    engine: django.db.backends.sqlite3
    module: pysqlite3
    distribution: pysqlite3
    requirement: "pysqlite3>=0.6.0"
    replaces: sqlite3
    only_binary: true
    vendors: [sqlite]
servers:
  - {id: sqlite, vendor: sqlite}
"""


def _load(tmp_path: Path, text: str) -> Matrix:
    path = tmp_path / "matrix.yaml"
    path.write_text(text, encoding="utf-8")
    return load_matrix(path)


def test_the_keys_are_read(tmp_path: Path) -> None:
    matrix = _load(tmp_path, BASE)
    assert (matrix.driver("bundled").replaces, matrix.driver("bundled").only_binary) == ("sqlite3", True)
    assert (matrix.driver("sqlite3").replaces, matrix.driver("sqlite3").only_binary) == (None, False)
    assert [c.id for c in matrix.cells] == ["sqlite-sqlite3-django52", "sqlite-bundled-django52"]


# Each case changes BASE in one place: (old, new, line, what the one line must say).
BAD_KEYS = {
    "replaces-not-a-module": (
        "    replaces: sqlite3\n",
        "    replaces: sqlite 3\n",
        19,
        ("drivers[1].replaces", "'sqlite 3' is not a module name", "e.g. 'sqlite3'"),
    ),
    "replaces-not-a-string": (
        "    replaces: sqlite3\n",
        "    replaces: [sqlite3]\n",
        19,
        ("drivers[1].replaces: must be a string",),
    ),
    "replaces-itself": (
        "    module: pysqlite3\n",
        "    module: sqlite3\n",
        19,
        ("drivers[1].replaces", "'sqlite3' cannot stand in for 'sqlite3'"),
    ),
    "replaces-with-its-own-part": (
        "    module: pysqlite3\n",
        "    module: sqlite3.dbapi2\n",
        19,
        ("drivers[1].replaces", "'sqlite3.dbapi2' cannot stand in for 'sqlite3'"),
    ),
    "replaces-without-requirement": (
        '    requirement: "pysqlite3>=0.6.0"\n',
        "",
        18,
        ("drivers[1].replaces", "needs 'requirement'"),
    ),
    "only-binary-not-a-bool": (
        "    only_binary: true\n",
        '    only_binary: "yes"\n',
        20,
        ("drivers[1].only_binary", "must be true or false"),
    ),
    "only-binary-without-distribution": (
        "    distribution: pysqlite3\n",
        "",
        19,
        ("drivers[1].only_binary", "needs 'distribution'"),
    ),
    "misspelt-key": (
        "    replaces: sqlite3\n",
        "    replace: sqlite3\n",
        19,
        ("drivers[1].replace: unknown key", "replaces, only_binary"),
    ),
}


@pytest.mark.parametrize("name", BAD_KEYS)
def test_a_wrong_key_is_one_line_naming_file_line_and_key(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new, line, keywords = BAD_KEYS[name]
    assert BASE.count(old) == 1, old
    path = tmp_path / "matrix.yaml"
    path.write_text(BASE.replace(old, new), encoding="utf-8")
    assert cli.main(["list", "--matrix", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1, err
    message = err.removeprefix("dbcompat: error: ")
    assert message.startswith(f"{path}:{line}: "), message
    for keyword in keywords:
        assert keyword in message, (keyword, message)


# -- the environment --------------------------------------------------------------------


def test_the_library_is_installed_from_a_wheel_only(matrix: Matrix) -> None:
    plan = plan_env(matrix.cell("sqlite-pysqlite3-django52"))
    assert plan.only_binary == ("pysqlite3",)
    assert "pysqlite3>=0.6.0" in plan.requirements
    args = _args(plan)
    assert args[:2] == ["--only-binary", "pysqlite3"]  # an option: before the "--" that ends them
    assert args.index("--") > 1
    assert plan_env(matrix.cell("sqlite-sqlite3-django52")).only_binary == ()


def test_other_environments_keep_their_key(matrix: Matrix) -> None:
    # Environments already built are reused only while their key holds: the new field must not change it.
    plan = plan_env(matrix.cell("postgres15-psycopg-django52"))
    text = json.dumps([_FORMAT, plan.python, sorted(plan.requirements), sorted(plan.harness_dependencies)])
    assert plan.key == hashlib.sha256(text.encode()).hexdigest()[:16]
    assert EnvPlan("x", "3.11", ("a",), only_binary=("a",)).key != EnvPlan("x", "3.11", ("a",)).key


# -- putting the library in place, on stand-in modules -----------------------------------


def _driver(**changes: object) -> Driver:
    fields: dict[str, object] = {
        "id": "bundled",
        "name": "bundled",
        "engine": "fakeengine",
        "module": "fakelib",
        "distribution": "fakelib",
        "requirement": "fakelib",
        "vendors": ("sqlite",),
        "replaces": "fakestd",
        "only_binary": True,
    }
    fields.update(changes)
    return Driver(**fields)  # type: ignore[arg-type]


@pytest.fixture
def stand_ins(monkeypatch: pytest.MonkeyPatch) -> tuple[types.ModuleType, types.ModuleType]:
    original, library = types.ModuleType("fakestd"), types.ModuleType("fakelib")
    monkeypatch.setitem(sys.modules, "fakestd", original)
    monkeypatch.setitem(sys.modules, "fakelib", library)
    return original, library


def test_the_library_takes_the_modules_name(stand_ins: tuple[types.ModuleType, types.ModuleType]) -> None:
    _, library = stand_ins
    use_driver(_driver(), "fakeengine")
    assert sys.modules["fakestd"] is library


def test_a_backend_imported_too_early_is_refused(
    stand_ins: tuple[types.ModuleType, types.ModuleType], monkeypatch: pytest.MonkeyPatch
) -> None:
    original, _ = stand_ins
    backend = types.ModuleType("fakeengine.base")
    backend.Database = original  # type: ignore[attr-defined]  # as Django's "from sqlite3 import dbapi2 as Database"
    monkeypatch.setitem(sys.modules, "fakeengine.base", backend)
    with pytest.raises(DbcompatError, match=r"fakeengine\.base imported fakestd before fakelib could be put"):
        use_driver(_driver(), "fakeengine")
    assert sys.modules["fakestd"] is original


def test_a_library_not_installed_is_one_clear_error(stand_ins: tuple[types.ModuleType, types.ModuleType]) -> None:
    with pytest.raises(DbcompatError, match=r"needs dbcompatnosuchlib .* cannot be imported"):
        use_driver(_driver(module="dbcompatnosuchlib"), "fakeengine")


def test_a_driver_that_replaces_nothing_changes_nothing(stand_ins: tuple[types.ModuleType, types.ModuleType]) -> None:
    original, _ = stand_ins
    use_driver(_driver(replaces=None), "fakeengine")
    assert sys.modules["fakestd"] is original


# -- real cells -------------------------------------------------------------------------

_LIBRARY_SAYS = """
import importlib, json, sqlite3, sys
library = importlib.import_module(sys.argv[1])
connection = library.connect(":memory:")
print(json.dumps({
    "library": library.sqlite_version,
    "standard": sqlite3.sqlite_version,
    "options": [row[0] for row in connection.execute("PRAGMA compile_options")],
}))
"""


def _library_says(cell: Cell) -> dict[str, object]:
    """What the library in the cell's own environment reports, asked directly, outside Django."""
    python = ensure_env(plan_env(cell), os.environ)  # built by the run: reused
    done = subprocess.run(
        [str(python), "-c", _LIBRARY_SAYS, cell.driver.module], capture_output=True, text=True, check=True
    )
    said: dict[str, object] = json.loads(done.stdout)
    return said


def _expected_options(listed: list[str]) -> dict[str, str]:
    """The settings a cell should record, worked out from the library's own PRAGMA compile_options."""
    # It lists a flag by its name, an option with a value as NAME=VALUE.
    values = dict(item.split("=", 1) for item in listed if "=" in item)
    expected = {}
    for setting in COMPILE_OPTIONS:
        name = setting.removeprefix("SQLITE_")
        if name in VALUED:
            expected[setting] = values.get(name, "not listed")
        else:
            expected[setting] = "1" if name in listed else "0"
    return expected


def test_cells_run_django_on_the_librarys_own_sqlite(matrix: Matrix, tmp_path: Path) -> None:
    cells = matrix.select(LIBRARY_CELLS)
    summary = run_cells(matrix, cells, tmp_path, say=lambda line: None, jobs=2)
    assert [r.cell for r in summary.results] == LIBRARY_CELLS
    for cell, result in zip(cells, summary.results, strict=True):
        # "ran": the cell checked that Django's connection.Database is the library's own module.
        assert result.status is CellStatus.RAN, (result.cell, result.reason)
        errors = [(c.id, c.error) for c in result.checks if c.outcome is Outcome.HARNESS_ERROR]
        assert not errors, (result.cell, errors)
        assert len(result.checks) > 50
        said = _library_says(cell)
        # The version the cell recorded is what the library bundles, not what Python's sqlite3 links.
        assert result.server.version_reported == said["library"]
        assert result.server.settings["sqlite_version"] == said["library"]
        assert said["library"] != said["standard"], said
        assert result.driver.module == "pysqlite3"
        assert result.driver.version  # the distribution's installed version
        # The errors Django raised came from the library's exceptions.
        driver_errors = {e.driver_exception for c in result.checks for e in c.errors if e.driver_exception}
        assert driver_errors, result.cell
        assert all(name.startswith("pysqlite3.") for name in driver_errors), driver_errors
        options = said["options"]
        assert isinstance(options, list)
        assert {k: result.server.settings.get(k) for k in COMPILE_OPTIONS} == _expected_options(options)


def test_a_cell_whose_library_is_missing_says_so(tmp_path: Path) -> None:
    # The harness's own environment has Django but not the library: the cell ends a harness error, in one line.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "suites",
            "--dbcompat-cell=sqlite-pysqlite3-django52",
            f"--dbcompat-results={tmp_path}",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-o",
            "addopts=",
            "-q",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    data = json.loads((tmp_path / "sqlite-pysqlite3-django52.json").read_text())
    assert data["status"] == "harness error", done.stdout[-2000:]
    assert "needs pysqlite3 (pysqlite3>=0.6.0) to put in place of sqlite3" in data["reason"]
    assert "\n" not in data["reason"]


def _in_a_fresh_process(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)


def test_check_driver_refuses_the_standard_module_for_the_librarys_cell() -> None:
    # Django configured without the library put in place: its backend holds the standard module.
    code = """
from harness.cells.database import configure_django, check_driver
from harness.matrix import load_matrix
configure_django({"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})
try:
    check_driver(load_matrix().cell("sqlite-pysqlite3-django52"))
except Exception as exc:
    print(type(exc).__name__, exc)
"""
    done = _in_a_fresh_process(code)
    assert done.stdout.startswith("DbcompatError Django imported 'sqlite3.dbapi2'"), done.stdout + done.stderr
    assert "'pysqlite3' in place of 'sqlite3'" in done.stdout


def test_check_driver_accepts_the_standard_module_for_its_own_cell() -> None:
    code = """
from harness.cells.database import configure_django, check_driver
from harness.matrix import load_matrix
configure_django({"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})
check_driver(load_matrix().cell("sqlite-sqlite3-django52"))
print("ok")
"""
    done = _in_a_fresh_process(code)
    assert done.stdout.strip() == "ok", done.stdout + done.stderr
