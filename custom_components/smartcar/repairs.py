"""Repairs with a fix flow: removing a vehicle no longer connected, once the owner confirms."""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import voluptuous as vol

from .const import DOMAIN
from .coordinator import SmartcarConfigEntry
from .vehicles import async_forget_vehicle


class RemoveVehicleFlow(RepairsFlow):
    """Confirm, then remove a vehicle the connection list leaves out (device, entities)."""

    def __init__(
        self, entry_id: str, vehicle_id: str, placeholders: dict[str, str]
    ) -> None:
        """Bind the entry and the vehicle the repair is about (`placeholders`: its name)."""
        self.entry_id, self.vehicle_id = entry_id, vehicle_id
        self.placeholders = placeholders

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Start with the confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Ask before removing; once confirmed, forget the vehicle for good."""
        if user_input is None:
            return self.async_show_form(
                step_id="confirm",
                data_schema=vol.Schema({}),
                description_placeholders=self.placeholders,
            )
        entry: SmartcarConfigEntry | None = self.hass.config_entries.async_get_entry(
            self.entry_id
        )
        if entry is not None and entry.state is ConfigEntryState.LOADED:
            await async_forget_vehicle(self.hass, entry, self.vehicle_id)
        return self.async_create_entry(data={})


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """Return the fix flow of a vehicle no longer connected (the only fixable repair)."""
    data = data or {}
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    placeholders = dict(issue.translation_placeholders or {}) if issue else {}
    return RemoveVehicleFlow(
        str(data.get("entry_id")), str(data.get("vehicle_id")), placeholders
    )
