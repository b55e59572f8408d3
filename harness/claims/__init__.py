"""The claims table: what the Django docs say each backend does, with sources.

Each suite's claims are in the module of the same name: those of the checks in
``suites/test_fields.py`` are in ``harness/claims/fields.py``, with the explanations of
the findings they lead to (``EXPLANATIONS``). This package
assembles them into ``CLAIMS``, the only place the harness looks up what a check
should observe.
"""

from __future__ import annotations

from harness.claims import (
    collation,
    connections,
    constraints,
    cursors,
    db_transactions,
    empty_string,
    expressions,
    fields,
    functions,
    identifiers,
    indexes,
    lobs,
    meta_options,
    migration_operations,
    migrations,
    model_fields,
    poolers,
    queries,
    querysets,
    row_locking,
    sequence_reset,
    settings,
    smoke,
    sql,
    sqlite_locking,
    storage_engines,
    timestamps,
    transactions,
    typecasting,
)
from harness.claims.model import (
    AtLeast,
    Claim,
    ClaimsTable,
    Expect,
    Explanation,
    IsA,
    Judgement,
    Not,
    Reference,
    Source,
    expected_json,
)
from harness.claims.references import REFERENCES

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
    "poolers": "Connection poolers: what the next transaction sees",
    "querysets": "QuerySet API (ref/models/querysets)",
    "model-fields": "Model fields (ref/models/fields)",
    "indexes": "Model indexes (ref/models/indexes)",
    "constraints": "Constraints (ref/models/constraints)",
    "functions": "Database functions (ref/models/database-functions)",
    "expressions": "Query expressions (ref/models/expressions)",
    "queries": "Making queries (topics/db/queries)",
    "db-transactions": "Database transactions (topics/db/transactions)",
    "migrations": "Migrations (topics/migrations)",
    "migration-operations": "Migration operations (ref/migration-operations)",
    "meta-options": "Model Meta options (ref/models/options)",
    "settings": "Settings (ref/settings)",
    "sql": "Performing raw SQL queries (topics/db/sql)",
}

# Each suite's claims module, in the order reports show behaviours.
MODULES = (
    smoke,
    collation,
    typecasting,
    row_locking,
    timestamps,
    empty_string,
    sequence_reset,
    fields,
    transactions,
    connections,
    storage_engines,
    sqlite_locking,
    identifiers,
    cursors,
    lobs,
    poolers,
    querysets,
    model_fields,
    indexes,
    constraints,
    functions,
    expressions,
    queries,
    db_transactions,
    migrations,
    migration_operations,
    meta_options,
    settings,
    sql,
)

# A module's EXPLANATIONS, next to its CLAIMS, say why a server differs where it does.
CLAIMS = ClaimsTable(
    [claim for module in MODULES for claim in module.CLAIMS],
    references=REFERENCES,
    explanations=[explanation for module in MODULES for explanation in getattr(module, "EXPLANATIONS", ())],
)

__all__ = [
    "BEHAVIOURS",
    "CLAIMS",
    "AtLeast",
    "Claim",
    "ClaimsTable",
    "Expect",
    "Explanation",
    "IsA",
    "Judgement",
    "Not",
    "Reference",
    "Source",
    "expected_json",
]
