"""The charging switch: start and stop charging."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Final, override

from homeassistant.components.switch import (
    SwitchDeviceClass,
    SwitchEntity,
    SwitchEntityDescription,
)

from .api import signals
from .api.contract import (
    ALREADY_CHARGING_CODES,
    ALREADY_NOT_CHARGING_CODES,
    CHARGE_CONTROL_PERMISSION,
)
from .controls import SmartcarCommandEntity
from .entity import SmartcarEntityDescription, async_setup_vehicle_entities

PARALLEL_UPDATES = 1

COMMAND_START_CHARGE: Final = "start_charge"
COMMAND_STOP_CHARGE: Final = "stop_charge"


@dataclass(frozen=True, kw_only=True)
class SmartcarSwitchDescription(
    SmartcarEntityDescription[signals.BooleanValue], SwitchEntityDescription
):
    """A switch fed by a signal and changed by commands."""


CHARGING = SmartcarSwitchDescription(
    key="charging_switch",
    translation_key="charging",
    device_class=SwitchDeviceClass.SWITCH,
    signal=signals.IS_CHARGING,
    extra_permissions=(CHARGE_CONTROL_PERMISSION,),
)


class SmartcarChargingSwitch(
    SmartcarCommandEntity[signals.BooleanValue, bool], SwitchEntity
):
    """On while the car charges; turning it on or off starts or stops charging.

    A start or stop still running at the carmaker (202) shows as asked until the car is read
    again. A car that already charges (or does not) counts as done. The charger's readings
    follow at once (`charging_state`): 0 and no end once stopped, unknown once started, until
    the one read a start asks for shortly after.
    """

    _commands = (COMMAND_START_CHARGE, COMMAND_STOP_CHARGE)
    entity_description: SmartcarSwitchDescription

    @override
    def _update_state(self) -> None:
        """On while the car charges (or was asked to, while the command runs)."""
        super()._update_state()
        body = self.signal.body if self.signal else None
        read = body.value if body else None
        self._attr_is_on = read if self._optimistic is None else self._optimistic

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Start charging."""
        await self._async_charge(charging=True)

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop charging."""
        await self._async_charge(charging=False)

    async def _async_charge(self, *, charging: bool) -> None:
        vehicle = self.coordinator.vehicle
        await self.async_command(
            COMMAND_START_CHARGE if charging else COMMAND_STOP_CHARGE,
            vehicle.async_start_charge if charging else vehicle.async_stop_charge,
            requested=charging,
            done=lambda at: signals.charging_state(charging, at, self.coordinator.data),
            already_done=ALREADY_CHARGING_CODES
            if charging
            else ALREADY_NOT_CHARGING_CODES,
            read_after=charging,
        )


# Add a charging switch for each vehicle that reports charging and may be controlled.
async_setup_entry = partial(
    async_setup_vehicle_entities,
    descriptions=(CHARGING,),
    factory=SmartcarChargingSwitch,
)
