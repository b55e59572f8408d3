"""What the docs tell users to set up, per Django version: cells are set up the same way.

A recipe is read like a claim's expectations: the first ``Expect`` whose Django range
matches the cell's Django version wins.
"""

from __future__ import annotations

from packaging.version import Version

from harness.claims.model import Expect
from harness.versions import Target

RECIPES: dict[str, tuple[Expect, ...]] = {
    # ref/databases, MySQL notes > Creating your database: CREATE DATABASE <dbname> CHARACTER SET ...
    "mysql.database_charset": (Expect("django<5.2", "utf8"), Expect("django>=5.2", "utf8mb4")),
    # ref/databases, MySQL notes > Collation settings: "change the column or table to use the ... collation"
    "mysql.case_sensitive_collation": (Expect("django<5.2", "utf8_bin"), Expect("django>=5.2", "utf8mb4_0900_as_cs")),
}


def recipe(name: str, django: Version) -> str:
    target = Target(vendor="", server_version=None, driver="", driver_version=None, django_version=django)
    for expectation in RECIPES[name]:
        if expectation.matches(target):
            return str(expectation.value)
    raise KeyError(f"recipe {name!r} has nothing for Django {django}")
