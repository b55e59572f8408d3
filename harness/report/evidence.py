"""The evidence behind each entry of the grid, as compact lists that index one table of strings.

Each evidence entry is a list in the order of ``EVIDENCE_FIELDS``, trailing empties dropped;
texts and JSON values are indexes into the string table (values as JSON text), so what repeats
(SQL, claims, sources) is stored once however many cells share it.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from harness.report.model import OBSERVED, OUTCOMES, link_url, status_outcome
from harness.results import CellResult, CheckResult

EVIDENCE_FIELDS = (
    "outcome",
    "claim",
    "source",
    "url",
    "expected",
    "observed",
    "flags",
    "setup",
    "sql",
    "error",
    "reason",
    "duration",
    # Added after the first twelve, so that an entry without them stays as short as before.
    "errors",  # per error, JSON of {exception, driver_exception, code, sqlstate, message}
    "applies_by",
    "explanation",
    "explanation_source",
    "explanation_url",
    "step",  # the setup step whose failure ended the check
)
_OUTCOME_INDEX = {outcome: index for index, outcome in enumerate(OUTCOMES)}


class EvidenceTable:
    """Collects evidence entries and the strings they point at; ``add`` returns the entry's index."""

    def __init__(self) -> None:
        self.entries: list[list[Any]] = []
        self.strings: list[str] = []
        self._interned: dict[str, int] = {}

    def add(self, result: CellResult, found: CheckResult | None) -> int:
        entry = self._of_check(found) if found is not None else self._of_cell(result)
        while entry and entry[-1] is None:
            entry.pop()
        self.entries.append(entry)
        return len(self.entries) - 1

    def _of_cell(self, result: CellResult) -> list[Any]:
        """A check the cell has no record of: the cell's status, and its reason."""
        return [_OUTCOME_INDEX[status_outcome(result.status)], *[None] * 9, self._text(result.reason)]

    def _of_check(self, found: CheckResult) -> list[Any]:
        return [
            _OUTCOME_INDEX[found.outcome],
            self._text(found.claim),
            self._text(found.source),
            self._text(link_url(found.source_url)),  # only a link the page may follow
            self._json(found.expected) if found.claim else None,
            self._json(found.observed) if found.outcome in OBSERVED else None,
            self._json(found.flags) if found.flags else None,
            self._json(found.setup) if found.setup else None,
            [self._interned_index(statement) for statement in found.sql] or None,
            self._text(found.error),
            self._text(found.reason),
            round(found.duration, 3),
            [self._json(asdict(error)) for error in found.errors] or None,
            self._text(found.applies_by),
            self._text(found.explanation),
            self._text(found.explanation_source),
            self._text(link_url(found.explanation_url)),
            self._text(found.failed_step),
        ]

    def _text(self, text: str | None) -> int | None:
        return None if text is None else self._interned_index(text)

    def _json(self, value: Any) -> int:
        return self._interned_index(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def _interned_index(self, text: str) -> int:
        index = self._interned.get(text)
        if index is None:
            index = self._interned[text] = len(self.strings)
            self.strings.append(text)
        return index
