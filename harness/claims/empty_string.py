"""NULL and empty strings (ref/databases, Oracle notes > NULL and empty strings)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Source

ORACLE = Source("ref/databases", "Oracle notes > NULL and empty strings")

CLAIMS = [
    Claim(
        check="empty-string.stored_as_null",
        statement="Django prefers the empty string to NULL, but Oracle treats both identically: '' is stored as NULL.",
        source=ORACLE,
        expect=(Expect("oracle", True), Expect("*", False)),
    ),
    Claim(
        check="empty-string.read_back",
        statement="An empty string reads back as ''; on Oracle the NULL fetched is silently converted to ''.",
        source=ORACLE,
        expect=(Expect("*", ""),),
    ),
    Claim(
        check="empty-string.filter_isnull",
        statement="Only on Oracle, where '' is NULL, does filter(field__isnull=True) find the row saved with ''.",
        source=ORACLE,
        expect=(Expect("oracle", 1), Expect("*", 0)),
    ),
    Claim(
        check="empty-string.not_null_accepts_empty",
        statement=(
            "A null=False field can hold ''; on Oracle the backend ignores null=False for such fields and "
            "makes the column nullable."
        ),
        source=ORACLE,
        expect=(Expect("*", "ok"),),
    ),
    Claim(
        check="empty-string.flag",
        statement="Only Oracle treats the empty string as NULL (interprets_empty_strings_as_nulls).",
        source=ORACLE,
        expect=(Expect("oracle", True), Expect("*", False)),
    ),
]
