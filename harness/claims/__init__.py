"""The claims table: what the Django docs say each backend does, with sources.

Each suite's claims are in the module of the same name: those of the checks in
``suites/test_fields.py`` are in ``harness/claims/fields.py``. This package
assembles them into ``CLAIMS``, the only place the harness looks up what a check
should observe.
"""

from __future__ import annotations

from harness.claims import (
    collation,
    connections,
    cursors,
    empty_string,
    fields,
    identifiers,
    lobs,
    row_locking,
    sequence_reset,
    smoke,
    sqlite_locking,
    storage_engines,
    timestamps,
    transactions,
    typecasting,
)
from harness.claims.model import AtLeast, Claim, ClaimsTable, Expect, IsA, Judgement, Source, expected_json

# Each behaviour's title, in the order reports show them.
BEHAVIOURS = {
    "smoke": "Smoke: the pipeline works",
    "collation": "Collation and case sensitivity",
    "typecasting": "String typecasting",
    "row-locking": "Row locking with select_for_update()",
    "timestamp-use-tz": "TIMESTAMP columns with USE_TZ",
    "empty-string": "NULL and empty strings",
    "sequence-reset": "Sequence reset after manually assigned primary keys",
    "fields": "Fields: what each backend keeps",
    "transactions": "Transactions and isolation",
    "connections": "Connections: what Django sets up, and reuse",
    "raw-sql": "Raw SQL parameters",
    "storage-engines": "MySQL storage engines",
    "sqlite-locking": "SQLite: database is locked",
    "identifiers": "Identifiers and table names",
    "cursors": "Server-side cursors",
    "lobs": "Text columns as LOBs, and type-named fields",
    "postgresql-binding": "PostgreSQL parameter binding",
}

CLAIMS = ClaimsTable(
    [
        *smoke.CLAIMS,
        *collation.CLAIMS,
        *typecasting.CLAIMS,
        *row_locking.CLAIMS,
        *timestamps.CLAIMS,
        *empty_string.CLAIMS,
        *sequence_reset.CLAIMS,
        *fields.CLAIMS,
        *transactions.CLAIMS,
        *connections.CLAIMS,
        *storage_engines.CLAIMS,
        *sqlite_locking.CLAIMS,
        *identifiers.CLAIMS,
        *cursors.CLAIMS,
        *lobs.CLAIMS,
    ]
)

__all__ = [
    "BEHAVIOURS",
    "CLAIMS",
    "AtLeast",
    "Claim",
    "ClaimsTable",
    "Expect",
    "IsA",
    "Judgement",
    "Source",
    "expected_json",
]
