"""The ``dbcompat`` command. Errors a user can act on end in one line and an exit status."""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from harness import __version__
from harness.errors import (
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    DbcompatError,
    UsageError,
    raise_keyboard_interrupt,
)
from harness.matrix import DEFAULT_MATRIX, Cell, Matrix, load_matrix

DEFAULT_REPORTS = Path("reports")
# Containers left running by --keep-servers, for the next run.
KEPT = Path(".dbcompat") / "servers.json"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dbcompat",
        description="Observe what Django's database layer does on each server, driver and Django version.",
    )
    parser.add_argument("--version", action="version", version=f"dbcompat {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def selection(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--matrix", type=Path, help=f"matrix file (default: {DEFAULT_MATRIX.name})")
        sub.add_argument("patterns", nargs="*", metavar="CELL", help="cell ids or globs, e.g. 'postgres15-*'")
        sub.add_argument("--server", action="append", default=[], help="server id or glob (repeatable)")
        sub.add_argument("--driver", action="append", default=[], help="driver id or glob (repeatable)")
        sub.add_argument("--django", action="append", default=[], help="Django id or version, e.g. 5.2 (repeatable)")

    listing = commands.add_parser("list", help="print the matrix's cells")
    selection(listing)
    listing.add_argument("--json", action="store_true", help="JSON, e.g. for a CI job matrix")
    listing.add_argument(
        "--by-server", action="store_true", help="with --json: one entry per server with its cells (a job per server)"
    )

    run = commands.add_parser("run", help="run cells and render the report")
    selection(run)
    run.add_argument("--results", type=Path, default=DEFAULT_REPORTS / "results", help="where results go")
    run.add_argument("--no-report", action="store_true", help="do not render the report afterwards")
    run.add_argument(
        "-j", "--jobs", type=int, default=None, metavar="N", help="cells at a time (default: one more than the cores)"
    )
    run.add_argument("-q", "--quiet", action="store_true", help="one line per finished cell, no live display")
    run.add_argument(
        "--check-timeout",
        metavar="SECONDS",
        help="cancel a check's statement after this long (default: 60; DBCOMPAT_CHECK_TIMEOUT)",
    )
    run.add_argument(
        "--keep-servers",
        action="store_true",
        help=f"leave started containers running and reuse them next time (stop: dbcompat stop-servers; {KEPT})",
    )

    commands.add_parser("stop-servers", help="remove the containers kept by --keep-servers and any a killed run left")

    report = commands.add_parser("report", help="render index.html, compat.md and results.json from results")
    report.add_argument("paths", nargs="*", type=Path, help="results files or folders (default: reports/results)")
    report.add_argument("--output", type=Path, default=DEFAULT_REPORTS, help="where the report goes")
    report.add_argument("--baseline", type=Path, help="results of an earlier run: show what changed since")

    diff = commands.add_parser("diff", help="what changed between two runs; exit 1 when something regressed")
    diff.add_argument("old", type=Path, help="the earlier results (a folder or a merged results.json)")
    diff.add_argument("new", type=Path, help="the later results")

    images = commands.add_parser("images", help="server images built here from Debian's packages")
    image_commands = images.add_subparsers(dest="images_command", required=True, metavar="COMMAND")
    build = image_commands.add_parser(
        "build",
        help="build (or reuse) the images; prints 'export DBCOMPAT_IMAGE_<SERVER>=<tag>' lines for eval",
    )
    build.add_argument("servers", nargs="*", metavar="SERVER", help="server ids or globs (default: all Debian ships)")
    build.add_argument("--mirror", help="Debian mirror (default: DBCOMPAT_DEBIAN_MIRROR, else deb.debian.org)")
    build.add_argument("--log-dir", type=Path, help="where logs of failed steps are kept (default: .dbcompat/images)")
    build.add_argument("--rebuild", action="store_true", help="build the server images again from fresh packages")

    tox = commands.add_parser("tox-ini", help="write tox.ini from the matrix")
    tox.add_argument("--matrix", type=Path, help=f"matrix file (default: {DEFAULT_MATRIX.name})")
    tox.add_argument("--output", type=Path, default=Path("tox.ini"))
    tox.add_argument("--check", action="store_true", help="exit 1 if tox.ini differs from the matrix")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(_COMMANDS[args.command](args))
    except DbcompatError as exc:
        print(f"dbcompat: error: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("dbcompat: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _select(args: argparse.Namespace) -> tuple[Matrix, tuple[Cell, ...]]:
    matrix = load_matrix(args.matrix)
    django = [_django_id(matrix, value) for value in args.django]
    cells = matrix.select(args.patterns, servers=args.server, drivers=args.driver, django=django)
    if not cells:
        raise UsageError(f"no cell of {matrix.path} matches that selection; see 'dbcompat list'")
    return matrix, cells


def _django_id(matrix: Matrix, value: str) -> str:
    for django in matrix.django:
        if value == str(django.version):
            return django.id
    return value


def _list(args: argparse.Namespace) -> int:
    matrix, cells = _select(args)
    rows = [
        {
            "id": cell.id,
            "server": cell.server.id,
            "vendor": cell.server.vendor,
            "server_version": str(cell.server.version) if cell.server.version else None,
            "image": cell.server.image,
            "url_variable": None if cell.server.in_process else cell.server.url_variable,
            "driver": cell.driver.id,
            "django": cell.django.id,
            "django_version": str(cell.django.version),
            "python": cell.django.python,
            "tox_env": cell.env_name,
            "django_supports_server": cell.django.supports_server(cell.server),
        }
        for cell in cells
    ]
    if args.json:
        if args.by_server:
            servers: dict[str, dict[str, Any]] = {}
            for row in rows:
                entry = servers.setdefault(
                    str(row["server"]),
                    {"server": row["server"], "vendor": row["vendor"], "image": row["image"], "cells": []},
                )
                entry["cells"].append(row["id"])
            print(json.dumps(list(servers.values())))
        else:
            print(json.dumps(rows, indent=2))
        return EXIT_OK
    width = max(len(cell.id) for cell in cells)
    for cell in cells:
        if cell.server.in_process:
            provided = "in-process"
        elif os.environ.get(cell.server.url_variable):
            provided = f"url ({cell.server.url_variable})"
        else:
            provided = f"container {cell.server.image} (or set {cell.server.url_variable})"
        supported = cell.django.supports_server(cell.server)
        refused = "  [Django's docs: not supported]" if supported is False else ""
        print(f"{cell.id:<{width}}  python{cell.django.python}  {provided}{refused}")
    print(f"{len(rows)} cells from {matrix.path}")
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    from harness.progress import Reporter
    from harness.report import write_reports
    from harness.runner import default_jobs, run_cells
    from harness.servers import locate_server

    check_timeout = _check_timeout(args.check_timeout)
    _refuse_unmakeable_folder("--results", args.results)
    matrix, cells = _select(args)
    jobs = args.jobs if args.jobs is not None else default_jobs()
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}: give at least 1")
    for server in {cell.server.id: cell.server for cell in cells}.values():
        locate_server(server, os.environ)  # a URL that cannot be read is bad input: exit 2 before any cell runs
    print(f"dbcompat {__version__}: {len(cells)} cells from {matrix.path}, {jobs} at a time")
    live = not args.quiet and sys.stdout.isatty() and not os.environ.get("CI")
    reporter: Reporter
    if live:
        from harness.progress import LiveReporter

        reporter = LiveReporter()
    else:
        reporter = Reporter()

    # SIGTERM (a CI job cancelled, a service stopped) ends a run like Ctrl-C: cells stopped, results kept.
    previous = signal.signal(signal.SIGTERM, raise_keyboard_interrupt)
    try:
        summary = run_cells(
            matrix,
            cells,
            args.results,
            jobs=jobs,
            reporter=reporter,
            keep_servers=KEPT if args.keep_servers else None,
            check_timeout=check_timeout,
        )
    finally:
        signal.signal(signal.SIGTERM, previous)
    if live:
        from harness.progress import print_summary

        print_summary(summary.results)
    print(f"results: {args.results}/ ({len(summary.results)} cells, {summary.server_starts} server starts)")
    if summary.partial:
        print(f"dbcompat: {summary.partial}", file=sys.stderr)
    if not args.no_report and summary.results:
        written = write_reports(summary.results, args.results.parent, partial=summary.partial)
        size = written.html.stat().st_size // 1024
        print(f"report: {written.html} ({size} KiB), {written.markdown}, {written.merged}")
    return summary.exit_status


def _check_timeout(raw: str | None) -> float | None:
    """``--check-timeout``: finite seconds above 0 (``float`` alone takes "nan" and "inf")."""
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise UsageError(f"--check-timeout {raw!r}: give a number of seconds above 0, e.g. --check-timeout 60")
    return value


def _refuse_unmakeable_folder(option: str, path: Path) -> None:
    """Say so before anything runs when ``path`` cannot be made a folder: it, or a folder above it, is a file."""
    for part in (path, *path.parents):
        if part.is_dir():
            return
        if part.exists() or part.is_symlink():
            what = "a file" if part.is_file() else "not a folder"
            raise UsageError(
                f"{option} {path}: {part} is {what}, not a folder; give {option} a folder, or move {part} away"
            )


def _stop_servers(args: argparse.Namespace) -> int:
    from harness.servers.containers import KeptServers

    removed = KeptServers(KEPT).stop_all()
    print(f"removed {len(removed)} containers (kept by --keep-servers, or left by a run that was killed)")
    return EXIT_OK


def _load(paths: Sequence[Path]) -> list[Any]:
    from harness.results import load_results

    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such results file or folder; run 'dbcompat run' first")
    results = load_results(paths)
    if not results:
        raise UsageError(f"no results files in {', '.join(map(str, paths))}; run 'dbcompat run' first")
    return results


def _report(args: argparse.Namespace) -> int:
    from harness.report import write_reports

    _refuse_unmakeable_folder("--output", args.output)
    results = _load(args.paths or [DEFAULT_REPORTS / "results"])
    baseline = _load([args.baseline]) if args.baseline else None
    written = write_reports(results, args.output, baseline=baseline)
    size = written.html.stat().st_size
    print(f"report: {written.html} ({size // 1024} KiB, {len(results)} cells), {written.markdown}, {written.merged}")
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from harness.report.diff import diff_results, has_regressions

    changes = diff_results(_load([args.old]), _load([args.new]))
    for change in changes:
        print(change.describe())
    regressions = sum(change.regression for change in changes)
    print(f"{len(changes)} changes, {regressions} regressions")
    return EXIT_FINDINGS if has_regressions(changes) else EXIT_OK


def _tox_ini(args: argparse.Namespace) -> int:
    from harness.toxini import render_tox_ini, write_tox_ini

    matrix = load_matrix(args.matrix)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != render_tox_ini(matrix):
            print(f"{args.output} differs from {matrix.path}; run 'dbcompat tox-ini'", file=sys.stderr)
            return 1
        return EXIT_OK
    changed = write_tox_ini(matrix, args.output)
    print(f"{args.output}: {'written' if changed else 'already up to date'}")
    return EXIT_OK


def _images(args: argparse.Namespace) -> int:
    from harness.images import BuiltImage, build_images, export_line, select_recipes
    from harness.images.build import DEFAULT_LOG_DIR
    from harness.images.recipes import DEFAULT_MIRROR

    recipes = select_recipes(args.servers)

    def say(text: str) -> None:
        print(f"dbcompat images: {text}", file=sys.stderr, flush=True)

    def done(image: BuiltImage) -> None:
        print(export_line(image.recipe), flush=True)

    build_images(
        recipes,
        mirror=args.mirror or os.environ.get("DBCOMPAT_DEBIAN_MIRROR") or DEFAULT_MIRROR,
        log_dir=args.log_dir or DEFAULT_LOG_DIR,
        rebuild=args.rebuild,
        say=say,
        done=done,
    )
    return EXIT_OK


_COMMANDS = {
    "list": _list,
    "run": _run,
    "report": _report,
    "diff": _diff,
    "tox-ini": _tox_ini,
    "stop-servers": _stop_servers,
    "images": _images,
}


if __name__ == "__main__":
    sys.exit(main())
