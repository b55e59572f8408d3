"""Results in, a ``Report`` out: one builder each for the columns, the rows and the audits.

Nothing here renders: every builder returns the plain dataclasses of ``model.py``, and the
evidence goes into an ``EvidenceTable`` as the rows are built.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from harness import __version__
from harness.claims import BEHAVIOURS
from harness.report.diff import diff_results
from harness.report.evidence import EvidenceTable
from harness.report.model import (
    OBSERVED,
    OUTCOMES,
    VENDOR_NAMES,
    Column,
    Count,
    Entry,
    Finding,
    FlagRow,
    Group,
    Report,
    Row,
    ServerSettings,
    Span,
    short_text,
    status_outcome,
    visible,
)
from harness.results import CellResult, CheckResult, Outcome
from harness.versions import VENDORS, leading_version

Checks = dict[str, CheckResult]  # one cell's records by check id


def build_report(
    results: Sequence[CellResult],
    baseline: Sequence[CellResult] | None = None,
    partial: str | None = None,
) -> Report:
    # Every text the report shows comes from here, so hostile characters are made visible once.
    results = visible(list(results))
    baseline = visible(list(baseline)) if baseline is not None else None
    partial = visible(partial)
    ordered = sorted(results, key=_column_key)
    by_cell = [{c.id: c for c in r.checks} for r in ordered]
    changes = tuple(diff_results(baseline, results)) if baseline is not None else None
    columns = build_columns(ordered)
    evidence = EvidenceTable()
    rows = build_rows(ordered, by_cell, evidence, {(c.cell, c.check) for c in changes or ()})
    return Report(
        generated_at=max((r.finished_at for r in ordered), default=""),
        harness_version=__version__,
        python_versions=tuple(sorted({r.python_version for r in ordered})),
        partial=partial,
        counts=_counts(rows),
        columns=columns,
        server_spans=_spans(columns, lambda c: c.server_id, lambda c: c.server_label, lambda c: c.version_reported),
        driver_spans=_spans(
            columns, lambda c: (c.server_id, c.driver_id), lambda c: c.driver_id, lambda c: c.driver_label
        ),
        groups=_groups(rows),
        findings=_findings(rows, by_cell, columns),
        servers=_servers(ordered),
        flags=_flags(ordered),
        changes=changes,
        evidence=evidence.entries,
        strings=evidence.strings,
    )


# -- columns -----------------------------------------------------------------------------------


def _column_key(result: CellResult) -> tuple[Any, ...]:
    server = result.server
    vendor_rank = VENDORS.index(server.vendor) if server.vendor in VENDORS else len(VENDORS)
    version = leading_version(server.matrix_version or server.version_reported or "") or leading_version("0")
    django = leading_version(result.django_release or result.django_version or "")
    return (vendor_rank, version, server.id, result.driver.id, django, result.cell)


def build_columns(ordered: Sequence[CellResult]) -> tuple[Column, ...]:
    """One column per cell, in the order given (server > driver > Django version)."""
    return tuple(
        Column(
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
            mismatch=r.server.version_mismatch,
            has_checks=bool(r.checks),
        )
        for index, r in enumerate(ordered)
    )


def _server_label(result: CellResult) -> str:
    name = VENDOR_NAMES.get(result.server.vendor, result.server.vendor)
    return f"{name} {result.server.matrix_version}" if result.server.matrix_version else name


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


# -- rows --------------------------------------------------------------------------------------


def build_rows(
    ordered: Sequence[CellResult],
    by_cell: Sequence[Checks],
    evidence: EvidenceTable,
    changed: set[tuple[str, str | None]],
) -> list[Row]:
    """One row per check that any cell recorded, in behaviour order; its evidence goes into ``evidence``."""
    check_ids = sorted({check_id for checks in by_cell for check_id in checks}, key=_check_order)
    return [_row(check_id, ordered, by_cell, evidence, changed) for check_id in check_ids]


def _row(
    check_id: str,
    ordered: Sequence[CellResult],
    by_cell: Sequence[Checks],
    evidence: EvidenceTable,
    changed: set[tuple[str, str | None]],
) -> Row:
    found = [checks.get(check_id) for checks in by_cell]
    entries = tuple(
        _entry(result, check, evidence.add(result, check), changed)
        for result, check in zip(ordered, found, strict=True)
    )
    claims = Counter(check.claim for check in found if check is not None and check.claim)
    observations = {
        json.dumps(check.observed, sort_keys=True) for check in found if check is not None and check.outcome in OBSERVED
    }
    return Row(
        check=check_id,
        claim=claims.most_common(1)[0][0] if claims else "No claim in the docs.",
        claims=tuple(claims),
        entries=entries,
        backends_differ=len(observations) > 1,
        has_finding=any(e.outcome is Outcome.DIFFERS for e in entries),
        has_flag_disagreement=any(e.flag_disagrees for e in entries),
    )


def _entry(result: CellResult, found: CheckResult | None, evidence: int, changed: set[tuple[str, str | None]]) -> Entry:
    if found is None:
        outcome = status_outcome(result.status)
        symbol, key, _ = OUTCOMES[outcome]
        return Entry(outcome, key, symbol, "", evidence, changed=(result.cell, None) in changed)
    symbol, key, _ = OUTCOMES[found.outcome]
    shown = found.outcome in OBSERVED
    return Entry(
        found.outcome,
        key,
        symbol,
        short_text(found.observed) if shown else "",
        evidence,
        recorded=True,
        observed=found.observed if shown else None,
        flag_disagrees=any(isinstance(f, dict) and f.get("agrees") is False for f in found.flags.values()),
        changed=(result.cell, found.id) in changed,
    )


def _behaviour_rank(key: str) -> tuple[int, str]:
    keys = list(BEHAVIOURS)
    return (keys.index(key) if key in keys else len(keys), key)


def _check_order(check_id: str) -> tuple[int, str]:
    return (_behaviour_rank(check_id.split(".", 1)[0])[0], check_id)


def _groups(rows: Sequence[Row]) -> tuple[Group, ...]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.check.split(".", 1)[0], []).append(row)
    return tuple(
        Group(key, BEHAVIOURS.get(key, key), tuple(members))
        for key, members in sorted(grouped.items(), key=lambda item: _behaviour_rank(item[0]))
    )


def _counts(rows: Sequence[Row]) -> tuple[Count, ...]:
    """One count per entry of the grid: a cell whose checks never ran counts its status for each check."""
    counts = Counter(entry.outcome for row in rows for entry in row.entries)
    return tuple(Count(o.value, symbol, key, meaning, counts[o]) for o, (symbol, key, meaning) in OUTCOMES.items())


def _findings(rows: Sequence[Row], by_cell: Sequence[Checks], columns: Sequence[Column]) -> tuple[Finding, ...]:
    """The findings: entries that differ from the docs, one per check, observation and expectation."""
    found: dict[tuple[str, str, str], list[tuple[str, int, str]]] = {}
    for row in rows:
        for entry, checks, column in zip(row.entries, by_cell, columns, strict=True):
            if entry.outcome is Outcome.DIFFERS:
                check = checks[row.check]
                key = (row.check, short_text(check.observed, 60), short_text(check.expected, 60))
                found.setdefault(key, []).append((column.cell, entry.evidence, check.claim or ""))
    return tuple(
        Finding(check, observed, expected, cells[0][2], tuple((cell, index) for cell, index, _ in cells))
        for (check, observed, expected), cells in found.items()
    )


# -- audits ------------------------------------------------------------------------------------


def _flags(results: Sequence[CellResult]) -> tuple[FlagRow, ...]:
    """The flags audit: every feature flag a check recorded, per cell, with its agreement."""
    seen: dict[str, dict[int, tuple[Any, Any]]] = {}
    checks: dict[str, set[str]] = {}
    for index, result in enumerate(results):
        for check in result.checks:
            for name, flag in check.flags.items():
                if not isinstance(flag, dict):
                    continue
                checks.setdefault(name, set()).add(check.id)
                value, agrees = flag.get("value"), flag.get("agrees")
                previous = seen.setdefault(name, {}).get(index)
                # One cell may record a flag in several checks: a disagreement anywhere wins.
                if previous is None or agrees is False or (previous[1] is None and agrees is True):
                    seen[name][index] = (value, agrees)
    rows = []
    for name in sorted(seen):
        entries = []
        for index in range(len(results)):
            if index not in seen[name]:
                entries.append("")
                continue
            value, agrees = seen[name][index]
            mark = {True: " ✓", False: " ✗"}.get(agrees, "")
            entries.append(f"{json.dumps(value)}{mark}")
        disagreements = sum(1 for value, agrees in seen[name].values() if agrees is False)
        rows.append(FlagRow(name, tuple(sorted(checks[name])), tuple(entries), disagreements))
    return tuple(rows)


def _servers(results: Sequence[CellResult]) -> tuple[ServerSettings, ...]:
    """Each server's settings that change behaviour, once per server."""
    seen: dict[str, ServerSettings] = {}
    for result in results:
        server = result.server
        if server.id in seen or not (server.settings or server.version_reported):
            continue
        seen[server.id] = ServerSettings(
            server.id,
            f"{VENDOR_NAMES.get(server.vendor, server.vendor)} {server.version_reported or ''}".strip(),
            f"{server.provider}: {server.origin}",
            tuple((name, value or "") for name, value in server.settings.items()),
        )
    return tuple(seen.values())
