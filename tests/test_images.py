"""``dbcompat images build``: the recipe table, tags, printed lines and errors, and real images.

The real tests build images on this machine's Docker engine (reusing what is already
built and current) and start them with testcontainers' own PostgresContainer and
MySqlContainer, unchanged, then look at the servers with real drivers. Without a
Docker engine (or debootstrap, or root) they are skipped locally and fail in CI (``CI``
set), as the live tests do. PostgreSQL 15 and MariaDB 10.11 are always built (they
share one base image); the other servers run when their image is already current, and are
built in CI (``CI`` set) or when DBCOMPAT_TEST_IMAGES=all asks for every image.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.cli import main
from harness.errors import EXIT_BAD_INPUT, UsageError
from harness.images import (
    RECIPES,
    DockerUnavailable,
    ImageBuildError,
    build_images,
    docker_cli,
    export_line,
    select_recipes,
)
from harness.images.base_image import prepare_rootfs
from harness.images.build import current_image
from harness.images.docker_cli import LABEL_RECIPE_HASH, Docker
from harness.images.recipes import DEFAULT_MIRROR, SUITES, Recipe

DOCKER_DIR = Path(docker_cli.__file__).parent / "docker"
ALWAYS_BUILT = ("postgres15", "mariadb1011")


# -- the recipe table, tags and printed lines ------------------------------------------------


def test_recipes_cover_what_debian_ships() -> None:
    table = {(r.server_id, r.suite, r.package) for r in RECIPES}
    assert table == {
        ("postgres15", "bookworm", "postgresql-15"),
        ("postgres17", "trixie", "postgresql-17"),
        ("postgres18", "sid", "postgresql-18"),
        ("mariadb1011", "bookworm", "mariadb-server"),
        ("mariadb118", "trixie", "mariadb-server"),
        ("mysql97", "sid", "mysql-server-core"),
        # The pooler the PgBouncer servers start in front of postgres15's container.
        ("pgbouncer", "trixie", "pgbouncer"),
    }
    for recipe in RECIPES:
        assert recipe.suite in SUITES
        assert set(recipe.files()) == {"Dockerfile", "docker-entrypoint.sh"}
        assert recipe.files()["docker-entrypoint.sh"].startswith("#!/usr/bin/env bash\n")


def test_tags_carry_the_projects_name_and_are_unique() -> None:
    tags = {r.server_id: r.tag for r in RECIPES}
    assert tags == {
        "postgres15": "dbcompat/postgres:15",
        "postgres17": "dbcompat/postgres:17",
        "postgres18": "dbcompat/postgres:18",
        "mariadb1011": "dbcompat/mariadb:10.11",
        "mariadb118": "dbcompat/mariadb:11.8",
        "mysql97": "dbcompat/mysql:9.7",
        "pgbouncer": "dbcompat/pgbouncer:1.24",
    }
    assert {suite.base_tag for suite in SUITES.values()} == {
        "dbcompat/debian:bookworm",
        "dbcompat/debian:trixie",
        "dbcompat/debian:sid",
    }


def test_export_lines_set_the_variables_a_shell_evaluates() -> None:
    lines = "\n".join(export_line(recipe) for recipe in RECIPES)
    assert lines.splitlines()[0] == "export DBCOMPAT_IMAGE_POSTGRES15=dbcompat/postgres:15"
    shown = subprocess.run(
        ["bash", "-c", 'eval "$1"; echo "$DBCOMPAT_IMAGE_MARIADB1011 $DBCOMPAT_IMAGE_MYSQL97"', "-", lines],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == "dbcompat/mariadb:10.11 dbcompat/mysql:9.7"


def test_selection_by_id_and_glob_keeps_build_order() -> None:
    assert select_recipes([]) == RECIPES
    assert [r.server_id for r in select_recipes(["mysql97", "postgres*"])] == [
        "postgres15",
        "postgres17",
        "postgres18",
        "mysql97",
    ]


@pytest.mark.parametrize("server", ["mysql80", "oracle23", "nosuch"])
def test_a_server_debian_does_not_ship_is_one_line_and_exit_2(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UsageError):
        select_recipes([server])
    assert main(["images", "build", "postgres15", server]) == EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert f"{server!r}" in err
    assert "buildable servers: postgres15, mariadb1011, postgres17, mariadb118, postgres18, mysql97" in err


def test_recipe_hash_follows_the_files_and_the_base() -> None:
    recipe = select_recipes(["postgres15"])[0]
    assert recipe.recipe_hash("sha256:a") == recipe.recipe_hash("sha256:a")
    assert recipe.recipe_hash("sha256:a") != recipe.recipe_hash("sha256:b")
    other = Recipe(**{**recipe.__dict__, "build_args": (("PG_MAJOR", "16"),)})
    assert other.recipe_hash("sha256:a") != recipe.recipe_hash("sha256:a")
    assert SUITES["sid"].base_hash(DEFAULT_MIRROR) != SUITES["sid"].base_hash("http://mirror.example/debian")


def test_suites_sources_and_apt_settings() -> None:
    bookworm = SUITES["bookworm"].sources(DEFAULT_MIRROR)
    assert bookworm.splitlines() == [
        "deb http://deb.debian.org/debian bookworm main",
        "deb http://deb.debian.org/debian bookworm-updates main",
        "deb http://deb.debian.org/debian-security bookworm-security main",
    ]
    assert SUITES["sid"].sources(DEFAULT_MIRROR) == "deb http://deb.debian.org/debian sid main\n"
    assert 'Acquire::Check-Valid-Until "false";' in SUITES["sid"].apt_settings()
    assert "Check-Valid-Until" not in SUITES["trixie"].apt_settings()
    assert 'APT::Install-Recommends "false";' in SUITES["trixie"].apt_settings()


def test_prepare_rootfs_makes_a_clean_base(tmp_path: Path) -> None:
    root = tmp_path / "rootfs"
    for name in [
        "etc/apt/sources.list",
        "etc/hostname",
        "etc/resolv.conf",
        "var/cache/apt/archives/bash_5.2_amd64.deb",
        "var/cache/apt/pkgcache.bin",
        "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease",
        "var/log/bootstrap.log",
        "dev/null",
        "usr/share/doc/bash/copyright",
        "usr/share/doc/bash/README.gz",
        "usr/share/man/man1/bash.1.gz",
    ]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("host content\n")
    (root / "var/cache/apt/archives/partial").mkdir()
    prepare_rootfs(root, SUITES["sid"], DEFAULT_MIRROR)
    assert (root / "etc/apt/sources.list").read_text() == "deb http://deb.debian.org/debian sid main\n"
    assert "Check-Valid-Until" in (root / "etc/apt/apt.conf.d/90dbcompat").read_text()
    assert "path-exclude /usr/share/doc/*" in (root / "etc/dpkg/dpkg.cfg.d/90dbcompat-slim").read_text()
    assert (root / "usr/sbin/policy-rc.d").read_text().endswith("exit 101\n")
    assert str((root / "etc/localtime").readlink()) == "/usr/share/zoneinfo/Etc/UTC"
    assert (root / "etc/hostname").read_text() == "" and (root / "etc/resolv.conf").read_text() == ""
    left = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert "usr/share/doc/bash/copyright" in left
    for gone in ["README.gz", ".deb", "pkgcache.bin", "InRelease", "bootstrap.log", "dev/null", "bash.1.gz"]:
        assert not any(gone in path for path in left), (gone, left)
    assert (root / "var/cache/apt/archives/partial").is_dir()


def test_entrypoints_pass_shellcheck() -> None:
    if shutil.which("shellcheck") is None:
        message = "shellcheck is not installed (apt-get install shellcheck)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    scripts = sorted(str(path) for path in DOCKER_DIR.glob("*.sh"))
    assert len(scripts) == 3
    done = subprocess.run(["shellcheck", *scripts], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


# -- errors: Docker not answering, a failed step --------------------------------------------


def fake_docker(tmp_path: Path, body: str) -> Path:
    """A stand-in for the docker command line (the engine's side of these tests): logs its arguments."""
    script = tmp_path / "docker"
    script.write_text(f'#!/bin/sh\necho "$*" >> "{tmp_path}/calls"\n{body}\n')
    script.chmod(0o755)
    return script


def test_docker_not_answering_is_one_clear_line(tmp_path: Path) -> None:
    fake_docker(tmp_path, 'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." >&2; exit 1')
    environ = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", "images", "build", "postgres15"],
        capture_output=True,
        text=True,
        env=environ,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "the Docker engine does not answer" in done.stderr
    assert "Cannot connect to the Docker daemon" in done.stderr


def test_docker_hanging_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(docker_cli.TIMEOUTS, "docker version", 1)
    docker = Docker(str(fake_docker(tmp_path, "sleep 30")))
    with pytest.raises(DockerUnavailable, match="took over 1 s"):
        docker.server_version()
    with pytest.raises(DockerUnavailable, match="no '/nonexistent/docker' command"):
        Docker("/nonexistent/docker").server_version()


def test_a_failed_build_names_image_step_and_log_and_tags_nothing(tmp_path: Path) -> None:
    suite = SUITES["bookworm"]
    base = [{"Id": "sha256:base", "Config": {"Labels": {LABEL_RECIPE_HASH: suite.base_hash(DEFAULT_MIRROR)}}}]
    (tmp_path / "base.json").write_text(json.dumps(base))
    docker = Docker(
        str(
            fake_docker(
                tmp_path,
                f"""case "$1 $2" in
  "version --format") echo 20.10.24 ;;
  "image inspect") [ "$3" = {suite.base_tag} ] && cat {tmp_path}/base.json && exit 0
    echo "No such image" >&2; exit 1 ;;
  build*) echo "Step 3/9 : RUN apt-get install"; echo "E: Unable to locate package postgresql-15" >&2; exit 100 ;;
  *) exit 1 ;;
esac""",
            )
        )
    )
    logs = tmp_path / "logs"
    with pytest.raises(ImageBuildError) as raised:
        build_images(select_recipes(["postgres15"]), docker=docker, log_dir=logs)
    message = str(raised.value)
    log = logs / "postgres15-build.log"
    assert message == (
        f"image dbcompat/postgres:15: step docker build failed (exit status 100: "
        f"E: Unable to locate package postgresql-15); log kept: {log}"
    )
    assert "Step 3/9" in log.read_text()
    calls = (tmp_path / "calls").read_text().splitlines()
    assert [call for call in calls if " -t " in f" {call} " or call.startswith("tag")] == []


# -- real images, started by testcontainers' own classes ----------------------------------


def docker_or_skip() -> Docker:
    docker = Docker()
    try:
        docker.server_version()
    except DockerUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    return docker


_BUILT: dict[str, str] = {}


def image_for(server_id: str) -> str:
    """The server's image: reused when current, built when always built or asked for, else a skip."""
    if server_id in _BUILT:
        return _BUILT[server_id]
    docker = docker_or_skip()
    recipe = select_recipes([server_id])[0]
    tag = current_image(recipe, docker=docker)
    if tag is None:
        # In CI every image is tested: .ci/run builds them all, and a missing one is built here, not skipped.
        wanted = os.environ.get("CI") or os.environ.get("DBCOMPAT_TEST_IMAGES") == "all"
        if server_id not in ALWAYS_BUILT and not wanted:
            pytest.skip(f"{recipe.tag} is not built; 'dbcompat images build {server_id}' or DBCOMPAT_TEST_IMAGES=all")
        try:
            built = build_images([recipe], docker=docker, say=lambda text: print(text, file=sys.stderr))
        except ImageBuildError as exc:
            if ("needs root" in str(exc) or "not installed" in str(exc)) and not os.environ.get("CI"):
                pytest.skip(str(exc))
            raise
        tag = built[0].tag
    _BUILT[server_id] = tag
    return tag


@pytest.fixture
def testcontainers_without_ryuk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Ryuk's image cannot be pulled here; each test removes its own containers instead."""
    from testcontainers.core.config import testcontainers_config

    monkeypatch.setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
    monkeypatch.setattr(testcontainers_config, "ryuk_disabled", True)
    yield


def assert_removed(container_id: str) -> None:
    done = subprocess.run(["docker", "inspect", container_id], capture_output=True, timeout=60, check=False)
    assert done.returncode != 0, f"container {container_id} is still there"


POSTGRES = [r.server_id for r in RECIPES if r.vendor == "postgresql"]
MYSQL_FAMILY = [r.server_id for r in RECIPES if r.vendor in ("mysql", "mariadb")]


@pytest.mark.parametrize("server_id", POSTGRES)
@pytest.mark.usefixtures("testcontainers_without_ryuk")
def test_postgres_image_starts_with_testcontainers(server_id: str) -> None:
    import psycopg
    from testcontainers.community.postgres import PostgresContainer

    recipe = select_recipes([server_id])[0]
    tag = image_for(server_id)
    password = f"pw-{secrets.token_hex(6)}"
    container = PostgresContainer(tag, username="checker", password=password, dbname="dbcompat_check", driver=None)
    with container:
        container_id = container.get_wrapped_container().id
        with psycopg.connect(container.get_connection_url()) as connection:
            version = connection.execute("SHOW server_version").fetchone()
            assert version is not None and version[0].startswith(f"{recipe.version}.")
            row = connection.execute(
                "SELECT current_database(), current_user, pg_encoding_to_char(encoding), datcollate,"
                " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
                " FROM pg_database WHERE datname = current_database()"
            ).fetchone()
            assert row == ("dbcompat_check", "checker", "UTF8", "en_US.utf8", True)
            assert connection.execute("SHOW listen_addresses").fetchone() == ("*",)
            assert connection.execute("SHOW TimeZone").fetchone() == ("Etc/UTC",)
        _, stderr = container.get_logs()
        assert 'listening on IPv4 address "0.0.0.0", port 5432' in stderr.decode()
    assert_removed(container_id)


@pytest.mark.parametrize("server_id", MYSQL_FAMILY)
@pytest.mark.usefixtures("testcontainers_without_ryuk")
def test_mysql_family_image_starts_with_testcontainers(server_id: str) -> None:
    import pymysql
    from testcontainers.community.mysql import MySqlContainer

    recipe = select_recipes([server_id])[0]
    tag = image_for(server_id)
    password, root_password = f"pw-{secrets.token_hex(6)}", f"root-{secrets.token_hex(6)}"
    container = MySqlContainer(
        tag, username="checker", password=password, root_password=root_password, dbname="dbcompat_check"
    )
    with container:
        container_id = container.get_wrapped_container().id
        host, port = container.get_container_host_ip(), int(container.get_exposed_port(3306))
        # MYSQL_USER and MYSQL_PASSWORD made a user who may use MYSQL_DATABASE
        user = pymysql.connect(host=host, port=port, user="checker", password=password, database="dbcompat_check")
        try:
            with user.cursor() as cursor:
                cursor.execute("SELECT VERSION(), DATABASE()")
                version, database = cursor.fetchone()
                assert database == "dbcompat_check"
                assert version.startswith(f"{recipe.version}.")
                assert ("MariaDB" in version) == (recipe.vendor == "mariadb")
                cursor.execute("CREATE TABLE t (id INT PRIMARY KEY)")
                cursor.execute("SELECT CONVERT_TZ('2024-01-01 00:00:00', 'UTC', 'Europe/Paris')")
                assert str(cursor.fetchone()[0]) == "2024-01-01 01:00:00"
        finally:
            user.close()
        # MYSQL_ROOT_PASSWORD: root may log in from anywhere
        root = pymysql.connect(host=host, port=port, user="root", password=root_password)
        try:
            with root.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM mysql.time_zone_name")
                assert cursor.fetchone()[0] > 400
                cursor.execute("SELECT @@character_set_server, @@bind_address")
                charset, bind = cursor.fetchone()
                assert charset == "utf8mb4"
                assert bind in (None, "*")
        finally:
            root.close()
        _, stderr = container.get_logs()
        # the temporary server and the real one, as testcontainers' log wait expects
        assert len(re.findall(r": ready for connections", stderr.decode())) == 2
    assert_removed(container_id)


@pytest.mark.usefixtures("testcontainers_without_ryuk")
def test_the_pgbouncer_image_refuses_a_configuration_it_cannot_use_with_its_words() -> None:
    import time

    from harness.errors import ServerUnavailable
    from harness.servers.containers import PoolerPlan, start_pooler

    tag = image_for("pgbouncer")
    password = f"pw-{secrets.token_hex(6)}"
    # No server to pool to: the entrypoint says so and exits, and the start ends at once with its words.
    plan = PoolerPlan(
        "postgres15-pgbouncer-tx", "postgresql", "pgbouncer", "transaction", tag, "", 5432, "postgres", password,
        "postgres", 60, behind="none",
    )  # fmt: skip
    began = time.monotonic()
    with pytest.raises(ServerUnavailable) as raised:
        start_pooler(plan)
    assert time.monotonic() - began < 30
    message = str(raised.value)
    assert "exited before it was ready" in message, message
    assert "PGBOUNCER_SERVER_HOST is not set: name the PostgreSQL server to pool connections to" in message, message
    assert password not in message
    left = subprocess.run(
        ["docker", "ps", "-aq", "--filter", "label=io.dbcompat.server=postgres15-pgbouncer-tx", "--filter",
         f"label=io.dbcompat.owner={engine_owner()}"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert left.stdout.strip() == ""


def engine_owner() -> str:
    from harness.servers.docker import owner

    return owner()


def test_rebuilding_reuses_current_images() -> None:
    image_for("postgres15")
    built = build_images(select_recipes(["postgres15"]), docker=docker_or_skip())
    assert [(image.tag, image.reused, image.base.reused) for image in built] == [("dbcompat/postgres:15", True, True)]
    assert built[0].package_version.startswith("15.")
    assert built[0].seconds < 30
