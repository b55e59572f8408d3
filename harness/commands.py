"""What each ``dbcompat`` command does; ``harness.cli`` parses the command line and calls one of them."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness import __version__
from harness.errors import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    raise_keyboard_interrupt,
    seconds_from,
)
from harness.matrix import Cell, Matrix, load_matrix

if TYPE_CHECKING:
    from harness.progress import Reporter
    from harness.user_suites import Suite

DEFAULT_REPORTS = Path("reports")
# Containers left running by --keep-servers, for the next run.
KEPT = Path(".dbcompat") / "servers.json"


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
            # The pooler the server is reached through (its image, too, is started without a URL).
            "pooler": cell.server.pooler.name if cell.server.pooler else None,
            "pooler_image": cell.server.pooler.image if cell.server.pooler else None,
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
                    {
                        "server": row["server"],
                        "vendor": row["vendor"],
                        "image": row["image"],
                        "pooler": row["pooler"],
                        "cells": [],
                    },
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
        elif cell.server.pooler is not None and cell.server.pooler.in_front_of is not None:
            pooler = cell.server.pooler
            assert pooler.in_front_of is not None
            provided = (
                f"container {pooler.image} in front of {pooler.in_front_of.id} (or set {cell.server.url_variable})"
            )
        elif cell.server.pooler is not None:
            provided = f"by URL only: set {cell.server.url_variable}"
        else:
            provided = f"container {cell.server.image} (or set {cell.server.url_variable})"
        supported = cell.django.supports_server(cell.server)
        refused = "  [Django's docs: not supported]" if supported is False else ""
        print(f"{cell.id:<{width}}  python{cell.django.python}  {provided}{refused}")
    print(f"{len(rows)} cells from {matrix.path}")
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    from harness.progress import Reporter
    from harness.results import folder_lock
    from harness.runner import default_jobs
    from harness.servers import locate_server

    check_timeout = _check_timeout(args.check_timeout)
    _refuse_unmakeable_folder("--results", args.results)
    if not args.no_report:
        from harness.report import refuse_foreign_files

        # Before any cell runs: the report must not overwrite what someone else put there.
        _refuse_unmakeable_folder("--output", args.output)
        refuse_foreign_files(args.output)
    matrix, cells = _select(args)
    jobs = args.jobs if args.jobs is not None else default_jobs()
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}: give at least 1")
    for server in {cell.server.id: cell.server for cell in cells}.values():
        locate_server(server, os.environ)  # a URL that cannot be read is bad input: exit 2 before any cell runs
    suites = _suites(args, cells)
    live = not args.quiet and sys.stdout.isatty() and not os.environ.get("CI")
    reporter: Reporter
    if live:
        from harness.progress import LiveReporter

        reporter = LiveReporter()
    else:
        reporter = Reporter()

    with contextlib.ExitStack() as held:
        # One run at a time writes a results folder, and a report folder.
        held.enter_context(folder_lock(args.results, "--results"))
        if not args.no_report and args.output.resolve() != args.results.resolve():
            held.enter_context(folder_lock(args.output, "--output"))
        return _run_and_report(args, matrix, cells, jobs, reporter, live, check_timeout, suites)


def _suites(args: argparse.Namespace, cells: Sequence[Cell]) -> tuple[Suite, ...]:
    """``--suite``: a user's suites, checked before any cell runs (their modules imported in the first cell's
    environment); one line naming the file for a bad one."""
    from harness.envs import ensure_env, plan_env
    from harness.user_suites import load_suites, preflight

    if args.no_builtin and not args.suite:
        raise UsageError("--no-builtin leaves no checks to run: give a suite with --suite PATH")
    suites = load_suites(args.suite)
    if suites:
        first = cells[0]
        print(f"dbcompat: importing {', '.join(s.name for s in suites)} in the environment of {first.id}")
        preflight(suites, ensure_env(plan_env(first), os.environ), first.driver.engine, first.id)
    return suites


def _run_and_report(
    args: argparse.Namespace,
    matrix: Matrix,
    cells: Sequence[Cell],
    jobs: int,
    reporter: Reporter,
    live: bool,
    check_timeout: float | None,
    suites: tuple[Suite, ...] = (),
) -> int:
    from harness.report import write_reports
    from harness.runner import run_cells

    print(f"dbcompat {__version__}: {len(cells)} cells from {matrix.path}, {jobs} at a time")
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
            suites=suites,
            builtin=not args.no_builtin,
        )
    except BaseException:
        signal.signal(signal.SIGTERM, previous)
        raise
    if summary.interrupted:
        # The cells are stopped; a second signal still on its way must not cost the report, nor kill the
        # process as it exits (Python restores its own handlers then, not an ignored signal).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGTERM, previous)
    if live:
        from harness.progress import print_summary

        print_summary(summary.results)
    print(f"results: {args.results}/ ({len(summary.results)} cells, {summary.server_starts} server starts)")
    if summary.partial:
        print(f"dbcompat: {summary.partial}", file=sys.stderr)
    for server_id, reason in summary.unreachable_urls.items():
        print(f"dbcompat: server {server_id}, given by URL, could not be reached ({reason})", file=sys.stderr)
    if not args.no_report and summary.results:
        written = write_reports(summary.results, args.output, partial=summary.partial)
        size = written.html.stat().st_size // 1024
        print(f"report: {written.html} ({size} KiB), {written.markdown}, {written.merged}")
    return summary.exit_status


def _check_timeout(raw: str | None) -> float | None:
    """``--check-timeout``: finite seconds above 0 (``float`` alone takes "nan" and "inf")."""
    return None if raw is None else seconds_from("--check-timeout", raw, "--check-timeout 60")


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


def _stream(paths: Sequence[Path]) -> Iterator[Any]:
    """The results in ``paths``, read one at a time as the report takes them; refused as :func:`_load` refuses them."""
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such results file or folder; run 'dbcompat run' first")
    return _each_result(paths)


def _each_result(paths: Sequence[Path]) -> Iterator[Any]:
    from harness.results import iter_results

    found = False
    for result in iter_results(paths):
        found = True
        yield result
    if not found:
        raise UsageError(f"no results files in {', '.join(map(str, paths))}; run 'dbcompat run' first")


def _report(args: argparse.Namespace) -> int:
    from harness.report import write_reports

    _refuse_unmakeable_folder("--output", args.output)
    results = _stream(args.paths or [DEFAULT_REPORTS / "results"])
    baseline = _load([args.baseline]) if args.baseline else None
    nights = None
    if args.history is not None:
        from harness.report.history import load_history

        nights = load_history(args.history)
    written = write_reports(results, args.output, baseline=baseline, history=nights)
    size = written.html.stat().st_size
    print(f"report: {written.html} ({size // 1024} KiB, {written.cells} cells), {written.markdown}, {written.merged}")
    if nights is not None:
        print(f"history: {len(nights)} nights from {args.history}, {nights[0].label} to {nights[-1].label}")
    return EXIT_OK


def _history(args: argparse.Namespace) -> int:
    from harness.report.history import change_text, history_of_check, load_history, outcome_text, since_text

    nights = load_history(args.history)
    found = history_of_check(nights, args.check, args.server)
    table = [("server", "now", "since", "last changed", "report")]
    for row in found.rows:
        now = outcome_text(row.now)
        if row.last_seen is not None:
            now = f"absent from {nights[-1].label}; on {row.last_seen.label}: {now}"
        shown = row.changed.night if row.changed else row.since
        table.append((row.server, now, since_text(row), change_text(row), shown.report or "(no report kept)"))
    widths = [max(len(_printable(line[i])) for line in table) for i in range(len(table[0]) - 1)]
    print(f"{_printable(args.check)}: {len(nights)} nights in {args.history}, {nights[0].label} to {nights[-1].label}")
    for line in table:
        cells = [_printable(text).ljust(width) for text, width in zip(line, widths, strict=False)]
        print("  ".join([*cells, _printable(line[-1])]).rstrip())
    for row in found.rows:
        if row.absent:
            print(f"{_printable(row.server)}: absent {', '.join(row.absent)}")
    return EXIT_OK


def _printable(text: str) -> str:
    """Text from a results file as the terminal may show it: control characters (escapes) written out."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _repro(args: argparse.Namespace) -> int:
    from harness.repro import reproducer, write_reproducer
    from harness.user_suites import load_suites

    suites = load_suites(args.suite)
    found = reproducer(args.check, args.cell, load_matrix(args.matrix), args.results, suites=suites)
    written = write_reproducer(found, args.output)
    if written is not None:
        url = "" if found.url_variable is None else f" URL (or set {found.url_variable})"
        print(f"reproducer: {written} (run it with Django and the driver installed: python {written}{url})")
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


def _init_suite(args: argparse.Namespace) -> int:
    from harness.user_suites import write_example_suite

    written = write_example_suite(args.folder)
    print(f"wrote {args.folder}/: {', '.join(path.name for path in written)}")
    print(f"run it: dbcompat run --suite {args.folder} --no-builtin   (see {args.folder}/README.md)")
    return EXIT_OK


COMMANDS = {
    "list": _list,
    "run": _run,
    "report": _report,
    "history": _history,
    "repro": _repro,
    "diff": _diff,
    "init-suite": _init_suite,
    "tox-ini": _tox_ini,
    "stop-servers": _stop_servers,
    "images": _images,
}
