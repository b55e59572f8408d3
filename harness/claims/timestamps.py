"""TIMESTAMP columns and USE_TZ (ref/databases, MySQL notes > TIMESTAMP columns; topics/i18n/timezones).

The checks write 2024-01-15 10:00 UTC in a session whose time zone is UTC+2, with Django's
TIME_ZONE also at UTC+2, and read back what the server holds in a UTC session: the shift
is that minus what Django wrote, in seconds.
"""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Source

TIMESTAMP = Source("ref/databases", "MySQL notes > Notes on specific fields > TIMESTAMP columns")

CLAIMS = [
    Claim(
        check="timestamp-use-tz.timestamp_shift",
        statement=(
            "On a legacy TIMESTAMP column with USE_TZ = True, both MySQL and Django convert the value, "
            "corrupting it. With this check's UTC+2 session that is an instant two hours early (-7200 s)."
        ),
        source=TIMESTAMP,
        expect=(Expect(("mysql", "mariadb"), -7200),),
    ),
    Claim(
        check="timestamp-use-tz.timestamp_shift_no_tz",
        statement=(
            "With USE_TZ = False a legacy TIMESTAMP column is not corrupted: the server holds the instant written."
        ),
        source=TIMESTAMP,
        expect=(Expect(("mysql", "mariadb"), 0),),
    ),
    Claim(
        check="timestamp-use-tz.datetime_shift",
        statement="With time zone support enabled, Django stores datetimes in UTC in the database.",
        source=Source("topics/i18n/timezones", "Overview"),
        expect=(Expect(("mysql", "mariadb"), 0),),
    ),
]
