"""Connections: what Django sets up on each one, and how it reuses them.

- ``connections.conn_max_age_reuse``: whether a connection survives the end of a request
  (``close_if_unusable_or_obsolete()``) with CONN_MAX_AGE 0 and with None.
- ``connections.session_time_zone``: the session time zone of Django's connection with USE_TZ = True.
- ``connections.client_encoding``: the character set the session talks in.
- ``connections.init_command``: what a value set by OPTIONS["init_command"] reads back as.
- ``connections.isolation_option``: the isolation level inside a transaction with OPTIONS isolation_level
  "serializable", named as the server resolves it (MySQL's "SERIALIZABLE" and PostgreSQL's "serializable"
  are one level); the server's own spelling is kept with the result.
- ``connections.health_check``: after the server closed a kept connection, what the next request's first
  query does with CONN_HEALTH_CHECKS on and off (not applicable through a pooler in transaction mode, where a
  kept connection has no server session of its own).
- ``raw-sql.dict_params``: what ``Manager.raw()`` with ``%(name)s`` and a dict of parameters returns.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, cast

import pytest

from harness.checks import CheckRecorder
from suites.models import Person
from suites.outcomes import class_name, outcome_of, value_or_error
from suites.test_transactions import isolation_level_name

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.backends import Backend
    from harness.fixtures import ConfigureConnection, CreateTables

# Seconds the health check waits for the server to close a session it was told to close.
SESSION_CLOSE_WAIT = 5.0


def kept_after_request(wrapper: BaseDatabaseWrapper) -> bool | str:
    """Whether the connection outlives the request, or the error opening it gave: opening is part of what is
    observed, since Django refuses some settings together (persistent connections with a connection pool)."""

    def kept() -> bool:
        wrapper.ensure_connection()
        before = wrapper.connection
        wrapper.close_if_unusable_or_obsolete()  # what Django does when a request finishes
        return bool(wrapper.connection is not None and wrapper.connection is before)

    return value_or_error(kept)


@pytest.mark.check("connections.conn_max_age_reuse")
def test_conn_max_age_reuse(check: CheckRecorder, configured_connection: ConfigureConnection) -> None:
    check.observe(
        {
            "0": kept_after_request(configured_connection(CONN_MAX_AGE=0)),
            "None": kept_after_request(configured_connection(CONN_MAX_AGE=None)),
        }
    )


def read_one(wrapper: BaseDatabaseWrapper, sql: str) -> object:
    with wrapper.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@pytest.mark.check("connections.session_time_zone")
def test_session_time_zone(check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend) -> None:
    sql = backend.session_time_zone_query()
    with check.step("connect"):
        connection.ensure_connection()
    check.observe(read_one(connection, sql))


@pytest.mark.check("connections.client_encoding")
def test_client_encoding(check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend) -> None:
    sql = backend.client_encoding_sql()
    with check.step("connect"):
        connection.ensure_connection()
    check.observe(read_one(connection, sql))


@pytest.mark.check("connections.init_command")
def test_init_command(check: CheckRecorder, backend: Backend, configured_connection: ConfigureConnection) -> None:
    command, query = backend.init_command_probe()
    check.note("init_command", command)
    wrapper = configured_connection(OPTIONS={"init_command": command})
    # Connecting is part of what is observed: the option is run (or refused) as the connection opens.
    check.observe(value_or_error(lambda: read_one(wrapper, query)))


@pytest.mark.check("connections.isolation_option")
def test_isolation_option(check: CheckRecorder, backend: Backend, configured_connection: ConfigureConnection) -> None:
    # The option first: where there is none, the reason is the option's.
    option = backend.isolation_option("serializable")
    sql = backend.isolation_level_sql()
    wrapper = configured_connection(OPTIONS={"isolation_level": option})
    # Connecting is part of what is observed: Django applies the option as the connection opens.
    opened = outcome_of(wrapper.ensure_connection)
    if opened != "ok":
        check.observe(opened)
        return
    # The level applies to transactions (psycopg sets it as each one begins): read inside one.
    with check.step("begin a transaction"):
        wrapper.set_autocommit(False)
    try:
        raw = read_one(wrapper, sql)
    except Exception as exc:
        level = class_name(exc)
    else:
        check.note("isolation level, as the server names it", str(raw))
        level = isolation_level_name(str(raw))
    finally:
        with check.step("roll the transaction back"):
            wrapper.rollback()
            wrapper.set_autocommit(True)
    check.observe(level)


@pytest.mark.check("raw-sql.dict_params")
def test_dict_params(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    with check.step(f"create the table {Person._meta.db_table} and the row 'Fred'"):
        tables(Person)
        Person.objects.create(name="Fred")
    table, column = connection.ops.quote_name(Person._meta.db_table), connection.ops.quote_name("name")
    query = f"SELECT * FROM {table} WHERE {column} = %(name)s"
    observed = value_or_error(lambda: [p.name for p in Person.objects.raw(query, {"name": "Fred"})])
    supported = connection.features.supports_paramstyle_pyformat
    check.flag("supports_paramstyle_pyformat", supported, agrees=(observed == ["Fred"]) == supported)
    check.observe(observed)


@pytest.mark.check("connections.health_check")
def test_health_check(
    check: CheckRecorder,
    connection: BaseDatabaseWrapper,
    backend: Backend,
    configured_connection: ConfigureConnection,
    pooling: str | None,
) -> None:
    session_sql = backend.session_id_sql()
    if pooling in ("transaction", "statement"):
        # The session a statement reports is the pooled server connection it happened to run on, which the
        # pooler then gives the next transaction, of any client: closing it would close another's.
        check.not_applicable(
            f"Through a pooler in {pooling} mode a kept connection holds no server session between "
            "transactions, so there is none of its own to close from the server's side (poolers.connection_dropped "
            "has the pooler drop it instead)."
        )

    def wait_until_closed(session_id: int) -> None:
        # Closing is asynchronous on the server; the wait is bounded, and a session still there after it
        # fails the step: a connection the server never closed says nothing about the health check.
        deadline = time.monotonic() + SESSION_CLOSE_WAIT
        while read_one(connection, backend.session_count_sql(session_id)):
            if time.monotonic() >= deadline:
                raise TimeoutError(f"the server still lists session {session_id} after {SESSION_CLOSE_WAIT:g}s")
            time.sleep(0.01)

    def next_request_after_server_closed(health_checks: bool) -> str:
        wrapper = configured_connection(CONN_MAX_AGE=None, CONN_HEALTH_CHECKS=health_checks)
        # Opening a kept connection is part of what is observed: Django refuses persistent connections with
        # a connection pool (OPTIONS "pool").
        opened = outcome_of(wrapper.ensure_connection)
        if opened != "ok":
            return opened
        with check.step(f"open a kept connection (CONN_HEALTH_CHECKS {health_checks}) and end the request"):
            session_id = cast(int, read_one(wrapper, session_sql))
            wrapper.close_if_unusable_or_obsolete()  # the request ends; the connection is kept
        with check.step(f"close session {session_id} from the server's side, from another session"):
            with connection.cursor() as cursor:
                cursor.execute(backend.terminate_session_sql(session_id))
            wait_until_closed(session_id)

        def next_request() -> None:
            # Django's own start of a request (where the health check is re-armed), then its first query.
            wrapper.close_if_unusable_or_obsolete()
            read_one(wrapper, "SELECT 1" + connection.features.bare_select_suffix)

        return outcome_of(next_request)

    check.observe({"with": next_request_after_server_closed(True), "without": next_request_after_server_closed(False)})
