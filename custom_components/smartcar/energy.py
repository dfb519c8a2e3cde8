"""The energy charged into an electric car that does not report it (no Charge.EnergyAdded).

Estimated from the rise of the state of charge while charging, times the battery's nominal
capacity: the Energy dashboard can then show every electric car as an individual device. The
estimator (`ChargedEnergy`) is pure and takes the merged signals in their own order; the sensor
keeps it across restarts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
import math
from typing import Any, Final, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfEnergy
from homeassistant.core import callback
from homeassistant.helpers.restore_state import ExtraStoredData, RestoreEntity
from homeassistant.util import dt as dt_util

from .api import signals
from .api.signals import ChargingStatus, VehicleSignals
from .coordinator import SmartcarVehicleCoordinator
from .entity import SmartcarEntityDescription, SmartcarVehicleEntity, signal_readable

# The signals that say whether the car charges; either one will do.
CHARGING_STATES: Final = (signals.IS_CHARGING, signals.DETAILED_CHARGING_STATUS)


@dataclass(slots=True)
class ChargedEnergy:
    """The energy (kWh) a car's state of charge rose by while it charged, since counting began.

    A rise from one reading of the state of charge to the next counts only when the car was
    charging at the first or was seen charging after it (IsCharging, or the charging status):
    a rise after a drive without a session seen, or after a gap with no charging state seen,
    is not counted. A reading or a charging state no newer than the one taken is ignored, so
    the same reading brought by a webhook and again by a poll counts once.
    """

    total: float = 0.0
    # The last state of charge taken (percent) and when the car measured it.
    percent: float | None = None
    percent_at: datetime | None = None
    # The newest charging state taken, and when it held.
    charging: bool = False
    charging_at: datetime | None = None
    # Whether the car charged at `percent_at` or since: the next rise counts.
    charged: bool = False

    def take_charging(self, charging: bool, at: datetime) -> None:
        """Take a charging state; one older than the state held is ignored (charging wins a tie)."""
        held = self.charging_at
        if held is not None and (at < held or (at == held and not charging)):
            return
        self.charging, self.charging_at = charging, at
        self.charged = self.charged or charging

    def take_level(self, percent: float, at: datetime, capacity: float | None) -> float:
        """Take a state of charge; return the kWh its rise adds (0 when it did not charge)."""
        if self.percent_at is not None and at <= self.percent_at:
            return 0.0  # taken already
        added = 0.0
        if self.charged and capacity and self.percent is not None:
            added = max(0.0, percent - self.percent) * capacity / 100
        self.total += added
        self.percent, self.percent_at, self.charged = percent, at, self.charging
        return added

    def follow(self, data: VehicleSignals) -> None:
        """Take what the vehicle's merged signals say, in the order it happened.

        The charging states at or before the state of charge first (a session that ends with
        that reading still counts), then the level, then the newer charging states.
        """
        level = data.get(signals.STATE_OF_CHARGE)
        level_at = level.measured_at if level and level.ok else None
        states = charging_states(data)
        for at, charging in states:
            if level_at is None or at <= level_at:
                self.take_charging(charging, at)
        if level and level.body is not None and level_at is not None:
            nominal = data.body(signals.NOMINAL_CAPACITY)
            capacity = nominal.capacity if nominal else None
            self.take_level(level.body.value, level_at, capacity)
        for at, charging in states:
            if level_at is not None and at > level_at:
                self.take_charging(charging, at)

    def as_dict(self) -> dict[str, Any]:
        """Return what is stored across restarts (times as ISO text)."""
        stored = asdict(self)
        for key in ("percent_at", "charging_at"):
            stored[key] = stored[key].isoformat() if stored[key] else None
        return stored

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> ChargedEnergy:
        """Read what `as_dict` stored; a value that does not read is left at its default."""

        def number(key: str) -> float | None:
            value = stored.get(key)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return None
            return float(value) if math.isfinite(value) and value >= 0 else None

        def time(key: str) -> datetime | None:
            value = stored.get(key)
            parsed = dt_util.parse_datetime(value) if isinstance(value, str) else None
            return parsed if parsed and parsed.tzinfo else None

        percent_at, charging_at = time("percent_at"), time("charging_at")
        percent = number("percent")
        return cls(
            total=number("total") or 0.0,
            percent=percent if percent_at else None,
            percent_at=percent_at if percent is not None else None,
            charging=stored.get("charging") is True and charging_at is not None,
            charging_at=charging_at,
            charged=stored.get("charged") is True,
        )


def charging_states(data: VehicleSignals) -> list[tuple[datetime, bool]]:
    """Return when each charging state (IsCharging, the status) held, and what it said."""
    flag, status = (
        data.get(signals.IS_CHARGING),
        data.get(signals.DETAILED_CHARGING_STATUS),
    )
    states = [
        (flag.measured_at, flag.body.value) if flag and flag.ok and flag.body else None,
        (status.measured_at, status.body.value == ChargingStatus.CHARGING)
        if status and status.ok and status.body
        else None,
    ]
    return sorted((at, on) for at, on in filter(None, states) if at is not None)


def estimable(data: VehicleSignals) -> bool:
    """Whether the car needs the estimate and reports what it takes.

    A nominal capacity and a charging state (besides the state of charge, the sensor's own
    signal), and no Charge.EnergyAdded (a car that reports it has its own *Energy added*).
    """
    return (
        data.body(signals.NOMINAL_CAPACITY) is not None
        and any(signal_readable(data.get(spec)) for spec in CHARGING_STATES)
        and not signal_readable(data.get(signals.ENERGY_ADDED))
    )


@dataclass(frozen=True, kw_only=True)
class SmartcarEnergyDescription(
    SmartcarEntityDescription[signals.Quantity], SensorEntityDescription
):
    """The estimated charging energy, on the state of charge's signal."""


@dataclass(frozen=True)
class StoredEstimate(ExtraStoredData):
    """The estimator's state, kept across restarts."""

    energy: ChargedEnergy

    @override
    def as_dict(self) -> dict[str, Any]:
        """Return the estimator's state as JSON values."""
        return self.energy.as_dict()


class SmartcarEnergySensor(SmartcarVehicleEntity, RestoreEntity, SensorEntity):
    """The energy charged into the battery, estimated (a total that only increases)."""

    entity_description: SmartcarEnergyDescription

    def __init__(
        self,
        coordinator: SmartcarVehicleCoordinator,
        description: SmartcarEnergyDescription,
    ) -> None:
        """Start counting from nothing (a restored count replaces it when added)."""
        # Before the base __init__, which runs _update_state.
        self.energy = ChargedEnergy()
        super().__init__(coordinator, description)

    @property
    @override
    def extra_restore_state_data(self) -> StoredEstimate:
        """Keep the count and what it was counted from."""
        return StoredEstimate(self.energy)

    @override
    async def async_added_to_hass(self) -> None:
        """Go on from the stored count, then take what the car reported since."""
        if (stored := await self.async_get_last_extra_data()) is not None:
            self.energy = ChargedEnergy.from_dict(stored.as_dict())
        if self.coordinator.data is not None:
            self.energy.follow(self.coordinator.data)
        await super().async_added_to_hass()

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Take the merged signals (only what is newer than taken counts), then write."""
        if self.coordinator.data is not None:
            self.energy.follow(self.coordinator.data)
        super()._handle_coordinator_update()

    @override
    def _update_state(self) -> None:
        """Show the count (kWh)."""
        self._attr_native_value = round(self.energy.total, 3)


ENERGY_CHARGED: Final = SmartcarEnergyDescription(
    key="energy_charged",
    translation_key="energy_charged",
    signal=signals.STATE_OF_CHARGE,
    vehicle_fn=estimable,
    extra_permissions=(signals.IS_CHARGING.permission,),
    entity_class=SmartcarEnergySensor,
    device_class=SensorDeviceClass.ENERGY,
    native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
    state_class=SensorStateClass.TOTAL_INCREASING,
    suggested_display_precision=1,
)
