"""One small grammar for "which servers, drivers and Django versions".

A spec is one or more terms separated by spaces, all of which must hold:

- ``mariadb``, ``mariadb<10.6``, ``mysql>=8.0.11,<8.4``: the server vendor and,
  optionally, a version specifier on the version the server reported;
- ``+psycopg<3.1``, ``+connector``: the driver (its matrix id) and its version; a driver entry that is a
  ``variant_of`` another (``psycopg-pool`` of ``psycopg``) matches its own id and its base's, so a claim
  made for a driver holds for its variants unless it names one (``+psycopg-pool``);
- ``django>=5.0``: the Django version;
- ``@transaction``, ``@session``, ``@statement``: reached through a connection pooler in that pool
  mode (PgBouncer's); ``@direct``: reached directly, through no pooler;
- ``[pool]``, ``[transaction_mode=immediate]``, ``[!server_side_binding]``: an option the cell's driver entry
  puts in ``DATABASES["OPTIONS"]`` (the matrix's ``options``): ``[name]`` holds when it is set to anything but
  false or null, ``[name=value]`` when it is set to that value (compared as text, ignoring case: true and
  false for booleans), and ``!`` inside the brackets negates either;
- ``*``: anything.

``parse_spec`` is the only parser; the matrix (which Django supports which
server) and the claims table (which backend is documented to do what) both use
it. Version comparison is done by :mod:`packaging.specifiers`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from harness.backends import BACKENDS

# The vendors the grammar knows: those with a backend (harness/backends/).
VENDORS = tuple(BACKENDS)

_TERM = re.compile(r"^(?P<kind>[+@])?(?P<name>\*|[a-z][a-z0-9_]*(?:-[a-z0-9]+)*)(?P<spec>[<>=!~].*)?$")
# An option term: "[pool]", "[transaction_mode=immediate]", "[!server_side_binding]".
_OPTION = re.compile(r"^\[(?P<negated>!)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:=(?P<value>[^\[\]=\s]+))?\]$")
# The ways a server is reached: directly, or through a pooler in one of its pool modes.
POOLINGS = ("direct", "transaction", "session", "statement")
_LEADING_VERSION = re.compile(r"\d+(?:\.\d+)*")


class SpecError(ValueError):
    """A spec or version string does not follow the grammar."""


@dataclass(frozen=True)
class Target:
    """What a spec is matched against: one cell's server, driver and Django."""

    vendor: str
    server_version: Version | None
    driver: str
    driver_version: Version | None
    django_version: Version | None
    # The pool mode of the pooler the server is reached through ("transaction", ...); None: directly.
    pooler: str | None = None
    # What the cell's driver entry puts in DATABASES["OPTIONS"] ({"pool": True}); not part of the hash.
    options: Mapping[str, Any] = field(default_factory=dict, hash=False)
    # The drivers the cell's driver is a variant of (psycopg for psycopg-pool): "+psycopg" holds for it too.
    driver_bases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    kind: str  # "vendor", "driver", "django", "pooling", "option" or "any"
    name: str
    specifier: SpecifierSet
    value: str | None = None  # an option term's value, "[name=value]"
    negated: bool = False  # an option term's "!"

    def matches(self, target: Target) -> bool:
        if self.kind == "any":
            return True
        if self.kind == "vendor":
            return self.name == target.vendor and _contains(self.specifier, target.server_version)
        if self.kind == "driver":
            named = self.name == target.driver or self.name in target.driver_bases
            return named and _contains(self.specifier, target.driver_version)
        if self.kind == "pooling":
            return self.name == (target.pooler or "direct")
        if self.kind == "option":
            return self._option_holds(target.options) is not self.negated
        return _contains(self.specifier, target.django_version)

    def _option_holds(self, options: Mapping[str, Any]) -> bool:
        if self.name not in options:
            return False
        value = options[self.name]
        if self.value is None:
            # "pool": False is the option turned off, as Django reads it.
            return value is not None and value is not False
        return option_text(value).casefold() == self.value.casefold()


def option_text(value: Any) -> str:
    """An option's value as an option term compares it: true and false for booleans, else its text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class Spec:
    text: str
    terms: tuple[Term, ...]

    def matches(self, target: Target) -> bool:
        return all(term.matches(target) for term in self.terms)

    @property
    def vendors(self) -> frozenset[str]:
        return frozenset(t.name for t in self.terms if t.kind == "vendor")

    def __str__(self) -> str:
        return self.text


def _contains(specifier: SpecifierSet, version: Version | None) -> bool:
    if not str(specifier):
        return True
    if version is None:
        # A version range cannot hold for a version nobody knows.
        return False
    return specifier.contains(version, prereleases=True)


@lru_cache(maxsize=1024)
def parse_spec(text: str) -> Spec:
    """Parse ``text`` into a :class:`Spec`; raise :class:`SpecError` saying what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise SpecError(
            "an empty spec; write e.g. 'mariadb>=10.6', '+psycopg<3.1', 'django>=5.0', '@transaction', '[pool]' or '*'"
        )
    terms = []
    for word in text.split():
        if word.startswith("["):
            terms.append(_option_term(word, text))
            continue
        match = _TERM.match(word)
        if match is None:
            raise SpecError(
                f"{word!r} is not a term; write a vendor ({', '.join(VENDORS)}), '+driver' or 'django', "
                "optionally followed by a version specifier such as '>=8.0.11', a way of reaching the server "
                f"({', '.join('@' + p for p in POOLINGS)}), or an option in brackets ('[pool]')"
            )
        name = match["name"]
        if "-" in name and match["kind"] != "+":  # only driver ids join words with '-' (psycopg-pool)
            raise SpecError(
                f"{word!r} is not a term; write a vendor ({', '.join(VENDORS)}), '+driver' or 'django', "
                "optionally followed by a version specifier such as '>=8.0.11'"
            )
        if match["kind"] == "+" and name == "*":
            raise SpecError(f"'+*' in {text!r}: name a driver, e.g. '+psycopg'")
        if match["kind"] == "@":
            if name not in POOLINGS:
                raise SpecError(
                    f"unknown way of reaching a server '@{name}' in {text!r}; write one of "
                    f"{', '.join('@' + p for p in POOLINGS)}"
                )
            if match["spec"]:
                raise SpecError(f"'@{name}' takes no version specifier in {text!r}")
            kind = "pooling"
        elif match["kind"]:
            kind = "driver"
        elif name == "*":
            kind = "any"
        elif name == "django":
            kind = "django"
        elif name in VENDORS:
            kind = "vendor"
        else:
            raise SpecError(f"unknown vendor {name!r} in {text!r}; known vendors: {', '.join(VENDORS)}")
        if kind == "any" and match["spec"]:
            raise SpecError(f"'*' takes no version specifier in {text!r}")
        try:
            specifier = SpecifierSet(match["spec"] or "")
        except InvalidSpecifier:
            raise SpecError(
                f"bad version specifier {match['spec']!r} in {text!r}; write e.g. '>=10.6' or '>=8.0.11,<8.4'"
            ) from None
        terms.append(Term(kind=kind, name=name, specifier=specifier))
    return Spec(text=text, terms=tuple(terms))


def _option_term(word: str, text: str) -> Term:
    match = _OPTION.match(word)
    if match is None:
        raise SpecError(
            f"{word!r} in {text!r} is not an option term; write the OPTIONS key in brackets, optionally with a "
            "value or negated: '[pool]', '[transaction_mode=immediate]', '[!server_side_binding]'"
        )
    return Term(
        kind="option",
        name=match["name"],
        specifier=SpecifierSet(),
        value=match["value"],
        negated=bool(match["negated"]),
    )


def parse_version(text: str) -> Version:
    """Parse a plain version such as ``8.0`` or ``10.11``; raise :class:`SpecError` otherwise."""
    try:
        return Version(str(text))
    except InvalidVersion:
        raise SpecError(f"{text!r} is not a version; write e.g. '8.0' or '10.11'") from None


def leading_version(text: str) -> Version | None:
    """The version number at the start of what a server or library reports.

    ``"10.11.19-MariaDB-0+deb12u1"`` gives 10.11.19, ``"PostgreSQL 15.20 (Debian ...)"``
    gives 15.20, ``"Oracle ... Release 23.0.0.0.0"`` gives the first number found.
    """
    match = _LEADING_VERSION.search(text)
    return Version(match.group(0)) if match else None


def same_release(matrix_version: Version, reported: Version) -> bool:
    """Whether a reported version is the release a matrix entry names.

    The matrix says ``8.0``; a server reporting 8.0.36 is that release, 8.4.2 is not.
    """
    wanted = matrix_version.release
    return reported.release[: len(wanted)] == wanted
