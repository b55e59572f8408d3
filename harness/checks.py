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
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from harness.redaction import redact
from harness.results import CheckResult, JSONValue, ObservedError, Outcome

if TYPE_CHECKING:
    from harness.claims import ClaimsTable
    from harness.user_suites import Suite
    from harness.versions import Target


class NotApplicable(Exception):
    """The check cannot be run on this cell; the message is the reason, one full sentence."""


class SetupFailed(Exception):
    """A step of a check's setup failed: the check ends a harness error, never with this as its observation."""

    def __init__(self, step: str, error: ObservedError) -> None:
        super().__init__(f"setup step {step!r} failed: {describe(error)}")
        self.step = step
        self.error = error


# Message length kept as evidence: enough for any server's error text, bounded for the results.
MESSAGE_LIMIT = 2000


def class_name(exc: BaseException) -> str:
    """The exception's full class name, as observations record it."""
    return f"{type(exc).__module__}.{type(exc).__qualname__}"


def observed_error(exc: BaseException) -> ObservedError:
    """What the server said in ``exc``: Django's class, the driver's class and error codes, the message.

    Django re-raises a driver's error as its own class with the driver's as ``__cause__``; the codes
    are read from the driver's exception by the attributes the DB-API drivers give them, so a
    third-party driver that follows one of them is read the same way.
    """
    driver = exc.__cause__ if type(exc).__module__ == "django.db.utils" and exc.__cause__ is not None else exc
    code: object = None
    if isinstance(getattr(driver, "sqlite_errorname", None), str):  # sqlite3 (Python 3.11+) and its forks
        code = driver.sqlite_errorname  # type: ignore[attr-defined]
    elif driver.args and hasattr(driver.args[0], "full_code"):  # oracledb: the _Error is the first argument
        code = driver.args[0].full_code
    elif isinstance(getattr(driver, "errno", None), int) and not isinstance(driver, OSError):  # Connector/Python
        code = driver.errno  # type: ignore[attr-defined]
    elif type(driver).__module__.startswith("MySQLdb") and driver.args and isinstance(driver.args[0], int):
        code = driver.args[0]  # mysqlclient: (errno, message)
    sqlstate = getattr(driver, "sqlstate", None) or getattr(driver, "pgcode", None)  # psycopg, Connector; psycopg2
    if type(driver).__module__.startswith("MySQLdb") and len(driver.args) > 1:
        message = str(driver.args[1])
    elif isinstance(getattr(driver, "msg", None), str):  # Connector/Python: str() repeats errno and SQLSTATE
        message = driver.msg  # type: ignore[attr-defined]
    else:
        message = str(driver)
    return ObservedError(
        exception=class_name(exc),
        message=message.strip()[:MESSAGE_LIMIT],
        driver_exception=class_name(driver) if driver is not exc else None,
        code=None if code is None else str(code),
        sqlstate=str(sqlstate) if isinstance(sqlstate, str) and sqlstate else None,
    )


def describe(error: ObservedError) -> str:
    """One line: the class, the codes the server gave, and its message."""
    codes = ", ".join(c for c in (error.code, error.sqlstate and f"SQLSTATE {error.sqlstate}") if c)
    return f"{error.exception}{f' [{codes}]' if codes else ''}: {error.message}"


# The recorder of the check now running in this process (one at a time: xdist workers are processes),
# so that helpers turning an exception into an observation can keep what the server said.
_running: CheckRecorder | None = None


class CheckRecorder:
    """What one check saw: the observation, Django's flags, and the SQL that ran."""

    def __init__(self, check_id: str) -> None:
        self.id = check_id
        self.observed: JSONValue = None
        self.has_observation = False
        self.flags: dict[str, JSONValue] = {}
        self.setup: dict[str, JSONValue] = {}
        self.sql: list[str] = []
        self.errors: list[ObservedError] = []

    def observe(self, value: JSONValue) -> None:
        """Record what the server and driver did (JSON-compatible values only)."""
        if self.has_observation:
            raise RuntimeError(f"check {self.id} observed twice; a check records one observation")
        self.observed = _jsonable(value)
        self.has_observation = True

    def observe_exception(self, exc: BaseException) -> None:
        """Record the full class name of an exception the server or Django raised, keeping what it said."""
        self.observe(self.error(exc))

    def error(self, exc: BaseException) -> str:
        """The exception's full class name, for an observation; its code and message are kept as evidence."""
        self.errors.append(observed_error(exc))
        return class_name(exc)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """A setup step (tables, rows, session settings), kept apart from what the check observes.

        If it fails, the check ends a harness error naming the step and the server's error, which
        is never taken as the observation. ``NotApplicable`` passes through.
        """
        try:
            yield
        except (NotApplicable, SetupFailed):
            raise
        except Exception as exc:
            raise SetupFailed(name, observed_error(exc)) from exc

    def flag(self, name: str, value: JSONValue, agrees: bool | None = None) -> None:
        """Record a Django feature flag next to the observation.

        ``agrees`` says whether what the server did is what the flag promises
        (None where the flag says nothing about this observation).
        """
        self.flags[name] = {"value": _jsonable(value), "agrees": agrees}

    def note(self, name: str, value: JSONValue) -> None:
        """Record how the check was set up (a collation, a session time zone), for a reader to reproduce it."""
        self.setup[name] = _jsonable(value)

    def not_applicable(self, reason: str) -> NoReturn:
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


# A user's suites this run collects (their ids are namespaced), and whether the built-in suites run too.
SUITES = pytest.StashKey[tuple["Suite", ...]]()
BUILTIN = pytest.StashKey[bool]()


def check_id_of(item: pytest.Item) -> str:
    """The stable id a test's ``@pytest.mark.check(...)`` gives it, parameters filled in; a user's suite's
    checks are namespaced by the suite (``shop_checks:orders.total``)."""
    from harness.user_suites import suite_of

    marker = item.get_closest_marker("check")
    if marker is None or not marker.args:
        raise pytest.UsageError(f"{item.nodeid} uses the check fixture without @pytest.mark.check(id)")
    params = getattr(getattr(item, "callspec", None), "params", {})
    local = str(marker.args[0]).format(**params)
    module = module_of(item)
    suites: tuple[Suite, ...] = item.config.stash.get(SUITES, ())
    suite = suite_of(module, suites) if module is not None else None
    return suite.namespaced(local) if suite is not None else local


def module_of(item: pytest.Item) -> str | None:
    """The name of the module a test item was collected from."""
    module = getattr(item, "module", None)
    return getattr(module, "__name__", None)


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


@contextmanager
def recording(recorder: CheckRecorder) -> Iterator[CheckRecorder]:
    """Make ``recorder`` the running check's, for :func:`error_observed`."""
    global _running
    _running = recorder
    try:
        yield recorder
    finally:
        _running = None


def error_observed(exc: BaseException) -> str:
    """The exception's full class name as an observation, its code and message kept by the running check."""
    if isinstance(exc, NotApplicable | SetupFailed):
        raise exc
    if _running is None:
        return class_name(exc)
    return _running.error(exc)


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
        base.update(errors=[_redacted(e, secrets) for e in recorder.errors])
    if end.skip is not None:
        return CheckResult(**base, outcome=end.skip[0], reason=end.skip[1])
    if end.lost is not None:
        return CheckResult(**base, outcome=Outcome.HARNESS_ERROR, error=end.lost)
    if end.timed_out is not None:
        what = "cleaning up after the check" if end.phase == "teardown" else "the check"
        return CheckResult(
            **base,
            outcome=Outcome.HARNESS_ERROR,
            error=f"{what} did not finish within {end.timed_out:g}s (--dbcompat-check-timeout); "
            "its statement was cancelled",
        )
    if isinstance(end.raised, NotApplicable):
        return CheckResult(**base, outcome=Outcome.NOT_APPLICABLE, reason=str(end.raised))
    if isinstance(end.raised, SetupFailed):
        # The setup's error is the whole evidence: whatever was observed before it is not the check's answer.
        failed = _redacted(end.raised.error, secrets)
        return CheckResult(
            **{**base, "errors": [failed]},
            outcome=Outcome.HARNESS_ERROR,
            error=f"setup step {end.raised.step!r} failed: {describe(failed)}",
            failed_step=end.raised.step,
        )
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
    explanation = judgement.explanation
    return CheckResult(
        **base,
        outcome=judgement.outcome,
        observed=recorder.observed,
        expected=judgement.expected,
        claim=claim.statement if claim else None,
        source=claim.source.cite(where.django_version) if claim else None,
        source_url=claim.source.url(where.django_version) if claim else None,
        applies_by=judgement.applies_by,
        explanation=explanation.text if explanation else None,
        explanation_source=explanation.source if explanation else None,
        explanation_url=explanation.url if explanation else None,
    )


def _redacted(error: ObservedError, secrets: list[str]) -> ObservedError:
    return replace(error, message=redact(error.message, secrets))


class Watchdog:
    """What ``watchdog`` yields: ``fired`` is the limit once it fired; ``abandoned`` once the cancel went unanswered."""

    fired: float | None = None
    abandoned: bool = False


@contextmanager
def watchdog(
    limit: float,
    cancel: Callable[[], None],
    abandon: Callable[[], None] | None = None,
    grace: float = 10.0,
) -> Iterator[Watchdog]:
    """Call ``cancel`` (from a timer thread) if the block is still running after ``limit`` seconds.

    A cancel needs an answer from the server; one that stopped answering gives none. If the block
    is still running ``grace`` seconds after the cancel, ``abandon`` gives up its connection.
    """
    dog = Watchdog()
    done = threading.Event()

    def give_up() -> None:
        if not done.is_set() and abandon is not None:
            dog.abandoned = True
            abandon()

    second = threading.Timer(grace, give_up)
    second.daemon = True

    def bite() -> None:
        dog.fired = limit
        second.start()  # before cancelling: the cancel itself may hang
        cancel()

    timer = threading.Timer(limit, bite)
    timer.daemon = True
    timer.start()
    try:
        yield dog
    finally:
        done.set()
        timer.cancel()
        second.cancel()
