"""Making queries (topics/db/queries): its statements that a backend behaves differently."""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, IsA, Not, Source

PAGE = "topics/db/queries"
ERROR = IsA("builtins.Exception")
KT = Source(
    PAGE,
    "Querying JSONField > Key, index, and path transforms > KT() expressions",
    anchor="django.db.models.fields.json.KT",
)
TRANSFORMS = Source(
    PAGE, "Querying JSONField > Key, index, and path transforms", anchor="key-index-and-path-transforms"
)

CLAIMS = [
    Claim(
        check="queries.bitxor",
        statement=(
            "F() expressions support bitwise operations, bitxor() among them; Oracle doesn't support bitwise XOR."
        ),
        source=Source(
            PAGE,
            "Retrieving objects > Filters can reference fields on the model",
            anchor="filters-can-reference-fields-on-the-model",
        ),
        expect=(Expect("oracle", ERROR), Expect("*", 6)),
    ),
    Claim(
        check="queries.json_key_order_by",
        statement=(
            "order_by() on key, index, or path transforms sorts by the string representation of the values on "
            "MariaDB and Oracle, which have no function converting JSON values into SQL values."
        ),
        source=KT,
        expect=(Expect(("mariadb", "oracle"), [10, 100, 9]), Expect("*", [9, 10, 100])),
    ),
    Claim(
        check="queries.json_exclude_none",
        statement=(
            "On Oracle, exclude() with None at a path returns the objects that do not have null there, including "
            "those without the path; on other backends, those that have the path with a value that is not null."
        ),
        source=KT,
        expect=(Expect("oracle", ["none", "one"]), Expect("*", ["one"])),
    ),
    Claim(
        check="queries.json_postgresql_operators",
        statement="On PostgreSQL, the -> operator is used for one key or index, and #> for several.",
        source=KT,
        expect=(Expect("postgresql", {"one key: ->": True, "path: #>": True}),),
    ),
    Claim(
        check="queries.json_true_string",
        statement=(
            'On SQLite, "true", "false", and "null" string values are always interpreted as True, False, and JSON null.'
        ),
        source=KT,
        expect=(Expect("sqlite", ["boolean true", "string true"]),),
    ),
    Claim(
        check="queries.json_contains",
        statement="The contains and contained_by lookups of JSONField are not supported on Oracle and SQLite.",
        source=Source(PAGE, "Querying JSONField > Containment and key lookups > contains", anchor="contains"),
        expect=(
            Expect(("oracle", "sqlite"), {"contains": ERROR, "contained_by": ERROR}),
            Expect("*", {"contains": ["object"], "contained_by": ["nine", "none"]}),
        ),
    ),
    Claim(
        check="queries.json_negative_index",
        django="django>=6.0 django<6.1",
        statement=(
            "Negative JSON array indices are not supported on MySQL, MariaDB, and Oracle "
            "(SQLite support was added in Django 6.0)."
        ),
        source=TRANSFORMS,
        expect=(Expect(("mysql", "mariadb", "oracle"), Not(["list"])), Expect(("postgresql", "sqlite"), ["list"])),
    ),
    Claim(
        check="queries.json_negative_index",
        django="django>=6.1",
        statement=(
            "Negative JSON array indices are not supported on MySQL, MariaDB, and Oracle < 21c (Oracle 21c+ support "
            "was added in Django 6.1)."
        ),
        source=TRANSFORMS,
        expect=(
            Expect(("mysql", "mariadb", "oracle<21"), Not(["list"])),
            Expect(("postgresql", "sqlite", "oracle"), ["list"]),
        ),
    ),
]

EXPLANATIONS: list[Explanation] = []
