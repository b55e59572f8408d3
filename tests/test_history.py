"""History across nights: three synthetic nights with one change, as the report and the terminal show them.

The nights are folders of a history (``<date>/results.json`` with that night's report beside it),
written by ``write_reports`` as the nightly writes them; what is asserted is what a reader sees.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.cli import main
from harness.report import write_reports
from harness.report.history import Night, load_history, trace_history
from harness.results import CellResult, CellStatus, Outcome
from tests.reportdata import cell, check

ROOT = Path(__file__).resolve().parent.parent
NIGHTS = ("2026-11-27", "2026-11-28", "2026-11-29")
CHANGED = "collation.exact_ignores_case"


def night(changed: bool = False) -> list[CellResult]:
    """SQLite and MariaDB through two drivers; ``changed``: MariaDB through Connector/Python differs from the docs."""
    connector = Outcome.DIFFERS if changed else Outcome.AS_DOCUMENTED
    return [
        cell(
            "sqlite-sqlite3-django52",
            "sqlite",
            None,
            "3.40.1",
            "sqlite3",
            "5.2.19",
            [check(CHANGED, Outcome.NO_CLAIM, False), check("collation.default", Outcome.NOT_APPLICABLE)],
        ),
        cell(
            "mariadb1011-mysqlclient-django52",
            "mariadb",
            "10.11",
            "10.11.19-MariaDB",
            "mysqlclient",
            "5.2.19",
            [check(CHANGED, Outcome.AS_DOCUMENTED, True, True), check("collation.default", Outcome.DIFFERS, "a", "b")],
        ),
        cell(
            "mariadb1011-connector-django52",
            "mariadb",
            "10.11",
            "10.11.19-MariaDB",
            "connector",
            "5.2.19",
            [check(CHANGED, connector, not changed, True), check("collation.default", Outcome.DIFFERS, "a", "b")],
        ),
    ]


def write_history(folder: Path, nights: dict[str, list[CellResult]]) -> Path:
    """Each night as the nightly keeps it: ``<date>/`` with results.json, index.html, compat.md and evidence/."""
    for date, results in nights.items():
        write_reports(results, folder / date)
    return folder


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A published site: three nights in ``history/``, the change on the third; the front page not yet rendered."""
    site = tmp_path / "site"
    write_history(site / "history", {NIGHTS[0]: night(), NIGHTS[1]: night(), NIGHTS[2]: night(changed=True)})
    return site


class Tables(HTMLParser):
    """The rows of the page's History section: per row, each cell's text and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.rows: list[list[tuple[str, list[str]]]] = []
        self.cell: list[str] | None = None
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.inside = ("aria-labelledby", "history") in attrs
        if not self.inside:
            return
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self.cell, self.links = [], []
        elif tag == "a" and self.cell is not None:
            self.links.append(dict(attrs)["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append((" ".join("".join(self.cell).split()), self.links))
            self.cell = None
        if tag == "section":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def history_rows(page: str) -> list[list[tuple[str, list[str]]]]:
    parser = Tables()
    parser.feed(page)
    return [row for row in parser.rows if row and row[0][0] != "check"]


def history_section(markdown: str) -> str:
    return markdown[markdown.index("## History") :]


def render(site: Path, results: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    assert main(["report", str(results), "--output", str(site), "--history", str(site / "history")]) == 0
    capsys.readouterr()
    return (site / "index.html").read_text(encoding="utf-8"), (site / "compat.md").read_text(encoding="utf-8")


# -- three nights, one change ------------------------------------------------------------------


def test_the_report_shows_since_when_each_outcome_held_and_the_night_it_changed(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page, markdown = render(site, site / "history" / NIGHTS[2] / "results.json", capsys)
    rows = history_rows(page)
    changed_link = f"history/{NIGHTS[2]}/index.html"
    first_link = f"history/{NIGHTS[0]}/index.html"
    # First the one that changed within the nights kept, then every check and server (4 of them).
    assert len(rows) == 1 + 4
    began, every = rows[0], rows[1:]
    assert [text for text, _ in began] == [
        CHANGED,
        "mariadb1011",
        "✓ as documented (mysqlclient: Django 5.2) · ✗ differs from docs (connector: Django 5.2)",
        NIGHTS[2],
        f"{NIGHTS[2]}: ✓ as documented → ✗ differs from docs (connector: Django 5.2)",
    ]
    assert began[3][1] == [changed_link] and began[4][1] == [changed_link]
    assert (site / changed_link).is_file()
    by_pair = {(row[0][0], row[1][0]): row for row in every}
    assert set(by_pair) == {
        ("collation.default", "sqlite"),
        ("collation.default", "mariadb1011"),
        (CHANGED, "sqlite"),
        (CHANGED, "mariadb1011"),
    }
    assert by_pair[(CHANGED, "mariadb1011")] == began
    for pair in set(by_pair) - {(CHANGED, "mariadb1011")}:
        since, last = by_pair[pair][3], by_pair[pair][4]
        assert since == (f"{NIGHTS[0]} (or earlier)", [first_link])
        assert last == ("—", [])
    assert by_pair[("collation.default", "mariadb1011")][2][0] == "✗ differs from docs"
    assert "History (3 nights kept: 2026-11-27 to 2026-11-29)" in html.unescape(page)

    section = history_section(markdown)
    assert "3 nights kept, 2026-11-27 to 2026-11-29." in section
    table = [line for line in section.splitlines() if line.startswith("| `")]
    assert table == [
        f"| `{CHANGED}` | `mariadb1011` | ✓ as documented (mysqlclient: Django 5.2) · ✗ differs from docs"
        f" (connector: Django 5.2) | [{NIGHTS[2]}]({changed_link}) | [{NIGHTS[2]}]({changed_link}): ✓ as documented"
        " → ✗ differs from docs (connector: Django 5.2) |"
    ]
    assert section.rstrip().endswith(
        "3 other outcomes of a check on a server held through every night kept (since 2026-11-27 or earlier)."
    )


def test_the_terminal_shows_the_same(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    history = site / "history"
    assert main(["history", CHANGED, "--history", str(history)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{CHANGED}: 3 nights in {history}, 2026-11-27 to 2026-11-29"
    header, sqlite, mariadb = (re.split(r"\s{2,}", line) for line in out[1:4])
    assert len(out) == 4
    assert header == ["server", "now", "since", "last changed", "report"]
    assert sqlite == [
        "sqlite",
        "○ no claim",
        "2026-11-27 (or earlier)",
        "no change in the nights kept",
        str(history / NIGHTS[0] / "index.html"),
    ]
    assert mariadb == [
        "mariadb1011",
        "✓ as documented (mysqlclient: Django 5.2) · ✗ differs from docs (connector: Django 5.2)",
        NIGHTS[2],
        f"{NIGHTS[2]}: ✓ as documented → ✗ differs from docs (connector: Django 5.2)",
        str(history / NIGHTS[2] / "index.html"),
    ]
    # --server narrows it to one server (ids or globs).
    assert main(["history", CHANGED, "--history", str(history), "--server", "maria*"]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()[2:]] == ["mariadb1011"]


def test_the_reverse_change_and_a_change_these_results_bring(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The results reported are not the newest night's: they undo its change. The report says the change
    # is this report's, from what the newest night had, and that is no link.
    fixed = site.parent / "fixed"
    write_reports(night(), fixed)
    page, markdown = render(site, fixed / "results.json", capsys)
    began = history_rows(page)[0]
    assert [text for text, _ in began[:4]] == [CHANGED, "mariadb1011", "✓ as documented", "this report"]
    assert began[4] == ("this report: ✗ differs from docs → ✓ as documented (connector: Django 5.2)", [])
    assert f"| `{CHANGED}` | `mariadb1011` | ✓ as documented | this report | this report: ✗" in markdown


def test_nothing_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    write_history(site / "history", {date: night() for date in NIGHTS})
    page, markdown = render(site, site / "history" / NIGHTS[2] / "results.json", capsys)
    assert "None: every outcome held through every night kept." in page
    section = history_section(markdown)
    assert "\n\nNone.\n\n4 other outcomes of a check on a server held through every night kept" in section


# -- gaps, new checks and servers ---------------------------------------------------------------


def nights_of(*results: list[CellResult]) -> list[Night]:
    return [Night.of(date, found) for date, found in zip(NIGHTS, results, strict=True)]


def test_a_server_absent_one_night_is_a_gap_not_a_change() -> None:
    without_mariadb = [r for r in night() if r.server.vendor != "mariadb"]
    history = trace_history(nights_of(night(), without_mariadb, night()))
    (row,) = [r for r in history.rows if r.check == CHANGED and r.server == "mariadb1011"]
    assert row.since.label == NIGHTS[0] and row.since_note == "or earlier"
    assert row.changed is None
    assert row.absent == (NIGHTS[1],)
    assert history.began == ()


def test_a_check_or_a_cell_first_recorded_later_holds_since_then() -> None:
    first = [replace(r, checks=[c for c in r.checks if c.id != CHANGED]) for r in night()]
    more = night()[1]
    more = replace(more, cell="mariadb1011-mysqlclient-django61", django_release="6.1")
    history = trace_history(nights_of(first, night(), [*night(), more]))
    rows = {(r.check, r.server): r for r in history.rows}
    new_check = rows[(CHANGED, "sqlite")]
    assert (new_check.since.label, new_check.since_note, new_check.changed) == (NIGHTS[1], "first recorded", None)
    assert new_check.absent == ()  # not absent: not yet recorded
    new_cell = rows[("collation.default", "mariadb1011")]
    assert (new_cell.since.label, new_cell.since_note, new_cell.changed) == (NIGHTS[2], "first recorded", None)


def test_a_server_gone_from_the_newest_night_says_when_it_was_last_seen() -> None:
    without_sqlite = [r for r in night() if r.server.vendor != "sqlite"]
    history = trace_history(nights_of(night(), night(), without_sqlite), check=CHANGED)
    (sqlite,) = [r for r in history.rows if r.server == "sqlite"]
    assert sqlite.last_seen is not None and sqlite.last_seen.label == NIGHTS[1]
    assert sqlite.absent == (NIGHTS[2],)


def test_a_cell_that_did_not_run_shows_its_status_as_the_report_does() -> None:
    # The report shows every check of a cell whose checks never ran as the cell's status.
    down = [
        replace(r, status=CellStatus.UNAVAILABLE, checks=[]) if r.cell.startswith("mariadb") else r for r in night()
    ]
    history = trace_history(nights_of(night(), night(), down))
    (row,) = [r for r in history.rows if r.check == "collation.default" and r.server == "mariadb1011"]
    assert [(h.symbol, h.outcome, h.where) for h in row.now] == [("?", "server unavailable", "")]
    assert row.changed is not None and row.changed.night.label == NIGHTS[2]
    assert [(t.old, t.new, t.where) for t in row.changed.transitions] == [
        ("differs from docs", "server unavailable", "")
    ]


# -- the nightly's history ---------------------------------------------------------------------


def test_the_nightly_keeps_the_newest_nights_and_renders_with_them(tmp_path: Path) -> None:
    """The nightly's two steps, run as they stand in the workflow, against a published site on disk."""
    steps = yaml.safe_load((ROOT / ".github" / "workflows" / "nightly.yml").read_text())["jobs"]["publish"]["steps"]
    kept_step = next(step for step in steps if step.get("name") == "The nights kept")
    render_step = next(step for step in steps if step.get("name") == "Render the report")
    assert kept_step["env"]["KEEP"] == "60"
    assert "60 nights" in (ROOT / "README.md").read_text()
    published = tmp_path / "published"
    dates = ["2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"]
    write_history(published / "history", {date: night() for date in dates[:-1]})
    (published / "history.txt").write_text("\n".join([*dates[:-1], "../../etc", "2026-11-29"]) + "\n")
    (tmp_path / "results").mkdir()
    write_reports(night(changed=True), tmp_path / "out")
    for result in json.loads((tmp_path / "out" / "results.json").read_text())["cells"]:
        (tmp_path / "results" / f"{result['cell']}.json").write_text(json.dumps(result))
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "SITE": published.as_uri(),
        "TONIGHT": dates[-1],
        "KEEP": "4",  # 60 in the workflow: three nights come back, tonight's makes four
        "FOUND": "",
    }
    for step in (kept_step, render_step):
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    history = tmp_path / "site" / "history"
    assert sorted(p.name for p in history.iterdir()) == dates[2:]
    assert (tmp_path / "site" / "history.txt").read_text().split() == dates[2:]
    assert {p.name for p in (history / dates[2]).iterdir()} == {"results.json", "index.html", "compat.md", "evidence"}
    for date in dates[2:-1]:
        # Each night kept comes back whole: its page with every evidence file the page loads, byte for byte.
        theirs, ours = published / "history" / date, history / date
        files = sorted(str(p.relative_to(theirs)) for p in theirs.rglob("*") if p.is_file())
        assert sorted(str(p.relative_to(ours)) for p in ours.rglob("*") if p.is_file()) == files
        assert all((ours / name).read_bytes() == (theirs / name).read_bytes() for name in files)
        assert any(name.startswith("evidence/") and name.endswith(".js") for name in files)
    page = (tmp_path / "site" / "index.html").read_text()
    assert "History (4 nights kept: 2026-11-26 to 2026-11-29)" in html.unescape(page)
    assert history_rows(page)[0][4] == (
        f"{dates[-1]}: ✓ as documented → ✗ differs from docs (connector: Django 5.2)",
        [f"history/{dates[-1]}/index.html"],
    )


# -- bad input ---------------------------------------------------------------------------------


def bad(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("dbcompat: error: ") and captured.err.count("\n") == 1, captured.err
    return captured.err


@pytest.mark.parametrize("command", ["report", "history"])
def test_a_missing_history_folder(site: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    missing = site / "nowhere"
    results = site / "history" / NIGHTS[0] / "results.json"
    argv = ["report", str(results), "--output", str(site)] if command == "report" else [command, CHANGED]
    err = bad([*argv, "--history", str(missing)], capsys)
    assert f"{missing}: does not exist; give --history the history folder" in err


@pytest.mark.parametrize("name", ["latest", "2026-11-31", "2026-1-5", "20261129"])
def test_a_folder_that_is_not_a_date(site: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "history" / name).mkdir()
    err = bad(["history", CHANGED, "--history", str(site / "history")], capsys)
    assert f"{site / 'history' / name}: not a night of the history (a night is a folder named by its date" in err


def test_a_file_among_the_nights(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "history" / "notes.txt").write_text("hi")
    (site / "history" / ".gitkeep").write_text("")  # hidden files are passed over
    err = bad(["history", CHANGED, "--history", str(site / "history")], capsys)
    assert "notes.txt: not a night of the history" in err


def test_a_night_without_results(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "history" / NIGHTS[1] / "results.json").unlink()
    err = bad(["history", CHANGED, "--history", str(site / "history")], capsys)
    assert f"{site / 'history' / NIGHTS[1]}: no results.json in this night's folder" in err


@pytest.mark.parametrize("text", ["{not json", '{"schema_version": 1, "cells": [{"cell": 3}]}', "[]"])
def test_a_night_whose_results_cannot_be_read(site: Path, text: str, capsys: pytest.CaptureFixture[str]) -> None:
    results = site / "history" / NIGHTS[1] / "results.json"
    results.write_text(text)
    err = bad(["report", str(results), "--output", str(site), "--history", str(site / "history")], capsys)
    if text != "[]":  # the results given to report are that file too: it is named either way
        assert err.startswith(f"dbcompat: error: {results}: ")
    err = bad(["history", CHANGED, "--history", str(site / "history")], capsys)
    assert err.startswith(f"dbcompat: error: {results}: ")
    assert f"put that night's results.json there, or remove {results.parent}" in err


def test_an_empty_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = bad(["history", CHANGED, "--history", str(tmp_path)], capsys)
    assert f"{tmp_path}: no nights in this history folder" in err


def test_an_unknown_check_names_close_matches(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = bad(["history", "collation.exact_ignore_case", "--history", str(site / "history")], capsys)
    assert "no check 'collation.exact_ignore_case' in the history (3 nights, 2026-11-27 to 2026-11-29)" in err
    assert f"did you mean {CHANGED}" in err


def test_an_unknown_server(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = bad(["history", CHANGED, "--history", str(site / "history"), "--server", "oracle*"], capsys)
    assert "--server oracle*: no such server recorded" in err and "it has mariadb1011, sqlite" in err


# -- hostile text ------------------------------------------------------------------------------


def test_what_a_night_says_is_text_in_the_page_the_markdown_and_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = "<img src=x onerror=alert(1)>|[x](javascript:alert(1))\x1b[2J"

    def hostile_night(changed: bool) -> list[CellResult]:
        found = night(changed)
        found[2] = replace(found[2], driver=replace(found[2].driver, id=hostile))
        return found

    site = tmp_path / "site"
    write_history(site / "history", {NIGHTS[0]: hostile_night(False), NIGHTS[1]: hostile_night(True)})
    page, markdown = render(site, site / "history" / NIGHTS[1] / "results.json", capsys)
    section = page[page.index('<section aria-labelledby="history">') :]
    section = section[: section.index("</section>")]
    assert "<img" not in section and html.escape("<img src=x") in section
    assert (
        re.findall(r'href="([^"]*)"', section)
        == [f"history/{NIGHTS[1]}/index.html"] * 2
        + [f"history/{NIGHTS[0]}/index.html"] * 3
        + [f"history/{NIGHTS[1]}/index.html"] * 2
    )
    md = history_section(markdown)
    # Escaped: no link, no element, no end of the table cell.
    assert "[x](" not in md and "\\[x\\](javascript" in md and "<img" not in md and "&gt;\\|" in md
    assert main(["history", CHANGED, "--history", str(site / "history")]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[2J" in out


def test_links_are_relative_to_the_report(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "elsewhere" / "deeper"
    results = site / "history" / NIGHTS[2] / "results.json"
    assert main(["report", str(results), "--output", str(elsewhere), "--history", str(site / "history")]) == 0
    capsys.readouterr()
    links = set(re.findall(r'href="(\.\./[^"]*)"', (elsewhere / "index.html").read_text()))
    assert links == {f"../../site/history/{date}/index.html" for date in (NIGHTS[0], NIGHTS[2])}
    for link in links:
        assert (elsewhere / link).resolve().is_file()


def test_a_night_without_its_report_is_no_link(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "history" / NIGHTS[2] / "index.html").unlink()
    page, _ = render(site, site / "history" / NIGHTS[2] / "results.json", capsys)
    began = history_rows(page)[0]
    assert began[3] == (NIGHTS[2], [])
    history: Any = load_history(site / "history")
    assert history[2].report is None and history[0].report == site / "history" / NIGHTS[0] / "index.html"


def test_the_table_marks_the_changes_in_the_page_and_in_compat_md(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page, markdown = render(site, site / "history" / NIGHTS[2] / "results.json", capsys)
    mark = f"Δ mariadb1011 {NIGHTS[2]}"
    # The changed check's MariaDB entry, and no other, links to its row in the History section.
    marks = re.findall(r'<a class="hist" href="#(history-\d+)"[^>]*>([^<]*)</a>', page)
    assert marks == [("history-0", mark)]
    assert f'<tr id="history-0"><th scope="row"><code>{CHANGED}</code></th>' in page
    table = markdown[: markdown.index("## History")]
    (line,) = [line for line in table.splitlines() if line.startswith(f"| `{CHANGED}` | ")]
    assert line.endswith(f"| ✗ false — 10.11 (connector) · ✓ true — 10.11 (mysqlclient) {mark} | ")
    assert table.count("Δ ") == 1
