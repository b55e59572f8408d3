"""A check's own vocabulary, apart from pytest's hooks: what it records, how it ends, how it is judged.

``CheckRecorder`` is what a check writes to (one observation, Django's flags, its setup, the SQL
that ran); ``NotApplicable`` ends it with a reason; ``check_id_of`` reads its stable id;
``watchdog`` bounds it; ``judge`` turns how it ended into a :class:`~harness.results.CheckResult`,
a pure function of what it is given (the claims table among them), so it is tested without pytest.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from harness.redaction import redact
from harness.results import CheckResult, JSONValue, Outcome

if TYPE_CHECKING:
    from harness.claims import ClaimsTable
    from harness.versions import Target


class NotApplicable(Exception):
    """The check cannot be run on this cell; the message is the reason, one full sentence."""


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


@dataclass(frozen=True)
class CheckEnd:
    """How one check ended, as the plugin saw it."""

    check_id: str
    duration: float
    recorder: CheckRecorder | None
    raised: BaseException | None = None
    phase: str = "call"  # setup, call or teardown
    timed_out: float | None = None  # the limit, when the watchdog fired
    skip: tuple[Outcome, str | None] | None = None  # the cell's outcome for every check, when it did not run
    lost: str | None = None  # "server lost during ...", when the server no longer answered


def looks_like_lost_connection(end: CheckEnd) -> bool:
    """Whether the check's error, raised or observed, may be the server going away (then it is no finding)."""
    if end.raised is not None and not isinstance(end.raised, NotApplicable):
        return True
    observed = end.recorder.observed if end.recorder is not None else None
    return isinstance(observed, str) and observed.endswith(("OperationalError", "InterfaceError"))


def error_text(end: CheckEnd) -> str:
    """The check's error as one line: the exception raised, or the one it observed."""
    if end.raised is not None:
        return "".join(traceback.format_exception_only(type(end.raised), end.raised)).strip()
    return str(end.recorder.observed) if end.recorder is not None else ""


def judge(end: CheckEnd, claims: ClaimsTable, target: Callable[[], Target], secrets: list[str]) -> CheckResult:
    """The check's result: its outcome against the claims for ``target``, with what it recorded."""
    base: dict[str, Any] = {
        "id": end.check_id,
        "behaviour": end.check_id.split(".", 1)[0],
        "duration": round(end.duration, 4),
    }
    recorder = end.recorder
    if recorder is not None:
        base.update(flags=recorder.flags, setup=recorder.setup, sql=[redact(s, secrets) for s in recorder.sql])
    if end.skip is not None:
        return CheckResult(**base, outcome=end.skip[0], reason=end.skip[1])
    if end.timed_out is not None:
        return CheckResult(
            **base,
            outcome=Outcome.HARNESS_ERROR,
            error=f"the check did not finish within {end.timed_out:g}s (--dbcompat-check-timeout); "
            "its statement was cancelled",
        )
    if end.lost is not None:
        return CheckResult(**base, outcome=Outcome.HARNESS_ERROR, error=end.lost)
    if isinstance(end.raised, NotApplicable):
        return CheckResult(**base, outcome=Outcome.NOT_APPLICABLE, reason=str(end.raised))
    if end.raised is not None:
        text = error_text(end)
        if end.phase == "teardown":
            text = f"cleaning up after the check failed: {text}"
        return CheckResult(**base, outcome=Outcome.HARNESS_ERROR, error=redact(text, secrets))
    if recorder is None or not recorder.has_observation:
        return CheckResult(**base, outcome=Outcome.HARNESS_ERROR, error="the check finished without observing anything")
    where = target()
    judgement = claims.judge(end.check_id, recorder.observed, where)
    claim = judgement.claim
    return CheckResult(
        **base,
        outcome=judgement.outcome,
        observed=recorder.observed,
        expected=judgement.expected,
        claim=claim.statement if claim else None,
        source=claim.source.cite(where.django_version) if claim else None,
        source_url=claim.source.url(where.django_version) if claim else None,
    )


class Watchdog:
    """What ``watchdog`` yields: ``fired`` is the limit once it fired."""

    fired: float | None = None


@contextmanager
def watchdog(limit: float, cancel: Callable[[], None]) -> Iterator[Watchdog]:
    """Call ``cancel`` (from a timer thread) if the block is still running after ``limit`` seconds."""
    dog = Watchdog()

    def bite() -> None:
        dog.fired = limit
        cancel()

    timer = threading.Timer(limit, bite)
    timer.daemon = True
    timer.start()
    try:
        yield dog
    finally:
        timer.cancel()
