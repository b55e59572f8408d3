"""Results in, a ``Report`` out: one builder each for the columns, the rows and the audits.

Nothing here renders: every builder returns the plain dataclasses of ``model.py``, and the
evidence goes into an ``EvidenceTable`` as the rows are built.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

from harness import __version__
from harness.claims import BEHAVIOURS
from harness.matrix import POOLER_NAMES
from harness.report.diff import diff_results
from harness.report.evidence import EvidenceTable
from harness.report.model import (
    OBSERVED,
    OUTCOMES,
    VENDOR_NAMES,
    BackendView,
    ClaimGroup,
    Column,
    Count,
    Entry,
    Finding,
    FlagRow,
    Group,
    History,
    Report,
    Row,
    ServerSettings,
    ServerView,
    Setting,
    SettingValue,
    Span,
    compress,
    link_url,
    short_text,
    status_outcome,
    version_key,
    visible,
    visible_results,
)
from harness.results import CellResult, CheckResult, DjangoView, Outcome, PoolerInfo
from harness.versions import VENDORS, leading_version

Checks = dict[str, CheckResult]  # one cell's records by check id


def build_report(
    results: Sequence[CellResult],
    baseline: Sequence[CellResult] | None = None,
    partial: str | None = None,
    history: History | None = None,
) -> Report:
    # Every text the report shows comes from here, so hostile characters are made visible once.
    results = visible_results(results)
    baseline = visible_results(baseline) if baseline is not None else None
    partial = visible(partial)
    ordered = sorted(results, key=_column_key)
    by_cell = [{c.id: c for c in r.checks} for r in ordered]
    changes = tuple(diff_results(baseline, results)) if baseline is not None else None
    columns = build_columns(ordered)
    evidence = EvidenceTable()
    rows = build_rows(ordered, by_cell, evidence, {(c.cell, c.check) for c in changes or ()}, columns)
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
        servers=_servers(ordered, columns),
        flags=_flags(ordered),
        changes=changes,
        evidence=evidence.entries,
        strings=evidence.strings,
        history=history,
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
            mismatch="; ".join(m for m in (r.server.version_mismatch, _pooler_mismatch(r.server.pooler)) if m) or None,
            has_checks=bool(r.checks),
            view=_backend_view(r.server.django_view),
            pooler=_pooler_label(r.server.pooler),
        )
        for index, r in enumerate(ordered)
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


# -- rows --------------------------------------------------------------------------------------


def build_rows(
    ordered: Sequence[CellResult],
    by_cell: Sequence[Checks],
    evidence: EvidenceTable,
    changed: set[tuple[str, str | None]],
    columns: Sequence[Column],
) -> list[Row]:
    """One row per check that any cell recorded, in behaviour order; its evidence goes into ``evidence``."""
    check_ids = sorted({check_id for checks in by_cell for check_id in checks}, key=_check_order)
    djangos = [column.django for column in columns]
    return [_row(check_id, ordered, by_cell, evidence, changed, djangos) for check_id in check_ids]


def _row(
    check_id: str,
    ordered: Sequence[CellResult],
    by_cell: Sequence[Checks],
    evidence: EvidenceTable,
    changed: set[tuple[str, str | None]],
    djangos: Sequence[str],
) -> Row:
    found = [checks.get(check_id) for checks in by_cell]
    entries = tuple(
        _entry(result, check, evidence.add(result, check), changed)
        for result, check in zip(ordered, found, strict=True)
    )
    observations = {
        json.dumps(check.observed, sort_keys=True) for check in found if check is not None and check.outcome in OBSERVED
    }
    return Row(
        check=check_id,
        claims=claim_groups(zip(djangos, found, strict=True), djangos),
        entries=entries,
        backends_differ=len(observations) > 1,
        has_finding=any(e.outcome is Outcome.DIFFERS for e in entries),
        has_flag_disagreement=any(e.flag_disagrees for e in entries),
    )


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


# A finding is one check, observation, expectation and explanation (its text, source and link).
_FindingKey = tuple[str, str, str, str | None, str | None, str | None]


def _findings(rows: Sequence[Row], by_cell: Sequence[Checks], columns: Sequence[Column]) -> tuple[Finding, ...]:
    """The findings: entries that differ from the docs, one per check, observation, expectation and explanation.

    Cells of one finding explained differently (or some not at all) are separate findings, so that
    each shows one explanation and an unexplained one is never hidden behind an explained one.
    """
    found: dict[_FindingKey, list[tuple[Column, int, CheckResult]]] = {}
    for row in rows:
        for entry, checks, column in zip(row.entries, by_cell, columns, strict=True):
            if entry.outcome is Outcome.DIFFERS:
                check = checks[row.check]
                key = (
                    row.check,
                    short_text(check.observed, 60),
                    short_text(check.expected, 60),
                    check.explanation,
                    check.explanation_source if check.explanation else None,
                    link_url(check.explanation_url) if check.explanation else None,
                )
                found.setdefault(key, []).append((column, entry.evidence, check))
    djangos = [column.django for column in columns]
    return tuple(
        Finding(
            check,
            observed,
            expected,
            claim_groups(((column.django, check) for column, _, check in cells), djangos),
            tuple((column.cell, index) for column, index, _ in cells),
            tuple(dict.fromkeys(check.applies_by for _, _, check in cells if check.applies_by)),
            explanation,
            source,
            url,
        )
        for (check, observed, expected, explanation, source, url), cells in found.items()
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
