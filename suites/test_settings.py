"""Settings (ref/settings, DATABASES): what each backend does with the connection settings its caveats name.

Each check opens connections of its own with some settings changed (every connect is bounded by the connect
timeout; the ones that probe HOST, PORT, USER and PASSWORD without the cell's connection pool, whose wait would hide
the connection's error), or asks Django's test-database creation what it would name the test database.

- ``settings.unused_with_sqlite``: for each of HOST "/dbcompat-no-such-dir", PORT "1", USER "dbcompat_nobody"
  and PASSWORD "dbcompat-wrong", set alone: what opening a connection and running a query does.
- ``settings.host_socket``: with HOST "/dbcompat-no-such-dir": whether the connection error names that path (the
  driver tried a Unix socket there), or "ok".
- ``settings.database_time_zone``: with USE_TZ, 2024-01-15 10:00 UTC saved through the ORM on a connection whose
  TIME_ZONE is Europe/Paris, and on one with none: the hour a raw SELECT of the column gives on each.
- ``settings.test_database_name``: the test database Django would use for TEST NAME None: "test_ + NAME",
  "in memory", or the name.
- ``settings.test_charset``, ``settings.test_collation``, ``settings.test_template``: a test database made as
  Django's test-database creation makes it (its backend's CREATE DATABASE, with the suffix its
  ``sql_table_creation_suffix()`` builds from TEST), with TEST CHARSET "UTF8", TEST COLLATION "utf8mb4_bin", and
  TEST TEMPLATE "template0" (the docs' own example) set alone, named after the cell's throwaway database and
  dropped at once: "created with it" (the statement carries the setting and the server made the database), "not
  sent" (it does not carry it: the backend leaves the setting out, or makes no test database by SQL), the class
  of the error the server raised for the statement ("refused: <class>"), or of what Django raised building it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

from harness.checks import CheckRecorder
from suites.models import check_model
from suites.outcomes import outcome_of, value_or_error
from suites.shared import SharedTables, shared_fixture

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Model

    from harness.backends import Backend
    from harness.fixtures import ConfigureConnection

NO_SUCH_DIR = "/dbcompat-no-such-dir"
SAVED = datetime(2024, 1, 15, 10, 0, tzinfo=UTC)
MODELS: dict[str, type[Model]] = {}


def _table() -> type[Model]:
    from django.db import models

    if "table" not in MODELS:
        MODELS["table"] = check_model(
            "SettingStamps", {"label": models.CharField(max_length=10), "at": models.DateTimeField()}
        )
    return MODELS["table"]


SHARED = SharedTables("the table the settings checks share", lambda: [_table()], lambda: None)


@pytest.fixture(scope="module")
def shared_tables() -> Iterator[SharedTables]:
    yield from shared_fixture(SHARED)


def probe(check: CheckRecorder, configured_connection: ConfigureConnection, **settings: Any) -> BaseDatabaseWrapper:
    """A connection with ``settings`` changed, opened on its own: without the cell's connection pool (Django's
    OPTIONS "pool"), which would turn a connection's error into a pool timeout after its wait."""
    wrapper = configured_connection(**settings)
    if wrapper.settings_dict.get("OPTIONS", {}).pop("pool", None) is not None:
        check.note("OPTIONS pool", "left out of the probing connections")
    return wrapper


def query(wrapper: BaseDatabaseWrapper) -> None:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 1" + wrapper.features.bare_select_suffix)
        cursor.fetchone()


@pytest.mark.check("settings.unused_with_sqlite")
def test_unused_with_sqlite(check: CheckRecorder, configured_connection: ConfigureConnection) -> None:
    settings = {"HOST": NO_SUCH_DIR, "PORT": "1", "USER": "dbcompat_nobody", "PASSWORD": "dbcompat-wrong"}
    check.observe(
        {name: outcome_of(lambda name=name, value=value: query(probe(check, configured_connection, **{name: value})))  # type: ignore[misc]
         for name, value in settings.items()}
    )  # fmt: skip


@pytest.mark.check("settings.host_socket")
def test_host_socket(check: CheckRecorder, configured_connection: ConfigureConnection) -> None:
    from harness.checks import observed_error

    wrapper = probe(check, configured_connection, HOST=NO_SUCH_DIR)
    try:
        query(wrapper)
    except Exception as exc:
        error = observed_error(exc)
        check.errors.append(error)
        check.observe(NO_SUCH_DIR in error.message)
        return
    check.observe("ok")


@pytest.mark.check("settings.database_time_zone")
def test_database_time_zone(
    check: CheckRecorder, configured_connection: ConfigureConnection, shared_tables: SharedTables
) -> None:
    from django.db import connections

    shared_tables.ready(check)
    model = _table()

    def hour(label: str, **settings: Any) -> Any:
        wrapper = configured_connection(**settings)
        connections[wrapper.alias] = wrapper  # so the ORM can use it, in this thread
        try:
            with check.step(f"save the row {label!r}"):
                model.objects.using(wrapper.alias).create(label=label, at=SAVED)
            table = wrapper.ops.quote_name(model._meta.db_table)
            at, name = wrapper.ops.quote_name("at"), wrapper.ops.quote_name("label")
            with wrapper.cursor() as cursor:
                cursor.execute(f"SELECT {at} FROM {table} WHERE {name} = %s", [label])
                raw = cursor.fetchone()[0]
        finally:
            del connections[wrapper.alias]
        check.note(f"raw value ({label})", str(raw))
        return raw.hour if isinstance(raw, datetime) else datetime.fromisoformat(str(raw)).hour

    check.observe(
        {
            "TIME_ZONE Europe/Paris": value_or_error(lambda: hour("paris", TIME_ZONE="Europe/Paris")),
            "no TIME_ZONE": value_or_error(lambda: hour("none", TIME_ZONE=None)),
        }
    )


def created_test_database(
    check: CheckRecorder, configured_connection: ConfigureConnection, backend: Backend, suffix: str, **test: str
) -> str:
    """Make a test database as Django's test-database creation does, with ``test`` in TEST, and drop it at once."""
    from django.db import connection as default
    from django.db.backends.base.creation import BaseDatabaseCreation

    (value,) = test.values()
    # The cell's TEST, with Django's defaults for the keys the cell does not set (CHARSET, COLLATION: None).
    given = {**default.settings_dict["TEST"], "NAME": f"{default.settings_dict['NAME']}_{suffix}", **test}
    connection = configured_connection(TEST=given)
    try:
        built = connection.creation.sql_table_creation_suffix()
    except Exception as exc:
        return check.error(exc)  # Django refused to build the statement
    check.note("CREATE DATABASE suffix", built)
    if value.lower() not in built.lower() or not backend.creates_test_database_by_sql:
        return "not sent"
    creation = connection.creation
    name = creation._get_test_db_name()
    parameters = {"dbname": connection.ops.quote_name(name), "suffix": built}
    with creation._nodb_cursor() as cursor:
        # The base class's statement: its subclasses only add Django's handling of an error (sys.exit).
        made = value_or_error(lambda: BaseDatabaseCreation._execute_create_test_db(creation, cursor, parameters))
        if made is None:
            with check.step(f"drop the test database {name}"):
                cursor.execute(f"DROP DATABASE {parameters['dbname']}")
    return "created with it" if made is None else f"refused: {made}"


@pytest.mark.check("settings.test_charset")
def test_test_charset(check: CheckRecorder, configured_connection: ConfigureConnection, backend: Backend) -> None:
    check.observe(created_test_database(check, configured_connection, backend, "cs", CHARSET="UTF8"))


@pytest.mark.check("settings.test_collation")
def test_test_collation(check: CheckRecorder, configured_connection: ConfigureConnection, backend: Backend) -> None:
    check.observe(created_test_database(check, configured_connection, backend, "co", COLLATION="utf8mb4_bin"))


@pytest.mark.check("settings.test_template")
def test_test_template(check: CheckRecorder, configured_connection: ConfigureConnection, backend: Backend) -> None:
    check.observe(created_test_database(check, configured_connection, backend, "tp", TEMPLATE="template0"))


@pytest.mark.check("settings.test_database_name")
def test_test_database_name(check: CheckRecorder, configured_connection: ConfigureConnection) -> None:
    from django.db.backends.base.creation import TEST_DATABASE_PREFIX

    connection = configured_connection(TEST={"NAME": None})
    name = value_or_error(connection.creation._get_test_db_name)
    check.note("test database", str(name))
    settings_name = str(connection.settings_dict["NAME"])
    if name == TEST_DATABASE_PREFIX + settings_name:
        check.observe("test_ + NAME")
    elif "memory" in str(name):
        check.observe("in memory")
    else:
        check.observe(str(name))
