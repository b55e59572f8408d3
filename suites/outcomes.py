"""Small helpers the checks share to turn what happened into an observation."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def class_name(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__qualname__}"


def outcome_of(action: Callable[[], object]) -> str:
    """ "ok", or the full class name of what the action raised."""
    try:
        action()
    except Exception as exc:
        return class_name(exc)
    return "ok"


def value_or_error(action: Callable[[], T]) -> T | str:
    """What the action returned, or the full class name of what it raised."""
    try:
        return action()
    except Exception as exc:
        return class_name(exc)
