"""Connections and raw SQL parameters (ref/databases; topics/db/sql)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, IsA, Source

CLAIMS = [
    Claim(
        check="connections.conn_max_age_reuse",
        statement=(
            "CONN_MAX_AGE 0 closes the connection at the end of each request; None keeps it for good "
            "(persistent connections)."
        ),
        source=Source("ref/databases", "General notes > Persistent connections"),
        expect=(Expect("*", {"0": False, "None": True}),),
    ),
    Claim(
        check="connections.session_time_zone",
        statement="With USE_TZ = True, Django's PostgreSQL connections use the time zone 'UTC'.",
        source=Source("ref/databases", "PostgreSQL notes > Optimizing PostgreSQL's configuration"),
        expect=(Expect("postgresql", "UTC"),),
    ),
    Claim(
        check="connections.client_encoding",
        statement="Django's PostgreSQL connections use client_encoding 'UTF8'.",
        source=Source("ref/databases", "PostgreSQL notes > Optimizing PostgreSQL's configuration"),
        expect=(Expect("postgresql", "UTF8"),),
    ),
    Claim(
        check="connections.init_command",
        django="django<5.1",
        statement="OPTIONS init_command is a MySQL connection option, run on each new connection.",
        source=Source("ref/databases", "MySQL notes > Connecting to the database"),
        expect=(Expect(("mysql", "mariadb"), 42),),
    ),
    Claim(
        check="connections.init_command",
        django="django>=5.1",
        statement=(
            "OPTIONS init_command runs on each new connection: a MySQL option, and on SQLite the way to "
            "set pragma options."
        ),
        source=Source(
            "ref/databases", "MySQL notes > Connecting to the database; SQLite notes > Setting pragma options"
        ),
        expect=(Expect(("mysql", "mariadb"), 42), Expect("sqlite", 4242)),
    ),
    Claim(
        check="connections.isolation_option",
        statement="OPTIONS isolation_level sets the connection's isolation level, e.g. SERIALIZABLE.",
        source=Source("ref/databases", "MySQL notes > Isolation level; PostgreSQL notes > Isolation level"),
        # The level as the server resolves it (suites/test_transactions.py): MySQL's variable spells it
        # SERIALIZABLE, PostgreSQL serializable; one level.
        expect=(Expect(("postgresql", "mysql", "mariadb"), "serializable"),),
    ),
    Claim(
        check="connections.health_check",
        statement=(
            "With CONN_HEALTH_CHECKS, a kept connection that the server closed is replaced at the next "
            "request instead of failing it; without, the next query fails."
        ),
        source=Source("ref/databases", "General notes > Connection management"),
        # The docs say health checks "prevent errors"; they name no class, so any exception is the error.
        expect=(Expect("*", {"with": "ok", "without": IsA("builtins.Exception")}),),
    ),
    Claim(
        check="raw-sql.dict_params",
        statement=(
            "raw() takes a dictionary of parameters with %(key)s placeholders, except on SQLite, which "
            "does not support dictionary params."
        ),
        source=Source("topics/db/sql", "Performing raw queries > Passing parameters into raw()"),
        expect=(Expect("sqlite", IsA("builtins.Exception")), Expect("*", ["Fred"])),
    ),
]

# Django's own refusal, in its PostgreSQL backend (5.1+): the docs of the pool and of persistent connections
# say nothing of it.
POOL_REFUSES_PERSISTENT = dict(
    text=(
        "With OPTIONS pool, Django's PostgreSQL backend refuses any CONN_MAX_AGE but 0 when it first needs its "
        "pool: ImproperlyConfigured, 'Pooling doesn't support persistent connections.' The pool keeps the "
        "connections instead; the docs of the pool (PostgreSQL notes > Connection pool) and of persistent "
        "connections do not say that the two exclude each other."
    ),
    source="Django source, django/db/backends/postgresql/base.py (DatabaseWrapper.pool), Django 5.1 and later",
    url="https://github.com/django/django/blob/stable/5.2.x/django/db/backends/postgresql/base.py",
)
REFUSED = "django.core.exceptions.ImproperlyConfigured"

EXPLANATIONS = [
    Explanation(
        check="connections.conn_max_age_reuse",
        when="postgresql [pool]",
        observed={"0": False, "None": REFUSED},
        **POOL_REFUSES_PERSISTENT,
    ),
    Explanation(
        check="connections.health_check",
        when="postgresql [pool]",
        observed={"with": REFUSED, "without": REFUSED},
        **POOL_REFUSES_PERSISTENT,
    ),
    Explanation(
        check="raw-sql.dict_params",
        when="sqlite django>=4.2",
        observed=["Fred"],
        text=(
            "Django 4.2 added pyformat parameters to its SQLite backend: with a mapping of parameters its cursor "
            "wrapper rewrites %(name)s to sqlite3's named style (:name), and the backend's features say "
            "supports_paramstyle_pyformat; the note in topics/db/sql that SQLite does not support them was "
            "left as it was."
        ),
        source=(
            "Django source, django/db/backends/sqlite3/base.py (SQLiteCursorWrapper.convert_query); ticket "
            "#10070, 'Added support for pyformat style parameters on SQLite' (pull request 16243)"
        ),
        url="https://github.com/django/django/pull/16243",
    ),
]
