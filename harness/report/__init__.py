"""Reports from results: index.html with its evidence folder, compat.md and the merged results.json."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from harness.errors import UsageError
from harness.report.evidence import FOLDER as EVIDENCE_FOLDER
from harness.report.evidence import MARKER, MARKER_TEXT, PER_FILE, evidence_script, file_of
from harness.results import SCHEMA_VERSION, CellResult, DiskFull

if TYPE_CHECKING:
    from harness.report.history import Night

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "results.schema.json"


@dataclass(frozen=True)
class Written:
    html: Path
    markdown: Path
    merged: Path
    evidence: Path
    cells: int = 0


# What marks each file of a report as written by dbcompat (the older marks of earlier versions too),
# so that rendering never overwrites a file someone else put there.
_OURS = {
    "index.html": ('<meta name="generator" content="dbcompat">', 'id="report-data"'),
    "compat.md": ('[//]: # "written by dbcompat', "# Django database compatibility"),
    "results.json": ('{"schema_version": ',),
}


def refuse_foreign_files(output: Path) -> None:
    """:class:`UsageError` if ``output`` holds a report file, or an evidence folder, that dbcompat did not write."""
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
            raise UsageError(_foreign(path))
    folder = output / EVIDENCE_FOLDER
    if folder.exists() or folder.is_symlink():
        if folder.is_symlink() or not folder.is_dir():
            raise UsageError(_foreign(folder))
        marker = folder / MARKER
        ours = marker.is_file() and not marker.is_symlink() and marker.read_text("utf-8", "replace") == MARKER_TEXT
        if not ours and any(folder.iterdir()):  # an empty folder holds nothing to lose
            raise UsageError(_foreign(folder))


def _foreign(path: Path) -> str:
    return f"{path} exists and was not written by dbcompat; move it, or give the report another folder (--output)"


def write_reports(
    results: Iterable[CellResult],
    output: Path,
    baseline: Sequence[CellResult] | None = None,
    partial: str | None = None,
    history: Sequence[Night] | None = None,
) -> Written:
    """Write ``index.html``, ``compat.md``, ``results.json`` and the evidence folder into ``output``.

    ``results`` are read once, one at a time, and let go: an iterator that loads them one by one keeps
    a large matrix out of memory. With ``history`` (the nights of a history folder, oldest first), the
    report shows since when each check's outcome has held on each server; ``results`` come after the
    newest night. Every file is written beside its place first and only then put in place, so that a
    report that cannot be written (a bad results file, a full disk) leaves the previous one whole.
    """
    made = not output.exists()
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        # FileExistsError and NotADirectoryError: ``output``, or a folder above it, is a file.
        in_the_way = isinstance(exc, FileExistsError | NotADirectoryError)
        reason = "a file is in the way" if in_the_way else (exc.strerror or str(exc))
        raise UsageError(f"{output}: cannot create the folder: {reason}; give another folder") from None
    try:
        refuse_foreign_files(output)
        return _write(results, output, baseline, partial, history)
    except BaseException:
        if made:  # a report that was not written leaves no folder behind either
            with contextlib.suppress(OSError):
                output.rmdir()
        raise


def _write(
    results: Iterable[CellResult],
    output: Path,
    baseline: Sequence[CellResult] | None,
    partial: str | None,
    history: Sequence[Night] | None,
) -> Written:
    # Imported here so that the templates' environment (``report.render``, which tox.ini uses
    # too) comes without the claims and the report builders.
    from harness.report.build import build_report
    from harness.report.html import render_html
    from harness.report.markdown import render_markdown

    generated = datetime.now(UTC).isoformat(timespec="seconds")
    count = 0
    with _Staging(output) as staging:
        evidence = staging.folder(EVIDENCE_FOLDER)
        staging.write(evidence / MARKER, MARKER_TEXT.encode())
        merged_path = staging.file("results.json")
        with merged_path.open("wb") as merged, _Writer() as writer:

            def add_to_merged(data: bytes) -> None:
                with _full_disk(output / "results.json"):
                    merged.write(data)

            head = {"schema_version": SCHEMA_VERSION, "generated_at": generated, "partial": partial}
            writer.put(add_to_merged, json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "cells": [')
            scripts: list[bytes] = []

            def keep(number: int, result: CellResult, raw: bytes, page: bytes) -> None:
                nonlocal count
                writer.put(add_to_merged, b", " + raw if count else raw)
                count += 1
                scripts.append(evidence_script(number, page))
                if len(scripts) == PER_FILE:
                    writer.put(staging.write, evidence / f"{file_of(number)}.js", b"".join(scripts), False)
                    scripts.clear()

            report = build_report(results, baseline, partial, history, links_from=output, sink=keep)
            if scripts:
                writer.put(staging.write, evidence / f"{file_of(count - 1)}.js", b"".join(scripts), False)
            writer.put(add_to_merged, b"]}\n")
            writer.put(_sync, merged, output / "results.json")
            # Rendered while the writer is still at the evidence and results.json.
            writer.put(staging.write, staging.file("compat.md"), render_markdown(report).encode())
            writer.put(staging.write, staging.file("index.html"), render_html(report).encode())
            writer.finish()
        # The evidence first, so that the new page finds its own; the page last.
        staging.commit([EVIDENCE_FOLDER, "results.json", "compat.md", "index.html"])
    return Written(
        output / "index.html", output / "compat.md", output / "results.json", output / EVIDENCE_FOLDER, count
    )


def _sync(stream: IO[bytes], place: Path) -> None:
    with _full_disk(place):
        stream.flush()
        os.fsync(stream.fileno())


class _Writer:
    """Writes the report's files in a thread of its own, in the order asked: copying a large matrix's files
    into the kernel and syncing them to the disk takes the other core, not the one reading the results.

    What fails there (a full disk) is raised here, at the next write asked for or at :meth:`finish`.
    """

    def __init__(self) -> None:
        # Bounded, so that a slow disk holds the reading back instead of the whole matrix piling up in memory.
        self._queue: queue.Queue[tuple[Callable[..., None], tuple[Any, ...]] | None] = queue.Queue(maxsize=64)
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="dbcompat report writer", daemon=True)

    def __enter__(self) -> _Writer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._thread.is_alive():  # an error on the way: what is queued is dropped, the staging removes it all
            self._failed = self._failed or RuntimeError("report abandoned")
            self._queue.put(None)
            self._thread.join()

    def put(self, action: Callable[..., None], *arguments: Any) -> None:
        if self._failed is not None:
            raise self._failed
        self._queue.put((action, arguments))

    def finish(self) -> None:
        """Wait for every write asked for; raise what made one fail."""
        self._queue.put(None)
        self._thread.join()
        if self._failed is not None:
            raise self._failed

    def _run(self) -> None:
        while (task := self._queue.get()) is not None:
            if self._failed is None:
                action, arguments = task
                try:
                    action(*arguments)
                except BaseException as exc:  # handed to the thread that asked for the write
                    self._failed = exc


class _Staging:
    """The files of a report, written beside their places (hidden, ``.tmp``) and put in place together.

    Whatever happens before :meth:`commit`, the files in place are left as they were and nothing
    written here stays behind; a full disk is one :class:`DiskFull` line naming the file.
    """

    def __init__(self, output: Path) -> None:
        self.output = output
        self.staged: dict[str, Path] = {}  # by the name each is going to have in ``output``

    def __enter__(self) -> _Staging:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for path in self.staged.values():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    def file(self, name: str) -> Path:
        with _full_disk(self.output / name):
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.output)
        os.close(handle)
        path = self.staged[name] = Path(temporary)
        return path

    def folder(self, name: str) -> Path:
        with _full_disk(self.output / name):
            path = self.staged[name] = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=self.output))
        path.chmod(0o755)
        return path

    def write(self, path: Path, data: bytes, sync: bool = True) -> None:
        """Write a staged file, or a file in a staged folder (not synced one by one: there may be thousands)."""
        with _full_disk(self._place(path)), path.open("wb") as stream:
            stream.write(data)
            if sync:
                stream.flush()
                os.fsync(stream.fileno())

    def _place(self, path: Path) -> Path:
        """Where a staged file, or a file in a staged folder, is going: what an error names."""
        for name, staged in self.staged.items():
            if path == staged:
                return self.output / name
            if path.parent == staged:
                return self.output / name / path.name
        return path

    def commit(self, order: Sequence[str]) -> None:
        """Put the staged files in place, in ``order``."""
        for name in order:
            staged, place = self.staged.pop(name), self.output / name
            if staged.is_dir():
                # A folder cannot replace another in one step: the old one is moved aside, then removed.
                if place.is_dir():
                    old = self.staged[f"{name} (old)"] = Path(f"{staged}.old")
                    place.rename(old)
                staged.rename(place)
            else:
                staged.chmod(0o644)
                staged.replace(place)


@contextmanager
def _full_disk(place: Path) -> Iterator[None]:
    """A full disk (or quota) while writing ``place`` is one :class:`DiskFull` line."""
    try:
        yield
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull(
                f"{place}: not written, no space left on the device holding {place.parent}; free some space and "
                "run again (what was written before is kept)"
            ) from None
        raise


def results_schema() -> dict[str, Any]:
    """The JSON Schema of results.json, generated from the result dataclasses."""
    from pydantic import TypeAdapter

    from harness.results import described

    with described():
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
