"""User-facing errors and the exit status each one maps to.

Every error a user can act on derives from :class:`DbcompatError`; the command
line prints its message on one line, without a traceback, and exits with its
``exit_status``. Anything else escaping is a bug in the harness.
"""

from __future__ import annotations

import math

# Exit statuses of the ``dbcompat`` command, in one place.
EXIT_OK = 0
EXIT_FINDINGS = 1  # at least one check differs from the docs
# Bad input and harness or infrastructure errors share a status: in both cases
# the run produced no trustworthy answer; the one-line message says which.
EXIT_BAD_INPUT = 2  # the matrix, a URL, an option: something the user gave
EXIT_HARNESS_ERROR = 2  # a cell ended in a harness error or could not be run
EXIT_INTERRUPTED = 130

# How a user-facing error is printed, on one line: by the command line, and by a cell's pytest, whose
# line the runner reads back as the cell's reason.
ERROR_PREFIX = "dbcompat: error: "


class DbcompatError(Exception):
    """An error the user can act on; the message names what and where."""

    exit_status = EXIT_BAD_INPUT


class MatrixError(DbcompatError):
    """The matrix file is malformed: the message names file, line and key."""


class UsageError(DbcompatError):
    """A command-line option or selection makes no sense."""


class ServerUnavailable(DbcompatError):
    """A server cannot be reached or started; its cells are 'server unavailable'."""

    exit_status = EXIT_HARNESS_ERROR


class UnsafeOperation(DbcompatError):
    """The harness was asked to touch a database it did not create."""

    exit_status = EXIT_HARNESS_ERROR


class EnvironmentBuildError(DbcompatError):
    """A cell's Python environment could not be built."""

    exit_status = EXIT_HARNESS_ERROR


def seconds_from(variable: str, raw: str, example: str, whole: bool = False) -> float:
    """A timeout given by a variable or (``--option``) an option: finite seconds above 0, else one line naming it."""
    try:
        value = float(int(raw)) if whole else float(raw)
    except ValueError:
        value = 0
    # "nan" and "inf" parse as floats, and nan is not <= 0: neither bounds anything.
    if not math.isfinite(value) or value <= 0:
        kind = "a whole number of seconds" if whole else "a number of seconds above 0"
        shown = f"{variable} {raw!r}" if variable.startswith("--") else f"{variable}={raw!r}"
        raise UsageError(f"{shown}: write {kind}, e.g. {example}")
    return value


def raise_keyboard_interrupt(signum: int, frame: object) -> None:
    """A SIGTERM handler: stop the way Ctrl-C does, so cleanup code runs."""
    raise KeyboardInterrupt
