"""The vehicles an entry knew at its last run, kept so that set-up needs no `GET /connections`.

Set-up starts reading this list's vehicles at once, while `GET /connections` checks it (one round
trip, not two); the check adds, prunes and stores what it finds. A new entry starts from the
vehicles its config flow has just listed (handed over in memory, `hand_over`), so even the first
set-up waits for no listing before its reads.
"""

from __future__ import annotations

from typing import Any, Final, TypedDict

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util.hass_dict import HassKey

from .api import Connection, VehicleInfo
from .const import DOMAIN

STORAGE_VERSION: Final = 1
# Per Smartcar user: the connections a config flow listed, for the set-up of its new entry.
_HANDED_OVER: HassKey[dict[str, list[Connection]]] = HassKey(f"{DOMAIN}_handed_over")
# A stored list longer than this is not trusted (an application's vehicles, with room).
MAX_VEHICLES: Final = 500


class _StoredVehicle(TypedDict):
    id: str
    user_id: str
    vehicle_id: str
    permissions: list[str]
    make: str | None
    model: str | None
    year: int | None
    powertrain_type: str | None
    mode: str | None


def _as_stored(connection: Connection) -> _StoredVehicle:
    info = connection.vehicle
    return {
        "id": connection.id,
        "user_id": connection.user_id,
        "vehicle_id": connection.vehicle_id,
        "permissions": sorted(connection.permissions),
        "make": info.make,
        "model": info.model,
        "year": info.year,
        "powertrain_type": info.powertrain_type,
        "mode": info.mode,
    }


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and len(value) <= 200 else None


def _from_stored(raw: Any) -> Connection | None:
    if not isinstance(raw, dict):
        return None
    ids = [_text(raw.get(key)) for key in ("id", "user_id", "vehicle_id")]
    permissions = raw.get("permissions")
    if not all(ids) or not isinstance(permissions, list):
        return None
    year = raw.get("year")
    connection_id, user_id, vehicle_id = (str(part) for part in ids)
    return Connection(
        id=connection_id,
        user_id=user_id,
        vehicle_id=vehicle_id,
        permissions=frozenset(p for p in permissions if isinstance(p, str)),
        vehicle=VehicleInfo(
            id=vehicle_id,
            make=_text(raw.get("make")),
            model=_text(raw.get("model")),
            year=year if isinstance(year, int) and not isinstance(year, bool) else None,
            powertrain_type=_text(raw.get("powertrain_type")),
            mode=_text(raw.get("mode")),
        ),
        created_at=None,
        updated_at=None,
    )


class KnownVehicles:
    """The entry's connected vehicles as last seen, in `.storage`."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Keep the list of one config entry."""
        self._store: Store[list[_StoredVehicle]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.vehicles"
        )

    async def async_load(self, user_id: str) -> list[Connection] | None:
        """Return the stored vehicles of `user_id`, or None when none are stored (or unusable)."""
        stored = await self._store.async_load()
        if not isinstance(stored, list) or not stored or len(stored) > MAX_VEHICLES:
            return None
        connections = [_from_stored(raw) for raw in stored]
        if any(c is None or c.user_id != user_id for c in connections):
            return None
        return [c for c in connections if c is not None]

    async def async_save(self, connections: list[Connection]) -> None:
        """Store the vehicles just listed by Smartcar."""
        await self._store.async_save([_as_stored(c) for c in connections])

    async def async_remove(self) -> None:
        """Delete the list (the entry is being removed)."""
        await self._store.async_remove()


def hand_over(hass: HomeAssistant, user_id: str, connections: list[Connection]) -> None:
    """Give the set-up of a new entry the user's connections its config flow just listed."""
    hass.data.setdefault(_HANDED_OVER, {})[user_id] = [
        c for c in connections if c.user_id == user_id
    ]


def take_handed_over(hass: HomeAssistant, user_id: str) -> list[Connection] | None:
    """Return (once) the connections handed over for `user_id`, or None."""
    return hass.data.get(_HANDED_OVER, {}).pop(user_id, None) or None
