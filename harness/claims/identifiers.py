"""Identifiers and table names (ref/databases, Oracle notes > Naming issues)."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, Source

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

# Django's MySQL backend (and Connector/Python's, which keeps its operations) quotes a name in backticks
# unless it is in backticks already (django/db/backends/mysql/operations.py, quote_name): '"name"' becomes
# `"name"`, and inside backticks a double quote is a character of the name.
_QUOTES_KEPT = (
    "Django's MySQL backend leaves a name alone only when it is already in backticks (quote_name), so it "
    "sends the double-quoted db_table inside backticks; {server} quotes identifiers with backticks (and with "
    "double quotes too only under sql_mode ANSI_QUOTES), and inside a quoted identifier every character but "
    "NUL belongs to the name, quote characters included, so the table is named with its double quotes."
)

EXPLANATIONS = [
    Explanation(
        check="identifiers.quoted_db_table",
        when="mysql",
        observed='"name_left_in_lowercase"',
        text=_QUOTES_KEPT.format(server="MySQL"),
        source="MySQL Reference Manual, Language Structure > Schema Object Names",
        url="https://dev.mysql.com/doc/refman/en/identifiers.html",
    ),
    Explanation(
        check="identifiers.quoted_db_table",
        when="mariadb",
        observed='"name_left_in_lowercase"',
        text=_QUOTES_KEPT.format(server="MariaDB"),
        source="MariaDB documentation, SQL Language Structure > Identifier Names (Quoted)",
        url="https://mariadb.com/kb/en/identifier-names/",
    ),
]
