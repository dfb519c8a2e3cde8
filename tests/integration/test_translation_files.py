"""Every shipped translation has en.json's keys and placeholders, and en.json has strings.json's keys."""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import re
from typing import Any

import pytest

TRANSLATIONS = (
    Path(__file__).parents[2] / "custom_components" / "smartcar" / "translations"
)
STRINGS_FILE = TRANSLATIONS.parent / "strings.json"
EN_FILE = TRANSLATIONS / "en.json"
FILES: list[Path] = sorted(TRANSLATIONS.glob("*.json"))
PLACEHOLDER = re.compile(r"\{(\w+)\}")

type KeyPath = tuple[str, ...]


def _load(path: Path) -> dict[str, Any]:
    """Read a JSON object from a file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} is not a JSON object"
    return data


def _leaves(
    node: dict[str, Any], prefix: KeyPath = ()
) -> Iterator[tuple[KeyPath, Any]]:
    """Yield the key path and value of every non-object value in a tree."""
    for key, value in node.items():
        path = (*prefix, key)
        if isinstance(value, dict):
            yield from _leaves(value, path)
        else:
            yield path, value


def _strings(path: Path) -> dict[KeyPath, str]:
    """Return every string of a translation file by its key path."""
    result: dict[KeyPath, str] = {}
    for key_path, value in _leaves(_load(path)):
        assert isinstance(value, str), (
            f"{path.name}: {'::'.join(key_path)} is not a string"
        )
        result[key_path] = value
    return result


def _placeholders(text: str) -> set[str]:
    """Return the names of the `{placeholder}`s in a text."""
    return set(PLACEHOLDER.findall(text))


def _show(paths: set[KeyPath]) -> list[str]:
    """Render key paths for an assertion message."""
    return sorted("::".join(path) for path in paths)


def test_en_json_has_the_keys_of_strings_json() -> None:
    """Check that en.json has exactly the key paths of strings.json."""
    strings = set(_strings(STRINGS_FILE))
    english = set(_strings(EN_FILE))
    assert not strings - english, f"missing in en.json: {_show(strings - english)}"
    assert not english - strings, f"not in strings.json: {_show(english - strings)}"


def test_all_languages_found() -> None:
    """Check that the translation directory holds en.json and the other languages."""
    assert EN_FILE in FILES
    assert len(FILES) > 1


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_keys_match_english(path: Path) -> None:
    """Check that a translation has exactly the key paths of en.json."""
    english = set(_strings(EN_FILE))
    translated = set(_strings(path))
    assert not english - translated, f"{path.name} lacks: {_show(english - translated)}"
    assert not translated - english, (
        f"{path.name} has extra keys: {_show(translated - english)}"
    )


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_placeholders_match_english(path: Path) -> None:
    """Check that each string has the same placeholder names as its English text."""
    english = _strings(EN_FILE)
    wrong = {
        "::".join(key_path): (
            sorted(_placeholders(text)),
            sorted(_placeholders(english[key_path])),
        )
        for key_path, text in _strings(path).items()
        if key_path in english
        and _placeholders(text) != _placeholders(english[key_path])
    }
    assert not wrong, f"{path.name}: placeholders (found, expected): {wrong}"


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_no_empty_strings(path: Path) -> None:
    """Check that no string of a translation is empty."""
    empty = {key_path for key_path, text in _strings(path).items() if not text.strip()}
    assert not empty, f"{path.name} has empty strings: {_show(empty)}"


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_no_unresolved_references(path: Path) -> None:
    """Check that a translation contains no unresolved `[%key:...%]` reference."""
    assert "[%key:" not in path.read_text(encoding="utf-8"), (
        f"{path.name} contains an unresolved [%key:...%] reference"
    )
