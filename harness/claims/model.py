"""The shape of a claim: what the Django docs say each backend does, with sources.

A check observes; only the claims know what each vendor is documented to do.
Each :class:`Claim` is the docs' statement (paraphrased), where it comes from,
and the expected observation: a list of ``Expect(spec, value)`` read top to
bottom, the first whose spec matches the cell winning, so a vendor or version
overrides only where it differs from the general case. Where the docs say the
same of several backends, one ``Expect`` names them all:
``Expect(("mysql", "mariadb"), True)``. When the docs change
between Django releases, a check has one claim per range of Django versions
(``django=``), and each cell is judged by its own Django's docs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from packaging.version import Version

from harness.results import Outcome
from harness.versions import Spec, Target, parse_spec


@dataclass(frozen=True)
class Source:
    page: str  # e.g. "ref/databases"
    section: str  # e.g. "MySQL notes > Row locking with QuerySet.select_for_update()"
    # The docs' Django version; "*" for "the version of the cell being judged", for claims
    # whose text is the same in every version the claim's ``django`` range covers.
    django: str = "*"
    # The section's id on the page ("django.db.models.query.QuerySet.bulk_create", "std-setting-HOST"),
    # so that the link opens at the section; "" links to the page.
    anchor: str = ""

    def cite(self, django_version: Version | str | None = None) -> str:
        return f"Django {self._version(django_version)} docs, {self.page}, {self.section}".replace(
            "Django * docs", "Django docs"
        )

    def url(self, django_version: Version | str | None = None) -> str:
        version = self._version(django_version)
        page = f"https://docs.djangoproject.com/en/{'stable' if version == '*' else version}/{self.page}/"
        return f"{page}#{self.anchor}" if self.anchor else page

    def _version(self, django_version: Version | str | None) -> str:
        if self.django != "*" or django_version is None:
            return self.django
        if isinstance(django_version, Version):
            return f"{django_version.major}.{django_version.minor}"
        return str(django_version)

    def __str__(self) -> str:
        return self.cite()


@dataclass(frozen=True)
class IsA:
    """Expects the full class name of an exception that is this class or a subclass.

    The docs often name a base class ("a DatabaseError is raised"); drivers raise a
    subclass of it. The observation stays the exact class the check saw.
    """

    class_path: str
    # A subclass that means something else, e.g. NotSupportedError where a lock conflict is meant.
    excluding: str | None = None

    def matches(self, observed: Any) -> bool:
        if not isinstance(observed, str):
            return False
        if self.excluding is not None and _is_subclass(observed, self.excluding):
            return False
        return _is_subclass(observed, self.class_path)

    def to_json(self) -> dict[str, str]:
        described = {"instance of": self.class_path}
        if self.excluding is not None:
            described["but not"] = self.excluding
        return described


@dataclass(frozen=True)
class AtLeast:
    """Expects a count of at least ``minimum``, where the docs say "some" rather than how many."""

    minimum: int

    def matches(self, observed: Any) -> bool:
        return isinstance(observed, int) and not isinstance(observed, bool) and observed >= self.minimum

    def to_json(self) -> dict[str, int]:
        return {"at least": self.minimum}


@dataclass(frozen=True)
class Not:
    """Expects anything but ``value``, where the docs say a value changes ("corrupted") but not to what."""

    value: Any

    def matches(self, observed: Any) -> bool:
        return not _same(observed, self.value)

    def to_json(self) -> dict[str, Any]:
        return {"not": expected_json(self.value)}


def _is_subclass(observed: str, class_path: str) -> bool:
    if observed == class_path:
        return True
    seen, wanted = _resolve(observed), _resolve(class_path)
    return isinstance(seen, type) and isinstance(wanted, type) and issubclass(seen, wanted)


def _resolve(path: str) -> Any:
    """The object a dotted path names, modules and nested attributes alike; None if it cannot be found."""
    import importlib

    parts = path.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attribute in parts[split:]:
                found = getattr(found, attribute)
        except AttributeError:
            return None
        return found
    return None


@dataclass(frozen=True)
class Expect:
    """``value`` is expected wherever one of the specs in ``when`` matches (see harness.versions)."""

    when: str | tuple[str, ...]  # one spec, or several: "mysql or mariadb" is ("mysql", "mariadb")
    value: Any

    def specs(self) -> tuple[Spec, ...]:
        """The parsed specs; :class:`SpecError` for a bad one, or for none at all."""
        texts = (self.when,) if isinstance(self.when, str) else self.when
        # No spec at all is an empty spec, and is refused with the same message.
        return tuple(parse_spec(text) for text in texts or ("",))

    def matches(self, target: Target) -> bool:
        return any(spec.matches(target) for spec in self.specs())


@dataclass(frozen=True)
class Claim:
    check: str  # the stable check id, "behaviour.what"
    statement: str
    source: Source
    expect: tuple[Expect, ...]
    django: str = "*"  # which Django versions' docs make this claim

    @property
    def behaviour(self) -> str:
        """The behaviour the check belongs to: the first part of its id."""
        return self.check.split(".", 1)[0]

    def expected_for(self, target: Target) -> tuple[bool, Any]:
        """(True, value) for the first expectation matching ``target``; (False, None) if none does."""
        for expectation in self.expect:
            if expectation.matches(target):
                return True, expectation.value
        return False, None


@dataclass(frozen=True)
class Reference:
    """The docs make a claim for one backend and send readers of another to it: the claim applies there too.

    The MariaDB notes say "See the MySQL notes"; Connector/Python's backend replaces Django's MySQL
    backend. A claim whose source section starts with one of ``sections`` applies by this reference
    to cells of ``vendor`` (or of ``driver``), and the report says so with ``label``.
    """

    label: str
    sections: tuple[str, ...]
    vendor: str | None = None
    driver: str | None = None

    def applies(self, claim: Claim, target: Target) -> bool:
        if self.vendor is not None and target.vendor != self.vendor:
            return False
        if self.driver is not None and target.driver != self.driver:
            return False
        if not self.sections:
            return True
        return claim.source.page == "ref/databases" and claim.source.section.startswith(self.sections)


@dataclass(frozen=True)
class Explanation:
    """Why a server or driver differs from the docs, from its own documentation: kept with the finding.

    ``when`` is the spec of the cells it explains (see harness.versions); ``observed`` narrows it to
    one observation where the same cells could differ in more than one way.
    """

    check: str
    when: str | tuple[str, ...]
    text: str  # what the server or driver does instead, and why
    source: str  # its documentation: the manual's page and section, or a changelog entry
    url: str
    observed: Any = None

    def matches(self, observed: Any, target: Target) -> bool:
        if self.observed is not None and not _same(observed, self.observed):
            return False
        return Expect(self.when, None).matches(target)


@dataclass(frozen=True)
class Judgement:
    outcome: Outcome
    expected: Any
    claim: Claim | None
    applies_by: str | None = None  # how the claim applies to the cell, when by reference
    explanation: Explanation | None = None  # for a finding, why


class ClaimsTable:
    def __init__(
        self,
        claims: Iterable[Claim],
        references: Iterable[Reference] = (),
        explanations: Iterable[Explanation] = (),
    ) -> None:
        self._claims: dict[str, list[Claim]] = {}
        for claim in claims:
            parse_spec(claim.django)
            for expectation in claim.expect:
                expectation.specs()
            self._claims.setdefault(claim.check, []).append(claim)
        self.references = tuple(references)
        self._explanations: dict[str, list[Explanation]] = {}
        for explanation in explanations:
            if explanation.check not in self._claims:
                raise ValueError(f"an explanation for {explanation.check!r}, which has no claim")
            Expect(explanation.when, None).specs()
            self._explanations.setdefault(explanation.check, []).append(explanation)

    def extended(self, claims: Iterable[Claim], explanations: Iterable[Explanation] = ()) -> ClaimsTable:
        """This table and more claims (a user's suites'), for checks this table has no claim for."""
        added = list(claims)
        for claim in added:
            if claim.check in self._claims:
                raise ValueError(f"a claim for {claim.check!r}, which the built-in claims already have")
        mine = [claim for found in self._claims.values() for claim in found]
        return ClaimsTable(mine + added, self.references, self.explanations() + list(explanations))

    def explanations(self) -> list[Explanation]:
        return [e for found in self._explanations.values() for e in found]

    def __contains__(self, check_id: str) -> bool:
        return check_id in self._claims

    def claim_for(self, check_id: str, target: Target) -> Claim | None:
        """The claim the docs of the cell's Django version make for this check, if any."""
        for claim in self._claims.get(check_id, ()):
            if parse_spec(claim.django).matches(target):
                return claim
        return None

    def judge(self, check_id: str, observed: Any, target: Target) -> Judgement:
        claim = self.claim_for(check_id, target)
        if claim is None:
            return Judgement(Outcome.NO_CLAIM, None, None)
        found, expected = claim.expected_for(target)
        if not found:
            return Judgement(Outcome.NO_CLAIM, None, claim)
        applies_by = "; ".join(r.label for r in self.references if r.applies(claim, target)) or None
        if _same(observed, expected):
            return Judgement(Outcome.AS_DOCUMENTED, expected_json(expected), claim, applies_by)
        explanation = next(
            (e for e in self._explanations.get(check_id, ()) if e.matches(observed, target)),
            None,
        )
        return Judgement(Outcome.DIFFERS, expected_json(expected), claim, applies_by, explanation)


def _same(observed: Any, expected: Any) -> bool:
    """Equal as JSON values, at every depth, with True never equal to 1 (JSON has no tuples)."""
    if isinstance(expected, IsA | AtLeast | Not):
        return expected.matches(observed)
    if isinstance(observed, list | tuple) and isinstance(expected, list | tuple):
        return len(observed) == len(expected) and all(_same(o, e) for o, e in zip(observed, expected, strict=True))
    if isinstance(observed, dict) and isinstance(expected, dict):
        return observed.keys() == expected.keys() and all(_same(observed[k], expected[k]) for k in observed)
    return bool(type(observed) is type(expected) and observed == expected)


def expected_json(value: Any) -> Any:
    """An expectation as it is written to the results: matchers become their description."""
    if isinstance(value, IsA | AtLeast | Not):
        return value.to_json()
    if isinstance(value, list | tuple):
        return [expected_json(v) for v in value]
    if isinstance(value, dict):
        return {k: expected_json(v) for k, v in value.items()}
    return value
