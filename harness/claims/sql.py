"""Performing raw SQL queries (topics/db/sql): its statements that a backend behaves differently.

Its note on MySQL's type coercion is checked by the typecasting checks (``typecasting.*``), its note on
dictionary parameters with SQLite by ``raw-sql.dict_params``.
"""

from __future__ import annotations

from harness.claims.model import Claim, Expect, IsA, Source

PAGE = "topics/db/sql"

CLAIMS = [
    Claim(
        check="sql.percent_placeholder",
        statement=(
            'Django expects the "%s" placeholder, not the "?" placeholder the SQLite bindings use, on every backend.'
        ),
        source=Source(
            PAGE, "Executing custom SQL directly > Connections and cursors", anchor="connections-and-cursors"
        ),
        expect=(Expect("*", [[7]]),),
    ),
    Claim(
        check="sql.callproc_kparams",
        statement=(
            "Most databases don't support the keyword parameters of callproc() (kparams): of Django's built-in "
            "backends, only Oracle does."
        ),
        source=Source(
            PAGE,
            "Executing custom SQL directly > Connections and cursors > Calling stored procedures",
            anchor="django.db.models.CursorWrapper.callproc",
        ),
        expect=(
            Expect("oracle", IsA("django.db.utils.DatabaseError", excluding="django.db.utils.NotSupportedError")),
            Expect("*", IsA("django.db.utils.NotSupportedError")),
        ),
    ),
]
