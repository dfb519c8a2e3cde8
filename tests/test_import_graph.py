"""The simulator and the integration import in layers: no module imports a module that imports it back.

Imports are read with `ast` (also the ones under `if TYPE_CHECKING:` and inside functions:
a cycle there is still a design cycle), turned into a graph of the package's own modules,
and the strongly connected components of that graph must all be single modules.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def module_name(path: Path) -> str:
    """Dotted name of the module at `path` (relative to the repository root)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(path: Path, module: str, modules: Collection[str]) -> Iterator[str]:
    """Yield the package modules the import statements in the file at `path` name.

    `from . import x` names the submodule x when there is one, else the package.
    """
    package = (
        module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    )
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                yield submodule if submodule in modules else target


def import_graph(package: str) -> dict[str, set[str]]:
    """Return the package's modules and, for each, the package modules it imports."""
    files = {module_name(path): path for path in (ROOT / package).rglob("*.py")}
    return {
        module: {
            name
            for name in imported_names(path, module, files)
            if name in files and name != module
        }
        for module, path in files.items()
    }


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    """The check can fail: a three-module ring and a pair are reported, a chain is not."""
    graph = {
        "a": {"b"},
        "b": {"c"},
        "c": {"a"},
        "d": {"e"},
        "e": {"d", "a"},
        "f": {"a"},
    }
    assert sorted(cycles(graph)) == [["a", "b", "c"], ["d", "e"]]


def test_imports_resolve() -> None:
    """`from . import x` names the submodule, `from .x import y` the module x."""
    graph = import_graph("custom_components/smartcar")
    client = graph["custom_components.smartcar.api.client"]
    assert "custom_components.smartcar.api.contract" in client
    assert "custom_components.smartcar.api" not in client
    assert (
        "custom_components.smartcar.api.client"
        in graph["custom_components.smartcar.api"]
    )


@pytest.mark.parametrize(
    "package", ["smartcar_simulator", "custom_components/smartcar"]
)
def test_no_import_cycle(package: str) -> None:
    """No module of the package imports, directly or not, a module that imports it."""
    graph = import_graph(package)
    assert len(graph) > 10
    assert cycles(graph) == []
