"""The ``dbcompat`` command. Errors a user can act on end in one line and an exit status."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from harness import __version__
from harness.commands import COMMANDS, DEFAULT_REPORTS, KEPT
from harness.errors import (
    ERROR_PREFIX,
    EXIT_INTERRUPTED,
    EXIT_OK,
    DbcompatError,
)
from harness.matrix import DEFAULT_MATRIX


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
    run.add_argument("--output", type=Path, default=DEFAULT_REPORTS, help="where the report goes (default: reports)")
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
        "--suite",
        action="append",
        default=[],
        type=Path,
        metavar="PATH",
        help="also run the checks of this suite, a package of yours (dbcompat init-suite writes one); repeatable",
    )
    run.add_argument("--no-builtin", action="store_true", help="run only the --suite suites, not the built-in ones")
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
    report.add_argument(
        "--history",
        type=Path,
        metavar="DIR",
        help="a history folder (a YYYY-MM-DD folder per night): show since when each outcome has held",
    )

    history = commands.add_parser(
        "history", help="since when a check's outcome has held on each server, from the nights of a history folder"
    )
    history.add_argument("check", metavar="CHECK", help="a check id, e.g. collation.default")
    history.add_argument(
        "--history",
        type=Path,
        default=DEFAULT_REPORTS / "history",
        metavar="DIR",
        help="the history folder (default: reports/history)",
    )
    history.add_argument("--server", action="append", default=[], help="server id or glob (repeatable)")

    repro = commands.add_parser(
        "repro", help="write a script that reproduces a check's observation on a cell, with only Django and the driver"
    )
    repro.add_argument("check", metavar="CHECK", help="a check id, e.g. typecasting.raw_eq_one")
    repro.add_argument("cell", metavar="CELL", help="a cell id, e.g. mariadb1011-mysqlclient-django52")
    repro.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where the script goes: a file, or a folder (default: repro_<check>_<cell>.py here; '-': standard output)",
    )
    repro.add_argument(
        "--results",
        type=Path,
        default=DEFAULT_REPORTS / "results",
        metavar="DIR",
        help="the cells' results, where the recorded value comes from (default: reports/results)",
    )
    repro.add_argument("--matrix", type=Path, metavar="PATH", help=f"matrix file (default: {DEFAULT_MATRIX.name})")
    repro.add_argument(
        "--suite",
        action="append",
        default=[],
        type=Path,
        metavar="PATH",
        help="the folder of the suite a namespaced check (suite:behaviour.what) is from",
    )

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

    init_suite = commands.add_parser(
        "init-suite", help="write an example suite of your own checks (one check, one claim) to run with --suite"
    )
    init_suite.add_argument("folder", type=Path, metavar="DIR", help="a new folder; its name is the suite's package")

    tox = commands.add_parser("tox-ini", help="write tox.ini from the matrix")
    tox.add_argument("--matrix", type=Path, help=f"matrix file (default: {DEFAULT_MATRIX.name})")
    tox.add_argument("--output", type=Path, default=Path("tox.ini"))
    tox.add_argument("--check", action="store_true", help="exit 1 if tox.ini differs from the matrix")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(COMMANDS[args.command](args))
    except DbcompatError as exc:
        print(f"{ERROR_PREFIX}{exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("dbcompat: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`dbcompat list | head`): stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
