"""History across nights: since when each check's outcome has held on each server, and when it last changed.

A history folder holds one folder per night, named by the night's date and nothing else
(``2026-11-29/``, the UTC date the nightly published it), with that night's ``results.json`` and,
where kept, its report (``index.html``, ``compat.md``) beside it. The folder's name is the night's
date: the results inside are not asked, so one folder is one night and two nights cannot share a
date. A folder that is not a date, or a night without its results, is refused.

A check's outcome in a cell, each night, is what that night's report showed: its record's outcome,
or, for a check the cell has no record of, the cell's status (not applicable for a cell that ran).
On a server, an outcome "holds since" the night from which every one of the server's cells has had
the outcome it has now; it "changed" the last night one of them had another outcome than on the
night before that had it. Nights whose results lack the server or the check are gaps: said so,
never a change, and skipped over. Only outcomes count: an observation that changes within one
outcome is ``dbcompat diff``'s business.
"""

from __future__ import annotations

import datetime
import difflib
import fnmatch
import os
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.claims import BEHAVIOURS
from harness.errors import DbcompatError
from harness.report.build import build_columns
from harness.report.model import (
    OUTCOMES,
    Column,
    HeldOutcome,
    History,
    HistoryRow,
    LastChange,
    NightRef,
    Transition,
    compress,
    status_outcome,
    version_key,
    visible,
)
from harness.results import CellResult, Outcome, ResultError, load_results
from harness.versions import VENDORS

THIS_REPORT = "this report"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NIGHT = "a night is a folder named by its date, YYYY-MM-DD, holding that night's results.json"


class HistoryError(DbcompatError):
    """A history folder, or a check or server asked of it, cannot be read as such."""


@dataclass(frozen=True, slots=True)
class NightCell:
    """What the history needs of one cell's result: where it ran, and each check's outcome."""

    cell: str
    server: str
    server_label: str
    server_order: tuple[object, ...]
    driver: str
    django: str
    unrecorded: Outcome  # what the report shows for a check the cell has no record of (its status)
    outcomes: dict[str, Outcome]

    @classmethod
    def of(cls, column: Column, unrecorded: Outcome, outcomes: dict[str, Outcome]) -> NightCell:
        vendor_rank = VENDORS.index(column.vendor) if column.vendor in VENDORS else len(VENDORS)
        return cls(
            cell=column.cell,
            server=column.server_id,
            server_label=column.server_label,
            server_order=(vendor_rank, version_key(column.server_version), column.server_id),
            driver=column.driver_id,
            django=column.django,
            unrecorded=unrecorded,
            outcomes=outcomes,
        )


@dataclass(frozen=True)
class Night:
    """One night's outcomes; ``date`` None: the results a report shows, after the nights of the history.

    Only outcomes are kept (:meth:`of`), so that a long history of large results stays small in memory.
    """

    date: str | None
    cells: tuple[NightCell, ...]
    report: Path | None = None  # the night's index.html, where it was kept

    @classmethod
    def of(cls, date: str | None, results: Sequence[CellResult], report: Path | None = None) -> Night:
        cells = [
            NightCell.of(column, status_outcome(result.status), {check.id: check.outcome for check in result.checks})
            for column, result in zip(build_columns(results), results, strict=True)
        ]
        return cls(date, tuple(cells), report)

    @property
    def label(self) -> str:
        return self.date or THIS_REPORT


def load_history(folder: Path) -> tuple[Night, ...]:
    """The nights of a history folder, oldest first; :class:`HistoryError` naming what is wrong, if anything is.

    Hidden entries (``.gitkeep``) are passed over; anything else must be a night.
    """
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise HistoryError(f"{folder}: {what}; give --history the history folder ({_NIGHT})")
    nights = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if not entry.is_dir() or not _is_date(entry.name):
            raise HistoryError(f"{entry}: not a night of the history ({_NIGHT}); move it out of {folder}")
        results = entry / "results.json"
        if not results.is_file():
            raise HistoryError(
                f"{entry}: no results.json in this night's folder; put that night's results.json there, "
                f"or remove {entry}"
            )
        try:
            loaded = load_results([results])
        except ResultError as exc:
            raise HistoryError(f"{exc}; put that night's results.json there, or remove {entry}") from None
        report = entry / "index.html"
        nights.append(Night.of(entry.name, loaded, report if report.is_file() else None))
    if not nights:
        raise HistoryError(f"{folder}: no nights in this history folder ({_NIGHT})")
    return tuple(nights)


def _is_date(name: str) -> bool:
    if not _DATE.fullmatch(name):
        return False
    try:
        datetime.date.fromisoformat(name)
    except ValueError:
        return False
    return True


# -- the timeline ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Seen:
    """One cell's outcome of one check in one night."""

    outcome: Outcome
    driver: str
    django: str


# Per night: check -> server -> cell -> what the cell's report entry showed.
_NightStates = dict[str, dict[str, dict[str, _Seen]]]


def trace_history(
    nights: Sequence[Night],
    links_from: Path | None = None,
    check: str | None = None,
    servers: Collection[str] = (),
) -> History:
    """For each check and server, its outcome now, since when it has held and when it last changed.

    ``nights`` are oldest first. Without ``check``: every check and server of the newest night (a
    report's results come last, as a night without a date). With ``check``: that check on every
    server that had it in any night, or only on those ``servers`` (ids or globs) name.
    ``links_from`` is the folder the links to each night's report are relative to (the report's
    own); without it, they are the report's path as the history folder was given.
    """
    states = [_states(night, check) for night in nights]
    known = {c.server: c for night in nights for c in night.cells}  # the newest night names each server
    refs = [_ref(night, links_from) for night in nights]
    if check is None:
        pairs = [(c, s) for c, by_server in states[-1].items() for s in by_server] if states else []
    else:
        pairs = [(check, s) for s in dict.fromkeys(s for state in states for s in state.get(check, {}))]
        pairs = [(c, s) for c, s in pairs if not servers or any(fnmatch.fnmatchcase(s, p) for p in servers)]
    pairs.sort(key=lambda pair: (_check_order(pair[0]), known[pair[1]].server_order))
    rows = [_row(c, s, known[s].server_label, [state.get(c, {}).get(s) for state in states], refs) for c, s in pairs]
    position = {ref.label: index for index, ref in enumerate(refs)}
    began = [row for row in rows if row.since_note != "or earlier" and row.last_seen is None]
    began.sort(key=lambda row: -position[row.since.label])  # stable: the report's order within a night
    return History(
        nights=tuple(ref for ref, night in zip(refs, nights, strict=True) if night.date is not None),
        rows=tuple(rows),
        began=tuple(began),
    )


def check_ids(nights: Sequence[Night]) -> list[str]:
    """Every check any night recorded, in the report's order."""
    return sorted({check for night in nights for c in night.cells for check in c.outcomes}, key=_check_order)


def history_of_check(nights: Sequence[Night], check: str, servers: Collection[str] = ()) -> History:
    """:func:`trace_history` of one check; :class:`HistoryError` for a check or a server no night had."""
    known = check_ids(nights)
    where = f"{len(nights)} night{'' if len(nights) == 1 else 's'}, {nights[0].label} to {nights[-1].label}"
    if check not in known:
        close = difflib.get_close_matches(check, known, n=3, cutoff=0.5) or [k for k in known if check in k][:3]
        hint = f"did you mean {', '.join(close)}?" if close else "see the check ids in README.md, Checks"
        raise HistoryError(f"no check {check!r} in the history ({where}); {hint}")
    found = trace_history(nights, check=check, servers=servers)
    if not found.rows:
        had = sorted({row.server for row in trace_history(nights, check=check).rows})
        raise HistoryError(
            f"--server {' --server '.join(servers)}: no such server recorded {check} in the history ({where}); "
            f"it has {', '.join(had)}"
        )
    return found


def _check_order(check_id: str) -> tuple[int, str]:
    keys = list(BEHAVIOURS)
    behaviour = check_id.split(".", 1)[0]
    return (keys.index(behaviour) if behaviour in keys else len(keys), check_id)


def _ref(night: Night, links_from: Path | None) -> NightRef:
    if night.report is None:
        return NightRef(night.label, None)
    if links_from is None:
        return NightRef(night.label, str(night.report))
    return NightRef(night.label, os.path.relpath(night.report.resolve(), links_from.resolve()))


def _states(night: Night, only: str | None) -> _NightStates:
    """What each cell's report entry of each check showed that night (the checks some cell recorded)."""
    recorded = {check for c in night.cells for check in c.outcomes}
    wanted = recorded if only is None else recorded & {only}
    states: _NightStates = {check: {} for check in wanted}
    for c in night.cells:
        for check in wanted:
            seen = _Seen(c.outcomes.get(check, c.unrecorded), c.driver, c.django)
            states[check].setdefault(c.server, {})[c.cell] = seen
    return states


def _row(
    check: str, server: str, label: str, states: Sequence[dict[str, _Seen] | None], refs: Sequence[NightRef]
) -> HistoryRow:
    present = [i for i, state in enumerate(states) if state is not None]
    newest = states[present[-1]]
    assert newest is not None
    since = 0
    changes: list[tuple[int, str, _Seen, _Seen]] = []  # (night, cell, before, after): each cell's last change
    for cell, now in newest.items():
        had = [(i, state[cell]) for i in present if (state := states[i]) is not None and cell in state]
        start = len(had) - 1
        while start > 0 and had[start - 1][1].outcome is now.outcome:
            start -= 1
        since = max(since, had[start][0])
        if start > 0:
            changes.append((had[start][0], cell, had[start - 1][1], had[start][1]))
    last = max((night for night, *_ in changes), default=None)
    if any(night == since for night, *_ in changes):
        note = ""
    elif since == 0:
        note = "or earlier"
    else:
        note = "first recorded"
    changed = None
    if last is not None:
        moved: dict[tuple[Outcome, Outcome], list[_Seen]] = {}
        for night, _, before, after in changes:
            if night == last:
                moved.setdefault((before.outcome, after.outcome), []).append(after)
        transitions = []
        for (old, new), cells in moved.items():
            where = _where(cells, newest)
            transitions.append(
                Transition(old.value, OUTCOMES[old][0], new.value, OUTCOMES[new][0], OUTCOMES[new][1], where)
            )
        changed = LastChange(refs[last], tuple(transitions))
    by_outcome: dict[Outcome, list[_Seen]] = {}
    for seen in newest.values():
        by_outcome.setdefault(seen.outcome, []).append(seen)
    return HistoryRow(
        check=visible(check),
        server=visible(server),
        server_label=visible(label),
        now=tuple(
            HeldOutcome(outcome.value, symbol, key, _where(by_outcome[outcome], newest))
            for outcome, (symbol, key, _) in OUTCOMES.items()
            if outcome in by_outcome
        ),
        since=refs[since],
        since_note=note,
        changed=changed,
        absent=tuple(refs[i].label for i in range(present[0], len(states)) if states[i] is None),
        last_seen=refs[present[-1]] if present[-1] != len(states) - 1 else None,
    )


def _where(cells: Sequence[_Seen], every: dict[str, _Seen]) -> str:
    """ "mysqlclient: Django 4.2–6.1; connector: Django 5.2": the cells, by driver; "" when they are all of them."""
    if len(cells) == len(every):
        return ""
    universe = [seen.django for seen in every.values()]
    by_driver: dict[str, set[str]] = {}
    for seen in cells:
        by_driver.setdefault(seen.driver, set()).add(seen.django)
    ranges = (f"{driver}: Django {compress(djangos, universe)}" for driver, djangos in by_driver.items())
    return visible("; ".join(ranges))


# -- in words, for the terminal ----------------------------------------------------------------


def outcome_text(held: Sequence[HeldOutcome]) -> str:
    return " · ".join(f"{h.symbol} {h.outcome}" + (f" ({h.where})" if h.where else "") for h in held)


def since_text(row: HistoryRow) -> str:
    return f"{row.since.label} ({row.since_note})" if row.since_note else row.since.label


def change_text(row: HistoryRow) -> str:
    if row.changed is None:
        return "no change in the nights kept"
    moves = " · ".join(
        f"{t.old_symbol} {t.old} → {t.new_symbol} {t.new}" + (f" ({t.where})" if t.where else "")
        for t in row.changed.transitions
    )
    return f"{row.changed.night.label}: {moves}"
