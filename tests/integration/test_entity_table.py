"""The README's entity table is the one the descriptions make, and names every signal."""

from __future__ import annotations

import pytest

from custom_components.smartcar.api import signals
from scripts.entity_table import END, README, START, build, updated


def test_readme_table_is_current() -> None:
    """README.md holds what scripts/entity_table.py writes (run it after changing entities)."""
    text = README.read_text()
    assert updated(text) == text


def test_every_signal_has_a_row() -> None:
    """Each of the catalogue's signals opens a row, once."""
    table = build()
    for spec in signals.CATALOGUE.values():
        assert table.count(f"| `{spec.group}.{spec.name}` |") == 1, spec.code


def test_markers_are_required() -> None:
    """Without its markers the README is not rewritten."""
    with pytest.raises(ValueError, match="markers"):
        updated("# README without a table\n")
    assert updated(f"a\n{START}\nold\n{END}\nb\n") == f"a\n{build()}\nb\n"
