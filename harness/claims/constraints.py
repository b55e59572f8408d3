"""The constraints reference (ref/models/constraints): its statements that a backend behaves differently.

"Unique constraints with X are ignored" is read as the docs write it: the constraint is not created (Django
leaves it out where the backend lacks X), so duplicates are accepted; "opclasses are ignored" leaves the
constraint, without its operator classes.
"""

from __future__ import annotations

from harness.claims.model import Claim, Expect, IsA, Source

PAGE = "ref/models/constraints"
# A row the constraint refuses is an error from the database; the docs name no class for it.
REFUSED = IsA("django.db.utils.DatabaseError")


def unique(name: str) -> Source:
    return Source(PAGE, f"UniqueConstraint > {name}", anchor=f"django.db.models.UniqueConstraint.{name}")


CLAIMS = [
    Claim(
        check="constraints.check_enforced",
        statement="CheckConstraint creates a check constraint in the database: a row that breaks it is refused.",
        source=Source(PAGE, "CheckConstraint", anchor="django.db.models.CheckConstraint"),
        expect=(Expect("*", REFUSED),),
    ),
    Claim(
        check="constraints.check_null",
        django="django<5.0",
        statement=(
            "Checks with nullable fields on Oracle must include a condition allowing for NULL values in order for "
            "validate() to behave the same as check constraints validation: there validate() refuses a NULL the "
            "database accepts; elsewhere both accept it."
        ),
        source=Source(PAGE, "CheckConstraint > check", anchor="django.db.models.CheckConstraint.check"),
        expect=(
            Expect("oracle", {"validate() accepts": False, "database accepts": True}),
            Expect("*", {"validate() accepts": True, "database accepts": True}),
        ),
    ),
    Claim(
        check="constraints.check_null",
        django="django>=5.0",
        statement=(
            "Checks with nullable fields on Oracle < 23c must include a condition allowing for NULL values in order "
            "for validate() to behave the same as check constraints validation: there validate() refuses a NULL the "
            "database accepts; elsewhere both accept it."
        ),
        source=Source(PAGE, "CheckConstraint > condition", anchor="django.db.models.CheckConstraint.condition"),
        expect=(
            Expect("oracle<23", {"validate() accepts": False, "database accepts": True}),
            Expect("*", {"validate() accepts": True, "database accepts": True}),
        ),
    ),
    Claim(
        check="constraints.unique_deferrable",
        statement=(
            "A deferred unique constraint is enforced when the transaction commits, not at each statement; "
            "deferrable unique constraints are ignored on MySQL, MariaDB, and SQLite as they do not support them."
        ),
        source=unique("deferrable"),
        expect=(
            Expect(("postgresql", "oracle"), {"inside the transaction": "ok", "at commit": REFUSED}),
            Expect(("mysql", "mariadb", "sqlite"), {"inside the transaction": "ok", "at commit": "ok"}),
        ),
    ),
    Claim(
        check="constraints.unique_include",
        django="django<5.0",
        statement="include (non-key columns of the unique index) is supported only on PostgreSQL.",
        source=unique("include"),
        expect=(Expect("postgresql", REFUSED),),
    ),
    Claim(
        check="constraints.unique_include",
        django="django>=5.0",
        statement="Unique constraints with non-key columns (include) are ignored for databases besides PostgreSQL.",
        source=unique("include"),
        expect=(Expect("postgresql", REFUSED), Expect("*", "ok")),
    ),
    Claim(
        check="constraints.unique_opclasses",
        statement=(
            "opclasses are the PostgreSQL operator classes of the unique index; they are ignored for databases "
            "besides PostgreSQL, where the constraint is kept."
        ),
        source=unique("opclasses"),
        expect=(Expect("*", REFUSED),),
    ),
    Claim(
        check="constraints.unique_nulls_distinct",
        django="django>=5.0 django<6.1",
        statement=(
            "nulls_distinct=False makes NULLs equal to each other in the unique constraint; unique constraints with "
            "nulls_distinct are ignored for databases besides PostgreSQL 15+."
        ),
        source=unique("nulls_distinct"),
        expect=(
            Expect("postgresql>=15", {"second NULL": REFUSED, "second 1": REFUSED}),
            Expect("*", {"second NULL": "ok", "second 1": "ok"}),
        ),
    ),
    Claim(
        check="constraints.unique_nulls_distinct",
        django="django>=6.1",
        statement=(
            "nulls_distinct=False makes NULLs equal to each other in the unique constraint; unique constraints with "
            "nulls_distinct are ignored for databases besides PostgreSQL."
        ),
        source=unique("nulls_distinct"),
        expect=(
            Expect("postgresql", {"second NULL": REFUSED, "second 1": REFUSED}),
            Expect("*", {"second NULL": "ok", "second 1": "ok"}),
        ),
    ),
]
