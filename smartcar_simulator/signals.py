"""The signal catalogue, stored signal values and the one renderer for REST and webhooks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from . import observed
from .clock import epoch_millis, epoch_seconds, iso

type SignalForm = Literal["rest", "webhook"]
type TimestampFormat = Literal["iso", "epoch"]
type SignalShape = Literal["docs", "live"]
"""How a signal renders: as Smartcar documents it, or as its live answers were captured
(errors worded as in `observed`, REST meta led by `ingestedAt`)."""

VIN_CODE = "vehicleidentification-vin"


@dataclass(frozen=True, slots=True)
class SignalSpec:
    """A known signal: its code, JSON name/group and the permission that unlocks it."""

    group: str
    name: str
    permission: str | None

    @property
    def code(self) -> str:
        """Return the lower-case `group-name` code."""
        return f"{self.group}-{self.name}".lower()


def _specs(group: str, permission: str, *names: str) -> list[SignalSpec]:
    return [SignalSpec(group, name, permission) for name in names]


DIAGNOSTIC_SYSTEMS = (
    "ABS",
    "ActiveSafety",
    "Airbag",
    "BrakeFluid",
    "DriverAssistance",
    "Emissions",
    "EVBatteryConditioning",
    "EVCharging",
    "EVDriveUnit",
    "EVHVBattery",
    "Lighting",
    "MIL",
    "OilLife",
    "OilPressure",
    "OilTemperature",
    "Telematics",
    "TirePressure",
    "TirePressureMonitoring",
    "Transmission",
    "WasherFluid",
    "WaterInFuel",
)
"""The 21 Diagnostics system signals (body `{status, description?}`)."""


CATALOGUE: dict[str, SignalSpec] = {
    spec.code: spec
    for spec in [
        *_specs(
            "Charge",
            "read_charge",
            "IsChargingCableConnected",
            "IsCharging",
            "DetailedChargingStatus",
            "ChargingConnectorType",
            "ChargeTimers",
            "ChargeLimits",
            "TimeToComplete",
            "Wattage",
        ),
        *_specs("Closure", "read_security", "Doors", "Windows", "IsLocked"),
        *_specs(
            "InternalCombustionEngine",
            "read_fuel",
            "AmountRemaining",
            "FuelLevel",
            "Range",
        ),
        *_specs(
            "TractionBattery",
            "read_battery",
            "StateOfCharge",
            "Range",
            "NominalCapacity",
        ),
        SignalSpec("Location", "PreciseLocation", "read_location"),
        SignalSpec("Odometer", "TraveledDistance", "read_odometer"),
        SignalSpec("VehicleIdentification", "VIN", "read_vin"),
        # The rest of the 93 v3 signals (reference section 3), reported by other makes.
        # Permissions as the integration's `api/contract.py` assumes them (no source
        # publishes a per-signal table).
        *_specs(
            "Charge",
            "read_charge",
            "Amperage",
            "AmperageMax",
            "AmperageRequested",
            "ChargePortStatusColor",
            "ChargeRate",
            "ChargerPhases",
            "EnergyAdded",
            "FastChargerType",
            "IsChargingCableLatched",
            "IsChargingPortFlapOpen",
            "IsFastChargerPresent",
            "Voltage",
        ),
        SignalSpec("Charge", "ChargeRecords", "read_charge_records"),
        *_specs(
            "Closure",
            "read_security",
            "EngineCover",
            "FrontTrunk",
            "RearTrunk",
            "Sunroof",
            "Tailgate",
        ),
        *_specs(
            "Climate", "read_thermometer", "ExternalTemperature", "InternalTemperature"
        ),
        SignalSpec(
            "ConnectivitySoftware",
            "CurrentFirmwareVersion",
            "read_extended_vehicle_info",
        ),
        *_specs(
            "ConnectivityStatus",
            "read_vehicle_info",
            "IsAsleep",
            "IsDigitalKeyPaired",
            "IsOnline",
        ),
        *_specs(
            "Diagnostics",
            "read_diagnostics",
            *DIAGNOSTIC_SYSTEMS,
            "DTCCount",
            "DTCList",
        ),
        *_specs(
            "HVAC",
            "read_climate",
            "CabinTargetTemperature",
            "IsCabinHVACActive",
            "IsFrontDefrosterActive",
            "IsRearDefrosterActive",
            "IsSteeringHeaterActive",
        ),
        SignalSpec("InternalCombustionEngine", "OilLife", "read_engine_oil"),
        SignalSpec("Location", "IsAtHome", "read_location"),
        *_specs("LowVoltageBattery", "read_battery", "StateOfCharge", "Status"),
        SignalSpec("Motion", "CurrentSpeed", "read_speedometer"),
        *_specs("Service", "read_service_history", "IsInService", "Records"),
        *_specs("Surveillance", "read_security", "IsEnabled", "Brand"),
        *_specs(
            "TractionBattery", "read_battery", "IsHeaterActive", "MaxRangeChargeCounter"
        ),
        *_specs("Transmission", "read_vehicle_info", "GearState", "DriveMode"),
        *_specs("VehicleIdentification", "read_vehicle_info", "Nickname", "Trim"),
        *_specs(
            "VehicleIdentification",
            "read_extended_vehicle_info",
            "ExteriorColor",
            "Packages",
        ),
        *_specs("VehicleUserAccount", "read_user_profile", "Permissions", "Role"),
        SignalSpec("Wheel", "Tires", "read_tires"),
        SignalSpec("Wheel", "Style", "read_extended_vehicle_info"),
    ]
}
"""Every v3 signal the simulator knows: the Volvo 20 first (in the order their responses
list them), then the other makes' signals."""


@dataclass(slots=True)
class SignalError:
    """A per-signal error (`attributes.status.error`)."""

    type: str
    code: str | None
    detail: str
    title: str = "Signal unavailable"
    resolution: str | None = None

    def render(self) -> dict[str, Any]:
        """Return the JSON form of the error."""
        return {
            "type": self.type,
            "code": self.code,
            "title": self.title,
            "detail": self.detail,
            "description": self.detail,
            "resolution": {"type": self.resolution},
        }


def not_charging_error() -> SignalError:
    """Return the `VEHICLE_STATE`/`NOT_CHARGING` error of charge-only signals."""
    return SignalError(
        "VEHICLE_STATE",
        "NOT_CHARGING",
        "The vehicle is not charging, so this value is not current.",
        title="Vehicle not charging",
    )


@dataclass(slots=True)
class SignalRecord:
    """The stored value of one signal on one vehicle."""

    code: str
    name: str
    group: str
    body: dict[str, Any] | None
    oem_updated_at: datetime
    retrieved_at: datetime
    permission: str | None = None
    error: SignalError | None = None
    shape: SignalShape = "docs"
    held: bool = False
    """The error stays whatever the car reports: new values and errors are ignored."""

    @classmethod
    def known(
        cls,
        code: str,
        body: dict[str, Any] | None,
        updated_at: datetime,
        error: SignalError | None = None,
        *,
        retrieved_at: datetime | None = None,
        shape: SignalShape = "docs",
        held: bool = False,
    ) -> SignalRecord:
        """Build a record for a catalogue signal (retrieved when updated, unless told)."""
        spec = CATALOGUE[code]
        return cls(
            code=code,
            name=spec.name,
            group=spec.group,
            body=body,
            oem_updated_at=updated_at,
            retrieved_at=retrieved_at or updated_at,
            permission=spec.permission,
            error=error,
            shape=shape,
            held=held,
        )


def _permission_error(permission: str) -> SignalError:
    return SignalError(
        "PERMISSION",
        "UNKNOWN",
        f"This signal needs the {permission} permission, which the connection lacks.",
        title="Permission denied",
        resolution="REAUTHENTICATE",
    )


def _error_json(error: SignalError, shape: SignalShape, form: SignalForm) -> Any:
    if shape == "docs":
        return error.render()
    if form == "webhook":
        return observed.webhook_error(error.type, error.code)
    return observed.rest_error(
        error.type, error.code, error.title, error.detail, error.resolution
    )


def _rest_meta(
    record: SignalRecord, body: dict[str, Any] | None, timestamp_format: TimestampFormat
) -> dict[str, Any]:
    def stamp(moment: datetime) -> str | int:
        return epoch_seconds(moment) if timestamp_format == "epoch" else iso(moment)

    meta: dict[str, Any] = {}
    if record.shape == "live":
        # Captured live: the store's ingestion time first, and only that for a signal
        # without a value (an error without body, the static VIN).
        meta["ingestedAt"] = stamp(record.retrieved_at)
        if body is None or record.code == VIN_CODE:
            return meta
    meta["retrievedAt"] = stamp(record.retrieved_at)
    meta["oemUpdatedAt"] = stamp(record.oem_updated_at)
    return meta


def render_signal(
    record: SignalRecord,
    *,
    vehicle_id: str,
    granted: bool = True,
    form: SignalForm = "rest",
    timestamp_format: TimestampFormat = "iso",
) -> dict[str, Any]:
    """Render one signal as a REST JSON:API element or as a flat webhook entry.

    REST meta times are ISO strings (or epoch seconds with `timestamp_format="epoch"`);
    webhook meta times are epoch milliseconds, with the VIN's at 0 as observed.
    A signal whose permission was not granted becomes a `PERMISSION` error without body.
    A `live`-shaped record renders as Smartcar's captured answers do (see `SignalShape`).
    """
    error = (
        _permission_error(record.permission or "required")
        if not granted
        else record.error
    )
    if error is not None:
        status: dict[str, Any] = {
            "value": "ERROR",
            "error": _error_json(error, record.shape, form),
        }
    else:
        status = {"value": "SUCCESS"}
    body = record.body if granted else None

    if form == "webhook":
        static = record.code == VIN_CODE
        entry: dict[str, Any] = {
            "code": record.code,
            "name": record.name,
            "group": record.group,
            "status": status,
            "meta": {
                "oemUpdatedAt": 0 if static else epoch_millis(record.oem_updated_at),
                "retrievedAt": 0 if static else epoch_millis(record.retrieved_at),
            },
        }
        if body is not None:
            entry["body"] = body
        return entry

    attributes: dict[str, Any] = {
        "code": record.code,
        "name": record.name,
        "group": record.group,
        "status": status,
    }
    if body is not None:
        attributes["body"] = body
    return {
        "id": record.code,
        "type": "signal",
        "attributes": attributes,
        "meta": _rest_meta(record, body, timestamp_format),
        "links": {"self": f"/v3/vehicles/{vehicle_id}/signals/{record.code}"},
    }
