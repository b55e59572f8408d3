"""The claims table: judging an observation against what the docs say, per cell."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from packaging.version import Version

from harness.claims import BEHAVIOURS, CLAIMS, Claim, ClaimsTable, Expect, IsA, Source
from harness.results import Outcome
from harness.versions import SpecError, Target, parse_spec

ROOT = Path(__file__).resolve().parent.parent

SOURCE = Source("ref/databases", "MariaDB notes > Row locking", "5.2")


def target(
    vendor: str = "mariadb",
    server: str | None = "10.11.19",
    driver: str = "mysqlclient",
    driver_version: str | None = "2.2.4",
    django: str | None = "5.2.19",
) -> Target:
    return Target(
        vendor,
        Version(server) if server else None,
        driver,
        Version(driver_version) if driver_version else None,
        Version(django) if django else None,
    )


def claim(check: str, *expect: Expect, django: str = "*") -> Claim:
    return Claim(
        check=check,
        statement=f"The docs on {check}.",
        source=SOURCE,
        expect=expect,
        django=django,
    )


@pytest.fixture
def table() -> ClaimsTable:
    return ClaimsTable(
        [
            claim("locking.skip_locked", Expect("mariadb<10.6", False), Expect("*", True)),
            claim("locking.nowait", Expect("mariadb<10.6", False), Expect("mariadb>=10.6", True)),
            claim("types.json", Expect("oracle", "CLOB"), Expect("*", "native")),
            claim("types.uuid", Expect("postgresql", "uuid")),  # nothing for other vendors
            claim("engines.default", Expect(("mysql", "mariadb"), "InnoDB")),
            claim("locking.of", Expect(("postgresql", "mysql>=8.0.1"), True), Expect("*", False)),
            claim("driver.server_side_cursors", Expect("+psycopg<3.1", False), Expect("*", True)),
            claim("returning.insert", Expect("*", 1)),
            claim("returning.columns", Expect("*", ("id", "name"))),
            claim("returning.rows", Expect("*", [[1, "a"]])),
            claim("db_default.update", Expect("*", "kept"), django="django<5.0"),
            claim(
                "db_default.update",
                Expect("mariadb", "reset"),
                Expect("*", "recomputed"),
                django="django>=5.0",
            ),
        ]
    )


def test_as_documented(table: ClaimsTable) -> None:
    judgement = table.judge("types.json", "native", target())
    assert judgement.outcome is Outcome.AS_DOCUMENTED
    assert judgement.expected == "native"
    assert judgement.claim is not None
    assert judgement.claim.check == "types.json"
    assert judgement.claim.source is SOURCE


def test_differs_from_docs_reports_what_was_expected(table: ClaimsTable) -> None:
    judgement = table.judge("types.json", "longtext", target())
    assert judgement.outcome is Outcome.DIFFERS
    assert judgement.expected == "native"
    assert judgement.claim is not None
    assert judgement.claim.statement == "The docs on types.json."


def test_no_claim_for_an_unknown_check(table: ClaimsTable) -> None:
    assert "types.xml" not in table
    assert "types.json" in table
    judgement = table.judge("types.xml", "anything", target())
    assert judgement.outcome is Outcome.NO_CLAIM
    assert judgement.expected is None
    assert judgement.claim is None
    assert table.claim_for("types.xml", target()) is None


def test_no_claim_when_no_expect_matches(table: ClaimsTable) -> None:
    judgement = table.judge("types.uuid", "char(32)", target(vendor="mysql", server="8.0.36"))
    assert judgement.outcome is Outcome.NO_CLAIM
    assert judgement.expected is None
    # The claim is still named: the docs speak of the check, just not of this vendor.
    assert judgement.claim is not None
    assert judgement.claim.check == "types.uuid"
    on_postgres = table.judge("types.uuid", "uuid", target(vendor="postgresql", server="15.20", driver="psycopg"))
    assert on_postgres.outcome is Outcome.AS_DOCUMENTED


def test_first_matching_expect_wins(table: ClaimsTable) -> None:
    oracle = target(vendor="oracle", server="23.0", driver="oracledb")
    assert table.judge("types.json", "CLOB", oracle).outcome is Outcome.AS_DOCUMENTED
    # "*" would say "native", but the Oracle override comes first.
    assert table.judge("types.json", "native", oracle).outcome is Outcome.DIFFERS
    assert table.judge("types.json", "native", oracle).expected == "CLOB"


def test_first_matching_expect_wins_in_order_given() -> None:
    # With "*" first, the override below it is never reached.
    table = ClaimsTable([claim("types.json", Expect("*", "native"), Expect("oracle", "CLOB"))])
    oracle = target(vendor="oracle", server="23.0", driver="oracledb")
    assert table.judge("types.json", "CLOB", oracle).outcome is Outcome.DIFFERS
    assert table.judge("types.json", "CLOB", oracle).expected == "native"


@pytest.mark.parametrize(
    ("vendor", "server", "outcome"),
    [
        ("mysql", "8.0.36", Outcome.AS_DOCUMENTED),
        ("mariadb", "10.11.19", Outcome.AS_DOCUMENTED),
        ("postgresql", "15.20", Outcome.NO_CLAIM),
        ("sqlite", "3.45.1", Outcome.NO_CLAIM),
    ],
)
def test_one_expect_for_several_specs(table: ClaimsTable, vendor: str, server: str, outcome: Outcome) -> None:
    # ("mysql", "mariadb") reads "MySQL or MariaDB": either spec matching is enough.
    judgement = table.judge("engines.default", "InnoDB", target(vendor=vendor, server=server))
    assert judgement.outcome is outcome
    assert judgement.expected == ("InnoDB" if outcome is Outcome.AS_DOCUMENTED else None)


@pytest.mark.parametrize(
    ("vendor", "server", "expected"),
    [
        ("postgresql", "15.20", True),
        ("mysql", "8.0.1", True),
        ("mysql", "8.0.0", False),  # neither spec holds: the next expectation decides
        ("mariadb", "10.11.19", False),
    ],
)
def test_several_specs_keep_their_version_terms(table: ClaimsTable, vendor: str, server: str, expected: bool) -> None:
    judgement = table.judge("locking.of", expected, target(vendor=vendor, server=server))
    assert judgement.outcome is Outcome.AS_DOCUMENTED


def test_several_specs_are_one_expectation_in_the_order_given() -> None:
    cell = target(vendor="mariadb")
    first = ClaimsTable([claim("x.y", Expect(("mysql", "mariadb"), "both"), Expect("mariadb", "only"))])
    assert first.judge("x.y", "both", cell).outcome is Outcome.AS_DOCUMENTED
    second = ClaimsTable([claim("x.y", Expect("mariadb", "only"), Expect(("mysql", "mariadb"), "both"))])
    assert second.judge("x.y", "only", cell).outcome is Outcome.AS_DOCUMENTED
    assert Expect("mariadb", 1).matches(cell) and Expect(("mysql", "mariadb"), 1).matches(cell)
    assert not Expect(("mysql", "postgresql"), 1).matches(cell)


def test_behaviour_is_the_first_part_of_the_check_id() -> None:
    assert claim("row-locking.nowait.flag", Expect("*", True)).behaviour == "row-locking"
    assert claim("fields.text_unique", Expect("*", True)).behaviour == "fields"


@pytest.mark.parametrize(
    ("server", "expected"),
    [("10.4.34", False), ("10.5.27", False), ("10.6.0", True), ("10.11.19", True), ("11.4.3", True)],
)
def test_server_version_ranges(table: ClaimsTable, server: str, expected: bool) -> None:
    cell = target(server=server)
    for check in ("locking.skip_locked", "locking.nowait"):
        assert table.judge(check, expected, cell).outcome is Outcome.AS_DOCUMENTED
        judgement = table.judge(check, not expected, cell)
        assert judgement.outcome is Outcome.DIFFERS
        assert judgement.expected is expected


def test_server_version_range_with_unknown_version(table: ClaimsTable) -> None:
    unknown = target(server=None)
    # Neither range holds for a version nobody knows: "*" decides, or there is no claim.
    assert table.judge("locking.skip_locked", True, unknown).outcome is Outcome.AS_DOCUMENTED
    assert table.judge("locking.nowait", True, unknown).outcome is Outcome.NO_CLAIM


def test_other_vendor_falls_through_to_star(table: ClaimsTable) -> None:
    mysql = target(vendor="mysql", server="5.7.44")  # below 10.6, but not MariaDB
    assert table.judge("locking.skip_locked", True, mysql).outcome is Outcome.AS_DOCUMENTED
    assert table.judge("locking.nowait", True, mysql).outcome is Outcome.NO_CLAIM


@pytest.mark.parametrize(
    ("django", "vendor", "expected"),
    [
        ("4.2.16", "mariadb", "kept"),
        ("4.2.16", "postgresql", "kept"),
        ("5.0", "mariadb", "reset"),
        ("5.2.19", "mariadb", "reset"),
        ("5.2.19", "postgresql", "recomputed"),
        ("6.0a1", "postgresql", "recomputed"),
    ],
)
def test_each_cell_is_judged_by_its_own_django(table: ClaimsTable, django: str, vendor: str, expected: str) -> None:
    cell = target(vendor=vendor, server="15.20", django=django)
    judgement = table.judge("db_default.update", expected, cell)
    assert judgement.outcome is Outcome.AS_DOCUMENTED
    assert judgement.expected == expected
    assert judgement.claim is not None
    assert judgement.claim is table.claim_for("db_default.update", cell)
    for other in {"kept", "reset", "recomputed"} - {expected}:
        assert table.judge("db_default.update", other, cell).outcome is Outcome.DIFFERS


def test_django_claims_are_distinct(table: ClaimsTable) -> None:
    old = table.claim_for("db_default.update", target(django="4.2.16"))
    new = table.claim_for("db_default.update", target(django="5.2.19"))
    assert old is not None and new is not None
    assert old.django == "django<5.0"
    assert new.django == "django>=5.0"


def test_no_claim_without_a_django_version(table: ClaimsTable) -> None:
    judgement = table.judge("db_default.update", "kept", target(django=None))
    assert judgement.outcome is Outcome.NO_CLAIM
    assert judgement.claim is None


@pytest.mark.parametrize(
    ("driver", "version", "expected"),
    [
        ("psycopg", "3.0.18", False),
        ("psycopg", "3.1.0", True),
        ("psycopg", "3.2.3", True),
        ("psycopg2", "2.9.9", True),
    ],
)
def test_driver_term(table: ClaimsTable, driver: str, version: str, expected: bool) -> None:
    cell = target(vendor="postgresql", server="15.20", driver=driver, driver_version=version)
    assert table.judge("driver.server_side_cursors", expected, cell).outcome is Outcome.AS_DOCUMENTED
    assert table.judge("driver.server_side_cursors", not expected, cell).outcome is Outcome.DIFFERS


def test_bool_is_not_int(table: ClaimsTable) -> None:
    judgement = table.judge("returning.insert", True, target())
    assert judgement.outcome is Outcome.DIFFERS
    assert judgement.expected == 1
    assert table.judge("returning.insert", 1, target()).outcome is Outcome.AS_DOCUMENTED
    assert table.judge("returning.insert", 1.0, target()).outcome is Outcome.DIFFERS
    assert table.judge("locking.skip_locked", 1, target()).outcome is Outcome.DIFFERS


def test_tuples_compare_like_lists(table: ClaimsTable) -> None:
    assert table.judge("returning.columns", ["id", "name"], target()).outcome is Outcome.AS_DOCUMENTED
    assert table.judge("returning.columns", ("id", "name"), target()).outcome is Outcome.AS_DOCUMENTED
    assert table.judge("returning.columns", ["name", "id"], target()).outcome is Outcome.DIFFERS
    assert table.judge("returning.rows", ([1, "a"],), target()).outcome is Outcome.AS_DOCUMENTED
    assert table.judge("returning.rows", [[1, "b"]], target()).outcome is Outcome.DIFFERS


def test_none_observed_differs_from_a_value(table: ClaimsTable) -> None:
    assert table.judge("types.json", None, target()).outcome is Outcome.DIFFERS


@pytest.mark.parametrize(
    ("observed", "expected", "outcome"),
    [
        pytest.param([True], [1], Outcome.DIFFERS),
        pytest.param({"rows": 1}, {"rows": True}, Outcome.DIFFERS),
        pytest.param([(1, "a")], [[1, "a"]], Outcome.AS_DOCUMENTED),
        pytest.param([[1, "a"]], [[1, "a"]], Outcome.AS_DOCUMENTED),
        pytest.param({"rows": [1, 2]}, {"rows": [1, 2]}, Outcome.AS_DOCUMENTED),
    ],
)
def test_nested_values_compare_like_json(observed: object, expected: object, outcome: Outcome) -> None:
    # What is written is JSON: true and 1 stay apart and tuples are lists, at any depth.
    table = ClaimsTable([claim("nested.value", Expect("*", expected))])
    assert table.judge("nested.value", observed, target()).outcome is outcome


@pytest.mark.parametrize(
    "bad",
    [
        claim("x.y", Expect("mariadb<ten", True)),
        claim("x.y", Expect("", True)),
        claim("x.y", Expect("mssql", True)),
        claim("x.y", Expect("*", True), Expect("*>=1", False)),
        claim("x.y", Expect("*", True), django="django>=five"),
        claim("x.y", Expect("*", True), django="Django>=5.0"),
        claim("x.y", Expect(("mysql", "mariadb<ten"), True)),
        claim("x.y", Expect(("mysql", ""), True)),
        claim("x.y", Expect((), True)),
    ],
)
def test_an_invalid_spec_fails_when_the_table_is_built(bad: Claim) -> None:
    with pytest.raises(SpecError):
        ClaimsTable([claim("ok.check", Expect("*", 1)), bad])


@pytest.mark.parametrize("spec", ["mariadb<ten", "", "mssql", "*>=1", "+*", "django>=five"])
def test_a_bad_spec_among_several_says_what_the_grammar_says(spec: str) -> None:
    with pytest.raises(SpecError) as alone:
        parse_spec(spec)
    for expect in (Expect(spec, True), Expect(("mysql", spec), True), Expect((spec, "mariadb"), True)):
        with pytest.raises(SpecError) as among:
            ClaimsTable([claim("x.y", expect)])
        assert str(among.value) == str(alone.value)


def test_no_spec_at_all_is_an_empty_spec() -> None:
    with pytest.raises(SpecError) as empty:
        parse_spec("")
    with pytest.raises(SpecError) as none:
        ClaimsTable([claim("x.y", Expect((), True))])
    assert str(none.value) == str(empty.value)


def test_source() -> None:
    source = Source("ref/databases", "MySQL notes > Row locking with QuerySet.select_for_update()", "5.2")
    assert str(source) == (
        "Django 5.2 docs, ref/databases, MySQL notes > Row locking with QuerySet.select_for_update()"
    )
    assert source.url() == "https://docs.djangoproject.com/en/5.2/ref/databases/"
    assert Source("topics/db/sql", "x", "4.2").url() == "https://docs.djangoproject.com/en/4.2/topics/db/sql/"


def test_a_source_with_an_anchor_links_its_section() -> None:
    source = Source(
        "ref/models/querysets", "QuerySet API > bulk_create()", anchor="django.db.models.query.QuerySet.bulk_create"
    )
    assert source.url("6.1") == (
        "https://docs.djangoproject.com/en/6.1/ref/models/querysets/#django.db.models.query.QuerySet.bulk_create"
    )
    assert source.url(Version("4.2.30")).startswith("https://docs.djangoproject.com/en/4.2/ref/models/querysets/#")
    assert str(source) == "Django docs, ref/models/querysets, QuerySet API > bulk_create()"


def test_source_of_the_cells_own_docs() -> None:
    # Claims whose text every covered release shares cite the docs of the cell being judged.
    source = Source("ref/databases", "Oracle notes > NULL and empty strings")
    assert source.cite(Version("6.1.3")) == "Django 6.1 docs, ref/databases, Oracle notes > NULL and empty strings"
    assert source.cite("4.2") == "Django 4.2 docs, ref/databases, Oracle notes > NULL and empty strings"
    assert source.url(Version("5.2.19")) == "https://docs.djangoproject.com/en/5.2/ref/databases/"
    assert str(source) == "Django docs, ref/databases, Oracle notes > NULL and empty strings"


def test_is_a_matches_subclasses_by_class_path() -> None:
    error = IsA("django.db.utils.DatabaseError")
    assert error.matches("django.db.utils.OperationalError")
    assert error.matches("django.db.utils.DatabaseError")
    assert not error.matches("django.db.utils.InterfaceError")  # a sibling under Error, not a DatabaseError
    assert not error.matches("builtins.ValueError")
    assert not error.matches("no.such.module.Error")
    assert not error.matches(None)
    table = ClaimsTable([claim("lock.nowait", Expect("*", {"raised": error, "at_once": True}))])
    judged = table.judge("lock.nowait", {"raised": "django.db.utils.OperationalError", "at_once": True}, target())
    assert judged.outcome is Outcome.AS_DOCUMENTED
    assert judged.expected == {"raised": {"instance of": "django.db.utils.DatabaseError"}, "at_once": True}
    excluding = IsA("django.db.utils.DatabaseError", excluding="django.db.utils.NotSupportedError")
    assert excluding.matches("django.db.utils.OperationalError")
    assert not excluding.matches("django.db.utils.NotSupportedError")
    assert excluding.to_json() == {
        "instance of": "django.db.utils.DatabaseError",
        "but not": "django.db.utils.NotSupportedError",
    }
    slow = table.judge("lock.nowait", {"raised": "django.db.utils.OperationalError", "at_once": False}, target())
    assert slow.outcome is Outcome.DIFFERS


def _shipped_claims() -> list[Claim]:
    claims = [c for group in CLAIMS._claims.values() for c in group]
    assert claims, "the shipped table is empty"
    return claims


@pytest.mark.parametrize("shipped", _shipped_claims(), ids=lambda c: f"{c.check}[{c.django}]")
def test_shipped_claims_have_statement_and_source(shipped: Claim) -> None:
    assert shipped.statement.strip()
    assert shipped.behaviour in BEHAVIOURS
    assert shipped.expect
    assert isinstance(shipped.source, Source)
    assert str(shipped.source).startswith("Django ")
    assert shipped.source.url().startswith("https://docs.djangoproject.com/en/")


def _published(suite: Path) -> set[str]:
    """The check ids a suite publishes, its per-option ids spelt out."""
    text = suite.read_text(encoding="utf-8")
    published: set[str] = set()
    for check_id in re.findall(r'@pytest\.mark\.check\("([^"]+)"\)', text):
        options = re.findall(r'"(\w+)": \(\{', text) if "{option}" in check_id else [""]
        published.update(check_id.format(option=option) for option in options)
    return published


def test_every_claim_is_about_a_check_some_suite_publishes() -> None:
    # A claim whose check no suite runs would never be judged: a typo in an id, or a check gone.
    published = set().union(*(_published(path) for path in (ROOT / "suites").glob("test_*.py")))
    assert "row-locking.nowait.flag" in published and "smoke.round_trip" in published
    claimed = {claim.check for claim in _shipped_claims()}
    assert claimed - published == set()


def test_claims_modules_mirror_the_suites() -> None:
    # suites/test_<name>.py and harness/claims/<name>.py go together: a check's claims are found
    # from its suite's name, and the table holds every module's claims.
    suites = {path.stem.removeprefix("test_"): path for path in (ROOT / "suites").glob("test_*.py")}
    modules = {
        path.stem
        for path in (ROOT / "harness" / "claims").glob("*.py")
        if path.stem not in ("__init__", "model", "recipes", "references", "catalogue")
    }
    assert modules == set(suites)
    assembled: list[Claim] = []
    for name in sorted(modules):
        claims = importlib.import_module(f"harness.claims.{name}").CLAIMS
        assert claims, f"harness/claims/{name}.py has no claims"
        strays = {c.check for c in claims} - _published(suites[name])
        assert strays == set(), f"harness/claims/{name}.py claims checks that suites/test_{name}.py does not publish"
        assembled.extend(claims)
    assert sorted(map(id, assembled)) == sorted(map(id, _shipped_claims()))


def test_readme_lists_every_published_check() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in (ROOT / "suites").glob("test_*.py"):
        for check_id in re.findall(r'@pytest\.mark\.check\("([^"]+)"\)', path.read_text(encoding="utf-8")):
            shown = check_id.replace("{option}", "{nowait,skip_locked,of,no_key}")
            assert f"`{shown}`" in text, f"README's check list lacks {check_id}"


def _judged(check_id: str, observed: object, **cell: str) -> tuple[Outcome, object, str | None]:
    judgement = CLAIMS.judge(check_id, observed, target(**cell))
    return judgement.outcome, judgement.expected, judgement.explanation.source if judgement.explanation else None


def test_a_corrupted_timestamp_is_judged_as_changed_not_by_how_much() -> None:
    # The MySQL notes say the values are corrupted, not by how much: any shift is what they claim.
    for shift in (-7200, 3600, 1):
        assert _judged("timestamp-use-tz.timestamp_shift", shift)[0] is Outcome.AS_DOCUMENTED
    outcome, expected, _ = _judged("timestamp-use-tz.timestamp_shift", 0)
    assert outcome is Outcome.DIFFERS
    assert expected == {"not": 0}
    assert _judged("timestamp-use-tz.timestamp_shift", 0, vendor="mysql", server="9.7.4")[0] is Outcome.DIFFERS


def test_truncation_in_strict_mode_is_judged_as_an_error_of_any_database_class() -> None:
    # "escalates warnings into errors": any database error, whichever class the driver's maps to.
    for observed in ("django.db.utils.DataError", "django.db.utils.OperationalError", "django.db.utils.DatabaseError"):
        assert _judged("fields.overlong_string", observed)[0] is Outcome.AS_DOCUMENTED
    assert _judged("fields.overlong_string", "ok")[0] is Outcome.DIFFERS
    assert _judged("fields.overlong_string", "ok", vendor="postgresql", server="15.20", driver="psycopg")[0] is (
        Outcome.NO_CLAIM
    )


@pytest.mark.parametrize(
    ("check_id", "observed", "cell"),
    [
        # The SQLite decimal notes say nothing of the other backends.
        ("fields.decimal_sum", True, {"vendor": "postgresql", "server": "15.20", "driver": "psycopg"}),
        ("fields.decimal_sum", True, {"vendor": "mariadb"}),
        # "may be encountered" claims neither an error nor its absence.
        ("lobs.type_named_fields", "ok", {"vendor": "oracle", "server": "23.0", "driver": "oracledb"}),
        # The MySQL notes forbid only unique=True on a TextField; an Index is the Oracle notes' claim alone.
        ("lobs.index_on_text", False, {"vendor": "mysql", "server": "9.7.4"}),
        # For SQLite and non-ASCII strings the icontains docs only point to the note on exact matches.
        (
            "collation.icontains_non_ascii",
            {"ascii": True, "non-ascii": False},
            {"vendor": "sqlite", "server": "3.45.1"},
        ),
        # The docs say nothing of what the option does with psycopg 3 in this check.
        ("postgresql-binding.server_side_binding", False, {"vendor": "postgresql", "driver": "psycopg"}),
    ],
)
def test_what_the_docs_do_not_say_is_no_claim(check_id: str, observed: object, cell: dict[str, str]) -> None:
    assert _judged(check_id, observed, **cell)[0] is Outcome.NO_CLAIM


def test_sqlite_decimal_sum_is_claimed() -> None:
    assert _judged("fields.decimal_sum", False, vendor="sqlite", server="3.45.1")[0] is Outcome.AS_DOCUMENTED


def test_an_ignored_option_is_judged_as_the_same_behaviour_either_way() -> None:
    cell = {"vendor": "postgresql", "server": "15.20", "driver": "psycopg2", "driver_version": "2.9.10"}
    assert _judged("postgresql-binding.server_side_binding", True, **cell)[0] is Outcome.AS_DOCUMENTED
    assert _judged("postgresql-binding.server_side_binding", False, **cell)[0] is Outcome.DIFFERS


@pytest.mark.parametrize(
    ("django", "documented"),
    [("4.2.30", "utf8_general_ci"), ("5.2.19", "utf8mb4_0900_ai_ci"), ("6.1.3", "utf8mb4_0900_ai_ci")],
)
def test_the_documented_default_collation_is_the_claims_own(django: str, documented: str) -> None:
    from harness.claims.collation import documented_default

    # The check asks the server about the very name the claim of that Django version expects.
    assert documented_default(Version(django)) == documented
    assert _judged("collation.default", documented, django=django)[0] is Outcome.AS_DOCUMENTED


@pytest.mark.parametrize(
    ("check_id", "observed", "cell", "source"),
    [
        ("typecasting.raw_eq_one", [], {"vendor": "mysql", "server": "9.7.4"}, "MySQL 8.4 Reference Manual"),
        ("typecasting.raw_eq_one", [], {}, "MariaDB Server documentation, Type Conversion"),
        ("collation.default", "utf8mb4_general_ci", {}, "MariaDB Server documentation, Setting Character Sets"),
        ("collation.default", "utf8mb4_uca1400_ai_ci", {"server": "11.8.9"}, "MariaDB 11.4.5 Release Notes"),
        (
            "collation.default",
            "utf8mb3_uca1400_ai_ci",
            {"server": "11.8.9", "django": "4.2.30"},
            "MariaDB Server documentation, Setting Character Sets",
        ),
        ("collation.db_collation_case_sensitive", "django.db.utils.OperationalError", {}, "MariaDB 11.4.5"),
        ("fields.text_unique", "ok", {}, "MariaDB Server documentation, BLOB"),
        ("fields.datetime_microseconds", 0, {"driver": "connector"}, "MySQL Connector/Python source"),
        ("storage-engines.myisam_savepoint", 2, {}, "MariaDB Server documentation, SAVEPOINT"),
    ],
)
def test_findings_carry_the_servers_own_explanation(
    check_id: str, observed: object, cell: dict[str, str], source: str
) -> None:
    outcome, _, explained_by = _judged(check_id, observed, **cell)
    assert outcome is Outcome.DIFFERS
    assert explained_by is not None and explained_by.startswith(source), explained_by


@pytest.mark.parametrize(
    ("check_id", "observed", "cell"),
    [
        # MariaDB 11.x sends no "5.5.5-" prefix: Connector/Python would not drop microseconds for that reason.
        ("fields.datetime_microseconds", 0, {"server": "11.8.9", "driver": "connector"}),
        ("fields.datetime_microseconds", 0, {}),  # mysqlclient: nothing explains a loss there
        # Another observation than the one explained is not explained by it.
        ("collation.default", "latin1_swedish_ci", {}),
        ("storage-engines.myisam_savepoint", 1, {}),
    ],
)
def test_an_explanation_covers_only_what_it_explains(check_id: str, observed: object, cell: dict[str, str]) -> None:
    outcome, _, explained_by = _judged(check_id, observed, **cell)
    assert outcome is Outcome.DIFFERS
    assert explained_by is None


@pytest.mark.parametrize("module", ["collation", "typecasting", "fields", "lobs", "timestamps", "storage_engines"])
def test_every_explanation_cites_a_page_and_an_address(module: str) -> None:
    for explanation in getattr(importlib.import_module(f"harness.claims.{module}"), "EXPLANATIONS", ()):
        assert explanation.text.strip().endswith((".", ")")), explanation.check
        assert explanation.source.strip(), explanation.check
        assert explanation.url.startswith("https://"), explanation.check
