"""How a check's end becomes its result: ``harness.checks.judge``, a pure function, and the watchdog."""

from __future__ import annotations

import threading
import time

import pytest
from packaging.version import Version

from harness.checks import CheckEnd, CheckRecorder, NotApplicable, judge, looks_like_lost_connection, watchdog
from harness.claims import Claim, ClaimsTable, Expect, Source
from harness.results import Outcome
from harness.versions import Target

CLAIMS = ClaimsTable(
    [Claim("demo.sum", "One plus one is two; SQLite is documented to say 3.", Source("ref/databases", "Demo"),
           (Expect("sqlite", 3), Expect("*", 2)))]
)  # fmt: skip
POSTGRES = Target("postgresql", Version("17"), "psycopg", Version("3.2"), Version("5.2"))
SQLITE = Target("sqlite", Version("3.46"), "sqlite3", None, Version("5.2"))


def recorded(value: object = None, *, sql: tuple[str, ...] = ()) -> CheckRecorder:
    recorder = CheckRecorder("demo.sum")
    if value is not None:
        recorder.observe(value)  # type: ignore[arg-type]
    recorder.sql.extend(sql)
    return recorder


def outcome_of(end: CheckEnd, target: Target = POSTGRES) -> tuple[Outcome, object]:
    result = judge(end, CLAIMS, lambda: target, ["S3cret"])
    return result.outcome, result.expected


def test_an_observation_is_judged_against_the_cells_claim() -> None:
    assert outcome_of(CheckEnd("demo.sum", 0.1, recorded(2))) == (Outcome.AS_DOCUMENTED, 2)
    assert outcome_of(CheckEnd("demo.sum", 0.1, recorded(2)), SQLITE) == (Outcome.DIFFERS, 3)
    assert outcome_of(CheckEnd("demo.other", 0.1, recorded(2)))[0] is Outcome.NO_CLAIM


def test_what_ends_a_check_before_judging() -> None:
    skipped = CheckEnd("demo.sum", 0, None, skip=(Outcome.UNAVAILABLE, "no Docker engine"))
    assert judge(skipped, CLAIMS, lambda: POSTGRES, []).reason == "no Docker engine"
    timed = judge(CheckEnd("demo.sum", 9, recorded(2), timed_out=5.0), CLAIMS, lambda: POSTGRES, [])
    assert timed.outcome is Outcome.HARNESS_ERROR and timed.error is not None and "within 5s" in timed.error
    lost = judge(
        CheckEnd("demo.sum", 1, recorded(), lost="server lost during demo.sum: gone"), CLAIMS, lambda: POSTGRES, []
    )
    assert (lost.outcome, lost.error) == (Outcome.HARNESS_ERROR, "server lost during demo.sum: gone")
    na = judge(
        CheckEnd("demo.sum", 0, recorded(), raised=NotApplicable("SQLite has none.")), CLAIMS, lambda: POSTGRES, []
    )
    assert (na.outcome, na.reason) == (Outcome.NOT_APPLICABLE, "SQLite has none.")
    silent = judge(CheckEnd("demo.sum", 0, recorded()), CLAIMS, lambda: POSTGRES, [])
    assert (silent.outcome, silent.error) == (Outcome.HARNESS_ERROR, "the check finished without observing anything")


def test_errors_are_redacted_and_teardown_says_so() -> None:
    raised = RuntimeError("password S3cret refused")
    result = judge(CheckEnd("demo.sum", 0, recorded(sql=("SET x = 'S3cret'",)), raised=raised, phase="teardown"),
                   CLAIMS, lambda: POSTGRES, ["S3cret"])  # fmt: skip
    assert result.error == "cleaning up after the check failed: RuntimeError: password *** refused"
    assert result.sql == ["SET x = '***'"]


def test_the_target_is_only_asked_for_when_an_observation_is_judged() -> None:
    def no_target() -> Target:
        raise AssertionError("the cell's target is not needed here")

    judge(CheckEnd("demo.sum", 0, recorded(), raised=NotApplicable("No.")), CLAIMS, no_target, [])


def test_what_may_be_a_lost_server() -> None:
    assert looks_like_lost_connection(CheckEnd("demo.sum", 0, recorded(), raised=OSError("reset")))
    assert looks_like_lost_connection(CheckEnd("demo.sum", 0, recorded("django.db.utils.OperationalError")))
    assert not looks_like_lost_connection(CheckEnd("demo.sum", 0, recorded(), raised=NotApplicable("No.")))
    assert not looks_like_lost_connection(CheckEnd("demo.sum", 0, recorded(2)))


def test_the_watchdog_bites_only_past_its_limit() -> None:
    bitten = threading.Event()
    with watchdog(0.05, bitten.set) as dog:
        assert bitten.wait(2)
    assert dog.fired == 0.05
    with watchdog(5, bitten.clear) as calm:
        time.sleep(0.01)
    assert calm.fired is None and bitten.is_set()


@pytest.mark.parametrize("value", [object(), {1, 2}])
def test_a_check_observes_json_values_only(value: object) -> None:
    with pytest.raises(TypeError, match="a check observes JSON values"):
        CheckRecorder("demo.sum").observe(value)  # type: ignore[arg-type]
