"""Connection poolers in front of a server: what a cell records of PgBouncer, from its admin console.

A pooler server of the matrix (``pooler: {name: pgbouncer, mode: transaction}``) is given by URL: the
URL reaches PgBouncer, which hands the cell's connections on to its PostgreSQL. Its version and the
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
    """Why a pooler server has no container path yet, and how to give it by URL: one sentence."""
    from harness.backends import backend_for

    assert server.pooler is not None
    pooler = server.pooler.display_name
    behind = f"{backend_for(server.vendor).display_name}{f' {server.version}' if server.version else ''}"
    return (
        f"{server.id} is {behind} through {pooler} in {server.pooler.mode} pool mode, which dbcompat reaches by URL "
        f"only (no container path yet): set {server.url_variable} to a {pooler} in {server.pooler.mode} mode in "
        f"front of a {behind}, such as postgres://postgres@127.0.0.1:6432/postgres."
    )


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
    except Exception as exc:
        return _unreadable(info, f"cannot connect to the admin console: {_describe(exc)}")
    try:
        raw.autocommit = True
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


def _rows(driver: Any, raw: Any, statement: str) -> list[tuple[Any, ...]]:
    client_cursor = getattr(driver, "ClientCursor", None)  # psycopg 3
    cursor = client_cursor(raw) if client_cursor is not None else raw.cursor()
    try:
        cursor.execute(statement)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()


def _unreadable(info: PoolerInfo, why: str) -> PoolerInfo:
    return replace(info, unreadable=why)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__qualname__}: {' '.join(str(exc).split())}"
