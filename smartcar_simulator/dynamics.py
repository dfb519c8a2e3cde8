"""Lazy time evolution: everything that changes with the clock happens on read."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .charging import advance_charging
from .following import apply_followed

if TYPE_CHECKING:
    from .state import Vehicle


def advance(vehicle: Vehicle, now: datetime) -> Vehicle:
    """Apply due pending command effects and move charging to `now`; return the vehicle.

    A vehicle following a month (`Vehicle.followed`) shows what its upstream model reports.
    """
    due = sorted(
        (change for change in vehicle.pending if change.due <= now),
        key=lambda change: change.due,
    )
    for change in due:
        vehicle.pending.remove(change)
        change.apply(vehicle, change.due)
    advance_charging(vehicle, now)
    if vehicle.followed is not None:
        apply_followed(vehicle, vehicle.followed, now)
    return vehicle
