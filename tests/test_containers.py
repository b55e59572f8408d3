"""Containers on the real Docker engine: starts, readiness bounds, failures, cleanup, interrupts.

No registry is reachable here, so nothing is pulled. The failure cases run a stub image made
on the spot (a static binary that either waits forever or exits at once, loaded with
``docker import``); the server cases run the images ``dbcompat images build`` makes. Every
test leaves nothing in Docker: the ``no_leftovers`` fixture checks it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.errors import ServerUnavailable
from harness.matrix import Matrix
from harness.servers import ServerPool
from harness.servers import docker as engine
from harness.servers.containers import (
    ContainerPlan,
    KeptServers,
    answers,
    plan_container,
    start_container,
)

ROOT = Path(__file__).resolve().parent.parent
STUB = "dbcompat-test/stub:1"
STUB_SOURCE = r"""
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
/* Waits forever (never "ready"), or with the argument "exit" says why and exits 3. */
int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "exit") == 0) {
        fprintf(stderr, "stub: giving up at once\n");
        return 3;
    }
    printf("stub: started, never ready\n");
    fflush(stdout);
    signal(SIGTERM, SIG_DFL);
    for (;;) pause();
}
"""

pytestmark = pytest.mark.docker


def docker_or_skip() -> Any:
    """The engine's client; without one the test fails in CI (CI set) and is skipped elsewhere."""
    try:
        return engine.client()
    except ServerUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"these tests need a Docker engine: {exc}")
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def docker() -> Any:
    return docker_or_skip()


@pytest.fixture(scope="session")
def stub_image(docker: Any, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A one-file image: /stub, built with gcc -static and loaded with docker import."""
    with_image = [image for image in docker.images.list(name=STUB.split(":")[0]) if STUB in image.tags]
    if with_image:
        return STUB
    folder = tmp_path_factory.mktemp("stub")
    (folder / "stub.c").write_text(STUB_SOURCE)
    subprocess.run(
        ["gcc", "-static", "-Os", "-o", str(folder / "stub"), str(folder / "stub.c")], check=True, timeout=120
    )
    archive = folder / "stub.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(folder / "stub", arcname="stub")
    subprocess.run(
        ["docker", "import", "--change", 'CMD ["/stub"]', str(archive), STUB],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return STUB


@pytest.fixture(autouse=True)
def no_leftovers(docker: Any) -> Iterator[None]:
    """Nothing of a dbcompat run is left in Docker after the test (docker ps -a)."""
    before = {c.id for c in engine.owned_containers(docker)}
    yield
    after = [c for c in engine.owned_containers(docker) if c.id not in before]
    for container in after:
        container.remove(force=True, v=True)
    assert not after, f"left in Docker: {[c.name for c in after]}"


def stub_plan(matrix: Matrix, server_id: str, timeout: int, *args: str) -> ContainerPlan:
    plan = plan_container(matrix.server(server_id), {})
    kwargs = {**plan.kwargs, "command": ["/stub", *args]}
    return dataclasses.replace(plan, image=STUB, start_timeout=timeout, kwargs=kwargs)


# -- readiness is bounded by each plan's own timeout ------------------------------------------


@pytest.mark.parametrize("server_id", ["mysql84", "postgres15", "oracle23"])
def test_readiness_wait_honours_the_plans_timeout(matrix: Matrix, stub_image: str, server_id: str) -> None:
    # Oracle's upstream wait takes its default (120 s) fixed at import; MySQL's and PostgreSQL's the
    # global budget. Each must stop at the plan's 3 s.
    began = time.monotonic()
    with pytest.raises(ServerUnavailable) as raised:
        start_container(stub_plan(matrix, server_id, 3))
    took = time.monotonic() - began
    assert 3 <= took < 30, took
    message = str(raised.value)
    assert f"server {server_id!r} ({STUB}) did not become ready within 3s" in message
    assert "stub: started, never ready" in message  # what the server said
    assert "Hint: raise DBCOMPAT_START_TIMEOUT" in message


def test_servers_starting_at_once_keep_their_own_timeouts(matrix: Matrix, stub_image: str) -> None:
    took: dict[str, float] = {}

    def start(plan: ContainerPlan) -> None:
        began = time.monotonic()
        with pytest.raises(ServerUnavailable):
            start_container(plan)
        took[plan.server_id] = time.monotonic() - began

    plans = [stub_plan(matrix, "postgres15", 2), stub_plan(matrix, "mysql84", 9)]
    threads = [threading.Thread(target=start, args=(plan,)) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert 2 <= took["postgres15"] < 7, took
    assert 9 <= took["mysql84"] < 20, took


def test_a_server_that_exits_says_so_with_its_words(matrix: Matrix, stub_image: str) -> None:
    with pytest.raises(ServerUnavailable) as raised:
        start_container(stub_plan(matrix, "mysql84", 60, "exit"))
    message = str(raised.value)
    assert "exited before it was ready" in message
    assert "stub: giving up at once" in message
    assert "did not become ready" not in message


# -- images that are not there ----------------------------------------------------------------


def test_a_missing_image_is_unavailable_at_once_with_the_pulls_reason(matrix: Matrix) -> None:
    server = dataclasses.replace(matrix.server("mysql84"), image="dbcompat-test/absent:1")
    pool = ServerPool({})
    began = time.monotonic()
    with pytest.raises(ServerUnavailable) as raised:
        pool.provide(server)
    assert time.monotonic() - began < 30
    message = str(raised.value)
    assert "dbcompat-test/absent:1" in message
    # Either no registry is reachable (here) or the registry has no such image (with Docker Hub).
    assert "no registry is reachable" in message or "does not exist in its registry" in message
    assert "did not become ready" not in message


def test_image_override_by_environment(matrix: Matrix) -> None:
    plan = plan_container(matrix.server("postgres15"), {"DBCOMPAT_IMAGE_POSTGRES15": "dbcompat/postgres:15"})
    assert plan.image == "dbcompat/postgres:15"
    assert plan_container(matrix.server("postgres15"), {}).image == "postgres:15"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ("Error while fetching server API version: ('Connection aborted.', PermissionError(13, 'Permission denied'))",
         "permission denied on the Docker socket"),
        ("Error while fetching server API version: ('Connection aborted.', FileNotFoundError(2, 'No such file'))",
         "no Docker engine at"),
    ],
)  # fmt: skip
def test_engine_problems_are_told_apart(error: str, expected: str) -> None:
    from docker.errors import DockerException

    assert engine.engine_problem(DockerException(error)).startswith(expected)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ('manifest for mysql:9.9 not found: manifest unknown', "does not exist in its registry"),
        ('pull access denied for nosuch/image, repository does not exist', "does not exist in its registry"),
        ('toomanyrequests: You have reached your pull rate limit', "rate limit"),
        ('no matching manifest for linux/arm64/v8 in the manifest list entries', "no build for this platform"),
        ('Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host',
         "no registry is reachable"),
    ],
)  # fmt: skip
def test_pull_problems_are_told_apart(error: str, expected: str) -> None:
    from docker.errors import APIError

    assert expected in engine.pull_problem("some/image:1", APIError(error))


def test_no_engine_keeps_its_reason_and_names_the_url_variable(matrix: Matrix, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    with pytest.raises(ServerUnavailable) as raised:
        ServerPool({}).provide(matrix.server("mysql80"))
    message = str(raised.value)
    assert message.startswith("no Docker engine at unix:///nonexistent/docker.sock (")
    assert message.endswith("; or set DBCOMPAT_URL_MYSQL80 to use an existing server")


# -- cleanup: labels, a killed run, kept servers -----------------------------------------------


def test_the_pool_removes_its_containers_and_connects_by_ip(docker: Any, matrix: Matrix, server_image: Any) -> None:
    import ipaddress

    image = server_image("postgres15")
    pool = ServerPool({"DBCOMPAT_IMAGE_POSTGRES15": image})
    try:
        provided = pool.provide(matrix.server("postgres15"))
        assert provided.provider == "container"
        assert provided.origin == f"container {image}"
        assert provided.image == image
        # An address, never "localhost" (which libmysqlclient takes for the Unix socket).
        ipaddress.ip_address(provided.settings["HOST"])
        mine = [c for c in engine.owned_containers(docker) if c.labels[engine.LABEL_OWNER] == engine.owner()]
        assert [c.labels[engine.LABEL_SERVER] for c in mine] == ["postgres15"]
    finally:
        pool.stop_all()
    assert not [c for c in engine.owned_containers(docker) if c.id == mine[0].id]


def test_servers_start_at_once_one_start_each(docker: Any, matrix: Matrix, server_image: Any) -> None:
    ids = ["postgres15", "mariadb1011"]
    environ = {f"DBCOMPAT_IMAGE_{i.upper()}": server_image(i) for i in ids}
    pool = ServerPool(environ)
    try:
        for server_id in ids:
            pool.begin(matrix.server(server_id))
        waiting = [threading.Thread(target=pool.provide, args=(matrix.server(i),)) for i in ids * 3]
        for thread in waiting:
            thread.start()
        for thread in waiting:
            thread.join(timeout=300)
        assert pool.starts == 2
        for server_id in ids:
            provided = pool.provide(matrix.server(server_id))
            url = f"x://{provided.settings['HOST']}:{provided.settings['PORT']}"
            assert answers(matrix.server(server_id).vendor, url)
    finally:
        pool.stop_all()


def test_kept_servers_are_reused_and_stop_servers_removes_them(
    docker: Any, matrix: Matrix, server_image: Any, tmp_path: Path
) -> None:
    environ = {"DBCOMPAT_IMAGE_POSTGRES15": server_image("postgres15")}
    kept = tmp_path / "servers.json"
    server = matrix.server("postgres15")
    first = ServerPool(environ, keep=kept)
    port = first.provide(server).settings["PORT"]
    first.stop_all()
    entry = json.loads(kept.read_text())["postgres15"]
    assert docker.containers.get(entry["container_id"]).status == "running"

    second = ServerPool(environ, keep=kept)
    provided = second.provide(server)
    assert second.starts == 0
    assert provided.settings["PORT"] == port
    assert provided.origin.endswith("(kept from an earlier run)")
    second.stop_all()

    # The port answering is not enough: a kept entry whose container is gone is started afresh.
    entries = json.loads(kept.read_text())
    entries["postgres15"]["container_id"] = "0" * 64
    KeptServers(kept).save(entries)
    third = ServerPool(environ, keep=kept)
    third.provide(server)
    assert third.starts == 1
    third.stop_all()

    removed = KeptServers(kept).stop_all()
    assert entry["container_id"] in removed  # found by its label, though the file lost its id
    assert not kept.exists()
    assert not [c for c in engine.owned_containers(docker) if c.labels.get(engine.LABEL_KEPT) == "true"]


def test_stop_servers_keeps_the_file_when_the_engine_is_away(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept = tmp_path / "servers.json"
    KeptServers(kept).save({"postgres15": {"image": "x", "url": "postgres://u:p@127.0.0.1:1/", "container_id": "abc"}})
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    with pytest.raises(
        ServerUnavailable, match=r"cannot stop the kept containers in .*servers\.json: no Docker engine"
    ):
        KeptServers(kept).stop_all()
    assert kept.exists()


def without_urls() -> dict[str, str]:
    """This process's environment without the servers' URLs: the container path is the one tested."""
    return {k: v for k, v in os.environ.items() if not k.startswith("DBCOMPAT_URL_")}


def _spawn_pool(code: str, environ: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**without_urls(), **environ},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _wait_for_container(docker: Any, pid: int, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for container in engine.owned_containers(docker):
            if container.labels[engine.LABEL_OWNER].endswith(f":{pid}"):
                return container
        time.sleep(0.2)
    raise AssertionError(f"no container of process {pid} within {timeout}s")


def test_what_a_killed_run_left_is_removed_by_the_next_one(docker: Any, matrix: Matrix, stub_image: str) -> None:
    code = (
        "from harness.matrix import load_matrix\n"
        "from harness.servers import ServerPool\n"
        "ServerPool({'DBCOMPAT_IMAGE_MYSQL84': 'dbcompat-test/stub:1'}).provide(load_matrix().server('mysql84'))\n"
    )
    child = _spawn_pool(code, {"DBCOMPAT_START_TIMEOUT": "600"})
    left = _wait_for_container(docker, child.pid)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert docker.containers.get(left.id).status in ("created", "running")
    # The next run sweeps before its first start (its own start fails: no such image).
    pool = ServerPool({"DBCOMPAT_IMAGE_MYSQL84": "dbcompat-test/absent:1"})
    with pytest.raises(ServerUnavailable):
        pool.provide(matrix.server("mysql84"))
    assert left.id not in {c.id for c in engine.owned_containers(docker)}


def test_ctrl_c_during_a_start_ends_promptly_and_leaves_nothing(docker: Any, stub_image: str, tmp_path: Path) -> None:
    child = subprocess.Popen(
        [str(Path(sys.executable).parent / "dbcompat"), "run", "postgres15-psycopg-django52", "-q", "--no-report",
         "--results", str(tmp_path / "results")],
        cwd=ROOT,
        env={**without_urls(), "DBCOMPAT_IMAGE_POSTGRES15": STUB, "DBCOMPAT_START_TIMEOUT": "600"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    container = _wait_for_container(docker, child.pid)
    began = time.monotonic()
    child.send_signal(signal.SIGINT)
    output, _ = child.communicate(timeout=60)
    assert time.monotonic() - began < 20, output
    assert child.returncode == 130, output
    assert container.id not in {c.id for c in engine.owned_containers(docker)}


# -- the paths users take: tox, a lost container ----------------------------------------------


def _tox(env_name: str, results: Path, environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    tox = str(Path(sys.executable).parent / "tox")
    command = [tox, "-e", env_name, "--", f"--dbcompat-results={results}", "-q"]
    return subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=1200, check=False)


def test_a_tox_env_starts_its_server_in_a_container(docker: Any, server_image: Any, tmp_path: Path) -> None:
    image = server_image("postgres15")
    done = _tox("postgres15-psycopg", tmp_path, {**without_urls(), "DBCOMPAT_IMAGE_POSTGRES15": image})
    output = done.stdout + done.stderr
    assert "INTERNALERROR" not in output, output[-4000:]
    result = json.loads((tmp_path / "postgres15-psycopg-django61.json").read_text())
    assert result["status"] == "ran", output[-4000:]
    assert result["server"]["provider"] == "container"
    assert result["server"]["origin"] == f"container {image}"
    assert result["server"]["version_reported"].startswith("15."), result["server"]
    assert not any(check["outcome"] == "harness error" for check in result["checks"])


def test_a_tox_env_without_docker_ends_server_unavailable(tmp_path: Path) -> None:
    environ = {**without_urls(), "DOCKER_HOST": "unix:///nonexistent/docker.sock"}
    done = _tox("postgres15-psycopg", tmp_path, environ)
    output = done.stdout + done.stderr
    assert "INTERNALERROR" not in output and "Traceback" not in output, output[-4000:]
    result = json.loads((tmp_path / "postgres15-psycopg-django61.json").read_text())
    assert result["status"] == "server unavailable"
    assert result["reason"].startswith("no Docker engine at unix:///nonexistent/docker.sock")


def test_a_container_killed_mid_cell_ends_it_server_lost(
    docker: Any, matrix: Matrix, server_image: Any, tmp_path: Path
) -> None:
    from harness.cells.job import CellJob
    from harness.envs import ensure_env, plan_env
    from tests.test_server_lost import lost_project, start_lost_cell, wait_until_sleeping

    image = server_image("postgres15")
    cell = matrix.cell("postgres15-psycopg-django52")
    python = ensure_env(plan_env(cell), os.environ)
    project = lost_project(tmp_path)
    flag, results = tmp_path / "sleeping", tmp_path / "results"
    # As `dbcompat run` does: the run starts the container and hands the cell its job.
    pool = ServerPool({"DBCOMPAT_IMAGE_POSTGRES15": image})
    try:
        provided = pool.provide(matrix.server("postgres15"))
        job = CellJob(cell, "k1ll3d", 60.0, results, provided).write(tmp_path / "job.json")
        (container,) = [c for c in engine.owned_containers(docker) if c.labels[engine.LABEL_OWNER] == engine.owner()]
        child = start_lost_cell(
            python, [f"--dbcompat-job={job}"], project, {**without_urls(), "DOOMED_SIGNAL": str(flag)}
        )
        wait_until_sleeping(child, flag)
        container.kill()
        output, _ = child.communicate(timeout=120)
    finally:
        pool.stop_all()
    (written,) = results.glob("*.json")
    result = json.loads(written.read_text())
    assert (result["server"]["provider"], result["server"]["image"]) == ("container", image)
    assert result["status"] == "harness error", output
    assert result["reason"].startswith("server lost during lost.during: "), result["reason"]
    checks = {c["id"]: c for c in result["checks"]}
    assert checks["lost.before"]["observed"] == 1
    assert checks["lost.after"]["reason"].startswith("server lost during lost.during")


def test_the_pulls_hint_names_images_build_only_for_servers_debian_ships() -> None:
    from harness.servers.containers import build_hint

    assert build_hint("postgres15") == "; or build one from Debian's packages: dbcompat images build postgres15"
    assert build_hint("mysql84") == ""  # Debian ships no MySQL 8.4: only its official image has it


@pytest.mark.parametrize("driver", ["mysqlclient", "connector"])
def test_a_paused_server_ends_its_cell_within_the_bounds(
    docker: Any, matrix: Matrix, server_image: Any, tmp_path: Path, driver: str
) -> None:
    # docker pause freezes the server's processes (the cgroup freezer, as SIGSTOP does): its kernel still
    # accepts connections and acknowledges what is sent, but neither the statement nor KILL QUERY is answered.
    from harness.cells.job import CellJob
    from harness.envs import ensure_env, plan_env
    from tests.test_server_lost import lost_project, start_lost_cell, wait_until_sleeping

    image = server_image("mariadb118")
    cell = matrix.cell(f"mariadb118-{driver}-django52")
    python = ensure_env(plan_env(cell), os.environ)
    project = lost_project(tmp_path, "SELECT SLEEP(20)")
    flag, results = tmp_path / "sleeping", tmp_path / "results"
    pool = ServerPool({"DBCOMPAT_IMAGE_MARIADB118": image})
    try:
        provided = pool.provide(matrix.server("mariadb118"))
        job = CellJob(cell, "p4us3d", 3.0, results, provided, connect_timeout=3.0).write(tmp_path / "job.json")
        (container,) = [c for c in engine.owned_containers(docker) if c.labels[engine.LABEL_OWNER] == engine.owner()]
        child = start_lost_cell(
            python, [f"--dbcompat-job={job}"], project, {**without_urls(), "DOOMED_SIGNAL": str(flag)}
        )
        wait_until_sleeping(child, flag)
        container.pause()
        paused = time.monotonic()
        try:
            output, _ = child.communicate(timeout=120)
        finally:
            container.unpause()
        took = time.monotonic() - paused
    finally:
        pool.stop_all()
    # The check timeout, then the cancel's grace or the driver's read timeout, then each connection given up
    # after the connect timeout: well under a minute, where it used to take the whole cell's 900 s.
    assert took < 60, (took, output)
    (written,) = results.glob("*.json")
    result = json.loads(written.read_text())
    expected = "server lost during lost.during: "
    assert result["status"] == "harness error", output
    assert result["reason"].startswith(expected), result["reason"]
    checks = {c["id"]: c for c in result["checks"]}
    assert checks["lost.before"]["observed"] == 1  # the check that finished is kept
    assert checks["lost.during"]["outcome"] == "harness error"
    assert checks["lost.after"]["reason"].startswith(expected)
