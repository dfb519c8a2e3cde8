"""Commands a car answered "not capable" (501), remembered across restarts.

Smartcar answers a command a car can never run with `501 COMPATIBILITY VEHICLE_NOT_CAPABLE`.
Asking again costs a request of the month's budget each time and can only fail the same way, so
the refusal is kept per entry, vehicle and command in its own file under `.storage`
(`smartcar.<entry id>.commands`), like the request counts and the known vehicles: the entry's
data and options stay as the owner set them (changing them would also reload the entry), and the
file goes with the entry when it is deleted.

A refusal is forgotten when the owner connects the car again in Smartcar Connect (Smartcar then
renews the connection: its `updatedAt` moves past the one seen at the refusal), e.g. after the
carmaker enabled the feature.
"""

from __future__ import annotations

from typing import Any, Final, TypedDict

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api import Connection
from .const import DOMAIN

STORAGE_VERSION: Final = 1


class _Refusal(TypedDict):
    refused_at: str
    connection_updated_at: str | None


type _Stored = dict[str, dict[str, _Refusal]]


class RefusedCommands:
    """The commands each vehicle of one entry refused as not capable."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Keep the refusals of one config entry."""
        self._store: Store[_Stored] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.commands"
        )
        self._refused: _Stored = {}

    async def async_load(self) -> None:
        """Read the well-formed refusals kept before the last restart (JSON: keys are text)."""
        raw: Any = await self._store.async_load()
        # A stored file larger than this is not trusted (vehicles x commands, with room).
        if not isinstance(raw, dict) or len(raw) > 5_000:
            return
        self._refused = {
            vehicle_id: {
                command: {"refused_at": at, "connection_updated_at": seen}
                for command, refusal in commands.items()
                if isinstance(refusal, dict)
                and isinstance(at := refusal.get("refused_at"), str)
                and isinstance(seen := refusal.get("connection_updated_at"), str | None)
            }
            for vehicle_id, commands in raw.items()
            if isinstance(commands, dict)
        }

    def refused(self, connection: Connection, command: str) -> bool:
        """Whether the vehicle refused `command` as not capable (and was not connected since)."""
        refusal = self._refused.get(connection.vehicle_id, {}).get(command)
        if refusal is None:
            return False
        seen = dt_util.parse_datetime(refusal["connection_updated_at"] or "")
        renewed = connection.updated_at
        return seen is None or renewed is None or renewed <= seen

    def refused_commands(self, connection: Connection) -> list[str]:
        """Return the commands the vehicle refused as not capable, sorted (diagnostics)."""
        return sorted(
            command
            for command in self._refused.get(connection.vehicle_id, {})
            if self.refused(connection, command)
        )

    async def async_refuse(self, connection: Connection, command: str) -> None:
        """Remember that the vehicle cannot run `command`; written at once."""
        updated_at = connection.updated_at
        self._refused.setdefault(connection.vehicle_id, {})[command] = {
            "refused_at": dt_util.utcnow().isoformat(),
            "connection_updated_at": updated_at.isoformat() if updated_at else None,
        }
        await self._store.async_save(self._refused)

    async def async_remove(self) -> None:
        """Delete the file (the entry is being removed)."""
        await self._store.async_remove()
