"""Places on a car's grid (doors, windows, tyres: row 0 the front, column 0 the left).

A grid signal gets one entity per place it reports, named by the place ("Rear left door",
"Front right tire pressure"), or by row and seat beyond two rows of two.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final, override

from .api.signals import Closure, Closures, TirePressure, Tires
from .coordinator import SmartcarVehicleCoordinator
from .entity import SmartcarEntity, SmartcarEntityDescription

ROWS: Final = ("front", "rear")
COLUMNS: Final = ("left", "right")


def position_key(row: int, column: int) -> str | None:
    """Name a place within the usual two rows of two, e.g. `rear_left` (None beyond)."""
    if row < len(ROWS) and column < len(COLUMNS):
        return f"{ROWS[row]}_{COLUMNS[column]}"
    return None


def position(row: int, column: int) -> str:
    """Name any place, e.g. `rear_left`, or `row_3_seat_1` beyond two rows."""
    return position_key(row, column) or f"row_{row + 1}_seat_{column + 1}"


def position_entities[E: SmartcarPositionEntity](
    entity_class: type[E],
    coordinator: SmartcarVehicleCoordinator,
    description: SmartcarEntityDescription,
    prefix: str,
) -> Iterator[E]:
    """Make one `entity_class` per place the description's grid signal reports."""
    body = coordinator.data.body(description.signal)
    if isinstance(body, Closures | Tires):
        for item in body.items:
            yield entity_class(coordinator, description, item, prefix)


class SmartcarPositionEntity(SmartcarEntity):
    """One place of a grid signal (a door, a window, a tyre), by its row and column."""

    def __init__(
        self,
        coordinator: SmartcarVehicleCoordinator,
        description: SmartcarEntityDescription,
        item: Closure | TirePressure,
        prefix: str,
    ) -> None:
        """Name the entity by its place under `prefix` (e.g. "door" → door_rear_left)."""
        super().__init__(coordinator, description)
        self._row, self._column = item.row, item.column
        if (key := position_key(item.row, item.column)) is not None:
            self._attr_translation_key = f"{prefix}_{key}"
        else:
            self._attr_translation_key = f"{prefix}_position"
            self._attr_translation_placeholders = {
                "row": str(item.row + 1),
                "column": str(item.column + 1),
            }
        self._attr_unique_id = (
            f"{coordinator.vehicle_id}_{prefix}_{item.row}_{item.column}"
        )

    @property
    def item(self) -> Closure | TirePressure | None:
        """Return the place as last reported (None when the car no longer reports it)."""
        signal = self.signal
        body = signal.body if signal is not None else None
        if not isinstance(body, Closures | Tires):
            return None
        return next(
            (
                item
                for item in body.items
                if (item.row, item.column) == (self._row, self._column)
            ),
            None,
        )

    @property
    @override
    def available(self) -> bool:
        """Available while the car still reports this place."""
        return super().available and self.item is not None

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """None: the details of the whole signal (e.g. the open doors) belong to its aggregate."""
        return None
