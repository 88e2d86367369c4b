"""The import graph of desktop/guidecheck, computed from the source with `ast`: no circles, no Qt in the core.

Every `import` counts, wherever it sits: at module level, inside a function (the lazy imports of
heavy libraries) or under `if TYPE_CHECKING:`. A circle means two modules cannot be understood or
tested one without the other; Qt outside `gui/` would break the promise that the core (and the
`guidecheck` command line) runs without a display.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "desktop" / "guidecheck"


def _modules() -> dict[str, tuple[Path, str]]:
    """Dotted module name -> (file, the package its relative imports start from)."""
    found: dict[str, tuple[Path, str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
            found[".".join(parts)] = (path, ".".join(parts))
        else:
            found[".".join(parts)] = (path, ".".join(parts[:-1]))
    return found


MODULES = _modules()


def _ours(name: str) -> str | None:
    """The module of ours that importing `name` runs (a name inside a module maps to the module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(path: Path, package: str) -> list[tuple[str, int]]:
    """Every absolute name the file imports, with its line, including `importlib.import_module` of a
    literal name. A submodule's parent package is not counted as an edge of its own."""
    names: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            # `from package import module` imports the module; `from module import name` the module.
            names += [
                (f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base, node.lineno)
                for alias in node.names
            ]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
        ):  # importlib.import_module("guidecheck.x") or f"guidecheck.cli.{name}": an edge too
            arg = node.args[0]
            if isinstance(arg, ast.JoinedStr) and arg.values:
                arg = arg.values[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                names.append((arg.value.rstrip("."), node.lineno))
    return names


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, (path, package) in MODULES.items():
        edges = {_ours(imported) for imported, _line in _imports(path, package)}
        graph[name] = {e for e in edges if e and e != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_graph_sees_the_package_and_its_lazy_imports():
    graph = import_graph()
    assert len(graph) > 90
    assert "guidecheck.storage.store" in graph["guidecheck.cli.common"] or any(
        "guidecheck.storage" in edge for edge in graph["guidecheck.cli.common"]
    )
    # reports/__init__ imports the PDF writer inside a function only: the edge still counts.
    assert "guidecheck.reports.pdf" in graph["guidecheck.reports"]


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles():
    assert circles(import_graph()) == []


def test_qt_is_imported_only_under_gui():
    offenders = []
    for name, (path, package) in MODULES.items():
        if name == "guidecheck.gui" or name.startswith("guidecheck.gui."):
            continue
        for imported, line in _imports(path, package):
            if imported.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}:
                offenders.append(f"{path.relative_to(PACKAGE)}:{line} imports {imported}")
    assert offenders == []


def test_the_core_never_imports_the_gui():
    offenders = [
        f"{name} -> {edge}"
        for name, edges in import_graph().items()
        if not name.startswith("guidecheck.gui")
        for edge in edges
        if edge == "guidecheck.gui" or edge.startswith("guidecheck.gui.")
    ]
    assert offenders == []


def test_migrations_carry_their_own_sql():
    """A shipped step must not change when live code changes: migrations import none of our modules."""
    assert import_graph()["guidecheck.storage.migrations"] == set()


# The stack of docs/architecture.md, top first; a module imports only from its row or rows below.
LAYERS = (
    ("gui",),
    ("cli", "selftest"),
    ("interop",),
    ("district",),
    ("reports", "bundles"),
    ("storage",),
    ("checklist",),
    ("atomic", "canonical", "limits", "fileops", "errors", "i18n", "paths", "logs", "safetext", ""),
)


def _layer(module: str) -> int:
    part = module.split(".")[1] if "." in module else ""
    return next(n for n, row in enumerate(LAYERS) if part in row)


def test_imports_go_down_the_stack_only():
    upward = [
        f"{name} -> {edge}"
        for name, edges in import_graph().items()
        for edge in edges
        if _layer(edge) < _layer(name)
    ]
    assert upward == []
