"""How a run tells what it does: its summary, the plain line-per-cell reporter, the live display.

The live display (which cells are building, running with checks done of total, done) is used
when the output is a terminal; CI logs get the plain reporter.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import EXIT_FINDINGS, EXIT_HARNESS_ERROR, EXIT_INTERRUPTED, EXIT_OK
from harness.matrix import Cell
from harness.results import CellResult, CellStatus, Outcome


@dataclass(frozen=True)
class RunSummary:
    results: tuple[CellResult, ...]
    server_starts: int
    interrupted: bool = False
    cells_selected: int = 0

    @property
    def exit_status(self) -> int:
        if self.interrupted:
            return EXIT_INTERRUPTED
        outcomes = [check.outcome for result in self.results for check in result.checks]
        if any(r.status is CellStatus.HARNESS_ERROR for r in self.results) or Outcome.HARNESS_ERROR in outcomes:
            return EXIT_HARNESS_ERROR
        if self.unreachable_urls:
            return EXIT_HARNESS_ERROR
        if Outcome.DIFFERS in outcomes:
            return EXIT_FINDINGS
        return EXIT_OK

    @property
    def unreachable_urls(self) -> dict[str, str]:
        """Servers the user gave by URL whose cells could not reach them: {server id: the first cell's reason}.

        A server by URL is one the user asked for, so not reaching it fails the run; a container that
        cannot be had on this machine is only "server unavailable".
        """
        found: dict[str, str] = {}
        for result in self.results:
            if result.status is CellStatus.UNAVAILABLE and result.server.provider == "url":
                found.setdefault(result.server.id, f"{result.server.origin}: {result.reason}")
        return found

    @property
    def partial(self) -> str | None:
        """Why the run is incomplete, for the report; None when it is not."""
        if not self.interrupted:
            return None
        return f"interrupted: {len(self.results)} of {self.cells_selected} cells finished"


class Reporter:
    """What the runner tells as it goes; the plain one prints a line per finished cell."""

    def __init__(self, say: Callable[[str], None] = print) -> None:
        self.say = say
        self.total = 0
        self.finished = 0

    def start(self, cells: Sequence[Cell], progress_dir: Path) -> None:
        self.total = len(cells)

    def state(self, cell: Cell, state: str) -> None:
        """A cell moved on: "building" its environment, or "running" its checks."""

    def done(self, cell: Cell, result: CellResult, seconds: float) -> None:
        self.finished += 1
        self.say(f"[{self.finished}/{self.total}] {cell.id}: {describe(result)} ({seconds:.1f}s)")

    def stop(self) -> None:
        """The run is over (finished or interrupted)."""


def describe(result: CellResult) -> str:
    counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(result.counts().items()))
    text = result.status.value + (f": {counts}" if counts else "")
    if result.status is not CellStatus.RAN and result.reason:
        text += f" ({result.reason})"
    if result.server.version_mismatch:
        text += f" WARNING: {result.server.version_mismatch}"
    return text


class LiveReporter(Reporter):
    """A rich Live table, refreshed a few times a second; lines for finished cells scroll above it."""

    def __init__(self, console: Any | None = None) -> None:
        from rich.console import Console

        super().__init__()
        self.console = console or Console()
        self.states: dict[str, str] = {}
        self.started: dict[str, float] = {}
        self.progress_dir: Path | None = None
        self._lock = threading.Lock()
        self._live: Any = None

    def start(self, cells: Sequence[Cell], progress_dir: Path) -> None:
        from rich.live import Live

        super().start(cells, progress_dir)
        self.progress_dir = progress_dir
        self.states = {cell.id: "queued" for cell in cells}
        self._live = Live(get_renderable=self._render, console=self.console, refresh_per_second=4, transient=True)
        self._live.start()

    def state(self, cell: Cell, state: str) -> None:
        with self._lock:
            self.states[cell.id] = state
            self.started.setdefault(cell.id, time.monotonic())

    def done(self, cell: Cell, result: CellResult, seconds: float) -> None:
        with self._lock:
            self.states[cell.id] = "done"
            self.finished += 1
        style = "red" if _has_error(result) else "yellow" if _has_findings(result) else "green"
        self.console.print(
            f"[{self.finished}/{self.total}] {cell.id}: {describe(result)} ({seconds:.1f}s)",
            style=style,
            markup=False,
            highlight=False,
        )

    def stop(self) -> None:
        if self._live is not None:
            self._live.stop()

    def _checks(self, cell_id: str) -> str:
        if self.progress_dir is None:
            return ""
        try:
            done, total = (self.progress_dir / cell_id).read_text().split()
        except (OSError, ValueError):
            return ""
        return f"{done}/{total} checks" if total != "0" else f"{done} checks"

    def _render(self) -> Any:
        from rich.table import Table

        with self._lock:
            states = dict(self.states)
        counts = {
            name: sum(1 for s in states.values() if s == name) for name in ("queued", "building", "running", "done")
        }
        table = Table(title=" · ".join(f"{n} {name}" for name, n in counts.items()), title_justify="left", box=None)
        table.add_column("cell")
        table.add_column("state")
        table.add_column("progress")
        now = time.monotonic()
        for cell_id, state in states.items():
            if state in ("building", "running"):
                elapsed = f"{now - self.started.get(cell_id, now):.0f}s"
                detail = self._checks(cell_id) if state == "running" else "environment"
                table.add_row(cell_id, state, f"{detail} {elapsed}")
        return table


def _has_error(result: CellResult) -> bool:
    return result.status is CellStatus.HARNESS_ERROR or any(c.outcome is Outcome.HARNESS_ERROR for c in result.checks)


def _has_findings(result: CellResult) -> bool:
    return any(c.outcome is Outcome.DIFFERS for c in result.checks)


def print_summary(results: Sequence[CellResult], console: Any | None = None) -> None:
    """One row per server and driver: cells, and how their checks came out."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title="Summary", title_justify="left")
    for column in (
        "server",
        "driver",
        "cells",
        "ran",
        "as documented",
        "differs",
        "no claim",
        "not applicable",
        "harness errors",
        "status",
    ):
        table.add_column(column, justify="right" if column not in ("server", "driver", "status") else "left")
    groups: dict[tuple[str, str], list[CellResult]] = {}
    for result in results:
        groups.setdefault((result.server.id, result.driver.id), []).append(result)
    for (server, driver), members in groups.items():
        outcomes = [c.outcome for r in members for c in r.checks]
        statuses = sorted({r.status.value for r in members if r.status is not CellStatus.RAN})
        table.add_row(
            server,
            driver,
            str(len(members)),
            str(sum(r.status is CellStatus.RAN for r in members)),
            str(outcomes.count(Outcome.AS_DOCUMENTED)),
            str(outcomes.count(Outcome.DIFFERS)),
            str(outcomes.count(Outcome.NO_CLAIM)),
            str(outcomes.count(Outcome.NOT_APPLICABLE)),
            str(outcomes.count(Outcome.HARNESS_ERROR) + sum(r.status is CellStatus.HARNESS_ERROR for r in members)),
            ", ".join(statuses),
        )
    console.print(table)
