"""Connection poolers (ref/databases, PostgreSQL notes > Transaction pooling and server-side cursors).

The text is the same in the docs of Django 4.2, 5.2, 6.0 and 6.1. It claims what ``iterator()`` does
through a pooler in transaction pooling mode (its server-side cursor, kept open past the transaction in
autocommit, is referenced by a later transaction on another server connection: an error; with
DISABLE_SERVER_SIDE_CURSORS, no server-side cursor), and names a direct connection or a pooler in session
pooling mode as where server-side cursors can be used. Only the pooler cases are claimed here: the direct
one follows from the docs' advice rather than being stated as a behaviour. The third-party integration
guide (shared/docs) says the same in one line: DISABLE_SERVER_SIDE_CURSORS "Required for pgBouncer".

The other checks of the suite have no claim: the Django docs say nothing of session settings, temporary
tables, advisory locks, prepared statements or row locks through a pooler. Their observations are recorded
and the live tests assert them with PgBouncer's own documentation as the reason.
"""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, IsA, Source

POOLING = Source("ref/databases", "PostgreSQL notes > Transaction pooling and server-side cursors")
ROWS = ["p0", "p1", "p2", "p3", "p4"]
# "an error is raised": the docs name no class. The driver's own error can come out of iterator() too (the
# cursor's CLOSE fails the same way, and Django's cursor wrapper wraps only fetches), so any exception counts.
AN_ERROR = IsA("builtins.Exception")

CLAIMS = [
    Claim(
        check="poolers.iterator_across_transactions",
        statement=(
            "Through a pooler in transaction pooling mode, a server-side cursor that iterator() leaves open at the "
            "end of a transaction in autocommit is referenced by a later transaction that may run on another server "
            "connection, and an error is raised; with DISABLE_SERVER_SIDE_CURSORS there is no server-side cursor "
            "and the rows come back. A pooler in session pooling mode keeps server-side cursors usable."
        ),
        source=POOLING,
        expect=(
            Expect("postgresql @transaction", {"server-side cursors": AN_ERROR, "DISABLE_SERVER_SIDE_CURSORS": ROWS}),
            Expect("postgresql @session", {"server-side cursors": ROWS, "DISABLE_SERVER_SIDE_CURSORS": ROWS}),
        ),
    ),
]

# What differs from the docs, and why, from the pooler's or the server's own documentation.
EXPLANATIONS: list[Explanation] = []
