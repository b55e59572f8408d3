"""LOB columns and type-named fields (ref/databases, Oracle notes); psycopg binding (PostgreSQL notes)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, IsA, Source

TEXTFIELD = Source("ref/databases", "Oracle notes > TextField limitations")
ERROR = IsA("django.db.utils.DatabaseError")

CLAIMS = [
    Claim(
        check="lobs.distinct_with_text",
        statement=(
            "Oracle stores TextField as NCLOB, which cannot be in a SELECT DISTINCT list (ORA-00932); "
            "defer() of the TextField is the workaround."
        ),
        source=TEXTFIELD,
        expect=(Expect("oracle", {"distinct": ERROR, "distinct with defer(body)": 1}),),
    ),
    Claim(
        check="lobs.index_on_text",
        statement=(
            "LOB columns may not be used in indexes on Oracle; MySQL can index only the first N characters "
            "of a TEXT column."
        ),
        source=TEXTFIELD,
        expect=(Expect(("oracle", "mysql", "mariadb"), False),),
    ),
    Claim(
        check="lobs.text_primary_key",
        statement="LOB columns (Oracle's TextField) may not be used as primary keys.",
        source=TEXTFIELD,
        expect=(Expect("oracle", ERROR),),
    ),
    Claim(
        check="lobs.returning_into_off",
        statement=(
            "With use_returning_into False the Oracle backend reads an AutoField's value with a separate "
            "SELECT instead of RETURNING INTO: the saved row still gets its pk."
        ),
        source=Source("ref/databases", "Oracle notes > INSERT ... RETURNING INTO"),
        expect=(Expect("oracle", True),),
    ),
    Claim(
        check="lobs.type_named_fields",
        statement=(
            "On Oracle, fields named after Oracle data types (date, timestamp, number, float) may fail "
            "with ORA-06552, although Django quotes every identifier."
        ),
        source=Source("ref/databases", "Oracle notes > Naming issues"),
        expect=(Expect("oracle", ERROR),),
    ),
    Claim(
        check="postgresql-binding.server_side_binding",
        statement="The server_side_binding option is ignored with psycopg2: both ways bind on the client.",
        source=Source("ref/databases", "PostgreSQL notes > Server-side parameters binding"),
        expect=(Expect("+psycopg2", {"default": "ok", "server_side_binding": "ok"}),),
    ),
]
