"""Server-side cursors (ref/databases, PostgreSQL notes)."""

from __future__ import annotations

from harness.claims.model import AtLeast, Claim, Expect, Source

CLAIMS = [
    Claim(
        check="cursors.iterator_server_side",
        statement=(
            "QuerySet.iterator() opens a server-side cursor on PostgreSQL; DISABLE_SERVER_SIDE_CURSORS turns that off."
        ),
        source=Source(
            "ref/databases", "PostgreSQL notes > Server-side cursors; Transaction pooling and server-side cursors"
        ),
        # "Django opens a server-side cursor": that there is one, not how many the session holds.
        expect=(Expect("postgresql", {"default": AtLeast(1), "DISABLE_SERVER_SIDE_CURSORS": 0}),),
    ),
]
