"""Reports from results: index.html, compat.md and the merged results.json."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.errors import UsageError
from harness.results import CellResult, merged_document, write_atomically

if TYPE_CHECKING:
    from harness.report.history import Night

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "results.schema.json"


@dataclass(frozen=True)
class Written:
    html: Path
    markdown: Path
    merged: Path


# What marks each file of a report as written by dbcompat (the older marks of earlier versions too),
# so that rendering never overwrites a file someone else put there.
_OURS = {
    "index.html": ('<meta name="generator" content="dbcompat">', 'id="report-data"'),
    "compat.md": ('[//]: # "written by dbcompat', "# Django database compatibility"),
    "results.json": ('{"schema_version": ',),
}


def refuse_foreign_files(output: Path) -> None:
    """:class:`UsageError` if ``output`` holds a report file that dbcompat did not write."""
    for name, marks in _OURS.items():
        path = output / name
        if not path.exists() and not path.is_symlink():
            continue
        try:
            with path.open("rb") as stream:
                head = stream.read(8192).decode("utf-8", "replace")
        except OSError:
            head = ""
        if not path.is_file() or path.is_symlink() or not any(mark in head for mark in marks):
            raise UsageError(
                f"{path} exists and was not written by dbcompat; move it, or give the report another folder (--output)"
            )


def write_reports(
    results: Sequence[CellResult],
    output: Path,
    baseline: Sequence[CellResult] | None = None,
    partial: str | None = None,
    history: Sequence[Night] | None = None,
) -> Written:
    """Write ``index.html``, ``compat.md`` and ``results.json`` into ``output``.

    With ``history`` (the nights of a history folder, oldest first), the report shows since when each
    check's outcome has held on each server; ``results`` come after the newest night.
    """
    # Imported here so that the templates' environment (``report.render``, which tox.ini uses
    # too) comes without the claims and the report builders.
    from harness.report.build import build_report
    from harness.report.html import render_html
    from harness.report.markdown import render_markdown

    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        # FileExistsError and NotADirectoryError: ``output``, or a folder above it, is a file.
        in_the_way = isinstance(exc, FileExistsError | NotADirectoryError)
        reason = "a file is in the way" if in_the_way else (exc.strerror or str(exc))
        raise UsageError(f"{output}: cannot create the folder: {reason}; give another folder") from None
    refuse_foreign_files(output)
    traced = None
    if history is not None:
        from harness.report.history import Night, trace_history

        traced = trace_history([*history, Night.of(None, results)], links_from=output)
    report = build_report(results, baseline, partial, traced)
    generated = datetime.now(UTC).isoformat(timespec="seconds")
    html = write_atomically(output / "index.html", render_html(report))
    markdown = write_atomically(output / "compat.md", render_markdown(report))
    document = merged_document(results, generated, partial)
    merged = write_atomically(output / "results.json", json.dumps(document, ensure_ascii=False, default=str) + "\n")
    return Written(html, markdown, merged)


def results_schema() -> dict[str, Any]:
    """The JSON Schema of results.json, generated from the result dataclasses."""
    from pydantic import TypeAdapter

    from harness.results import SCHEMA_VERSION

    cell_schema = TypeAdapter(CellResult).json_schema(mode="serialization")
    definitions = cell_schema.pop("$defs", {})
    definitions["CellResult"] = cell_schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://dbcompat.invalid/schema/results-{SCHEMA_VERSION}.json",
        "title": "dbcompat results",
        "description": "Every cell's result of a dbcompat run: what each check observed, and what the docs claim.",
        "type": "object",
        "required": ["schema_version", "generated_at", "cells"],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "generated_at": {"type": "string", "description": "when the report was written (ISO 8601, UTC)"},
            "partial": {"type": ["string", "null"], "description": "why the run is incomplete, if it is"},
            "cells": {"type": "array", "items": {"$ref": "#/$defs/CellResult"}},
        },
        "$defs": definitions,
    }
