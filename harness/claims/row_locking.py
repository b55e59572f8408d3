"""Row locking with select_for_update() (ref/models/querysets; ref/databases MySQL and SQLite notes)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, IsA, Source

SELECT_FOR_UPDATE = Source("ref/models/querysets", "QuerySet API > select_for_update()")
NOT_SUPPORTED = IsA("django.db.utils.NotSupportedError")
# What a conflicting lock raises: a DatabaseError, and not the refusal of an unsupported option.
LOCK_CONFLICT = IsA("django.db.utils.DatabaseError", excluding="django.db.utils.NotSupportedError")

# Who supports each option, as each range of Django versions' docs say it (ref/models/querysets,
# select_for_update()): PostgreSQL, Oracle and MySQL support select_for_update(), then
# - 4.2 (and 4.0, 4.1): "MariaDB only supports the nowait argument, MariaDB 10.6+ also supports the
#   skip_locked argument, and MySQL 8.0.1+ supports the nowait, skip_locked, and of arguments";
# - 5.0 to 6.0: the same without "8.0.1+" (Django 5.0 dropped MySQL < 8.0.11);
# - 6.1: "MariaDB only supports the nowait and skip_locked arguments" (Django 6.1 dropped MariaDB < 10.11).
# Every version: "The no_key argument is only supported on PostgreSQL." The ref/databases MySQL notes
# table says the same (6.0's table already drops "≥10.6", its querysets page keeps "MariaDB 10.6+").
SUPPORT: dict[str, dict[str, tuple[str, ...]]] = {
    "django<5.0": {
        "nowait": ("postgresql", "oracle", "mariadb", "mysql>=8.0.1"),
        "skip_locked": ("postgresql", "oracle", "mariadb>=10.6", "mysql>=8.0.1"),
        "of": ("postgresql", "oracle", "mysql>=8.0.1"),
        "no_key": ("postgresql",),
    },
    "django>=5.0 django<6.1": {
        "nowait": ("postgresql", "oracle", "mariadb", "mysql"),
        "skip_locked": ("postgresql", "oracle", "mariadb>=10.6", "mysql"),
        "of": ("postgresql", "oracle", "mysql"),
        "no_key": ("postgresql",),
    },
    "django>=6.1": {
        "nowait": ("postgresql", "oracle", "mariadb", "mysql"),
        "skip_locked": ("postgresql", "oracle", "mariadb", "mysql"),
        "of": ("postgresql", "oracle", "mysql"),
        "no_key": ("postgresql",),
    },
}
# The same, in the docs' words.
STATEMENTS = {
    "django<5.0": {
        "nowait": "NOWAIT is supported on PostgreSQL, Oracle, MariaDB and MySQL 8.0.1+.",
        "skip_locked": "SKIP LOCKED is supported on PostgreSQL, Oracle, MariaDB 10.6+ and MySQL 8.0.1+.",
        "of": "OF is supported on PostgreSQL, Oracle and MySQL 8.0.1+, not on MariaDB.",
        "no_key": "NO KEY (no_key=True) is supported on PostgreSQL only.",
    },
    "django>=5.0 django<6.1": {
        "nowait": "NOWAIT is supported on PostgreSQL, Oracle, MariaDB and MySQL.",
        "skip_locked": "SKIP LOCKED is supported on PostgreSQL, Oracle, MariaDB 10.6+ and MySQL.",
        "of": "OF is supported on PostgreSQL, Oracle and MySQL, not on MariaDB.",
        "no_key": "NO KEY (no_key=True) is supported on PostgreSQL only.",
    },
    "django>=6.1": {
        "nowait": "NOWAIT is supported on PostgreSQL, Oracle, MariaDB and MySQL.",
        "skip_locked": "SKIP LOCKED is supported on PostgreSQL, Oracle, MariaDB and MySQL.",
        "of": "OF is supported on PostgreSQL, Oracle and MySQL, not on MariaDB.",
        "no_key": "NO KEY (no_key=True) is supported on PostgreSQL only.",
    },
}


def _flag(option: str, django: str) -> Claim:
    return Claim(
        check=f"row-locking.{option}.flag",
        django=django,
        statement=f"Django's feature flag follows the docs: {STATEMENTS[django][option]}",
        source=SELECT_FOR_UPDATE,
        expect=(Expect(SUPPORT[django][option], True), Expect("*", False)),
    )


def _use(option: str, django: str) -> Claim:
    return Claim(
        check=f"row-locking.{option}.use",
        django=django,
        statement=(
            f"{STATEMENTS[django][option]} An unsupported option raises NotSupportedError; "
            "on SQLite select_for_update() has no effect."
        ),
        source=SELECT_FOR_UPDATE,
        expect=(
            Expect(("sqlite", *SUPPORT[django][option]), "ok"),
            Expect("*", NOT_SUPPORTED),
        ),
    )


def _nowait_contended(django: str) -> Claim:
    return Claim(
        check="row-locking.nowait.contended",
        django=django,
        statement=(
            f"{STATEMENTS[django]['nowait']} With nowait=True, a conflicting lock held by another transaction "
            "raises DatabaseError when the queryset is evaluated, without blocking; an unsupported option raises "
            "NotSupportedError; on SQLite select_for_update() has no effect."
        ),
        source=SELECT_FOR_UPDATE,
        expect=(
            Expect("sqlite", {"raised": None, "at_once": True}),
            Expect(SUPPORT[django]["nowait"], {"raised": LOCK_CONFLICT, "at_once": True}),
            Expect("*", {"raised": NOT_SUPPORTED, "at_once": True}),
        ),
    )


def _skip_locked_contended(django: str) -> Claim:
    return Claim(
        check="row-locking.skip_locked.contended",
        django=django,
        statement=(
            f"{STATEMENTS[django]['skip_locked']} With skip_locked=True, rows locked by another transaction are "
            "left out; an unsupported option raises NotSupportedError; on SQLite select_for_update() has no effect."
        ),
        source=SELECT_FOR_UPDATE,
        expect=(
            Expect("sqlite", [1, 2, 3]),
            Expect(SUPPORT[django]["skip_locked"], [2, 3]),
            Expect("*", NOT_SUPPORTED),
        ),
    )


CLAIMS = [
    *(_flag(option, django) for django in STATEMENTS for option in SUPPORT[django]),
    *(_use(option, django) for django in STATEMENTS for option in SUPPORT[django]),
    *(_nowait_contended(django) for django in STATEMENTS),
    *(_skip_locked_contended(django) for django in STATEMENTS),
    Claim(
        check="row-locking.outside_transaction",
        statement=(
            "Evaluating select_for_update() in autocommit mode raises TransactionManagementError on backends "
            "that support SELECT ... FOR UPDATE; on SQLite no error is raised."
        ),
        source=SELECT_FOR_UPDATE,
        expect=(Expect("sqlite", "ok"), Expect("*", IsA("django.db.transaction.TransactionManagementError"))),
    ),
]

# Connector/Python's Django backend (ENGINE mysql.connector.django) replaces Django's MySQL backend but
# keeps its features class, which asks the connection mysql_is_mariadb and mysql_version.
_CONNECTOR_BASE = "MySQL Connector/Python source, lib/mysql/connector/django/base.py (DatabaseWrapper.__getattr__)"
_CONNECTOR_BASE_URL = (
    "https://github.com/mysql/mysql-connector-python/blob/trunk/mysql-connector-python/lib/mysql/"
    "connector/django/base.py"
)
_NOT_MARIADB = (
    "Connector/Python's Django backend does not tell MariaDB from MySQL: its DatabaseWrapper has no "
    "mysql_is_mariadb and answers False for any mysql_is_* attribute (__getattr__), so the MySQL features it "
    "inherits from Django take MariaDB for MySQL"
)
_PREFIX_5_5_5 = (
    "; it also reads the server's version from the handshake, where MariaDB before 11.0.1 puts the prefix "
    "'5.5.5-' (5.5.5-10.11.x-MariaDB), so Django 4.2's features, which want MySQL 8.0.1+ for NOWAIT and SKIP "
    "LOCKED, see MySQL 5.5.5"
)

# SQLite with OPTIONS transaction_mode IMMEDIATE (Django 5.1+): Django begins every atomic() block with BEGIN
# IMMEDIATE, which takes the database's write lock at once; the other connection's transaction holds it.
IMMEDIATE_WAITS_AT_BEGIN = dict(
    text=(
        "With transaction_mode IMMEDIATE, Django begins the transaction with BEGIN IMMEDIATE, which starts a write "
        "transaction at once: while another connection's transaction holds the write lock, BEGIN itself waits out "
        "the busy timeout and fails with SQLITE_BUSY ('database is locked', OperationalError). Without FOR UPDATE "
        "on SQLite, the contention is at BEGIN, before the query runs."
    ),
    source="SQLite docs, Transaction > Deferred, immediate, and exclusive transactions; Django 5.1+ docs, SQLite "
    "notes > Transactions behavior",
    url="https://www.sqlite.org/lang_transaction.html",
)

EXPLANATIONS = [
    Explanation(
        check="row-locking.nowait.contended",
        when="sqlite [transaction_mode=immediate]",
        observed={"raised": "django.db.utils.OperationalError", "at_once": False},
        **IMMEDIATE_WAITS_AT_BEGIN,
    ),
    Explanation(
        check="row-locking.skip_locked.contended",
        when="sqlite [transaction_mode=immediate]",
        observed="django.db.utils.OperationalError",
        **IMMEDIATE_WAITS_AT_BEGIN,
    ),
    Explanation(
        check="row-locking.of.flag",
        when="mariadb +connector",
        observed=True,
        text=f"{_NOT_MARIADB} and turn OF on, which MariaDB's SELECT ... FOR UPDATE does not have.",
        source=_CONNECTOR_BASE,
        url=_CONNECTOR_BASE_URL,
    ),
    Explanation(
        check="row-locking.of.use",
        when="mariadb +connector",
        text=(
            f"{_NOT_MARIADB}: Django sends SELECT ... FOR UPDATE OF, and MariaDB, whose locking clause takes only "
            "WAIT n, NOWAIT and SKIP LOCKED, rejects it as a syntax error (ProgrammingError) where Django's own "
            "backend refuses the option first (NotSupportedError)."
        ),
        source=_CONNECTOR_BASE,
        url=_CONNECTOR_BASE_URL,
    ),
    *(
        Explanation(
            check=check,
            when="mariadb<11.0.1 +connector django<5.0",
            text=f"{_NOT_MARIADB}{_PREFIX_5_5_5}, turn both options off, and refuse them with NotSupportedError.",
            source=_CONNECTOR_BASE + " and mysql_version",
            url=_CONNECTOR_BASE_URL,
        )
        for check in (
            "row-locking.nowait.flag",
            "row-locking.nowait.use",
            "row-locking.nowait.contended",
            "row-locking.skip_locked.flag",
            "row-locking.skip_locked.use",
            "row-locking.skip_locked.contended",
        )
    ),
]
