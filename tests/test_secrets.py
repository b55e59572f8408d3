"""Secrets a server URL carries: every credential masked, ambiguous URLs refused, evidence left intact."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.errors import UsageError
from harness.matrix import Matrix
from harness.redaction import redact
from harness.results import CellResult, CellStatus, CheckResult, DriverInfo, Outcome, ServerInfo, mask_secrets
from harness.servers import locate_server
from harness.servers.urls import mask_url, parse_server_url, url_passwords

# -- every credential a URL can carry -------------------------------------------------------


def test_a_password_given_as_a_query_parameter_is_masked_and_a_secret(matrix: Matrix) -> None:
    environ = {"DBCOMPAT_URL_MARIADB1011": "mysql://u@127.0.0.1:3306/?password=S3cret"}
    found = locate_server(matrix.server("mariadb1011"), environ)
    assert found is not None
    assert found.origin == "DBCOMPAT_URL_MARIADB1011=mysql://u@127.0.0.1:3306/?password=***"
    assert "S3cret" in found.secrets
    assert found.settings["OPTIONS"]["password"] == "S3cret"  # still given to the driver


@pytest.mark.parametrize(
    ("url", "masked", "secrets"),
    [
        ("postgres://u@h/db?passwd=Pa55&sslmode=require", "postgres://u@h/db?passwd=***&sslmode=require", {"Pa55"}),
        ("postgres://u@h/db?sslpassword=k%40y", "postgres://u@h/db?sslpassword=***", {"k%40y", "k@y"}),
        ("mysql://u@h/?api_token=t0k&SECRET_key=s", "mysql://u@h/?api_token=***&SECRET_key=***", {"t0k", "s"}),
        ("mysql://u:pw@h/?Password=qp", "mysql://u:***@h/?Password=***", {"pw", "qp"}),
        ("mysql://u@h/?charset=utf8mb4", "mysql://u@h/?charset=utf8mb4", set()),
    ],
)
def test_every_credential_of_a_url_is_masked(url: str, masked: str, secrets: set[str]) -> None:
    assert mask_url(url) == masked
    assert set(url_passwords(url)) == secrets


# -- URLs that cannot be read unambiguously -----------------------------------------------------

AMBIGUOUS = "postgres://u:Pg9@:/%#?!secretX@127.0.0.1:5432/postgres"


@pytest.mark.parametrize(
    "url",
    [
        AMBIGUOUS,
        "postgres://u:se@cretX@127.0.0.1:5432/postgres",  # two "@"
        "postgres://u:se/cretX@127.0.0.1:5432/postgres",  # "/" before the "@"
        "postgres://u:se?cretX@127.0.0.1:5432/postgres",  # "?" before the "@"
        "postgres://u:se#cretX@127.0.0.1:5432/postgres",  # "#" before the "@"
        "postgres://u:se%cretX@127.0.0.1:5432/postgres",  # a "%" that is no escape
        "postgres://u@127.0.0.1:5432/postgres?password=se#cretX",  # "#" in a query password
        "postgres://u@127.0.0.1:5432/postgres?password=se@cretX",  # "@" in a query password
    ],
)
def test_an_ambiguous_url_is_bad_input_that_never_shows_the_password(url: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_server_url("DBCOMPAT_URL_POSTGRES15", url, "postgresql")
    text = str(raised.value)
    assert text.startswith("DBCOMPAT_URL_POSTGRES15=postgres://u")
    assert "\n" not in text
    assert "write @ as %40, : as %3A, / as %2F, # as %23, ? as %3F, % as %25" in text
    for part in ("cretX", "Pg9", "se@", "se/", "se?", "se#", "se%"):
        assert part not in text, text
    assert "cretX" not in mask_url(url)


def test_the_issue_url_is_shown_with_its_host() -> None:
    assert mask_url(AMBIGUOUS) == "postgres://u:***@127.0.0.1:5432/postgres"


@pytest.mark.parametrize(
    ("server", "variable", "url"),
    [
        ("mariadb1011", "DBCOMPAT_URL_MARIADB1011", "mysql://u:Pg9@:/%#?!secretX@127.0.0.1:3306/"),
        ("postgres15", "DBCOMPAT_URL_POSTGRES15", AMBIGUOUS),
    ],
)
def test_dbcompat_run_exits_2_on_an_ambiguous_url_before_any_cell_runs(
    tmp_path: Path, server: str, variable: str, url: str
) -> None:
    results = tmp_path / "r"
    command = ["run", "--server", server, "-q", "--no-report", "--results", str(results)]
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", *command],
        env={**os.environ, variable: url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"dbcompat: error: {variable}=")
    assert "%40" in lines[0]
    assert "secretX" not in done.stdout + done.stderr
    assert "Pg9" not in done.stdout + done.stderr
    assert not list(results.glob("*.json"))  # no cell ran


# -- a short password leaves the evidence alone -------------------------------------------------


def _result(reason: str, sql: list[str], error: str) -> CellResult:
    return CellResult(
        cell="postgres15-psycopg-django52",
        status=CellStatus.UNAVAILABLE,
        reason=reason,
        server=ServerInfo(
            id="postgres15",
            vendor="postgresql",
            matrix_version="15",
            provider="url",
            origin="DBCOMPAT_URL_POSTGRES15=postgres://u:***@127.0.0.1:5432/postgres",
        ),
        driver=DriverInfo(id="psycopg", name="psycopg", module="psycopg"),
        django_version="5.2",
        python_version="3.11.7",
        harness_version="0",
        started_at="2025-01-01T00:00:00+00:00",
        finished_at="2025-01-01T00:00:01+00:00",
        duration=1.0,
        checks=[
            CheckResult(
                id="smoke.model_round_trip",
                behaviour="smoke",
                outcome=Outcome.HARNESS_ERROR,
                duration=0.1,
                sql=sql,
                setup={"field": "id", "rows": ["id", "idx"]},
                observed="id",
                error=error,
            )
        ],
    )


def test_a_short_password_masks_credentials_but_not_sql_or_identifiers() -> None:
    sql = [
        'CREATE TABLE "suites_person" ("id" bigint NOT NULL PRIMARY KEY, "identity" varchar(10))',
        'SELECT "suites_person"."id", "suites_person"."identity" FROM "suites_person" WHERE "id" = %s  -- params: (1,)',
        "SELECT `suites_word`.`id` FROM `suites_word` ORDER BY `suites_word`.`id` ASC",
    ]
    reason = (
        "cannot connect: OperationalError: connection failed for postgres://u:id@127.0.0.1:5432/postgres; "
        "conninfo host=127.0.0.1 password=id; {'password': 'id', 'user': 'u'}; IDENTIFIED BY 'id'; "
        "connect(passwd='id')"
    )
    error = 'ProgrammingError: column "id" does not exist (dsn: user=u password=id)'
    masked = mask_secrets(_result(reason, sql, error), ["id"])
    assert masked.reason == (
        "cannot connect: OperationalError: connection failed for postgres://u:***@127.0.0.1:5432/postgres; "
        "conninfo host=127.0.0.1 password=***; {'password': '***', 'user': 'u'}; IDENTIFIED BY '***'; "
        "connect(passwd='***')"
    )
    (check,) = masked.checks
    assert check.sql == sql
    assert check.setup == {"field": "id", "rows": ["id", "idx"]}
    assert check.observed == "id"
    assert check.id == "smoke.model_round_trip"
    assert check.error == 'ProgrammingError: column "id" does not exist (dsn: user=u password=***)'


def test_a_long_random_password_is_masked_wherever_it_stands() -> None:
    secret = "Dbc_3f9a0c1e5b7d2468"
    text = f"CREATE USER dbc IDENTIFIED BY {secret} -- {secret}; x{secret}"
    assert redact(text, [secret]) == "CREATE USER dbc IDENTIFIED BY *** -- ***; x***"


# -- live: the servers of this machine --------------------------------------------------------


@pytest.mark.live
def test_a_query_parameter_password_is_used_and_never_written(matrix: Matrix, tmp_path: Path, mariadb_url: str) -> None:
    import pymysql

    from harness.report import write_reports
    from harness.runner import run_cells

    user, password = "dbc_query_pw", "Qp-S3cret-7zq"
    admin = pymysql.connect(host="127.0.0.1", port=3306, user="root", autocommit=True)
    try:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP USER IF EXISTS '{user}'@'%'")
            cursor.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'")
            cursor.execute(f"GRANT ALL PRIVILEGES ON *.* TO '{user}'@'%'")
        url = f"mysql://{user}@127.0.0.1:3306/?password={password}"
        environ = {**os.environ, "DBCOMPAT_URL_MARIADB1011": url}
        cells = matrix.select(["mariadb1011-mysqlclient-django52"])
        summary = run_cells(matrix, cells, tmp_path / "r", environ=environ)
        (result,) = summary.results
        assert result.status is CellStatus.RAN, result.reason  # the password was used
        assert result.server.origin == f"DBCOMPAT_URL_MARIADB1011=mysql://{user}@127.0.0.1:3306/?password=***"
        written = write_reports(list(summary.results), tmp_path / "report")
        files = [p for p in tmp_path.rglob("*") if p.is_file()]
        assert written.html in files
        for path in files:
            assert password not in path.read_text(errors="replace"), path
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP USER IF EXISTS '{user}'@'%'")
        admin.close()


@pytest.mark.live
def test_a_short_password_leaves_the_recorded_sql_intact(matrix: Matrix, tmp_path: Path, postgres_url: str) -> None:
    from harness.runner import run_cells

    # The local server trusts 127.0.0.1: any password is accepted.
    environ = {**os.environ, "DBCOMPAT_URL_POSTGRES15": postgres_url.replace("postgres@", "postgres:id@", 1)}
    summary = run_cells(matrix, matrix.select(["postgres15-psycopg-django52"]), tmp_path / "r", environ=environ)
    (result,) = summary.results
    assert result.status is CellStatus.RAN, result.reason
    assert result.server.origin.endswith("postgres:***@127.0.0.1:5432/postgres")
    data = json.loads((tmp_path / "r" / "postgres15-psycopg-django52.json").read_text())
    sql = "\n".join(statement for check in data["checks"] for statement in check["sql"])
    assert '"id"' in sql
    assert '"***"' not in sql
