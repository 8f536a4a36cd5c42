"""The shape of the house (STYLE.md): only the solver subpackage imports OR-Tools, and the
checker shares no code with the CP-SAT encoding or the solver-ready problem.

The source is read with `ast`, so imports inside functions count too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "planner"
SOURCES = sorted(PACKAGE_DIR.rglob("*.py"))


def module_name(path: Path, root: Path = PACKAGE_DIR) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path = PACKAGE_DIR) -> set[str]:
    """Every module a file imports (absolute names; relative imports resolved), including
    `from package import submodule` as `package.submodule` and dynamic
    `importlib.import_module("...")` calls with a literal name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", ""))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def is_under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


# The layers, bottom up, and what each may import from the package. Data flows one way:
# scenario file -> domain -> solver -> plan -> report / cli; the checker stands apart from
# the solver, so that one bug cannot hide in both.
BASE = "base"
BASE_MODULES = {"planner", "planner.errors", "planner.vocabulary", "planner.rules"}
LAYER_MATRIX: dict[str, set[str]] = {
    BASE: {BASE},
    "planner.domain": {BASE, "planner.domain"},
    "planner.io": {BASE, "planner.domain", "planner.io"},
    "planner.check": {BASE, "planner.domain", "planner.io", "planner.check"},
    "planner.solver": {BASE, "planner.domain", "planner.io", "planner.solver"},
    "planner.pipeline": {
        BASE, "planner.domain", "planner.io", "planner.check", "planner.solver",
        "planner.pipeline",
    },
    "planner.report": {BASE, "planner.domain", "planner.io", "planner.pipeline", "planner.report"},
    "planner.batch": {
        BASE, "planner.domain", "planner.io", "planner.pipeline", "planner.report",
        "planner.batch",
    },
    "planner.cli": {
        BASE, "planner.domain", "planner.io", "planner.check", "planner.pipeline",
        "planner.report", "planner.batch", "planner.cli",
    },
}  # fmt: skip


def layer_of(module: str) -> str | None:
    """The layer of a module of the package, None for modules outside it."""
    if not is_under(module, "planner"):
        return None
    for layer in LAYER_MATRIX:
        if layer != BASE and is_under(module, layer):
            return layer
    return BASE


def test_the_package_sources_are_found() -> None:
    names = {module_name(path) for path in SOURCES}
    assert {"planner.check.checker", "planner.solver", "planner.solver.model"} <= names


def test_every_module_belongs_to_a_declared_layer() -> None:
    # A new subpackage or top-level module must be placed in the matrix first.
    for path in SOURCES:
        name = module_name(path)
        layer = layer_of(name)
        if layer == BASE:
            assert name in BASE_MODULES, f"{name} is in no layer of the matrix"


@pytest.mark.parametrize("path", SOURCES, ids=module_name)
def test_imports_follow_the_layer_matrix(path: Path) -> None:
    layer = layer_of(module_name(path))
    assert layer is not None
    allowed = LAYER_MATRIX[layer]
    upward = sorted(
        module
        for module in imported_modules(path)
        if (target := layer_of(module)) is not None and target not in allowed
    )
    assert not upward, f"{module_name(path)} ({layer}) imports {upward}"


def test_the_matrix_catches_an_upward_import(tmp_path: Path) -> None:
    # The check itself can fail: a domain module that imports the solver is caught.
    fake = tmp_path / "planner" / "domain" / "leak.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from planner.solver.problem import Problem\n", encoding="utf-8")
    imported = imported_modules(fake, root=tmp_path / "planner")
    assert "planner.solver.problem" in imported
    assert layer_of("planner.solver.problem") not in LAYER_MATRIX["planner.domain"]


@pytest.mark.parametrize("path", SOURCES, ids=module_name)
def test_only_the_solver_subpackage_imports_ortools(path: Path) -> None:
    # Solver status codes and variables never leave planner/solver/: every other module
    # works with the project's own SolveStatus, Solution and Plan.
    if is_under(module_name(path), "planner.solver"):
        return
    offending = sorted(m for m in imported_modules(path) if is_under(m, "ortools"))
    assert not offending, f"{module_name(path)} imports {offending}"


def test_the_checker_imports_nothing_from_the_solver_or_the_problem() -> None:
    # The checker re-derives every rule in plain Python; sharing the CP-SAT encoding or the
    # solver-ready Problem would let one bug hide in both. Follow the checker's imports
    # inside the package transitively, so a helper module cannot smuggle them in.
    by_name = {module_name(path): path for path in SOURCES}
    seen: set[str] = set()
    queue = ["planner.check.checker"]
    while queue:
        current = queue.pop()
        if current in seen:
            continue
        seen.add(current)
        for imported in imported_modules(by_name[current]):
            if imported in by_name:
                queue.append(imported)
    direct = imported_modules(by_name["planner.check.checker"])
    for forbidden in ("planner.solver", "planner.solver.problem"):
        assert not any(is_under(m, forbidden) for m in direct), direct
        assert not any(is_under(m, forbidden) for m in seen), sorted(seen)
    assert not any(is_under(m, "ortools") for name in seen for m in imported_modules(by_name[name]))


def test_the_progress_display_does_not_load_ortools() -> None:
    # The live progress only draws numbers the solver hands it.
    code = (
        "import sys, planner.report.progress; "
        "print(sorted(m for m in sys.modules if m == 'ortools' or m.startswith('ortools.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=PACKAGE_DIR.parent,
    )  # fmt: skip
    assert result.stdout.strip() == "[]", result.stdout


def test_importing_the_checker_does_not_load_ortools() -> None:
    # The same property at run time, in a fresh interpreter: loading the checker (and the
    # plan it reads) must not pull OR-Tools in through any import path.
    code = (
        "import sys, planner.check.checker, planner.domain.plan; "
        "print(sorted(m for m in sys.modules if m == 'ortools' or m.startswith('ortools.')"
        " or m.startswith('planner.solver') or m == 'planner.solver.problem'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE_DIR.parent,
    )
    assert result.stdout.strip() == "[]", result.stdout


def import_graph(sources: list[Path], root: Path = PACKAGE_DIR) -> dict[str, set[str]]:
    """Each module of the package -> the package's modules it imports."""
    names = {module_name(path, root) for path in sources}
    return {
        module_name(path, root): {
            module for module in imported_modules(path, root) if module in names
        }
        - {module_name(path, root)}
        for path in sources
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while (member := stack.pop()) != node:
                component.append(member)
            if component:
                found.append(sorted([node, *component]))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_has_no_import_cycle() -> None:
    # Every module can be read (and changed) after the modules it imports; an import
    # inside a function hides a cycle, it does not remove it.
    graph = import_graph(SOURCES)
    assert graph["planner.pipeline.solve"]  # the graph was read
    assert cycles(graph) == []


def test_a_cycle_is_found(tmp_path: Path) -> None:
    # The test can fail: two modules that import each other, one of them lazily.
    package = tmp_path / "planner"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("from planner.b import thing\n", encoding="utf-8")
    (package / "b.py").write_text(
        "def thing():\n    from planner import a\n    return a\n", encoding="utf-8"
    )
    (package / "c.py").write_text("from . import a\n", encoding="utf-8")
    graph = import_graph(sorted(package.rglob("*.py")), root=package)
    assert cycles(graph) == [["planner.a", "planner.b"]]
