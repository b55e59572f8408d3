"""Public fixtures for behaviour suites.

A check is a test marked ``@pytest.mark.check("behaviour.what")`` that asks for
the ``check`` fixture and calls ``check.observe(value)`` once with what the
server did. It never decides whether that is right: the claims table does.
"""

from __future__ import annotations

import contextlib
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

    def flag(self, name: str, value: JSONValue) -> None:
        """Record a Django feature flag next to the observation."""
        self.flags[name] = _jsonable(value)

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


def _check_id(request: pytest.FixtureRequest) -> str:
    marker = request.node.get_closest_marker("check")
    if marker is None or not marker.args:
        raise pytest.UsageError(f"{request.node.nodeid} uses the check fixture without @pytest.mark.check(id)")
    params = getattr(getattr(request.node, "callspec", None), "params", {})
    return str(marker.args[0]).format(**params)


@pytest.fixture
def check(request: pytest.FixtureRequest) -> Iterator[CheckRecorder]:
    """The recorder for this check; every statement on any connection is captured while it runs."""
    from django.db import connections

    recorder = CheckRecorder(_check_id(request))
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
