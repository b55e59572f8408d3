"""Taking code out of the harness and the suites into one flat script: the definitions a check needs, and no more.

A :class:`Bundle` is given roots (a check function, the fixtures it takes, the harness's pieces a script runs
them with) and follows every module-level name their code uses, through the modules' imports, to the
statement that defines it: a function, a class, a constant. Each statement is copied with its own text
(comments kept), in an order that defines a name before any statement that needs it as it runs. Imports of
the standard library, Django and the driver are kept; pytest's decorators are dropped (the script gives the
fixtures itself); an import of a project module inside a function is dropped, its names being the script's
own. Two definitions that want the same name in the flat namespace (``read_one`` in ``suites/test_poolers.py``
and in ``harness/cells/database.py``) are kept apart by a suffix on one of them, every use rewritten; the
suites' code keeps its names, it is what a reader came for. A class added with ``members`` (the cell's
backend) keeps only those attributes and what its kept methods use. A function a script cannot carry (it
needs packaging, say) can be *frozen*: replaced by one returning what it gives for the cell, worked out here.

Anything else a script cannot have (another third-party module, a module used as a whole) raises
:class:`CannotBundle`, one sentence saying what and where.
"""

from __future__ import annotations

import ast
import builtins
import heapq
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from harness.errors import DbcompatError

# pytest's decorators (fixtures, marks) say how pytest calls a function; the script calls it itself.
PYTEST = "pytest"
_BUILTINS = frozenset(dir(builtins)) | {"__name__", "__file__", "__doc__"}
# The suites' code: copied after Django is set up (its models need the app registry); the harness's before.
HARNESS, SUITES = 0, 1


class CannotBundle(DbcompatError):
    """A check's code cannot be carried by a script of its own: the message says what it needs and where."""


@dataclass(frozen=True)
class Binding:
    """What a module-level name stands for: a statement of a project module, or an import from elsewhere."""

    module: str  # the project module defining it, or the module imported from
    name: str  # the name it is defined as, or the attribute imported ("" for the module itself)
    external: bool = False
    # How an import of a whole module is written (``import a.b`` binds ``a`` and loads ``a.b``).
    loads: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        return f"{self.module}.{self.name}" if self.name else self.module


@dataclass(frozen=True)
class Frozen:
    """What a frozen function returns instead of running its code: ``returns``, Python text over its parameters
    (a value, or a table looked up by one of them); ``why`` is the comment that says whence."""

    why: str
    returns: str


@dataclass
class _Module:
    name: str
    path: Path
    lines: list[bytes]
    tree: ast.Module
    # Each module-level name and the top-level statement defining it (the last one, as for Python).
    defined: dict[str, ast.stmt] = field(default_factory=dict)
    # Each module-level name an import binds: (module, attribute or "" for the module itself, how written).
    imported: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    type_only: set[str] = field(default_factory=set)  # imported under ``if TYPE_CHECKING:``


@dataclass
class _Unit:
    """One top-level statement to copy, and what it needs."""

    module: _Module
    node: ast.stmt
    group: int
    members: set[str] | None = None  # a class keeping only these attributes
    frozen: Frozen | None = None
    # The Name nodes standing for module-level names, each with whether the statement needs it as it runs
    # (True) or only when a function it defines is called.
    refs: list[tuple[ast.Name, bool]] = field(default_factory=list)
    global_statements: list[ast.Global] = field(default_factory=list)
    dropped: list[ast.AST] = field(default_factory=list)  # pytest's decorators, imports of project modules
    # Local names that an import of a project module inside a function bound: module-level names now.
    lifted: dict[str, Binding] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, int]:
        return (self.module.name, self.node.lineno)

    @property
    def pruned(self) -> bool:
        return isinstance(self.node, ast.ClassDef) and self.members is not None

    def bound_names(self) -> list[str]:
        return _bound_by(self.node)

    def kept_members(self) -> list[ast.stmt]:
        """A pruned class's statements kept: its docstring, the members asked for, anything that binds nothing."""
        assert isinstance(self.node, ast.ClassDef) and self.members is not None
        members = self.members
        return [s for s in self.node.body if _is_docstring(s) or not _bound_by(s) or set(_bound_by(s)) & members]


class Bundle:
    """The definitions some roots need, and the text of the script that holds them."""

    def __init__(
        self,
        roots: dict[str, Path],
        allowed: Iterable[str],
        reserved: dict[str, Binding | None],
        frozen: dict[tuple[str, str], Frozen] | None = None,
    ) -> None:
        """``roots``: the folder holding each project package. ``allowed``: the top-level modules a script may
        import besides the standard library (Django, the driver). ``reserved``: the names the script's own code
        takes, each with the import it stands for (None: its own)."""
        self.roots = dict(roots)
        self.allowed = frozenset(allowed)
        self.reserved = dict(reserved)
        self.frozen = dict(frozen or {})
        self.names: dict[Binding, str] = {}  # every binding the script holds -> its name there
        self._modules: dict[str, _Module] = {}
        self._units: dict[tuple[str, int], _Unit] = {}
        self._externals: dict[Binding, str] = {}  # an import -> the local name first asked for
        self._queue: list[_Unit] = []

    # -- what is asked for -----------------------------------------------------------------------

    def add(self, module: str, name: str, members: set[str] | None = None) -> Binding:
        """Bundle ``module.name`` and what it needs; for a class, ``members`` are the attributes it keeps."""
        binding = self._take(self.resolve(module, name, f"{module}.{name}"), name, members)
        self._drain()
        return binding

    def add_expression(self, module: str, expression: ast.expr) -> dict[str, Binding]:
        """Bundle what an expression of ``module`` uses (a parametrize list): each name with its binding."""
        found: dict[str, Binding] = {}
        for node in ast.walk(expression):
            if isinstance(node, ast.Name) and (node.id not in _BUILTINS or self._known(module, node.id)):
                found[node.id] = self._take(self.resolve(module, node.id, module), node.id)
        self._drain()
        return found

    def _take(self, binding: Binding, name: str, members: set[str] | None = None) -> Binding:
        if not binding.external:
            self._unit_of(binding, members)
        elif binding.module != "builtins":
            self._externals.setdefault(binding, name)
        return binding

    def definition(self, binding: Binding) -> ast.stmt:
        """The statement defining a project binding (a fixture's parameters, a check's decorators)."""
        return self._module(binding.module).defined[binding.name]

    def has_module(self, module: str) -> bool:
        return self._path_of(module) is not None

    def is_pytest(self, module: str, decorator: ast.expr) -> bool:
        """Whether a decorator of ``module`` is pytest's (``pytest.fixture``, ``pytest.mark.check(...)``)."""
        root = decorator
        while isinstance(root, ast.Attribute | ast.Call):
            root = root.func if isinstance(root, ast.Call) else root.value
        if not isinstance(root, ast.Name):
            return False
        found = self._module(module).imported.get(root.id)
        return found is not None and found[0] == PYTEST

    def attribute_uses(self, names: Iterable[str]) -> set[str]:
        """Every attribute the bundled code reads on a variable of one of these names (``backend.x``,
        ``self.backend.x``)."""
        wanted = set(names)
        found: set[str] = set()
        for unit in self._units.values():
            for node in ast.walk(unit.node):
                if not isinstance(node, ast.Attribute):
                    continue
                value = node.value
                if (isinstance(value, ast.Name) and value.id in wanted) or (
                    isinstance(value, ast.Attribute) and value.attr in wanted
                ):
                    found.add(node.attr)
        return found

    # -- resolving names ----------------------------------------------------------------------------

    def resolve(self, module: str, name: str, where: str) -> Binding:
        """What ``name`` stands for at the top level of ``module``, followed through imports of project modules."""
        seen: set[tuple[str, str]] = set()
        while True:
            if (module, name) in seen:
                raise CannotBundle(f"{where}: the imports of {name!r} go round in a circle ({module})")
            seen.add((module, name))
            source = self._module(module)
            if name in source.defined:
                return Binding(module, name)
            if name in source.imported:
                target, attribute, written = source.imported[name]
                if not self._is_project(target):
                    self._check_allowed(target, f"{where} uses {name!r}")
                    return Binding(target, attribute, external=True, loads=written)
                if not attribute or (
                    self.has_module(f"{target}.{attribute}") and attribute not in self._module(target).defined
                ):
                    whole = f"{target}.{attribute}" if attribute else target
                    raise CannotBundle(
                        f"{where} uses the module {whole} as a whole; a script takes single definitions out of "
                        "the project's modules"
                    )
                module, name = target, attribute
                continue
            if name in source.type_only:
                raise CannotBundle(f"{where} uses {name!r} as it runs, but {module} imports it for type checking only")
            if name in _BUILTINS:
                return Binding("builtins", name, external=True)
            raise CannotBundle(f"{where} uses {name!r}, which {module} neither defines nor imports")

    def _known(self, module: str, name: str) -> bool:
        source = self._module(module)
        return name in source.defined or name in source.imported

    def _check_allowed(self, module: str, why: str) -> None:
        top = module.split(".")[0]
        if top in sys.stdlib_module_names or top in self.allowed or top == "__future__":
            return
        raise CannotBundle(f"{why} from {module}, which a script with only Django and the driver cannot import")

    # -- modules ------------------------------------------------------------------------------------

    def _is_project(self, module: str) -> bool:
        """Whether the module's code is copied: one of the bundle's packages (the harness, the suites)."""
        return module.split(".")[0] in self.roots

    def _path_of(self, module: str) -> Path | None:
        root = self.roots.get(module.split(".")[0])
        if root is None:
            return None
        base = root.joinpath(*module.split("."))
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
        return None

    def _shown(self, module: _Module) -> str:
        """A module's file as the script names it: from its package's folder down (``suites/models.py``)."""
        return str(module.path.relative_to(self.roots[module.name.split(".")[0]]))

    def _module(self, name: str) -> _Module:
        if name in self._modules:
            return self._modules[name]
        path = self._path_of(name)
        if path is None:
            raise CannotBundle(f"no module {name} in {self.roots.get(name.split('.')[0], 'the project')}")
        module = _parsed(name, path)
        self._modules[name] = module
        return module

    # -- units --------------------------------------------------------------------------------------

    def _unit_of(self, binding: Binding, members: set[str] | None = None) -> _Unit:
        module = self._module(binding.module)
        node = module.defined[binding.name]
        unit = self._units.get((module.name, node.lineno))
        if unit is not None:
            if unit.members is not None and (members is None or not members <= unit.members):
                # Asked for whole, or for more of it: analysed again for what that needs.
                unit.members = None if members is None else unit.members | members
                self._queue.append(unit)
            return unit
        group = HARNESS if module.name.split(".")[0] == "harness" else SUITES  # the built-in suites, or a user's
        kept = set(members) if members is not None and isinstance(node, ast.ClassDef) else None
        unit = _Unit(module, node, group, kept, self.frozen.get((module.name, binding.name)))
        self._units[unit.key] = unit
        self._queue.append(unit)
        return unit

    def _drain(self) -> None:
        while self._queue:
            self._analyse(self._queue.pop())

    def _analyse(self, unit: _Unit) -> None:
        node = unit.node
        where = f"{self._shown(unit.module)} line {node.lineno}"
        if unit.frozen is not None:
            unit.refs = [(_name_node(node), True)] if isinstance(node, ast.FunctionDef) else []
            return
        body = unit.kept_members() if unit.pruned else [node]
        decorators = getattr(node, "decorator_list", [])
        unit.dropped = [d for d in decorators if self.is_pytest(unit.module.name, d)]
        unit.lifted = {}
        for inner in _imports_in_functions(body):
            target = _import_target(inner, unit.module.name)
            if not self._is_project(target):
                self._check_allowed(target, f"{where}: an import")
                continue
            unit.dropped.append(inner)
            for alias in inner.names:
                if isinstance(inner, ast.Import):
                    raise CannotBundle(f"{where} imports the module {alias.name} as a whole inside a function")
                unit.lifted[alias.asname or alias.name] = self.resolve(target, alias.name, where)
        walker = _References(set(unit.lifted), keep_annotations=isinstance(node, ast.ClassDef) and _is_dataclass(node))
        if unit.pruned:
            assert isinstance(node, ast.ClassDef)
            walker.visit_pruned_class(node, body)
        else:
            walker.visit(node)
        inside_dropped = {id(n) for dropped in unit.dropped for n in ast.walk(dropped)}
        unit.refs = [(name, load) for name, load in walker.found if id(name) not in inside_dropped]
        unit.global_statements = walker.global_statements
        for name, _load_time in unit.refs:
            self._need(unit, name.id, where)
        if unit.pruned:
            self._need_members(unit)

    def _binding_of(self, unit: _Unit, name: str, where: str) -> Binding:
        if name in unit.lifted:
            return unit.lifted[name]
        if name in unit.bound_names():
            return Binding(unit.module.name, name)
        return self.resolve(unit.module.name, name, where)

    def _need(self, unit: _Unit, name: str, where: str) -> None:
        binding = self._binding_of(unit, name, where)
        if binding.module == unit.module.name and name in unit.bound_names():
            return
        # A base of a pruned class is pruned alike (_need_members gives it the attributes).
        if unit.pruned and name in _base_names(unit.node) and not binding.external:
            return
        self._take(binding, name)

    def _need_members(self, unit: _Unit) -> None:
        """A pruned class's kept methods use other attributes of ``self``: keep those too, here and in its bases."""
        assert unit.members is not None
        grown = set(unit.members)
        for statement in unit.kept_members():
            for node in ast.walk(statement):
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id in ("self", "cls")
                ):
                    grown.add(node.attr)
        if grown != unit.members:
            unit.members = grown
            self._queue.append(unit)
        for base in _base_names(unit.node):
            binding = self.resolve(unit.module.name, base, unit.module.name)
            if not binding.external:
                self._unit_of(binding, grown)

    # -- names --------------------------------------------------------------------------------------

    def name_everything(self) -> None:
        """Give each binding the script holds a name: the one it is defined as, unless another took it first."""
        taken: dict[str, Binding | None] = dict(self.reserved)
        self.names = {binding: name for name, binding in self.reserved.items() if binding is not None}
        # The suites' code first: it is what a reader of the script came for, so it keeps its names.
        for unit in sorted(self._units.values(), key=lambda u: (-u.group, u.module.name, u.node.lineno)):
            for name in unit.bound_names():
                self._name(Binding(unit.module.name, name), name, taken)
        for binding, wanted in sorted(self._externals.items(), key=lambda item: (item[1], item[0].label)):
            if binding not in self.names:
                self._name(binding, wanted, taken)

    def _name(self, binding: Binding, wanted: str, taken: dict[str, Binding | None]) -> None:
        name, count = wanted, 1
        while name in taken and taken[name] != binding:
            count += 1
            name = f"{wanted}_{count}"
        taken[name] = binding
        self.names[binding] = name

    # -- the text -----------------------------------------------------------------------------------

    def imports(self) -> list[str]:
        """The import statements the copied code needs: the standard library's, then Django's and the driver's."""
        plain: set[str] = set()
        named: dict[str, set[str]] = {}
        for binding, name in self.names.items():
            if not binding.external or binding.module == "builtins" or self.reserved.get(name) == binding:
                continue
            if binding.name:
                named.setdefault(binding.module, set()).add(
                    binding.name if name == binding.name else f"{binding.name} as {name}"
                )
            else:
                plain.add(_import_line(binding, name))
        lines = [*plain, *(f"from {module} import {', '.join(sorted(names))}" for module, names in named.items())]

        def third_party(line: str) -> bool:
            return line.split()[1].split(".")[0] in self.allowed

        standard = sorted((line for line in lines if not third_party(line)), key=lambda line: (line[0] == "f", line))
        others = sorted((line for line in lines if third_party(line)), key=lambda line: (line[0] == "f", line))
        return [*standard, *([""] if standard and others else []), *others]

    def sections(self, group: int) -> list[tuple[str, str]]:
        """The copied statements of a group as (source file, code) runs, each name defined before it is needed."""
        runs: list[tuple[str, list[str]]] = []
        for unit in self._ordered([u for u in self._units.values() if u.group == group]):
            where = self._shown(unit.module)
            text = self._text(unit)
            if runs and runs[-1][0] == where:
                runs[-1][1].append(text)
            else:
                runs.append((where, [text]))
        return [(where, "\n\n\n".join(texts)) for where, texts in runs]

    def _ordered(self, units: list[_Unit]) -> list[_Unit]:
        by_key = {u.key: u for u in units}
        waiting: dict[tuple[str, int], set[tuple[str, int]]] = {u.key: set() for u in units}
        for unit in units:
            for name, load_time in unit.refs:
                binding = self._binding_of(unit, name.id, unit.module.name)
                if not load_time or binding.external:
                    continue
                key = (binding.module, self.definition(binding).lineno)
                if key in by_key and key != unit.key:
                    waiting[unit.key].add(key)
        ready = [key for key, needs in waiting.items() if not needs]
        heapq.heapify(ready)
        done: list[_Unit] = []
        while ready:
            key = heapq.heappop(ready)
            done.append(by_key[key])
            for other, needs in waiting.items():
                if key in needs:
                    needs.discard(key)
                    if not needs:
                        heapq.heappush(ready, other)
        if len(done) != len(units):
            stuck = sorted(f"{m} line {line}" for m, line in set(by_key) - {u.key for u in done})
            raise CannotBundle(f"definitions that need each other as they are defined: {', '.join(stuck)}")
        return done

    def _text(self, unit: _Unit) -> str:
        if unit.frozen is not None:
            return self._frozen_text(unit)
        module = unit.module
        renames: dict[int, list[tuple[int, int, str, str]]] = {}
        for name, _load in unit.refs:
            new = self.names.get(self._binding_of(unit, name.id, module.name), name.id)
            if new != name.id:
                assert name.end_col_offset is not None
                renames.setdefault(name.lineno, []).append((name.col_offset, name.end_col_offset, name.id, new))
        for statement in unit.global_statements:
            for declared in statement.names:
                new = self.names.get(self._binding_of(unit, declared, module.name), declared)
                if new != declared:
                    renames.setdefault(statement.lineno, []).append((-1, -1, declared, new))
        skip: set[int] = set()
        for dropped in unit.dropped:
            assert isinstance(dropped, ast.expr | ast.stmt) and dropped.end_lineno is not None
            skip.update(range(dropped.lineno, dropped.end_lineno + 1))
        out: list[str] = []
        for index, (first, last) in enumerate(self._spans(unit)):
            if index and not module.lines[first - 2].strip():
                out.append("")  # the blank line that stood before a kept member of a pruned class
            for number in range(first, last + 1):
                if number in skip:
                    continue
                line = _renamed(module.lines[number - 1], renames.get(number, []), module.name, number)
                # A dropped import leaves no gap: no blank line right after a block's header or another one.
                if not line and number - 1 in skip and (not out or not out[-1] or out[-1].endswith(":")):
                    continue
                out.append(line)
        if unit.pruned and not [s for s in unit.kept_members() if not _is_docstring(s)]:
            assert isinstance(unit.node, ast.ClassDef)
            out.append(" " * (unit.node.col_offset + 4) + "pass")
        _refuse_emptied_blocks(unit, skip)
        return "\n".join(out)

    def _spans(self, unit: _Unit) -> list[tuple[int, int]]:
        node = unit.node
        if not unit.pruned:
            return [(_first_line(unit.module, node), _last_line(node))]
        assert isinstance(node, ast.ClassDef)
        body = node.body
        header_end = _last_line(body[0]) if _is_docstring(body[0]) else body[0].lineno - 1
        spans = [(_first_line(unit.module, node), header_end)]
        for statement in unit.kept_members():
            if not _is_docstring(statement):
                spans.append((_first_line(unit.module, statement), _last_line(statement)))
        return spans

    def _frozen_text(self, unit: _Unit) -> str:
        node = unit.node
        frozen = unit.frozen
        assert isinstance(node, ast.FunctionDef) and frozen is not None
        lines = unit.module.lines
        header = [lines[n - 1].decode("utf-8").rstrip() for n in range(node.lineno, node.body[0].lineno)]
        new = self.names.get(Binding(unit.module.name, node.name), node.name)
        header[0] = header[0].replace(f"def {node.name}(", f"def {new}(", 1)
        indent = " " * node.body[0].col_offset
        return "\n".join([*header, f"{indent}# {frozen.why}", f"{indent}return {frozen.returns}"])


# -- reading modules ---------------------------------------------------------------------------------


# Modules as read, by file and its state: a bundle only reads them, and parsing is most of what a bundle costs.
_PARSED: dict[tuple[str, Path, int, int], _Module] = {}


def _parsed(name: str, path: Path) -> _Module:
    state = path.stat()
    key = (name, path, state.st_mtime_ns, state.st_size)
    module = _PARSED.get(key)
    if module is None:
        text = path.read_text(encoding="utf-8")
        module = _Module(name, path, text.encode("utf-8").splitlines(), ast.parse(text, filename=str(path)))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for statement in module.tree.body:
            _read_top_level(module, statement, package, type_only=False)
        _PARSED[key] = module
    return module


def _read_top_level(module: _Module, statement: ast.stmt, package: str, type_only: bool) -> None:
    if isinstance(statement, ast.If) and _is_type_checking(statement.test):
        for inner in statement.body:
            _read_top_level(module, inner, package, type_only=True)
        return
    if isinstance(statement, ast.Import | ast.ImportFrom):
        target = _import_target(statement, module.name, package)
        if target == "__future__":
            return
        for alias in statement.names:
            if isinstance(statement, ast.Import):
                local = alias.asname or alias.name.split(".")[0]
                bound = alias.name if alias.asname else local
                entry = (bound, "", f"import {alias.name}" + (f" as {alias.asname}" if alias.asname else ""))
            else:
                local = alias.asname or alias.name
                entry = (target, alias.name, "")
            if type_only:
                module.type_only.add(local)
            else:
                module.imported[local] = entry
        return
    if not type_only:
        for name in _bound_by(statement):
            module.defined[name] = statement


def _import_target(statement: ast.Import | ast.ImportFrom, module: str, package: str | None = None) -> str:
    if isinstance(statement, ast.Import):
        return statement.names[0].name
    if not statement.level:
        return statement.module or ""
    parts = (package if package is not None else module.rpartition(".")[0]).split(".")
    parts = parts[: len(parts) - statement.level + 1]
    return ".".join([*parts, *([statement.module] if statement.module else [])])


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _bound_by(statement: ast.stmt) -> list[str]:
    """The names a top-level (or class-level) statement binds."""
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [statement.name]
    targets: list[ast.expr] = []
    if isinstance(statement, ast.Assign):
        targets = list(statement.targets)
    elif isinstance(statement, ast.AnnAssign | ast.AugAssign):
        targets = [statement.target]
    return [n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)]


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _is_dataclass(node: ast.ClassDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if (isinstance(target, ast.Name) and target.id == "dataclass") or (
            isinstance(target, ast.Attribute) and target.attr == "dataclass"
        ):
            return True
    return False


def _base_names(node: ast.stmt) -> list[str]:
    return [b.id for b in node.bases if isinstance(b, ast.Name)] if isinstance(node, ast.ClassDef) else []


def _imports_in_functions(statements: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    """The import statements inside the functions these statements define, each once."""
    found: dict[int, ast.Import | ast.ImportFrom] = {}
    for statement in statements:
        for function in ast.walk(statement):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                for node in ast.walk(function):
                    if isinstance(node, ast.Import | ast.ImportFrom):
                        found[id(node)] = node
    return sorted(found.values(), key=lambda node: (node.lineno, node.col_offset))


def _first_line(module: _Module, node: ast.stmt) -> int:
    """Where a statement's text begins: its first decorator, or the comment lines right above it."""
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    first = min([node.lineno, *[d.lineno for d in decorators]])
    while first > 1:
        above = module.lines[first - 2].strip()
        # A comment heading a section of the module ("# -- locks ---") is not this statement's.
        if not above.startswith(b"#") or above.startswith((b"# --", b"# ==")):
            break
        first -= 1
    return first


def _last_line(node: ast.stmt) -> int:
    assert node.end_lineno is not None
    return node.end_lineno


def _renamed(line: bytes, renames: list[tuple[int, int, str, str]], module: str, number: int) -> str:
    """The line with names rewritten (columns are UTF-8 byte offsets, as ``ast`` gives them)."""
    for column, end, old, new in sorted(renames, reverse=True):
        if column < 0:  # a ``global`` statement: the declared name, as a word
            head, _, rest = line.partition(b"global ")
            words = [new if word.strip() == old else word.strip() for word in rest.decode().split(",")]
            line = head + b"global " + ", ".join(words).encode()
            continue
        if line[column:end] != old.encode("utf-8"):
            raise CannotBundle(f"{module} line {number}: {old!r} is not where its syntax tree says (column {column})")
        line = line[:column] + new.encode("utf-8") + line[end:]
    return line.decode("utf-8").rstrip()


def _refuse_emptied_blocks(unit: _Unit, skip: set[int]) -> None:
    """A block whose only statements were dropped imports would be no block at all."""
    for node in ast.walk(unit.node):
        for attribute in ("body", "orelse", "finalbody"):
            block = getattr(node, attribute, None)
            if (
                isinstance(block, list)
                and block
                and isinstance(block[0], ast.stmt)
                and all(s.lineno in skip for s in block)
            ):
                raise CannotBundle(
                    f"{unit.module.name} line {block[0].lineno}: a block holding nothing but imports of the "
                    "project's modules"
                )


def _import_line(binding: Binding, name: str) -> str:
    if binding.loads and name == binding.loads.split()[-1].split(".")[0]:
        return binding.loads
    return f"import {binding.module}" + (f" as {name}" if name != binding.module else "")


def _name_node(node: ast.stmt) -> ast.Name:
    """A Name where a def or class statement writes its own name, so that renaming it renames the statement."""
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    keyword = {ast.ClassDef: "class ", ast.AsyncFunctionDef: "async def "}.get(type(node), "def ")
    column = node.col_offset + len(keyword)
    return ast.Name(
        id=node.name, ctx=ast.Store(), lineno=node.lineno, col_offset=column, end_col_offset=column + len(node.name)
    )


# -- which names stand for module-level ones ------------------------------------------------------------


@dataclass
class _Scope:
    kind: str  # "function" or "class"
    local: set[str]
    declared_global: set[str]


class _References(ast.NodeVisitor):
    """The Name nodes of a top-level statement that stand for module-level names, each with whether the statement
    uses it as it runs (decorators, defaults, bases, class bodies, values) or only when a function it defines is
    called. Annotations are never evaluated (``from __future__ import annotations``), except a dataclass's field
    annotations, by which it tells a field from a class variable (``ClassVar``)."""

    def __init__(self, lifted: set[str], keep_annotations: bool) -> None:
        self.lifted = lifted
        self.keep_annotations = keep_annotations
        self.scopes: list[_Scope] = []
        self.depth = 0  # functions entered
        self.found: list[tuple[ast.Name, bool]] = []
        self.global_statements: list[ast.Global] = []

    def visit_pruned_class(self, node: ast.ClassDef, kept: list[ast.stmt]) -> None:
        self.found.append((_name_node(node), True))
        for expression in [*node.decorator_list, *node.bases, *node.keywords]:
            self.visit(expression)
        self.scopes.append(_Scope("class", {n for s in node.body for n in _bound_by(s)}, set()))
        for statement in kept:
            self.visit(statement)
        self.scopes.pop()

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        arguments = node.args
        for default in [*arguments.defaults, *[d for d in arguments.kw_defaults if d is not None]]:
            self.visit(default)
        names = {a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}
        names |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
        body: list[ast.stmt] = node.body if isinstance(node.body, list) else [ast.Expr(node.body)]
        local, declared = _locals(body, self.lifted)
        self.scopes.append(_Scope("function", (names | local) - declared, declared))
        self.depth += 1
        for statement in body:
            self.visit(statement)
        self.depth -= 1
        self.scopes.pop()

    def _definition(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not self.scopes:
            self.found.append((_name_node(node), True))
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._function(node)

    visit_FunctionDef = visit_AsyncFunctionDef = _definition

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._function(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if not self.scopes:
            self.found.append((_name_node(node), True))
        for expression in [*node.decorator_list, *node.bases, *node.keywords]:
            self.visit(expression)
        local, declared = _locals(node.body, self.lifted)
        self.scopes.append(_Scope("class", local, declared))
        keep = self.keep_annotations
        self.keep_annotations = keep and len(self.scopes) == 1
        for statement in node.body:
            self.visit(statement)
        self.keep_annotations = keep
        self.scopes.pop()

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> None:
        generators = node.generators
        self.visit(generators[0].iter)  # evaluated in the enclosing scope
        targets = {n.id for g in generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        self.scopes.append(_Scope("function", targets, set()))
        for index, generator in enumerate(generators):
            self.visit(generator.target)
            if index:
                self.visit(generator.iter)
            for condition in generator.ifs:
                self.visit(condition)
        for part in ("elt", "key", "value"):
            if hasattr(node, part):
                self.visit(getattr(node, part))
        self.scopes.pop()

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _comprehension

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.target)
        if self.keep_annotations:
            self.visit(node.annotation)
        if node.value is not None:
            self.visit(node.value)

    def visit_Global(self, node: ast.Global) -> None:
        self.global_statements.append(node)

    def visit_Name(self, node: ast.Name) -> None:
        innermost = len(self.scopes) - 1
        for index in range(innermost, -1, -1):
            scope = self.scopes[index]
            if scope.kind == "class" and index != innermost:
                continue  # the functions in a class body do not see its names
            if node.id in scope.declared_global:
                break
            if node.id in scope.local:
                return
        self.found.append((node, self.depth == 0))


def _locals(body: list[ast.stmt], lifted: set[str]) -> tuple[set[str], set[str]]:
    """The names a scope's own statements bind (not those of the scopes inside it), and those it declares global."""
    local: set[str] = set()
    declared: set[str] = set()
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            local.add(node.name)
            stack.extend(node.decorator_list)
            if isinstance(node, ast.ClassDef):
                stack.extend([*node.bases, *node.keywords])
            else:
                stack.extend([*node.args.defaults, *[d for d in node.args.kw_defaults if d is not None]])
        elif isinstance(node, ast.Lambda | ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            continue
        elif isinstance(node, ast.Global | ast.Nonlocal):
            declared.update(node.names)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            local.update(n for n in (a.asname or a.name.split(".")[0] for a in node.names) if n not in lifted)
        else:
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
                local.add(node.id)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                local.add(node.name)
            stack.extend(ast.iter_child_nodes(node))
    return local, declared
