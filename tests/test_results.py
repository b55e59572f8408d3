"""Results files: written atomically without secrets, read back or refused with one clear error."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from harness.errors import EXIT_BAD_INPUT, DbcompatError
from harness.results import (
    SCHEMA_VERSION,
    CellResult,
    CellStatus,
    CheckResult,
    DriverInfo,
    Outcome,
    ResultError,
    ServerInfo,
    load_result,
    load_results,
    write_result,
)


def check(check_id: str, outcome: Outcome, **fields: object) -> CheckResult:
    return CheckResult(id=check_id, behaviour=check_id.split(".")[0], outcome=outcome, **fields)  # type: ignore[arg-type]


def make_result(cell: str = "postgres15-psycopg-django52", **fields: object) -> CellResult:
    values: dict[str, object] = {
        "cell": cell,
        "status": CellStatus.RAN,
        "server": ServerInfo(
            id="postgres15",
            vendor="postgresql",
            matrix_version="15",
            provider="url",
            origin="DBCOMPAT_URL_POSTGRES15=postgres://postgres:***@127.0.0.1:5432/test",
            version_reported="15.20 (Debian 15.20-0+deb12u1)",
        ),
        "driver": DriverInfo(id="psycopg", name="psycopg 3", module="psycopg", version="3.2.3"),
        "django_version": "5.2.19",
        "python_version": "3.11.7",
        "harness_version": "0.1.0",
        "started_at": "2025-01-01T10:00:00+00:00",
        "finished_at": "2025-01-01T10:00:05+00:00",
        "duration": 5.25,
        "checks": [
            check(
                "smoke.round_trip",
                Outcome.AS_DOCUMENTED,
                observed=[[1, "dbcompat"]],
                expected=[[1, "dbcompat"]],
                claim="Raw SQL runs.",
                source="Django 5.2 docs, topics/db/sql, Executing custom SQL directly",
                sql=["SELECT 1, 'dbcompat'"],
                duration=0.01,
            ),
            check(
                "locking.nowait",
                Outcome.DIFFERS,
                observed=False,
                expected=True,
                flags={"retries": 2, "isolation": "read committed", "nested": {"a": [1, None]}},
            ),
            check("types.uuid", Outcome.NO_CLAIM, observed="uuid"),
            check("locking.skip_locked", Outcome.NOT_APPLICABLE, reason="no row locking here"),
            check("json.contains", Outcome.UNSUPPORTED, reason="Django refuses this server version"),
            check("smoke.model_round_trip", Outcome.UNAVAILABLE, reason="connection refused"),
            check("types.decimal", Outcome.HARNESS_ERROR, error="Traceback ...\nKeyError: 'x'"),
        ],
    }
    values.update(fields)
    return CellResult(**values)  # type: ignore[arg-type]


# -- round trip ------------------------------------------------------------------------


def test_round_trip(tmp_path: Path) -> None:
    result = make_result()
    assert {c.outcome for c in result.checks} == set(Outcome)
    path = write_result(tmp_path / "results", result)
    assert path == tmp_path / "results" / "postgres15-psycopg-django52.json"
    loaded = load_result(path)
    assert loaded == result
    assert isinstance(loaded.status, CellStatus)
    assert all(isinstance(c.outcome, Outcome) for c in loaded.checks)
    assert loaded.checks[1].flags["nested"] == {"a": [1, None]}
    assert loaded.schema_version == SCHEMA_VERSION


@pytest.mark.parametrize("status", list(CellStatus))
def test_round_trip_of_each_cell_status(tmp_path: Path, status: CellStatus) -> None:
    result = make_result(status=status, reason=None if status is CellStatus.RAN else "why", checks=[])
    assert load_result(write_result(tmp_path, result)) == result


def test_written_text_is_plain_json(tmp_path: Path) -> None:
    path = write_result(tmp_path, make_result(reason="Zoë Ångström"))
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    data = json.loads(text)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["status"] == "ran"
    assert data["checks"][1]["outcome"] == "differs from docs"
    assert "Zoë Ångström" in text  # not escaped to \\u sequences


def test_tuples_are_written_as_lists(tmp_path: Path) -> None:
    result = make_result(checks=[check("x.y", Outcome.AS_DOCUMENTED, observed=(1, "a"), expected=(1, "a"))])
    loaded = load_result(write_result(tmp_path, result))
    assert loaded.checks[0].observed == [1, "a"]
    assert loaded.checks[0].expected == [1, "a"]


# -- atomic writes ---------------------------------------------------------------------


def test_write_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    first = write_result(tmp_path, make_result(reason="the first run, with a rather long reason " * 20))
    first_inode = first.stat().st_ino
    second_result = make_result(reason="second", checks=[])
    second = write_result(tmp_path, second_result)
    assert second == first
    # A new file took the old one's name: readers saw the old file or the new one, never a mix.
    assert second.stat().st_ino != first_inode
    assert load_result(second) == second_result
    assert "first run" not in second.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["postgres15-psycopg-django52.json"]


def test_failed_write_leaves_no_temporary(tmp_path: Path) -> None:
    # The target name is taken by a folder: the final rename fails.
    (tmp_path / "postgres15-psycopg-django52.json").mkdir()
    with pytest.raises(OSError):
        write_result(tmp_path, make_result())
    assert [p.name for p in tmp_path.iterdir()] == ["postgres15-psycopg-django52.json"]
    assert not list(tmp_path.glob("*.tmp"))
    assert not list(tmp_path.glob(".*"))


def test_write_creates_the_folder(tmp_path: Path) -> None:
    path = write_result(tmp_path / "a" / "b", make_result(cell="sqlite-sqlite3-django52"))
    assert path.parent == tmp_path / "a" / "b"
    assert path.is_file()


# -- secrets ---------------------------------------------------------------------------


@pytest.mark.parametrize("secret", ["s3cr3t-P4ssw0rd", 'pa"ss\\word', "tab\there/slash"])
def test_secrets_never_reach_the_file(tmp_path: Path, secret: str) -> None:
    result = make_result(
        reason=f"could not log in as admin:{secret}@db",
        checks=[
            check(
                "smoke.round_trip",
                Outcome.HARNESS_ERROR,
                error=f"OperationalError: password {secret} rejected",
                sql=[f"ALTER USER dbcompat PASSWORD '{secret}'", "SELECT 1"],
                setup={"dsn": f"postgres://u:{secret}@h/db"},
            )
        ],
    )
    path = write_result(tmp_path, result, secrets=[secret, ""])
    text = path.read_text(encoding="utf-8")
    assert secret not in text
    assert json.dumps(secret)[1:-1] not in text
    loaded = load_result(path)
    assert loaded.reason == "could not log in as admin:***@db"
    assert loaded.checks[0].error == "OperationalError: password *** rejected"
    assert loaded.checks[0].sql == ["ALTER USER dbcompat PASSWORD '***'", "SELECT 1"]
    assert loaded.checks[0].setup == {"dsn": "postgres://u:***@h/db"}


def test_a_short_password_never_rewrites_what_a_server_did(tmp_path: Path) -> None:
    # Observations and ids are facts: a password that happens to be "def" or "postgres" masks free text
    # only, and there only where it stands as a credential.
    result = make_result(
        reason="login as postgres failed (password=postgres)",
        checks=[check("typecasting.raw_eq_zero", Outcome.NO_CLAIM, observed=["abc", "def"])],
    )
    loaded = load_result(write_result(tmp_path, result, secrets=["def", "postgres"]))
    assert loaded.checks[0].observed == ["abc", "def"]
    assert loaded.cell == result.cell
    assert loaded.reason == "login as postgres failed (password=***)"


def test_no_secrets_changes_nothing(tmp_path: Path) -> None:
    result = make_result(reason="nothing secret")
    assert load_result(write_result(tmp_path, result, secrets=())) == result
    assert load_result(write_result(tmp_path, result, secrets=[""])) == result


def test_non_ascii_secret_never_reaches_the_file(tmp_path: Path) -> None:
    secret = "pässwörd"
    path = write_result(tmp_path, make_result(reason=f"password {secret} rejected"), secrets=[secret])
    assert secret not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("secret", ["null", "version"])
def test_secret_that_looks_like_json_keeps_the_file_readable(tmp_path: Path, secret: str) -> None:
    path = write_result(tmp_path, make_result(reason=f"password {secret} rejected"), secrets=[secret])
    assert load_result(path).reason == "password *** rejected"


# -- refusing what is not a result -----------------------------------------------------


def _valid_text(tmp_path: Path) -> str:
    return write_result(tmp_path / "valid", make_result()).read_text(encoding="utf-8")


def _valid_data(tmp_path: Path) -> dict:
    return json.loads(_valid_text(tmp_path))


def test_truncated_file(tmp_path: Path) -> None:
    text = _valid_text(tmp_path)
    path = tmp_path / "half.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(ResultError, match="not a readable results file") as raised:
        load_result(path)
    assert str(path) in str(raised.value)


@pytest.mark.parametrize("version", [0, 2, "1", None])
def test_other_schema_version(tmp_path: Path, version: object) -> None:
    data = _valid_data(tmp_path)
    data["schema_version"] = version
    path = tmp_path / "other.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResultError, match="results schema version") as raised:
        load_result(path)
    assert str(raised.value).startswith(f"{path}: results schema version {version!r}, this dbcompat reads 1")


def test_missing_schema_version(tmp_path: Path) -> None:
    data = _valid_data(tmp_path)
    del data["schema_version"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResultError, match="schema version None"):
        load_result(path)


@pytest.mark.parametrize("text", ["[1, 2]", '"a string"', "42", "null", "true"])
def test_json_that_is_not_an_object(tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ResultError) as raised:
        load_result(path)
    assert str(raised.value).startswith(f"{path}: ")


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.pop("status"),
        lambda d: d.pop("server"),
        lambda d: d.pop("driver"),
        lambda d: d.pop("checks"),
        lambda d: d.pop("cell"),
        lambda d: d.pop("started_at"),
        lambda d: d["server"].pop("vendor"),
        lambda d: d["driver"].pop("module"),
        lambda d: d["checks"][0].pop("outcome"),
        lambda d: d["checks"][0].pop("id"),
        lambda d: d.update(status="finished"),
        lambda d: d["checks"][0].update(outcome="fine"),
        lambda d: d.update(unknown_key=1),
        lambda d: d.update(server="postgres15"),
        lambda d: d.update(checks=None),
        lambda d: d.update(checks=["smoke.round_trip"]),
    ],
)
def test_malformed_file(tmp_path: Path, damage: object) -> None:
    data = _valid_data(tmp_path)
    damage(data)  # type: ignore[operator]
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResultError, match="malformed results file") as raised:
        load_result(path)
    assert str(raised.value).startswith(f"{path}: ")


@pytest.mark.parametrize("kind", ["missing", "directory", "not-utf8", "empty"])
def test_unreadable_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.json"
    if kind == "directory":
        path.mkdir()
    elif kind == "not-utf8":
        path.write_bytes(b'{"cell": "caf\xe9"}')
    elif kind == "empty":
        path.write_text("", encoding="utf-8")
    with pytest.raises(ResultError, match="not a readable results file") as raised:
        load_result(path)
    assert str(raised.value).startswith(f"{path}: ")


def test_result_error_is_a_user_error() -> None:
    assert issubclass(ResultError, DbcompatError)
    assert ResultError("x").exit_status == EXIT_BAD_INPUT


# -- folders ---------------------------------------------------------------------------


def test_load_results_sorts_by_cell_and_ignores_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    cells = ["sqlite-sqlite3-django52", "mariadb1011-connector-django52", "postgres15-psycopg-django42"]
    for cell in cells:
        write_result(folder, make_result(cell=cell))
    (folder / "README.md").write_text("# not a result\n", encoding="utf-8")
    (folder / "notes.txt").write_text("{}", encoding="utf-8")
    (folder / ".sqlite-sqlite3-django52.abc.tmp").write_text("{", encoding="utf-8")
    results = load_results([folder])
    assert [r.cell for r in results] == sorted(cells)


def test_load_results_mixes_files_and_folders(tmp_path: Path) -> None:
    write_result(tmp_path / "a", make_result(cell="zeta-x-django52"))
    write_result(tmp_path / "a", make_result(cell="beta-x-django52"))
    single = write_result(tmp_path / "b", make_result(cell="alpha-x-django52"))
    write_result(tmp_path / "b", make_result(cell="omega-x-django52"))
    results = load_results([tmp_path / "a", single])
    assert [r.cell for r in results] == ["alpha-x-django52", "beta-x-django52", "zeta-x-django52"]


def test_load_results_of_an_empty_folder(tmp_path: Path) -> None:
    assert load_results([tmp_path]) == []
    assert load_results([]) == []


def test_load_results_stops_at_a_bad_file(tmp_path: Path) -> None:
    write_result(tmp_path, make_result(cell="good-x-django52"))
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(ResultError, match=r"bad\.json"):
        load_results([tmp_path])


# -- counts ----------------------------------------------------------------------------


def test_counts() -> None:
    result = make_result(
        checks=[
            check("a.a", Outcome.AS_DOCUMENTED),
            check("a.b", Outcome.AS_DOCUMENTED),
            check("a.c", Outcome.DIFFERS),
            check("a.d", Outcome.AS_DOCUMENTED),
            check("a.e", Outcome.HARNESS_ERROR),
        ]
    )
    assert result.counts() == {"as documented": 3, "differs from docs": 1, "harness error": 1}


def test_counts_of_every_outcome_and_of_none() -> None:
    assert make_result().counts() == {outcome.value: 1 for outcome in Outcome}
    assert make_result(checks=[]).counts() == {}


def test_results_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        make_result().cell = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("damage", "where"),
    [
        (lambda d: d["checks"][0].update(duration="abc"), "checks.0.duration"),
        (lambda d: d["checks"][0].update(sql=123), "checks.0.sql"),
        (lambda d: d["checks"][0].update(errors=[{"exception": 1}]), "checks.0.errors.0"),
        (lambda d: d["server"].update(settings={"sql_mode": ["a"]}), "server.settings.sql_mode"),
        (lambda d: d["server"].update(django_view={"version": "ten"}), "server.django_view.version"),
    ],
)
def test_wrong_types_inside_a_file_name_the_field(tmp_path: Path, damage: object, where: str) -> None:
    data = _valid_data(tmp_path)
    damage(data)  # type: ignore[operator]
    path = tmp_path / "typed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResultError, match="malformed results file") as raised:
        load_result(path)
    assert str(raised.value).startswith(f"{path}: malformed results file ({where}"), raised.value


def test_deeply_nested_json_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(ResultError, match="nested too deeply") as raised:
        load_results([path])
    assert "\n" not in str(raised.value)


def test_a_file_that_is_not_regular_is_never_read() -> None:
    # /dev/zero would be read until memory runs out.
    with pytest.raises(ResultError, match="not a regular file"):
        load_results([Path("/dev/zero")])


@pytest.mark.parametrize("cells", [None, "x", [1], {"a": 1}])
def test_a_merged_file_needs_a_list_of_cells(tmp_path: Path, cells: object) -> None:
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "cells": cells}), encoding="utf-8")
    with pytest.raises(ResultError, match="cells: a list of cell results is expected"):
        load_results([path])


@pytest.mark.parametrize("command", ["report", "diff"])
def test_report_and_diff_refuse_a_malformed_file_with_one_line(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from harness import cli

    data = _valid_data(tmp_path)
    data["checks"][0]["duration"] = "abc"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "cell.json").write_text(json.dumps(data), encoding="utf-8")
    args = (
        ["report", str(bad), "--output", str(tmp_path / "out")] if command == "report" else ["diff", str(bad), str(bad)]
    )
    assert cli.main(args) == EXIT_BAD_INPUT
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "malformed results file (checks.0.duration" in err[0], err
    assert not (tmp_path / "out").exists()
