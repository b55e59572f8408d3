"""The catalogue: every statement of Django's docs, on the pages it covers, that a backend behaves differently.

``catalogue.yaml`` lists each statement with its page, section and anchor, the Django versions whose docs make
it, and either the checks that observe it, the reason it cannot be observed here, or what is not yet checked.
:func:`load_catalogue` reads and validates it; every named check must be a published one (the tests ensure).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CATALOGUE = Path(__file__).with_name("catalogue.yaml")
# The pages the catalogue covers, as in the docs' URLs (https://docs.djangoproject.com/en/<version>/<page>/).
PAGES = (
    "ref/models/querysets",
    "ref/settings",
    "ref/models/fields",
    "ref/models/indexes",
    "ref/models/database-functions",
    "topics/db/transactions",
    "topics/migrations",
    "topics/db/queries",
    "ref/models/options",
    "ref/migration-operations",
    "ref/models/expressions",
    "ref/models/constraints",
    "topics/db/sql",
)
# The Django versions of the matrix whose docs were read.
DJANGO_VERSIONS = ("4.2", "5.2", "6.0", "6.1")
CHECKED, CANNOT, NOT_YET = "checked", "cannot be observed here", "not yet checked"
_KEYS = {"section", "anchor", "django", "statement", "checks", "reason", "not_yet"}


class CatalogueError(ValueError):
    """The catalogue file does not say what it must; the message names the entry and the key."""


@dataclass(frozen=True)
class Statement:
    page: str
    section: str
    anchor: str
    django: tuple[str, ...]
    text: str
    checks: tuple[str, ...] = ()
    reason: str | None = None  # why no check can observe it here
    not_yet: str | None = None  # what a check would do, not written yet

    @property
    def status(self) -> str:
        return CHECKED if self.checks else CANNOT if self.reason else NOT_YET

    def url(self, django_version: str) -> str:
        return f"https://docs.djangoproject.com/en/{django_version}/{self.page}/#{self.anchor}"


def load_catalogue(path: Path = CATALOGUE) -> list[Statement]:
    """The statements of the catalogue at ``path``; :class:`CatalogueError` for an entry that is not well formed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("pages"), dict):
        raise CatalogueError(f"{path}: expected a mapping with 'pages', each page a list of statements")
    statements: list[Statement] = []
    for page, entries in data["pages"].items():
        if page not in PAGES:
            raise CatalogueError(f"{path}: unknown page {page!r}; the catalogue covers {', '.join(PAGES)}")
        if not isinstance(entries, list):
            raise CatalogueError(f"{path}: {page}: expected a list of statements")
        statements.extend(_statement(path, page, number, entry) for number, entry in enumerate(entries, 1))
    return statements


def _statement(path: Path, page: str, number: int, entry: Any) -> Statement:
    where = f"{path}: {page}, statement {number}"
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: expected a mapping")
    unknown = set(entry) - _KEYS
    if unknown:
        raise CatalogueError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(_KEYS)}")
    for key in ("section", "anchor", "statement"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise CatalogueError(f"{where}: {key!r} must be a non-empty string")
    versions = entry.get("django")
    if not isinstance(versions, list) or not versions or not set(versions) <= set(DJANGO_VERSIONS):
        raise CatalogueError(f"{where}: 'django' must list some of {', '.join(DJANGO_VERSIONS)}")
    given = [key for key in ("checks", "reason", "not_yet") if key in entry]
    if len(given) != 1:
        raise CatalogueError(f"{where}: give exactly one of 'checks', 'reason' or 'not_yet' (got {given or 'none'})")
    checks = entry.get("checks", [])
    if "checks" in entry and (
        not isinstance(checks, list) or not checks or not all(isinstance(c, str) for c in checks)
    ):
        raise CatalogueError(f"{where}: 'checks' must list check ids")
    for key in ("reason", "not_yet"):
        if key in entry and (not isinstance(entry[key], str) or not entry[key].strip().endswith(".")):
            raise CatalogueError(f"{where}: {key!r} must be a full sentence")
    return Statement(
        page=page,
        section=entry["section"],
        anchor=entry["anchor"],
        django=tuple(versions),
        text=entry["statement"],
        checks=tuple(checks),
        reason=entry.get("reason"),
        not_yet=entry.get("not_yet"),
    )


def counts(statements: list[Statement]) -> dict[str, int]:
    """How many statements there are, and how many are checked, cannot be observed here, or are not yet checked."""
    by_status = Counter(statement.status for statement in statements)
    return {"statements": len(statements), **{status: by_status[status] for status in (CHECKED, CANNOT, NOT_YET)}}
