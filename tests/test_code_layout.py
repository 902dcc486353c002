"""The layout of the code as STYLE.md sets it, read from the source (no
module is run): `tracker/` never imports Streamlit, `ui/` or `loaders/`;
the project's modules import each other without a cycle, counting the
imports inside functions; no test module imports another; and no module
grows past 600 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.serving import REPO_ROOT

PACKAGES = ("tracker", "loaders", "ui", "pages", "benchmarks", "tests", "scripts")
MAX_LINES = 600


def modules(root: Path = REPO_ROOT) -> dict[str, Path]:
    """Every Python module of the project by its dotted name."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[0] in PACKAGES or len(parts) == 1:
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = modules()


def imported(name: str, path: Path) -> set[str]:
    """The dotted names a module imports, anywhere in it (a function's own
    imports too): `from package import submodule` imports the submodule."""
    names = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            submodules = {f"{base}.{alias.name}" for alias in node.names} & MODULES.keys()
            names.update(submodules)
            if len(submodules) < len(node.names):
                names.add(base)
    return names


GRAPH = {name: imported(name, path) for name, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other in a circle (Tarjan's
    strongly connected components of more than one module, or a module
    importing itself)."""
    edges = {name: sorted(n for n in targets if n in graph) for name, targets in graph.items()}
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(start: str) -> None:
        # Iterative, so that a long chain of imports cannot exhaust the stack.
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in edges[node]:
                    found.append(sorted(group))

    for name in edges:
        if name not in index:
            visit(name)
    return found


def test_the_modules_are_found():
    assert {"tracker.store", "loaders.upload.prepare", "ui.views_io", "tests.conftest", "app"} <= MODULES.keys()
    assert "loaders.upload.xlsx_xml" in GRAPH["loaders.upload.xlsx"]  # `from loaders.upload import xlsx_xml`


def test_cycles_are_found_when_there_are_some():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"a"}, "b": set()}) == [["a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    assert cycles(GRAPH) == []


@pytest.mark.parametrize("forbidden", ["streamlit", "ui", "loaders"])
def test_tracker_never_imports_the_app_or_the_loaders(forbidden):
    offenders = {name: sorted(n for n in targets if n == forbidden or n.startswith(f"{forbidden}."))
                 for name, targets in GRAPH.items() if name.split(".")[0] == "tracker"}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_no_test_module_imports_another():
    tests = {name for name in MODULES if name.startswith("tests.test_")}
    assert {name: sorted(GRAPH[name] & tests) for name in tests if GRAPH[name] & tests} == {}


def test_no_module_is_longer_than_600_lines():
    lengths = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    assert {name: n for name, n in lengths.items() if n > MAX_LINES} == {}
