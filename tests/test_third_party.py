"""Third-party backends: the shipped ones run for real on the local servers, and the README's entries for
backends whose servers cannot run here (CockroachDB, TiDB, SQL Server) taken as far as the container start.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.version import Version

from harness.backends import backend_for
from harness.cells.database import cell_database
from harness.cells.target import is_djangos_own, wrapped_backend
from harness.envs import plan_env
from harness.errors import ServerUnavailable
from harness.matrix import DEFAULT_MATRIX, Matrix, load_matrix
from harness.results import CellResult, CellStatus, Outcome
from harness.servers import ServerPool, locate_server
from harness.servers.containers import plan_container
from tests.conftest import ROOT_MATRIX, live_url
from tests.variant_cells import cell_id, probe, results

README = Path(__file__).resolve().parent.parent / "README.md"

# -- the README's entries for servers that cannot run here -------------------------------------------


def readme_entries() -> dict[str, list[dict[str, Any]]]:
    """The worked entries of the README's "Third-party backends" section: its YAML block of drivers and servers."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Third-party backends", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    (block,) = [b for b in blocks if b.startswith("drivers:")]
    entries: dict[str, list[dict[str, Any]]] = yaml.safe_load(block)
    return entries


@pytest.fixture
def user_matrix(tmp_path: Path) -> Matrix:
    """The shipped matrix with the README's entries added, as a user would add them to a copy of it."""
    data = yaml.safe_load(DEFAULT_MATRIX.read_text(encoding="utf-8"))
    entries = readme_entries()
    data["drivers"] += entries["drivers"]
    data["servers"] += entries["servers"]
    path = tmp_path / "my-matrix.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_matrix(path)


def test_the_readme_names_a_server_and_a_driver_for_each_vendor() -> None:
    entries = readme_entries()
    assert {s["vendor"] for s in entries["servers"]} == {"cockroachdb", "tidb", "sqlserver"}
    assert {d["engine"] for d in entries["drivers"]} == {"django_cockroachdb", "django_tidb", "mssql"}


def test_the_readme_entries_make_cells_of_the_djangos_their_packages_support(user_matrix: Matrix) -> None:
    cells = {c.id: c for c in user_matrix.cells if c.server.vendor in ("cockroachdb", "tidb", "sqlserver")}
    assert sorted({c.server.id + "-" + c.driver.id for c in cells.values()}) == [
        "cockroach241-cockroach-psycopg",
        "sqlserver2022-mssql-pyodbc",
        "tidb85-tidb-mysqlclient",
    ]
    runnable = {name for name, cell in cells.items() if cell.not_applicable is None}
    assert runnable == {
        "cockroach241-cockroach-psycopg-django42",
        "cockroach241-cockroach-psycopg-django52",
        "tidb85-tidb-mysqlclient-django42",
        "tidb85-tidb-mysqlclient-django52",
        "tidb85-tidb-mysqlclient-django60",
        *(f"sqlserver2022-mssql-pyodbc-{django}" for django in ("django42", "django52", "django60", "django61")),
    }
    assert cells["cockroach241-cockroach-psycopg-django60"].not_applicable == (
        "django-cockroachdb supports Django >=4.2,<6.0 (its package metadata, as the matrix's driver "
        "cockroach-psycopg says), not Django 6.0."
    )
    # No claim of Django's docs names these vendors: Django's docs say nothing of them.
    for cell in cells.values():
        assert cell.server.vendor not in ("postgresql", "mysql", "mariadb")


def test_each_environment_holds_the_package_released_for_its_django(user_matrix: Matrix) -> None:
    cockroach = plan_env(user_matrix.cell("cockroach241-cockroach-psycopg-django52"), Path("/src"))
    assert cockroach.requirements == (
        "-e /src",
        "Django~=5.2.0",
        "psycopg[binary]>=3.1.12",
        "django-cockroachdb~=5.2.0",
    )
    tidb = plan_env(user_matrix.cell("tidb85-tidb-mysqlclient-django42"), Path("/src"))
    assert tidb.requirements == ("-e /src", "Django~=4.2.0", "mysqlclient>=2.2.1", "django-tidb~=4.2.0")
    mssql = plan_env(user_matrix.cell("sqlserver2022-mssql-pyodbc-django61"), Path("/src"))
    assert mssql.name == "django61-mssql-pyodbc"
    assert mssql.requirements[2:] == ("pyodbc>=5.0", "mssql-django>=1.5")


def test_the_container_plan_of_each_server(user_matrix: Matrix) -> None:
    cockroach = plan_container(user_matrix.server("cockroach241"), {})
    assert (cockroach.module, cockroach.class_name) == ("testcontainers.community.cockroachdb", "CockroachDBContainer")
    assert (cockroach.image, cockroach.port, cockroach.dbname) == ("cockroachdb/cockroach:v24.1.1", 26257, "defaultdb")
    assert cockroach.kwargs["password"] == cockroach.password and len(cockroach.password) >= 16
    assert cockroach.ready_log == "finished creating default user"

    tidb = plan_container(user_matrix.server("tidb85"), {})
    assert (tidb.class_name, tidb.image, tidb.port, tidb.user) == (
        "MySqlContainer",
        "pingcap/tidb:v8.5.1",
        4000,
        "root",
    )
    # tidb-server reads none of the MySQL image's variables: its root has no password, and the URL says so.
    assert tidb.password == "" and "password" not in tidb.kwargs
    assert tidb.kwargs["wait_strategy_check_string"] == "server is running MySQL protocol"

    mssql = plan_container(user_matrix.server("sqlserver2022"), {})
    assert (mssql.class_name, mssql.port, mssql.user, mssql.dbname) == ("SqlServerContainer", 1433, "SA", "master")
    # SQL Server refuses an SA password without three of: capitals, small letters, digits, symbols.
    kinds = [re.search(pattern, mssql.password) is not None for pattern in ("[A-Z]", "[a-z]", "[0-9]", "[^A-Za-z0-9]")]
    assert all(kinds) and mssql.kwargs["password"] == mssql.password
    assert mssql.ready_log == "SQL Server is now ready for client connections"
    assert plan_container(user_matrix.server("sqlserver2022"), {}).password != mssql.password


@pytest.mark.parametrize(
    ("cell", "engine", "expected"),
    [
        (
            "cockroach241-cockroach-psycopg-django52",
            "django_cockroachdb",
            {"HOST": "127.0.0.1", "PORT": 49153, "USER": "dbcompat", "OPTIONS": {"connect_timeout": 10}},
        ),
        (
            "tidb85-tidb-mysqlclient-django52",
            "django_tidb",
            {"PORT": 49153, "USER": "root", "PASSWORD": "", "OPTIONS": {"connect_timeout": 10, "read_timeout": 70}},
        ),
        (
            "sqlserver2022-mssql-pyodbc-django52",
            "mssql",
            {
                "USER": "SA",
                "OPTIONS": {
                    "connection_timeout": 10,
                    "query_timeout": 70,
                    "driver": "ODBC Driver 18 for SQL Server",
                    "extra_params": "TrustServerCertificate=yes",
                },
            },
        ),
    ],
)
def test_a_started_container_becomes_the_cells_databases_entry(
    user_matrix: Matrix, cell: str, engine: str, expected: dict[str, Any]
) -> None:
    found = user_matrix.cell(cell)
    plan = plan_container(found.server, {})
    provided = locate_server(found.server, {found.server.url_variable: plan.url("127.0.0.1", 49153)})
    assert provided is not None and provided.admin_name == plan.dbname
    database = cell_database(found, provided, "dbcompat_t0k3n_main", 10, 70)
    assert (database["ENGINE"], database["NAME"], database["TEST"]) == (
        engine,
        "dbcompat_t0k3n_main",
        {"NAME": "dbcompat_t0k3n_main"},
    )
    for key, value in expected.items():
        if key == "OPTIONS":
            assert {k: database["OPTIONS"].get(k) for k in value} == value, database["OPTIONS"]
        else:
            assert database[key] == value, key
    assert str(database.get("PASSWORD", "")) == plan.password


@pytest.mark.parametrize("server", ["cockroach241", "tidb85", "sqlserver2022"])
def test_without_a_docker_engine_their_cells_are_server_unavailable(
    user_matrix: Matrix, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Point the Docker client at a socket nobody listens on: the start stops at the engine.
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    with pytest.raises(ServerUnavailable, match=r"^no Docker engine at .*; or set DBCOMPAT_URL_"):
        ServerPool({}).provide(user_matrix.server(server))


def test_each_vendor_reads_its_own_release_from_what_the_server_reports() -> None:
    reported = "8.0.11-TiDB-v8.5.1"
    assert backend_for("tidb").server_version(reported) == Version("8.5.1")
    # A MySQL URL that reaches TiDB says so (the server is not the vendor the matrix names).
    assert backend_for("mysql").reported_vendor(reported) == "tidb"
    assert backend_for("mysql").reported_vendor("8.4.2") == "mysql"
    cockroach = (
        "CockroachDB CCL v24.1.1 (x86_64-pc-linux-gnu, built 2024/06/10 19:41:29, go1.22.4 X:nocoverageredesign)"
    )
    assert backend_for("cockroachdb").server_version(cockroach) == Version("24.1.1")
    mssql = "Microsoft SQL Server 2022 (RTM-CU16) (KB5048033) - 16.0.4165.4 (X64)"
    assert backend_for("sqlserver").server_version(mssql) == Version("2022")
    assert backend_for("cockroachdb").drop_database_sql("dbcompat_a_main", force=True) == [
        'DROP DATABASE IF EXISTS "dbcompat_a_main" CASCADE'
    ]
    assert backend_for("sqlserver").drop_database_sql("dbcompat_a_main", force=True)[-1] == (
        "DROP DATABASE IF EXISTS [dbcompat_a_main]"
    )


def test_what_a_backend_wraps_is_read_from_its_classes() -> None:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

    class Instrumented(SQLiteWrapper):  # type: ignore[misc]
        pass

    class Instrumented2(Instrumented):
        pass

    class OwnBackend(BaseDatabaseWrapper):  # type: ignore[misc]
        pass

    assert wrapped_backend(Instrumented2) == "django.db.backends.sqlite3"
    assert wrapped_backend(SQLiteWrapper) == "django.db.backends.sqlite3"
    assert wrapped_backend(OwnBackend) is None
    assert is_djangos_own("django.db.backends.postgresql") and is_djangos_own("django.contrib.gis.db.backends.postgis")
    assert not is_djangos_own("django_prometheus.db.backends.postgresql")
    assert not is_djangos_own("mysql.connector.django")


# -- the shipped backends, for real -----------------------------------------------------------------------

WRAPPERS = {
    "sqlite-prometheus-sqlite3": ("sqlite-sqlite3", "django-prometheus"),
    "postgres15-prometheus-psycopg": ("postgres15-psycopg", "django-prometheus"),
    "postgres15-dbpool-psycopg": ("postgres15-psycopg", "django-db-connection-pool"),
    "postgres15-zdm-psycopg": ("postgres15-psycopg", "django-pg-zero-downtime-migrations"),
    "mariadb1011-prometheus-mysqlclient": ("mariadb1011-mysqlclient", "django-prometheus"),
    "mariadb1011-dbpool-mysqlclient": ("mariadb1011-mysqlclient", "django-db-connection-pool"),
}


@pytest.fixture(scope="module")
def environ() -> dict[str, str]:
    return {
        **os.environ,
        "DBCOMPAT_URL_POSTGRES15": live_url("DBCOMPAT_URL_POSTGRES15"),
        "DBCOMPAT_URL_MARIADB1011": live_url("DBCOMPAT_URL_MARIADB1011"),
    }


@pytest.fixture(scope="module")
def tmp_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("third-party")


@pytest.fixture(scope="module")
def ran(tmp_root: Path, environ: dict[str, str]) -> dict[str, CellResult]:
    return results(ROOT_MATRIX, tmp_root, environ)


@pytest.mark.live
@pytest.mark.parametrize("pair", WRAPPERS)
def test_every_check_of_a_third_party_backend_runs_as_the_plain_drivers_do(
    ran: dict[str, CellResult], pair: str
) -> None:
    cell, base = ran[cell_id(pair)], ran[cell_id(WRAPPERS[pair][0])]
    assert (cell.status, base.status) == (CellStatus.RAN, CellStatus.RAN), (cell.reason, base.reason)
    assert [c.id for c in cell.checks] == [c.id for c in base.checks]
    assert len(cell.checks) > 100
    errors = [(c.id, c.error) for c in cell.checks if c.outcome is Outcome.HARNESS_ERROR]
    assert errors == []


@pytest.mark.live
@pytest.mark.parametrize("pair", WRAPPERS)
def test_a_result_says_what_the_backend_is_and_wraps(ran: dict[str, CellResult], pair: str) -> None:
    cell, base = ran[cell_id(pair)], ran[cell_id(WRAPPERS[pair][0])]
    driver = ROOT_MATRIX.cell(cell_id(pair)).driver
    assert cell.driver.engine == driver.engine
    assert cell.driver.backend is not None and base.driver.backend is None
    assert cell.driver.backend.distribution == WRAPPERS[pair][1]
    assert cell.driver.backend.version is not None and Version(cell.driver.backend.version)
    # The Django backend it builds on is the plain driver's: the cells to set it beside.
    assert cell.driver.backend.wraps == base.driver.engine
    assert cell.driver.variant_of == base.driver.id
    assert (cell.driver.module, cell.driver.version) == (base.driver.module, base.driver.version)


@pytest.mark.live
def test_django_db_connection_pool_serves_requests_from_its_pool(tmp_root: Path, environ: dict[str, str]) -> None:
    # django-db-connection-pool's README: a QueuePool per alias, of POOL_SIZE connections (2 here) kept between
    # requests; without it each request's connection is a new server session.
    ran_plain = probe(ROOT_MATRIX, "postgres15-psycopg", ["backend_pids"], tmp_root, environ)
    pooled = probe(ROOT_MATRIX, "postgres15-dbpool-psycopg", ["backend_pids"], tmp_root, environ)
    assert ran_plain["backend_pids"] == 8
    assert 1 <= pooled["backend_pids"] <= 2


@pytest.mark.live
def test_the_report_contrasts_each_wrapper_with_the_driver_it_wraps(ran: dict[str, CellResult]) -> None:
    """The report's contrast of each third-party backend with its plain driver (same server, same Django) lists
    exactly the checks whose observation differs between the two cells' results, each with both observations."""
    from harness.report.build import build_report

    report = build_report(list(ran.values()))
    contrasts = {contrast.driver: contrast for contrast in report.contrasts if contrast.kind == "wraps"}
    for pair, (base_pair, distribution) in WRAPPERS.items():
        cell, base = ran[cell_id(pair)], ran[cell_id(base_pair)]
        contrast = contrasts[cell.driver.id]
        assert (contrast.base, contrast.pairs) == (base.driver.id, 1)
        assert distribution in contrast.label and f"wraps {base.driver.engine}" in contrast.label
        before = {c.id: c for c in base.checks}
        differ = {c.id for c in cell.checks if c.observed != before[c.id].observed}
        differ |= {c.id for c in cell.checks if c.observed is None and c.outcome is not before[c.id].outcome}
        assert {row.check for row in contrast.rows} == differ, pair
        for row in contrast.rows:
            assert row.cells == (cell.cell,)
