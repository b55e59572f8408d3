"""Bad input the user gives (options, matrix values, paths) ends in one line and exit 2, before any cell runs."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import cli, envs, runner
from harness.envs import EnvPlan, ensure_env
from harness.errors import EXIT_BAD_INPUT, EnvironmentBuildError, MatrixError, UsageError, seconds_from
from harness.matrix import load_matrix
from harness.results import CellResult, CellStatus, DriverInfo, ServerInfo, write_result

MATRIX = """\
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
servers:
  - id: sqlite
    vendor: sqlite
"""


def write_matrix(tmp_path: Path, text: str = MATRIX) -> Path:
    path = tmp_path / "matrix.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def no_cell_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cell was run despite bad input")

    monkeypatch.setattr(runner, "run_cells", refuse)


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("dbcompat: error: ")
    assert "Traceback" not in captured.err
    return lines[0]


# -- item 12: timeouts are finite numbers of seconds above 0 ----------------------------


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "infinity", "-5", "0", "0.0", "abc", ""])
@pytest.mark.usefixtures("no_cell_runs")
def test_check_timeout_must_be_finite_and_above_0(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = write_matrix(tmp_path)
    status = cli.main(["run", "--matrix", str(matrix), "--results", str(tmp_path / "r"), f"--check-timeout={value}"])
    assert status == EXIT_BAD_INPUT
    line = one_error_line(capsys)
    assert "--check-timeout" in line
    assert "above 0" in line
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "Infinity", "0", "-1", "x"])
@pytest.mark.parametrize("whole", [False, True])
def test_timeout_variables_must_be_finite_and_above_0(value: str, whole: bool) -> None:
    with pytest.raises(UsageError, match=r"^DBCOMPAT_CHECK_TIMEOUT='.*': write a"):
        seconds_from("DBCOMPAT_CHECK_TIMEOUT", value, "60", whole=whole)


def test_timeout_variables_accept_seconds() -> None:
    assert seconds_from("DBCOMPAT_CHECK_TIMEOUT", "2.5", "60") == 2.5
    assert seconds_from("DBCOMPAT_START_TIMEOUT", "600", "600", whole=True) == 600


# -- item 16: ids short enough for every name built from them ----------------------------


@pytest.mark.parametrize(
    ("old", "key", "line"),
    [
        ("  - id: sqlite\n", "servers[0].id", 14),
        ("  - id: sqlite3\n", "drivers[0].id", 8),
        ("  - id: django52\n", "django[0].id", 2),
    ],
)
def test_overlong_ids_are_one_matrix_error(old: str, key: str, line: int, tmp_path: Path) -> None:
    long_id = "a" * 300
    path = write_matrix(tmp_path, MATRIX.replace(old, f"  - id: {long_id}\n"))
    with pytest.raises(MatrixError) as raised:
        load_matrix(path)
    message = str(raised.value)
    assert message.startswith(f"{path}:{line}: {key}: ")
    assert "300 characters" in message
    assert "at most 40" in message
    assert long_id not in message  # the line stays one readable line
    assert "\n" not in message


def test_ids_at_the_limit_make_names_the_file_system_takes(tmp_path: Path) -> None:
    text = (
        MATRIX.replace("id: sqlite\n", f"id: s{'1' * 39}\n")
        .replace("id: sqlite3\n", f"id: d{'2' * 39}\n")
        .replace("id: django52\n", f"id: j{'3' * 39}\n")
    )
    (cell,) = load_matrix(write_matrix(tmp_path, text)).cells
    assert len(cell.server.id) == len(cell.driver.id) == len(cell.django.id) == 40
    # The longest names the harness makes from ids: a result's temporary file, a job file, a tox env.
    results = tmp_path / "results"
    write_result(results, _result(cell.id))
    assert (results / f"{cell.id}.json").exists()
    (tmp_path / f"{cell.id}.job.json").touch()
    (tmp_path / f"{cell.env_name}.lock").touch()


def test_an_overlong_id_on_the_command_line_is_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_matrix(tmp_path, MATRIX.replace("  - id: sqlite\n", f"  - id: {'s' * 300}\n"))
    assert cli.main(["list", "--matrix", str(path)]) == EXIT_BAD_INPUT
    assert "servers[0].id" in one_error_line(capsys)


# -- item 17: output folders that cannot be made ---------------------------------------


@pytest.mark.parametrize("below", ["", "results", "a/b"])
@pytest.mark.usefixtures("no_cell_runs")
def test_run_results_under_a_file(below: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("not a folder\n")
    target = blocker / below if below else blocker
    status = cli.main(["run", "--matrix", str(write_matrix(tmp_path)), "--results", str(target)])
    assert status == EXIT_BAD_INPUT
    line = one_error_line(capsys)
    assert f"--results {target}: " in line
    assert f"{blocker} is a file" in line
    assert blocker.read_text() == "not a folder\n"


@pytest.mark.parametrize("below", ["", "out", "a/b"])
def test_report_output_under_a_file(below: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = tmp_path / "results"
    write_result(results, _result("sqlite-sqlite3-django52"))
    blocker = tmp_path / "plain-file"
    blocker.write_text("not a folder\n")
    target = blocker / below if below else blocker
    status = cli.main(["report", str(results), "--output", str(target)])
    assert status == EXIT_BAD_INPUT
    line = one_error_line(capsys)
    assert f"--output {target}: " in line
    assert f"{blocker} is a file" in line
    assert blocker.read_text() == "not a folder\n"


def test_write_reports_names_a_folder_it_cannot_make(tmp_path: Path) -> None:
    from harness.report import write_reports

    blocker = tmp_path / "plain-file"
    blocker.touch()
    with pytest.raises(UsageError, match=f"^{blocker / 'out'}: cannot create the folder"):
        write_reports([_result("sqlite-sqlite3-django52")], blocker / "out")


# -- item 20: requirements are PEP 508 requirements, never options ----------------------


@pytest.mark.parametrize(
    ("section", "old", "requirement", "line"),
    [
        ("drivers[0]", "    module: sqlite3\n", "--index-url=http://127.0.0.1:1/simple x", 12),
        ("drivers[0]", "    module: sqlite3\n", "-r /etc/shadow", 12),
        ("django[0]", '    python: "3.11"\n', "-e /tmp/x", 5),
        ("django[0]", '    python: "3.11"\n', "Django~=5.2.0 --no-deps", 5),
        ("drivers[0]", "    module: sqlite3\n", "", 12),
    ],
)
def test_requirements_must_be_pep_508(section: str, old: str, requirement: str, line: int, tmp_path: Path) -> None:
    indent = old[: len(old) - len(old.lstrip())]
    path = write_matrix(tmp_path, MATRIX.replace(old, f"{old}{indent}requirement: {requirement!r}\n"))
    with pytest.raises(MatrixError) as raised:
        load_matrix(path)
    message = str(raised.value)
    assert message.startswith(f"{path}:{line}: {section}.requirement: "), message
    assert "PEP 508" in message
    assert "\n" not in message


def test_pep_508_requirements_are_accepted(tmp_path: Path) -> None:
    text = MATRIX.replace(
        "    module: sqlite3\n", "    module: sqlite3\n    requirement: \"pkg[extra]>=1; python_version>='3'\"\n"
    )
    text = text.replace(
        '    python: "3.11"\n', '    python: "3.11"\n    requirement: "Django @ https://example.org/d.whl"\n'
    )
    (cell,) = load_matrix(write_matrix(tmp_path, text)).cells
    assert cell.driver.requirement == "pkg[extra]>=1; python_version>='3'"
    assert cell.django.requirement == "Django @ https://example.org/d.whl"


PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


@pytest.mark.parametrize("with_uv", [True, False], ids=["uv", "venv-pip"])
def test_a_requirement_never_reaches_the_installer_as_an_option(
    with_uv: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not with_uv:
        monkeypatch.setattr(envs, "uv_binary", lambda: None)
    # Taken as an option, "--help" makes the installer print its help and succeed with nothing installed.
    with pytest.raises(EnvironmentBuildError):
        ensure_env(EnvPlan("django00-sample", PYTHON, ("--help",)), {"DBCOMPAT_ENVS": str(tmp_path)})
    log = (tmp_path / "django00-sample.log").read_text()
    assert " -- --help" in log
    assert not (tmp_path / "django00-sample").exists()


def test_requirements_follow_the_end_of_options() -> None:
    plan = EnvPlan("x", PYTHON, ("-e /src/harness", "Django~=5.2.0", "psycopg[binary]>=3.1"))
    assert envs._args(plan) == ["-e", "/src/harness", "--", "Django~=5.2.0", "psycopg[binary]>=3.1"]


def _result(cell: str) -> CellResult:
    return CellResult(
        cell=cell,
        status=CellStatus.RAN,
        server=ServerInfo("sqlite", "sqlite", None, "in-process", "Python's sqlite3 module", "3.40.1"),
        driver=DriverInfo("sqlite3", "sqlite3", "sqlite3", "3.11.7"),
        django_version="5.2.19",
        python_version="3.11.7",
        harness_version="0",
        started_at="2026-01-01T00:00:00+00:00",
        finished_at="2026-01-01T00:00:01+00:00",
        duration=1.0,
        checks=[],
    )


def test_a_bad_check_timeout_variable_is_one_line_before_any_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DBCOMPAT_CHECK_TIMEOUT", "abc")
    status = cli.main(["run", "sqlite-sqlite3-django52", "-q", "--no-report", "--results", str(tmp_path / "results")])
    assert status == EXIT_BAD_INPUT
    err = capsys.readouterr().err.strip()
    assert err.endswith("DBCOMPAT_CHECK_TIMEOUT='abc': write a number of seconds above 0, e.g. 60")
    assert len(err.splitlines()) == 1
    assert not list((tmp_path / "results").glob("*.json"))  # no cell ran


# -- the report never overwrites a file dbcompat did not write --------------------------


@pytest.mark.parametrize("name", ["index.html", "compat.md", "results.json"])
def test_run_refuses_an_output_folder_holding_someone_elses_file_before_any_cell(
    name: str, tmp_path: Path, no_cell_runs: None, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "site"
    output.mkdir()
    (output / name).write_text("mine, not dbcompat's\n", encoding="utf-8")
    args = ["run", "--matrix", str(write_matrix(tmp_path)), "--results", str(tmp_path / "r"), "--output", str(output)]
    assert cli.main(args) == EXIT_BAD_INPUT
    line = one_error_line(capsys)
    assert line.endswith(f"{output / name} exists and was not written by dbcompat; move it, or give the report "
                         "another folder (--output)")  # fmt: skip
    assert (output / name).read_text(encoding="utf-8") == "mine, not dbcompat's\n"


def test_report_refuses_to_overwrite_someone_elses_file_and_rewrites_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = tmp_path / "results"
    write_result(results, _result("sqlite-sqlite3-django52"))
    output = tmp_path / "out"
    assert cli.main(["report", str(results), "--output", str(output)]) == 0
    assert cli.main(["report", str(results), "--output", str(output)]) == 0  # its own files: rendered again
    capsys.readouterr()
    (output / "compat.md").write_text("# notes of mine\n", encoding="utf-8")
    assert cli.main(["report", str(results), "--output", str(output)]) == EXIT_BAD_INPUT
    assert "compat.md exists and was not written by dbcompat" in one_error_line(capsys)
    assert (output / "compat.md").read_text(encoding="utf-8") == "# notes of mine\n"


def test_run_writes_its_report_into_output_never_beside_the_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --results used to put the report into its parent folder, over whatever was there.
    elsewhere = tmp_path / "project"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text("<p>the project's own page</p>\n", encoding="utf-8")
    output = tmp_path / "report"
    args = ["run", "sqlite-sqlite3-django52", "-q", "--results", str(elsewhere / "results"), "--output", str(output)]
    assert cli.main(args) in (0, 1)  # the cell's findings decide which
    assert (elsewhere / "index.html").read_text(encoding="utf-8") == "<p>the project's own page</p>\n"
    assert not (elsewhere / "compat.md").exists()
    assert (output / "index.html").exists() and (output / "compat.md").exists()
    assert (elsewhere / "results" / "sqlite-sqlite3-django52.json").exists()


# -- one run at a time writes a results folder, and a report folder ----------------------


@pytest.mark.parametrize("option", ["--results", "--output"])
def test_a_second_run_on_the_same_folder_says_so_and_exits_2(
    option: str, tmp_path: Path, no_cell_runs: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from harness.results import folder_lock

    folders = {"--results": tmp_path / "results", "--output": tmp_path / "site"}
    (folders["--results"] / "sqlite-sqlite3-django52.json").parent.mkdir(parents=True)
    (folders["--results"] / "sqlite-sqlite3-django52.json").write_text("{}", encoding="utf-8")
    args = ["run", "--matrix", str(write_matrix(tmp_path))]
    args += ["--results", str(folders["--results"]), "--output", str(folders["--output"])]
    with folder_lock(folders[option], option):  # the first run, still going
        assert cli.main(args) == EXIT_BAD_INPUT
    line = one_error_line(capsys)
    assert line.endswith(
        f"{option} {folders[option]}: another dbcompat run (pid {os.getpid()}) is writing there; wait for it to "
        f"finish, or give {option} another folder"
    )
    # Nothing of the first run's was touched.
    assert (folders["--results"] / "sqlite-sqlite3-django52.json").read_text(encoding="utf-8") == "{}"
    with folder_lock(folders[option], option):  # free again once the first run is over
        pass


# -- a full disk --------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real file system of 64 KiB (tmpfs), too small for a cell's result; unmounted afterwards."""
    import subprocess

    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        message = f"cannot mount a tmpfs here: {done.stderr.decode().strip()}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_cell_on_a_full_disk_says_so_in_its_reason(tiny_disk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results, output = tiny_disk / "results", tiny_disk / "out"
    status = cli.main(["run", "sqlite-sqlite3-django52", "-q", "--results", str(results), "--output", str(output)])
    out = capsys.readouterr().out
    # The cell's whole result does not fit: the cell is a harness error whose reason is the cell's own line,
    # not the tail of its pytest output.
    assert status == EXIT_BAD_INPUT, out
    (line,) = [line for line in out.splitlines() if line.startswith("[1/1] ")]
    assert line.startswith(
        "[1/1] sqlite-sqlite3-django52: harness error (the cell's pytest exited with 0 without writing results: "
        f"{results / 'sqlite-sqlite3-django52.json'}: not written, no space left on the device holding {results}; "
        "free some space and run again (what was written before is kept))"
    ), line
    assert [p.name for p in tiny_disk.rglob("*.tmp")] == []


def test_a_report_on_a_full_disk_is_one_line_and_keeps_what_was_there(
    tiny_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = tmp_path / "results"
    write_result(results, _result("sqlite-sqlite3-django52"))
    output = tiny_disk / "out"
    assert cli.main(["report", str(results), "--output", str(output)]) == 0
    before = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    with (tiny_disk / "filler").open("wb", buffering=0) as filler, contextlib.suppress(OSError):
        while True:  # until the disk is full
            filler.write(b"x" * 1024)
    capsys.readouterr()
    assert cli.main(["report", str(results), "--output", str(output)]) == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    (line,) = captured.err.splitlines()
    assert line.startswith("dbcompat: error: ") and ": not written, no space left on the device holding " in line
    assert "Traceback" not in captured.err
    assert [p.name for p in tiny_disk.rglob("*.tmp")] == []
    # The report rendered before is whole: a file is replaced only once its new text is all written.
    assert {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
