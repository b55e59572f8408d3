"""SQLite's "database is locked" (ref/databases, SQLite notes)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, IsA, Source

LOCKED = Source("ref/databases", 'SQLite notes > "Database is locked" errors')
# "OperationalError: database is locked", raised once the wait for the lock has timed out.
TIMED_OUT = {"raised": IsA("django.db.utils.OperationalError"), "after the timeout": True}

CLAIMS = [
    Claim(
        check="sqlite-locking.timeout",
        django="django<5.1",
        statement=(
            "A write that finds another connection holding SQLite's lock waits up to the timeout option, "
            "then raises OperationalError: database is locked; a longer timeout lets it wait for the lock."
        ),
        source=LOCKED,
        expect=(Expect("sqlite", {"timeout 0.2": TIMED_OUT, "timeout 5": "ok"}),),
    ),
    # Django 5.1 added the transaction_mode option, and the section its caveat: "To make sure your
    # transactions wait until timeout before raising 'Database is Locked', change the transaction mode
    # to IMMEDIATE" (the default, DEFERRED, may raise without waiting; the docs do not say when).
    Claim(
        check="sqlite-locking.timeout",
        django="django>=5.1",
        statement=(
            "A write that finds another connection holding SQLite's lock waits up to the timeout option, "
            "then raises OperationalError: database is locked; a longer timeout lets it wait for the lock. "
            "To make sure a transaction waits until the timeout before raising, set OPTIONS transaction_mode "
            "to IMMEDIATE."
        ),
        source=Source("ref/databases", 'SQLite notes > "Database is locked" errors (and its Transactions behavior)'),
        expect=(
            Expect(
                "sqlite",
                {"timeout 0.2": TIMED_OUT, "IMMEDIATE transaction, timeout 0.2": TIMED_OUT, "timeout 5": "ok"},
            ),
        ),
    ),
]
