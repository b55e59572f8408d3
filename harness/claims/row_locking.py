"""Row locking with select_for_update() (ref/models/querysets; ref/databases MySQL and SQLite notes)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, IsA, Source

SELECT_FOR_UPDATE = Source("ref/models/querysets", "QuerySet API > select_for_update()")
NOT_SUPPORTED = IsA("django.db.utils.NotSupportedError")
# What a conflicting lock raises: a DatabaseError, and not the refusal of an unsupported option.
LOCK_CONFLICT = IsA("django.db.utils.DatabaseError", excluding="django.db.utils.NotSupportedError")

# Who supports each option. The docs (ref/models/querysets, select_for_update()) list PostgreSQL,
# Oracle and MySQL as supporting select_for_update(), then: 4.2 "MariaDB only supports the nowait
# argument, MariaDB 10.6+ also supports the skip_locked argument, and MySQL 8.0.1+ supports the
# nowait, skip_locked, and of arguments"; 5.2 and 6.0 the same without "8.0.1+"; 6.1 "MariaDB only
# supports the nowait and skip_locked arguments". "The no_key argument is only supported on
# PostgreSQL." The version notes went as Django's minimum server versions passed them.
SUPPORT = {
    "nowait": ("postgresql", "oracle", "mariadb", "mysql>=8.0.1"),
    "skip_locked": ("postgresql", "oracle", "mariadb>=10.6", "mysql>=8.0.1"),
    "of": ("postgresql", "oracle", "mysql>=8.0.1"),
    "no_key": ("postgresql",),
}
# The docs' words per range of Django versions.
STATEMENTS = {
    "django<5.2": {
        "nowait": "NOWAIT is supported on PostgreSQL, Oracle, MariaDB and MySQL 8.0.1+.",
        "skip_locked": "SKIP LOCKED is supported on PostgreSQL, Oracle, MariaDB 10.6+ and MySQL 8.0.1+.",
        "of": "OF is supported on PostgreSQL, Oracle and MySQL 8.0.1+, not on MariaDB.",
        "no_key": "NO KEY (no_key=True) is supported on PostgreSQL only.",
    },
    "django>=5.2 django<6.1": {
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
        expect=(Expect(SUPPORT[option], True), Expect("*", False)),
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
            Expect(("sqlite", *SUPPORT[option]), "ok"),
            Expect("*", NOT_SUPPORTED),
        ),
    )


CLAIMS = [
    *(_flag(option, django) for django in STATEMENTS for option in SUPPORT),
    *(_use(option, django) for django in STATEMENTS for option in SUPPORT),
    Claim(
        check="row-locking.nowait.contended",
        statement=(
            "With nowait=True, a conflicting lock held by another transaction raises DatabaseError when the "
            "queryset is evaluated, without blocking; on SQLite select_for_update() has no effect."
        ),
        source=SELECT_FOR_UPDATE,
        expect=(
            Expect("sqlite", {"raised": None, "at_once": True}),
            Expect(SUPPORT["nowait"], {"raised": LOCK_CONFLICT, "at_once": True}),
            Expect("*", {"raised": NOT_SUPPORTED, "at_once": True}),
        ),
    ),
    Claim(
        check="row-locking.skip_locked.contended",
        statement=(
            "With skip_locked=True, rows locked by another transaction are left out; unsupported backends "
            "raise NotSupportedError, and on SQLite select_for_update() has no effect."
        ),
        source=SELECT_FOR_UPDATE,
        expect=(
            Expect("sqlite", [1, 2, 3]),
            Expect(SUPPORT["skip_locked"], [2, 3]),
            Expect("*", NOT_SUPPORTED),
        ),
    ),
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
