"""``dbcompat repro CHECK CELL``: one script that reproduces a check's observation on a cell's server.

The script is what a contributor attaches to a Django ticket. It needs nothing but Django and the cell's
driver: it holds the check's own code (the test function, the fixtures it takes, the suites' models and
helpers it uses) and the harness's code the check runs with (the recorder, the cell's backend, how a cell
builds its settings and its throwaway database), copied by :mod:`harness.repro.bundle`, with a small runtime
that gives the fixtures as pytest does. It reads the server's URL from its first argument or the cell's
``DBCOMPAT_URL_<SERVER>`` (it holds no credential), and prints what it observes next to what the docs of the
cell's Django release say (the claims table, read here for the cell's server, driver and Django) and what the
cell's results recorded; its last line says the same in JSON.
"""

from __future__ import annotations

import ast
import difflib
import functools
import json
import re
import shlex
import string
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from packaging.version import Version

from harness import __version__
from harness.cells.job import DEFAULT_CHECK_TIMEOUT, DEFAULT_CONNECT_TIMEOUT
from harness.envs import PROJECT_ROOT
from harness.errors import UsageError
from harness.matrix import Cell, Matrix
from harness.repro.bundle import HARNESS, SUITES, Binding, Bundle, CannotBundle, Frozen
from harness.results import CellResult, CellStatus, CheckResult
from harness.user_suites import SEPARATOR, Suite, check_modules

SUITES_PACKAGE = "suites"
# The folder holding the behaviour suites: this checkout's.
SUITES_ROOT = PROJECT_ROOT
# The fixtures a script's runtime gives itself: they read pytest's request and the cell's session.
RUNTIME_FIXTURES = ("check", "backend", "pooling")
# Where pytest finds the fixtures no suite module defines: the harness's plugin.
PLUGIN = "harness.plugin"
# The harness's code a script runs a check with, by the names the template knows it by.
HARNESS_API = {
    "recorder": ("harness.checks", "CheckRecorder"),
    "recording": ("harness.checks", "recording"),
    "not_applicable": ("harness.checks", "NotApplicable"),
    "setup_failed": ("harness.checks", "SetupFailed"),
    "describe": ("harness.checks", "describe"),
    "configure_django": ("harness.cells.database", "configure_django"),
    "database_settings": ("harness.cells.database", "database_settings"),
    "check_driver": ("harness.cells.database", "check_driver"),
    "admin_connection": ("harness.cells.database", "admin_connection"),
    "read_server": ("harness.cells.database", "read_server"),
    "create_database": ("harness.cells.database", "create_database"),
    "drop_database": ("harness.cells.database", "drop_database"),
    "throwaway": ("harness.servers.throwaway", "Throwaway"),
    "throwaway_name": ("harness.servers.throwaway", "throwaway_name"),
    "new_token": ("harness.servers.throwaway", "new_token"),
    "mask_url": ("harness.servers.urls", "mask_url"),
    "url_passwords": ("harness.servers.urls", "url_passwords"),
    "ambiguity": ("harness.servers.urls", "_ambiguity"),
    "redact": ("harness.redaction", "redact"),
    "same": ("harness.claims.model", "_same"),
    "IsA": ("harness.claims.model", "IsA"),
    "AtLeast": ("harness.claims.model", "AtLeast"),
    "Not": ("harness.claims.model", "Not"),
}
# What the script's own code reads on the backend, besides what the bundled code reads.
BACKEND_ATTRIBUTES = {
    "url_schemes",
    "display_name",
    "vendor",
    "in_process",
    "timeout_options",
    "throwaway_is_user",
    "throwaway_user_settings",
    "admin_database",
    "database_charset",
}


@dataclass(frozen=True)
class SuiteCheck:
    """A check as its suite defines it: a test function marked ``@pytest.mark.check(template)``."""

    module: str  # suites.test_typecasting
    path: Path
    function: str
    template: str  # "row-locking.{option}.use"
    parametrize: tuple[tuple[str, ast.expr], ...]  # each parameter's name and the expression of its values

    def parameters_of(self, check_id: str) -> dict[str, str] | None:
        """The parameters' values (as text) that make ``check_id`` from the template; None if they cannot."""
        pattern = ""
        for literal, field_name, _spec, _conversion in string.Formatter().parse(self.template):
            pattern += re.escape(literal)
            if field_name is not None:
                pattern += f"(?P<{field_name}>.+?)"
        found = re.fullmatch(pattern, check_id)
        return None if found is None else found.groupdict()


def suite_checks(root: Path) -> list[SuiteCheck]:
    """Every check the suites define, read from their source (importing them needs Django set up)."""
    folder = root / SUITES_PACKAGE
    if not folder.is_dir():
        raise UsageError(f"no behaviour suites at {folder}; run dbcompat repro from a checkout of dbcompat")
    return [check for path in sorted(folder.glob("test_*.py")) for check in _checks_in(path, SUITES_PACKAGE)]


def user_suite_checks(suite: Suite) -> list[SuiteCheck]:
    """Every check a user's suite defines, by their ids within the suite (not namespaced)."""
    parent = Path(suite.parent)
    return [
        check
        for path in check_modules(suite)
        for check in _checks_in(path, ".".join(path.relative_to(parent).with_suffix("").parts[:-1]))
    ]


_CHECKS_IN: dict[tuple[Path, int, int], list[SuiteCheck]] = {}


def _checks_in(path: Path, package: str) -> list[SuiteCheck]:
    """The checks one suite module defines (read once per state of the file)."""
    state = path.stat()
    key = (path, state.st_mtime_ns, state.st_size)
    if key not in _CHECKS_IN:
        _CHECKS_IN[key] = list(_read_checks(path, package))
    return _CHECKS_IN[key]


def _read_checks(path: Path, package: str) -> Iterator[SuiteCheck]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        template = None
        parametrize = []
        for decorator in node.decorator_list:
            if not isinstance(decorator, ast.Call):
                continue
            called = ast.unparse(decorator.func)
            if called == "pytest.mark.check" and decorator.args:
                template = ast.literal_eval(decorator.args[0])
            elif called == "pytest.mark.parametrize" and len(decorator.args) >= 2:
                parametrize.append((str(ast.literal_eval(decorator.args[0])), decorator.args[1]))
        if isinstance(template, str):
            yield SuiteCheck(f"{package}.{path.stem}", path, node.name, template, tuple(parametrize))


def find_check(
    check_id: str, checks: Sequence[SuiteCheck], suite: Suite | None = None
) -> tuple[SuiteCheck, dict[str, str]]:
    """The suite check whose id template makes ``check_id``, with its parameters; else one line naming close ids."""
    for found in checks:
        parameters = found.parameters_of(check_id)
        if parameters is not None:
            return found, parameters
    # A parametrized check is named by its template ("row-locking.{option}.use"), which shows its shape.
    close = difflib.get_close_matches(check_id, [c.template for c in checks], n=3, cutoff=0.5)
    if suite is not None:
        hint = f"did you mean {' or '.join(suite.namespaced(c) for c in close)}? " if close else ""
        raise UsageError(f"no check {suite.namespaced(check_id)!r} in the suite at {suite.path}; {hint}")
    hint = f"did you mean {' or '.join(close)}? " if close else ""
    raise UsageError(f"no check {check_id!r} in the behaviour suites; {hint}the README's Checks table lists them")


def _user_suite(check_id: str, suites: Sequence[Suite]) -> Suite | None:
    """The user's suite a namespaced check id is from; one line saying to give it when it is not among ``suites``."""
    if SEPARATOR not in check_id:
        return None
    name = check_id.split(SEPARATOR, 1)[0]
    for suite in suites:
        if suite.name == name:
            return suite
    raise UsageError(f"{check_id} is a check of the suite {name!r}: give that suite's folder with --suite PATH")


@dataclass(frozen=True)
class Reproducer:
    """A script, and what a user is told about it."""

    check: str
    cell: str
    text: str
    filename: str
    url_variable: str | None  # None for SQLite, which needs no server


def reproducer(
    check_id: str,
    cell_id: str,
    matrix: Matrix,
    results: Path,
    root: Path | None = None,
    suites: Sequence[Suite] = (),
) -> Reproducer:
    """The script reproducing ``check_id`` on ``cell_id``, from that cell's results in ``results``; a check of a
    user's suite (``shop_checks:orders.total``) is read from that suite, one of ``suites``.

    Bad input is one :class:`UsageError` line naming what is wrong and what to do, checked in this order: the
    check, the cell, its results (a cell whose checks do not apply has nothing to reproduce), the check's record
    in them; nothing is written then.
    """
    from harness.results import load_result

    root = SUITES_ROOT if root is None else root
    suite = _user_suite(check_id, suites)
    if suite is None:
        suite_check, parameters = find_check(check_id, suite_checks(root))
    else:
        suite_check, parameters = find_check(check_id.split(SEPARATOR, 1)[1], user_suite_checks(suite), suite)
    cell = matrix.cell(cell_id)
    path = results / f"{cell.id}.json"
    if not path.is_file():
        raise UsageError(
            f"no results for {cell.id} in {results} ({path} is missing); run 'dbcompat run {cell.id}' first, or "
            "give --results the folder that holds them"
        )
    result = load_result(path)
    if result.status is CellStatus.NOT_APPLICABLE:
        # Its configuration does not exist in its Django (an option added later): no script can run it either.
        raise UsageError(f"{cell.id} runs no check, so there is nothing to reproduce: {result.reason}")
    record = next((c for c in result.checks if c.id == check_id), None)
    if record is None:
        close = difflib.get_close_matches(check_id, [c.id for c in result.checks], n=3, cutoff=0.5)
        hint = f" (it has {' and '.join(close)})" if close else ""
        raise UsageError(
            f"{path} has no record of {check_id}{hint}; if the check is newer than that run, run "
            f"'dbcompat run {cell.id}' again"
        )
    try:
        script = _script_data(suite_check, parameters, cell, result, record, path, root, suite)
    except CannotBundle as exc:
        raise CannotBundle(f"{check_id} cannot be reproduced by a script of its own: {exc}") from None
    return Reproducer(check_id, cell.id, render_script(script), script["filename"], script["url_variable"])


def default_filename(check_id: str, cell_id: str) -> str:
    """``repro_<check>_<cell>.py``, every character a name may not hold an underscore."""
    return "repro_" + re.sub(r"[^A-Za-z0-9]+", "_", f"{check_id}_{cell_id}") + ".py"


def _script_data(
    suite_check: SuiteCheck,
    parameters: dict[str, str],
    cell: Cell,
    result: CellResult,
    record: CheckResult,
    results_file: Path,
    root: Path,
    suite: Suite | None = None,
) -> dict[str, Any]:
    from harness.backends import backend_for
    from harness.cells.target import target_of
    from harness.claims import CLAIMS
    from harness.claims.model import expected_json
    from harness.user_suites import suite_claims

    server = result.server
    backend = backend_for(backend_for(server.vendor).reported_vendor(server.version_reported))
    pooler = server.pooler
    pooling = ((pooler.pool_mode if pooler.version else None) or pooler.mode) if pooler is not None else None
    release = Version(result.django_release or str(cell.django.version))
    # The cell's target as its session made it, from what its results recorded rather than from what this process
    # has installed.
    reported_mode = pooler.pool_mode if pooler is not None and pooler.version else None
    django = result.django_version or str(release)
    target = target_of(cell, backend.vendor, server.version_reported, result.driver.version, django, reported_mode)
    claims = CLAIMS.extended(*suite_claims([suite])) if suite is not None else CLAIMS
    claim = claims.claim_for(record.id, target)
    has_claim, expected = claim.expected_for(target) if claim is not None else (False, None)

    bundled = _bundle(suite_check, parameters, cell, type(backend), release, root, suite)
    bundle = bundled.bundle
    api = {key: bundle.names[Binding(module, name)] for key, (module, name) in HARNESS_API.items()}
    api["backend"] = bundle.names[Binding(type(backend).__module__, type(backend).__qualname__)]
    # The harness's functions that are given the cell's driver (its matrix entry's settings to leave out, say).
    with_driver = {key: ", driver=DRIVER" if _takes(bundle, key, "driver") else "" for key in HARNESS_API}
    fixtures = [(name, bundle.names[binding]) for name, binding in bundled.fixtures.items()]
    check_binding = Binding(suite_check.module, suite_check.function)
    url_scheme = backend.url_schemes[0] if backend.url_schemes else ""
    return {
        "check_id": record.id,
        "cell_id": cell.id,
        "filename": default_filename(record.id, cell.id),
        "dbcompat_version": __version__,
        "django_name": f"Django {release} with {cell.driver.name} on {backend.display_name}",
        "check_location": f"{suite_check.path.relative_to(Path(suite.parent) if suite else root)}::"
        f"{suite_check.function}",
        "claim": claim.statement if claim is not None else None,
        "source": claim.source.cite(target.django_version) if claim is not None else None,
        "source_url": claim.source.url(target.django_version) if claim is not None else None,
        # The driver's whole matrix entry: the harness's code reads it as the cell's driver.
        "driver": _plain(asdict(cell.driver)),
        "requirements": " ".join(
            [
                # A library that is there for the SQLite its wheel bundles must not be built against the system's.
                *(
                    ["--only-binary", cell.driver.distribution]
                    if cell.driver.only_binary and cell.driver.distribution
                    else []
                ),
                *(shlex.quote(r) for r in requirements_of(cell)),
            ]
        ),
        "in_process": backend.in_process,
        "url_variable": None if backend.in_process else cell.server.url_variable,
        "url_example": f"{url_scheme}://USER:PASSWORD@HOST:PORT/",
        "django_release": f"{release.major}.{release.minor}",
        "pooling": pooling,
        "django_apps": bundled.django_apps,
        "connect_timeout": DEFAULT_CONNECT_TIMEOUT,
        "check_timeout": DEFAULT_CHECK_TIMEOUT,
        "force_drop": backend.can_force_drop(target.server_version),
        # Where the results were read, without the folders above the working one (a user's home, say).
        "results_file": str(results_file if not results_file.is_absolute() else results_file.name),
        "recorded": {
            "observed": record.observed,
            "observed_json": json.dumps(record.observed, ensure_ascii=False),
            "outcome": record.outcome.value,
            "finished_at": result.finished_at,
            "django_version": result.django_version,
            "driver_version": result.driver.version,
            "python_version": result.python_version,
            "server": f"{backend.display_name} {server.version_reported or '(no version read)'}",
        },
        "imports": bundle.imports(),
        "harness_sections": bundle.sections(HARNESS),
        "suite_sections": bundle.sections(SUITES),
        "api": api,
        "with_driver": with_driver,
        "fixtures": fixtures,
        "parameters": [(name, expression, parameters[name]) for name, expression in bundled.parameters],
        "check_function": bundle.names[check_binding],
        "has_claim": has_claim,
        "expected": _literal(expected, api) if has_claim else "None",
        "documented": expected_json(expected) if has_claim else None,
        "explanation": " ".join(p for p in (record.explanation, record.explanation_url) if p) or None,
    }


def requirements_of(cell: Cell) -> list[str]:
    """What a cell's environment installs besides the harness: Django, the driver, a third-party backend."""
    return [cell.django.requirement, *cell.driver.requirements(cell.django)]


def _takes(bundle: Bundle, key: str, parameter: str) -> bool:
    """Whether a function of the harness the script calls has this parameter."""
    module, name = HARNESS_API[key]
    node = bundle.definition(Binding(module, name))
    return isinstance(node, ast.FunctionDef) and parameter in {a.arg for a in [*node.args.args, *node.args.kwonlyargs]}


def _plain(value: Any) -> Any:
    """A value of the matrix as plain data (mappings as dicts, sequences as lists, versions as text)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


@dataclass
class _Bundled:
    """A bundle holding one check, with its fixtures (by the names they are asked for) and parameters' lists."""

    bundle: Bundle
    fixtures: dict[str, Binding]
    parameters: list[tuple[str, str]]  # each parameter's name, and the expression of its values in the script
    django_apps: list[str]


def _bundle(
    suite_check: SuiteCheck,
    parameters: dict[str, str],
    cell: Cell,
    backend_class: type,
    release: Version,
    root: Path,
    suite: Suite | None = None,
) -> _Bundled:
    # Django's, the driver's and the backend's (Connector/Python's, a third party's) modules.
    allowed = {"django", cell.driver.module.split(".")[0], cell.driver.engine.split(".")[0]}
    roots = {"harness": PROJECT_ROOT, SUITES_PACKAGE: root}
    apps = _django_apps(root)
    if suite is not None:
        # A user's suite, and the apps beside it that it installs (the user's own app its checks are about).
        parent = Path(suite.parent)
        roots |= {top: parent for top in (app.split(".")[0] for app in suite.apps) if (parent / top).is_dir()}
        apps += [app for app in suite.apps if app not in apps]
    bundle = Bundle(roots, allowed, _template_names(), _frozen(release))
    check = bundle.add(suite_check.module, suite_check.function)
    fixtures = _fixtures_of(bundle, check, set(parameters))
    lists = [
        (name, expression, bundle.add_expression(suite_check.module, expression))
        for name, expression in suite_check.parametrize
    ]
    for module, name in HARNESS_API.values():
        bundle.add(module, name)
    # The backend keeps what the check and the harness's code read on it, and what those methods need; what
    # they need may read more of it.
    backend = (backend_class.__module__, backend_class.__qualname__)
    kept: set[str] = set()
    while (wanted := bundle.attribute_uses(["backend"]) | BACKEND_ATTRIBUTES) != kept:
        bundle.add(*backend, members=wanted)
        kept = wanted
    bundle.name_everything()
    rendered = [(name, _renamed_expression(expression, found, bundle)) for name, expression, found in lists]
    return _Bundled(bundle, fixtures, rendered, apps)


def _fixtures_of(bundle: Bundle, binding: Binding, parameters: set[str]) -> dict[str, Binding]:
    """The fixtures a check takes, and those they take, each resolved as pytest resolves it: in the module of
    the function that asks for it, else among the plugin's."""
    found: dict[str, Binding] = {}
    pending = [binding]
    while pending:
        function = pending.pop()
        node = bundle.definition(function)
        assert isinstance(node, ast.FunctionDef)
        for argument in node.args.args:
            name = argument.arg
            if name in RUNTIME_FIXTURES or name in parameters or name in found:
                continue
            fixture = _fixture(bundle, function.module, name) or _fixture(bundle, PLUGIN, name)
            if fixture is None:
                raise CannotBundle(
                    f"{function.label} takes the pytest fixture {name!r}, which neither its suite nor dbcompat's "
                    "plugin defines and a script cannot give"
                )
            found[name] = fixture
            bundle.add(fixture.module, fixture.name)
            pending.append(fixture)
    return found


def _fixture(bundle: Bundle, module: str, name: str) -> Binding | None:
    try:
        binding = bundle.resolve(module, name, module)
    except CannotBundle:
        return None
    if binding.external:
        return None
    node = bundle.definition(binding)
    decorators = getattr(node, "decorator_list", [])
    is_fixture = any(
        bundle.is_pytest(binding.module, d) and ast.unparse(d).split("(")[0].endswith(".fixture") for d in decorators
    )
    return binding if is_fixture else None


def _renamed_expression(expression: ast.expr, found: dict[str, Binding], bundle: Bundle) -> str:
    """A parametrize list as the script writes it, its names those the script gives them."""
    copy = ast.parse(ast.unparse(expression), mode="eval").body
    for node in ast.walk(copy):
        if isinstance(node, ast.Name) and node.id in found and found[node.id] in bundle.names:
            node.id = bundle.names[found[node.id]]
    return ast.unparse(copy)


def _frozen(release: Version) -> dict[tuple[str, str], Frozen]:
    """The functions a script cannot carry (they need packaging or the claims table), each replaced by what it
    gives for the cell's Django release: each is a function of that release alone."""
    from harness.claims.collation import documented_default
    from harness.claims.recipes import RECIPES, recipe

    text = f"{release.major}.{release.minor}"
    why = (
        f"Frozen for this script: what {{}} gives for Django {text}, the cell's release (its own code needs packaging)."
    )
    recipes = {name: recipe(name, release) for name in RECIPES}
    return {
        ("harness.claims.recipes", "recipe"): Frozen(why.format("recipe()"), f"{_literal(recipes)}[name]"),
        ("harness.claims.collation", "documented_default"): Frozen(
            why.format("documented_default()"), _literal(documented_default(release))
        ),
        # Every use of it is frozen for that release too (the recipes, the documented default): its text serves.
        ("suites.test_collation", "django_release"): Frozen(
            f"Frozen for this script: Django {text}, the cell's release, as text (its own code makes a packaging "
            "Version of django.VERSION, which the recipes and the documented default above take).",
            _literal(text),
        ),
    }


def _django_apps(root: Path) -> list[str]:
    """The Django apps a cell installs (``suites.DJANGO_APPS``), read from the package's source."""
    tree = ast.parse((root / SUITES_PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "DJANGO_APPS" for t in node.targets
        ):
            return [str(app) for app in ast.literal_eval(node.value)]
    return [SUITES_PACKAGE]


def _literal(value: Any, api: dict[str, str] | None = None) -> str:
    """A value as Python text the script evaluates, strings in double quotes as the code around them has them;
    matchers (IsA, AtLeast, Not) by the names the script gives their classes."""
    if is_dataclass(value) and not isinstance(value, type) and api is not None:
        arguments = ", ".join(f"{f.name}={_literal(getattr(value, f.name), api)}" for f in fields(value))
        return f"{api[type(value).__name__]}({arguments})"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are Python's
    if isinstance(value, list | tuple):
        inner = ", ".join(_literal(v, api) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k, api)}: {_literal(v, api)}" for k, v in value.items()) + "}"
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    raise TypeError(f"no Python literal for {value!r}")


# -- rendering ---------------------------------------------------------------------------------------


def _environment() -> Any:
    from harness.report.render import environment

    env = environment()
    env.filters["py"] = _literal
    env.filters["doc"] = lambda text: str(text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return env


def render_script(data: dict[str, Any]) -> str:
    text: str = _environment().get_template("repro.py.j2").render(**data)
    compile(text, data["filename"], "exec")  # a script that does not parse is a bug here, never the user's
    return text


def _template_names() -> dict[str, Binding | None]:
    """The names the template's own code takes, and the import each stands for: read from the template
    rendered with no check in it, so that a bundled definition never takes one of them."""
    return dict(_read_template_names())


@functools.cache
def _read_template_names() -> dict[str, Binding | None]:
    blank: dict[str, Any] = {
        "check_id": "",
        "cell_id": "",
        "filename": "x.py",
        "dbcompat_version": "",
        "django_name": "",
        "check_location": "",
        "claim": None,
        "source": None,
        "source_url": None,
        "driver": {"name": ""},
        "requirements": "",
        "in_process": True,
        "url_variable": "",
        "url_example": "",
        "django_release": "",
        "pooling": None,
        "django_apps": [],
        "connect_timeout": 0,
        "check_timeout": 0,
        "force_drop": False,
        "results_file": "",
        "recorded": {
            "observed": None,
            "observed_json": "null",
            "outcome": "",
            "finished_at": "",
            "django_version": "",
            "driver_version": "",
            "python_version": "",
            "server": "",
        },
        "imports": [],
        "harness_sections": [],
        "suite_sections": [],
        "api": {key: f"api_{key}" for key in [*HARNESS_API, "backend"]},
        "with_driver": {key: "" for key in HARNESS_API},
        "fixtures": [],
        "parameters": [],
        "check_function": "api_check",
        "has_claim": False,
        "expected": "None",
        "documented": None,
        "explanation": None,
    }
    names: dict[str, Binding | None] = {}
    for statement in ast.parse(render_script(blank)).body:
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                local = alias.asname or alias.name.split(".")[0]
                names[local] = Binding(alias.name if alias.asname else local, "", external=True)
        elif isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                names[alias.asname or alias.name] = Binding(str(statement.module), alias.name, external=True)
        elif isinstance(statement, ast.FunctionDef | ast.ClassDef):
            names[statement.name] = None
        else:
            for node in ast.walk(statement):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.setdefault(node.id, None)
    return names


def write_reproducer(found: Reproducer, output: Path | None) -> Path | None:
    """Write the script to ``output`` (a file, or a folder for the default name; None: the current folder);
    "-" writes it to standard output. Returns where it went (None for standard output)."""
    from harness.results import write_atomically

    if output is not None and str(output) == "-":
        sys.stdout.write(found.text)
        return None
    target = Path(found.filename) if output is None else output
    if target.is_dir():
        target = target / found.filename
    if not target.parent.is_dir():
        raise UsageError(f"-o {output}: {target.parent} is not a folder; give -o a file in an existing folder")
    return write_atomically(target, found.text, mode=0o755)
