"""Identifiers and table names (ref/databases, Oracle notes > Naming issues)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Source

ORACLE_NAMES = Source("ref/databases", "Oracle notes > Naming issues")

CLAIMS = [
    Claim(
        check="identifiers.long_table_name",
        statement=(
            "Oracle's name length limit is 30 characters: the backend truncates longer identifiers, the "
            "last four characters replaced by a hash."
        ),
        source=ORACLE_NAMES,
        expect=(Expect("oracle", 30),),
    ),
    Claim(
        check="identifiers.quoted_db_table",
        statement=(
            "A quoted db_table keeps Oracle from upper-casing and truncating the name; on the other "
            "backends the quotes have no effect."
        ),
        source=ORACLE_NAMES,
        expect=(Expect("*", "name_left_in_lowercase"),),
    ),
]
