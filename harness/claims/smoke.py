"""Smoke: the pipeline works on every supported backend."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Source

CLAIMS = [
    Claim(
        check="smoke.round_trip",
        statement="Raw SQL runs through connection.cursor() and returns the server's rows.",
        source=Source("topics/db/sql", "Executing custom SQL directly"),
        expect=(Expect("*", [[1, "dbcompat"]]),),
    ),
    Claim(
        check="smoke.model_round_trip",
        statement="A model saved with non-ASCII text reads back unchanged on every supported backend.",
        source=Source("ref/unicode", "Unicode data"),
        expect=(Expect("*", "Zoë Ångström"),),
    ),
]
