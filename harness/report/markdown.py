"""reports/compat.md: per behaviour, one row per check and one column per vendor.

A view of the same ``Report`` as the HTML page's first view, entry for entry: each entry is the
``VendorEntry`` the page shows, in words. Versions are compressed into ranges the way published SQL
compatibility charts do, e.g. "✓ 10.6–11.4 · ✗ 10.5": each group is an outcome and observation,
followed by the server versions (and, where not all of them, the Django versions and drivers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from harness.report.build import build_report
from harness.report.model import OUTCOMES, ClaimGroup, Report, compress, link_url
from harness.report.render import environment
from harness.results import CellResult

__all__ = ["compress", "render_markdown"]


@dataclass(frozen=True)
class MarkdownRow:
    check: str
    claims: tuple[ClaimGroup, ...]
    by_vendor: tuple[str, ...]


@dataclass(frozen=True)
class MarkdownSection:
    title: str
    rows: tuple[MarkdownRow, ...]


def _sections(report: Report) -> list[MarkdownSection]:
    return [
        MarkdownSection(
            group.title,
            tuple(
                MarkdownRow(row.check, row.claims, tuple(entry.text for entry in row.by_vendor)) for row in group.rows
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


def _markdown_command(value: object) -> str:
    """A command as a code span, unless it holds what would end the span or the line, or markup a renderer
    might take for HTML even there (then it is escaped text)."""
    text = str(value)
    return _markdown_cell(text) if re.search(r"[`|\r\n<>&]", text) else f"`{text}`"


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
    env = environment().overlay()
    env.filters["md"] = _markdown_cell
    env.filters["md_heading"] = _markdown_heading
    env.filters["md_code"] = _markdown_code
    env.filters["md_url"] = _markdown_url
    env.filters["md_command"] = _markdown_command
    return env.get_template("compat.md.j2").render(
        sections=_sections(report),
        findings=report.findings,
        unexplained=report.unexplained,
        views=[c for c in report.columns if c.view is not None and c.view.notable],
        vendors=[vendor.name for vendor in report.vendor_columns],
        legend=[(o.value, symbol) for o, (symbol, _, _) in OUTCOMES.items()],
        cells=len(report.columns),
        not_run=report.not_run,
        partial=report.partial,
        history=report.history,
        contrasts=report.contrasts,
    )
