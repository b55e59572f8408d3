"""The matrix file: the shipped matrix.yaml, the cell logic, and how malformed files are reported."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from packaging.version import Version

from harness import cli
from harness.errors import EXIT_BAD_INPUT, MatrixError, UsageError
from harness.matrix import DEFAULT_MATRIX, Cell, Matrix, Pooler, Server, load_matrix

# -- the shipped matrix.yaml -----------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Matrix:
    return load_matrix()


SHIPPED_SERVERS = {
    "sqlite": ("sqlite", None),
    "mysql57": ("mysql", "5.7"),
    "mysql80": ("mysql", "8.0"),
    "mysql84": ("mysql", "8.4"),
    "mysql97": ("mysql", "9.7"),
    "mariadb106": ("mariadb", "10.6"),
    "mariadb1011": ("mariadb", "10.11"),
    "mariadb114": ("mariadb", "11.4"),
    "mariadb118": ("mariadb", "11.8"),
    "postgres14": ("postgresql", "14"),
    "postgres15": ("postgresql", "15"),
    "postgres16": ("postgresql", "16"),
    "postgres17": ("postgresql", "17"),
    "postgres18": ("postgresql", "18"),
    "postgres15-pgbouncer-tx": ("postgresql", "15"),
    "postgres15-pgbouncer-session": ("postgresql", "15"),
    "oracle23": ("oracle", "23"),
}


def test_shipped_matrix_is_the_default(shipped: Matrix) -> None:
    assert DEFAULT_MATRIX.name == "matrix.yaml"
    assert shipped.path == DEFAULT_MATRIX
    assert load_matrix(DEFAULT_MATRIX) == shipped


def test_shipped_django_versions(shipped: Matrix) -> None:
    assert [(d.id, str(d.version)) for d in shipped.django] == [
        ("django42", "4.2"),
        ("django52", "5.2"),
        ("django60", "6.0"),
        ("django61", "6.1"),
    ]
    for django in shipped.django:
        assert django.requirement == f"Django~={django.version}.0"
        assert django.source.startswith(f"Django {django.version} docs")
        assert django.supports


def test_shipped_drivers(shipped: Matrix) -> None:
    assert {d.id: d.vendors for d in shipped.drivers} == {
        "mysqlclient": ("mysql", "mariadb"),
        "connector": ("mysql", "mariadb"),
        "psycopg": ("postgresql",),
        "psycopg2": ("postgresql",),
        "oracledb": ("oracle",),
        "sqlite3": ("sqlite",),
        "pysqlite3": ("sqlite",),
        # Configurations: variants of a driver, with OPTIONS.
        "psycopg-pool": ("postgresql",),
        "psycopg-ssb": ("postgresql",),
        "mysqlclient-serializable": ("mysql", "mariadb"),
        "mysqlclient-initcmd": ("mysql", "mariadb"),
        "sqlite3-immediate": ("sqlite",),
        "sqlite3-pragmas": ("sqlite",),
        # Third-party backends.
        "prometheus-psycopg": ("postgresql",),
        "prometheus-mysqlclient": ("mysql", "mariadb"),
        "prometheus-sqlite3": ("sqlite",),
        "dbpool-psycopg": ("postgresql",),
        "dbpool-mysqlclient": ("mysql", "mariadb"),
        "zdm-psycopg": ("postgresql",),
    }
    assert shipped.driver("sqlite3").distribution is None
    assert shipped.driver("psycopg").engine == "django.db.backends.postgresql"


def test_shipped_variants_take_their_base_and_add_options(shipped: Matrix) -> None:
    pool, base = shipped.driver("psycopg-pool"), shipped.driver("psycopg")
    assert pool.variant_of == "psycopg"
    assert (pool.engine, pool.module, pool.distribution) == (base.engine, base.module, base.distribution)
    assert pool.options == {"pool": True}
    # The pool needs psycopg's pool extra, in an environment of its own.
    assert pool.requirement == "psycopg[binary,pool]>=3.1.12"
    assert shipped.driver("psycopg-ssb").requirement == base.requirement
    assert shipped.driver("sqlite3-immediate").options == {"transaction_mode": "IMMEDIATE"}
    assert shipped.driver("mysqlclient-serializable").options == {"isolation_level": "serializable"}
    assert shipped.driver("mysqlclient-initcmd").options == {"init_command": "SET sql_mode='STRICT_TRANS_TABLES'"}
    assert base.options == {} and base.variant_of is None


def test_shipped_third_party_backends(shipped: Matrix) -> None:
    engines = {d.id: (d.engine, d.module, d.backend.distribution if d.backend else None) for d in shipped.drivers}
    assert engines["prometheus-psycopg"] == ("django_prometheus.db.backends.postgresql", "psycopg", "django-prometheus")
    assert engines["prometheus-mysqlclient"] == ("django_prometheus.db.backends.mysql", "MySQLdb", "django-prometheus")
    assert engines["prometheus-sqlite3"] == ("django_prometheus.db.backends.sqlite3", "sqlite3", "django-prometheus")
    assert engines["dbpool-psycopg"] == ("dj_db_conn_pool.backends.postgresql", "psycopg", "django-db-connection-pool")
    assert engines["dbpool-mysqlclient"] == ("dj_db_conn_pool.backends.mysql", "MySQLdb", "django-db-connection-pool")
    assert engines["zdm-psycopg"] == (
        "django_zero_downtime_migrations.backends.postgres",
        "psycopg",
        "django-pg-zero-downtime-migrations",
    )
    # django-db-connection-pool reads its pool's size from the DATABASES entry itself.
    assert shipped.driver("dbpool-psycopg").settings == {"POOL_OPTIONS": {"POOL_SIZE": 2, "MAX_OVERFLOW": 4}}
    django52 = shipped.django_release("django52")
    assert shipped.driver("prometheus-psycopg").requirements(django52) == (
        "psycopg[binary]>=3.1.12",
        "django-prometheus>=2.3",
    )


def test_a_variant_of_an_option_its_django_lacks_is_not_applicable(shipped: Matrix) -> None:
    # Django 5.1's docs add "pool" (PostgreSQL notes > Connection pool): a Django 4.2 cell would run without one.
    reason = shipped.cell("postgres15-psycopg-pool-django42").not_applicable
    assert reason is not None
    assert reason.startswith("Django 4.2 has no 'pool' option for PostgreSQL: the docs add it in Django 5.1")
    assert "PostgreSQL notes > Connection pool" in reason
    assert shipped.cell("postgres15-psycopg-pool-django52").not_applicable is None
    for option in ("sqlite3-immediate", "sqlite3-pragmas"):
        assert "added" not in (shipped.cell(f"sqlite-{option}-django42").not_applicable or "added")
        assert shipped.cell(f"sqlite-{option}-django52").not_applicable is None
    # server_side_binding is in every Django the matrix lists (4.2 added it).
    assert all(c.not_applicable is None for c in shipped.cells if c.driver.id == "psycopg-ssb")
    # The plain drivers are never refused so.
    assert all(c.not_applicable is None for c in shipped.cells if c.driver.variant_of is None)


def test_a_third_party_backend_outside_the_djangos_it_supports_is_not_applicable(shipped: Matrix) -> None:
    reason = shipped.cell("postgres15-prometheus-psycopg-django61").not_applicable
    assert reason == (
        "django-prometheus supports Django >=4.2,!=5.0.*,<6.1 (its package metadata, as the matrix's driver "
        "prometheus-psycopg says), not Django 6.1."
    )
    assert shipped.cell("postgres15-prometheus-psycopg-django60").not_applicable is None


def test_variants_and_third_party_backends_run_against_their_servers_only(shipped: Matrix) -> None:
    servers = {c.server.id for c in shipped.cells if c.driver.id == "psycopg-pool"}
    assert servers == {"postgres15", "postgres18", "postgres15-pgbouncer-tx"}
    with pytest.raises(UsageError, match=r"driver 'psycopg-pool' is run against .* only, not 'postgres16'"):
        shipped.cell("postgres16-psycopg-pool-django52")


@pytest.mark.parametrize(
    "name",
    [
        "postgres15-psycopg-pool-django52",
        "django52-postgres15-psycopg-pool",
        "pool-postgres15-psycopg-django52",
        "postgres15-pgbouncer-tx-psycopg-pool-django52",
    ],
)
def test_a_cell_of_a_driver_whose_id_has_parts(shipped: Matrix, name: str) -> None:
    cell = shipped.cell(name)
    assert cell.driver.id == "psycopg-pool"
    assert cell.server.id == ("postgres15-pgbouncer-tx" if "pgbouncer" in name else "postgres15")
    # The base driver's cell is still found by its own name.
    assert shipped.cell(name.replace("-pool", "").replace("pool-", "")).driver.id == "psycopg"


def test_a_cell_with_options_survives_its_json(shipped: Matrix) -> None:
    for name in ("postgres15-psycopg-pool-django52", "postgres15-dbpool-psycopg-django52"):
        cell = shipped.cell(name)
        assert Cell.from_json(cell.to_json()) == cell


def test_shipped_servers(shipped: Matrix) -> None:
    found = {s.id: (s.vendor, str(s.version) if s.version else None) for s in shipped.servers}
    assert found == SHIPPED_SERVERS
    sqlite = shipped.server("sqlite")
    assert sqlite.in_process is True
    assert sqlite.image is None
    assert shipped.server("mysql80").image == "mysql:8.0"
    assert shipped.server("mysql80").in_process is False
    assert shipped.server("mysql80").start_timeout == 180
    assert shipped.server("oracle23").start_timeout == 600
    assert shipped.server("mariadb1011").url_variable == "DBCOMPAT_URL_MARIADB1011"
    assert shipped.server("postgres15").pooler is None


def test_shipped_pooler_servers(shipped: Matrix) -> None:
    for server_id, mode, variable in (
        ("postgres15-pgbouncer-tx", "transaction", "DBCOMPAT_URL_POSTGRES15_PGBOUNCER_TX"),
        ("postgres15-pgbouncer-session", "session", "DBCOMPAT_URL_POSTGRES15_PGBOUNCER_SESSION"),
    ):
        server = shipped.server(server_id)
        # Without a URL, a PgBouncer container from the image `dbcompat images build pgbouncer` makes, in front of
        # the container of postgres15.
        assert server.pooler == Pooler("pgbouncer", mode, "dbcompat/pgbouncer:1.24", shipped.server("postgres15"))
        assert server.pooler.display_name == "PgBouncer"
        assert server.image is None and server.version == shipped.server("postgres15").version
        # A variable name a shell can export: '-' becomes '_'.
        assert server.url_variable == variable
        assert re.fullmatch(r"[A-Z_][A-Z0-9_]*", server.url_variable)
    # Every server's variable is its own.
    variables = [s.url_variable for s in shipped.servers]
    assert len(set(variables)) == len(variables)


@pytest.mark.parametrize(
    "name",
    [
        "postgres15-pgbouncer-tx-psycopg-django52",
        "django52-postgres15-pgbouncer-tx-psycopg",
        "psycopg-postgres15-pgbouncer-tx-django52",
    ],
)
def test_a_cell_of_a_server_whose_id_has_parts(shipped: Matrix, name: str) -> None:
    cell = shipped.cell(name)
    assert (cell.server.id, cell.driver.id, cell.django.id) == ("postgres15-pgbouncer-tx", "psycopg", "django52")
    assert cell.id == "postgres15-pgbouncer-tx-psycopg-django52"
    assert cell.env_name == "django52-postgres15-pgbouncer-tx-psycopg"
    # The plain server next to it is still found by its own name.
    assert shipped.cell("postgres15-psycopg-django52").server.id == "postgres15"
    assert shipped.cell("postgres15-pgbouncer-session-psycopg2", Version("5.2.19")).server.id == (
        "postgres15-pgbouncer-session"
    )


@pytest.mark.parametrize("name", ["postgres15-pgbouncer-psycopg-django52", "postgres15-tx-psycopg-django52"])
def test_a_cell_name_with_part_of_a_server_id_is_refused(shipped: Matrix, name: str) -> None:
    with pytest.raises(UsageError, match=r"is not a cell of matrix\.yaml"):
        shipped.cell(name)


def test_a_pooler_server_without_url_or_engine_is_unavailable_saying_how_to_give_it(
    shipped: Matrix, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harness.errors import ServerUnavailable
    from harness.servers import ServerPool

    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")

    server = shipped.server("postgres15-pgbouncer-tx")
    # Its PgBouncer container needs the container of postgres15, which needs an engine: the reason says so, and
    # how to give the pooler by URL instead (a URL for postgres15 would not do, so it is not offered).
    with pytest.raises(ServerUnavailable) as raised:
        ServerPool({}).provide(server)
    reason = str(raised.value)
    assert reason.startswith(
        "postgres15-pgbouncer-tx: a PgBouncer container starts in front of the container of postgres15 only, "
        "and postgres15 has none: no Docker engine at unix:///nonexistent/docker.sock"
    ), reason
    assert reason.endswith(
        "; or set DBCOMPAT_URL_POSTGRES15_PGBOUNCER_TX to a PgBouncer in transaction mode in front of a PostgreSQL 15"
    ), reason
    assert "DBCOMPAT_URL_POSTGRES15 " not in reason and "\n" not in reason, reason


def test_a_pooler_in_front_of_a_server_given_by_url_says_it_needs_its_container(shipped: Matrix) -> None:
    from harness.errors import ServerUnavailable
    from harness.servers import ServerPool

    environ = {"DBCOMPAT_URL_POSTGRES15": "postgres://postgres:Sekr1t-zq@127.0.0.1:1/postgres"}
    with pytest.raises(ServerUnavailable) as raised:
        ServerPool(environ).provide(shipped.server("postgres15-pgbouncer-session"))
    reason = str(raised.value)
    assert "postgres15 has none: it is given by URL (DBCOMPAT_URL_POSTGRES15=postgres://postgres:***@" in reason, reason
    assert "Sekr1t" not in reason and "set DBCOMPAT_URL_POSTGRES15_PGBOUNCER_SESSION to a PgBouncer" in reason


def test_a_pooler_naming_no_server_is_reached_by_url_only() -> None:
    from harness.errors import ServerUnavailable
    from harness.matrix import Pooler, Server
    from harness.servers import ServerPool

    server = Server("pg-pooled", "postgresql", Version("16"), None, 60, Pooler("pgbouncer", "session"))
    with pytest.raises(ServerUnavailable) as raised:
        ServerPool({}).provide(server)
    reason = str(raised.value)
    assert "names no server for a PgBouncer container to stand in front of ('pooler.in_front_of')" in reason, reason
    assert "set DBCOMPAT_URL_PG_POOLED to a PgBouncer in session mode in front of a PostgreSQL 16" in reason, reason


def test_the_pooler_plan_passes_the_server_behind_to_its_entrypoint(shipped: Matrix) -> None:
    from harness.servers import ProvidedServer
    from harness.servers.containers import PoolerPlan, pooler_image_of

    server = shipped.server("postgres15-pgbouncer-tx")
    assert pooler_image_of(server, {}) == "dbcompat/pgbouncer:1.24"
    assert pooler_image_of(server, {"DBCOMPAT_IMAGE_PGBOUNCER": "mirror/pgbouncer:9"}) == "mirror/pgbouncer:9"
    behind = ProvidedServer(shipped.server("postgres15"), "container", "container x", {"USER": "postgres"})
    assert behind.container_id is None  # the pool sets it; a plan is only made for a server in a container
    plan = PoolerPlan(
        server.id, "postgresql", "pgbouncer", "transaction", "img", "172.17.0.2", 5432, "postgres", "pw", "postgres",
        60, behind="abc",
    )  # fmt: skip
    assert plan.environment() == {
        "PGBOUNCER_SERVER_HOST": "172.17.0.2",
        "PGBOUNCER_SERVER_PORT": "5432",
        "PGBOUNCER_POOL_MODE": "transaction",
        "PGBOUNCER_USER": "postgres",
        "PGBOUNCER_PASSWORD": "pw",
    }
    assert plan.url("127.0.0.1", 32768) == "postgres://postgres:pw@127.0.0.1:32768/postgres"


def test_a_pooler_cell_survives_its_json(shipped: Matrix) -> None:
    cell = shipped.cell("postgres15-pgbouncer-session-psycopg2-django42")
    assert Cell.from_json(cell.to_json()) == cell
    plain = shipped.cell("postgres15-psycopg2-django42")
    assert Cell.from_json(plain.to_json()) == plain


def test_shipped_cells(shipped: Matrix) -> None:
    ids = {cell.id for cell in shipped.cells}
    assert "mysql80-connector-django52" in ids
    assert "sqlite-sqlite3-django61" in ids
    assert "oracle23-oracledb-django42" in ids
    assert "postgres15-mysqlclient-django52" not in ids
    assert "mysql80-psycopg-django52" not in ids
    # sqlite 2 + mysql 4x2 + mariadb 4x2 + postgres (5 + 2 through PgBouncer)x2 + oracle 1 = 33 server/driver pairs,
    # and the configurations and third-party backends on their few servers each: sqlite 3, PostgreSQL 2 x 2
    # variants + 1 through PgBouncer x 2, + 2 x 3 backends, MySQL and MariaDB 2 x 2 variants + 2 x 2 backends.
    assert len(ids) == len(shipped.cells) == (33 + 3 + 6 + 6 + 4 + 4) * 4
    for cell in shipped.cells:
        assert cell.server.vendor in cell.driver.vendors, cell.id


def test_cells_only_pair_drivers_with_their_vendors(shipped: Matrix) -> None:
    pairs = {(c.server.id, c.driver.id) for c in shipped.cells}
    expected = {
        (server.id, driver.id)
        for server in shipped.servers
        for driver in shipped.drivers
        if server.vendor in driver.vendors and (not driver.servers or server.id in driver.servers)
    }
    assert pairs == expected
    assert {d for s, d in pairs if s == "postgres16"} == {"psycopg", "psycopg2"}
    assert {d for s, d in pairs if s == "mariadb106"} == {"mysqlclient", "connector"}
    assert {d for s, d in pairs if s == "postgres15"} == {
        "psycopg",
        "psycopg2",
        "psycopg-pool",
        "psycopg-ssb",
        "prometheus-psycopg",
        "dbpool-psycopg",
        "zdm-psycopg",
    }


def test_cell_env_name(shipped: Matrix) -> None:
    cell = shipped.cell("mysql80-connector-django52")
    assert cell.id == "mysql80-connector-django52"
    assert cell.env_name == "django52-mysql80-connector"


@pytest.mark.parametrize(
    ("server", "django"),
    [
        ("mysql80", "django60"),
        ("mysql84", "django61"),
        ("mysql57", "django61"),  # no Django supports it: the newest overall
        ("mariadb106", "django60"),
        ("mariadb1011", "django61"),
        ("postgres14", "django60"),
        ("postgres15", "django61"),
        ("sqlite", "django61"),  # no version in the matrix: unknown, so the newest
        ("oracle23", "django61"),
    ],
)
def test_shipped_newest_django_for(shipped: Matrix, server: str, django: str) -> None:
    assert shipped.newest_django_for(shipped.server(server)).id == django


@pytest.mark.parametrize(
    ("django", "server", "expected"),
    [
        ("django42", "mysql57", False),
        ("django42", "mysql80", True),
        ("django52", "mysql80", True),  # docs say 8.0.11; the 8.0 series counts
        ("django61", "mysql80", False),
        ("django61", "mysql84", True),
        ("django52", "mariadb106", True),
        ("django61", "mariadb106", False),
        ("django52", "postgres14", True),
        ("django61", "postgres14", False),
        ("django61", "postgres15", True),
        ("django42", "oracle23", True),
        ("django52", "sqlite", None),
    ],
)
def test_shipped_supports_server(shipped: Matrix, django: str, server: str, expected: bool | None) -> None:
    assert shipped.django_release(django).supports_server(shipped.server(server)) is expected


def test_shipped_cli_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["list", "--server", "mysql80", "--driver", "connector", "--django", "5.2"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines()[0].startswith("mysql80-connector-django52  python3.11  ")
    assert out.splitlines()[-1] == f"1 cells from {DEFAULT_MATRIX}"


# -- the logic, on small matrices ------------------------------------------------------

SMALL = """\
django:
  - id: django42
    version: "4.2"
    python: "3.11"
    supports: ["postgresql>=12", "mysql>=8", "sqlite>=3.21"]
    source: "Django 4.2 docs, ref/databases"
  - id: django52
    version: "5.2"
    python: "3.12"
    requirement: "Django>=5.2,<5.3"
    supports: ["postgresql>=14", "mysql>=8.0.11"]
    source: "Django 5.2 docs, ref/databases"
drivers:
  - id: psycopg
    name: psycopg 3
    engine: django.db.backends.postgresql
    module: psycopg
    vendors: [postgresql]
  - id: connector
    name: MySQL Connector/Python
    engine: mysql.connector.django
    module: mysql.connector
    vendors: [mysql, mariadb]
  - id: sqlite3
    name: sqlite3
    engine: django.db.backends.sqlite3
    module: sqlite3
    vendors: [sqlite]
servers:
  - {id: sqlite, vendor: sqlite}
  - {id: postgres13, vendor: postgresql, version: "13", image: "postgres:13"}
  - {id: postgres15, vendor: postgresql, version: "15", image: "postgres:15"}
  - {id: mysql80, vendor: mysql, version: "8.0", image: "mysql:8.0", start_timeout: 30}
  - {id: mariadb1011, vendor: mariadb, version: "10.11", image: "mariadb:10.11"}
"""


@pytest.fixture
def small(tmp_path: Path) -> Matrix:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return load_matrix(path)


def test_small_matrix_values(small: Matrix, tmp_path: Path) -> None:
    assert small.path == tmp_path / "small.yaml"
    assert [d.requirement for d in small.django] == ["Django~=4.2.0", "Django>=5.2,<5.3"]
    assert small.django_release("django52").python == "3.12"
    assert small.django_release("django52").supports == ("postgresql>=14", "mysql>=8.0.11")
    assert small.server("mysql80").start_timeout == 30
    assert small.server("mysql80").version == Version("8.0")
    assert small.server("sqlite").version is None
    assert small.driver("connector").vendors == ("mysql", "mariadb")
    assert dataclasses.is_dataclass(small) and small.server("sqlite").in_process


def test_load_matrix_accepts_a_string_path(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    assert load_matrix(str(path)).path == path


def test_small_cells(small: Matrix) -> None:
    assert [c.id for c in small.cells] == [
        "sqlite-sqlite3-django42",
        "sqlite-sqlite3-django52",
        "postgres13-psycopg-django42",
        "postgres13-psycopg-django52",
        "postgres15-psycopg-django42",
        "postgres15-psycopg-django52",
        "mysql80-connector-django42",
        "mysql80-connector-django52",
        "mariadb1011-connector-django42",
        "mariadb1011-connector-django52",
    ]


@pytest.mark.parametrize(
    ("name", "installed"),
    [
        ("postgres15-psycopg-django52", None),
        ("django52-postgres15-psycopg", None),
        ("psycopg-django52-postgres15", None),
        ("postgres15-psycopg", Version("5.2.19")),
        ("postgres15-psycopg", Version("5.2")),
        ("postgres15-psycopg-django52", Version("4.2.16")),  # an explicit Django wins
    ],
)
def test_cell_by_name(small: Matrix, name: str, installed: Version | None) -> None:
    cell = small.cell(name, installed_django=installed)
    assert cell.id == "postgres15-psycopg-django52"
    assert cell.server is small.server("postgres15")
    assert cell.driver is small.driver("psycopg")
    assert cell.django is small.django_release("django52")


def test_cell_uses_installed_django_series(small: Matrix) -> None:
    assert small.cell("mysql80-connector", installed_django=Version("4.2.16")).django.id == "django42"


@pytest.mark.parametrize(
    "name",
    [
        "postgres16-psycopg-django52",  # unknown server
        "postgres15-psycopg3-django52",  # unknown driver
        "postgres15-psycopg-django99",  # unknown Django
        "postgres15-psycopg-django52-extra",
        "postgres15-django52",  # no driver
        "psycopg-django52",  # no server
        "postgres15-postgres13-psycopg-django52",  # two servers
        "postgres15-psycopg-django42-django52",  # two Django versions
        "",
    ],
)
def test_cell_rejects_unknown_or_incomplete_names(small: Matrix, name: str) -> None:
    with pytest.raises(UsageError, match=r"is not a cell of small\.yaml"):
        small.cell(name, installed_django=Version("5.2.19"))


def test_cell_rejects_a_driver_that_does_not_talk_to_the_server(small: Matrix) -> None:
    with pytest.raises(UsageError, match="driver 'psycopg' does not talk to mysql") as raised:
        small.cell("mysql80-psycopg-django52")
    assert "mysql80" in str(raised.value)


def test_cell_without_django_needs_the_installed_version(small: Matrix) -> None:
    with pytest.raises(UsageError, match="names no Django version") as raised:
        small.cell("postgres15-psycopg")
    assert "postgres15-psycopg-django52" in str(raised.value)


def test_cell_with_an_installed_django_not_in_the_matrix(small: Matrix) -> None:
    with pytest.raises(UsageError, match=r"installed Django 6\.0\.1 is not in small\.yaml") as raised:
        small.cell("postgres15-psycopg", installed_django=Version("6.0.1"))
    assert "4.2, 5.2" in str(raised.value)


def test_lookup_by_unknown_id(small: Matrix) -> None:
    with pytest.raises(UsageError, match=r"no server 'oracle23' in small\.yaml"):
        small.server("oracle23")
    with pytest.raises(UsageError, match="no driver 'psycopg2'"):
        small.driver("psycopg2")
    with pytest.raises(UsageError, match="no Django version 'django60'"):
        small.django_release("django60")


def _ids(cells: tuple) -> list[str]:
    return [c.id for c in cells]


def test_select_everything_without_filters(small: Matrix) -> None:
    assert small.select() == small.cells


def test_select_by_pattern(small: Matrix) -> None:
    assert _ids(small.select(["postgres1*-psycopg-django52"])) == [
        "postgres13-psycopg-django52",
        "postgres15-psycopg-django52",
    ]
    assert _ids(small.select(["sqlite-*", "*-connector-django42"])) == [
        "sqlite-sqlite3-django42",
        "sqlite-sqlite3-django52",
        "mysql80-connector-django42",
        "mariadb1011-connector-django42",
    ]
    assert small.select(["nothing-*"]) == ()


def test_select_by_filters(small: Matrix) -> None:
    assert _ids(small.select(servers=["m*"], django=["django52"])) == [
        "mysql80-connector-django52",
        "mariadb1011-connector-django52",
    ]
    assert _ids(small.select(servers=["postgres15", "sqlite"], drivers=["*"], django=["*42"])) == [
        "sqlite-sqlite3-django42",
        "postgres15-psycopg-django42",
    ]
    # Every filter must hold: no psycopg cell on a MySQL server.
    assert small.select(servers=["mysql80"], drivers=["psycopg"]) == ()


def test_select_patterns_and_filters_combine(small: Matrix) -> None:
    assert _ids(small.select(["*-django52"], servers=["postgres*"])) == [
        "postgres13-psycopg-django52",
        "postgres15-psycopg-django52",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"servers": ["oracle*"]}, "no server matches 'oracle*' in small.yaml"),
        ({"servers": ["sqlite", "cockroach"]}, "no server matches 'cockroach'"),
        ({"drivers": ["psycopg2"]}, "no driver matches 'psycopg2'"),
        ({"django": ["django6*"]}, "no Django version matches 'django6*'"),
    ],
)
def test_select_rejects_filters_that_match_nothing(small: Matrix, kwargs: dict, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        small.select(**kwargs)
    assert message in str(raised.value)
    assert "; known: " in str(raised.value)


@pytest.mark.parametrize(
    ("server", "expected"),
    [
        ("postgres15", "django52"),
        ("postgres13", "django42"),  # 5.2 wants PostgreSQL 14
        ("mysql80", "django52"),
        ("mariadb1011", "django52"),  # no Django names MariaDB: unknown, so the newest
        ("sqlite", "django52"),
    ],
)
def test_newest_django_for(small: Matrix, server: str, expected: str) -> None:
    assert small.newest_django_for(small.server(server)).id == expected


def test_newest_django_for_a_server_no_django_supports(small: Matrix) -> None:
    old = Server("mysql57", "mysql", Version("5.7"), "mysql:5.7", 180)
    assert small.newest_django_for(old).id == "django52"


def test_supports_server(small: Matrix) -> None:
    django42, django52 = small.django
    postgres13 = small.server("postgres13")
    assert django42.supports_server(postgres13) is True
    assert django52.supports_server(postgres13) is False
    # The matrix names the 8.0 series; the docs name 8.0.11: the series counts as supported.
    assert django52.supports_server(small.server("mysql80")) is True
    # No spec for MariaDB in either entry, and no version for SQLite: unknown.
    assert django52.supports_server(small.server("mariadb1011")) is None
    assert django42.supports_server(small.server("sqlite")) is None
    # A patch release below the documented minimum is not supported.
    assert django52.supports_server(Server("m", "mysql", Version("8.0.10"), "i", 1)) is False


# -- malformed matrix files ------------------------------------------------------------

# Line numbers below are those of VALID; each case changes it in one place.
VALID = """\
django:
  - id: django42
    version: "4.2"
    python: "3.11"
    supports: ["mysql>=8", "mariadb>=10.4", "sqlite>=3.21"]
    source: "Django 4.2 docs"
drivers:
  - id: mysqlclient
    name: mysqlclient
    engine: django.db.backends.mysql
    module: MySQLdb
    vendors: [mysql, mariadb]
  - id: sqlite3
    name: sqlite3
    engine: django.db.backends.sqlite3
    module: sqlite3
    vendors: [sqlite]
servers:
  - id: sqlite
    vendor: sqlite
  - id: mysql80
    vendor: mysql
    version: "8.0"
    image: "mysql:8.0"
"""


def changed(old: str, new: str) -> str:
    assert VALID.count(old) == 1, old
    return VALID.replace(old, new)


def test_the_valid_base_loads(tmp_path: Path) -> None:
    path = tmp_path / "valid.yaml"
    path.write_text(VALID, encoding="utf-8")
    assert [c.id for c in load_matrix(path).cells] == [
        "sqlite-sqlite3-django42",
        "mysql80-mysqlclient-django42",
    ]


@dataclasses.dataclass(frozen=True)
class Bad:
    content: str | bytes | None  # None: the path is a directory; "missing": no file at all
    line: int | None
    keywords: tuple[str, ...]


MISSING = "<missing>"

PG_DRIVER = "  - id: psycopg\n    name: psycopg\n    engine: django.db.backends.postgresql\n    module: psycopg\n"
PG_SERVER = '  - id: postgres15\n    vendor: postgresql\n    version: "15"\n    image: "postgres:15"\n'


def pooled(version: str = "15", in_front_of: str = "postgres15", extra: str = "") -> str:
    """VALID with a PostgreSQL 15 and, from line 34, a server reached through PgBouncer in front of it."""
    text = changed("servers:\n", PG_DRIVER + "    vendors: [postgresql]\nservers:\n") + PG_SERVER
    return text + (
        f'  - id: pg-tx\n    vendor: postgresql\n    version: "{version}"\n{extra}'
        f"    pooler: {{name: pgbouncer, mode: transaction, in_front_of: {in_front_of}}}\n"
    )


def variant(extra: str, base: str = "mysqlclient") -> str:
    """VALID with, from line 18, a driver entry that is a variant of ``base``, ``extra`` from line 21."""
    entry = f"  - id: mysqlclient-fast\n    name: mysqlclient, fast\n    variant_of: {base}\n{extra}"
    return changed("servers:\n", entry + "servers:\n")


def test_a_variant_takes_what_it_leaves_out_from_its_base(tmp_path: Path) -> None:
    path = tmp_path / "variant.yaml"
    extra = (
        "    options: {isolation_level: serializable}\n"
        "    settings: {CONN_MAX_AGE: 0}\n"
        "    servers: ['mysql*']\n"
        "    backend: {distribution: b, requirement: 'b~={django}.0', django: '>=5.0'}\n"
    )
    path.write_text(variant(extra), encoding="utf-8")
    matrix = load_matrix(path)
    fast, base = matrix.driver("mysqlclient-fast"), matrix.driver("mysqlclient")
    assert (fast.engine, fast.module, fast.vendors) == (base.engine, base.module, base.vendors)
    assert (fast.options, fast.settings, fast.servers) == (
        {"isolation_level": "serializable"},
        {"CONN_MAX_AGE": 0},
        ("mysql*",),
    )
    assert fast.requirements(matrix.django[0]) == ("b~=4.2.0",)
    assert [c.id for c in matrix.cells if c.driver is fast] == ["mysql80-mysqlclient-fast-django42"]
    assert matrix.cell("mysql80-mysqlclient-fast-django42").not_applicable == (
        "b supports Django >=5.0 (its package metadata, as the matrix's driver mysqlclient-fast says), not Django 4.2."
    )


def test_a_pooler_is_in_front_of_the_matrix_own_server(tmp_path: Path) -> None:
    path = tmp_path / "pooled.yaml"
    path.write_text(pooled(), encoding="utf-8")
    matrix = load_matrix(path)
    pooler = matrix.server("pg-tx").pooler
    assert pooler is not None and pooler.in_front_of is matrix.server("postgres15")
    assert (pooler.image, matrix.server("pg-tx").image) == (None, None)


BAD = {
    "yaml-syntax": Bad(changed("    module: MySQLdb\n", "    module: MySQLdb: x\n"), 11, ("YAML syntax error",)),
    "yaml-unclosed-flow": Bad(
        changed('    image: "mysql:8.0"\n', '    image: ["mysql:8.0"\n'),
        25,
        ("YAML syntax error", "expected ','"),
    ),
    "two-documents": Bad(VALID + "---\nservers: []\n", 25, ("YAML syntax error", "document")),
    "empty-file": Bad("", None, ("empty", "django, drivers and servers")),
    "only-comments": Bad("# nothing here\n\n", None, ("empty",)),
    "top-level-list": Bad("- django\n- drivers\n- servers\n", 1, ("top level must be a mapping",)),
    "top-level-scalar": Bad("matrix\n", 1, ("top level must be a mapping",)),
    "unknown-top-level-key": Bad(
        VALID + "extras: true\n", 25, ("extras: unknown key", "allowed here: django, drivers, servers")
    ),
    "missing-top-level-key": Bad(VALID[: VALID.index("servers:")], 1, ("servers: missing", "required")),
    "unknown-server-key": Bad(
        VALID + "    port: 3306\n", 25, ("servers[1].port: unknown key", "id, vendor, version, image")
    ),
    "unknown-django-key": Bad(
        changed('    python: "3.11"\n', '    python: "3.11"\n    pythn: "3.12"\n'),
        5,
        ("django[0].pythn: unknown key", "supports, source"),
    ),
    "server-without-vendor": Bad(changed("    vendor: mysql\n", ""), 21, ("servers[1].vendor: missing",)),
    "driver-without-module": Bad(changed("    module: MySQLdb\n", ""), 8, ("drivers[0].module: missing", "required")),
    "float-version": Bad(
        changed('    version: "8.0"\n', "    version: 8.0\n"),
        23,
        ("servers[1].version: must be a string", "quote versions"),
    ),
    "float-django-version": Bad(
        changed('    version: "4.2"\n', "    version: 4.2\n"), 3, ("django[0].version: must be a string",)
    ),
    "bad-version-string": Bad(
        changed('    version: "8.0"\n', '    version: "eight"\n'),
        23,
        ("servers[1].version", "'eight' is not a version"),
    ),
    "bad-python-version": Bad(
        changed('    python: "3.11"\n', '    python: "3.x"\n'), 4, ("django[0].python", "is not a version")
    ),
    "unknown-server-vendor": Bad(
        changed("    vendor: mysql\n", "    vendor: db2\n"),
        22,
        ("servers[1].vendor", "unknown vendor 'db2'", "known vendors"),
    ),
    "unknown-driver-vendor": Bad(
        changed("    vendors: [mysql, mariadb]\n", "    vendors: [mysql, mariadb, db2]\n"),
        12,
        ("drivers[0].vendors[2]", "unknown vendor 'db2'"),
    ),
    "duplicate-server-id": Bad(
        changed("  - id: mysql80\n", "  - id: sqlite\n"), 21, ("servers[1].id", "duplicate id 'sqlite'")
    ),
    "duplicate-driver-id": Bad(
        changed("  - id: sqlite3\n", "  - id: mysqlclient\n"),
        13,
        ("drivers[1].id", "duplicate id 'mysqlclient'"),
    ),
    "duplicate-key": Bad(
        changed("    vendor: mysql\n", "    vendor: mysql\n    vendor: mariadb\n"),
        23,
        ("key 'vendor' appears twice",),
    ),
    "upper-case-id": Bad(
        changed("  - id: mysql80\n", "  - id: MySQL80\n"),
        21,
        ("servers[1].id", "lower-case letters and digits"),
    ),
    "id-with-dash": Bad(
        changed("  - id: django42\n", "  - id: django-42\n"), 2, ("django[0].id", "lower-case letters")
    ),
    "pooler-on-mysql": Bad(
        VALID + "    pooler: {name: pgbouncer, mode: transaction}\n",
        25,
        ("servers[1].pooler", "pgbouncer pools postgresql connections only, not mysql"),
    ),
    "pooler-unknown-mode": Bad(
        VALID + "    pooler: {name: pgbouncer, mode: txn}\n",
        25,
        ("servers[1].pooler.mode", "'txn' is not allowed", "'transaction', 'session' or 'statement'"),
    ),
    "pooler-unknown-name": Bad(
        VALID + "    pooler: {name: pgpool, mode: session}\n",
        25,
        ("servers[1].pooler.name", "'pgpool' is not allowed", "'pgbouncer'"),
    ),
    "pooler-without-mode": Bad(
        VALID + "    pooler: {name: pgbouncer}\n", 25, ("servers[1].pooler.mode: missing", "required")
    ),
    "pooler-unknown-key": Bad(
        VALID + "    pooler: {name: pgbouncer, mode: session, port: 6432}\n",
        25,
        ("servers[1].pooler.port: unknown key", "allowed here: name, mode"),
    ),
    "pooler-in-front-of-an-unknown-server": Bad(
        pooled(in_front_of="postgres16"),
        37,
        ("servers[3].pooler.in_front_of", "no server 'postgres16' in the matrix", "name the id of the server"),
    ),
    "pooler-in-front-of-another-version": Bad(
        pooled(version="16"),
        37,
        ("servers[3].pooler.in_front_of", "'postgres15' is postgresql 15, but this server is postgresql 16"),
    ),
    "pooler-in-front-of-a-pooler": Bad(
        pooled() + "  - id: pg-tx2\n    vendor: postgresql\n    version: '15'\n"
        "    pooler: {name: pgbouncer, mode: session, in_front_of: pg-tx}\n",
        41,
        ("servers[4].pooler.in_front_of", "'pg-tx' is itself reached through a pooler"),
    ),
    "pooler-with-image": Bad(
        pooled(extra='    image: "postgres:15"\n'),
        37,
        ("servers[3].image", "has no image of its own", "'pooler.image'; remove 'image'"),
    ),
    "pooler-not-a-mapping": Bad(
        VALID + "    pooler: pgbouncer\n", 25, ("servers[1].pooler", "must be a mapping with the keys name, mode")
    ),
    "server-id-part-is-a-driver": Bad(
        changed("  - id: mysql80\n", "  - id: mysql80-mysqlclient\n"),
        21,
        ("servers[1].id", "the part 'mysqlclient', which is a driver id"),
    ),
    "server-id-with-trailing-dash": Bad(
        changed("  - id: mysql80\n", "  - id: mysql80-\n"),
        21,
        ("servers[1].id", "lower-case letters and digits", "join such words with '-'"),
    ),
    "driver-option-key": Bad(
        variant("    options: {'no such key': 1}\n"), 21, ("drivers[2].options", "is not an OPTIONS key")
    ),
    "driver-option-date": Bad(
        variant("    options: {since: 2024-01-01}\n"), 21, ("drivers[2].options", "since: datetime.date", "a string")
    ),
    "driver-options-not-a-mapping": Bad(
        variant("    options: pool\n"), 21, ("drivers[2].options", "must be a mapping of names to values")
    ),
    "driver-settings-reserved": Bad(
        variant("    settings: {HOST: db.example}\n"), 21, ("drivers[2].settings", "'HOST' is set by the cell itself")
    ),
    "driver-settings-options": Bad(
        variant("    settings: {OPTIONS: {pool: true}}\n"), 21, ("drivers[2].settings", "put OPTIONS under 'options'")
    ),
    "driver-settings-lower-case": Bad(
        variant("    settings: {pool_options: {}}\n"), 21, ("drivers[2].settings", "in capitals", "'POOL_OPTIONS'")
    ),
    "driver-installed-app": Bad(
        variant("    installed_apps: ['not a module']\n"), 21, ("drivers[2].installed_apps", "not an app's module")
    ),
    "variant-of-unknown-driver": Bad(
        variant("", base="psycopg"), 20, ("drivers[2].variant_of", "no driver 'psycopg' in the matrix")
    ),
    "variant-of-itself": Bad(
        variant("", base="mysqlclient-fast"), 20, ("drivers[2].variant_of", "cannot be a variant of itself")
    ),
    "variant-of-a-variant": Bad(
        variant("    servers: [mysql80]\n  - {id: mysqlclient-faster, name: faster, variant_of: mysqlclient-fast}\n"),
        22,
        ("drivers[3].variant_of", "'mysqlclient-fast' is itself a variant of 'mysqlclient'", "name 'mysqlclient'"),
    ),
    "driver-without-engine-or-variant": Bad(
        changed("servers:\n", "  - {id: other, name: other, module: other, vendors: [mysql]}\nservers:\n"),
        18,
        ("drivers[2].engine: missing", "'variant_of'"),
    ),
    "driver-id-part-is-a-server-part": Bad(
        changed("servers:\n", "  - {id: mysqlclient-mysql80, name: x, variant_of: mysqlclient}\nservers:\n"),
        18,
        ("drivers[2].id", "the part 'mysql80', which is part of the server id 'mysql80'"),
    ),
    "driver-id-part-is-a-django-version": Bad(
        changed("servers:\n", "  - {id: mysqlclient-django42, name: x, variant_of: mysqlclient}\nservers:\n"),
        18,
        ("drivers[2].id", "the part 'django42', which is a Django version id"),
    ),
    "driver-id-with-trailing-dash": Bad(
        changed("  - id: sqlite3\n", "  - id: sqlite3-\n"),
        13,
        ("drivers[1].id", "lower-case letters", "a driver's may join such words with '-', e.g. 'psycopg-pool'"),
    ),
    "driver-servers-unknown": Bad(
        variant("    servers: [mysql99]\n"), 21, ("drivers[2].servers[0]", "'mysql99' matches no server of the matrix")
    ),
    "driver-servers-other-vendor": Bad(
        variant("    servers: [sqlite]\n"),
        21,
        ("drivers[2].servers[0]", "'sqlite' matches no server of the driver's vendors (mysql, mariadb)"),
    ),
    "backend-placeholder": Bad(
        variant("    backend: {distribution: b, requirement: 'b~={version}.0'}\n"),
        21,
        ("drivers[2].backend.requirement", "the only placeholder", "{django}"),
    ),
    "backend-requirement-not-pep508": Bad(
        variant("    backend: {distribution: b, requirement: '-r reqs.txt'}\n"),
        21,
        ("drivers[2].backend.requirement", "not a PEP 508 requirement"),
    ),
    "backend-bad-django-specifier": Bad(
        variant("    backend: {distribution: b, requirement: b, django: five}\n"),
        21,
        ("drivers[2].backend.django", "'five' is not a version specifier", "'>=4.2,<6.1'"),
    ),
    "backend-unknown-key": Bad(
        variant("    backend: {distribution: b, requirement: b, url: 'https://example.com'}\n"),
        21,
        ("drivers[2].backend.url: unknown key", "allowed here: distribution, requirement, django"),
    ),
    "backend-without-requirement": Bad(
        variant("    backend: {distribution: b}\n"), 21, ("drivers[2].backend.requirement: missing",)
    ),
    "server-without-image": Bad(changed('    image: "mysql:8.0"\n', ""), 21, ("servers[1]", "needs 'image'")),
    "server-without-version": Bad(changed('    version: "8.0"\n', ""), 21, ("servers[1]", "needs 'version'")),
    "sqlite-with-image": Bad(
        changed("    vendor: sqlite\n", '    vendor: sqlite\n    image: "sqlite:3"\n'),
        21,
        ("servers[0].image", "SQLite runs in-process; remove 'image'"),
    ),
    "vendor-without-driver": Bad(
        VALID + '  - {id: pg15, vendor: postgresql, version: "15", image: "postgres:15"}\n',
        25,
        ("servers[2].vendor", "no driver talks to 'postgresql'"),
    ),
    "empty-servers": Bad(
        VALID[: VALID.index("servers:")] + "servers: []\n", 18, ("servers", "must be a non-empty list")
    ),
    "empty-supports": Bad(
        changed('    supports: ["mysql>=8", "mariadb>=10.4", "sqlite>=3.21"]\n', "    supports: []\n"),
        5,
        ("django[0].supports", "must be a non-empty list"),
    ),
    "vendors-not-a-list": Bad(
        changed("    vendors: [sqlite]\n", "    vendors: sqlite\n"), 17, ("drivers[1].vendors", "list")
    ),
    "server-not-a-mapping": Bad(
        changed("  - id: sqlite\n    vendor: sqlite\n", "  - sqlite\n"),
        19,
        ("servers[0]", "must be a mapping", "id, vendor, version, image, start_timeout"),
    ),
    "bad-supports-specifier": Bad(
        changed('"mariadb>=10.4"', '"mariadb>=ten"'), 5, ("django[0].supports", "bad version specifier")
    ),
    "supports-unknown-vendor": Bad(
        changed('"mariadb>=10.4"', '"maria>=10.4"'), 5, ("django[0].supports", "unknown vendor 'maria'")
    ),
    "supports-star": Bad(changed('"sqlite>=3.21"', '"*"'), 5, ("django[0].supports", "must name one vendor")),
    "start-timeout-zero": Bad(VALID + "    start_timeout: 0\n", 25, ("servers[1].start_timeout", "greater than 0")),
    "start-timeout-negative": Bad(
        VALID + "    start_timeout: -5\n", 25, ("servers[1].start_timeout", "greater than 0")
    ),
    "start-timeout-string": Bad(VALID + '    start_timeout: "60"\n', 25, ("servers[1].start_timeout", "integer")),
    "no-such-file": Bad(MISSING, None, ("no such file", "--matrix")),
    "directory": Bad(None, None, ("not a regular file", "--matrix")),
    "huge": Bad(VALID + "#" * (4 * 1024 * 1024), None, ("bytes, over the 4 MiB", "right file")),
    "invalid-utf8": Bad(VALID.encode() + b"# caf\xe9\n", None, ("cannot read the matrix file", "utf-8")),
}


def _write(tmp_path: Path, case: Bad) -> Path:
    path = tmp_path / "bad-matrix.yaml"
    if case.content is None:
        path.mkdir()
    elif isinstance(case.content, bytes):
        path.write_bytes(case.content)
    elif case.content != MISSING:
        path.write_text(case.content, encoding="utf-8")
    return path


def _tree(root: Path) -> set[Path]:
    return set(root.rglob("*"))


def _check_message(message: str, path: Path, case: Bad) -> None:
    if case.line is None:
        assert message.startswith(f"{path}: "), message
    else:
        assert message.startswith(f"{path}:{case.line}: "), message
    for keyword in case.keywords:
        assert keyword in message, (keyword, message)
    assert "\n" not in message
    assert "Traceback" not in message


def test_enough_distinct_malformed_cases() -> None:
    assert len(BAD) >= 18
    contents = [case.content for case in BAD.values()]
    assert len({repr(c) for c in contents}) == len(contents)


@pytest.mark.parametrize("name", BAD)
def test_load_matrix_rejects(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = BAD[name]
    path = _write(tmp_path, case)
    monkeypatch.chdir(tmp_path)
    before = _tree(tmp_path)
    with pytest.raises(MatrixError) as raised:
        load_matrix(path)
    _check_message(str(raised.value), path, case)
    assert raised.value.exit_status == EXIT_BAD_INPUT
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("name", BAD)
def test_cli_list_rejects(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = BAD[name]
    path = _write(tmp_path, case)
    monkeypatch.chdir(tmp_path)
    before = _tree(tmp_path)
    status = cli.main(["list", "--matrix", str(path)])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert err.endswith("\n")
    prefix = "dbcompat: error: "
    assert lines[0].startswith(prefix)
    _check_message(lines[0][len(prefix) :], path, case)
    assert not (tmp_path / "reports").exists()
    assert _tree(tmp_path) == before


def test_a_matrix_that_is_no_regular_file_is_never_read() -> None:
    # /dev/zero would be read until memory runs out.
    with pytest.raises(MatrixError, match=r"^/dev/zero: not a regular file; pass --matrix PATH"):
        load_matrix(Path("/dev/zero"))


def test_cli_message_is_the_matrix_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, BAD["float-version"])
    with pytest.raises(MatrixError) as raised:
        load_matrix(path)
    assert cli.main(["list", "--matrix", str(path)]) == 2
    assert capsys.readouterr().err == f"dbcompat: error: {raised.value}\n"


def test_line_numbers_follow_the_file(tmp_path: Path) -> None:
    # The same mistake two lines further down is reported two lines further down.
    path = tmp_path / "m.yaml"
    path.write_text("# one\n# two\n" + changed('    version: "8.0"\n', "    version: 8.0\n"), encoding="utf-8")
    with pytest.raises(MatrixError, match=re.escape(f"{path}:25: servers[1].version")):
        load_matrix(path)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(VALID.replace("source: ", "source: \x00", 1), id="nul-character"),
        pytest.param("? [django]\n: 1\n", id="complex-mapping-key"),
        pytest.param("django: &loop [*loop]\n", id="recursive-alias"),
    ],
)
def test_odd_yaml_is_one_matrix_error(text: str, tmp_path: Path) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MatrixError) as raised:
        load_matrix(path)
    assert str(raised.value).startswith(f"{path}")
    assert "\n" not in str(raised.value)
