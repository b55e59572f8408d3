"""Sequence reset after manually assigned primary keys (ref/databases, PostgreSQL notes)."""

from __future__ import annotations

from harness.claims.model import AtLeast, Claim, Expect, IsA, Source

MANUAL_PK = Source("ref/databases", "PostgreSQL notes > Manually-specifying values of auto-incrementing primary keys")

CLAIMS = [
    Claim(
        check="sequence-reset.collision_after_manual_pk",
        statement=(
            "Assigning an auto-incrementing primary key by hand does not update PostgreSQL's identity "
            "sequence, so the next row without a pk collides: IntegrityError."
        ),
        source=MANUAL_PK,
        expect=(Expect("postgresql", IsA("django.db.utils.IntegrityError")),),
    ),
    Claim(
        check="sequence-reset.sqlsequencereset_statements",
        statement="On PostgreSQL, sqlsequencereset generates the SQL statements that reset the sequence.",
        source=MANUAL_PK,
        expect=(Expect("postgresql", AtLeast(1)),),
    ),
    Claim(
        check="sequence-reset.fixed_after_reset",
        statement="After running what sqlsequencereset printed, the next row without a pk is created.",
        source=MANUAL_PK,
        expect=(Expect("postgresql", "ok"),),
    ),
]
