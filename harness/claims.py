"""The claims table: what the Django docs say each backend does, with sources.

A check observes; only this table knows what each vendor is documented to do.
Each :class:`Claim` is the docs' statement (paraphrased), where it comes from,
and the expected observation: a list of ``Expect(spec, value)`` read top to
bottom, the first whose spec matches the cell winning, so a vendor or version
overrides only where it differs from the general case. When the docs change
between Django releases, a check has one claim per range of Django versions
(``django=``), and each cell is judged by its own Django's docs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from harness.results import Outcome
from harness.versions import Target, parse_spec


@dataclass(frozen=True)
class Source:
    django: str  # the docs' Django version, e.g. "5.2"
    page: str  # e.g. "ref/databases"
    section: str  # e.g. "MySQL notes > Row locking with QuerySet.select_for_update()"

    def __str__(self) -> str:
        return f"Django {self.django} docs, {self.page}, {self.section}"

    @property
    def url(self) -> str:
        return f"https://docs.djangoproject.com/en/{self.django}/{self.page}/"


@dataclass(frozen=True)
class Expect:
    when: str  # a spec, see harness.versions
    value: Any


@dataclass(frozen=True)
class Claim:
    check: str  # the stable check id
    behaviour: str
    statement: str
    source: Source
    expect: tuple[Expect, ...]
    django: str = "*"  # which Django versions' docs make this claim

    def expected_for(self, target: Target) -> tuple[bool, Any]:
        """(True, value) for the first expectation matching ``target``; (False, None) if none does."""
        for expectation in self.expect:
            if parse_spec(expectation.when).matches(target):
                return True, expectation.value
        return False, None


@dataclass(frozen=True)
class Judgement:
    outcome: Outcome
    expected: Any
    claim: Claim | None


class ClaimsTable:
    def __init__(self, claims: Iterable[Claim]) -> None:
        self._claims: dict[str, list[Claim]] = {}
        for claim in claims:
            parse_spec(claim.django)
            for expectation in claim.expect:
                parse_spec(expectation.when)
            self._claims.setdefault(claim.check, []).append(claim)

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
        outcome = Outcome.AS_DOCUMENTED if _same(observed, expected) else Outcome.DIFFERS
        return Judgement(outcome, expected, claim)


def _same(observed: Any, expected: Any) -> bool:
    """Equal as JSON values, at every depth, with True never equal to 1 (JSON has no tuples)."""
    if isinstance(observed, list | tuple) and isinstance(expected, list | tuple):
        return len(observed) == len(expected) and all(_same(o, e) for o, e in zip(observed, expected, strict=True))
    if isinstance(observed, dict) and isinstance(expected, dict):
        return observed.keys() == expected.keys() and all(_same(observed[k], expected[k]) for k in observed)
    return bool(type(observed) is type(expected) and observed == expected)


# -- the table ----------------------------------------------------------------------------

_DATABASES_52 = "ref/databases"

CLAIMS = ClaimsTable(
    [
        Claim(
            check="smoke.round_trip",
            behaviour="smoke",
            statement="Raw SQL runs through connection.cursor() and returns the server's rows.",
            source=Source("5.2", "topics/db/sql", "Executing custom SQL directly"),
            expect=(Expect("*", [[1, "dbcompat"]]),),
        ),
        Claim(
            check="smoke.model_round_trip",
            behaviour="smoke",
            statement="A model saved with non-ASCII text reads back unchanged on every supported backend.",
            source=Source("5.2", "ref/unicode", "Unicode data"),
            expect=(Expect("*", "Zoë Ångström"),),
        ),
    ]
)
