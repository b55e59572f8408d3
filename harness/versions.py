"""One small grammar for "which servers, drivers and Django versions".

A spec is one or more terms separated by spaces, all of which must hold:

- ``mariadb``, ``mariadb<10.6``, ``mysql>=8.0.11,<8.4``: the server vendor and,
  optionally, a version specifier on the version the server reported;
- ``+psycopg<3.1``, ``+connector``: the driver (its matrix id) and its version;
- ``django>=5.0``: the Django version;
- ``@transaction``, ``@session``, ``@statement``: reached through a connection pooler in that pool
  mode (PgBouncer's); ``@direct``: reached directly, through no pooler;
- ``*``: anything.

``parse_spec`` is the only parser; the matrix (which Django supports which
server) and the claims table (which backend is documented to do what) both use
it. Version comparison is done by :mod:`packaging.specifiers`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from harness.backends import BACKENDS

# The vendors the grammar knows: those with a backend (harness/backends/).
VENDORS = tuple(BACKENDS)

_TERM = re.compile(r"^(?P<kind>[+@])?(?P<name>\*|[a-z][a-z0-9_]*)(?P<spec>[<>=!~].*)?$")
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


@dataclass(frozen=True)
class Term:
    kind: str  # "vendor", "driver", "django", "pooling" or "any"
    name: str
    specifier: SpecifierSet

    def matches(self, target: Target) -> bool:
        if self.kind == "any":
            return True
        if self.kind == "vendor":
            return self.name == target.vendor and _contains(self.specifier, target.server_version)
        if self.kind == "driver":
            return self.name == target.driver and _contains(self.specifier, target.driver_version)
        if self.kind == "pooling":
            return self.name == (target.pooler or "direct")
        return _contains(self.specifier, target.django_version)


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
            "an empty spec; write e.g. 'mariadb>=10.6', '+psycopg<3.1', 'django>=5.0', '@transaction' or '*'"
        )
    terms = []
    for word in text.split():
        match = _TERM.match(word)
        if match is None:
            raise SpecError(
                f"{word!r} is not a term; write a vendor ({', '.join(VENDORS)}), '+driver' or 'django', "
                "optionally followed by a version specifier such as '>=8.0.11', or a way of reaching the server "
                f"({', '.join('@' + p for p in POOLINGS)})"
            )
        name = match["name"]
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
