"""Rendering results: the Markdown tables (``reports/compat.md``).

Results are first turned into plain dataclasses; templates only see those.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from harness import __version__
from harness.render import environment
from harness.results import CellResult, Outcome

SYMBOLS = {
    Outcome.AS_DOCUMENTED: "✓",
    Outcome.DIFFERS: "✗",
    Outcome.NO_CLAIM: "○",
    Outcome.NOT_APPLICABLE: "–",
    Outcome.UNSUPPORTED: "⊘",
    Outcome.UNAVAILABLE: "?",
    Outcome.HARNESS_ERROR: "‼",
}


@dataclass(frozen=True)
class CellColumn:
    id: str
    status: str
    server_version: str
    mismatch: str | None
    provider: str
    django: str
    driver: str
    python: str


@dataclass(frozen=True)
class Row:
    id: str
    claim: str
    entries: tuple[str, ...]


@dataclass(frozen=True)
class Behaviour:
    name: str
    rows: tuple[Row, ...]


def _short(value: object, limit: int = 40) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_tables(results: Sequence[CellResult]) -> tuple[list[CellColumn], list[Behaviour]]:
    cells = [
        CellColumn(
            id=r.cell,
            status=r.status.value + (f": {r.reason}" if r.reason else ""),
            server_version=r.server.version_reported or "—",
            mismatch=r.server.version_mismatch,
            provider=r.server.provider,
            django=r.django_version or "—",
            driver=f"{r.driver.name} {r.driver.version or ''}".strip(),
            python=r.python_version,
        )
        for r in results
    ]
    by_cell = {r.cell: {c.id: c for c in r.checks} for r in results}
    check_ids = sorted({c.id for r in results for c in r.checks})
    behaviours: dict[str, list[Row]] = {}
    for check_id in check_ids:
        claim = next((c.claim for r in results for c in r.checks if c.id == check_id and c.claim), None)
        entries = []
        for r in results:
            found = by_cell[r.cell].get(check_id)
            if found is None:
                entries.append(SYMBOLS.get(_status_outcome(r), ""))
                continue
            symbol = SYMBOLS[found.outcome]
            if found.outcome in (Outcome.AS_DOCUMENTED, Outcome.DIFFERS, Outcome.NO_CLAIM):
                entries.append(f"{symbol} {_short(found.observed)}")
            else:
                entries.append(symbol)
        behaviours.setdefault(check_id.split(".", 1)[0], []).append(Row(check_id, claim or "no claim", tuple(entries)))
    return cells, [Behaviour(name, tuple(rows)) for name, rows in behaviours.items()]


def _status_outcome(result: CellResult) -> Outcome:
    return {
        "unsupported by Django": Outcome.UNSUPPORTED,
        "server unavailable": Outcome.UNAVAILABLE,
        "harness error": Outcome.HARNESS_ERROR,
    }.get(result.status.value, Outcome.NOT_APPLICABLE)


def _markdown_cell(value: object) -> str:
    """Table-cell text that cannot break the table or smuggle markup."""
    text = str(value)
    for bad, good in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;"), ("`", "\\`")):
        text = text.replace(bad, good)
    return " ".join(text.split())


def render_markdown(results: Sequence[CellResult], partial: str | None = None) -> str:
    cells, behaviours = build_tables(results)
    env = environment().overlay()
    env.filters["md"] = _markdown_cell
    return env.get_template("compat.md.j2").render(
        cells=cells,
        behaviours=behaviours,
        legend=[(o.value, s) for o, s in SYMBOLS.items()],
        harness_version=__version__,
        partial=partial,
    )


def write_report(results: Sequence[CellResult], output: Path, partial: str | None = None) -> Path:
    output.mkdir(parents=True, exist_ok=True)
    path = output / "compat.md"
    path.write_text(render_markdown(results, partial), encoding="utf-8")
    return path
