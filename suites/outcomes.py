"""Small helpers the checks share to turn what happened into an observation.

An exception becomes its full class name in the observation; the server's code and message are
kept as the check's evidence (``errors`` in the result). A failed setup step or a check that is
not applicable is never turned into an observation: those pass through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from harness.checks import error_observed

T = TypeVar("T")


def class_name(exc: BaseException) -> str:
    """The exception as an observation: its full class name (its code and message kept as evidence)."""
    return error_observed(exc)


def outcome_of(action: Callable[[], object]) -> str:
    """ "ok", or the full class name of what the action raised."""
    try:
        action()
    except Exception as exc:
        return error_observed(exc)
    return "ok"


def value_or_error(action: Callable[[], T]) -> T | str:
    """What the action returned, or the full class name of what it raised."""
    try:
        return action()
    except Exception as exc:
        return error_observed(exc)
