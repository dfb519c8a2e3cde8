"""Doors, windows and the central lock (2x2 grids: row 0 front, column 0 left)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .state import Vehicle

DOORS = "closure-doors"
WINDOWS = "closure-windows"
IS_LOCKED = "closure-islocked"


def grid(
    *, locked: bool | None, open_at: frozenset[tuple[int, int]] = frozenset()
) -> dict[str, Any]:
    """Build a 2x2 closure body; `locked=None` leaves out `isLocked` (windows)."""
    values: list[dict[str, Any]] = []
    for row in range(2):
        for column in range(2):
            item: dict[str, Any] = {
                "row": row,
                "column": column,
                "isOpen": (row, column) in open_at,
            }
            if locked is not None:
                item["isLocked"] = locked
            values.append(item)
    return {"values": values, "rowCount": 2, "columnCount": 2}


def any_door_open(vehicle: Vehicle) -> bool:
    """Return whether any door is open."""
    return any(item.get("isOpen") for item in vehicle.body(DOORS)["values"])


def set_locked(vehicle: Vehicle, locked: bool, at: datetime) -> None:
    """Lock or unlock the car: the central lock and every door."""
    doors = vehicle.body(DOORS)
    values = [{**item, "isLocked": locked} for item in doors["values"]]
    vehicle.set_body(DOORS, {**doors, "values": values}, at)
    vehicle.set_body(IS_LOCKED, {"value": locked}, at)


def _set_item(
    vehicle: Vehicle, code: str, row: int, column: int, at: datetime, **changes: Any
) -> None:
    body = vehicle.body(code)
    found = False
    values = []
    for item in body["values"]:
        if item["row"] == row and item["column"] == column:
            item = {**item, **changes}
            found = True
        values.append(item)
    if not found:
        raise ValueError(f"{code} has no element at row {row}, column {column}")
    vehicle.set_body(code, {**body, "values": values}, at)


def set_door(
    vehicle: Vehicle, row: int, column: int, *, is_open: bool, at: datetime
) -> None:
    """Open or close one door; opening unlocks it and the car."""
    if is_open:
        _set_item(vehicle, DOORS, row, column, at, isOpen=True, isLocked=False)
        vehicle.set_body(IS_LOCKED, {"value": False}, at)
    else:
        _set_item(vehicle, DOORS, row, column, at, isOpen=False)


def set_window(
    vehicle: Vehicle, row: int, column: int, *, is_open: bool, at: datetime
) -> None:
    """Open or close one window."""
    _set_item(vehicle, WINDOWS, row, column, at, isOpen=is_open)
