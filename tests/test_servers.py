"""Where servers come from: URLs, container plans, the pool's logic, throwaway names (containers on a real
engine: test_containers.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.backends import backend_for
from harness.errors import ServerUnavailable, UnsafeOperation, UsageError
from harness.matrix import Matrix
from harness.servers import ServerPool, locate_server
from harness.servers import containers as containers_module
from harness.servers.containers import ContainerPlan, plan_container
from harness.servers.throwaway import (
    Throwaway,
    create_statements,
    drop_statements,
    throwaway_name,
)
from harness.servers.urls import build_url, mask_url, parse_server_url

# -- URLs ---------------------------------------------------------------------------------


def test_mysql_url_gives_django_settings() -> None:
    settings = parse_server_url("DBCOMPAT_URL_MARIADB1011", "mysql://root@127.0.0.1:3306/", "mariadb")
    assert settings["HOST"] == "127.0.0.1"
    assert settings["PORT"] == 3306
    assert settings["USER"] == "root"
    assert settings["ADMIN_NAME"] is None
    assert "ENGINE" not in settings


def test_mariadb_scheme_is_accepted_for_mariadb_only() -> None:
    settings = parse_server_url("V", "mariadb://u:p@db.example:3307/app", "mariadb")
    assert (settings["HOST"], settings["PORT"], settings["ADMIN_NAME"]) == ("db.example", 3307, "app")
    with pytest.raises(UsageError, match="scheme 'mariadb' does not reach a mysql server"):
        parse_server_url("V", "mariadb://u@h/", "mysql")


def test_postgres_url_keeps_options_and_decodes_password() -> None:
    settings = parse_server_url("V", "postgres://app:se%40cret@h:5433/db?sslmode=disable", "postgresql")
    assert settings["PASSWORD"] == "se@cret"
    assert settings["OPTIONS"] == {"sslmode": "disable"}
    assert settings["ADMIN_NAME"] == "db"


@pytest.mark.parametrize(
    ("url", "vendor", "message"),
    [
        ("postgres://u@h/db", "mariadb", "scheme 'postgres' does not reach a mariadb server"),
        ("mysql://u:hunter2@h:notaport/", "mysql", "malformed URL"),
        ("127.0.0.1:3306", "mysql", "does not reach a mysql server"),
        ("mysql:///db", "mysql", "no host"),
        ("oracle://u@h:1521/FREEPDB1", "postgresql", "does not reach a postgresql server"),
    ],
)
def test_bad_urls_name_the_variable_and_hide_the_password(url: str, vendor: str, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_server_url("DBCOMPAT_URL_X", url, vendor)
    text = str(raised.value)
    assert text.startswith("DBCOMPAT_URL_X=")
    assert message in text
    assert "hunter2" not in text


def test_mask_url() -> None:
    assert mask_url("postgres://app:s3cret@h:5432/db") == "postgres://app:***@h:5432/db"
    assert mask_url("mysql://root@h/") == "mysql://root@h/"


def test_build_url_round_trips_through_parse() -> None:
    url = build_url("postgresql", "localhost", 49153, "postgres", "p@ss/word", "postgres")
    settings = parse_server_url("V", url, "postgresql")
    assert (settings["PORT"], settings["PASSWORD"], settings["ADMIN_NAME"]) == (
        49153,
        "p@ss/word",
        "postgres",
    )


def test_locate_server(matrix: Matrix) -> None:
    sqlite = locate_server(matrix.server("sqlite"), {})
    assert sqlite is not None and sqlite.provider == "in-process"
    assert locate_server(matrix.server("postgres15"), {}) is None
    environ = {"DBCOMPAT_URL_POSTGRES15": "postgres://postgres:pw@127.0.0.1:5432/postgres"}
    found = locate_server(matrix.server("postgres15"), environ)
    assert found is not None
    assert found.provider == "url"
    assert found.origin == "DBCOMPAT_URL_POSTGRES15=postgres://postgres:***@127.0.0.1:5432/postgres"
    assert found.secrets == ("pw",)
    assert found.admin_name == "postgres"


# -- containers: plans, and everything up to the Docker client --------------------------------


def test_container_plans(matrix: Matrix) -> None:
    mysql = plan_container(matrix.server("mysql80"), {})
    assert (mysql.image, mysql.class_name, mysql.port, mysql.user) == (
        "mysql:8.0",
        "MySqlContainer",
        3306,
        "root",
    )
    assert mysql.kwargs["password"] == mysql.password and len(mysql.password) >= 16
    mariadb = plan_container(matrix.server("mariadb114"), {})
    assert (mariadb.image, mariadb.class_name) == ("mariadb:11.4", "MySqlContainer")
    postgres = plan_container(matrix.server("postgres17"), {})
    assert (postgres.image, postgres.class_name, postgres.port) == ("postgres:17", "PostgresContainer", 5432)
    oracle = plan_container(matrix.server("oracle23"), {})
    assert oracle.image == "gvenzl/oracle-free:23-slim-faststart"
    assert (oracle.class_name, oracle.port, oracle.dbname) == ("OracleDbContainer", 1521, "FREEPDB1")
    assert oracle.start_timeout == 600  # from matrix.yaml: Oracle takes minutes
    assert postgres.start_timeout == 180  # the default


def test_passwords_differ_per_plan(matrix: Matrix) -> None:
    server = matrix.server("postgres15")
    assert plan_container(server, {}).password != plan_container(server, {}).password


def test_start_timeout_can_be_raised_by_environment(matrix: Matrix) -> None:
    plan = plan_container(matrix.server("oracle23"), {"DBCOMPAT_START_TIMEOUT": "1200"})
    assert plan.start_timeout == 1200
    with pytest.raises(UsageError, match="DBCOMPAT_START_TIMEOUT='soon'"):
        plan_container(matrix.server("oracle23"), {"DBCOMPAT_START_TIMEOUT": "soon"})


def test_no_docker_engine_makes_the_server_unavailable(matrix: Matrix, monkeypatch: pytest.MonkeyPatch) -> None:
    # Point the Docker client at a socket nobody listens on: the real client call fails.
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    pool = ServerPool({})
    with pytest.raises(ServerUnavailable, match=r"^no Docker engine at .*; or set DBCOMPAT_URL_MYSQL80 to use"):
        pool.provide(matrix.server("mysql80"))
    # The failure is remembered: one attempt per server per run.
    with pytest.raises(ServerUnavailable, match="no Docker engine"):
        pool.provide(matrix.server("mysql80"))
    assert pool.starts == 0


def test_pool_prefers_url(matrix: Matrix) -> None:
    environ = {"DBCOMPAT_URL_MARIADB1011": "mysql://root@127.0.0.1:3306/"}
    pool = ServerPool(environ)
    provided = pool.provide(matrix.server("mariadb1011"))
    assert provided.provider == "url"
    assert pool.provide(matrix.server("mariadb1011")) is provided
    assert pool.starts == 0


# -- throwaway databases ------------------------------------------------------------------------


def test_throwaway_names_are_prefixed_and_fit_every_vendor() -> None:
    name = throwaway_name("1a2b3c4d", "gw11")
    assert name == "dbcompat_1a2b3c4d_gw11"
    assert len(name) <= 30


@pytest.mark.parametrize("name", ["test", "postgres", "dbcompat", "app_dbcompat_x", 'dbcompat_x"; DROP'])
def test_refuses_names_it_would_not_create(name: str) -> None:
    with pytest.raises(UnsafeOperation, match="refusing"):
        create_statements(backend_for("postgresql"), name)
    with pytest.raises(UnsafeOperation, match="refusing"):
        drop_statements(backend_for("mysql"), name)


def test_drops_only_what_it_created() -> None:
    throwaway = Throwaway()
    with pytest.raises(UnsafeOperation, match="this run did not create it"):
        throwaway.drop_statements(backend_for("postgresql"), "dbcompat_other_main")
    throwaway.mark_created("dbcompat_mine_main")
    assert throwaway.drop_statements(backend_for("postgresql"), "dbcompat_mine_main") == [
        'DROP DATABASE IF EXISTS "dbcompat_mine_main"'
    ]


def test_vendor_statements() -> None:
    assert create_statements(backend_for("mariadb"), "dbcompat_a_main") == ["CREATE DATABASE `dbcompat_a_main`"]
    assert create_statements(backend_for("mysql"), "dbcompat_a_main", charset="utf8mb4") == [
        "CREATE DATABASE `dbcompat_a_main` CHARACTER SET utf8mb4"
    ]
    oracle = create_statements(backend_for("oracle"), "dbcompat_a_main", "Pw_1")
    assert oracle[0] == (
        'CREATE USER "DBCOMPAT_A_MAIN" IDENTIFIED BY "Pw_1" DEFAULT TABLESPACE USERS QUOTA UNLIMITED ON USERS'
    )
    assert "CREATE SESSION" in oracle[1] and "CREATE TABLE" in oracle[1]
    assert drop_statements(backend_for("oracle"), "dbcompat_a_main") == ['DROP USER "DBCOMPAT_A_MAIN" CASCADE']


@pytest.mark.parametrize(
    ("server_id", "user", "admin_name"),
    [
        ("mysql84", "root", "test"),
        ("mariadb106", "root", "test"),
        ("postgres17", "postgres", "postgres"),
        ("oracle23", "system", "FREEPDB1"),
    ],
)
def test_started_container_becomes_django_settings(matrix: Matrix, server_id: str, user: str, admin_name: str) -> None:
    # What a cell is given for a container the run started: its URL, read back as Django settings.
    plan = plan_container(matrix.server(server_id), {})
    environ = {f"DBCOMPAT_URL_{server_id.upper()}": plan.url("localhost", 49153)}
    provided = locate_server(matrix.server(server_id), environ)
    assert provided is not None
    assert (provided.settings["HOST"], provided.settings["PORT"]) == ("localhost", 49153)
    assert (provided.settings["USER"], provided.settings["PASSWORD"]) == (user, plan.password)
    assert provided.admin_name == admin_name
    assert plan.password in provided.secrets
    assert plan.password not in provided.origin


def test_oracle_cells_connect_by_easy_connect_string(matrix: Matrix) -> None:
    # Pluggable databases need a service name: NAME "host:port/service", HOST and PORT empty
    # (Django docs, ref/databases, Oracle notes > Full DSN and Easy Connect).
    from harness.cells.job import CellJob
    from harness.cells.session import CellSession

    session = CellSession(CellJob(matrix.cell("oracle23-oracledb-django52"), "t0k3n", 60, Path("results")))
    session.provided = locate_server(
        matrix.server("oracle23"), {"DBCOMPAT_URL_ORACLE23": "oracle://system:pw@db.example:1522/FREEPDB1"}
    )
    assert session._admin_database() == "db.example:1522/FREEPDB1"


class _FakeStarts:
    """Stands in for starting a container (no Docker engine here); counts the starts."""

    def __init__(self) -> None:
        self.started: list[str] = []

    def __call__(self, plan: ContainerPlan, keep: bool = False) -> Any:
        from harness.servers.containers import StartedContainer

        self.started.append(plan.server_id)
        return StartedContainer(plan, None, plan.url("127.0.0.1", 5432), container_id=f"id-{plan.server_id}")


def test_a_server_starts_once_however_many_cells_use_it(matrix: Matrix, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    fake = _FakeStarts()
    monkeypatch.setattr(containers_module, "start_container", fake)
    pool = ServerPool({})
    server = matrix.server("postgres17")
    threads = [threading.Thread(target=pool.provide, args=(server,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake.started == ["postgres17"]
    assert pool.starts == 1
    provided = pool.provide(server)
    assert (provided.provider, provided.image) == ("container", "postgres:17")
    assert provided.settings["USER"] == "postgres"


def test_stop_servers_with_nothing_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from harness.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["stop-servers"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("removed ") and out.endswith(
        " containers (kept by --keep-servers, or left by a run that was killed)"
    )


def test_a_run_stops_the_containers_it_started(matrix: Matrix, monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.servers.containers import StartedContainer

    stopped: list[str] = []

    class Container:
        def __init__(self, server_id: str) -> None:
            self.server_id = server_id

        def stop(self) -> None:
            stopped.append(self.server_id)

    def start(plan: ContainerPlan, keep: bool = False) -> StartedContainer:
        return StartedContainer(plan, Container(plan.server_id), plan.url("127.0.0.1", 5432))

    monkeypatch.setattr(containers_module, "start_container", start)
    pool = ServerPool({})
    pool.provide(matrix.server("postgres17"))
    pool.provide(matrix.server("mysql84"))
    pool.stop_all()  # what a run does at its end, finished or interrupted
    assert sorted(stopped) == ["mysql84", "postgres17"]
    pool.stop_all()
    assert len(stopped) == 2  # nothing is stopped twice


# -- the job a cell's process is handed -----------------------------------------------------------


def test_a_cell_job_round_trips_through_its_file_for_its_owner_only(matrix: Matrix, tmp_path: Path) -> None:
    from harness.cells.job import CellJob

    cell = matrix.cell("postgres15-psycopg-django52")
    provided = locate_server(cell.server, {"DBCOMPAT_URL_POSTGRES15": "postgres://u:S3cret@127.0.0.1:5432/app"})
    job = CellJob(cell, "abc12345", 7.5, tmp_path / "results", provided, progress=tmp_path / "progress")
    path = job.write(tmp_path / "job.json")
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # it holds the password
    assert CellJob.read(path) == job
    unavailable = CellJob(cell, "abc12345", 60, tmp_path, unavailable="no Docker engine at x")
    assert CellJob.read(unavailable.write(tmp_path / "other.json")) == unavailable


def test_a_broken_job_file_is_one_line_naming_it(tmp_path: Path) -> None:
    from harness.cells.job import CellJob

    broken = tmp_path / "job.json"
    broken.write_text('{"cell": ')
    with pytest.raises(UsageError, match=rf"^{broken}: not a cell job dbcompat wrote \(JSONDecodeError"):
        CellJob.read(broken)


def test_a_bad_check_timeout_variable_is_bad_input() -> None:
    from harness.cells.job import check_timeout

    assert check_timeout({}) == 60
    assert check_timeout({"DBCOMPAT_CHECK_TIMEOUT": "2.5"}) == 2.5
    with pytest.raises(UsageError, match=r"DBCOMPAT_CHECK_TIMEOUT='soon': write a number of seconds above 0, e.g. 60"):
        check_timeout({"DBCOMPAT_CHECK_TIMEOUT": "soon"})
