"""String typecasting (ref/databases, MySQL notes > Automatic typecasting can cause unexpected results).

The checks run the docs' own rows and WHERE clauses; what they judge is which of the docs' rows
match. The other rows the server matched are kept with each result (``matched``).
"""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, Source

TYPECASTING = Source("ref/databases", "MySQL notes > Automatic typecasting can cause unexpected results")

CLAIMS = [
    Claim(
        check="typecasting.raw_eq_zero",
        statement=(
            "MySQL coerces the values in the table to integers before comparing them with an integer: with "
            "the values 'abc' and 'def', WHERE mycolumn=0 matches both rows."
        ),
        source=TYPECASTING,
        expect=(Expect(("mysql", "mariadb"), ["abc", "def"]),),
    ),
    Claim(
        check="typecasting.raw_eq_one",
        statement="MySQL coerces string values to integers: WHERE mycolumn=1 matches the value 'abc1'.",
        source=TYPECASTING,
        expect=(Expect(("mysql", "mariadb"), ["abc1"]),),
    ),
    Claim(
        check="typecasting.orm_eq_zero",
        statement=(
            "Django's string fields always cast the value to a string before using it in a query: "
            "filter(col=0) compares with '0', so neither 'abc' nor 'def' matches."
        ),
        source=TYPECASTING,
        expect=(Expect("*", []),),
    ),
    Claim(
        check="typecasting.raw_manager_param",
        statement=(
            "With raw() or RawSQL you must perform the typecasting yourself: an integer parameter is "
            "compared as MySQL compares integers, so 0 matches 'abc' and 'def'."
        ),
        source=TYPECASTING,
        expect=(Expect(("mysql", "mariadb"), {"raw": ["abc", "def"], "RawSQL": ["abc", "def"]}),),
    ),
]

# Both servers read a number from the start of a string, so 'abc1' (no leading digits) is 0, not 1.
EXPLANATIONS = [
    Explanation(
        check="typecasting.raw_eq_one",
        when="mysql",
        text=(
            "MySQL compares a string with a number as two floating-point numbers, and a string converts to "
            "the number its leading characters spell: 'abc1' has no leading digits, so it is 0 and does not "
            "match WHERE col = 1, while strings such as '1', ' 1' and '1a' do (the manual's own examples: "
            "0 = 'x6' is 1, 7 > '6x' is 1)."
        ),
        source="MySQL 8.4 Reference Manual, Functions and Operators > 14.3 Type Conversion in Expression Evaluation",
        url="https://dev.mysql.com/doc/refman/8.4/en/type-conversion.html",
    ),
    Explanation(
        check="typecasting.raw_eq_one",
        when="mariadb",
        text=(
            "MariaDB compares a string with an integer as two decimals (floating point before 10.3.36), "
            "converting the string by its leading numeric characters: 'abc1' has none, so it is 0 and does "
            "not match WHERE col = 1, while '1', ' 1', '1.0' and '1abc' do."
        ),
        source="MariaDB Server documentation, Type Conversion > Rules for Conversion on Comparison",
        url="https://mariadb.com/kb/en/type-conversion/",
    ),
]
