"""Checks that a file is a marimo notebook as marimo writes one, and runs its cells in order.

A marimo notebook (``notebooks/*.py``) is a Python module: ``import marimo``, a module-level
``app = marimo.App(...)``, one function per cell decorated ``@app.cell``, and the footer
``if __name__ == "__main__": app.run()``. A cell's parameters are the names it uses from other
cells and its ``return`` lists the names it defines, so the file states the cells' dataflow
graph. :func:`check_source` reads that graph with ``ast`` and ``symtable`` (no code runs) and
refuses what marimo would refuse or what marimo would not have written:

- anything at the top level besides ``import marimo``, ``__generated_with``, the app, cells and the footer;
- a cell that takes a name no cell defines, or takes a name it never uses;
- a cell that uses another cell's name without taking it as a parameter, or a name defined
  nowhere (builtins aside);
- a cell whose ``return`` is not its last statement or not a tuple of exactly the public names
  it defines (``_name`` ones are private to the cell and may repeat across cells);
- a public name defined by two cells, or assigned by a cell that takes it from another;
- a cycle among the cells.

It also lists the DuckLake calls the cells make (:class:`PackageCall`): attribute chains from the
names imported from ``ducklake`` and methods of the clients made with ``ducklake.Client()``, so
a test can see each one run. :func:`run_notebook` imports the notebook with a stand-in for
marimo (see marimo_standin.py) and runs its cells in the graph's order.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import importlib.util
import symtable
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import marimo_standin

PACKAGE = "ducklake"


class NotebookError(Exception):
    """The file is not a valid marimo notebook; ``problems`` says every way it is not."""

    def __init__(self, path: str, problems: list[str]):
        super().__init__(f"{path} is not a valid marimo notebook:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass
class Cell:
    line: int
    parameters: tuple[str, ...]
    returns: tuple[str, ...]


@dataclass(frozen=True)
class PackageCall:
    """A call into DuckLake: ``ducklake.quality.check_table`` (``on_client`` False), or a method
    of a ``ducklake.Client`` such as ``lineage.edges`` (``on_client`` True)."""

    path: tuple[str, ...]
    on_client: bool

    def __str__(self) -> str:
        return ("client." if self.on_client else "") + ".".join(self.path)


@dataclass
class Notebook:
    path: str
    cells: list[Cell]
    order: list[Cell]  # the cells in an order that runs each after those it takes names from
    calls: set[PackageCall] = field(default_factory=set)


# --- the static check ------------------------------------------------------------------------------------------


def _is_app_cell(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return (isinstance(target, ast.Attribute) and target.attr == "cell" and isinstance(target.value, ast.Name)
            and target.value.id == "app")


def _is_app_definition(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "app" and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute) and node.value.func.attr == "App"
            and isinstance(node.value.func.value, ast.Name) and node.value.func.value.id == "marimo")


def _is_footer(node: ast.stmt) -> bool:
    expected = 'if __name__ == "__main__":\n    app.run()'
    return isinstance(node, ast.If) and ast.unparse(node) in (expected, expected.replace('"', "'"))


def _own_returns(function: ast.FunctionDef) -> list[ast.Return]:
    """The function's return statements, not those of functions nested in it."""
    found, pending = [], list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Return):
            found.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            pending.extend(ast.iter_child_nodes(node))
    return found


def _global_uses(table: symtable.SymbolTable) -> set[str]:
    """Names the scope and the scopes nested in it read from outside the cell."""
    names = {s.get_name() for s in table.get_symbols() if s.is_global() and s.is_referenced()}
    for child in table.get_children():
        names |= _global_uses(child)
    return names


def _all_loads(function: ast.FunctionDef) -> set[str]:
    return {n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _check_cell(function: ast.FunctionDef, table: symtable.Function, problems: list[str]) -> tuple[Cell, set[str]]:
    """The cell, and every name it binds at its own level (public or private)."""
    where = f"the cell at line {function.lineno}"
    args = function.args
    if args.posonlyargs or args.kwonlyargs or args.vararg or args.kwarg or args.defaults:
        problems.append(f"{where}: its parameters must be plain names")
    parameters = tuple(a.arg for a in args.args)
    loads = _all_loads(function)
    for name in parameters:
        if name not in loads:
            problems.append(f"{where}: takes {name} but never uses it")

    bound = [s for s in table.get_symbols() if s.is_assigned() or s.is_imported() or s.is_namespace()]
    for symbol in bound:
        if symbol.is_parameter():
            problems.append(f"{where}: assigns {symbol.get_name()}, which it takes from another cell")
    defines = {s.get_name() for s in bound if s.is_local() and not s.is_parameter()}
    public = {name for name in defines if not name.startswith("_")}

    returns: tuple[str, ...] = ()
    last = function.body[-1]
    if not isinstance(last, ast.Return) or len(_own_returns(function)) != 1:
        problems.append(f"{where}: must end with its one return statement")
    elif last.value is not None:
        if not isinstance(last.value, ast.Tuple) or not all(isinstance(i, ast.Name) for i in last.value.elts):
            problems.append(f"{where}: must return a tuple of names, not {ast.unparse(last.value)}")
        else:
            returns = tuple(item.id for item in last.value.elts)
    if len(set(returns)) != len(returns):
        problems.append(f"{where}: returns a name twice")
    if set(returns) != public:
        problems.append(f"{where}: returns {sorted(returns)} but defines {sorted(public)}")
    for name in sorted(_global_uses(table) - set(dir(builtins))):
        problems.append(f"{where}: uses {name} without taking it as a parameter or defining it")
    return Cell(function.lineno, parameters, returns), defines


def _topological_order(cells: list[Cell], problems: list[str]) -> list[Cell]:
    definer = {name: cell for cell in cells for name in cell.returns}
    waiting = {id(cell): {id(definer[p]) for p in cell.parameters if p in definer} for cell in cells}
    order: list[Cell] = []
    while True:
        ready = [cell for cell in cells if id(cell) in waiting and not waiting[id(cell)]]
        if not ready:
            break
        for cell in ready:
            order.append(cell)
            del waiting[id(cell)]
            for needs in waiting.values():
                needs.discard(id(cell))
    if waiting:
        lines = ", ".join(str(cell.line) for cell in cells if id(cell) in waiting)
        problems.append(f"the cells at lines {lines} form a cycle, or depend on one")
    return order


def _package_calls(module: ast.Module) -> set[PackageCall]:
    """The DuckLake calls of the notebook (see the module's docstring)."""
    imported: dict[str, tuple[str, ...]] = {}  # local name -> the ducklake path it stands for
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    imported[alias.asname or PACKAGE] = tuple(alias.name.split(".")) if alias.asname else (PACKAGE,)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == PACKAGE:
            for alias in node.names:
                imported[alias.asname or alias.name] = (*node.module.split("."), alias.name)

    def chain(node: ast.expr) -> tuple[str, ...] | None:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.insert(0, node.attr)
            node = node.value
        return (node.id, *parts) if isinstance(node, ast.Name) else None

    clients = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            called = chain(node.value.func)
            if called and called[0] in imported and (*imported[called[0]], *called[1:]) == (PACKAGE, "Client"):
                clients |= {t.id for t in node.targets if isinstance(t, ast.Name)}

    calls = set()
    for node in ast.walk(module):
        called = chain(node.func) if isinstance(node, ast.Call) else None
        if not called:
            continue
        if called[0] in imported:
            calls.add(PackageCall((*imported[called[0]], *called[1:]), on_client=False))
        elif called[0] in clients and len(called) > 1:
            calls.add(PackageCall(called[1:], on_client=True))
    return calls


def check_source(source: str, path: str) -> Notebook:
    """Checks the text of a notebook; raises :class:`NotebookError` listing every problem."""
    try:
        module = ast.parse(source, path)
        module_table = symtable.symtable(source, path, "exec")
    except SyntaxError as error:
        raise NotebookError(path, [f"line {error.lineno}: {error.msg}"]) from None
    problems: list[str] = []
    scopes = {(t.get_name(), t.get_lineno()): t for t in module_table.get_children()}
    cells: list[Cell] = []
    defined_by: dict[str, int] = {}
    seen = {"import": False, "generated": False, "app": False, "footer": False}
    first_cell = None
    for index, node in enumerate(module.body):
        if index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the module's docstring
        if isinstance(node, ast.Import) and [a.name for a in node.names] == ["marimo"]:
            seen["import"] = True
        elif (isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == ["__generated_with"]
              and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            seen["generated"] = True
        elif _is_app_definition(node):
            seen["app"] = True
            if not seen["import"]:
                problems.append(f"line {node.lineno}: app = marimo.App(...) comes before import marimo")
            if first_cell is not None:
                problems.append(f"line {first_cell}: a cell comes before app = marimo.App(...)")
        elif isinstance(node, ast.FunctionDef) and [_is_app_cell(d) for d in node.decorator_list] == [True]:
            first_cell = node.lineno if first_cell is None else first_cell
            cell, defines = _check_cell(node, scopes[node.name, node.lineno], problems)
            cells.append(cell)
            for name in sorted(n for n in defines if not n.startswith("_")):
                if name in defined_by:
                    problems.append(f"{name} is defined by the cells at lines {defined_by[name]} and {cell.line}")
                defined_by.setdefault(name, cell.line)
        elif _is_footer(node) and index == len(module.body) - 1:
            seen["footer"] = True
        else:
            problems.append(f"line {node.lineno}: not part of a marimo notebook "
                            "(only cells decorated @app.cell, the app and the footer belong at the top level)")
    for what, statement in (("import", "import marimo"), ("generated", "__generated_with = \"…\""),
                            ("app", "app = marimo.App(...)"),
                            ("footer", 'if __name__ == "__main__": app.run() at the end')):
        if not seen[what]:
            problems.append(f"no {statement}")
    if not cells:
        problems.append("no cells")
    public = {name for cell in cells for name in cell.returns}
    for cell in cells:
        for name in cell.parameters:
            if name not in public:
                problems.append(f"the cell at line {cell.line}: takes {name}, which no cell defines")
    order = _topological_order(cells, problems)
    if problems:
        raise NotebookError(path, problems)
    return Notebook(path, cells, order, _package_calls(module))


def check_notebook(path: Path) -> Notebook:
    return check_source(path.read_text(encoding="utf-8"), str(path.resolve()))


# --- running it ------------------------------------------------------------------------------------------------


@dataclass
class Run:
    values: dict[str, Any]  # every name the cells defined
    stopped: list[tuple[Cell, Any]]  # cells mo.stop stopped, with what they show instead
    skipped: list[Cell]  # cells left out because one they depend on stopped


def run_notebook(notebook: Notebook) -> Run:
    """Imports the notebook with ``marimo`` standing for marimo_standin (the caller puts it in
    ``sys.modules``) and runs its cells in :attr:`Notebook.order`, each with the names it takes.
    A cell that raises fails the run (the error names the cell); one that calls ``mo.stop``
    leaves out the cells that depend on it."""
    assert sys.modules.get("marimo") is marimo_standin, "put marimo_standin in sys.modules['marimo'] first"
    spec = importlib.util.spec_from_file_location(f"notebook_{Path(notebook.path).stem}", notebook.path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    functions = dict(zip((cell.line for cell in notebook.cells), module.app.cells))
    assert len(module.app.cells) == len(notebook.cells)
    run = Run({}, [], [])
    blocked: set[str] = set()
    for cell in notebook.order:
        if blocked & set(cell.parameters):
            run.skipped.append(cell)
            blocked |= set(cell.returns)
            continue
        try:
            answer = functions[cell.line](*(run.values[name] for name in cell.parameters))
        except marimo_standin.Stopped as stop:
            run.stopped.append((cell, stop.output))
            blocked |= set(cell.returns)
            continue
        except Exception as error:
            error.add_note(f"in the cell at {notebook.path}:{cell.line}")
            raise
        if cell.returns:
            run.values.update(zip(cell.returns, answer))
    return run


def record_package_calls(notebook: Notebook, client: Any,
                         patch: Callable[[object, str, object], None]) -> dict[str, int]:
    """Wraps each DuckLake function or method the notebook calls so that its calls from the
    notebook's own code are counted; answers the counts by :class:`PackageCall` name (all 0
    now). ``client`` is any ``ducklake.Client`` (to find the classes of its attributes), and
    ``patch(owner, name, value)`` sets an attribute until the test ends (``monkeypatch.setattr``)."""
    counts: dict[str, int] = {}
    for call in sorted(notebook.calls, key=str):
        owner: Any = client if call.on_client else importlib.import_module(call.path[0])
        names = call.path if call.on_client else call.path[1:]
        for name in names[:-1]:
            if isinstance(owner, types.ModuleType) and not hasattr(owner, name):
                importlib.import_module(f"{owner.__name__}.{name}")
            owner = getattr(owner, name)
        if not isinstance(owner, (types.ModuleType, type)):
            owner = type(owner)  # an instance's method is patched on its class
        original = getattr(owner, names[-1])
        counts[str(call)] = 0
        patch(owner, names[-1], _counting(original, str(call), counts, notebook.path))
    return counts


def _counting(original: Callable, key: str, counts: dict[str, int], path: str) -> Callable:
    def counted(*args: Any, **kwargs: Any) -> Any:
        if sys._getframe(1).f_code.co_filename == path:
            counts[key] += 1
        return original(*args, **kwargs)
    return counted
