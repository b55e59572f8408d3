"""SQLite's "database is locked" (ref/databases, SQLite notes)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, IsA, Source

CLAIMS = [
    Claim(
        check="sqlite-locking.timeout",
        statement=(
            "A write that finds another connection holding SQLite's lock waits up to the timeout option, "
            "then raises OperationalError: database is locked; a longer timeout lets it wait for the lock."
        ),
        source=Source("ref/databases", 'SQLite notes > "Database is locked" errors'),
        expect=(Expect("sqlite", {"timeout 0.2": IsA("django.db.utils.OperationalError"), "timeout 5": "ok"}),),
    ),
]
