"""The vehicle's last-parked position (Smartcar's Volvo location is not live)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import partial
from html import escape
from typing import Final, override

from homeassistant.components.device_tracker import (
    SourceType,
    TrackerEntity,
    TrackerEntityDescription,
)

from .api import VehicleInfo, signals
from .coordinator import SmartcarVehicleCoordinator
from .entity import (
    SmartcarEntity,
    SmartcarEntityDescription,
    async_setup_vehicle_entities,
)

PARALLEL_UPDATES = 0
# The most characters a marker's label holds (each word on a line of its own).
MARKER_LABEL_LENGTH: Final = 8


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


def marker_label(vehicle: VehicleInfo) -> list[str]:
    """Return the lines of the label that tells the car apart on the map: its model's words.

    Words are taken while they fit MARKER_LABEL_LENGTH characters: "Model Y" (every Tesla's
    first word is "Model"), "I-PACE", "XC60" of "XC60 Recharge"; a longer first word is cut.
    """
    words = (vehicle.model or vehicle.manufacturer or "Car").split() or ["Car"]
    lines = [words[0][:MARKER_LABEL_LENGTH]]
    for word in words[1:]:
        if len(" ".join([*lines, word])) > MARKER_LABEL_LENGTH:
            break
        lines.append(word)
    return lines


def marker_picture(lines: list[str]) -> str:
    """Draw the label on a round marker (an SVG data URL), as large as its longest line allows."""
    size = min(34, 130 // max(map(len, lines)), 90 // len(lines))
    top = 50 - (len(lines) - 1) * size * 0.55  # the lines 1.1 em apart, centred
    texts = "".join(
        f'<text x="50" y="{top + n * size * 1.1:.0f}" dy="0.35em" font-family="sans-serif"'
        f' font-size="{size}" font-weight="bold" fill="#fff" text-anchor="middle">'
        f"{escape(line)}</text>"
        for n, line in enumerate(lines)
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<circle cx="50" cy="50" r="48" fill="#1c3f73"/>{texts}</svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


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
        """Draw the model (e.g. "Model Y") on a round map marker.

        The map labels a marker with the initials of the entity's name ("Volvo EX30 Parked
        location" reads "VEP" for every Volvo), or shows its picture: the picture with the
        model tells the cars apart.
        """
        super().__init__(coordinator, description)
        lines = marker_label(coordinator.connection.vehicle)
        self._attr_entity_picture = marker_picture(lines)

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
