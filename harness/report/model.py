"""The report as plain data: built once from results (``build.py``), rendered by templates only.

The first view is a table with a row per check (grouped by behaviour, with its claim as the docs of
each Django version word it) and a column per vendor; each entry is the outcomes and observations
with the server versions they hold for, as ranges, split by Django version or driver only where
those differ (``VendorEntry``). compat.md is the same table. Under each row, the full cell-by-cell
grid of that check: the cells of each vendor laid out a row per server and driver and a column per
Django version (``LayoutRow``). The evidence behind each entry (claim, expected, observed, flags,
SQL, errors, explanation) is not in the report: it is each cell's own record, written beside the
page and loaded when asked for (``evidence.py``). Findings carry their explanation, or none
(unexplained), and are grouped by behaviour and server.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from harness.backends import BACKENDS
from harness.report.diff import Change
from harness.results import STATUS_OUTCOME, CellResult, CellStatus, Outcome, as_json_bytes
from harness.versions import leading_version

VENDOR_NAMES = {backend.vendor: backend.display_name for backend in BACKENDS.values()}

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

# The outcomes whose observation the report shows; the others have none worth showing.
OBSERVED = frozenset({Outcome.AS_DOCUMENTED, Outcome.DIFFERS, Outcome.NO_CLAIM})


# What every check of a cell shows when the cell's checks never ran (a cell that ran but
# lacks a check shows it as not applicable).
def status_outcome(status: CellStatus) -> Outcome:
    return STATUS_OUTCOME.get(status, Outcome.NOT_APPLICABLE)


@dataclass(frozen=True)
class BackendView:
    """How a cell's Django backend sees its server (its display name, MariaDB or not, the version it parsed).

    It belongs to a cell, not to a server: Connector/Python's backend and Django's MySQL backend
    see the same server differently, and so may two Django versions of one backend.
    """

    display_name: str | None
    vendor: str | None
    is_mariadb: bool | None
    version: str | None  # the parsed tuple, dotted: "10.11.19"
    unreadable: str | None  # what could not be read, and why
    mismatch: str | None  # how it differs from what the server reported

    @property
    def notable(self) -> bool:
        """Worth a mark in the table: the backend sees the server otherwise, or could not be read in part."""
        return bool(self.mismatch or self.unreadable)


@dataclass(frozen=True)
class Column:
    index: int
    cell: str
    server_id: str
    vendor: str
    vendor_name: str
    server_label: str
    server_version: str  # the release the matrix names, else the one the server reported, else "?"
    version_reported: str
    driver_id: str
    driver_label: str
    django: str
    status: str
    reason: str | None
    mismatch: str | None
    has_checks: bool  # False: none of its checks ran (the status says why)
    view: BackendView | None = None  # None: the cell never connected, or its results predate the view
    pooler: str = (
        ""  # the pooler the server is reached through and its mode ("PgBouncer, transaction mode"); "" directly
    )


@dataclass(frozen=True)
class Span:
    label: str
    title: str
    width: int


@dataclass(frozen=True, slots=True, eq=False)
class Entry:
    """One check in one cell, as the grid shows it.

    Entries that show the same are one object, shared by every cell that shows it: a large matrix
    has hundreds of thousands of entries and a few hundred distinct ones. So they compare by identity.
    """

    outcome: Outcome
    key: str  # CSS key of the outcome
    symbol: str
    text: str = ""  # the observation in a few words, where the outcome shows one
    recorded: bool = False  # False: the cell has no record of the check; the entry shows the cell's status
    flag_disagrees: bool = False
    changed: bool = False
    # The observation, where the outcome shows one: its number among the distinct observations of the
    # report (equal values, equal numbers; -1 for none), and in a few more words, as compat.md shows it.
    observation: int = -1
    label: str = ""
    summary: str = ""  # "✗ utf8mb4_general_ci": the symbol and the label, what a vendor entry groups cells by


@dataclass(frozen=True)
class ClaimGroup:
    """One wording of a claim and the Django versions whose docs state it (a check's docs change by release)."""

    djangos: str  # the versions, compressed into ranges (as ``compress`` writes them)
    text: str  # "" for versions whose docs make no claim while others do
    # Where those docs state it: the page and section when they are the same in every version of the
    # group (the versions name the docs), else each version's full citation.
    source: str
    url: str | None  # a link to the newest of them, where the report may link to it


@dataclass(frozen=True)
class VendorPart:
    """Cells of one vendor that show the same outcome and observation, and where they are."""

    symbol: str
    key: str  # CSS key of the outcome
    observed: str  # the observation in a few words; "" where the outcome shows none
    servers: str  # the server versions, as ranges
    djangos: str  # the Django versions, as ranges; "" when the part holds for every one of the vendor's
    drivers: str  # the drivers; "" when it holds for every one of the vendor's

    @property
    def where(self) -> str:
        """ "10.6–11.4 Django 5.2 (mysqlclient)": the servers, then Django versions and drivers where not all."""
        where = self.servers
        if self.djangos:
            where += f" Django {self.djangos}"
        if self.drivers:
            where += f" ({self.drivers})"
        return where

    @property
    def text(self) -> str:
        """The part in words, as compat.md writes it: an observation is followed by a dash."""
        label = f"{self.symbol} {self.observed}" if self.observed else self.symbol
        return f"{label} — {self.where}" if self.observed else f"{label} {self.where}"


@dataclass(frozen=True)
class HistoryMark:
    """An outcome of the check that changed on one of the vendor's servers within the nights kept."""

    night: str  # the night it changed, or "this report"
    server: str
    anchor: str  # the id of its row in the page's History section

    @property
    def text(self) -> str:
        return f"Δ {self.server} {self.night}"


@dataclass(frozen=True)
class VendorEntry:
    """One entry of the first view (and of compat.md): a check on one vendor."""

    parts: tuple[VendorPart, ...]  # in the order of the vendor's cells; empty: no cell of it recorded the check
    changes: tuple[HistoryMark, ...] = ()

    @property
    def text(self) -> str:
        text = " · ".join(part.text for part in self.parts) if self.parts else "—"
        return " ".join([text, *(mark.text for mark in self.changes)])


@dataclass(frozen=True)
class Row:
    check: str
    claims: tuple[ClaimGroup, ...]  # per wording, oldest Django version first; empty: no claim in any docs
    entries: tuple[Entry, ...]  # per column (cell)
    backends_differ: bool
    has_finding: bool
    has_flag_disagreement: bool
    by_vendor: tuple[VendorEntry, ...] = ()  # per vendor of ``Report.vendor_columns``
    # Per block of ``Report.layout``: which of the block's distinct runs of rows it shows (``Report.block_runs``).
    patterns: tuple[int, ...] = ()


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class VendorColumns:
    """The cells of one vendor whose checks ran: one column of the first view and of compat.md.

    A vendor's servers reached through a pooler are a column of their own per pooler and mode
    ("PostgreSQL via PgBouncer, transaction mode"), after the vendor's direct ones.
    """

    name: str
    vendor: str
    columns: tuple[int, ...]  # indexes into Report.columns


@dataclass(frozen=True)
class LayoutRow:
    """One row of a check's cell-by-cell grid: a server through one driver, a slot per Django version."""

    server: str  # the server's label
    driver: str
    columns: tuple[int | None, ...]  # per Django version of Report.djangos: the column, or None for no such cell


@dataclass(frozen=True)
class LayoutBlock:
    """The cells of one vendor (or one vendor through one pooler) in a check's grid."""

    name: str
    rows: tuple[LayoutRow, ...]


@dataclass(frozen=True)
class Finding:
    """One way a check differs from the docs, and every cell where it does (on every server)."""

    check: str
    observed: str
    expected: str
    claims: tuple[ClaimGroup, ...]  # the claim as the docs of its cells' Django versions state it
    cells: tuple[tuple[str, int], ...]  # (cell id, index into Report.columns)
    applies_by: tuple[str, ...]  # how the claim applies to its cells, where by reference (distinct texts)
    explanation: str | None  # None: unexplained (the goal is none)
    explanation_source: str | None
    explanation_url: str | None  # only a link the report may follow
    suite_path: str | None = None  # the folder of the user's suite the check is from; None for a built-in one

    @property
    def command(self) -> str:
        """The command that reproduces it on its first cell."""
        return repro_command(self.check, self.cells[0][0], self.suite_path)


def repro_command(check: str, cell: str, suite_path: str | None = None) -> str:
    """The command that writes a script reproducing ``check``'s observation on ``cell``, quoted for a shell;
    a user's suite's check names its suite's folder."""
    suite = f" --suite {shlex.quote(suite_path)}" if suite_path is not None else ""
    return f"dbcompat repro{suite} {shlex.quote(check)} {shlex.quote(cell)}"


@dataclass(frozen=True)
class FindingCell:
    cell: str
    column: int  # index into Report.columns
    command: str  # the command that reproduces the observation on this cell, quoted for a POSIX shell


@dataclass(frozen=True)
class ServerFinding:
    """A finding on one server: one line of the findings until opened."""

    finding: Finding
    cells: tuple[FindingCell, ...]  # the finding's cells on this server
    row: int  # the finding's check among the report's rows


@dataclass(frozen=True)
class FindingServer:
    server: str
    label: str
    findings: tuple[ServerFinding, ...]


@dataclass(frozen=True)
class FindingGroup:
    """The findings of one behaviour, server by server."""

    key: str
    title: str
    servers: tuple[FindingServer, ...]


@dataclass(frozen=True)
class SettingValue:
    value: str
    unreadable: bool  # the harness could not read it: the value says why
    where: str  # the drivers (and Django versions) that read this value; "" when every cell read it


@dataclass(frozen=True)
class Setting:
    name: str
    values: tuple[SettingValue, ...]  # more than one where the server's cells read it differently


@dataclass(frozen=True)
class ServerView:
    """Django's view of one server from one backend, and the cells that share it."""

    driver: str
    djangos: str  # the Django versions, compressed into ranges
    cells: tuple[str, ...]
    view: BackendView


@dataclass(frozen=True)
class ServerSettings:
    server: str
    label: str
    provider: str
    settings: tuple[Setting, ...]
    views: tuple[ServerView, ...]


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


# -- history ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NightRef:
    """A night of the history, or the results this report shows (which no night may hold yet)."""

    label: str  # the night's date, YYYY-MM-DD, or "this report"
    report: str | None  # that night's index.html as a relative path; None: no report kept, or this page

    @property
    def href(self) -> str | None:
        """The link to that night's report, percent-encoded: a relative path, never a scheme."""
        return quote(self.report) if self.report else None


@dataclass(frozen=True)
class HeldOutcome:
    """One outcome of a check on a server, and the cells it holds for when not all of the server's do."""

    outcome: str
    symbol: str
    key: str  # CSS key of the outcome
    where: str  # the cells, by driver and Django version ranges; "" for every cell of the server


@dataclass(frozen=True)
class Transition:
    """How some of a server's cells changed outcome one night."""

    old: str
    old_symbol: str
    new: str
    new_symbol: str
    new_key: str
    where: str  # the cells that changed, as ``HeldOutcome.where`` writes them; "" for every cell of the server


@dataclass(frozen=True)
class LastChange:
    night: NightRef
    transitions: tuple[Transition, ...]


@dataclass(frozen=True)
class HistoryRow:
    """One check on one server across the nights kept."""

    check: str
    server: str
    server_label: str
    now: tuple[HeldOutcome, ...]  # in the newest night the check and server were in
    since: NightRef  # the night from which every cell of the server has had the outcome it has now
    # "": an outcome changed that night; "or earlier": it held through every night kept;
    # "first recorded": the check, the server or one of its cells first appeared that night.
    since_note: str
    changed: LastChange | None  # the last night an outcome of one of its cells changed; None: none did
    absent: tuple[str, ...]  # nights after it was first recorded whose results lack the server or the check
    last_seen: NightRef | None = None  # absent from the newest night: the newest night that had it


@dataclass(frozen=True)
class History:
    """Since when each check's outcome has held on each server, from the nights of a history folder."""

    nights: tuple[NightRef, ...]  # the nights kept, oldest first
    rows: tuple[HistoryRow, ...]  # in the report's order: behaviour, check, then server
    began: tuple[HistoryRow, ...]  # those whose outcome began within the nights kept, newest first


@dataclass(frozen=True)
class ContrastRow:
    """A check a wrapper or configuration sees otherwise than the driver it builds on, on the same cells."""

    check: str
    base: str  # the base's entry: its outcome symbol and observation ("✓ 1")
    other: str  # the wrapper's, on the same server and Django version
    cells: tuple[str, ...]  # the wrapper's cells that differ so


@dataclass(frozen=True)
class Contrast:
    """A third-party backend against the Django backend it wraps, or a configuration (a driver entry with
    options) against its plain driver: the checks where they behave differently, server by server."""

    driver: str  # the wrapper's or configuration's driver id
    label: str  # what it is: "django-prometheus 2.3.1 (wraps django.db.backends.postgresql)"
    base: str  # the driver id it is compared with
    kind: str  # "wraps" or "configures"
    pairs: int  # cells compared with their base's cell (same server, same Django version)
    checks: int  # checks compared
    rows: tuple[ContrastRow, ...]  # a check may have more than one: other cells may differ otherwise

    @property
    def differing(self) -> int:
        """How many checks differ on at least one cell."""
        return len({row.check for row in self.rows})


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
    history: History | None = None  # only with a history folder (``dbcompat report --history``)
    vendor_columns: tuple[VendorColumns, ...] = ()
    finding_groups: tuple[FindingGroup, ...] = ()
    layout: tuple[LayoutBlock, ...] = ()
    # The distinct rows of entries the cell-by-cell grids show (None: no such cell), each once, so that the
    # page renders each once however many checks and servers show it; and per block of ``layout``, the distinct
    # runs of them its rows show in a check's grid (an index into ``patterns`` per row), each rendered once too.
    patterns: tuple[tuple[Entry | None, ...], ...] = ()
    block_runs: tuple[tuple[tuple[int, ...], ...], ...] = ()
    # Per column, the number of its cell in the order the report was given the cells: what its evidence is
    # found by (``evidence.py``).
    numbers: tuple[int, ...] = ()
    contrasts: tuple[Contrast, ...] = ()

    @property
    def unexplained(self) -> int:
        """Findings with no explanation from the server's or driver's own docs."""
        return sum(1 for finding in self.findings if finding.explanation is None)

    @property
    def vendors(self) -> list[tuple[str, str]]:
        return _distinct((c.vendor, c.vendor_name) for c in self.columns)

    @property
    def drivers(self) -> list[tuple[str, str]]:
        return _distinct((c.driver_id, c.driver_label.split(" ")[0]) for c in self.columns)

    @property
    def djangos(self) -> list[tuple[str, str]]:
        return sorted(_distinct((c.django, c.django) for c in self.columns), key=lambda d: version_key(d[0]))

    @property
    def not_run(self) -> list[Column]:
        return [c for c in self.columns if not c.has_checks]

    @property
    def noted(self) -> list[Column]:
        """The cells whose server is not what the matrix names, or whose Django backend sees it otherwise."""
        return [c for c in self.columns if c.mismatch or (c.view is not None and c.view.notable)]


def version_key(text: str) -> tuple[int, ...]:
    found = leading_version(text)
    return found.release if found else (0,)


def compress(values: Iterable[str], universe: Iterable[str]) -> str:
    """ "10.6–11.4, 12" for the values among an ordered universe, runs joined by an en dash."""
    return Ranges(universe).of(values)


class Ranges:
    """Values of one universe (versions), compressed into runs; the universe is ordered once for many calls."""

    def __init__(self, universe: Iterable[str]) -> None:
        self.ordered = sorted(set(universe), key=version_key)
        self.position = {value: index for index, value in enumerate(self.ordered)}

    def of(self, values: Iterable[str]) -> str:
        position = self.position
        wanted = sorted({position[value] for value in values if value in position})
        runs: list[list[int]] = []
        for index in wanted:
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        ordered = self.ordered
        return ", ".join(ordered[run[0]] if len(run) == 1 else f"{ordered[run[0]]}–{ordered[run[-1]]}" for run in runs)


def _distinct(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for key, label in pairs:
        seen.setdefault(key, label)
    return list(seen.items())


# Everything in a results file is hostile text: a results file may come from anywhere.
# Bidirectional formatting characters reorder what is around them on screen, so that a value
# reads as something it is not ("Trojan Source"); the report shows them as escapes instead.
_BIDI_CONTROLS = {
    code: f"\\u{code:04x}" for code in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
}
_BIDI_FOUND = re.compile("[" + "".join(map(chr, _BIDI_CONTROLS)) + "]")
_Value = TypeVar("_Value")


_BIDI_BYTES = re.compile(b"|".join(re.escape(chr(code).encode()) for code in _BIDI_CONTROLS))


def holds_bidi(raw: bytes) -> bool:
    """Whether UTF-8 text (a result's JSON) holds a bidirectional control."""
    # Each is encoded as one of these byte pairs (U+061C; U+200E-U+206F): plain searches for them are
    # quick, and only text holding one (some dashes and quotes do) is searched for the controls themselves.
    if raw.isascii() or (b"\xe2\x80" not in raw and b"\xe2\x81" not in raw and b"\xd8\x9c" not in raw):
        return False
    return _BIDI_BYTES.search(raw) is not None


def visible_results(results: Iterable[CellResult]) -> list[CellResult]:
    """:func:`visible` for whole results; one whose JSON holds no bidi control (nearly all) is not walked."""
    return [visible(result) if holds_bidi(as_json_bytes(result)) else result for result in results]


def visible(value: _Value) -> _Value:
    """The value (text, JSON value or result dataclass) with every bidi control in its text escaped.

    What holds none is returned as it is, so that a large matrix costs little.
    """
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return value.translate(_BIDI_CONTROLS) if _BIDI_FOUND.search(value) else value  # type: ignore[return-value]
    if isinstance(value, list):
        items = [visible(item) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items  # type: ignore[return-value]
    if isinstance(value, dict):
        pairs = {visible(key): visible(item) for key, item in value.items()}
        same = all(a is b for a, b in zip(pairs.values(), value.values(), strict=True)) and list(pairs) == list(value)
        return value if same else pairs  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            old = getattr(value, f.name)
            if f.init and (new := visible(old)) is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


def link_url(url: str | None) -> str | None:
    """The URL if a report may link to it: http(s) with a host. Anything else (javascript:, data:) is not."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc and url == url.strip() else None


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
