"""Write translations/en.json from strings.json, resolving Home Assistant's `[%key:...%]` references.

Home Assistant's own build does this for core integrations; a custom integration ships the result.
Run: .venv/bin/python scripts/translations.py [--check]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
import re
import sys
from typing import Any

import homeassistant

ROOT = Path(__file__).resolve().parent.parent
COMPONENT = ROOT / "custom_components" / "smartcar"
REFERENCE = re.compile(r"\[%key:([^%]+)%\]")


def _lookup(tree: dict[str, Any], path: str) -> str:
    node: Any = tree
    for part in path.split("::"):
        node = node[part]
    if not isinstance(node, str):
        raise TypeError(f"{path} is not a string")
    return node


def resolve(value: Any, common: dict[str, Any], own: dict[str, Any]) -> Any:
    """Replace every reference in `value` by the text it names (ours, or Home Assistant's)."""
    if isinstance(value, dict):
        return {key: resolve(item, common, own) for key, item in value.items()}
    if isinstance(value, str):

        def substitute(match: re.Match[str]) -> str:
            path = match[1]
            if path.startswith("component::smartcar::"):
                return str(
                    resolve(
                        _lookup(own, path.removeprefix("component::smartcar::")),
                        common,
                        own,
                    )
                )
            return str(resolve(_lookup(common, path), common, own))

        return REFERENCE.sub(substitute, value)
    return value


def build() -> str:
    """Return the text of translations/en.json."""
    common = json.loads(
        (Path(homeassistant.__file__).parent / "strings.json").read_text()
    )
    own = json.loads((COMPONENT / "strings.json").read_text())
    return json.dumps(resolve(own, common, own), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    """Write en.json, or with --check report whether it is out of date."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="fail if en.json is out of date"
    )
    args = parser.parse_args()
    target = COMPONENT / "translations" / "en.json"
    text = build()
    if args.check:
        if target.read_text() != text:
            print("translations/en.json is out of date: run scripts/translations.py")
            return 1
        return 0
    target.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
