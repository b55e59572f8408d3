"""reports/compat.md: per behaviour, one row per check and one column per vendor.

Versions are compressed into ranges the way published SQL compatibility charts do,
e.g. "✓ 10.6–11.4 · ✗ 10.5": each group is an outcome and observation, followed by
the server versions (and, where not all of them, the Django versions and drivers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harness.claims import BEHAVIOURS
from harness.render import environment
from harness.report.model import OUTCOMES, VENDOR_NAMES, short_text
from harness.results import CellResult, Outcome
from harness.versions import VENDORS, leading_version


@dataclass(frozen=True)
class MarkdownRow:
    check: str
    claim: str
    by_vendor: tuple[str, ...]


@dataclass(frozen=True)
class MarkdownSection:
    title: str
    rows: tuple[MarkdownRow, ...]


def _version_key(text: str) -> tuple[int, ...]:
    found = leading_version(text)
    return found.release if found else (0,)


def compress(values: Sequence[str], universe: Sequence[str]) -> str:
    """ "10.6–11.4, 12" for the values among an ordered universe, runs joined by an en dash."""
    ordered = sorted(set(universe), key=_version_key)
    wanted = set(values)
    runs: list[list[str]] = []
    for value in ordered:
        if value in wanted:
            if runs and runs[-1][-1] == ordered[ordered.index(value) - 1]:
                runs[-1].append(value)
            else:
                runs.append([value])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)


def _server_version(result: CellResult) -> str:
    if result.server.matrix_version:
        return result.server.matrix_version
    found = leading_version(result.server.version_reported or "")
    return str(found) if found else "?"


def _django(result: CellResult) -> str:
    found = leading_version(result.django_version or "")
    return f"{found.major}.{found.minor}" if found else "?"


def _entry(results: Sequence[CellResult], check_id: str) -> str:
    """One table cell: the groups of (outcome, observation) with their version ranges."""
    servers = [_server_version(r) for r in results]
    djangos = [_django(r) for r in results]
    drivers = sorted({r.driver.id for r in results})
    groups: dict[str, list[CellResult]] = {}
    for result in results:
        found = next((c for c in result.checks if c.id == check_id), None)
        if found is None:
            continue
        observed = short_text(found.observed, 24) if found.outcome in _OBSERVED else ""
        label = f"{OUTCOMES[found.outcome][0]} {observed}".strip()
        groups.setdefault(label, []).append(result)
    parts = []
    for label, members in groups.items():
        where = compress([_server_version(r) for r in members], servers)
        member_djangos = sorted({_django(r) for r in members}, key=_version_key)
        if len(member_djangos) != len(set(djangos)):
            where += f" Django {compress(member_djangos, djangos)}"
        member_drivers = sorted({r.driver.id for r in members})
        if member_drivers != drivers:
            where += f" ({', '.join(member_drivers)})"
        parts.append(f"{label} — {where}" if observed else f"{label} {where}")
    return " · ".join(parts) if parts else "—"


_OBSERVED = (Outcome.AS_DOCUMENTED, Outcome.DIFFERS, Outcome.NO_CLAIM)


def _markdown_cell(value: object) -> str:
    """Table-cell text that cannot break the table or smuggle markup."""
    text = str(value)
    for bad, good in (
        ("\\", "\\\\"),
        ("|", "\\|"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ("`", "\\`"),
        ("*", "\\*"),
        ("_", "\\_"),
    ):
        text = text.replace(bad, good)
    return " ".join(text.split())


def render_markdown(results: Sequence[CellResult], partial: str | None = None) -> str:
    ran = [r for r in results if r.checks]
    vendors = [v for v in VENDORS if any(r.server.vendor == v for r in ran)]
    check_ids = sorted({c.id for r in ran for c in r.checks})
    sections: dict[str, list[MarkdownRow]] = {}
    for check_id in check_ids:
        claim = next((c.claim for r in ran for c in r.checks if c.id == check_id and c.claim), None)
        by_vendor = tuple(_entry([r for r in ran if r.server.vendor == v], check_id) for v in vendors)
        sections.setdefault(check_id.split(".", 1)[0], []).append(MarkdownRow(check_id, claim or "no claim", by_vendor))
    order = list(BEHAVIOURS)
    env = environment().overlay()
    env.filters["md"] = _markdown_cell
    return env.get_template("compat.md.j2").render(
        sections=[
            MarkdownSection(BEHAVIOURS.get(key, key), tuple(rows))
            for key, rows in sorted(sections.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)
        ],
        vendors=[VENDOR_NAMES.get(v, v) for v in vendors],
        legend=[(o.value, symbol) for o, (symbol, _, _) in OUTCOMES.items()],
        cells=len(results),
        not_run=[r for r in results if not r.checks],
        partial=partial,
    )
