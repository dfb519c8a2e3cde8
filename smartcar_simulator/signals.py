"""The signal catalogue, stored signal values and the one renderer for REST and webhooks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from .clock import epoch_millis, epoch_seconds, iso

type SignalForm = Literal["rest", "webhook"]
type TimestampFormat = Literal["iso", "epoch"]

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
    ]
}
"""Every signal the simulator knows, in the order responses list them."""


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

    @classmethod
    def known(
        cls,
        code: str,
        body: dict[str, Any] | None,
        updated_at: datetime,
        error: SignalError | None = None,
    ) -> SignalRecord:
        """Build a record for a catalogue signal."""
        spec = CATALOGUE[code]
        return cls(
            code=code,
            name=spec.name,
            group=spec.group,
            body=body,
            oem_updated_at=updated_at,
            retrieved_at=updated_at,
            permission=spec.permission,
            error=error,
        )


def _permission_error(permission: str) -> dict[str, Any]:
    return SignalError(
        "PERMISSION",
        "UNKNOWN",
        f"This signal needs the {permission} permission, which the connection lacks.",
        title="Permission denied",
        resolution="REAUTHENTICATE",
    ).render()


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
    """
    if not granted:
        status: dict[str, Any] = {
            "value": "ERROR",
            "error": _permission_error(record.permission or "required"),
        }
    elif record.error is not None:
        status = {"value": "ERROR", "error": record.error.render()}
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
    if timestamp_format == "epoch":
        meta: dict[str, Any] = {
            "retrievedAt": epoch_seconds(record.retrieved_at),
            "oemUpdatedAt": epoch_seconds(record.oem_updated_at),
        }
    else:
        meta = {
            "retrievedAt": iso(record.retrieved_at),
            "oemUpdatedAt": iso(record.oem_updated_at),
        }
    return {
        "id": record.code,
        "type": "signal",
        "attributes": attributes,
        "meta": meta,
        "links": {"self": f"/v3/vehicles/{vehicle_id}/signals/{record.code}"},
    }
