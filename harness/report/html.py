"""reports/index.html: one page, readable without JavaScript, better with it.

The page is whole without its script: the compatibility table, each check's cells, the findings,
the history. The script adds filters, the grid of every cell, and the evidence of an entry, which it
loads from the evidence folder beside the page (``evidence.py``) when asked for.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from markupsafe import Markup

from harness.report.evidence import CALLBACK, FOLDER, PER_FILE
from harness.report.model import OUTCOMES, Column, Report, Row, status_outcome
from harness.report.render import environment
from harness.results import CellStatus


def render_html(report: Report) -> str:
    env = environment()
    # The page's one script, exactly as it stands between its tags: the Content-Security-Policy
    # allows it by its hash, and the scripts it adds itself (the evidence files), and no other.
    script = f"\n{env.get_template('report.js').render()}\n"
    rows = [row for group in report.groups for row in group.rows]
    return env.get_template("report.html.j2").render(
        report=report,
        script=Markup(script),  # the harness's own file, never result data
        csp=content_security_policy(script),
        rows=rows,
        djangos=[django for django, _ in report.djangos],
        finding_cells=len({cell for finding in report.findings for cell, _ in finding.cells}),
        payload=_payload(report, rows),
        zip=zip,
    )


def _payload(report: Report, rows: list[Any]) -> dict[str, Any]:
    """What the script needs besides the page: the cells, and per check each cell's outcome and observation."""
    outcome_keys = {outcome: key for outcome, (_, key, _) in OUTCOMES.items()}
    return {
        # Per column: its cell, server, the version the server reported, vendor, driver, Django, its number in
        # the order the report was given the cells (what its evidence file is found by), what the grid's heading
        # says of it and its marks there, and its server's id.
        "columns": [
            [
                c.cell,
                c.server_label,
                c.version_reported,
                c.vendor,
                c.driver_id,
                c.django,
                number,
                *_heading(c),
                c.server_id,
            ]
            for c, number in zip(report.columns, report.numbers, strict=True)
        ],
        "outcomes": {key: outcome.value for outcome, key in outcome_keys.items()},
        # What a check shows in a cell that has no record of it: the cell's status, as an outcome.
        "statuses": {status.value: status_outcome(status).value for status in CellStatus},
        "evidence": {"folder": FOLDER, "callback": CALLBACK, "per_file": PER_FILE},
        # How each check's grid lays out the cells: its Django versions, and per block its name and rows, each
        # row's heading and per Django version the column (-1: none).
        "djangos": [django for django, _ in report.djangos],
        "layout": [
            [
                block.name,
                [[f"{row.server} · {row.driver}", [-1 if i is None else i for i in row.columns]] for row in block.rows],
            ]
            for block in report.layout
        ],
        "symbols": {key: symbol for symbol, key, _ in OUTCOMES.values()},
        "marks": _MARKS,
        # Per check (in the page's order): each cell's outcome key, upper case where a Django flag disagrees; each
        # cell's observation and the observations' words (see ``_observations``); the cells that changed since the
        # baseline.
        "rows": [
            [
                row.check,
                "".join(e.key.upper() if e.flag_disagrees else e.key for e in row.entries),
                *_observations(row),
                [column for column, e in enumerate(row.entries) if e.changed],
            ]
            for row in rows
        ],
    }


# One character per distinct observation of a check ("." for none): a large matrix has hundreds of
# thousands of entries, and few distinct observations per check. None of these needs escaping in the page.
_MARKS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%()*+,-/:;=?@[]^_{|}~"


def _observations(row: Row) -> tuple[str | list[int], list[str]]:
    """Each cell's observation of the check, as the page compares and shows them: the n-th distinct one is
    ``_MARKS[n]`` ("." for none), or ``n`` (-1 for none) where a check has more of them than there are marks;
    and each one in a few words, by n."""
    seen: dict[int, int] = {}
    texts: list[str] = []
    numbers = []
    for entry in row.entries:
        if entry.observation < 0:
            numbers.append(-1)
            continue
        number = seen.get(entry.observation)
        if number is None:
            number = seen[entry.observation] = len(texts)
            texts.append(entry.text)
        numbers.append(number)
    if len(texts) > len(_MARKS):
        return numbers, texts
    return "".join("." if n < 0 else _MARKS[n] for n in numbers), texts


def _heading(column: Column) -> tuple[str, str]:
    """The grid's heading of a cell: its title (its status, and what is odd about its server), and its marks."""
    title = f"{column.cell}: {column.status}" + (f" ({column.reason})" if column.reason else "")
    marks = ""
    if column.mismatch:
        title, marks = f"{title} WARNING: {column.mismatch}", marks + " ⚠"
    if column.view is not None and column.view.mismatch:
        title, marks = f"{title} Django's view differs: {column.view.mismatch}", marks + " ≠"
    if column.view is not None and column.view.unreadable:
        title, marks = f"{title} Django's view not readable: {column.view.unreadable}", marks + " ◌"
    return title, marks


def content_security_policy(script: str) -> str:
    """No network, no plugins, no other script than ``script`` (the page's inline one) and those it adds.

    ``'strict-dynamic'`` lets the inline script add the evidence files, from a file on disk as from a web
    server, without allowing any script the page itself names (a parser-inserted one).
    """
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; script-src 'sha256-{digest}' 'strict-dynamic'; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
