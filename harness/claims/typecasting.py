"""String typecasting (ref/databases, MySQL notes > Automatic typecasting can cause unexpected results)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Source

TYPECASTING = Source("ref/databases", "MySQL notes > Automatic typecasting can cause unexpected results")

CLAIMS = [
    Claim(
        check="typecasting.raw_eq_zero",
        statement="MySQL coerces string values to integers: with rows 'abc' and 'def', WHERE col = 0 matches both.",
        source=TYPECASTING,
        expect=(Expect(("mysql", "mariadb"), ["abc", "def"]),),
    ),
    Claim(
        check="typecasting.raw_eq_one",
        statement="MySQL coerces string values to integers: WHERE col = 1 matches the value 'abc1'.",
        source=TYPECASTING,
        expect=(Expect(("mysql", "mariadb"), ["abc1"]),),
    ),
    Claim(
        check="typecasting.orm_eq_zero",
        statement="Django's string fields cast the value to a string before using it in a query.",
        source=TYPECASTING,
        expect=(Expect("*", []),),
    ),
    Claim(
        check="typecasting.raw_manager_param",
        statement="raw() and RawSQL do no typecasting of their parameters, so MySQL's coercion applies.",
        source=TYPECASTING,
        expect=(Expect(("mysql", "mariadb"), {"raw": ["abc", "def"], "RawSQL": ["abc", "def"]}),),
    ),
]
