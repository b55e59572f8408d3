"""PostgreSQL 15 directly and through PgBouncer in session and in transaction mode, run for real side by side.

One ``run_cells`` call: ``postgres15``, ``postgres15-pgbouncer-session`` and ``postgres15-pgbouncer-tx`` (each
given by URL: the host's PostgreSQL 15 and two PgBouncers in front of it) with psycopg 3 and psycopg2, and
SQLite and MariaDB 10.11 for the contrast, on Django 5.2 (the docs' text on poolers is the same in 4.2, 5.2,
6.0 and 6.1). ``OBSERVATIONS`` says what each check of ``suites/test_poolers.py`` observes where, and why:
every ``why`` cites PgBouncer's documentation (pgbouncer.org, Features > SQL feature map for pooling modes;
the configuration reference, pgbouncer.ini), PostgreSQL's, or Django's own docs or source.

In CI (.ci/run) the URLs point at PgBouncers on 127.0.0.1:6432 (transaction) and :6433 (session). Locally,
start two (Debian's pgbouncer package; ``[databases] * = host=127.0.0.1 port=5432``, ``admin_users =
postgres``) and export ``DBCOMPAT_URL_POSTGRES15_PGBOUNCER_TX`` and ``DBCOMPAT_URL_POSTGRES15_PGBOUNCER_SESSION``.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from harness.results import CellResult, CellStatus, CheckResult, Outcome
from harness.runner import default_jobs, run_cells
from harness.versions import leading_version

pytestmark = pytest.mark.live

RUN_TOKEN = "pool1"
URLS = {
    "postgres15": "DBCOMPAT_URL_POSTGRES15",
    "postgres15-pgbouncer-session": "DBCOMPAT_URL_POSTGRES15_PGBOUNCER_SESSION",
    "postgres15-pgbouncer-tx": "DBCOMPAT_URL_POSTGRES15_PGBOUNCER_TX",
    "mariadb1011": "DBCOMPAT_URL_MARIADB1011",
}
MODES = {"postgres15-pgbouncer-session": "session", "postgres15-pgbouncer-tx": "transaction"}
PAIRS = (
    "postgres15-psycopg",
    "postgres15-psycopg2",
    "postgres15-pgbouncer-session-psycopg",
    "postgres15-pgbouncer-session-psycopg2",
    "postgres15-pgbouncer-tx-psycopg",
    "postgres15-pgbouncer-tx-psycopg2",
    "sqlite-sqlite3",
    "mariadb1011-mysqlclient",
)
DJANGO = "django52"
POOLER_CHECKS = {
    "poolers.iterator_across_transactions",
    "poolers.session_setting",
    "poolers.temporary_table",
    "poolers.advisory_lock",
    "poolers.prepared_statements",
    "poolers.select_for_update_in_atomic",
    "poolers.connection_dropped",
}


@pytest.fixture(scope="module", params=["url", "container"])
def results(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, server_image: Any
) -> dict[str, CellResult]:
    """The cells, run by URL (the host's PostgreSQL 15 and PgBouncers) or in containers (a PgBouncer container in
    front of a PostgreSQL 15 container, both from the images ``dbcompat images build`` makes)."""
    from tests.conftest import ROOT_MATRIX, live_url

    environ = {**os.environ, "DBCOMPAT_RUN_TOKEN": f"{RUN_TOKEN}{request.param[0]}"}
    environ.update({variable: live_url(variable) for variable in URLS.values()})
    if request.param == "container":
        for server in (*MODES, "postgres15"):
            environ.pop(URLS[server])
        environ["DBCOMPAT_IMAGE_POSTGRES15"] = server_image("postgres15")
        environ["DBCOMPAT_IMAGE_PGBOUNCER"] = server_image("pgbouncer")
    folder = tmp_path_factory.mktemp("results")
    cells = ROOT_MATRIX.select([f"{pair}-{DJANGO}" for pair in PAIRS])
    summary = run_cells(ROOT_MATRIX, cells, Path(folder), environ=environ, say=lambda line: None, jobs=default_jobs())
    return {result.cell.removesuffix(f"-{DJANGO}"): result for result in summary.results}


def check_of(result: CellResult, check_id: str) -> CheckResult:
    (found,) = [c for c in result.checks if c.id == check_id]
    return found


# -- the run as a whole -------------------------------------------------------------------------------------


def test_every_cell_runs_every_check_without_harness_errors(results: dict[str, CellResult]) -> None:
    assert sorted(results) == sorted(PAIRS)
    for cell, result in results.items():
        assert result.status is CellStatus.RAN, (cell, result.reason)
        assert {c.id for c in result.checks} >= POOLER_CHECKS, cell
        for check in result.checks:
            assert check.outcome is not Outcome.HARNESS_ERROR, (cell, check.id, check.failed_step, check.error)
            if check.outcome is Outcome.NOT_APPLICABLE:
                assert check.reason and check.reason.endswith("."), (cell, check.id)


def test_every_finding_is_explained(results: dict[str, CellResult]) -> None:
    from tests.conftest import unexplained_findings

    assert unexplained_findings(results) == []


def test_the_pooler_is_recorded(results: dict[str, CellResult]) -> None:
    for cell, result in results.items():
        server = result.server
        if server.id not in MODES:
            assert server.pooler is None, cell
            continue
        pooler = server.pooler
        assert pooler is not None, cell
        if server.provider == "url":
            assert server.origin.startswith(URLS[server.id] + "="), (cell, server.origin)
            assert pooler.image is None, (cell, pooler)
        else:
            # A PgBouncer container in front of the container the postgres15 cells of this run use.
            assert server.provider == "container", (cell, server.provider)
            behind = results["postgres15-psycopg"].server
            assert pooler.image == "dbcompat/pgbouncer:1.24" and server.image == behind.image, (cell, pooler, server)
            assert server.origin == f"PgBouncer container {pooler.image} in front of postgres15 ({behind.origin})"
        # The server behind it is a PostgreSQL 15, as the matrix says.
        assert (server.version_reported or "").startswith("15."), (cell, server.version_reported)
        assert server.version_mismatch is None, (cell, server.version_mismatch)
        assert (pooler.name, pooler.mode) == ("pgbouncer", MODES[server.id]), (cell, pooler)
        assert pooler.unreadable is None and pooler.mismatch is None, (cell, pooler)
        assert pooler.read_from and "admin console" in pooler.read_from, (cell, pooler.read_from)
        # SHOW VERSION answers "PgBouncer 1.18.0"; SHOW CONFIG lists pool_mode and server_reset_query, whose
        # default is DISCARD ALL (pgbouncer.ini reference, server_reset_query), and max_prepared_statements
        # from 1.21 on (PgBouncer 1.21.0 changelog): older releases are recorded as not having it.
        version = leading_version(pooler.version or "")
        assert (pooler.version or "").startswith("PgBouncer ") and version is not None, (cell, pooler.version)
        assert pooler.pool_mode == MODES[server.id], (cell, pooler)
        assert pooler.server_reset_query == "DISCARD ALL", (cell, pooler)
        if version < Version("1.21"):
            assert pooler.max_prepared_statements == f"(not in {pooler.version})", (cell, pooler)
        else:
            assert (pooler.max_prepared_statements or "").isdigit(), (cell, pooler)


def test_the_claims_are_matched_against_the_pool_mode(results: dict[str, CellResult]) -> None:
    # ref/databases, PostgreSQL notes > Transaction pooling and server-side cursors: a claim for transaction
    # and session pooling, none for a direct connection or another vendor.
    for cell, result in results.items():
        check = check_of(result, "poolers.iterator_across_transactions")
        if result.server.id in MODES:
            assert check.outcome is Outcome.AS_DOCUMENTED, (cell, check.outcome, check.observed)
            assert (
                check.source
                == "Django 5.2 docs, ref/databases, PostgreSQL notes > Transaction pooling and server-side cursors"
            )
        else:
            assert check.outcome is Outcome.NO_CLAIM, (cell, check.outcome)


def test_every_other_check_sees_through_the_pooler_what_it_sees_directly(results: dict[str, CellResult]) -> None:
    # Outside the pooler checks nothing depends on which server connection runs a statement: one client at a
    # time gets back the server connection it released last (pgbouncer.ini, server_round_robin: LIFO by
    # default), and each transaction keeps one throughout (Features: transaction pooling). Only the health
    # check cannot be set up in transaction mode (its reason says why).
    for driver in ("psycopg", "psycopg2"):
        direct = {c.id: c for c in results[f"postgres15-{driver}"].checks}
        for server, mode in MODES.items():
            for check in results[f"{server}-{driver}"].checks:
                if check.id in POOLER_CHECKS:
                    continue
                if check.id == "connections.health_check" and mode == "transaction":
                    assert check.outcome is Outcome.NOT_APPLICABLE, check
                    assert "transaction mode" in (check.reason or ""), check.reason
                    continue
                seen = direct[check.id]
                assert (check.outcome, check.observed) == (seen.outcome, seen.observed), (server, driver, check.id)


# -- what each pooler check observes, where, and why ---------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    check: str
    cells: tuple[str, ...]  # fnmatch patterns over the cells (server-driver)
    observed: Any
    why: str

    def covers(self, cell: str) -> bool:
        return any(fnmatch.fnmatchcase(cell, pattern) for pattern in self.cells)


DIRECT = "postgres15-psycopg*"
SESSION = "postgres15-pgbouncer-session-*"
TX = "postgres15-pgbouncer-tx-*"
ROWS = ["p0", "p1", "p2", "p3", "p4"]
OPERATIONAL = "django.db.utils.OperationalError"
PROGRAMMING = "django.db.utils.ProgrammingError"
WITH_HOLD = (
    "Django declares iterator()'s cursor WITH HOLD in autocommit (postgresql/base.py, create_cursor), which "
    "PgBouncer's transaction pooling never supports (Features, SQL feature map: WITH HOLD CURSOR); the later "
    "fetch runs on another server connection, where the cursor does not exist (SQLSTATE 34000)"
)

OBSERVATIONS = (
    Seen(
        "poolers.iterator_across_transactions",
        (DIRECT, SESSION, "sqlite-*", "mariadb*"),
        {"server-side cursors": ROWS, "DISABLE_SERVER_SIDE_CURSORS": ROWS},
        "A session-mode pooler assigns a server connection to a client for as long as it stays connected (PgBouncer, "
        "Features: session pooling), and a direct connection is its own session, so a WITH HOLD cursor is there for "
        "the next transaction; Django has server-side cursors on PostgreSQL only (ref/databases, Server-side "
        "cursors): SQLite and MariaDB fetch every chunk from a client-side cursor.",
    ),
    Seen(
        "poolers.iterator_across_transactions",
        ("postgres15-pgbouncer-tx-psycopg",),
        {"server-side cursors": "psycopg.errors.InvalidCursorName", "DISABLE_SERVER_SIDE_CURSORS": ROWS},
        f"{WITH_HOLD}; Django's cursor_iter closes the cursor in a finally block, whose CLOSE fails the same way "
        "and raises psycopg's own error (Django wraps only fetches); DISABLE_SERVER_SIDE_CURSORS fetches every row "
        "in the first transaction (ref/settings, DISABLE_SERVER_SIDE_CURSORS).",
    ),
    Seen(
        "poolers.iterator_across_transactions",
        ("postgres15-pgbouncer-tx-psycopg2",),
        {"server-side cursors": "psycopg2.errors.InvalidCursorName", "DISABLE_SERVER_SIDE_CURSORS": ROWS},
        f"{WITH_HOLD}; psycopg2's close() of the named cursor sends CLOSE, which fails the same way and raises "
        "psycopg2's own error; DISABLE_SERVER_SIDE_CURSORS fetches every row in the first transaction.",
    ),
    Seen(
        "poolers.session_setting",
        (DIRECT, SESSION),
        {"TimeZone": True, "statement_timeout": True},
        "A session keeps what SET changed until it ends (PostgreSQL docs, SET), and a session-mode pooler keeps the "
        "client's server connection (Features: session pooling; SET/RESET supported).",
    ),
    Seen(
        "poolers.session_setting",
        (TX,),
        {"TimeZone": True, "statement_timeout": False},
        "Transaction pooling never supports SET/RESET (Features, SQL feature map): statement_timeout stays on the "
        "server connection the SET ran on; TimeZone is one of the parameters PgBouncer tracks per client and sets "
        "again on whichever server connection the client gets (Features, note on startup parameters: "
        "client_encoding, datestyle, timezone, standard_conforming_strings, application_name).",
    ),
    Seen(
        "poolers.session_setting",
        ("sqlite-*",),
        {"cache_size": True},
        "cache_size is a pragma of the connection (SQLite docs, PRAGMA cache_size), which the next transaction uses.",
    ),
    Seen(
        "poolers.session_setting",
        ("mariadb*",),
        {"time_zone": True, "wait_timeout": True},
        "Session variables last for the session (MariaDB docs, SET), and Django's connection is one.",
    ),
    Seen(
        "poolers.temporary_table",
        (DIRECT, SESSION, "mariadb*"),
        {"next transaction": 1, "second connection": PROGRAMMING},
        "A temporary table belongs to the session that created it (PostgreSQL docs, CREATE TABLE > TEMPORARY; "
        "MariaDB, CREATE TEMPORARY TABLE), which session pooling keeps for the client (Features: PRESERVE/DELETE "
        "ROWS temp tables, session: yes); another session does not see it.",
    ),
    Seen(
        "poolers.temporary_table",
        (TX,),
        {"next transaction": PROGRAMMING, "second connection": 1},
        "Transaction pooling never supports PRESERVE/DELETE ROWS temporary tables (Features, SQL feature map): the "
        "table stays on the server connection, which the second client got (LIFO reuse, pgbouncer.ini "
        "server_round_robin), while the next transaction of the cell's connection ran on another.",
    ),
    Seen(
        "poolers.temporary_table",
        ("sqlite-*",),
        {"next transaction": 1, "second connection": "django.db.utils.OperationalError"},
        "A TEMP table is in the connection's temp database (SQLite docs, CREATE TABLE > temporary tables): another "
        "connection finds no such table, an OperationalError in Python's sqlite3.",
    ),
    Seen(
        "poolers.advisory_lock",
        (DIRECT, SESSION, "mariadb*"),
        {"next transaction": True, "second connection": False},
        "A session-level advisory lock is held until released or the session ends (PostgreSQL docs, Advisory Locks; "
        "MariaDB, GET_LOCK), and session pooling keeps the session for the client.",
    ),
    Seen(
        "poolers.advisory_lock",
        (TX,),
        {"next transaction": False, "second connection": True},
        "Transaction pooling does not support session-level advisory locks (Features, SQL feature map): the lock "
        "stays with the server session, which the second client's transaction got.",
    ),
    Seen(
        "poolers.prepared_statements",
        ("postgres15-psycopg", "postgres15-pgbouncer-session-psycopg"),
        {"default": 42, "server_side_binding": 42, "server_side_binding, prepare_threshold 5": 42},
        "A prepared statement lasts for the session (PostgreSQL docs, PREPARE), which session pooling keeps "
        "(Features: protocol-level prepared plans, session: yes).",
    ),
    Seen(
        "poolers.prepared_statements",
        ("postgres15-psycopg2", "postgres15-pgbouncer-*-psycopg2"),
        {"default": 42, "server_side_binding": 42},
        "psycopg2 never prepares statements and ignores server_side_binding (ref/databases, Server-side parameters "
        "binding: 'This option is ignored with psycopg2'); it has no prepare_threshold.",
    ),
    Seen(
        "poolers.select_for_update_in_atomic",
        (DIRECT, SESSION, TX, "mariadb*"),
        {"while the transaction runs": OPERATIONAL, "after it ends": "ok"},
        "A row lock lasts until the transaction ends (PostgreSQL docs, Explicit Locking > Row-Level Locks; MariaDB, "
        "SELECT ... FOR UPDATE), and every pooling mode keeps a client's server connection for the whole "
        "transaction (Features: transaction pooling assigns a server connection for the duration of a transaction).",
    ),
    Seen(
        "poolers.connection_dropped",
        (SESSION, TX),
        {
            "with": {"next request": "ok", "the request after": "ok"},
            "without": {"next request": OPERATIONAL, "the request after": "ok"},
        },
        "PgBouncer's KILL drops every client connection of the database at once (PgBouncer docs, Admin console > "
        "KILL db), the kept one too. With CONN_HEALTH_CHECKS Django checks a kept connection before the request's "
        "first query and reconnects when the check fails; without, the first query fails, and Django closes the "
        "connection that had the error at the next request (ref/databases, Connection management; Django's "
        "close_if_unusable_or_obsolete), so the request after works.",
    ),
    Seen(
        "poolers.select_for_update_in_atomic",
        ("sqlite-*",),
        {"while the transaction runs": "ok", "after it ends": "ok"},
        "SQLite has no SELECT ... FOR UPDATE (Django's has_select_for_update is False): a reading transaction takes "
        "a shared lock only (SQLite docs, File Locking), which does not keep another reader out.",
    ),
)


def prepared_statements_kept(result: CellResult) -> bool:
    """Whether the pooler keeps protocol-level prepared statements across server connections (PgBouncer 1.21+
    with max_prepared_statements above 0; pgbouncer.ini reference, max_prepared_statements)."""
    pooler = result.server.pooler
    value = pooler.max_prepared_statements if pooler is not None else None
    return bool(value and value.isdigit() and int(value) > 0)


def test_prepared_statements_through_transaction_pooling(results: dict[str, CellResult]) -> None:
    result = results["postgres15-pgbouncer-tx-psycopg"]
    check = check_of(result, "poolers.prepared_statements")
    # Django turns psycopg 3's prepared statements off ("to keep connection poolers working", prepare_threshold
    # None; postgresql/base.py) unless OPTIONS asks for them: then the sixth run prepares the statement on one
    # server connection, and the seventh, on another, finds none there (SQLSTATE 26000), unless PgBouncer tracks
    # prepared statements itself (1.21+, max_prepared_statements).
    wanted = 42 if prepared_statements_kept(result) else PROGRAMMING
    assert check.observed == {
        "default": 42,
        "server_side_binding": 42,
        "server_side_binding, prepare_threshold 5": wanted,
    }
    if wanted == PROGRAMMING:
        assert [(e.sqlstate, "_pg3_" in e.message) for e in check.errors] == [("26000", True)], check.errors


def test_django_prepares_only_when_asked(results: dict[str, CellResult]) -> None:
    # On a direct connection (pg_prepared_statements lists the session's; PostgreSQL docs, pg_prepared_statements):
    # none by default nor with server_side_binding alone, one with prepare_threshold 5.
    check = check_of(results["postgres15-psycopg"], "poolers.prepared_statements")
    assert check.setup["prepared statements after six runs (default)"] == 0
    assert check.setup["prepared statements after six runs (server_side_binding)"] == 0
    assert check.setup["prepared statements after six runs (server_side_binding, prepare_threshold 5)"] == 1


def test_the_tx_cursor_errors_are_kept_as_evidence(results: dict[str, CellResult]) -> None:
    # The fetch fails first (Django's class, the driver's as its cause), then the cursor's close: both are kept,
    # each with the server's SQLSTATE 34000 (invalid_cursor_name; PostgreSQL docs, Appendix A).
    for driver in ("psycopg", "psycopg2"):
        check = check_of(results[f"postgres15-pgbouncer-tx-{driver}"], "poolers.iterator_across_transactions")
        assert len(check.errors) == 2, check.errors
        fetch, close = check.errors
        assert fetch.exception.startswith("django.db.utils.") and fetch.driver_exception, fetch
        assert close.exception == f"{driver}.errors.InvalidCursorName", close
        assert all(e.sqlstate == "34000" and "does not exist" in e.message for e in check.errors), check.errors


def test_which_server_session_each_transaction_ran_in(results: dict[str, CellResult]) -> None:
    # The notes name the server session (pg_backend_pid) of each statement. Through transaction pooling the
    # second client's transaction got the server connection the cell's connection used last (LIFO reuse,
    # pgbouncer.ini server_round_robin) and the cell's next transaction another one; directly and through
    # session pooling each client keeps its own (Features: session pooling).
    for check_id, when in (
        ("poolers.temporary_table", "after creating it"),
        ("poolers.advisory_lock", "after taking it"),
        ("poolers.session_setting", "after the change"),
    ):
        for cell, result in results.items():
            if not cell.startswith("postgres15"):
                continue
            setup = check_of(result, check_id).setup
            before = setup[f"server session: the cell's connection, {when}"]
            second = setup["server session: the second connection's transaction"]
            after = setup["server session: the cell's connection, next transaction"]
            if result.server.id == "postgres15-pgbouncer-tx":
                assert second == before != after, (cell, check_id, setup)
            else:
                assert before == after != second, (cell, check_id, setup)


def test_a_setting_goes_with_the_server_connection_in_transaction_mode(results: dict[str, CellResult]) -> None:
    # What SET statement_timeout changed, the second client's transaction saw: it ran on that server connection.
    for driver in ("psycopg", "psycopg2"):
        setup = check_of(results[f"postgres15-pgbouncer-tx-{driver}"], "poolers.session_setting").setup
        assert setup["statement_timeout in the next transaction (set to 1h)"] == "0", setup
        assert setup["statement_timeout in the second connection's transaction"] == "1h", setup
        # TimeZone is tracked per client: the second client sees its own (Django's UTC).
        assert setup["TimeZone in the second connection's transaction"] == "UTC", setup


def test_the_observations_cover_every_pooler_check() -> None:
    assert {entry.check for entry in OBSERVATIONS} <= POOLER_CHECKS
    assert all(entry.why.endswith(".") for entry in OBSERVATIONS)


def test_no_two_observations_say_different_things_of_one_cell(results: dict[str, CellResult]) -> None:
    for cell in results:
        for check_id in POOLER_CHECKS:
            entries = [entry for entry in OBSERVATIONS if entry.check == check_id and entry.covers(cell)]
            assert len(entries) <= 1, (cell, check_id, [entry.cells for entry in entries])


@pytest.mark.parametrize("expected", OBSERVATIONS, ids=lambda e: f"{e.check}[{'|'.join(e.cells)}]")
def test_observation(results: dict[str, CellResult], expected: Seen) -> None:
    cells = [result for cell, result in results.items() if expected.covers(cell)]
    assert cells, f"no cell of this run is one of {expected.cells}"
    for result in cells:
        check = check_of(result, expected.check)
        assert check.observed == expected.observed, (result.cell, check.observed, check.errors, check.reason)


@pytest.mark.parametrize(
    ("check_id", "cells"),
    [
        ("poolers.advisory_lock", "sqlite-*"),
        ("poolers.prepared_statements", "sqlite-*"),
        ("poolers.prepared_statements", "mariadb*"),
        ("poolers.connection_dropped", "postgres15-psycopg*"),
        ("poolers.connection_dropped", "sqlite-*"),
        ("poolers.connection_dropped", "mariadb*"),
    ],
)
def test_not_applicable_where_the_behaviour_does_not_exist(
    results: dict[str, CellResult], check_id: str, cells: str
) -> None:
    # SQLite has no advisory locks (it locks the database file; SQLite docs, File Locking); server_side_binding
    # and prepare_threshold are options of Django's PostgreSQL backend only (ref/databases, PostgreSQL notes).
    found = [r for cell, r in results.items() if fnmatch.fnmatchcase(cell, cells)]
    assert found
    for result in found:
        check = check_of(result, check_id)
        assert check.outcome is Outcome.NOT_APPLICABLE and check.reason, (result.cell, check.outcome)


def test_every_throwaway_database_was_dropped(results: dict[str, CellResult]) -> None:
    from tests.conftest import live_url
    from tests.test_live import throwaway_databases

    left = throwaway_databases(live_url("DBCOMPAT_URL_POSTGRES15"), live_url("DBCOMPAT_URL_MARIADB1011"), RUN_TOKEN)
    assert left == []


def test_a_console_that_cannot_be_read_says_why() -> None:
    from harness.matrix import Pooler
    from harness.servers.poolers import read_pooler
    from harness.servers.urls import parse_server_url
    from tests.conftest import live_url

    # A PostgreSQL where a PgBouncer was expected: it has no database "pgbouncer" to be the admin console. (The
    # cells read the console through psycopg 3 and psycopg2 alike: test_the_pooler_is_recorded.)
    settings = parse_server_url("DBCOMPAT_URL_POSTGRES15", live_url("DBCOMPAT_URL_POSTGRES15"), "postgresql")
    info = read_pooler(Pooler("pgbouncer", "transaction"), settings, "psycopg", 5)
    assert info.version is None and info.pool_mode is None, info
    assert (info.unreadable or "").startswith("cannot connect to the admin console: "), info.unreadable
    assert '"pgbouncer"' in (info.unreadable or ""), info.unreadable
