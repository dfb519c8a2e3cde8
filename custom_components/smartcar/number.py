"""The charge limit: how full the car charges (its GLOBAL limit), set with a command."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Final, override

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
)
from homeassistant.const import PERCENTAGE
from homeassistant.exceptions import ServiceValidationError

from .api import CommandValidationError, charge_limit_percent, signals
from .api.contract import CHARGE_CONTROL_PERMISSION, CHARGE_LIMIT_MAX, CHARGE_LIMIT_MIN
from .const import DOMAIN
from .controls import SmartcarCommandEntity
from .entity import SmartcarEntityDescription, async_setup_vehicle_entities

PARALLEL_UPDATES = 1

COMMAND_SET_CHARGE_LIMIT: Final = "set_charge_limit"


@dataclass(frozen=True, kw_only=True)
class SmartcarNumberDescription(
    SmartcarEntityDescription[signals.ChargeLimits], NumberEntityDescription
):
    """A number fed by a signal and set by a command."""


CHARGE_LIMIT = SmartcarNumberDescription(
    key="charge_limit_control",
    translation_key="charge_limit",
    device_class=NumberDeviceClass.BATTERY,
    native_unit_of_measurement=PERCENTAGE,
    native_min_value=CHARGE_LIMIT_MIN,
    native_max_value=CHARGE_LIMIT_MAX,
    native_step=1,
    signal=signals.CHARGE_LIMITS,
    extra_permissions=(CHARGE_CONTROL_PERMISSION,),
)


class SmartcarChargeLimit(
    SmartcarCommandEntity[signals.ChargeLimits, int], NumberEntity
):
    """The car's charge limit, 50 to 100 % in whole percent.

    A change still running at the carmaker (202) shows as asked until the car is read again.
    """

    _commands = (COMMAND_SET_CHARGE_LIMIT,)
    entity_description: SmartcarNumberDescription

    @override
    def _update_state(self) -> None:
        """Show the limit a set-limit command sets (or the one asked for, while running).

        That is the GLOBAL limit, else the one in force.
        """
        super()._update_state()
        body = self.signal.body if self.signal else None
        limit: float | None = self._optimistic
        if limit is None and body is not None:
            limit = (
                body.global_limit
                if body.global_limit is not None
                else body.active_limit
            )
        # Whole percentages show as such ("80", not "80.0").
        self._attr_native_value = (
            int(limit) if limit is not None and limit.is_integer() else limit
        )

    @override
    async def async_set_native_value(self, value: float) -> None:
        """Set the charge limit (a whole percentage; Home Assistant checked the range)."""
        try:
            percent = charge_limit_percent(value)
        except CommandValidationError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="invalid_charge_limit",
                translation_placeholders={
                    "value": str(value),
                    "min": str(CHARGE_LIMIT_MIN),
                    "max": str(CHARGE_LIMIT_MAX),
                },
            ) from err
        await self.async_command(
            COMMAND_SET_CHARGE_LIMIT,
            lambda: self.coordinator.vehicle.async_set_charge_limit(percent),
            requested=percent,
            done=lambda at: [signals.charge_limit_state(self.signal, percent, at)],
        )


# Add a charge limit for each vehicle that reports its limits and may be controlled.
async_setup_entry = partial(
    async_setup_vehicle_entities,
    descriptions=(CHARGE_LIMIT,),
    factory=SmartcarChargeLimit,
)
