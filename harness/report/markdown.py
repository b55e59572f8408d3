"""reports/compat.md: per behaviour, one row per check and one column per vendor.

A view of the same ``Report`` as the HTML page. Versions are compressed into ranges the way
published SQL compatibility charts do, e.g. "✓ 10.6–11.4 · ✗ 10.5": each group is an outcome
and observation, followed by the server versions (and, where not all of them, the Django
versions and drivers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from harness.report.build import build_report
from harness.report.model import (
    OBSERVED,
    OUTCOMES,
    VENDOR_NAMES,
    ClaimGroup,
    Column,
    Entry,
    Report,
    Row,
    compress,
    link_url,
    short_text,
    version_key,
)
from harness.report.render import environment
from harness.results import CellResult
from harness.versions import VENDORS


@dataclass(frozen=True)
class MarkdownRow:
    check: str
    claims: tuple[ClaimGroup, ...]
    by_vendor: tuple[str, ...]


@dataclass(frozen=True)
class MarkdownSection:
    title: str
    rows: tuple[MarkdownRow, ...]


@dataclass(frozen=True)
class VendorColumns:
    """The columns of one vendor whose checks ran: one table column of compat.md."""

    name: str
    columns: tuple[Column, ...]
    servers: tuple[str, ...]  # per column, the versions a range is compressed within
    djangos: tuple[str, ...]
    drivers: tuple[str, ...]  # distinct, sorted


def _vendor_columns(columns: Sequence[Column]) -> list[VendorColumns]:
    """The vendors whose checks ran, in the vendors' order, each with its columns.

    A vendor's servers reached through a pooler are a column of their own per pooler and mode
    ("PostgreSQL via PgBouncer, transaction mode"), after the vendor's direct ones.
    """
    ran = [c for c in columns if c.has_checks]
    poolers = {v: ["", *sorted({c.pooler for c in ran if c.vendor == v} - {""})] for v in VENDORS}
    grouped = [(v, p, tuple(c for c in ran if c.vendor == v and c.pooler == p)) for v in VENDORS for p in poolers[v]]
    return [
        VendorColumns(
            f"{VENDOR_NAMES.get(vendor, vendor)} via {pooler}" if pooler else VENDOR_NAMES.get(vendor, vendor),
            members,
            tuple(c.server_version for c in members),
            tuple(c.django for c in members),
            tuple(sorted({c.driver_id for c in members})),
        )
        for vendor, pooler, members in grouped
        if members
    ]


def _label(entry: Entry) -> tuple[str, bool]:
    """The outcome's symbol and the observation in a few words; whether there is an observation."""
    observed = short_text(entry.observed, 24) if entry.outcome in OBSERVED else ""
    return f"{entry.symbol} {observed}".strip(), bool(observed)


def _vendor_entry(row: Row, vendor: VendorColumns) -> str:
    """One table cell: the groups of (outcome, observation) with their version ranges."""
    groups: dict[tuple[str, bool], list[Column]] = {}
    for column in vendor.columns:
        entry = row.entries[column.index]
        if entry.recorded:
            groups.setdefault(_label(entry), []).append(column)
    parts = []
    for (label, observed), members in groups.items():
        where = compress([c.server_version for c in members], vendor.servers)
        member_djangos = sorted({c.django for c in members}, key=version_key)
        if len(member_djangos) != len(set(vendor.djangos)):
            where += f" Django {compress(member_djangos, vendor.djangos)}"
        member_drivers = sorted({c.driver_id for c in members})
        if tuple(member_drivers) != vendor.drivers:
            where += f" ({', '.join(member_drivers)})"
        parts.append(f"{label} — {where}" if observed else f"{label} {where}")
    return " · ".join(parts) if parts else "—"


def _sections(report: Report, vendors: Sequence[VendorColumns]) -> list[MarkdownSection]:
    return [
        MarkdownSection(
            group.title,
            tuple(
                MarkdownRow(
                    row.check,
                    row.claims,
                    tuple(_vendor_entry(row, vendor) for vendor in vendors),
                )
                for row in group.rows
            ),
        )
        for group in report.groups
    ]


# Escapes that keep a value from breaking its table row or line, or from becoming a link, an
# HTML element, an entity or a code span; "&" before the escapes that write entities.
_STRUCTURE = (
    ("\\", "\\\\"),
    ("|", "\\|"),
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ("[", "\\["),
    ("]", "\\]"),
    ("`", "\\`"),
)
_EMPHASIS = (("*", "\\*"), ("_", "\\_"))
_CODE_SAFE = re.compile(r"[\w.:+@=,/-]+")  # what ids are made of


def _markdown_cell(value: object) -> str:
    """Table-cell text that cannot break the table or smuggle markup."""
    return _markdown_line(value, _STRUCTURE + _EMPHASIS)


def _markdown_heading(value: object) -> str:
    """Heading text on one line, as plain text (emphasis left alone: it only changes the look)."""
    return _markdown_line(value, _STRUCTURE)


def _markdown_code(value: object) -> str:
    """An id as a code span; an id of other characters (a pipe, a backtick, a newline) as escaped text."""
    text = str(value)
    return f"`{text}`" if _CODE_SAFE.fullmatch(text) else _markdown_cell(text)


# What may stay as it is in an autolink: its delimiters, and what would end it or the table row, may not.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def _markdown_url(url: str | None) -> str:
    """An autolink to a URL the report may link to (http(s) only), percent-encoded so that it stays one link."""
    safe = link_url(url)
    return f"<{quote(safe, safe=_URL_SAFE)}>" if safe else ""


def _markdown_line(value: object, escapes: Sequence[tuple[str, str]]) -> str:
    text = str(value)
    for bad, good in escapes:
        text = text.replace(bad, good)
    return " ".join(text.split())


def render_markdown(report: Report | Sequence[CellResult]) -> str:
    """compat.md of a report (or of results, whose report it builds first)."""
    if not isinstance(report, Report):
        report = build_report(report)
    vendors = _vendor_columns(report.columns)
    env = environment().overlay()
    env.filters["md"] = _markdown_cell
    env.filters["md_heading"] = _markdown_heading
    env.filters["md_code"] = _markdown_code
    env.filters["md_url"] = _markdown_url
    return env.get_template("compat.md.j2").render(
        sections=_sections(report, vendors),
        findings=report.findings,
        unexplained=report.unexplained,
        views=[c for c in report.columns if c.view is not None and c.view.notable],
        vendors=[vendor.name for vendor in vendors],
        legend=[(o.value, symbol) for o, (symbol, _, _) in OUTCOMES.items()],
        cells=len(report.columns),
        not_run=[c for c in report.columns if not c.has_checks],
        partial=report.partial,
        history=report.history,
    )
