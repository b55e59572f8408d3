"""What changed between two runs: outcomes and observations, cell by cell.

A regression is a check that was as documented and now differs from the docs or
ends in a harness error, or lost coverage: a cell that ran and now did not (a harness error,
a server unavailable, Django refusing the server) or is gone from the results. A finding's
explanation changing is listed, never a regression: the server did the same as before,
only what the claims say about it changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from harness.results import CellResult, CellStatus, Outcome

_REGRESSED = (Outcome.DIFFERS, Outcome.HARNESS_ERROR)


@dataclass(frozen=True)
class Change:
    cell: str
    check: str | None  # None: the cell as a whole
    what: str  # "outcome", "observation", "explanation", "added", "removed", "status"
    old: Any
    new: Any
    regression: bool

    def describe(self) -> str:
        where = f"{self.cell} {self.check}" if self.check else self.cell
        mark = "REGRESSION " if self.regression else ""
        if self.what in ("added", "removed"):
            return f"{mark}{where}: {self.what}"
        return f"{mark}{where}: {self.what} {_show(self.old)} -> {_show(self.new)}"


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


def diff_results(old: Sequence[CellResult], new: Sequence[CellResult]) -> list[Change]:
    old_cells = {r.cell: r for r in old}
    new_cells = {r.cell: r for r in new}
    return [
        change
        for cell in sorted(old_cells.keys() | new_cells.keys())
        for change in diff_cell(old_cells.get(cell), new_cells.get(cell))
    ]


def diff_cell(before: CellResult | None, after: CellResult | None) -> list[Change]:
    """What changed in one cell: ``before`` None, it is new; ``after`` None, it is gone."""
    if before is None or after is None:
        present = after if after is not None else before
        if present is None:
            return []
        lost = before is not None and before.status is CellStatus.RAN
        return [Change(present.cell, None, "added" if before is None else "removed", None, None, lost)]
    cell = after.cell
    changes: list[Change] = []
    if before.status is not after.status:
        # A cell that ran and no longer does is lost coverage, whatever the reason: a nightly job whose
        # servers all went missing must not stay green.
        regression = before.status is CellStatus.RAN
        changes.append(Change(cell, None, "status", before.status.value, after.status.value, regression))
    old_checks = {c.id: c for c in before.checks}
    new_checks = {c.id: c for c in after.checks}
    for check_id in sorted(old_checks.keys() | new_checks.keys()):
        was, now = old_checks.get(check_id), new_checks.get(check_id)
        if was is None or now is None:
            # When one side did not run at all its status change says it; no list of every check.
            if before.checks and after.checks:
                changes.append(Change(cell, check_id, "added" if was is None else "removed", None, None, False))
            continue
        if was.outcome is not now.outcome:
            regression = was.outcome is Outcome.AS_DOCUMENTED and now.outcome in _REGRESSED
            changes.append(Change(cell, check_id, "outcome", was.outcome.value, now.outcome.value, regression))
        elif was.observed != now.observed:
            changes.append(Change(cell, check_id, "observation", was.observed, now.observed, False))
        elif now.outcome is Outcome.DIFFERS and was.explanation != now.explanation:
            changes.append(Change(cell, check_id, "explanation", was.explanation, now.explanation, False))
    return changes


def has_regressions(changes: Sequence[Change]) -> bool:
    return any(change.regression for change in changes)
