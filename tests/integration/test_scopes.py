"""Connect asks for exactly the permissions the entities need, derived from the catalogue."""

from __future__ import annotations

from typing import Any

from custom_components.smartcar.api import signals
from custom_components.smartcar.api.contract import (
    LOCK_PERMISSION,
    NAVIGATION_PERMISSION,
    SCHEDULE_PERMISSION,
)
from custom_components.smartcar.const import READ_SIGNALS, SCOPES
from custom_components.smartcar.entity import SmartcarEntityDescription
from scripts.entity_table import descriptions, read_signals


def _descriptions() -> list[SmartcarEntityDescription[Any]]:
    """Every entity description of every platform the integration loads."""
    return [description for _, description in descriptions()]


def test_read_signals_are_what_the_entities_read() -> None:
    """Every entity's signal is asked for, and nothing else but the VIN of the device."""
    used = {
        spec for description in _descriptions() for spec in read_signals(description)
    }
    assert len(used) == len(signals.CATALOGUE) - 1
    assert set(READ_SIGNALS) == used | {signals.VIN}


def test_scopes_cover_every_entity() -> None:
    """Each entity's permissions are among the scopes, and each scope serves something."""
    needed = {
        permission
        for description in _descriptions()
        for permission in (
            *(spec.permission for spec in read_signals(description)),
            *description.extra_permissions,
        )
    }
    assert needed <= set(SCOPES)
    assert set(SCOPES) == needed | {
        signals.VIN.permission,
        "read_vehicle_info",
        LOCK_PERMISSION,
        SCHEDULE_PERMISSION,
        NAVIGATION_PERMISSION,  # the set_destination action
    }
    assert len(SCOPES) == len(set(SCOPES))
