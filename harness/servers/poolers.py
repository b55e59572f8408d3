"""Connection poolers in front of a server: what a cell records of PgBouncer, from its admin console.

A pooler server of the matrix (``pooler: {name: pgbouncer, mode: transaction, in_front_of: postgres15}``)
is given by URL, or else started as a PgBouncer container in front of the container of the server it
names (harness/servers/containers.py): either way the cell's URL reaches PgBouncer, which hands the
cell's connections on to its PostgreSQL. Its version and the
settings that change what checks observe are read once per cell, on PgBouncer's admin console (the
database ``pgbouncer``), as the URL's user, who must be in its ``admin_users`` or ``stats_users``.
"""

from __future__ import annotations

import contextlib
import importlib
from dataclasses import replace
from typing import Any

from harness.matrix import Pooler, Server
from harness.results import PoolerInfo

# The admin console's database name: a connection to it talks to PgBouncer itself.
ADMIN_DATABASE = "pgbouncer"
# What a result records of the pooler's configuration (SHOW CONFIG), in its own names.
RECORDED_SETTINGS = ("pool_mode", "max_prepared_statements", "server_reset_query")


def no_container_reason(server: Server) -> str:
    """Why a pooler server names no server to start its pooler in front of, and how to give it by URL: one sentence."""
    assert server.pooler is not None
    pooler, behind = server.pooler.display_name, _behind(server)
    return (
        f"{server.id} is {behind} through {pooler} in {server.pooler.mode} pool mode, and its matrix entry names "
        f"no server for a {pooler} container to stand in front of ('pooler.in_front_of'): set {server.url_variable} "
        f"to a {pooler} in {server.pooler.mode} mode in front of a {behind}, such as "
        "postgres://postgres@127.0.0.1:6432/postgres, or name the server in 'pooler.in_front_of'."
    )


def behind_unavailable(server: Server, why: str) -> str:
    """Why the pooler's container cannot start in front of its server (``why``), and how to give it by URL."""
    assert server.pooler is not None and server.pooler.in_front_of is not None
    pooler, behind = server.pooler.display_name, server.pooler.in_front_of
    return (
        f"{server.id}: a {pooler} container starts in front of the container of {behind.id} only, and {behind.id} "
        f"has none: {why.rstrip('.')}; or set {server.url_variable} to a {pooler} in {server.pooler.mode} mode "
        f"in front of a {_behind(server)}"
    )


def _behind(server: Server) -> str:
    from harness.backends import backend_for

    return f"{backend_for(server.vendor).display_name}{f' {server.version}' if server.version else ''}"


def read_pooler(pooler: Pooler, settings: dict[str, Any], module: str, connect_timeout: float) -> PoolerInfo:
    """What PgBouncer reports of itself, read with the cell's driver (``module``) as the URL's user.

    The admin console speaks only the simple query protocol and has no transactions: the connection
    is in autocommit (psycopg2 would send BEGIN first), and psycopg 3 reads through a ClientCursor,
    which sends a statement without parameters as a simple query (psycopg2 always does). A console
    that cannot be read leaves the reason in ``unreadable``; the cell runs its checks all the same.
    """
    user = settings.get("USER") or "the default user"
    read_from = f"SHOW VERSION and SHOW CONFIG on the admin console (database {ADMIN_DATABASE}) as {user}"
    info = PoolerInfo(pooler.name, pooler.mode, read_from=read_from)
    try:
        driver, raw = _console(settings, module, connect_timeout)
    except Exception as exc:
        return _unreadable(info, f"cannot connect to the admin console: {_describe(exc)}")
    try:
        version = _rows(driver, raw, "SHOW VERSION")[0][0]
        config = {str(row[0]): row[1] for row in _rows(driver, raw, "SHOW CONFIG")}
    except Exception as exc:
        return _unreadable(info, f"the admin console refused SHOW VERSION or SHOW CONFIG: {_describe(exc)}")
    finally:
        with contextlib.suppress(Exception):  # closing is best effort; what was read stands
            raw.close()
    version = str(version)
    # A setting this release does not have (max_prepared_statements came in PgBouncer 1.21) says so.
    recorded = {name: str(config[name]) if name in config else f"(not in {version})" for name in RECORDED_SETTINGS}
    pool_mode = recorded["pool_mode"]
    mismatch = None
    if pool_mode != pooler.mode:
        mismatch = f"the matrix names {pooler.mode} pool mode, but {version} reported pool_mode {pool_mode}"
    return PoolerInfo(
        pooler.name,
        pooler.mode,
        version=version,
        pool_mode=pool_mode,
        max_prepared_statements=recorded["max_prepared_statements"],
        server_reset_query=recorded["server_reset_query"],
        read_from=read_from,
        mismatch=mismatch,
    )


def _console(settings: dict[str, Any], module: str, connect_timeout: float) -> tuple[Any, Any]:
    """The driver module and a connection in autocommit to PgBouncer's admin console, as the URL's user."""
    driver = importlib.import_module(module)
    # libpq's own options from the URL's query (sslmode, ...); Django's are not libpq's.
    options = {k: v for k, v in (settings.get("OPTIONS") or {}).items() if isinstance(v, str)}
    params = {
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
        "dbname": ADMIN_DATABASE,
        "connect_timeout": max(2, round(connect_timeout)),
    }
    raw = driver.connect(**options, **{k: v for k, v in params.items() if v is not None})
    try:
        raw.autocommit = True
    except Exception:
        raw.close()
        raise
    return driver, raw


class PoolerConsole:
    """PgBouncer's admin console, for a check that acts on the pooler itself (opened on first use)."""

    def __init__(self, settings: dict[str, Any], module: str, connect_timeout: float) -> None:
        self._settings, self._module, self._timeout = settings, module, connect_timeout
        self._opened: tuple[Any, Any] | None = None

    def drop_clients(self, database: str) -> None:
        """Drop every client and server connection of ``database`` at once, as a restart of the pooler would,
        and let new ones in again: PgBouncer's ``KILL db``, then ``RESUME db`` (new clients of a killed
        database wait until it is resumed)."""
        if '"' in database or ";" in database:
            raise ValueError(f"not a database name the admin console takes: {database!r}")
        driver, raw = self._connection()
        _rows(driver, raw, f"KILL {database}", fetch=False)
        _rows(driver, raw, f"RESUME {database}", fetch=False)

    def close(self) -> None:
        if self._opened is not None:
            with contextlib.suppress(Exception):
                self._opened[1].close()
            self._opened = None

    def _connection(self) -> tuple[Any, Any]:
        if self._opened is None:
            self._opened = _console(self._settings, self._module, self._timeout)
        return self._opened


def _rows(driver: Any, raw: Any, statement: str, fetch: bool = True) -> list[tuple[Any, ...]]:
    client_cursor = getattr(driver, "ClientCursor", None)  # psycopg 3
    cursor = client_cursor(raw) if client_cursor is not None else raw.cursor()
    try:
        cursor.execute(statement)
        return [tuple(row) for row in cursor.fetchall()] if fetch else []
    finally:
        cursor.close()


def _unreadable(info: PoolerInfo, why: str) -> PoolerInfo:
    return replace(info, unreadable=why)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__qualname__}: {' '.join(str(exc).split())}"
