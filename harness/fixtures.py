"""Public fixtures for behaviour suites.

A check is a test marked ``@pytest.mark.check("behaviour.what")`` that asks for
the ``check`` fixture and calls ``check.observe(value)`` once with what the
server did. It never decides whether that is right: the claims table does.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from harness.results import JSONValue


class NotApplicable(Exception):
    """Raised by ``check.not_applicable``: the check cannot be run on this cell."""


class CheckRecorder:
    """What one check saw: the observation, Django's flags, and the SQL that ran."""

    def __init__(self, check_id: str) -> None:
        self.id = check_id
        self.observed: JSONValue = None
        self.has_observation = False
        self.flags: dict[str, JSONValue] = {}
        self.setup: dict[str, JSONValue] = {}
        self.sql: list[str] = []

    def observe(self, value: JSONValue) -> None:
        """Record what the server and driver did (JSON-compatible values only)."""
        if self.has_observation:
            raise RuntimeError(f"check {self.id} observed twice; a check records one observation")
        self.observed = _jsonable(value)
        self.has_observation = True

    def observe_exception(self, exc: BaseException) -> None:
        """Record the full class name of an exception the server or Django raised."""
        self.observe(f"{type(exc).__module__}.{type(exc).__qualname__}")

    def flag(self, name: str, value: JSONValue, agrees: bool | None = None) -> None:
        """Record a Django feature flag next to the observation.

        ``agrees`` says whether what the server did is what the flag promises
        (None where the flag says nothing about this observation).
        """
        self.flags[name] = {"value": _jsonable(value), "agrees": agrees}

    def note(self, name: str, value: JSONValue) -> None:
        """Record how the check was set up (a collation, a session time zone), for a reader to reproduce it."""
        self.setup[name] = _jsonable(value)

    def not_applicable(self, reason: str) -> None:
        """End the check: it cannot be observed on this cell, for ``reason`` (a full sentence)."""
        raise NotApplicable(reason)

    def capture(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        """A Django execute wrapper that records every statement the check runs."""
        shown = sql if not params else f"{sql}  -- params: {params!r}"
        self.sql.append(shown if not many else f"{shown}  (executemany)")
        return execute(sql, params, many, context)


def _jsonable(value: Any) -> JSONValue:
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"a check observes JSON values (str, int, float, bool, None, list, dict), not {value!r}")


def check_id_of(item: pytest.Item) -> str:
    """The stable id a test's ``@pytest.mark.check(...)`` gives it, parameters filled in."""
    marker = item.get_closest_marker("check")
    if marker is None or not marker.args:
        raise pytest.UsageError(f"{item.nodeid} uses the check fixture without @pytest.mark.check(id)")
    params = getattr(getattr(item, "callspec", None), "params", {})
    return str(marker.args[0]).format(**params)


@pytest.fixture
def check(request: pytest.FixtureRequest) -> Iterator[CheckRecorder]:
    """The recorder for this check; every statement on any connection is captured while it runs."""
    from django.db import connections

    recorder = CheckRecorder(check_id_of(request.node))
    request.node.dbcompat_recorder = recorder
    with contextlib.ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(recorder.capture))
        yield recorder


@pytest.fixture
def connection() -> Any:
    """Django's default connection, to the cell's throwaway database."""
    from django.db import connection

    return connection


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> Any:
    """The cell's :class:`harness.vendors.Backend`: vendor-specific setup SQL, never observations."""
    from harness.vendors import backend_for

    plugin = request.config.pluginmanager.get_plugin("dbcompat-cell")
    if plugin is None:
        raise pytest.UsageError("the backend fixture needs a cell: pass --dbcompat-cell")
    return backend_for(plugin.session.reported_vendor())


@pytest.fixture
def tables() -> Iterator[Callable[..., None]]:
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
def configured_connection() -> Iterator[Callable[..., Any]]:
    """``configured_connection(CONN_MAX_AGE=None, OPTIONS={...})``: a second Django connection to the
    cell's database with some settings changed (OPTIONS are merged); closed after the check."""
    from harness.session import django_connection

    made: list[Any] = []

    def make(**overrides: Any) -> Any:
        wrapper = django_connection(f"dbcompat_{len(made)}", **overrides)
        made.append(wrapper)
        return wrapper

    yield make
    for wrapper in made:
        with contextlib.suppress(Exception):
            wrapper.close()
