"""The spec grammar (``parse_spec``) and the version helpers of harness.versions."""

from __future__ import annotations

import pytest
from packaging.version import Version

from harness.versions import (
    VENDORS,
    SpecError,
    Target,
    leading_version,
    parse_spec,
    parse_version,
    same_release,
)


def target(
    vendor: str = "mariadb",
    server: str | None = "10.11.19",
    driver: str = "mysqlclient",
    driver_version: str | None = "2.2.4",
    django: str | None = "5.2.19",
    pooler: str | None = None,
    options: dict[str, object] | None = None,
    bases: tuple[str, ...] = (),
) -> Target:
    return Target(
        vendor=vendor,
        server_version=Version(server) if server is not None else None,
        driver=driver,
        driver_version=Version(driver_version) if driver_version is not None else None,
        django_version=Version(django) if django is not None else None,
        pooler=pooler,
        options=options or {},
        driver_bases=bases,
    )


# -- vendor terms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "vendor", "server", "expected"),
    [
        ("mariadb", "mariadb", "10.4.34", True),
        ("mariadb", "mysql", "8.0.36", False),
        ("mariadb<10.6", "mariadb", "10.5.27", True),
        ("mariadb<10.6", "mariadb", "10.6.0", False),
        ("mariadb<10.6", "mariadb", "10.11.19", False),
        ("mariadb<10.6", "mysql", "5.7.44", False),
        ("mysql>=8.0.11,<8.4", "mysql", "8.0.11", True),
        ("mysql>=8.0.11,<8.4", "mysql", "8.0.36", True),
        ("mysql>=8.0.11,<8.4", "mysql", "8.0.10", False),
        ("mysql>=8.0.11,<8.4", "mysql", "8.4.2", False),
        ("mysql>=8.0.11,<8.4", "mariadb", "8.0.36", False),
        ("postgresql>=15", "postgresql", "15.20", True),
        ("postgresql>=15", "postgresql", "14.13", False),
        ("sqlite", "sqlite", "3.45.1", True),
        ("oracle>=19", "oracle", "23.0.0.0.0", True),
    ],
)
def test_vendor_term(spec: str, vendor: str, server: str, expected: bool) -> None:
    assert parse_spec(spec).matches(target(vendor=vendor, server=server)) is expected


def test_vendor_term_records_its_vendor() -> None:
    spec = parse_spec("mysql>=8.0.11,<8.4")
    assert spec.vendors == frozenset({"mysql"})
    (term,) = spec.terms
    assert term.kind == "vendor"
    assert term.name == "mysql"
    assert str(spec) == "mysql>=8.0.11,<8.4"


def test_every_known_vendor_parses() -> None:
    for vendor in VENDORS:
        assert parse_spec(vendor).vendors == frozenset({vendor})


def test_vendor_without_specifier_matches_a_target_without_version() -> None:
    assert parse_spec("mariadb").matches(target(server=None)) is True


def test_version_range_never_matches_a_target_without_version() -> None:
    unknown = target(vendor="mariadb", server=None)
    assert parse_spec("mariadb<10.6").matches(unknown) is False
    assert parse_spec("mariadb>=10.6").matches(unknown) is False
    assert parse_spec("mariadb!=10.6").matches(unknown) is False


# -- driver terms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "driver", "version", "expected"),
    [
        ("+psycopg<3.1", "psycopg", "3.0.18", True),
        ("+psycopg<3.1", "psycopg", "3.1.0", False),
        ("+psycopg<3.1", "psycopg", "3.2.3", False),
        ("+psycopg<3.1", "psycopg2", "2.9.9", False),
        ("+psycopg<3.1", "psycopg", None, False),
        ("+connector", "connector", "9.1.0", True),
        ("+connector", "connector", None, True),
        ("+connector", "mysqlclient", "2.2.4", False),
    ],
)
def test_driver_term(spec: str, driver: str, version: str | None, expected: bool) -> None:
    assert parse_spec(spec).matches(target(driver=driver, driver_version=version)) is expected


def test_driver_term_is_not_a_vendor() -> None:
    spec = parse_spec("+connector")
    assert spec.vendors == frozenset()
    assert spec.terms[0].kind == "driver"
    assert spec.terms[0].name == "connector"


def test_driver_term_ignores_the_vendor() -> None:
    # "+connector" says nothing about the server: any vendor the driver talks to matches.
    assert parse_spec("+connector").matches(target(vendor="mysql", driver="connector")) is True
    assert parse_spec("+connector").matches(target(vendor="mariadb", driver="connector")) is True


# -- django and * ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("django", "expected"),
    [("5.0", True), ("5.2.19", True), ("6.1a1", True), ("4.2.16", False), (None, False)],
)
def test_django_term(django: str | None, expected: bool) -> None:
    assert parse_spec("django>=5.0").matches(target(django=django)) is expected


def test_django_term_without_specifier_matches_anything() -> None:
    assert parse_spec("django").matches(target(django=None)) is True
    assert parse_spec("django").vendors == frozenset()


@pytest.mark.parametrize(
    "anything",
    [
        target(),
        target(vendor="sqlite", server=None, driver="sqlite3", driver_version=None, django=None),
        target(vendor="oracle", server="23.0", driver="oracledb", django="4.2"),
    ],
)
def test_star_matches_anything(anything: Target) -> None:
    spec = parse_spec("*")
    assert spec.terms[0].kind == "any"
    assert spec.matches(anything) is True


# -- pooling terms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "pooler", "expected"),
    [
        ("@direct", None, True),
        ("@direct", "transaction", False),
        ("@transaction", "transaction", True),
        ("@transaction", "session", False),
        ("@transaction", None, False),
        ("@session", "session", True),
        ("@session", None, False),
        ("@statement", "statement", True),
        ("@statement", "transaction", False),
    ],
)
def test_pooling_term(spec: str, pooler: str | None, expected: bool) -> None:
    parsed = parse_spec(spec)
    assert [t.kind for t in parsed.terms] == ["pooling"]
    assert parsed.matches(target(vendor="postgresql", server="15.20", driver="psycopg", pooler=pooler)) is expected


def test_pooling_term_is_no_vendor() -> None:
    # A Django version's supports entries name vendors; a pooling term names none.
    assert parse_spec("@transaction").vendors == frozenset()
    assert parse_spec("postgresql @transaction").vendors == frozenset({"postgresql"})


def test_pooling_term_in_a_conjunction() -> None:
    spec = parse_spec("postgresql>=15 @transaction +psycopg django>=5.0")
    assert [t.kind for t in spec.terms] == ["vendor", "pooling", "driver", "django"]
    pooled = target(vendor="postgresql", server="15.20", driver="psycopg", pooler="transaction")
    assert spec.matches(pooled) is True
    direct = target(vendor="postgresql", server="15.20", driver="psycopg")
    assert spec.matches(direct) is False
    # The same server reached directly and through the pooler: only the pooling term tells them apart.
    assert parse_spec("postgresql").matches(direct) and parse_spec("postgresql").matches(pooled)


def test_a_target_without_pooler_is_direct() -> None:
    # Targets built before poolers existed (five fields) are direct connections.
    plain = Target("postgresql", Version("15.20"), "psycopg", None, Version("5.2"))
    assert plain.pooler is None
    assert parse_spec("@direct").matches(plain) is True


@pytest.mark.parametrize("text", ["@pooled", "@pgbouncer", "@Transaction", "@*", "postgresql @tx"])
def test_unknown_pooling(text: str) -> None:
    with pytest.raises(SpecError) as raised:
        parse_spec(text)
    assert "@direct, @transaction, @session, @statement" in str(raised.value), raised.value


@pytest.mark.parametrize("text", ["@transaction>=1", "@direct==2", "@session<3"])
def test_pooling_takes_no_specifier(text: str) -> None:
    with pytest.raises(SpecError, match=r"takes no version specifier"):
        parse_spec(text)


# -- option terms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "options", "expected"),
    [
        ("[pool]", {"pool": True}, True),
        ("[pool]", {"pool": {"min_size": 2}}, True),
        ("[pool]", {}, False),
        # An option set to false or null is off, as Django reads it.
        ("[pool]", {"pool": False}, False),
        ("[pool]", {"pool": None}, False),
        ("[!pool]", {}, True),
        ("[!pool]", {"pool": True}, False),
        ("[!pool]", {"pool": False}, True),
        ("[transaction_mode=IMMEDIATE]", {"transaction_mode": "IMMEDIATE"}, True),
        # Values are compared as text, ignoring case: SQLite's modes and MySQL's levels are keywords.
        ("[transaction_mode=immediate]", {"transaction_mode": "IMMEDIATE"}, True),
        ("[transaction_mode=immediate]", {"transaction_mode": "EXCLUSIVE"}, False),
        ("[transaction_mode=immediate]", {}, False),
        ("[!transaction_mode=immediate]", {}, True),
        ("[!transaction_mode=immediate]", {"transaction_mode": "EXCLUSIVE"}, True),
        ("[server_side_binding=true]", {"server_side_binding": True}, True),
        ("[server_side_binding=false]", {"server_side_binding": False}, True),
        ("[server_side_binding=true]", {"server_side_binding": "true"}, True),
        ("[timeout=20]", {"timeout": 20}, True),
    ],
)
def test_option_term(spec: str, options: dict[str, object], expected: bool) -> None:
    parsed = parse_spec(spec)
    assert [t.kind for t in parsed.terms] == ["option"]
    assert parsed.matches(target(options=options)) is expected


def test_option_term_in_a_conjunction_with_its_vendor() -> None:
    spec = parse_spec("postgresql [pool] django>=5.1")
    assert [t.kind for t in spec.terms] == ["vendor", "option", "django"]
    assert spec.vendors == frozenset({"postgresql"})
    pooled = target(vendor="postgresql", server="15.20", driver="psycopg-pool", options={"pool": True})
    assert spec.matches(pooled) is True
    assert spec.matches(target(vendor="postgresql", server="15.20", driver="psycopg")) is False
    assert spec.matches(target(vendor="mysql", options={"pool": True})) is False


def test_a_target_without_options_has_none() -> None:
    plain = Target("sqlite", Version("3.46"), "sqlite3", None, Version("5.2"))
    assert plain.options == {} and plain.driver_bases == ()
    assert parse_spec("[!transaction_mode]").matches(plain) is True
    assert parse_spec("[transaction_mode]").matches(plain) is False


@pytest.mark.parametrize(
    "text", ["[]", "[pool", "pool]", "[!]", "[pool=]", "[po ol]", "[pool=a=b]", "[1pool]", "[pool]>=1", "[[pool]]"]
)
def test_malformed_option_term(text: str) -> None:
    with pytest.raises(SpecError) as raised:
        parse_spec(text)
    assert "option term" in str(raised.value) or "is not a term" in str(raised.value), raised.value


def test_a_variant_matches_its_own_driver_term_and_its_bases() -> None:
    variant = target(
        vendor="postgresql", server="15.20", driver="psycopg-pool", driver_version="3.2.3", bases=("psycopg",)
    )
    assert parse_spec("+psycopg-pool").matches(variant) is True
    # A claim made for psycopg holds for its variants too...
    assert parse_spec("+psycopg").matches(variant) is True
    assert parse_spec("+psycopg<3.1").matches(variant) is False  # with the driver's version
    assert parse_spec("+psycopg>=3.2").matches(variant) is True
    # ...but one made for the variant does not hold for psycopg.
    assert parse_spec("+psycopg-pool").matches(target(vendor="postgresql", driver="psycopg")) is False
    assert parse_spec("+psycopg2").matches(variant) is False


@pytest.mark.parametrize("text", ["maria-db", "postgresql-15", "django-5", "@session-mode"])
def test_only_a_driver_id_joins_words_with_a_dash(text: str) -> None:
    with pytest.raises(SpecError):
        parse_spec(text)


# -- conjunctions ----------------------------------------------------------------------


def test_conjunction_needs_every_term() -> None:
    spec = parse_spec("mariadb>=10.6 +mysqlclient<2.3 django>=5.0")
    assert [t.kind for t in spec.terms] == ["vendor", "driver", "django"]
    assert spec.matches(target()) is True
    assert spec.matches(target(server="10.5.27")) is False
    assert spec.matches(target(driver_version="2.3.0")) is False
    assert spec.matches(target(driver="connector")) is False
    assert spec.matches(target(django="4.2.16")) is False
    assert spec.matches(target(vendor="mysql")) is False


def test_conjunction_tolerates_extra_whitespace() -> None:
    spec = parse_spec("  mysql<8.4    django<5.0 ")
    assert len(spec.terms) == 2
    assert spec.matches(target(vendor="mysql", server="8.0.36", django="4.2.16")) is True
    assert spec.matches(target(vendor="mysql", server="8.0.36", django="5.2.19")) is False


def test_conjunction_with_star_is_the_other_terms() -> None:
    spec = parse_spec("* mysql")
    assert spec.matches(target(vendor="mysql")) is True
    assert spec.matches(target(vendor="mariadb")) is False


# -- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty_spec(text: str) -> None:
    with pytest.raises(SpecError, match="empty spec"):
        parse_spec(text)


@pytest.mark.parametrize("text", ["mssql", "postgres>=14", "maria<10.6", "mysql>=8 cockroach"])
def test_unknown_vendor(text: str) -> None:
    with pytest.raises(SpecError, match="unknown vendor") as raised:
        parse_spec(text)
    known = "known vendors: sqlite, postgresql, mysql, mariadb, oracle, cockroachdb, tidb, sqlserver"
    assert known in str(raised.value)


@pytest.mark.parametrize(
    "text", ["mariadb<ten", "mariadb==", "mysql>>8", "mariadb<10.6garbage", "+psycopg<three", "django>=five"]
)
def test_bad_specifier(text: str) -> None:
    with pytest.raises(SpecError, match="bad version specifier") as raised:
        parse_spec(text)
    assert repr(text) in str(raised.value)


@pytest.mark.parametrize("text", ["*>=1", "*<5", "mysql *==8"])
def test_star_takes_no_specifier(text: str) -> None:
    with pytest.raises(SpecError, match=r"'\*' takes no version specifier"):
        parse_spec(text)


@pytest.mark.parametrize(
    "text", ["MariaDB", ">=8", "maria-db", "mysql,mariadb", "+", "++psycopg", "8.0", "mysql(8.0)", "+Psycopg"]
)
def test_garbage_term(text: str) -> None:
    with pytest.raises(SpecError, match="is not a term"):
        parse_spec(text)


def test_spec_error_is_a_value_error() -> None:
    assert issubclass(SpecError, ValueError)


# -- versions --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [("8.0", (8, 0)), ("10.11", (10, 11)), ("15", (15,))])
def test_parse_version(text: str, expected: tuple[int, ...]) -> None:
    assert parse_version(text).release == expected


@pytest.mark.parametrize("text", ["", "eight", "8.0-beta-x", "10.x", "latest"])
def test_parse_version_rejects(text: str) -> None:
    with pytest.raises(SpecError, match="is not a version"):
        parse_version(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.11.19-MariaDB-0+deb12u1", Version("10.11.19")),
        ("15.20 (Debian 15.20-0+deb12u1)", Version("15.20")),
        ("PostgreSQL 15.20 (Debian 15.20-0+deb12u1) on x86_64-pc-linux-gnu", Version("15.20")),
        ("8.0.36", Version("8.0.36")),
        ("8.4.2-log", Version("8.4.2")),
        ("3.45.1", Version("3.45.1")),
        ("Oracle Database 23ai Free Release 23.0.0.0.0", Version("23")),
    ],
)
def test_leading_version(text: str, expected: Version) -> None:
    assert leading_version(text) == expected


@pytest.mark.parametrize("text", ["", "MariaDB", "unknown server"])
def test_leading_version_without_digits(text: str) -> None:
    assert leading_version(text) is None


@pytest.mark.parametrize(
    ("matrix", "reported", "expected"),
    [
        ("8.0", "8.0.36", True),
        ("8.0", "8.0", True),
        ("8.0", "8.4.2", False),
        ("8.0", "8.1.0", False),
        ("8.4", "8.0.36", False),
        ("10.11", "10.11.19", True),
        ("10.11", "10.1.48", False),
        ("10.1", "10.11.19", False),
        ("15", "15.20", True),
        ("15", "16.4", False),
        ("15", "1.5", False),
    ],
)
def test_same_release(matrix: str, reported: str, expected: bool) -> None:
    assert same_release(Version(matrix), Version(reported)) is expected
