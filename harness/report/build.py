"""Results in, a ``Report`` out.

Results are taken one at a time (``_Ingest.add``): what the report needs of a cell is kept (an
entry per check, shared by every cell that shows the same; its claims, findings and flags), the
cell's record itself is handed on (``CellSink``: written as the cell's evidence and into
results.json) and let go, so that a large matrix is never held in memory whole. The columns,
rows, vendor entries and audits are then assembled from what was kept (``_Ingest.report``).

Nothing here renders: every builder returns the plain dataclasses of ``model.py``.
"""

from __future__ import annotations

import gc
import json
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness import __version__
from harness.claims import BEHAVIOURS
from harness.matrix import POOLER_NAMES
from harness.report.diff import Change, diff_cell
from harness.report.model import (
    OBSERVED,
    OUTCOMES,
    VENDOR_NAMES,
    BackendView,
    ClaimGroup,
    Column,
    Contrast,
    ContrastRow,
    Count,
    Entry,
    Finding,
    FindingCell,
    FindingGroup,
    FindingServer,
    FlagRow,
    Group,
    History,
    HistoryMark,
    LayoutBlock,
    LayoutRow,
    Ranges,
    Report,
    Row,
    ServerFinding,
    ServerSettings,
    ServerView,
    Setting,
    SettingValue,
    Span,
    VendorColumns,
    VendorEntry,
    VendorPart,
    compress,
    holds_bidi,
    link_url,
    repro_command,
    short_text,
    status_outcome,
    version_key,
    visible,
    visible_results,
)
from harness.results import (
    CellResult,
    CellStatus,
    CheckResult,
    DjangoView,
    Outcome,
    PoolerInfo,
    SuiteInfo,
    as_json_bytes,
)
from harness.user_suites import SEPARATOR
from harness.versions import VENDORS, leading_version

if TYPE_CHECKING:
    from harness.report.history import Night, NightCell

# Called once per result, in the order results come: its number in that order, the result, its JSON as
# results.json keeps it (what the results file said), and its JSON as the page shows it (bidirectional
# controls made visible, links the page may not follow removed).
CellSink = Callable[[int, CellResult, bytes, bytes], None]


def build_report(
    results: Iterable[CellResult],
    baseline: Sequence[CellResult] | None = None,
    partial: str | None = None,
    history: Sequence[Night] | None = None,
    links_from: Path | None = None,
    sink: CellSink | None = None,
) -> Report:
    """The report of ``results`` (read once, one at a time: an iterator of a large matrix is fine).

    With ``history`` (the nights of a history folder, oldest first), it shows since when each check's
    outcome has held on each server; ``results`` come after the newest night, and the links to each
    night's report are relative to ``links_from``.
    """
    ingest = _Ingest(baseline, keep_nights=history is not None)
    with _no_cycle_collection():
        for number, result in enumerate(results):
            raw = as_json_bytes(result)
            # Every text the report shows comes from here, so hostile characters are made visible once.
            shown = visible(result) if holds_bidi(raw) else result
            links_ok = ingest.add(number, shown, result)
            if sink is not None:
                page = raw if shown is result and links_ok else as_json_bytes(_followable_links(shown))
                sink(number, result, raw, page)
    return ingest.report(visible(partial), history, links_from)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """No collection of reference cycles while results are read: it would walk every object of each result
    (thousands) many times over, for nothing: results hold no cycles, and what they hold is freed as soon
    as the result is let go. Reading a large matrix's results takes half the time without it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _followable_links(result: CellResult) -> CellResult:
    """The result without the links a page may not follow (javascript:, data:, ...): its evidence never has them."""
    checks = [
        replace(check, source_url=link_url(check.source_url), explanation_url=link_url(check.explanation_url))
        if link_url(check.source_url) != check.source_url or link_url(check.explanation_url) != check.explanation_url
        else check
        for check in result.checks
    ]
    return replace(result, checks=checks)


# -- what is kept of each cell -----------------------------------------------------------------


@dataclass(slots=True)
class _Cell:
    number: int  # in the order results came
    result: CellResult  # without its checks' records
    has_checks: bool
    django: str
    entries: dict[str, Entry]  # by check id
    unrecorded: Entry  # what a check the cell has no record of shows: the cell's status
    flags: dict[str, tuple[Any, Any]]  # Django feature flag: (value, agrees), a disagreement anywhere winning
    # The cell as a night of the history sees it, when the report has a history: from the result as it was
    # given, as the other nights' results are read (their texts are made visible when the history is traced).
    night: NightCell | None = None


@dataclass(frozen=True, slots=True)
class _FindingCell:
    cell: int  # the cell's place among the cells taken so far
    django: str
    claim: str | None
    source: str | None
    source_url: str | None
    applies_by: str | None


# A finding is one check, observation, expectation and explanation (its text, source and link).
_FindingKey = tuple[str, str, str, str | None, str | None, str | None]
_SCALARS = frozenset({str, int, float, bool, type(None)})
# Outcomes by identity: an enum member's hash is computed in Python, and the loop over every check of every
# cell would compute it twice a check.
_OBSERVED = frozenset(id(outcome) for outcome in OBSERVED)
_DIFFERS = Outcome.DIFFERS


def _frozen(value: Any) -> Hashable:
    """A key equal for equal JSON values, and only for them (True is not 1, nor "1")."""
    kind = type(value)
    if kind is dict:
        return (dict, tuple((key, _frozen(item)) for key, item in sorted(value.items())))
    if kind is list:
        return (list, tuple(_frozen(item) for item in value))
    return (kind, value)


@dataclass
class _Ingest:
    baseline: Sequence[CellResult] | None
    keep_nights: bool = False
    cells: list[_Cell] = field(default_factory=list)
    entries: dict[tuple[Any, ...], Entry] = field(default_factory=dict)
    observations: dict[Hashable, tuple[int, str, str]] = field(default_factory=dict)
    claims: dict[str, dict[str, dict[str, tuple[str, str | None]]]] = field(default_factory=dict)
    unclaimed: dict[str, set[str]] = field(default_factory=dict)
    differs: dict[_FindingKey, list[_FindingCell]] = field(default_factory=dict)
    flag_checks: dict[str, set[str]] = field(default_factory=dict)
    changes: list[Change] | None = None
    _before: dict[str, CellResult] = field(default_factory=dict)
    _links: dict[str, bool] = field(default_factory=dict)
    # A user's suites the results ran (by name): their behaviours' titles, and where they are for ``repro``.
    suites: dict[str, SuiteInfo] = field(default_factory=dict)
    # Each distinct observation (by its number) in more words, as the contrasts of wrappers show it.
    long_texts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.baseline is not None:
            self.changes = []
            self._before = {r.cell: r for r in visible_results(self.baseline)}

    def _entry(
        self, outcome: Outcome, observation: tuple[int, str, str] | None, flagged: bool, changed: bool, recorded: bool
    ) -> Entry:
        number = observation[0] if observation is not None else -1
        key = (id(outcome), number, flagged, changed, recorded)
        entry = self.entries.get(key)
        if entry is None:
            symbol, css, _ = OUTCOMES[outcome]
            text, label = (observation[1], observation[2]) if observation is not None else ("", "")
            entry = self.entries[key] = Entry(
                outcome, css, symbol, text, recorded, flagged, changed, number, label, f"{symbol} {label}".strip()
            )
        return entry

    def add(self, number: int, result: CellResult, given: CellResult) -> bool:
        """Keep what the report needs of one result: ``result``, its texts made visible, of ``given``.

        False if one of its links is not one a page may follow.
        """
        for suite in result.suites:
            self.suites.setdefault(suite.name, suite)
        changed: set[str | None] = set()
        if self.changes is not None:
            found = diff_cell(self._before.pop(result.cell, None), result)
            self.changes.extend(found)
            changed = {change.check for change in found}
        django = _django_label(result)
        place = len(self.cells)
        entries: dict[str, Entry] = {}
        flags: dict[str, tuple[Any, Any]] = {}
        links_ok = True
        observations, claims, links, flag_checks = self.observations, self.claims, self._links, self.flag_checks
        known = self.entries
        # The loop below runs once per check of every cell (hundreds of thousands of times for a large
        # matrix): what it needs is looked up once, and an entry or observation seen before is reused.
        for check in result.checks:
            check_id, outcome = check.id, check.outcome
            observation = None
            if id(outcome) in _OBSERVED:
                observed = check.observed
                key = (type(observed), observed) if type(observed) in _SCALARS else _frozen(observed)
                observation = observations.get(key)
                if observation is None:
                    observation = observations[key] = (
                        len(observations),
                        short_text(observed),
                        short_text(observed, 24),
                    )
                    self.long_texts.append(short_text(observed, 60))
            flagged = False
            if check.flags:
                for name, flag in check.flags.items():
                    if not isinstance(flag, dict):
                        continue
                    recorded_by = flag_checks.get(name)
                    if recorded_by is None:
                        recorded_by = flag_checks[name] = set()
                    recorded_by.add(check_id)
                    agrees = flag.get("agrees")
                    previous = flags.get(name)
                    # One cell may record a flag in several checks: a disagreement anywhere wins.
                    if previous is None or agrees is False or (previous[1] is None and agrees is True):
                        flags[name] = (flag.get("value"), agrees)
                    flagged = flagged or agrees is False
            is_changed = check_id in changed
            entry = known.get((id(outcome), -1 if observation is None else observation[0], flagged, is_changed, True))
            if entry is None:
                entry = self._entry(outcome, observation, flagged, is_changed, recorded=True)
            entries[check_id] = entry
            claim = check.claim
            if claim:
                by_text = claims.get(check_id)
                if by_text is None:
                    by_text = claims[check_id] = {}
                by_django = by_text.get(claim)
                if by_django is None:
                    by_django = by_text[claim] = {}
                if django not in by_django:
                    by_django[django] = (check.source or "", check.source_url)
            elif observation is not None:
                self.unclaimed.setdefault(check_id, set()).add(django)
            url = check.source_url
            if url is not None:
                ok = links.get(url)
                if ok is None:
                    ok = links[url] = link_url(url) is not None
                links_ok = links_ok and ok
            url = check.explanation_url
            if url is not None:
                ok = links.get(url)
                if ok is None:
                    ok = links[url] = link_url(url) is not None
                links_ok = links_ok and ok
            if outcome is _DIFFERS:
                self._finding(check, place, django)
        unrecorded = self._entry(status_outcome(result.status), None, False, None in changed, recorded=False)
        night = None
        if self.keep_nights:
            from harness.report.history import NightCell

            outcomes = {check.id: check.outcome for check in given.checks}
            night = NightCell.of(_column(0, given, bool(given.checks)), unrecorded.outcome, outcomes)
        self.cells.append(
            _Cell(number, replace(result, checks=[]), bool(result.checks), django, entries, unrecorded, flags, night)
        )
        return links_ok

    def _finding(self, check: CheckResult, place: int, django: str) -> None:
        explained = check.explanation is not None
        key = (
            check.id,
            short_text(check.observed, 60),
            short_text(check.expected, 60),
            check.explanation,
            check.explanation_source if explained else None,
            link_url(check.explanation_url) if explained else None,
        )
        self.differs.setdefault(key, []).append(
            _FindingCell(place, django, check.claim, check.source, check.source_url, check.applies_by)
        )

    # -- assembling the report -----------------------------------------------------------------

    def report(self, partial: str | None, nights: Sequence[Night] | None, links_from: Path | None) -> Report:
        order = sorted(range(len(self.cells)), key=lambda place: _column_key(self.cells[place].result))
        cells = [self.cells[place] for place in order]
        column_of = {place: index for index, place in enumerate(order)}
        columns = tuple(_column(index, c.result, c.has_checks) for index, c in enumerate(cells))
        djangos = [column.django for column in columns]
        vendor_columns = _vendor_columns(columns)
        layout = _layout(columns)
        check_ids = sorted({check_id for c in cells for check_id in c.entries}, key=_check_order)
        history = None
        marks: dict[tuple[str, str], HistoryMark] = {}
        if nights is not None:
            history, marks = _history(nights, cells, links_from)
        by_identity = {id(entry): entry for entry in self.entries.values()}
        tally: Counter[int] = Counter()
        vendors = [_VendorRanges(vendor, columns) for vendor in vendor_columns]
        grids = _Grids(layout)
        rows = []
        for check_id in check_ids:
            entries = tuple([c.entries.get(check_id, c.unrecorded) for c in cells])
            tally.update(map(id, entries))
            present = [by_identity[identity] for identity in set(map(id, entries))]
            rows.append(
                Row(
                    check=check_id,
                    claims=_claim_groups_of(
                        self.claims.get(check_id, {}), self.unclaimed.get(check_id, set()), djangos
                    ),
                    entries=entries,
                    backends_differ=len({e.observation for e in present if e.observation >= 0}) > 1,
                    has_finding=any(e.outcome is Outcome.DIFFERS for e in present),
                    has_flag_disagreement=any(e.flag_disagrees for e in present),
                    by_vendor=tuple(vendor.entry(check_id, entries, marks) for vendor in vendors),
                    patterns=grids.runs_of(entries),
                )
            )
        findings = self._findings(cells, column_of, columns)
        titles = behaviour_titles(self.suites.values())
        groups = _groups(rows, titles)
        ordered = [c.result for c in cells]
        return Report(
            generated_at=max((r.finished_at for r in ordered), default=""),
            harness_version=__version__,
            python_versions=tuple(sorted({r.python_version for r in ordered})),
            partial=partial,
            counts=_counts(tally, by_identity),
            columns=columns,
            server_spans=_spans(columns, lambda c: c.server_id, lambda c: c.server_label, lambda c: c.version_reported),
            driver_spans=_spans(
                columns, lambda c: (c.server_id, c.driver_id), lambda c: c.driver_id, lambda c: c.driver_label
            ),
            groups=groups,
            findings=findings,
            servers=_servers(ordered, columns),
            flags=self._flag_rows(cells),
            changes=self._changes(),
            history=history,
            vendor_columns=tuple(vendor_columns),
            finding_groups=_finding_groups(findings, columns, [row.check for g in groups for row in g.rows], titles),
            contrasts=_contrasts(cells, self.long_texts),
            layout=layout,
            patterns=tuple(grids.patterns),
            block_runs=tuple(tuple(runs) for runs in grids.runs),
            numbers=tuple(c.number for c in cells),
        )

    def _changes(self) -> tuple[Change, ...] | None:
        if self.changes is None:
            return None
        # Cells of the baseline that are gone; then every change in the order of the cells, as a diff lists them.
        gone = [change for before in self._before.values() for change in diff_cell(before, None)]
        return tuple(sorted([*self.changes, *gone], key=lambda change: change.cell))

    def _findings(
        self, cells: Sequence[_Cell], column_of: dict[int, int], columns: Sequence[Column]
    ) -> tuple[Finding, ...]:
        """The findings: entries that differ from the docs, one per check, observation, expectation and explanation.

        Cells of one finding explained differently (or some not at all) are separate findings, so that
        each shows one explanation and an unexplained one is never hidden behind an explained one.
        """
        djangos = [column.django for column in columns]
        made = []
        for (check, observed, expected, explanation, source, url), found in self.differs.items():
            members = sorted(found, key=lambda member: column_of[member.cell])
            by_text: dict[str, dict[str, tuple[str, str | None]]] = {}
            for member in members:
                if member.claim:
                    by_text.setdefault(member.claim, {}).setdefault(
                        member.django, (member.source or "", member.source_url)
                    )
            finding = Finding(
                check,
                observed,
                expected,
                _claim_groups_of(by_text, set(), djangos),
                tuple((columns[column_of[m.cell]].cell, column_of[m.cell]) for m in members),
                tuple(dict.fromkeys(m.applies_by for m in members if m.applies_by)),
                explanation,
                source,
                url,
                self._suite_path(check),
            )
            made.append(finding)
        # In the order of the checks, then of the first cell each is found in, as the table shows them.
        return tuple(sorted(made, key=lambda f: (_check_order(f.check), f.cells[0][1])))

    def _suite_path(self, check_id: str) -> str | None:
        """The folder of the user's suite a check is from (``dbcompat repro --suite`` needs it); None if built in."""
        suite = self.suites.get(check_id.split(SEPARATOR, 1)[0]) if SEPARATOR in check_id else None
        return suite.path if suite is not None else None

    def _flag_rows(self, cells: Sequence[_Cell]) -> tuple[FlagRow, ...]:
        """The flags audit: every feature flag a check recorded, per cell, with its agreement."""
        rows = []
        for name in sorted(self.flag_checks):
            entries = []
            disagreements = 0
            for c in cells:
                if name not in c.flags:
                    entries.append("")
                    continue
                value, agrees = c.flags[name]
                mark = {True: " ✓", False: " ✗"}.get(agrees, "")
                entries.append(f"{json.dumps(value)}{mark}")
                disagreements += agrees is False
            rows.append(FlagRow(name, tuple(sorted(self.flag_checks[name])), tuple(entries), disagreements))
        return tuple(rows)


# -- columns -----------------------------------------------------------------------------------


def _column_key(result: CellResult) -> tuple[Any, ...]:
    server = result.server
    vendor_rank = VENDORS.index(server.vendor) if server.vendor in VENDORS else len(VENDORS)
    version = leading_version(server.matrix_version or server.version_reported or "") or leading_version("0")
    django = leading_version(result.django_release or result.django_version or "")
    return (vendor_rank, server.vendor, version, server.id, result.driver.id, django, result.cell)


def build_columns(ordered: Sequence[CellResult]) -> tuple[Column, ...]:
    """One column per cell, in the order given (server > driver > Django version)."""
    return tuple(_column(index, r, bool(r.checks)) for index, r in enumerate(ordered))


def _column(index: int, r: CellResult, has_checks: bool) -> Column:
    return Column(
        index=index,
        cell=r.cell,
        server_id=r.server.id,
        vendor=r.server.vendor,
        vendor_name=VENDOR_NAMES.get(r.server.vendor, r.server.vendor),
        server_label=_server_label(r),
        server_version=_server_version(r),
        version_reported=r.server.version_reported or "",
        driver_id=r.driver.id,
        driver_label=f"{r.driver.name} {r.driver.version or ''}".strip(),
        django=_django_label(r),
        status=r.status.value,
        reason=r.reason,
        mismatch="; ".join(m for m in (r.server.version_mismatch, _pooler_mismatch(r.server.pooler)) if m) or None,
        has_checks=has_checks,
        view=_backend_view(r.server.django_view),
        pooler=_pooler_label(r.server.pooler),
    )


def _backend_view(view: DjangoView | None) -> BackendView | None:
    if view is None:
        return None
    return BackendView(
        display_name=view.display_name,
        vendor=view.vendor,
        is_mariadb=view.is_mariadb,
        version=".".join(str(part) for part in view.version) if view.version else None,
        unreadable=view.unreadable,
        mismatch=view.mismatch,
    )


def _server_label(result: CellResult) -> str:
    name = VENDOR_NAMES.get(result.server.vendor, result.server.vendor)
    label = f"{name} {result.server.matrix_version}" if result.server.matrix_version else name
    pooler = _pooler_label(result.server.pooler)
    return f"{label} via {pooler}" if pooler else label


def _pooler_label(pooler: PoolerInfo | None) -> str:
    """ "PgBouncer, transaction mode": the pooler a server is reached through, in the mode the matrix names."""
    if pooler is None:
        return ""
    return f"{POOLER_NAMES.get(pooler.name, pooler.name)}, {pooler.mode} mode"


def _pooler_mismatch(pooler: PoolerInfo | None) -> str | None:
    return pooler.mismatch if pooler is not None else None


def _pooler_settings(pooler: PoolerInfo | None) -> dict[str, str | None]:
    """What a pooler reported of itself, as settings of the server it is in front of (its own names)."""
    if pooler is None or (pooler.version is None and pooler.unreadable is None):
        return {}
    name = POOLER_NAMES.get(pooler.name, pooler.name)
    if pooler.unreadable is not None:
        return {name: f"(not readable: {pooler.unreadable})"}
    return {
        f"{name} version": pooler.version,
        f"{name} pool_mode": pooler.pool_mode,
        f"{name} max_prepared_statements": pooler.max_prepared_statements,
        f"{name} server_reset_query": pooler.server_reset_query,
    }


def _server_version(result: CellResult) -> str:
    if result.server.matrix_version:
        return result.server.matrix_version
    found = leading_version(result.server.version_reported or "")
    return str(found) if found else "?"


def _django_label(result: CellResult) -> str:
    """The cell's Django release: the matrix's, else (results of an older dbcompat) the one installed."""
    if result.django_release:
        return result.django_release
    found = leading_version(result.django_version or "")
    return f"{found.major}.{found.minor}" if found is not None else "?"


def _spans(
    columns: Sequence[Column],
    key: Callable[[Column], Hashable],
    label: Callable[[Column], str],
    title: Callable[[Column], str],
) -> tuple[Span, ...]:
    """Header cells over runs of neighbouring columns with the same key."""
    spans: list[Span] = []
    previous: Hashable = object()
    for column in columns:
        if key(column) == previous:
            last = spans[-1]
            spans[-1] = Span(last.label, last.title, last.width + 1)
        else:
            spans.append(Span(label(column), title(column), 1))
            previous = key(column)
    return tuple(spans)


def _vendors_in_order(columns: Sequence[Column]) -> list[str]:
    """The vendors of the columns: those with a backend here in their order, then any other (a third-party one)."""
    present = dict.fromkeys(c.vendor for c in columns)
    return [v for v in VENDORS if v in present] + [v for v in present if v not in VENDORS]


def _vendor_blocks(columns: Sequence[Column]) -> list[tuple[str, str, tuple[Column, ...]]]:
    """The columns by vendor, and by pooler and mode after each vendor's direct ones: (name, vendor, columns)."""
    blocks = []
    for vendor in _vendors_in_order(columns):
        members = [c for c in columns if c.vendor == vendor]
        name = VENDOR_NAMES.get(vendor, vendor)
        for pooler in ["", *sorted({c.pooler for c in members} - {""})]:
            block = tuple(c for c in members if c.pooler == pooler)
            if block:
                blocks.append((f"{name} via {pooler}" if pooler else name, vendor, block))
    return blocks


def _vendor_columns(columns: Sequence[Column]) -> list[VendorColumns]:
    """The first view's columns: the vendors whose checks ran, in the vendors' order, each with its cells."""
    ran = [c for c in columns if c.has_checks]
    return [VendorColumns(name, vendor, tuple(c.index for c in block)) for name, vendor, block in _vendor_blocks(ran)]


def _layout(columns: Sequence[Column]) -> tuple[LayoutBlock, ...]:
    """How each check's grid lays out the cells: per vendor, a row per server and driver, a slot per Django version."""
    djangos = sorted({c.django for c in columns}, key=version_key)
    slot_of = {django: index for index, django in enumerate(djangos)}
    blocks = []
    for name, _, block in _vendor_blocks(columns):
        rows: dict[tuple[str, str, int], list[int | None]] = {}
        labels: dict[tuple[str, str, int], tuple[str, str]] = {}
        for column in block:
            # Two cells in one slot (results of the same cell given twice) take a row each.
            copy = 0
            while (slots := rows.get((column.server_id, column.driver_id, copy))) and slots[
                slot_of[column.django]
            ] is not None:
                copy += 1
            key = (column.server_id, column.driver_id, copy)
            if key not in rows:
                rows[key] = [None] * len(djangos)
                labels[key] = (column.server_label, column.driver_id)
            rows[key][slot_of[column.django]] = column.index
        blocks.append(LayoutBlock(name, tuple(LayoutRow(*labels[key], tuple(slots)) for key, slots in rows.items())))
    return tuple(blocks)


class _Grids:
    """The checks' grids as the page renders them: each distinct row of entries once, and each distinct run
    of such rows in a block once, however many checks and servers show them."""

    def __init__(self, layout: Sequence[LayoutBlock]) -> None:
        self.slots = [[row.columns for row in block.rows] for block in layout]
        self.patterns: list[tuple[Entry | None, ...]] = []
        self.runs: list[dict[tuple[int, ...], int]] = [{} for _ in layout]  # per block: run -> its number
        self._numbers: dict[tuple[int, ...], int] = {}  # a row's entries, by identity (0: no cell) -> its pattern

    def runs_of(self, entries: Sequence[Entry]) -> tuple[int, ...]:
        """Per block, the number of the run of rows a check's grid shows there."""
        chosen = []
        for block, slots in enumerate(self.slots):
            run = []
            for row in slots:
                key = tuple([0 if index is None else id(entries[index]) for index in row])
                pattern = self._numbers.get(key)
                if pattern is None:
                    pattern = self._numbers[key] = len(self.patterns)
                    self.patterns.append(tuple(None if index is None else entries[index] for index in row))
                run.append(pattern)
            chosen.append(self.runs[block].setdefault(tuple(run), len(self.runs[block])))
        return tuple(chosen)


class _VendorRanges:
    """One vendor column of the first view: its cells, and the versions their ranges are compressed within."""

    def __init__(self, vendor: VendorColumns, columns: Sequence[Column]) -> None:
        members = [columns[index] for index in vendor.columns]
        self.name = vendor.name
        self.columns = vendor.columns
        self.servers = {c.index: c.server_version for c in members}
        self.djangos = {c.index: c.django for c in members}
        self.drivers = {c.index: c.driver_id for c in members}
        self.server_ids = dict.fromkeys(c.server_id for c in members)
        self.server_ranges = Ranges(self.servers.values())
        self.django_ranges = Ranges(self.djangos.values())
        self.all_djangos = len(set(self.djangos.values()))
        self.all_drivers = tuple(sorted(set(self.drivers.values())))

    def entry(self, check: str, entries: Sequence[Entry], marks: dict[tuple[str, str], HistoryMark]) -> VendorEntry:
        """The check on this vendor: the groups of (outcome, observation) with their version ranges."""
        groups: dict[str, list[int]] = {}
        for index in self.columns:
            entry = entries[index]
            if entry.recorded:
                members = groups.get(entry.summary)
                if members is None:
                    groups[entry.summary] = [index]
                else:
                    members.append(index)
        parts = []
        for members in groups.values():
            first = entries[members[0]]
            member_djangos = {self.djangos[i] for i in members}
            member_drivers = tuple(sorted({self.drivers[i] for i in members}))
            parts.append(
                VendorPart(
                    first.symbol,
                    first.key,
                    first.label,
                    self.server_ranges.of(self.servers[i] for i in members),
                    self.django_ranges.of(member_djangos) if len(member_djangos) != self.all_djangos else "",
                    ", ".join(member_drivers) if member_drivers != self.all_drivers else "",
                )
            )
        changes = tuple(marks[(check, s)] for s in self.server_ids if (check, s) in marks) if marks else ()
        return VendorEntry(tuple(parts), changes)


# -- rows --------------------------------------------------------------------------------------


# A citation as ``Source.cite`` writes it: the docs' version, then the page and section.
_CITATION = re.compile(r"Django (\S+) docs, (.+)", re.S)


def claim_groups(recorded: Iterable[tuple[str, CheckResult | None]], universe: Sequence[str]) -> tuple[ClaimGroup, ...]:
    """The claim as each Django version's docs state it: one group per wording, with its versions and source.

    ``recorded`` pairs each cell's Django version with its record of the check. A version whose cells
    observed the check but recorded no claim while other versions have one is a group of its own
    (text ""): its docs say nothing, which a reader comparing versions needs to see.
    """
    by_text: dict[str, dict[str, tuple[str, str | None]]] = {}
    unclaimed: set[str] = set()
    for django, check in recorded:
        if check is None:
            continue
        if check.claim:
            by_text.setdefault(check.claim, {}).setdefault(django, (check.source or "", check.source_url))
        elif check.outcome in OBSERVED:
            unclaimed.add(django)
    return _claim_groups_of(by_text, unclaimed, universe)


def _claim_groups_of(
    by_text: dict[str, dict[str, tuple[str, str | None]]], unclaimed: set[str], universe: Sequence[str]
) -> tuple[ClaimGroup, ...]:
    """:func:`claim_groups` of what was gathered: per wording, each Django version's (source, link)."""
    if not by_text:
        return ()
    groups = [_claim_group(text, sources, universe) for text, sources in by_text.items()]
    silent = unclaimed.difference(*(sources for sources in by_text.values()))
    if silent:
        groups.append((min(version_key(v) for v in silent), ClaimGroup(compress(silent, universe), "", "", None)))
    return tuple(group for _, group in sorted(groups, key=lambda pair: pair[0]))


def _claim_group(
    text: str, sources: dict[str, tuple[str, str | None]], universe: Sequence[str]
) -> tuple[tuple[int, ...], ClaimGroup]:
    versions = sorted(sources, key=version_key)
    djangos = compress(versions, universe)
    cited = [_CITATION.fullmatch(sources[version][0]) for version in versions]
    places = {match.group(2) for match in cited if match}
    if len(places) == 1 and all(cited):
        # One page and section in every version: cite it once; the group's versions name the docs.
        source = places.pop()
    else:
        source = "; ".join(dict.fromkeys(sources[version][0] for version in versions if sources[version][0]))
    return version_key(versions[0]), ClaimGroup(djangos, text, source, link_url(sources[versions[-1]][1]))


def _behaviour_rank(key: str) -> tuple[int, str]:
    keys = list(BEHAVIOURS)
    return (keys.index(key) if key in keys else len(keys), key)


def _check_order(check_id: str) -> tuple[int, str]:
    return (_behaviour_rank(check_id.split(".", 1)[0])[0], check_id)


def _contrasts(cells: Sequence[_Cell], texts: Sequence[str]) -> tuple[Contrast, ...]:
    """Each third-party backend against the cells of the Django backend it wraps (the plain driver entry of the
    same DB-API module and that ENGINE), and each configuration against its plain driver: on the same server
    and Django version, the checks whose observation differs (or whose outcome does, where neither observed)."""
    # Only cells that ran: a cell whose checks do not apply as a whole (an option its Django lacks) shows nothing.
    ran = [cell for cell in cells if cell.has_checks and cell.result.status is CellStatus.RAN]
    by_driver = {(c.result.server.id, c.django, c.result.driver.id): c for c in ran}
    plain: dict[tuple[str, str, str, str | None], _Cell] = {}
    for cell in ran:
        driver = cell.result.driver
        if driver.variant_of is None and driver.backend is None and not driver.options:
            plain.setdefault((cell.result.server.id, cell.django, driver.module, driver.engine), cell)
    pairs: dict[tuple[str, str, str], list[tuple[_Cell, _Cell]]] = {}
    labels: dict[str, str] = {}
    for cell in ran:
        driver, server = cell.result.driver, cell.result.server.id
        # A third-party backend's entry names the plain driver it builds on (variant_of), else its DB-API module.
        if driver.variant_of is not None:
            base = by_driver.get((server, cell.django, driver.variant_of))
        elif driver.backend is not None and driver.backend.wraps is not None:
            base = plain.get((server, cell.django, driver.module, driver.backend.wraps))
        else:
            continue
        options = ", ".join(f"{name}={json.dumps(value)}" for name, value in driver.options.items())
        label = f"{driver.name}" + (f", OPTIONS {options}" if options else "")
        kind = "configures"
        if driver.backend is not None:
            kind = "wraps"
            made = " ".join(part for part in (driver.backend.distribution, driver.backend.version) if part)
            wraps = f", wraps {driver.backend.wraps}" if driver.backend.wraps else ""
            label = f"{label}: {made or driver.engine} ({driver.engine}{wraps})"
        if base is not None:
            pairs.setdefault((driver.id, base.result.driver.id, kind), []).append((base, cell))
            labels.setdefault(driver.id, label)
    contrasts = []
    for (driver_id, base_id, kind), found in sorted(pairs.items()):
        differ: dict[tuple[str, str, str], list[str]] = {}
        compared: set[str] = set()
        for base, other in found:
            for check_id, entry in other.entries.items():
                was = base.entries.get(check_id)
                if was is None:
                    continue
                compared.add(check_id)
                if was.observation != entry.observation or (entry.observation < 0 and was.outcome is not entry.outcome):
                    key = (check_id, _contrast_text(was, texts), _contrast_text(entry, texts))
                    differ.setdefault(key, []).append(other.result.cell)
        rows = tuple(
            ContrastRow(check, was, now, tuple(members))
            for (check, was, now), members in sorted(differ.items(), key=lambda item: _check_order(item[0][0]))
        )
        contrasts.append(Contrast(driver_id, labels[driver_id], base_id, kind, len(found), len(compared), rows))
    return tuple(contrasts)


def _contrast_text(entry: Entry, texts: Sequence[str]) -> str:
    """An entry as a contrast shows it: the outcome's symbol and the observation, else the outcome."""
    return f"{entry.symbol} {texts[entry.observation] if entry.observation >= 0 else entry.outcome.value}"


def behaviour_titles(suites: Iterable[SuiteInfo]) -> dict[str, str]:
    """Each behaviour's title: the built-in ones', then those a user's suites give theirs (keys namespaced)."""
    titles = dict(BEHAVIOURS)
    for suite in suites:
        for key, title in suite.behaviours.items():
            titles.setdefault(key, title)
    return titles


def _groups(rows: Sequence[Row], titles: Mapping[str, str]) -> tuple[Group, ...]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.check.split(".", 1)[0], []).append(row)
    return tuple(
        Group(key, titles.get(key, key), tuple(members))
        for key, members in sorted(grouped.items(), key=lambda item: _behaviour_rank(item[0]))
    )


def _counts(tally: Counter[int], by_identity: dict[int, Entry]) -> tuple[Count, ...]:
    """One count per entry of the grid: a cell whose checks never ran counts its status for each check."""
    counts: Counter[Outcome] = Counter()
    for identity, count in tally.items():
        counts[by_identity[identity].outcome] += count
    return tuple(Count(o.value, symbol, key, meaning, counts[o]) for o, (symbol, key, meaning) in OUTCOMES.items())


def _finding_groups(
    findings: Sequence[Finding], columns: Sequence[Column], check_ids: Sequence[str], titles: Mapping[str, str]
) -> tuple[FindingGroup, ...]:
    """The findings by behaviour, then by server (in the columns' order): one line per finding and server."""
    row_of = {check: index for index, check in enumerate(check_ids)}
    server_rank: dict[str, tuple[int, str]] = {}
    for column in columns:
        server_rank.setdefault(column.server_id, (len(server_rank), column.server_label))
    by_behaviour: dict[str, dict[str, list[ServerFinding]]] = {}
    for finding in findings:
        by_server: dict[str, list[FindingCell]] = {}
        for cell, index in finding.cells:
            command = repro_command(finding.check, cell, finding.suite_path)
            by_server.setdefault(columns[index].server_id, []).append(FindingCell(cell, index, command))
        servers = by_behaviour.setdefault(finding.check.split(".", 1)[0], {})
        for server, cells in by_server.items():
            servers.setdefault(server, []).append(ServerFinding(finding, tuple(cells), row_of[finding.check]))
    return tuple(
        FindingGroup(
            key,
            titles.get(key, key),
            tuple(
                FindingServer(server, server_rank[server][1], tuple(items))
                for server, items in sorted(servers.items(), key=lambda item: server_rank[item[0]][0])
            ),
        )
        for key, servers in sorted(by_behaviour.items(), key=lambda item: _behaviour_rank(item[0]))
    )


# -- history -----------------------------------------------------------------------------------


def _history(
    nights: Sequence[Night], cells: Sequence[_Cell], links_from: Path | None
) -> tuple[History, dict[tuple[str, str], HistoryMark]]:
    """The history with these results as its newest night, and a mark per check and server that changed in it."""
    from harness.report.history import Night, trace_history

    tonight = Night(None, tuple(c.night for c in cells if c.night is not None))
    history = trace_history([*nights, tonight], links_from=links_from)
    marks = {}
    for index, row in enumerate(history.began):
        # An outcome that began with a change (not one first recorded) within the nights kept.
        if row.since_note == "" and row.changed is not None:
            marks[(row.check, row.server)] = HistoryMark(row.changed.night.label, row.server, f"history-{index}")
    return history, marks


# -- audits ------------------------------------------------------------------------------------


def _servers(results: Sequence[CellResult], columns: Sequence[Column]) -> tuple[ServerSettings, ...]:
    """Each server's settings that change behaviour, and how each cell's Django backend sees it.

    Settings are read by every cell; where its cells read a setting differently (one driver may
    be refused a variable another reads), each value says which cells read it.
    """
    djangos = [column.django for column in columns]
    by_server: dict[str, list[tuple[CellResult, Column]]] = {}
    for result, column in zip(results, columns, strict=True):
        by_server.setdefault(result.server.id, []).append((result, column))
    servers = []
    for members in by_server.values():
        # Named after a cell that reached the server: a cell that never ran knows no version.
        first = next((r.server for r, _ in members if r.server.version_reported), members[0][0].server)
        if not any(r.server.settings or r.server.version_reported or r.server.django_view for r, _ in members):
            continue
        label = f"{VENDOR_NAMES.get(first.vendor, first.vendor)} {first.version_reported or ''}".strip()
        if first.pooler is not None:
            label += f", through {first.pooler.version or POOLER_NAMES.get(first.pooler.name, first.pooler.name)} in "
            label += f"{first.pooler.pool_mode or first.pooler.mode} pool mode"
        servers.append(
            ServerSettings(
                first.id,
                label,
                f"{first.provider}: {first.origin}",
                _settings(members, djangos),
                _views(members, djangos),
            )
        )
    return tuple(servers)


def _settings(members: Sequence[tuple[CellResult, Column]], djangos: Sequence[str]) -> tuple[Setting, ...]:
    reading = [
        ({**r.server.settings, **_pooler_settings(r.server.pooler)}, column)
        for r, column in members
        if r.server.settings or _pooler_settings(r.server.pooler)
    ]
    names = dict.fromkeys(name for settings, _ in reading for name in settings)
    shown = []
    for name in names:
        values: dict[str, list[Column]] = {}
        for settings, column in reading:
            if name in settings:
                values.setdefault(settings[name] or "", []).append(column)
        everywhere = len(values) == 1 and len(next(iter(values.values()))) == len(reading)
        shown.append(
            Setting(
                name,
                tuple(
                    SettingValue(value, value.startswith("(not readable"), "" if everywhere else _where(read, djangos))
                    for value, read in values.items()
                ),
            )
        )
    return tuple(shown)


def _where(columns: Sequence[Column], djangos: Sequence[str]) -> str:
    """ "mysqlclient (Django 4.2–5.2), connector (Django 5.2)": the cells a value holds for, by driver."""
    by_driver: dict[str, set[str]] = {}
    for column in columns:
        by_driver.setdefault(column.driver_id, set()).add(column.django)
    return ", ".join(f"{driver} (Django {compress(versions, djangos)})" for driver, versions in by_driver.items())


def _views(members: Sequence[tuple[CellResult, Column]], djangos: Sequence[str]) -> tuple[ServerView, ...]:
    """Django's view of the server, once per backend (driver) and view, with the Django versions that share it."""
    shared: dict[tuple[str, BackendView], list[Column]] = {}
    for _, column in members:
        if column.view is not None:
            shared.setdefault((column.driver_id, column.view), []).append(column)
    return tuple(
        ServerView(driver, compress({c.django for c in cells}, djangos), tuple(c.cell for c in cells), view)
        for (driver, view), cells in shared.items()
    )
