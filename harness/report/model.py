"""The report as plain data: built once from results, rendered by templates only.

Columns are cells, grouped server > driver > Django version; rows are checks, grouped
by behaviour. Evidence (claim, expected, observed, flags, SQL) is kept apart from the
table, with repeated strings (SQL, claims) stored once, so large matrices stay small.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from harness import __version__
from harness.claims import BEHAVIOURS
from harness.report.diff import Change, diff_results
from harness.results import CellResult, CellStatus, CheckResult, Outcome
from harness.versions import VENDORS, leading_version

VENDOR_NAMES = {
    "sqlite": "SQLite",
    "postgresql": "PostgreSQL",
    "mysql": "MySQL",
    "mariadb": "MariaDB",
    "oracle": "Oracle",
}

# Symbol (survives grey-scale printing), CSS key, and a one-line meaning per outcome.
# The one-letter key is the table cell's CSS class: large matrices have tens of thousands of cells.
OUTCOMES: dict[Outcome, tuple[str, str, str]] = {
    Outcome.AS_DOCUMENTED: ("✓", "d", "the server did what the docs of the cell's Django version say"),
    Outcome.DIFFERS: ("✗", "x", "the server did something else than the docs say: a finding"),
    Outcome.NO_CLAIM: ("○", "n", "the docs say nothing for this backend; the observation is recorded"),
    Outcome.NOT_APPLICABLE: ("–", "a", "the check cannot run on this backend; the evidence says why"),
    Outcome.UNSUPPORTED: ("⊘", "u", "Django refuses this server version"),
    Outcome.UNAVAILABLE: ("?", "v", "no server was reachable for this cell"),
    Outcome.HARNESS_ERROR: ("‼", "e", "the harness or the check failed: not a finding about the server"),
}
_STATUS_OUTCOME = {
    CellStatus.UNSUPPORTED: Outcome.UNSUPPORTED,
    CellStatus.UNAVAILABLE: Outcome.UNAVAILABLE,
    CellStatus.HARNESS_ERROR: Outcome.HARNESS_ERROR,
}


@dataclass(frozen=True)
class Column:
    index: int
    cell: str
    server_id: str
    vendor: str
    vendor_name: str
    server_label: str
    version_reported: str
    driver_id: str
    driver_label: str
    django: str
    status: str
    reason: str | None
    mismatch: str | None


@dataclass(frozen=True)
class Span:
    label: str
    title: str
    width: int


@dataclass(frozen=True)
class Entry:
    outcome: str  # CSS key
    symbol: str
    text: str
    evidence: int
    flag_disagrees: bool = False
    changed: bool = False


@dataclass(frozen=True)
class Row:
    check: str
    claim: str
    entries: tuple[Entry, ...]
    backends_differ: bool
    has_finding: bool
    has_flag_disagreement: bool


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Finding:
    """One way a check differs from the docs, and every cell where it does."""

    check: str
    observed: str
    expected: str
    claim: str
    cells: tuple[tuple[str, int], ...]  # (cell id, evidence index)


@dataclass(frozen=True)
class ServerSettings:
    server: str
    label: str
    provider: str
    settings: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FlagRow:
    """One Django feature flag across the cells: its value, and whether the server did what it says."""

    flag: str
    checks: tuple[str, ...]
    entries: tuple[str, ...]  # per column: "" where no check recorded it
    disagreements: int


@dataclass(frozen=True)
class Count:
    outcome: str
    symbol: str
    key: str
    meaning: str
    count: int


@dataclass(frozen=True)
class Report:
    generated_at: str
    harness_version: str
    python_versions: tuple[str, ...]
    partial: str | None
    counts: tuple[Count, ...]
    columns: tuple[Column, ...]
    server_spans: tuple[Span, ...]
    driver_spans: tuple[Span, ...]
    groups: tuple[Group, ...]
    findings: tuple[Finding, ...]
    servers: tuple[ServerSettings, ...]
    flags: tuple[FlagRow, ...]
    changes: tuple[Change, ...] | None
    evidence: list[list[Any]] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)

    @property
    def vendors(self) -> list[tuple[str, str]]:
        return _distinct((c.vendor, c.vendor_name) for c in self.columns)

    @property
    def drivers(self) -> list[tuple[str, str]]:
        return _distinct((c.driver_id, c.driver_label.split(" ")[0]) for c in self.columns)

    @property
    def djangos(self) -> list[tuple[str, str]]:
        return sorted(_distinct((c.django, c.django) for c in self.columns), key=lambda d: leading_version(d[0]) or 0)


def _distinct(pairs: Any) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for key, label in pairs:
        seen.setdefault(key, label)
    return list(seen.items())


def _column_key(result: CellResult) -> tuple[Any, ...]:
    server = result.server
    vendor_rank = VENDORS.index(server.vendor) if server.vendor in VENDORS else len(VENDORS)
    version = leading_version(server.matrix_version or server.version_reported or "") or leading_version("0")
    django = leading_version(result.django_version or "") or leading_version(result.cell.rsplit("django", 1)[-1])
    return (vendor_rank, version, server.id, result.driver.id, django, result.cell)


def _django_label(result: CellResult) -> str:
    found = leading_version(result.django_version or "")
    if found is not None:
        return f"{found.major}.{found.minor}"
    tail = result.cell.rsplit("-django", 1)[-1]
    return f"{tail[0]}.{tail[1:]}" if tail.isdigit() and len(tail) >= 2 else tail


_CLASS_PATH = re.compile(r"^[A-Za-z_]\w*(?:\.\w+)*\.([A-Z]\w*)$")


def short_text(value: Any, limit: int = 20) -> str:
    """An observation in a few words: exception classes by their own name, mappings as key=value."""
    if isinstance(value, str):
        match = _CLASS_PATH.match(value)
        text = match.group(1) if match else value
    elif isinstance(value, dict) and "instance of" in value:  # a class expectation
        text = "a " + short_text(value["instance of"], limit)
        if "but not" in value:
            text += f" (not {short_text(value['but not'], limit)})"
    elif isinstance(value, dict) and set(value) == {"at least"}:
        text = f"≥ {value['at least']}"
    elif isinstance(value, dict):
        text = " ".join(f"{key}={short_text(item, limit)}" for key, item in value.items())
    else:
        text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_report(
    results: Sequence[CellResult],
    baseline: Sequence[CellResult] | None = None,
    partial: str | None = None,
) -> Report:
    ordered = sorted(results, key=_column_key)
    columns = tuple(
        Column(
            index=index,
            cell=r.cell,
            server_id=r.server.id,
            vendor=r.server.vendor,
            vendor_name=VENDOR_NAMES.get(r.server.vendor, r.server.vendor),
            server_label=_server_label(r),
            version_reported=r.server.version_reported or "",
            driver_id=r.driver.id,
            driver_label=f"{r.driver.name} {r.driver.version or ''}".strip(),
            django=_django_label(r),
            status=r.status.value,
            reason=r.reason,
            mismatch=r.server.version_mismatch,
        )
        for index, r in enumerate(ordered)
    )
    changes = tuple(diff_results(baseline, results)) if baseline is not None else None
    changed = {(c.cell, c.check) for c in changes or ()}
    strings: list[str] = []
    interned: dict[str, int] = {}

    def intern(text: str | None) -> int | None:
        if text is None:
            return None
        if text not in interned:
            interned[text] = len(strings)
            strings.append(text)
        return interned[text]

    evidence: list[list[Any]] = []
    by_cell = [{c.id: c for c in r.checks} for r in ordered]
    check_ids = sorted({c.id for r in ordered for c in r.checks}, key=_check_order)
    groups: dict[str, list[Row]] = {}
    findings: dict[tuple[str, str, str], list[tuple[str, int, str]]] = {}
    # One count per entry of the grid: a cell whose checks never ran counts its status for each check.
    counts: Counter[Outcome] = Counter()
    for check_id in check_ids:
        entries = []
        claims = Counter(c.claim for checks in by_cell for c in checks.values() if c.id == check_id and c.claim)
        for result, checks in zip(ordered, by_cell, strict=True):
            found = checks.get(check_id)
            evidence.append(_evidence(result, found, intern))
            if found is None:
                outcome = _STATUS_OUTCOME.get(result.status, Outcome.NOT_APPLICABLE)
                counts[outcome] += 1
                symbol, key, _ = OUTCOMES[outcome]
                entries.append(Entry(key, symbol, "", len(evidence) - 1, changed=(result.cell, None) in changed))
                continue
            counts[found.outcome] += 1
            symbol, key, _ = OUTCOMES[found.outcome]
            shown = short_text(found.observed) if found.outcome in _OBSERVED else ""
            disagrees = any(isinstance(f, dict) and f.get("agrees") is False for f in found.flags.values())
            entries.append(Entry(key, symbol, shown, len(evidence) - 1, disagrees, (result.cell, check_id) in changed))
            if found.outcome is Outcome.DIFFERS:
                finding = (check_id, short_text(found.observed, 60), short_text(found.expected, 60))
                findings.setdefault(finding, []).append((result.cell, len(evidence) - 1, found.claim or ""))
        observations = {
            json.dumps(checks[check_id].observed, sort_keys=True)
            for checks in by_cell
            if check_id in checks and checks[check_id].outcome in _OBSERVED
        }
        groups.setdefault(check_id.split(".", 1)[0], []).append(
            Row(
                check=check_id,
                claim=claims.most_common(1)[0][0] if claims else "No claim in the docs.",
                entries=tuple(entries),
                backends_differ=len(observations) > 1,
                has_finding=any(e.outcome == OUTCOMES[Outcome.DIFFERS][1] for e in entries),
                has_flag_disagreement=any(e.flag_disagrees for e in entries),
            )
        )
    return Report(
        generated_at=max((r.finished_at for r in ordered), default=""),
        harness_version=__version__,
        python_versions=tuple(sorted({r.python_version for r in ordered})),
        partial=partial,
        counts=tuple(
            Count(o.value, symbol, key, meaning, counts.get(o, 0)) for o, (symbol, key, meaning) in OUTCOMES.items()
        ),
        columns=columns,
        server_spans=_spans(columns, lambda c: c.server_id, lambda c: c.server_label, lambda c: c.version_reported),
        driver_spans=_spans(
            columns, lambda c: (c.server_id, c.driver_id), lambda c: c.driver_id, lambda c: c.driver_label
        ),
        groups=tuple(
            Group(key, BEHAVIOURS.get(key, key), tuple(rows))
            for key, rows in sorted(groups.items(), key=lambda item: _behaviour_rank(item[0]))
        ),
        findings=tuple(
            Finding(check, observed, expected, cells[0][2], tuple((cell, index) for cell, index, _ in cells))
            for (check, observed, expected), cells in findings.items()
        ),
        servers=_servers(ordered),
        flags=_flags(ordered),
        changes=changes,
        evidence=evidence,
        strings=strings,
    )


_OBSERVED = (Outcome.AS_DOCUMENTED, Outcome.DIFFERS, Outcome.NO_CLAIM)


def _behaviour_rank(key: str) -> tuple[int, str]:
    keys = list(BEHAVIOURS)
    return (keys.index(key) if key in keys else len(keys), key)


def _check_order(check_id: str) -> tuple[int, str]:
    return (_behaviour_rank(check_id.split(".", 1)[0])[0], check_id)


# Each evidence entry is a list in this order, trailing empties dropped; texts and JSON values are
# indexes into the report's string table (values as JSON text), so what repeats is stored once.
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
)
_OUTCOME_INDEX = {outcome: index for index, outcome in enumerate(OUTCOMES)}
_STATUS_INDEX = {status: _OUTCOME_INDEX[outcome] for status, outcome in _STATUS_OUTCOME.items()}


def _evidence(result: CellResult, found: CheckResult | None, intern: Any) -> list[Any]:
    def as_json(value: Any) -> int | None:
        index: int | None = intern(json.dumps(value, ensure_ascii=False, sort_keys=True))
        return index

    if found is None:
        entry: list[Any] = [_STATUS_INDEX.get(result.status, _OUTCOME_INDEX[Outcome.NOT_APPLICABLE])]
        entry += [None] * 9 + [intern(result.reason)]
    else:
        observed = found.outcome in _OBSERVED
        entry = [
            _OUTCOME_INDEX[found.outcome],
            intern(found.claim),
            intern(found.source),
            intern(found.source_url),
            as_json(found.expected) if found.claim else None,
            as_json(found.observed) if observed else None,
            as_json(found.flags) if found.flags else None,
            as_json(found.setup) if found.setup else None,
            [intern(statement) for statement in found.sql] or None,
            intern(found.error),
            intern(found.reason),
            round(found.duration, 3),
        ]
    while entry and entry[-1] is None:
        entry.pop()
    return entry


def _spans(columns: Sequence[Column], key: Any, label: Any, title: Any) -> tuple[Span, ...]:
    spans: list[Span] = []
    previous = object()
    for column in columns:
        if key(column) == previous:
            last = spans[-1]
            spans[-1] = Span(last.label, last.title, last.width + 1)
        else:
            spans.append(Span(label(column), title(column), 1))
            previous = key(column)
    return tuple(spans)


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


def _server_label(result: CellResult) -> str:
    name = VENDOR_NAMES.get(result.server.vendor, result.server.vendor)
    return f"{name} {result.server.matrix_version}" if result.server.matrix_version else name
