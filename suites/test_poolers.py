"""Connection poolers: what a connection keeps from one transaction to the next, directly and through one.

Every check runs in every cell, so that a direct connection, PgBouncer in session mode and PgBouncer in
transaction mode show side by side (and MySQL, MariaDB and SQLite next to them). Through a pooler in
transaction mode a client holds a server connection for one transaction only (in autocommit, for one
statement), and the pooler gives the next transaction a free one: PgBouncer the one released last
(``server_round_robin = 0``), so a client alone gets its own back. A check that asks what the next
transaction sees therefore has a second client begin a transaction first (a setup step), as another
request would under load: the server connection the cell's connection used last is then busy, and the
pooler must give the next transaction another one. Directly or in session mode each client keeps a
server connection of its own, and the second client changes nothing. Each check notes the server
session (PostgreSQL's backend pid, MySQL's connection id) each statement ran in.

- ``poolers.iterator_across_transactions``: what ``QuerySet.iterator()`` (5 rows, chunks of 2) gives in
  autocommit when its second chunk is fetched by a later transaction: the rows, or the error; with
  server-side cursors (Django's default) and with DISABLE_SERVER_SIDE_CURSORS. Through a pooler in transaction
  mode the later transaction runs while a second client's transaction holds the cursor's server connection
  (its pg_cursors shows the cursor), so that it runs on another, the docs' case; the pooler picks connections,
  so that is tried up to five times, and a setup step fails if it never holds.
- ``poolers.session_setting``: for each session setting the server has (on PostgreSQL a time zone, which
  the server reports to its clients, and a statement timeout, which it does not), whether the next
  transaction still sees what a SET changed.
- ``poolers.temporary_table``: what reading a temporary table created before gives in the next
  transaction and in the second client's transaction: its row count (1), or the error.
- ``poolers.advisory_lock``: whether the server session of the next transaction, and that of the second
  client's transaction, hold a session-level advisory lock taken before.
- ``poolers.prepared_statements``: what the seventh run of a statement gives (42, or the error) once the
  driver may have prepared it (psycopg 3 prepares a statement on its sixth run with server-side binding
  only), by default and with OPTIONS server_side_binding.
- ``poolers.select_for_update_in_atomic``: what a second connection's ``select_for_update()`` of the row
  the first locked in ``atomic()`` does while that transaction runs and after it ends ("ok" or the error).

- ``poolers.connection_dropped``: with CONN_MAX_AGE None, after the pooler dropped a kept connection between
  two requests (PgBouncer's KILL of the cell's database on its admin console, which closes every client and
  server connection of it as a restart of PgBouncer would, then RESUME), what the next request's first query
  does and what the request after it does, with CONN_HEALTH_CHECKS on and off. Not applicable directly
  (``connections.health_check`` has the server close the connection instead).

Every wait is bounded: NOWAIT or a lock timeout, and a join timeout for the second thread.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from harness.checks import CheckRecorder, NotApplicable, SetupFailed
from harness.fixtures import HeldTooLong
from suites.models import Lockable, Person
from suites.outcomes import outcome_of, value_or_error

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.backends import Backend
    from harness.fixtures import ConfigureConnection, CreateTables
    from harness.servers.poolers import PoolerConsole

LOCK_WAIT = 3  # seconds a statement may wait for a row lock
TEMPORARY_TABLE = "dbcompat_pooler_temporary"


def session_of(backend: Backend, wrapper: BaseDatabaseWrapper) -> Any:
    """The server session the connection's next statement runs in; None where there is none to name."""
    try:
        sql = backend.session_id_sql()
    except NotApplicable:
        return None
    with wrapper.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def read_one(wrapper: BaseDatabaseWrapper, sql: str) -> Any:
    with wrapper.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


class SecondClient:
    """A second connection to the cell's database, which can hold a transaction open while a check reads."""

    def __init__(self, check: CheckRecorder, backend: Backend, make: ConfigureConnection) -> None:
        self.check = check
        self.backend = backend
        with check.step("open a second connection to the cell's database"):
            self.wrapper = make()
            self.wrapper.ensure_connection()

    @contextlib.contextmanager
    def in_a_transaction(self) -> Iterator[None]:
        """The second connection in a transaction that has run a statement, while the block runs.

        Afterwards it undoes what its server session may have taken over from the cell's connection
        (through a pooler in transaction mode it holds the server connection that one used), and commits.
        """
        with self.check.step("begin a transaction on the second connection and run a statement in it"):
            self.wrapper.set_autocommit(False)
            session = session_of(self.backend, self.wrapper)
            if session is None:
                read_one(self.wrapper, "SELECT 1" + self.wrapper.features.bare_select_suffix)
        if session is not None:
            self.check.note("server session: the second connection's transaction", session)
        try:
            yield
        finally:
            with self.check.step("undo the state the second connection's server session holds, and commit"):
                with self.wrapper.cursor() as cursor:
                    for statement in self.backend.discard_session_sql():
                        cursor.execute(statement)
                self.wrapper.commit()
                self.wrapper.set_autocommit(True)

    def read(self, sql: str) -> Any:
        """What ``sql`` gives in the open transaction, or the error (rolled back to a savepoint, so the
        transaction goes on)."""
        savepoint = self.wrapper.savepoint()

        def run() -> Any:
            try:
                return read_one(self.wrapper, sql)
            except Exception:
                if savepoint is not None:
                    self.wrapper.savepoint_rollback(savepoint)
                raise

        return value_or_error(run)


def note_session(check: CheckRecorder, backend: Backend, connection: BaseDatabaseWrapper, when: str) -> None:
    with check.step(f"read the server session of the cell's connection ({when})"):
        session = session_of(backend, connection)
    if session is not None:
        check.note(f"server session: the cell's connection, {when}", session)


def end_session(check: CheckRecorder, connection: BaseDatabaseWrapper) -> None:
    """Close the cell's connection, so that what it set ends with it (the next check connects afresh)."""
    with check.step("close the cell's connection, ending its session"):
        connection.close()


@pytest.mark.check("poolers.iterator_across_transactions")
def test_iterator_across_transactions(
    check: CheckRecorder,
    connection: BaseDatabaseWrapper,
    backend: Backend,
    tables: CreateTables,
    configured_connection: ConfigureConnection,
    pooling: str | None,
) -> None:
    with check.step(f"create the table {Person._meta.db_table} and 5 rows"):
        tables(Person)
        for n in range(5):  # one by one: bulk_create needs getlimit() on Django 6.0+, which pysqlite3 lacks
            Person.objects.create(name=f"p{n}")
    second = SecondClient(check, backend, configured_connection)

    # Through a pooler in transaction mode the later transaction is meant to run on another server connection
    # than the cursor's (the docs' case): the second client's open transaction holds the cursor's connection.
    # The pooler picks the connections, so the attempt is made again (a few times at most) until it does.
    def iterate(attempts: int = 1) -> list[str]:
        for attempt in range(1, attempts + 1):
            # Autocommit, no atomic(): each fetch from the cursor is a transaction of its own.
            names = Person.objects.order_by("pk").values_list("name", flat=True).iterator(chunk_size=2)
            first = [next(names), next(names)]  # the first chunk; the rest stays on the server
            with second.in_a_transaction():
                held = second.read(backend.open_cursors_sql()) if attempts > 1 else None
                if attempts > 1 and not (isinstance(held, int) and held > 0):
                    check.note("attempts: the second client's transaction not on the cursor's connection", attempt)
                    with contextlib.suppress(Exception):  # its cursor's CLOSE may land elsewhere too
                        names.close()
                    continue
                return [*first, *names]  # the second chunk, fetched by a later transaction
        with check.step("have the second client's transaction hold the server connection of the cursor"):
            raise RuntimeError(f"the pooler gave it another server connection {attempts} times")
        raise AssertionError("unreachable")  # the step raised

    attempts = PREMISE_ATTEMPTS if pooling == "transaction" else 1
    seen: dict[str, Any] = {"server-side cursors": rows_or_error(check, lambda: iterate(attempts))}
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
    try:
        seen["DISABLE_SERVER_SIDE_CURSORS"] = rows_or_error(check, iterate)
    finally:
        connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = False
    check.flag("can_use_chunked_reads", connection.features.can_use_chunked_reads)
    check.observe(seen)


# How many times iterator_across_transactions tries to have the pooler put the later transaction elsewhere.
PREMISE_ATTEMPTS = 5


def rows_or_error(check: CheckRecorder, iterate: Callable[[], list[str]]) -> list[str] | str:
    """The rows, or the class of the error iterator() raised, with the error it raised while handling another.

    Django closes the cursor when iterating ends (``cursor_iter``), an error included: a close that fails
    too raises the driver's own error, and the fetch's error is its context. Both are kept as evidence.
    """
    try:
        return iterate()
    except (NotApplicable, SetupFailed):
        raise
    except Exception as exc:
        if exc.__context__ is not None and isinstance(exc.__context__, Exception):
            check.error(exc.__context__)
        return check.error(exc)


@pytest.mark.check("poolers.session_setting")
def test_session_setting(
    check: CheckRecorder,
    connection: BaseDatabaseWrapper,
    backend: Backend,
    configured_connection: ConfigureConnection,
) -> None:
    from django.db import transaction

    settings = backend.session_settings()
    second = SecondClient(check, backend, configured_connection)
    with (
        check.step("change the session settings in a transaction"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        for set_sql, _, _ in settings.values():
            cursor.execute(set_sql)
    note_session(check, backend, connection, "after the change")
    seen: dict[str, Any] = {}
    with second.in_a_transaction():
        for name, (_, read_sql, value) in settings.items():

            def kept(name: str = name, sql: str = read_sql, value: str = value) -> bool:
                read = str(read_one(connection, sql))
                check.note(f"{name} in the next transaction (set to {value})", read)
                return read == value

            seen[name] = value_or_error(kept)
            check.note(f"{name} in the second connection's transaction", second.read(read_sql))
        note_session(check, backend, connection, "next transaction")
    end_session(check, connection)
    check.observe(seen)


@pytest.mark.check("poolers.temporary_table")
def test_temporary_table(
    check: CheckRecorder,
    connection: BaseDatabaseWrapper,
    backend: Backend,
    configured_connection: ConfigureConnection,
) -> None:
    from django.db import transaction

    create = backend.temporary_table_sql(TEMPORARY_TABLE)
    second = SecondClient(check, backend, configured_connection)
    step = f"create the temporary table {TEMPORARY_TABLE} and a row in a transaction"
    with check.step(step), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(create)
        cursor.execute(f"INSERT INTO {TEMPORARY_TABLE} (id) VALUES (1)")
    note_session(check, backend, connection, "after creating it")
    count = f"SELECT COUNT(*) FROM {TEMPORARY_TABLE}"
    with second.in_a_transaction():
        seen = {
            "next transaction": value_or_error(lambda: int(read_one(connection, count))),
            "second connection": second.read(count),
        }
        note_session(check, backend, connection, "next transaction")
    end_session(check, connection)
    check.observe(seen)


@pytest.mark.check("poolers.advisory_lock")
def test_advisory_lock(
    check: CheckRecorder,
    connection: BaseDatabaseWrapper,
    backend: Backend,
    configured_connection: ConfigureConnection,
) -> None:
    from django.db import transaction

    take, held = backend.advisory_lock_sql()
    second = SecondClient(check, backend, configured_connection)
    step = "take a session-level advisory lock in a transaction"
    with check.step(step), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(take)
    note_session(check, backend, connection, "after taking it")
    with second.in_a_transaction():
        mine = value_or_error(lambda: bool(read_one(connection, held)))
        theirs = second.read(held)
        note_session(check, backend, connection, "next transaction")
    end_session(check, connection)
    check.observe({"next transaction": mine, "second connection": _truth(theirs)})


def _truth(value: Any) -> Any:
    """1 or 0 (or True and False) as a boolean; an error's class name as it is."""
    return value if isinstance(value, str) else bool(value)


@pytest.mark.check("poolers.prepared_statements")
def test_prepared_statements(
    check: CheckRecorder,
    connection: BaseDatabaseWrapper,
    backend: Backend,
    configured_connection: ConfigureConnection,
) -> None:
    variants = backend.prepared_statement_options(connection.Database.__name__)
    second = SecondClient(check, backend, configured_connection)
    statement = "SELECT %s + 1"
    seen: dict[str, Any] = {}
    for name, options in variants.items():
        with check.step(f"open a connection with OPTIONS {options!r}"):
            wrapper = configured_connection(OPTIONS=options)
            wrapper.ensure_connection()

        def run(wrapper: BaseDatabaseWrapper = wrapper) -> Any:
            with wrapper.cursor() as cursor:
                cursor.execute(statement, [41])
                return cursor.fetchone()[0]

        with check.step(f"run {statement!r} six times ({name})"):
            for _ in range(6):
                run()
        with check.step(f"count the session's prepared statements ({name})"):
            prepared = read_one(wrapper, backend.prepared_statements_sql())
        check.note(f"prepared statements after six runs ({name})", prepared)
        with second.in_a_transaction():
            seen[name] = value_or_error(run)
    check.observe(seen)


@pytest.mark.check("poolers.select_for_update_in_atomic")
def test_select_for_update_in_atomic(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, tables: CreateTables
) -> None:
    from django.db import transaction

    with check.step(f"create the table {Lockable._meta.db_table} and its rows 1, 2 and 3"):
        tables(Lockable)
        for pk, name in ((1, "a"), (2, "b"), (3, "c")):
            Lockable.objects.create(pk=pk, name=name)
    nowait = bool(connection.features.has_select_for_update_nowait)
    check.note("the second connection asks with NOWAIT", nowait)
    check.note("lock_wait_bound_seconds", LOCK_WAIT)

    def lock_row_one() -> str:
        # On the thread's own connection: through a pooler, another client. Its BEGIN is part of what it
        # observes: SQLite's IMMEDIATE transaction mode waits for the other's lock there (Django 5.1+ docs,
        # SQLite notes > Transactions behavior).
        def locked() -> None:
            with transaction.atomic():
                bound = backend.lock_timeout_sql(LOCK_WAIT)
                if bound:
                    with connection.cursor() as cursor:
                        cursor.execute(bound)  # in the transaction: on its server connection, whatever the pooler
                list(Lockable.objects.select_for_update(nowait=nowait).filter(pk=1))
                transaction.set_rollback(True)

        return outcome_of(locked)

    stack = contextlib.ExitStack()
    with check.step("begin a transaction"):
        stack.enter_context(transaction.atomic())
    with stack:
        with check.step("lock row 1 with select_for_update() in it"):
            list(Lockable.objects.select_for_update().filter(pk=1))
        while_held = in_another_thread(check, lock_row_one)
        transaction.set_rollback(True)
    after = in_another_thread(check, lock_row_one)
    check.observe({"while the transaction runs": while_held, "after it ends": after})


def in_another_thread(check: CheckRecorder, action: Callable[[], str], timeout: float = 30.0) -> str:
    """What ``action`` returns, run in a thread of its own (with its own connection), waited for at most
    ``timeout`` seconds."""
    from django.db import connection

    done: list[str] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            with connection.execute_wrapper(check.capture):
                done.append(action())
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="dbcompat-second", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise HeldTooLong(f"the second connection did not answer within {timeout}s")
    if failures:
        raise failures[0]
    return done[0]


@pytest.mark.check("poolers.connection_dropped")
def test_connection_dropped(
    check: CheckRecorder,
    connection: BaseDatabaseWrapper,
    configured_connection: ConfigureConnection,
    pooler_console: PoolerConsole | None,
) -> None:
    if pooler_console is None:
        check.not_applicable(
            "The cell reaches its server directly: there is no pooler to drop its connection "
            "(connections.health_check observes a kept connection that the server closed)."
        )
    database = str(connection.settings_dict["NAME"])
    select_one = "SELECT 1" + connection.features.bare_select_suffix

    def after_the_pooler_dropped_it(health_checks: bool) -> dict[str, str]:
        wrapper = configured_connection(CONN_MAX_AGE=None, CONN_HEALTH_CHECKS=health_checks)
        # Opening a kept connection is part of what is observed: Django refuses persistent connections with a
        # connection pool (OPTIONS "pool").
        opened = outcome_of(wrapper.ensure_connection)
        if opened != "ok":
            return {"opening a kept connection": opened}
        with check.step(f"open a kept connection (CONN_HEALTH_CHECKS {health_checks}) and end the request"):
            read_one(wrapper, select_one)
            wrapper.close_if_unusable_or_obsolete()  # the request ends; the connection is kept
            if wrapper.connection is None:
                raise RuntimeError("Django closed the connection at the end of the request: it was not kept")
        with check.step(f"drop the pooler's connections of {database} (KILL, then RESUME, on its admin console)"):
            pooler_console.drop_clients(database)

        def request() -> None:
            # Django's own start of a request (where the health check is re-armed), then its first query.
            wrapper.close_if_unusable_or_obsolete()
            read_one(wrapper, select_one)

        return {"next request": outcome_of(request), "the request after": outcome_of(request)}

    check.observe({"with": after_the_pooler_dropped_it(True), "without": after_the_pooler_dropped_it(False)})
