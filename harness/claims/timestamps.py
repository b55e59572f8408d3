"""TIMESTAMP columns and USE_TZ (ref/databases, MySQL notes > TIMESTAMP columns; topics/i18n/timezones).

The checks write 2024-01-15 10:00 UTC in a session whose time zone is UTC+2, with Django's
TIME_ZONE also at UTC+2, and read back what the server holds in a UTC session: the shift
is that minus what Django wrote, in seconds.
"""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Not, Source

TIMESTAMP = Source("ref/databases", "MySQL notes > Notes on specific fields > TIMESTAMP columns")

CLAIMS = [
    Claim(
        check="timestamp-use-tz.timestamp_shift",
        statement=(
            "On a legacy TIMESTAMP column with USE_TZ = True, both MySQL and Django attempt to convert the "
            "value from UTC to local time, corrupting the data: the instant the server holds is not the "
            "one written (by how much, the docs do not say; the shift is the observation)."
        ),
        source=TIMESTAMP,
        expect=(Expect(("mysql", "mariadb"), Not(0)),),
    ),
    Claim(
        check="timestamp-use-tz.timestamp_shift_no_tz",
        statement=(
            "Set USE_TZ = False to avoid data corruption on a legacy TIMESTAMP column: the server then "
            "holds the instant written."
        ),
        source=TIMESTAMP,
        expect=(Expect(("mysql", "mariadb"), 0),),
    ),
    Claim(
        check="timestamp-use-tz.datetime_shift",
        statement="When time zone support is enabled, Django stores datetime information in UTC in the database.",
        source=Source("topics/i18n/timezones", "Overview"),
        expect=(Expect(("mysql", "mariadb"), 0),),
    ),
]
