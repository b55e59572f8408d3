"""A user's own behaviour suites: checks, claims and models in the user's package, run in every cell.

A suite is a Python package (a folder with ``__init__.py``), given by ``dbcompat run --suite PATH``
(``--dbcompat-suite PATH`` to a plain pytest or tox run). Its name namespaces its check ids: the check
``@pytest.mark.check("orders.total")`` of the package ``shop_checks`` is ``shop_checks:orders.total``
in the results, so it never meets a built-in id. The package is a Django app (its ``models.py`` holds
the models its checks use; ``DJANGO_APPS`` in ``__init__.py`` names other apps to install, such as the
user's own app the checks are about), its ``claims.py`` holds what the docs say (``CLAIMS``, and the
``EXPLANATIONS`` of its findings), in the shape of ``harness.claims``, and its ``test_*.py`` modules
hold the checks, which use the plugin's fixtures as the built-in ones do.

What can be told without Django (the folder, the markers, the claims) is checked by :func:`load_suites`
before any cell runs; whether the check modules import is checked in a cell's own environment
(:func:`preflight`, run as ``python -m harness.user_suites``). Each problem is one line naming the file.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
import subprocess
import sys
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.errors import ERROR_PREFIX, DbcompatError
from harness.results import SuiteInfo

if TYPE_CHECKING:
    from harness.claims.model import Claim, Explanation

# Namespaces a suite's check ids: "<suite>:<id>".
SEPARATOR = ":"
# Packages a suite may not be named after: the harness's own, and its built-in suites'.
RESERVED = frozenset({"harness", "suites", "tests", "benchmarks", "django", "pytest"})
# The check modules pytest collects in a suite's folder (its default python_files).
CHECK_FILES = ("test_*.py", "*_test.py")
# How long importing a suite's modules in a cell's environment may take.
PREFLIGHT_TIMEOUT = 120.0
# A check id's own part: "behaviour.what", the behaviour first (what the report groups by).
_LOCAL_ID = re.compile(r"^[A-Za-z0-9_-]+\.[^\s:]+$")


class SuiteError(DbcompatError):
    """A user's suite cannot be run: the message names the file and what is wrong."""


@dataclass(frozen=True)
class Suite:
    """A user's suite as the cells need it: where it is, its name (the namespace), the apps it installs."""

    name: str
    path: str  # the package's folder, absolute
    apps: tuple[str, ...] = ()  # the Django apps to install: the suite's package and its DJANGO_APPS
    behaviours: dict[str, str] = field(default_factory=dict, hash=False)  # behaviour key -> title

    @property
    def parent(self) -> str:
        """The folder put on ``sys.path`` so that the package (and apps beside it) import."""
        return str(Path(self.path).parent)

    def importable(self) -> None:
        """Put the suite's parent folder on ``sys.path``, once, so that its package and the apps beside it import."""
        if self.parent not in sys.path:
            sys.path.insert(0, self.parent)

    def namespaced(self, check_id: str) -> str:
        return f"{self.name}{SEPARATOR}{check_id}"

    def info(self) -> SuiteInfo:
        """What a result says of the suite: its name, folder and behaviours' titles (keys namespaced)."""
        titles = {self.namespaced(key): title for key, title in self.behaviours.items()}
        return SuiteInfo(self.name, self.path, titles)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "path": self.path, "apps": list(self.apps), "behaviours": dict(self.behaviours)}

    @staticmethod
    def from_json(data: dict[str, Any]) -> Suite:
        return Suite(data["name"], data["path"], tuple(data["apps"]), dict(data["behaviours"]))


@dataclass(frozen=True)
class CheckSite:
    """Where a suite's module marks a check: the id as written (parameters unfilled), the file and line."""

    check_id: str
    path: Path
    line: int
    function: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def pattern(self) -> re.Pattern[str]:
        """The ids this site gives once pytest fills its parameters in ("{lookup}" matches any value)."""
        parts = re.split(r"\{[^{}]*\}", self.check_id)
        return re.compile("^" + ".+".join(re.escape(part) for part in parts) + "$")


def load_suites(paths: Sequence[Path]) -> tuple[Suite, ...]:
    """The suites at ``paths``, each checked as far as can be without Django; :class:`SuiteError` else."""
    suites: list[Suite] = []
    for given in paths:
        suite = _suite_at(given)
        for other in suites:
            if other.name == suite.name:
                raise SuiteError(
                    f"--suite {given}: a second suite named {suite.name!r} (the first is {other.path}); "
                    "a suite's package name is its namespace, so rename one"
                )
        sites = check_sites(suite)
        load_claims(suite, sites)
        suites.append(suite)
    return tuple(suites)


def _suite_at(given: Path) -> Suite:
    if not given.exists():
        raise SuiteError(f"--suite {given}: no such folder; give the folder of a suite's package")
    folder = given.resolve()
    if not folder.is_dir():
        raise SuiteError(f"--suite {given}: not a folder; a suite is a Python package's folder")
    if not (folder / "__init__.py").is_file():
        raise SuiteError(
            f"--suite {given}: {folder / '__init__.py'} is missing; a suite is a Python package "
            "(dbcompat init-suite DIR writes one)"
        )
    name = folder.name
    if not name.isidentifier():
        raise SuiteError(f"--suite {given}: {name!r} is not a Python package name; rename the folder")
    if name in RESERVED:
        raise SuiteError(f"--suite {given}: the name {name!r} is the harness's own; rename the folder")
    settings = _literals(folder / "__init__.py", ("DJANGO_APPS", "BEHAVIOURS"))
    apps = settings.get("DJANGO_APPS", [name])
    if not isinstance(apps, list) or not all(isinstance(app, str) and app for app in apps):
        raise SuiteError(f"{folder / '__init__.py'}: DJANGO_APPS must be a list of app names, e.g. [{name!r}]")
    behaviours = settings.get("BEHAVIOURS", {})
    if not isinstance(behaviours, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in behaviours.items()
    ):
        raise SuiteError(
            f"{folder / '__init__.py'}: BEHAVIOURS must map behaviour keys to titles, e.g. {{'orders': 'Orders'}}"
        )
    return Suite(name, str(folder), tuple(dict.fromkeys([name, *apps])), dict(behaviours))


def _literals(path: Path, names: Iterable[str]) -> dict[str, Any]:
    """The values of top-level ``NAME = <literal>`` assignments in ``path``, read without running it."""
    tree = _parse(path)
    wanted, found = set(names), {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in wanted:
                try:
                    found[name] = ast.literal_eval(node.value)
                except ValueError:
                    raise SuiteError(f"{path}:{node.lineno}: {name} must be written out as a literal") from None
    return found


def _parse(path: Path) -> ast.Module:
    try:
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as exc:
        raise SuiteError(f"{path}:{exc.lineno}: cannot be imported: SyntaxError: {exc.msg}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SuiteError(f"{path}: cannot be read: {exc}") from None


def check_modules(suite: Suite) -> list[Path]:
    """The suite's check modules, as pytest collects them from its folder."""
    folder = Path(suite.path)
    found = {path for pattern in CHECK_FILES for path in folder.rglob(pattern)}
    return sorted(path for path in found if "__pycache__" not in path.parts)


def check_sites(suite: Suite) -> list[CheckSite]:
    """Every ``@pytest.mark.check(...)`` in the suite's check modules; :class:`SuiteError` for a bad one."""
    sites: list[CheckSite] = []
    seen: dict[str, CheckSite] = {}
    for path in check_modules(suite):
        for site in _sites_in(path):
            earlier = seen.get(site.check_id)
            if earlier is not None:
                raise SuiteError(
                    f"{site.where}: {site.function} has the check id {site.check_id!r}, which {earlier.function} "
                    f"at {earlier.where} has too; give each check its own id"
                )
            seen[site.check_id] = site
            sites.append(site)
    return sites


def _sites_in(path: Path) -> Iterator[CheckSite]:
    for node in ast.walk(_parse(path)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            marker = decorator.func if isinstance(decorator, ast.Call) else decorator
            if not (isinstance(marker, ast.Attribute) and marker.attr == "check" and _is_mark(marker.value)):
                continue
            where = f"{path}:{decorator.lineno}"
            args = decorator.args if isinstance(decorator, ast.Call) else []
            if not args:
                raise SuiteError(
                    f"{where}: {node.name} is marked @pytest.mark.check without an id; "
                    "give it one, e.g. @pytest.mark.check('orders.total')"
                )
            first = args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                raise SuiteError(f"{where}: {node.name}'s check id must be a string literal, e.g. 'orders.total'")
            check_id = first.value
            if SEPARATOR in check_id:
                raise SuiteError(
                    f"{where}: {node.name}'s check id {check_id!r} has a {SEPARATOR!r}; the harness puts the "
                    "suite's name there itself, so write the id without it"
                )
            if not _LOCAL_ID.match(check_id):
                raise SuiteError(
                    f"{where}: {node.name}'s check id {check_id!r} is not 'behaviour.what' "
                    "(the behaviour first, then a dot), e.g. 'orders.total'"
                )
            yield CheckSite(check_id, path, decorator.lineno, node.name)


def _is_mark(node: ast.expr) -> bool:
    """``pytest.mark`` or a bare ``mark`` (from pytest import mark)."""
    if isinstance(node, ast.Attribute):
        return node.attr == "mark" and isinstance(node.value, ast.Name) and node.value.id == "pytest"
    return isinstance(node, ast.Name) and node.id == "mark"


def load_claims(suite: Suite, sites: Sequence[CheckSite] | None = None) -> tuple[list[Claim], list[Explanation]]:
    """The suite's claims and explanations, their check ids namespaced; checked against its checks."""
    from harness.claims.model import Claim, ClaimsTable, Explanation
    from harness.versions import SpecError

    module_path = Path(suite.path) / "claims.py"
    if not module_path.is_file():
        return [], []
    sites = check_sites(suite) if sites is None else sites
    module = _run_claims(suite, module_path)
    claims = module.get("CLAIMS")
    explanations = module.get("EXPLANATIONS", [])
    if not isinstance(claims, list | tuple) or not all(isinstance(claim, Claim) for claim in claims):
        raise SuiteError(f"{module_path}: CLAIMS must be a list of harness.claims.Claim")
    if not isinstance(explanations, list | tuple) or not all(isinstance(e, Explanation) for e in explanations):
        raise SuiteError(f"{module_path}: EXPLANATIONS must be a list of harness.claims.Explanation")
    patterns = [site.pattern() for site in sites]
    for claim in claims:
        if not any(pattern.match(claim.check) for pattern in patterns):
            known = ", ".join(sorted({site.check_id for site in sites})) or "none"
            raise SuiteError(
                f"{module_path}: a claim for {claim.check!r}, which no check in {suite.path} has (its checks: {known})"
            )
    named = [_renamed(claim, suite.namespaced(claim.check)) for claim in claims]
    told = [_renamed(explanation, suite.namespaced(explanation.check)) for explanation in explanations]
    try:
        ClaimsTable(named, explanations=told)
    except (ValueError, SpecError) as exc:
        raise SuiteError(f"{module_path}: {exc}") from None
    return named, told


def _renamed(item: Any, check_id: str) -> Any:
    from dataclasses import replace

    return replace(item, check=check_id)


def _run_claims(suite: Suite, path: Path) -> dict[str, Any]:
    """The names ``claims.py`` defines. It is data, run as a script (it imports harness.claims, and what its
    package's folder holds, never Django): no module of the suite's package is imported for it."""
    import runpy

    suite.importable()
    try:
        return runpy.run_path(str(path), run_name=f"{suite.name}.claims")
    except Exception as exc:
        raise SuiteError(f"{_failing_file(exc, path)}: cannot be imported: {type(exc).__name__}: {exc}") from None


def _import(suite: Suite, module_name: str, path: Path) -> Any:
    """Import one of the suite's modules from its folder; any failure is a line naming the file."""
    suite.importable()
    try:
        return importlib.import_module(module_name)
    except Exception as exc:
        raise SuiteError(f"{_failing_file(exc, path)}: cannot be imported: {type(exc).__name__}: {exc}") from None


def _failing_file(exc: BaseException, imported: Path) -> str:
    """The suite's file where the import failed (the deepest frame in the suite's folder), with its line."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{exc.filename}:{exc.lineno}"
    folder = str(imported.parent)
    inside = [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename.startswith(folder)]
    return f"{inside[-1].filename}:{inside[-1].lineno}" if inside else str(imported)


def suite_claims(suites: Iterable[Suite]) -> tuple[list[Claim], list[Explanation]]:
    """Every suite's namespaced claims and explanations, for the cell's claims table."""
    claims: list[Claim] = []
    explanations: list[Explanation] = []
    for suite in suites:
        found, told = load_claims(suite)
        claims += found
        explanations += told
    return claims, explanations


def suite_of(module_name: str, suites: Iterable[Suite]) -> Suite | None:
    """The suite a check's module belongs to, by its package; None for the built-in suites'."""
    top = module_name.split(".", 1)[0]
    return next((suite for suite in suites if suite.name == top), None)


def preflight(suites: Sequence[Suite], python: Path, engine: str, environment: str) -> None:
    """Import every module of the suites in a cell's environment, with Django set up as the cell's.

    ``environment`` names it in the message (the cell whose environment it is).
    """
    command = [str(python), "-m", "harness.user_suites", json.dumps([s.to_json() for s in suites]), engine]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PREFLIGHT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise SuiteError(
            f"importing the suites' modules in {environment}'s environment did not finish within "
            f"{PREFLIGHT_TIMEOUT:g}s; a module does work when imported: move it into the checks"
        ) from None
    said = [line.split(ERROR_PREFIX, 1)[1] for line in done.stdout.splitlines() if ERROR_PREFIX in line]
    if said:
        raise SuiteError(f"{said[-1]} (in {environment}'s environment)")
    if done.returncode != 0:
        tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise SuiteError(f"importing the suites' modules in {environment}'s environment failed: {tail}")


def _import_all(suites: Sequence[Suite], engine: str) -> None:
    """In a cell's environment: Django set up with the suites' apps, then every module of each suite."""
    from harness.cells.database import configure_django

    name = ":memory:" if engine.endswith("sqlite3") else "dbcompat_preflight"
    try:
        configure_django({"ENGINE": engine, "NAME": name}, suites=suites)
    except Exception as exc:
        apps = ", ".join(app for suite in suites for app in suite.apps)
        raise SuiteError(f"the suites' apps ({apps}) cannot be installed: {type(exc).__name__}: {exc}") from None
    for suite in suites:
        folder = Path(suite.path)
        for path in sorted(folder.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            parts = path.relative_to(folder.parent).with_suffix("").parts
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            if any(not part.isidentifier() for part in module.split(".")):
                continue  # not importable as a module (a script beside the checks): pytest does not collect it
            _import(suite, module, path)


# The example suite dbcompat init-suite writes: its files, rendered from harness/templates/suite/.
EXAMPLE_FILES = ("__init__.py", "models.py", "claims.py", "test_lengths.py", "README.md")


def write_example_suite(folder: Path) -> list[Path]:
    """Write a minimal, working suite into ``folder`` (which must be new or empty): one check, one claim."""
    from harness.report.render import environment

    name = folder.name
    if not name.isidentifier():
        raise SuiteError(f"{folder}: {name!r} is not a Python package name; the folder's name is the suite's")
    if name in RESERVED:
        raise SuiteError(f"{folder}: the name {name!r} is the harness's own; choose another folder name")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise SuiteError(f"{folder}: already exists and is not an empty folder; give a new folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for file in EXAMPLE_FILES:
            text = environment().get_template(f"suite/{file}.j2").render(name=name, path=str(folder))
            (folder / file).write_text(text, encoding="utf-8")
            written.append(folder / file)
    except OSError as exc:
        raise SuiteError(f"{folder}: cannot write the suite: {exc.strerror or exc}") from None
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    suites = [Suite.from_json(data) for data in json.loads(args[0])]
    try:
        _import_all(suites, args[1])
    except DbcompatError as exc:
        print(f"{ERROR_PREFIX}{exc}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
