"""Public fixtures for behaviour suites.

A check is a test marked ``@pytest.mark.check("behaviour.what")`` that asks for
the ``check`` fixture and calls ``check.observe(value)`` once with what the
server did. It never decides whether that is right: the claims table does.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

import pytest

from harness.checks import CheckRecorder, check_id_of, recording

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Model

    from harness.backends import Backend
    from harness.servers.poolers import PoolerConsole


class CreateTables(Protocol):
    """What the ``tables`` fixture gives: ``tables(Model, ...)`` creates the models' tables."""

    def __call__(self, *models: type[Model]) -> None: ...


class ConfigureConnection(Protocol):
    """What the ``configured_connection`` fixture gives: a new connection, some settings changed."""

    def __call__(self, **overrides: object) -> BaseDatabaseWrapper: ...


@pytest.fixture
def check(request: pytest.FixtureRequest) -> Iterator[CheckRecorder]:
    """The recorder for this check; every statement on any connection is captured while it runs."""
    from django.db import connections

    recorder = CheckRecorder(check_id_of(request.node))
    request.node.dbcompat_recorder = recorder
    with contextlib.ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(recorder.capture))
        with recording(recorder):
            yield recorder


@pytest.fixture
def connection() -> BaseDatabaseWrapper:
    """Django's default connection, to the cell's throwaway database."""
    from django.db import connection

    return connection


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> Backend:
    """The cell's :class:`harness.backends.Backend`: vendor-specific setup SQL, never observations.

    A method with nothing for this vendor raises NotApplicable, which ends the check with its reason.
    """
    from harness.backends import backend_for

    plugin = request.config.pluginmanager.get_plugin("dbcompat-cell")
    if plugin is None:
        raise pytest.UsageError("the backend fixture needs a cell: pass --dbcompat-cell")
    return backend_for(plugin.session.reported_vendor())


@pytest.fixture
def pooling(request: pytest.FixtureRequest) -> str | None:
    """How the cell reaches its server: None directly, else the pool mode of the pooler in front of it
    ("transaction", "session" or "statement"), as the pooler reported it (else as the matrix names it)."""
    plugin = request.config.pluginmanager.get_plugin("dbcompat-cell")
    if plugin is None:
        raise pytest.UsageError("the pooling fixture needs a cell: pass --dbcompat-cell")
    pooler: str | None = plugin.session.target().pooler
    return pooler


@pytest.fixture
def pooler_console(request: pytest.FixtureRequest) -> Iterator[PoolerConsole | None]:
    """The admin console of the pooler the cell reaches its server through (PgBouncer's), as the cell's user;
    None for a direct connection. Afterwards the cell's own connection is closed: what a check did to the
    pooler's clients may have dropped it, and the next check connects afresh."""
    from django.db import connection

    from harness.servers.poolers import PoolerConsole

    plugin = request.config.pluginmanager.get_plugin("dbcompat-cell")
    if plugin is None:
        raise pytest.UsageError("the pooler_console fixture needs a cell: pass --dbcompat-cell")
    session = plugin.session
    if session.cell.server.pooler is None or session.provided is None:
        yield None
        return
    console = PoolerConsole(session.provided.settings, session.cell.driver.module, session.job.connect_timeout)
    try:
        yield console
    finally:
        console.close()
        with contextlib.suppress(Exception):
            connection.close()


@pytest.fixture
def tables() -> Iterator[CreateTables]:
    """``tables(Model, ...)`` creates the models' tables for this check; they are dropped after it."""
    from django.db import connection

    created: list[Any] = []

    def create(*models: Any) -> None:
        with connection.schema_editor() as editor:
            for model in models:
                editor.create_model(model)
                created.append(model)

    yield create
    _drop(lambda editor: [editor.delete_model(model) for model in reversed(created)])


@pytest.fixture
def raw_table() -> Iterator[Callable[[str, str], None]]:
    """``raw_table(name, create_sql)`` creates a table by raw SQL (a legacy table); dropped after the check."""
    from django.db import connection

    created: list[str] = []

    def create(name: str, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)
        created.append(name)

    yield create
    _drop(lambda editor: [editor.execute(f"DROP TABLE {name}") for name in reversed(created)])


def _drop(action: Callable[[Any], object]) -> None:
    from django.db import connection

    try:
        with connection.schema_editor() as editor:
            action(editor)
    except Exception:
        # A check may leave its connection unusable (a failed transaction): start afresh once.
        connection.close()
        with connection.schema_editor() as editor:
            action(editor)


class HeldTooLong(Exception):
    """The other connection did not get its lock, or did not let go, within the bound."""


@contextlib.contextmanager
def held_in_other_connection(
    hold: Callable[[], object],
    recorder: CheckRecorder | None = None,
    setup_sql: str | None = None,
    timeout: float = 10.0,
) -> Iterator[None]:
    """Run ``hold()`` in a transaction on a second real connection (another thread) and keep it open.

    The transaction stays open while the ``with`` block runs and is rolled back after it,
    so whatever ``hold`` locked stays locked meanwhile. Every wait is bounded by ``timeout``.
    """
    ready = threading.Event()
    release = threading.Event()
    failures: list[BaseException] = []

    def run() -> None:
        from django.db import connection, transaction

        try:
            with contextlib.ExitStack() as stack:
                if recorder is not None:
                    stack.enter_context(connection.execute_wrapper(recorder.capture))
                if setup_sql:
                    with connection.cursor() as cursor:
                        cursor.execute(setup_sql)
                with transaction.atomic():
                    hold()
                    ready.set()
                    release.wait(timeout)
        except BaseException as exc:
            failures.append(exc)
        finally:
            ready.set()
            connection.close()

    thread = threading.Thread(target=run, name="dbcompat-holder", daemon=True)
    thread.start()
    try:
        if not ready.wait(timeout):
            raise HeldTooLong(f"the other connection did not take its lock within {timeout}s")
        if failures:
            raise failures[0]
        yield
    finally:
        release.set()
        thread.join(timeout)
        if thread.is_alive():
            raise HeldTooLong(f"the other connection did not let go within {timeout}s")


@pytest.fixture
def configured_connection() -> Iterator[ConfigureConnection]:
    """``configured_connection(CONN_MAX_AGE=None, OPTIONS={...})``: a second Django connection to the
    cell's database with some settings changed (OPTIONS are merged); closed after the check."""
    from harness.cells.database import django_connection

    made: list[Any] = []

    def make(**overrides: Any) -> Any:
        wrapper = django_connection(f"dbcompat_{len(made)}", **overrides)
        made.append(wrapper)
        return wrapper

    yield make
    for wrapper in made:
        with contextlib.suppress(Exception):
            wrapper.close()
