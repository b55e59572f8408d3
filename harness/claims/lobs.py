"""LOB columns (ref/databases, Oracle notes); psycopg binding (PostgreSQL notes).

``lobs.type_named_fields`` has no claim: the Oracle notes say an ORA-06552 error "may be encountered"
with fields named date, timestamp, number or float, which claims neither an error nor its absence;
the check still records what each backend does.
"""

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
        statement="Oracle stores TextField as NCLOB, and LOB columns may not be used in indexes.",
        source=TEXTFIELD,
        # The MySQL notes say MySQL can index the first N characters of a TEXT column and forbid only
        # unique=True (fields.text_unique); they say nothing of what an Index on a TextField does.
        expect=(Expect("oracle", False),),
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
        check="postgresql-binding.server_side_binding",
        statement=(
            "The server_side_binding option is ignored with psycopg2: a statement behaves the same with "
            "the option as without it."
        ),
        source=Source("ref/databases", "PostgreSQL notes > Server-side parameters binding"),
        expect=(Expect("+psycopg2", True),),
    ),
]
