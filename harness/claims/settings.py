"""Settings (ref/settings, DATABASES): its statements that a backend behaves differently."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, Not, Source

PAGE = "ref/settings"
# What the TEST settings' checks observe where the test database is created with the setting.
CREATED = "created with it"


def setting(section: str, name: str) -> Source:
    return Source(PAGE, f"Core Settings > DATABASES > {section}", anchor=f"std-setting-{name}")


CLAIMS = [
    Claim(
        check="settings.unused_with_sqlite",
        statement="HOST, PORT, USER and PASSWORD are not used with SQLite.",
        source=setting("HOST", "HOST"),
        expect=(Expect("sqlite", {"HOST": "ok", "PORT": "ok", "USER": "ok", "PASSWORD": "ok"}),),
    ),
    Claim(
        check="settings.host_socket",
        statement=(
            "A HOST that starts with a forward slash is a Unix socket on MySQL (MySQL connects via that socket); "
            "on PostgreSQL it is the directory of the server's Unix domain socket (unix_socket_directory)."
        ),
        source=setting("HOST", "HOST"),
        expect=(Expect(("mysql", "mariadb", "postgresql"), True),),
    ),
    Claim(
        check="settings.database_time_zone",
        django="django<5.0",
        statement=(
            "Where the database backend doesn't support time zones (e.g. SQLite, MySQL, Oracle), Django reads and "
            "writes datetimes in local time according to DATABASES TIME_ZONE if it is set, and in UTC if it isn't."
        ),
        source=setting("TIME_ZONE", "DATABASE-TIME_ZONE"),
        expect=(Expect(("sqlite", "mysql", "mariadb", "oracle"), {"TIME_ZONE Europe/Paris": 11, "no TIME_ZONE": 10}),),
    ),
    Claim(
        check="settings.database_time_zone",
        django="django>=5.0",
        statement=(
            "Where the database backend doesn't support time zones (e.g. SQLite, MySQL, Oracle), Django reads and "
            "writes datetimes in local time according to DATABASES TIME_ZONE if it is set, and in UTC if it isn't; "
            "where it does (e.g. PostgreSQL), the connection's time zone is set to it."
        ),
        source=setting("TIME_ZONE", "DATABASE-TIME_ZONE"),
        expect=(
            Expect(
                ("sqlite", "mysql", "mariadb", "oracle", "postgresql"),
                {"TIME_ZONE Europe/Paris": 11, "no TIME_ZONE": 10},
            ),
        ),
    ),
    Claim(
        check="settings.test_database_name",
        statement=(
            "With TEST NAME None, the tests use a memory resident database on SQLite; on all other database engines "
            "the test database is named 'test_' + NAME."
        ),
        source=setting("TEST > NAME", "TEST_NAME"),
        expect=(Expect("sqlite", "in memory"), Expect("*", "test_ + NAME")),
    ),
    # The docs name Django's backends: "mysql" is MariaDB's as well as MySQL's.
    Claim(
        check="settings.test_charset",
        statement=(
            "TEST CHARSET, the character set encoding the test database is created with, is passed through to the "
            "database; it is supported by the postgresql and mysql backends."
        ),
        source=setting("TEST > CHARSET", "TEST_CHARSET"),
        expect=(Expect(("postgresql", "mysql", "mariadb"), CREATED),),
    ),
    Claim(
        check="settings.test_collation",
        statement=(
            "TEST COLLATION, the collation the test database is created with, is only supported by the mysql backend."
        ),
        source=setting("TEST > COLLATION", "TEST_COLLATION"),
        expect=(Expect(("mysql", "mariadb"), CREATED), Expect("*", Not(CREATED))),
    ),
    Claim(
        check="settings.test_template",
        statement=(
            "TEST TEMPLATE, the template the test database is created from (e.g. 'template0'), is a "
            "PostgreSQL-specific setting."
        ),
        source=setting("TEST > TEMPLATE", "TEST_TEMPLATE"),
        expect=(Expect("postgresql", CREATED), Expect("*", Not(CREATED))),
    ),
]

EXPLANATIONS = [
    Explanation(
        check="settings.database_time_zone",
        when="+connector",
        observed={"TIME_ZONE Europe/Paris": 10, "no TIME_ZONE": 10},
        text=(
            "Connector/Python's Django backend converts an aware datetime to UTC before writing it whenever USE_TZ "
            "is on (lib/mysql/connector/django/operations.py, value_to_db_datetime), instead of to the connection's "
            "time zone as Django's MySQL backend does, so DATABASES TIME_ZONE makes no difference to what is stored."
        ),
        source="MySQL Connector/Python source, lib/mysql/connector/django/operations.py (value_to_db_datetime)",
        url=(
            ""
            "https://github.com/mysql/mysql-connector-python/blob/trunk/mysql-connector-python/lib/mysql/connector/django/operations.py"
        ),
    ),
]
