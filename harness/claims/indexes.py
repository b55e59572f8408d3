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
CONDITION = option("condition")
INCLUDE = option("include")
COVERING = {"added": "ok", "sent": True}
# The conditions indexes.condition_immutable adds a partial index with.
NOW_CONDITION, HOUR_CONDITION, CONCAT_CONDITION = (
    "Q(stamp__lte=Now())",
    "Q(stamp__hour=10)",
    "Q(name=Concat('code', 'code'))",
)
REFUSED_BY_POSTGRESQL = "django.db.utils.ProgrammingError"

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
        source=CONDITION,
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
        source=INCLUDE,
        expect=(Expect("postgresql", COVERING), Expect("*", {"added": "ok", "sent": False})),
    ),
    Claim(
        check="indexes.condition_immutable",
        statement=(
            "PostgreSQL requires functions referenced in the condition to be marked as IMMUTABLE; Django doesn't "
            "validate this but PostgreSQL will error: functions such as date functions and Concat aren't accepted."
        ),
        source=CONDITION,
        expect=(Expect("postgresql", {NOW_CONDITION: ERROR, HOUR_CONDITION: ERROR, CONCAT_CONDITION: ERROR}),),
    ),
    Claim(
        check="indexes.include_gist",
        django="django<6.1",
        statement="PostgreSQL supports covering B-Tree and GiST indexes (include on a GistIndex).",
        source=INCLUDE,
        expect=(Expect("postgresql", COVERING),),
    ),
    Claim(
        check="indexes.include_gist",
        django="django>=6.1",
        statement=(
            "In addition to B-Tree indexes (via Index), PostgreSQL also supports GistIndex and SpGistIndex indexes "
            "(with include, covering ones)."
        ),
        source=INCLUDE,
        expect=(Expect("postgresql", COVERING),),
    ),
    Claim(
        check="indexes.include_spgist",
        django="django<6.1",
        statement="PostgreSQL 14+ also supports covering SP-GiST indexes (include on an SpGistIndex).",
        source=INCLUDE,
        expect=(Expect("postgresql>=14", COVERING), Expect("postgresql", Not(COVERING))),
    ),
    Claim(
        check="indexes.include_spgist",
        django="django>=6.1",
        statement=(
            "In addition to B-Tree indexes (via Index), PostgreSQL also supports GistIndex and SpGistIndex indexes "
            "(with include, covering ones)."
        ),
        source=INCLUDE,
        expect=(Expect("postgresql", COVERING),),
    ),
]

VOLATILITY = (
    "PostgreSQL docs, Function Volatility Categories (STABLE: results depending on parameter variables such as the "
    "current time zone; the current_timestamp family); Date/Time Functions and Operators > AT TIME ZONE"
)
VOLATILITY_URL = "https://www.postgresql.org/docs/current/xfunc-volatility.html"
HOUR_ACCEPTED = (
    "With USE_TZ (the cells' setting, TIME_ZONE 'UTC'), Django's PostgreSQL backend converts a DateTimeField to the "
    "current time zone before it extracts a part: EXTRACT(HOUR FROM \"stamp\" AT TIME ZONE 'UTC') "
    "(django/db/backends/postgresql/operations.py, _convert_sql_to_tz). AT TIME ZONE with a named zone gives a "
    "timestamp without time zone, and neither that conversion nor EXTRACT of a timestamp without time zone depends on "
    "the session's TimeZone setting, so PostgreSQL marks both IMMUTABLE and accepts that partial index. STABLE are the "
    "functions whose result depends on a parameter such as the current time zone (EXTRACT of a timestamp with time "
    "zone itself, as Django sends it without USE_TZ) and the current_timestamp family: Now(), STATEMENT_TIMESTAMP(), "
    "is refused (SQLSTATE 42P17)."
)

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
    Explanation(
        check="indexes.condition_immutable",
        when="postgresql django<5.0",
        observed={NOW_CONDITION: REFUSED_BY_POSTGRESQL, HOUR_CONDITION: "ok", CONCAT_CONDITION: REFUSED_BY_POSTGRESQL},
        text=HOUR_ACCEPTED + " Django 4.2's Concat() is CONCAT(), which PostgreSQL marks STABLE: refused too.",
        source=VOLATILITY,
        url=VOLATILITY_URL,
    ),
    Explanation(
        check="indexes.condition_immutable",
        when="postgresql django>=5.0",
        observed={NOW_CONDITION: REFUSED_BY_POSTGRESQL, HOUR_CONDITION: "ok", CONCAT_CONDITION: "ok"},
        text=(
            HOUR_ACCEPTED + " Django 5's Concat() is the || operator over text instead of the CONCAT() function "
            "(django/db/models/functions/text.py, ConcatPair.as_postgresql); text || text is IMMUTABLE where CONCAT() "
            "is STABLE, so that condition is accepted too."
        ),
        source=VOLATILITY + "; String Functions and Operators",
        url=VOLATILITY_URL,
    ),
]
