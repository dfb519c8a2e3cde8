"""The vehicle's last-parked position (Smartcar's Volvo location is not live)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import partial
from html import escape
from typing import override

from homeassistant.components.device_tracker import (
    SourceType,
    TrackerEntity,
    TrackerEntityDescription,
)

from .api import signals
from .coordinator import SmartcarVehicleCoordinator
from .entity import (
    SmartcarEntity,
    SmartcarEntityDescription,
    async_setup_vehicle_entities,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class SmartcarTrackerDescription(
    SmartcarEntityDescription[signals.PreciseLocation], TrackerEntityDescription
):
    """The location tracker of a vehicle."""


LOCATION = SmartcarTrackerDescription(
    key="parked_location",
    translation_key="parked_location",
    signal=signals.PRECISE_LOCATION,
)


class SmartcarTracker(SmartcarEntity[signals.PreciseLocation], TrackerEntity):
    """Where the vehicle was last parked."""

    _attr_source_type = SourceType.GPS
    # Trackers default to diagnostic, which hides them from the Overview's device cards; where
    # the car is parked is what owners look for.
    _attr_entity_category = None  # type: ignore[assignment]  # Entity allows None
    entity_description: SmartcarTrackerDescription

    def __init__(
        self,
        coordinator: SmartcarVehicleCoordinator,
        description: SmartcarTrackerDescription,
    ) -> None:
        """Draw the model (e.g. "EX30") on a round map marker, as a data URL.

        The map abbreviates names to initials ("Volvo EX30 Parked location" reads "VEP" for
        every Volvo); a picture with the model tells the cars apart.
        """
        super().__init__(coordinator, description)
        vehicle = coordinator.connection.vehicle
        words = (vehicle.model or vehicle.manufacturer or "Car").split()
        text = escape((words[0] if words else "Car")[:5])
        size = 34 if len(text) <= 3 else 26 if len(text) == 4 else 21
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
            '<circle cx="50" cy="50" r="48" fill="#1c3f73"/>'
            f'<text x="50" y="50" dy="0.35em" font-family="sans-serif" font-size="{size}"'
            f' font-weight="bold" fill="#fff" text-anchor="middle">{text}</text></svg>'
        )
        self._attr_entity_picture = (
            "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        )

    @override
    def _update_state(self) -> None:
        """Show the parked position; heading and compass direction when the car reports them."""
        super()._update_state()
        location = self.signal.body if self.signal else None
        self._attr_latitude = location.latitude if location else None
        self._attr_longitude = location.longitude if location else None
        if location is not None:
            kind = location.location_type
            attributes = {
                "heading": location.heading,
                "direction": location.direction,
                "location_type": kind.lower() if kind else None,
            }
            self._attr_extra_state_attributes = {
                key: value for key, value in attributes.items() if value is not None
            }


# Add a tracker for each vehicle that reports its location.
async_setup_entry = partial(
    async_setup_vehicle_entities, descriptions=(LOCATION,), factory=SmartcarTracker
)
