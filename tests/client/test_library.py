"""The client is a library of its own: it imports only the standard library and aiohttp."""

from __future__ import annotations

import ast
from pathlib import Path
import sys

from custom_components.smartcar import api

API = Path(api.__file__).parent
# What a published `smartcar-v3` package would depend on (aiohttp brings yarl and multidict).
# orjson parses webhook deliveries (strict JSON, several times faster); Home Assistant ships it.
ALLOWED_THIRD_PARTY = {"aiohttp", "yarl", "multidict", "orjson"}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Return (relative level, module) for every import of a module."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((0, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.level, node.module or ""))
    return found


def test_client_imports_nothing_of_home_assistant_or_the_integration() -> None:
    """Absolute imports are stdlib or aiohttp; relative ones never leave api/."""
    offenders: list[str] = []
    for path in sorted(API.rglob("*.py")):
        depth = len(path.relative_to(API).parts) - 1  # 0 for api/x.py
        for level, module in _imports(path):
            top = module.split(".")[0]
            if level == 0 and not (
                top in sys.stdlib_module_names
                or top in ALLOWED_THIRD_PARTY
                or top == "__future__"
            ):
                offenders.append(f"{path.name}: import {module}")
            if level > depth + 1:
                offenders.append(f"{path.name}: from {'.' * level}{module}")
    assert not offenders
    assert len(list(API.rglob("*.py"))) > 10


def test_client_has_a_version() -> None:
    """The library carries its own version, independent of the integration's."""
    major, minor, patch = (int(part) for part in api.__version__.split("."))
    assert (major, minor, patch) >= (0, 1, 0)
