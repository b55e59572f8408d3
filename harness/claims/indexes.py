"""The model index reference (ref/models/indexes): its statements that a backend behaves differently.

"Ignored" is what Django does with an option a backend lacks: the index is created without it (the option is
left out of the CREATE INDEX Django sends), or, for a functional index, not at all.
"""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, IsA, Not, Source

PAGE = "ref/models/indexes"
ERROR = IsA("builtins.Exception")


def option(name: str) -> Source:
    return Source(PAGE, f"Index options > {name}", anchor=f"django.db.models.Index.{name}")


EXPRESSIONS = option("expressions")

CLAIMS = [
    Claim(
        check="indexes.functional",
        django="django<6.1",
        statement="Functional indexes are ignored with MySQL < 8.0.13 and MariaDB as neither supports them.",
        source=EXPRESSIONS,
        expect=(Expect(("mariadb", "mysql<8.0.13"), False), Expect("*", True)),
    ),
    Claim(
        check="indexes.functional",
        django="django>=6.1",
        statement="Functional indexes are unsupported and ignored with MariaDB.",
        source=EXPRESSIONS,
        expect=(Expect("mariadb", False), Expect("*", True)),
    ),
    Claim(
        check="indexes.functional_concat",
        statement=(
            "PostgreSQL requires functions and operators referenced in an index to be marked as IMMUTABLE; Django "
            "doesn't validate this but PostgreSQL will error: functions such as Concat() aren't accepted."
        ),
        source=EXPRESSIONS,
        expect=(Expect("postgresql", Not(True)),),
    ),
    Claim(
        check="indexes.functional_non_deterministic",
        statement=(
            "Oracle requires functions referenced in an index to be marked as DETERMINISTIC; Django doesn't validate "
            "this but Oracle will error: functions such as Random() aren't accepted."
        ),
        source=EXPRESSIONS,
        expect=(Expect("oracle", ERROR),),
    ),
    Claim(
        check="indexes.descending",
        django="django<5.0",
        statement=(
            "A field name prefixed with a hyphen makes a descending index; index ordering isn't supported on MySQL "
            "< 8.0.1 and MariaDB < 10.8, where a descending index is created as a normal index."
        ),
        source=option("fields"),
        expect=(Expect(("mysql<8.0.1", "mariadb<10.8"), ["ASC"]), Expect("*", ["DESC"])),
    ),
    Claim(
        check="indexes.descending",
        django="django>=5.0 django<6.1",
        statement=(
            "A field name prefixed with a hyphen makes a descending index; index ordering isn't supported on "
            "MariaDB < 10.8, where a descending index is created as a normal index."
        ),
        source=option("fields"),
        expect=(Expect("mariadb<10.8", ["ASC"]), Expect("*", ["DESC"])),
    ),
    Claim(
        check="indexes.descending",
        django="django>=6.1",
        statement="A field name prefixed with a hyphen makes a descending index.",
        source=option("fields"),
        expect=(Expect("*", ["DESC"]),),
    ),
    Claim(
        check="indexes.opclasses",
        statement=(
            "opclasses are the PostgreSQL operator classes to use for the index; they are "
            "ignored for databases besides PostgreSQL."
        ),
        source=option("opclasses"),
        expect=(Expect("postgresql", {"added": "ok", "sent": True}), Expect("*", {"added": "ok", "sent": False})),
    ),
    Claim(
        check="indexes.condition",
        statement=(
            "condition makes a partial index; the argument is ignored with MySQL and MariaDB as neither supports "
            "conditional indexes, and Oracle does not support partial indexes (SQLite restricts how one is built)."
        ),
        source=option("condition"),
        expect=(
            Expect(("postgresql", "sqlite"), {"added": "ok", "sent": True}),
            Expect(("mysql", "mariadb", "oracle"), {"added": "ok", "sent": False}),
        ),
    ),
    Claim(
        check="indexes.include",
        statement=(
            "include makes a covering index of the non-key columns given; it is "
            "ignored for databases besides PostgreSQL."
        ),
        source=option("include"),
        expect=(Expect("postgresql", {"added": "ok", "sent": True}), Expect("*", {"added": "ok", "sent": False})),
    ),
]

EXPLANATIONS = [
    Explanation(
        check="indexes.functional",
        when="mariadb +connector",
        observed="django.db.utils.ProgrammingError",
        text=(
            "Connector/Python's Django backend answers False for mysql_is_mariadb (lib/mysql/connector/django/"
            "base.py, DatabaseWrapper.__getattr__), so Django's MySQL features turn supports_expression_indexes on "
            "for a server version of 8.0.13 or more and Django sends the functional index, which MariaDB's CREATE "
            "INDEX does not take (it indexes columns only): error 1064."
        ),
        source=(
            "MariaDB Server documentation, CREATE INDEX; MySQL Connector/Python "
            "source, lib/mysql/connector/django/base.py"
        ),
        url="https://mariadb.com/kb/en/create-index/",
    ),
    Explanation(
        check="indexes.functional_concat",
        when="postgresql django>=5.0",
        observed=True,
        text=(
            "Django 5's Concat() on PostgreSQL is the || operator over text (ConcatPair.as_postgresql, "
            "pipes_concat_sql) instead of the CONCAT() function, which PostgreSQL marks STABLE; text || text is "
            "IMMUTABLE, so the index is accepted."
        ),
        source=(
            "Django source, django/db/models/functions/text.py (ConcatPair.as_postgresql); "
            "PostgreSQL docs, String Functions and Operators"
        ),
        url="https://github.com/django/django/blob/main/django/db/models/functions/text.py",
    ),
]
