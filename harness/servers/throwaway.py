"""Throwaway databases: created by the harness for one run, dropped afterwards.

Names carry the prefix ``dbcompat_``, a random run token and the pytest-xdist
worker, so runs and workers never share one. A :class:`Throwaway` drops only
what it created itself and refuses anything else.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from harness.backends import Backend
from harness.errors import UnsafeOperation

PREFIX = "dbcompat_"
# Names a process's throwaway databases dbcompat_<token>_<worker>; the runner sets one per cell.
RUN_TOKEN_VARIABLE = "DBCOMPAT_RUN_TOKEN"
_NAME = re.compile(r"^dbcompat_[a-z0-9_]+$")


def new_token() -> str:
    return secrets.token_hex(4)


def throwaway_name(token: str, worker: str = "main") -> str:
    name = f"{PREFIX}{token}_{worker}".lower()
    if not _NAME.match(name) or len(name) > 30:  # 30: Oracle's user name limit is the smallest
        raise UnsafeOperation(f"{name!r} is not a throwaway database name the harness would create")
    return name


def create_statements(backend: Backend, name: str, password: str = "", charset: str | None = None) -> list[str]:
    """The SQL that creates a throwaway database (an Oracle user) called ``name``."""
    _check(name)
    return backend.create_database_sql(name, password, charset)


def drop_statements(backend: Backend, name: str, force: bool = False) -> list[str]:
    """The SQL that drops a throwaway database; ``force`` also ends other sessions in it (PostgreSQL 13+)."""
    _check(name)
    return backend.drop_database_sql(name, force)


def _check(name: str) -> None:
    if not _NAME.match(name):
        raise UnsafeOperation(
            f"refusing to create or drop {name!r}: the harness only touches databases named {PREFIX}*"
        )


@dataclass
class Throwaway:
    """The throwaway databases one process created; the only ones it will drop."""

    created: set[str] = field(default_factory=set)

    def mark_created(self, name: str) -> None:
        _check(name)
        self.created.add(name)

    def drop_statements(self, backend: Backend, name: str, force: bool = False) -> list[str]:
        if name not in self.created:
            raise UnsafeOperation(
                f"refusing to drop {name!r}: this run did not create it. Drop it by hand if it is yours."
            )
        return drop_statements(backend, name, force)
