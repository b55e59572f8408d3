"""The catalogue of the docs' backend statements (harness/claims/catalogue.yaml): well formed, and honest
about what it checks.

Every statement of the pages it covers has a check, a reason, or says it is not yet checked; every check it
names is one a suite publishes; every check of the page suites is in it, and its claims cite the page and
section of a statement naming it, with the section's anchor in their link.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from harness.claims import CLAIMS, MODULES
from harness.claims.catalogue import (
    CANNOT,
    CHECKED,
    DJANGO_VERSIONS,
    NOT_YET,
    PAGES,
    CatalogueError,
    Statement,
    counts,
    load_catalogue,
)
from tests.test_claims import ROOT, _published

# The claims modules of the pages the catalogue covers (the suites of the same names).
PAGE_MODULES = (
    "querysets",
    "model_fields",
    "indexes",
    "constraints",
    "functions",
    "expressions",
    "queries",
    "db_transactions",
    "migrations",
    "migration_operations",
    "meta_options",
    "settings",
    "sql",
)


@pytest.fixture(scope="module")
def statements() -> list[Statement]:
    return load_catalogue()


def published() -> set[str]:
    return set().union(*(_published(path) for path in (ROOT / "suites").glob("test_*.py")))


def test_every_page_is_catalogued_for_every_version(statements: list[Statement]) -> None:
    assert {s.page for s in statements} == set(PAGES)
    for page in PAGES:
        versions = {version for s in statements if s.page == page for version in s.django}
        assert versions == set(DJANGO_VERSIONS), page


def test_every_statement_has_a_check_a_reason_or_says_it_is_not_yet_checked(statements: list[Statement]) -> None:
    for statement in statements:
        assert statement.status in (CHECKED, CANNOT, NOT_YET)
        assert statement.section.strip() and statement.anchor.strip() and statement.text.strip()
        assert statement.url("5.2") == f"https://docs.djangoproject.com/en/5.2/{statement.page}/#{statement.anchor}"
    tally = counts(statements)
    assert tally["statements"] == tally[CHECKED] + tally[CANNOT] + tally[NOT_YET] == len(statements)
    assert tally[CHECKED] > tally[CANNOT] + tally[NOT_YET]


def test_every_named_check_is_published(statements: list[Statement]) -> None:
    named = {check for statement in statements for check in statement.checks}
    assert named - published() == set()


def test_every_check_of_the_page_suites_is_catalogued(statements: list[Statement]) -> None:
    named = {check for statement in statements for check in statement.checks}
    for module in PAGE_MODULES:
        suite = _published(ROOT / "suites" / f"test_{module}.py")
        assert suite, module
        assert suite - named == set(), f"suites/test_{module}.py publishes checks the catalogue does not name"


def test_the_page_modules_are_registered() -> None:
    registered = {module.__name__.rsplit(".", 1)[1] for module in MODULES}
    assert set(PAGE_MODULES) <= registered


@pytest.mark.parametrize("module", PAGE_MODULES)
def test_page_claims_cite_a_catalogued_statement_and_link_its_section(module: str, statements: list[Statement]) -> None:
    for claim in importlib.import_module(f"harness.claims.{module}").CLAIMS:
        assert claim.source.page in PAGES, claim.check
        assert claim.source.anchor, claim.check
        assert claim.source.url("6.1") == (
            f"https://docs.djangoproject.com/en/6.1/{claim.source.page}/#{claim.source.anchor}"
        )
        naming = [s for s in statements if claim.check in s.checks]
        assert naming, claim.check
        assert claim.source.page in {s.page for s in naming}, (claim.check, claim.source.page)
        assert claim.check in CLAIMS


def test_a_statement_without_a_check_says_why(tmp_path: Path) -> None:
    bad = tmp_path / "catalogue.yaml"
    entry = '{section: "A > B", anchor: b, django: ["5.2"], statement: "S."'
    cases = {
        f"pages: {{ref/models/querysets: [{entry}}}]}}": "exactly one of",
        f"pages: {{ref/models/querysets: [{entry}, checks: [a.b], reason: 'R.'}}]}}": "exactly one of",
        f"pages: {{ref/models/querysets: [{entry}, reason: 'no full stop'}}]}}": "full sentence",
        f"pages: {{ref/nowhere: [{entry}, reason: 'R.'}}]}}": "unknown page",
        f"pages: {{ref/models/querysets: [{entry}, reason: 'R.', extra: 1}}]}}": "unknown keys",
        'pages: {ref/models/querysets: [{section: "A", anchor: b, django: ["5.0"], statement: "S.", reason: "R."}]}': (
            "'django'"
        ),
    }
    for text, message in cases.items():
        bad.write_text(text)
        with pytest.raises(CatalogueError, match=message):
            load_catalogue(bad)
    bad.write_text(f"pages: {{ref/models/querysets: [{entry}, not_yet: 'A check would look.'}}]}}")
    (loaded,) = load_catalogue(bad)
    assert loaded.status == NOT_YET and loaded.django == ("5.2",)
