"""Collation and case sensitivity (ref/databases MySQL and SQLite notes; ref/models/querysets lookups)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, IsA, Source
from harness.claims.recipes import RECIPES

COLLATION = Source("ref/databases", "MySQL notes > Creating your database > Collation settings")
SQLITE_MATCHING = Source("ref/databases", "SQLite notes > Substring matching and case sensitivity")
INTEGRITY_ERROR = IsA("django.db.utils.IntegrityError")

CLAIMS = [
    Claim(
        check="collation.default",
        django="django<5.2",
        statement="With a UTF-8 database, MySQL uses the utf8_general_ci collation by default.",
        source=COLLATION,
        expect=(Expect(("mysql", "mariadb"), "utf8_general_ci"),),
    ),
    Claim(
        check="collation.default",
        django="django>=5.2",
        statement="With a UTF-8 database, MySQL uses the utf8mb4_0900_ai_ci collation by default.",
        source=COLLATION,
        expect=(Expect(("mysql", "mariadb"), "utf8mb4_0900_ai_ci"),),
    ),
    Claim(
        check="collation.exact_ignores_case",
        statement='With the default collation MySQL compares strings case-insensitively: "Fred" equals "freD".',
        source=COLLATION,
        expect=(Expect(("mysql", "mariadb"), True),),
    ),
    Claim(
        check="collation.unique_ignores_case",
        statement='A unique column under MySQL\'s default collation cannot hold both "aa" and "AA".',
        source=COLLATION,
        expect=(Expect(("mysql", "mariadb"), INTEGRITY_ERROR),),
    ),
    Claim(
        check="collation.contains_ignores_case",
        statement="contains is a case-sensitive containment test, except on SQLite, where it acts like icontains.",
        source=Source("ref/models/querysets", "Field lookups > contains"),
        expect=(Expect("sqlite", True), Expect("*", False)),
    ),
    Claim(
        check="collation.iexact_non_ascii",
        statement="iexact matches case-insensitively, but on SQLite non-ASCII strings match case-sensitively.",
        source=SQLITE_MATCHING,
        expect=(Expect("sqlite", False), Expect("*", True)),
    ),
    Claim(
        check="collation.icontains_non_ascii",
        statement=(
            "icontains matches case-insensitively; on SQLite, strings with non-ASCII characters match "
            "case-sensitively even with the case-insensitive lookups."
        ),
        source=SQLITE_MATCHING,
        expect=(
            Expect("sqlite", {"ascii": True, "non-ascii": False}),
            Expect("*", {"ascii": True, "non-ascii": True}),
        ),
    ),
    *(
        Claim(
            check="collation.db_collation_case_sensitive",
            django=django.text,
            statement=f"A column with the {documented.value} collation compares case-sensitively on MySQL.",
            source=COLLATION,
            expect=(Expect(("mysql", "mariadb"), True),),
        )
        for documented in RECIPES["mysql.case_sensitive_collation"]
        for django in documented.specs()
    ),
    Claim(
        check="collation.formset_unique_case",
        statement=(
            "Under a case-insensitive collation, a model formset with unique values differing only by case "
            "validates, and save() raises IntegrityError."
        ),
        source=COLLATION,
        expect=(Expect(("mysql", "mariadb"), {"valid": True, "save": INTEGRITY_ERROR}),),
    ),
]
