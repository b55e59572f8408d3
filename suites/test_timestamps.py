"""TIMESTAMP columns with USE_TZ.

A legacy table (raw SQL, unmanaged model) in a session whose time zone is UTC+2, with Django's
TIME_ZONE at UTC+2 too. The check writes 2024-01-15 10:00 UTC through the ORM and asks the
server, in a UTC session, which instant the column holds; the shift is that minus what Django
wrote, in seconds.

- ``timestamp-use-tz.timestamp_shift``: the TIMESTAMP column, USE_TZ = True.
- ``timestamp-use-tz.timestamp_shift_no_tz``: the TIMESTAMP column, USE_TZ = False.
- ``timestamp-use-tz.datetime_shift``: the DATETIME-like column, USE_TZ = True.
- ``timestamp-use-tz.zoneinfo``: whether the server's time zone tables are loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from harness.checks import CheckRecorder
from suites.models import LegacyStamp
from suites.outcomes import value_or_error

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.backends import Backend

SESSION_OFFSET = "+02:00"
DJANGO_TIME_ZONE = "Etc/GMT-2"  # UTC+2 all year (POSIX names invert the sign)
INSTANT = datetime(2024, 1, 15, 10, 0, tzinfo=UTC)


def shift(
    column: str,
    use_tz: bool,
    check: CheckRecorder,
    connection: BaseDatabaseWrapper,
    backend: Backend,
    raw_table: Callable[[str, str], None],
) -> int:
    """The instant the column holds minus the one written, in seconds.

    What the docs speak of (both MySQL and Django converting the value) shows in the shift alone, so
    every statement is a step: a failure anywhere, the ORM's write included, ends the check a harness
    error naming the step, and is never taken for a shift.
    """
    from django.test import override_settings

    table = LegacyStamp._meta.db_table
    ddl = backend.legacy_timestamp_table_sql(table)
    session_sql = backend.session_time_zone_sql(SESSION_OFFSET)
    with check.step(f"create the legacy table {table}"):
        raw_table(table, ddl)
    check.note("session_time_zone", SESSION_OFFSET)
    check.note("TIME_ZONE", DJANGO_TIME_ZONE)
    check.note("USE_TZ", use_tz)
    written = INSTANT if use_tz else INSTANT.astimezone(ZoneInfo(DJANGO_TIME_ZONE)).replace(tzinfo=None)

    # A fresh connection under the settings, then the legacy session time zone.
    connection.close()
    with override_settings(USE_TZ=use_tz, TIME_ZONE=DJANGO_TIME_ZONE):
        try:
            step = f"open a connection and set its session time zone to {SESSION_OFFSET}"
            with check.step(step), connection.cursor() as cursor:
                cursor.execute(session_sql)
            with check.step(f"write {written.isoformat()} through the ORM (USE_TZ = {use_tz})"):
                LegacyStamp.objects.create(id=1, **{column: written})
        finally:
            connection.close()
    try:
        with check.step("read the instant the column holds, in a UTC session"), connection.cursor() as cursor:
            cursor.execute(backend.utc_session_sql())
            cursor.execute(backend.epoch_sql(connection.ops.quote_name(table), column))
            (epoch,) = cursor.fetchone()
    finally:
        connection.close()  # leave no session time zone behind
    return round(float(epoch) - INSTANT.timestamp())


@pytest.mark.check("timestamp-use-tz.timestamp_shift")
def test_timestamp_shift(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, raw_table: Callable[[str, str], None]
) -> None:
    check.observe(shift("ts", True, check, connection, backend, raw_table))


@pytest.mark.check("timestamp-use-tz.timestamp_shift_no_tz")
def test_timestamp_shift_no_tz(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, raw_table: Callable[[str, str], None]
) -> None:
    check.observe(shift("ts", False, check, connection, backend, raw_table))


@pytest.mark.check("timestamp-use-tz.datetime_shift")
def test_datetime_shift(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, raw_table: Callable[[str, str], None]
) -> None:
    check.observe(shift("dt", True, check, connection, backend, raw_table))


@pytest.mark.check("timestamp-use-tz.zoneinfo")
def test_zoneinfo(check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend) -> None:
    sql = backend.time_zone_tables_sql()

    def loaded() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return bool(cursor.fetchone()[0])

    observed = value_or_error(loaded)
    if hasattr(connection.features, "has_zoneinfo_database"):
        flag = connection.features.has_zoneinfo_database
        check.flag("has_zoneinfo_database", flag, agrees=flag == observed if isinstance(observed, bool) else None)
    check.observe(observed)
