"""Collation and case sensitivity (ref/databases MySQL and SQLite notes; ref/models/querysets lookups)."""

from __future__ import annotations

from packaging.version import Version

from harness.claims.model import Claim, Expect, Explanation, IsA, Source
from harness.claims.recipes import RECIPES
from harness.versions import Target

COLLATION = Source("ref/databases", "MySQL notes > Creating your database > Collation settings")
INTEGRITY_ERROR = IsA("django.db.utils.IntegrityError")

# The collation the docs say a UTF-8 database (created as they show) gets by default, per Django
# version. The claims are made from it; the check asks the server whether this name is the same
# collation as the database's default, so that an alias (utf8_general_ci for utf8mb3_general_ci)
# is compared as the server resolves it, not as a string.
DOCUMENTED_DEFAULT = (Expect("django<5.2", "utf8_general_ci"), Expect("django>=5.2", "utf8mb4_0900_ai_ci"))


def documented_default(django: Version) -> str:
    target = Target(vendor="", server_version=None, driver="", driver_version=None, django_version=django)
    for expectation in DOCUMENTED_DEFAULT:
        if expectation.matches(target):
            return str(expectation.value)
    raise KeyError(f"the docs name no default collation for Django {django}")


CLAIMS = [
    *(
        Claim(
            check="collation.default",
            django=django.text,
            statement=(
                f"By default, with a UTF-8 database, MySQL uses the {documented.value} collation (an alias the "
                "server resolves to that collation counts as it)."
            ),
            source=COLLATION,
            expect=(Expect(("mysql", "mariadb"), documented.value),),
        )
        for documented in DOCUMENTED_DEFAULT
        for django in documented.specs()
    ),
    Claim(
        check="collation.exact_ignores_case",
        statement=(
            'With the default collation MySQL compares strings case-insensitively: "Fred" and "freD" are '
            "considered equal at the database level."
        ),
        source=COLLATION,
        expect=(Expect(("mysql", "mariadb"), True),),
    ),
    Claim(
        check="collation.unique_ignores_case",
        statement=(
            'Under MySQL\'s default collation it is illegal to insert both "aa" and "AA" into a unique column, '
            "since they compare as equal (the section's formset warning names the IntegrityError raised)."
        ),
        source=COLLATION,
        expect=(Expect(("mysql", "mariadb"), INTEGRITY_ERROR),),
    ),
    Claim(
        check="collation.contains_ignores_case",
        statement=(
            "contains is a case-sensitive containment test, except on SQLite, which doesn't support "
            "case-sensitive LIKE: there contains acts like icontains."
        ),
        source=Source("ref/models/querysets", "Field lookups > contains"),
        expect=(Expect("sqlite", True), Expect("*", False)),
    ),
    Claim(
        check="collation.iexact_non_ascii",
        statement=(
            "iexact is a case-insensitive exact match, but SQLite does not do case-insensitive matching for "
            "non-ASCII strings: there iexact behaves exactly like exact."
        ),
        source=Source("ref/models/querysets", "Field lookups > iexact"),
        expect=(Expect("sqlite", False), Expect("*", True)),
    ),
    Claim(
        check="collation.icontains_non_ascii",
        statement=(
            "icontains is a case-insensitive containment test. For SQLite and non-ASCII strings the docs only "
            "say to bear in mind the SQLite note on string matching, whose non-ASCII rule is about exact "
            "matches (iexact behaves like exact), not substring matches: nothing is claimed for SQLite."
        ),
        source=Source("ref/models/querysets", "Field lookups > icontains"),
        expect=(Expect(("postgresql", "mysql", "mariadb", "oracle"), {"ascii": True, "non-ascii": True}),),
    ),
    *(
        Claim(
            check="collation.db_collation_case_sensitive",
            django=django.text,
            statement=(
                f"For case-sensitive comparisons on a column, change it to the {documented.value} collation "
                "(here through db_collation): it then compares case-sensitively."
            ),
            source=COLLATION,
            expect=(Expect(("mysql", "mariadb"), True),),
        )
        for documented in RECIPES["mysql.case_sensitive_collation"]
        for django in documented.specs()
    ),
    Claim(
        check="collation.formset_unique_case",
        statement=(
            "Model formsets validate unique fields case-sensitively: under a case-insensitive collation a "
            "formset with unique values differing only by case passes validation, and save() raises "
            "IntegrityError."
        ),
        source=COLLATION,
        expect=(Expect(("mysql", "mariadb"), {"valid": True, "save": INTEGRITY_ERROR}),),
    ),
]

_CHARSET_DEFAULT = (
    "MariaDB Server documentation, Setting Character Sets and Collations (a character set given without a "
    "collation gets that character set's default collation)"
)
_CHARSET_DEFAULT_URL = "https://mariadb.com/kb/en/setting-character-sets-and-collations/"
_MARIADB_0900 = "MariaDB 11.4.5 Release Notes, Character Sets and Collations (MySQL 8.0's utf8mb4_0900_* names)"
_MARIADB_0900_URL = "https://mariadb.com/kb/en/mariadb-11-4-5-release-notes/"

EXPLANATIONS = [
    Explanation(
        check="collation.default",
        when="mariadb django>=5.2",
        observed="utf8mb4_general_ci",
        text=(
            "A database created with CHARACTER SET utf8mb4 gets utf8mb4's default collation, which on MariaDB "
            "10.x is utf8mb4_general_ci; MariaDB before 11.4.5 has no collation named utf8mb4_0900_ai_ci at "
            "all (the server refuses the name: Unknown collation)."
        ),
        source=_CHARSET_DEFAULT,
        url=_CHARSET_DEFAULT_URL,
    ),
    Explanation(
        check="collation.default",
        when="mariadb>=11.4.5 django>=5.2",
        observed="utf8mb4_uca1400_ai_ci",
        text=(
            "MariaDB 11.8 gives a utf8mb4 database utf8mb4_uca1400_ai_ci, the collation its "
            "character_set_collations names for utf8mb4. It does accept the name utf8mb4_0900_ai_ci (since "
            "11.4.5), but as an alias of utf8mb4_uca1400_nopad_ai_ci, a NO PAD collation and not the default "
            "(information_schema.COLLATIONS says so in its COMMENT column)."
        ),
        source=_MARIADB_0900,
        url=_MARIADB_0900_URL,
    ),
    Explanation(
        check="collation.default",
        when="mariadb>=11 django<5.2",
        observed="utf8mb3_uca1400_ai_ci",
        text=(
            "MariaDB 11.8 gives a utf8 (utf8mb3) database utf8mb3_uca1400_ai_ci, the collation its "
            "character_set_collations names for utf8mb3, instead of utf8mb3_general_ci, the server's own name "
            "for utf8_general_ci."
        ),
        source=_CHARSET_DEFAULT,
        url=_CHARSET_DEFAULT_URL,
    ),
    Explanation(
        check="collation.db_collation_case_sensitive",
        when="mariadb<11.4.5 django>=5.2",
        text=(
            "MariaDB has collations named utf8mb4_0900_* only from 11.4.5 (aliases of its utf8mb4_uca1400_* "
            "collations); before, a column given utf8mb4_0900_as_cs is refused with Unknown collation. "
            "MariaDB's own case-sensitive collations are e.g. utf8mb4_bin or utf8mb4_uca1400_as_cs."
        ),
        source=_MARIADB_0900,
        url=_MARIADB_0900_URL,
    ),
]
