"""reports/index.html: one self-contained page, readable without JavaScript, better with it."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from harness.report.evidence import EVIDENCE_FIELDS
from harness.report.model import OUTCOMES, Report, Span
from harness.report.render import environment


def render_html(report: Report) -> str:
    columns = report.columns
    server_cols, driver_cols = _span_columns(report.server_spans), _span_columns(report.driver_spans)
    payload: dict[str, Any] = {
        "columns": [
            {
                "cell": c.cell,
                "server": c.server_label,
                "reported": c.version_reported,
                "vendor": c.vendor,
                "driver": c.driver_id,
                "django": c.django,
                # How the cell's Django backend sees the server: the evidence shows it for every check.
                **({"view": dataclasses.asdict(c.view)} if c.view is not None else {}),
            }
            for c in columns
        ],
        "outcomes": [outcome.value for outcome in OUTCOMES],
        "fields": EVIDENCE_FIELDS,
        "evidence": report.evidence,
        "strings": report.strings,
    }
    env = environment()
    # The page's one script, exactly as it stands between its tags: the Content-Security-Policy
    # allows it by its hash and no other script, so text in the data can never run.
    script = f"\n{env.get_template('report.js').render()}\n"
    return env.get_template("report.html.j2").render(
        report=report,
        script=Markup(script),  # the harness's own file, never result data
        csp=content_security_policy(script),
        row_count=sum(len(group.rows) for group in report.groups),
        server_cols=server_cols,
        driver_cols=driver_cols,
        finding_cells=len({cell for finding in report.findings for cell, _ in finding.cells}),
        payload=payload,
    )


def content_security_policy(script: str) -> str:
    """No network, no plugins, no other script than ``script`` (the page's inline one)."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def _span_columns(spans: Sequence[Span]) -> list[str]:
    """For each header span, the comma-separated indexes of the columns it covers."""
    covered, start = [], 0
    for span in spans:
        covered.append(",".join(str(i) for i in range(start, start + span.width)))
        start += span.width
    return covered
