"""Typed views of the v3 connections, vehicle and command payloads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from .contract import COMMAND_FAILED_STATUSES
from .errors import ErrorDetail, SmartcarResponseError
from .parsing import as_int, as_list, as_mapping, as_str, parse_timestamp


class PowertrainType(StrEnum):
    """Smartcar's `powertrainType` values."""

    BEV = "BEV"
    PHEV = "PHEV"
    HEV = "HEV"
    ICE = "ICE"


# The powertrains without a traction battery: the fuel gauge stands for the car's battery.
FUELLED: Final = frozenset({PowertrainType.ICE, PowertrainType.HEV})
# Makes written in capitals by their makers; Smartcar sends every make in capitals.
CAPITALISED_MAKES: Final = frozenset({"BMW", "BYD", "DS", "GMC", "MG", "MINI", "SEAT"})


@dataclass(frozen=True, slots=True)
class VehicleInfo:
    """Make, model, year, powertrain and mode of a vehicle."""

    id: str
    make: str | None
    model: str | None
    year: int | None
    powertrain_type: str | None
    mode: str | None

    @property
    def manufacturer(self) -> str | None:
        """The make as people write it ("VOLVO" reads "Volvo", "BMW" stays "BMW").

        A make already in mixed case ("McLaren") is kept as sent.
        """
        make = self.make
        if not make:
            return None
        if make.upper() in CAPITALISED_MAKES:
            return make.upper()
        return make.title() if make in (make.upper(), make.lower()) else make

    @property
    def display_name(self) -> str:
        """Make and model, e.g. "Volvo EX30" (empty when Smartcar names neither)."""
        return " ".join(part for part in (self.manufacturer, self.model) if part)


@dataclass(frozen=True, slots=True)
class Connection:
    """One owner-vehicle connection of the application, with the permissions granted."""

    id: str
    user_id: str
    vehicle_id: str
    permissions: frozenset[str]
    vehicle: VehicleInfo
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def from_resource(cls, resource: Mapping[str, Any]) -> Connection:
        """Read a `connection` resource; raises `SmartcarResponseError` without the ids."""
        attributes = as_mapping(resource.get("attributes"))
        relationships = as_mapping(resource.get("relationships"))
        vehicle_id = as_str(
            as_mapping(as_mapping(relationships.get("vehicle")).get("data")).get("id")
        )
        user_id = as_str(
            as_mapping(as_mapping(relationships.get("user")).get("data")).get("id")
        ) or as_str(as_mapping(attributes.get("user")).get("id"))
        connection_id = as_str(resource.get("id"))
        if not (vehicle_id and user_id and connection_id):
            raise SmartcarResponseError(
                "A connection lacks its id, vehicle id or user id"
            )
        meta = as_mapping(resource.get("meta"))
        vehicle = as_mapping(attributes.get("vehicle"))
        powertrain = as_str(vehicle.get("powertrainType"))
        return cls(
            id=connection_id,
            user_id=user_id,
            vehicle_id=vehicle_id,
            permissions=frozenset(
                p for p in as_list(attributes.get("permissions")) if isinstance(p, str)
            ),
            vehicle=VehicleInfo(
                vehicle_id,
                as_str(vehicle.get("make")),
                as_str(vehicle.get("model")),
                as_int(vehicle.get("year")),
                powertrain.upper() if powertrain else None,
                as_str(vehicle.get("mode")),
            ),
            created_at=parse_timestamp(meta.get("createdAt")),
            updated_at=parse_timestamp(meta.get("updatedAt")),
        )


class ExecutionStatus(StrEnum):
    """How far a command or schedule request got."""

    SUCCESS = "SUCCESS"
    PENDING = "PENDING"
    FAILURE = "FAILURE"


@dataclass(frozen=True, slots=True)
class Execution:
    """The result of a command or a schedule request (`command-execution` and kin)."""

    id: str | None
    raw_status: str
    error: ErrorDetail | None
    attributes: Mapping[str, Any]

    @property
    def status(self) -> ExecutionStatus:
        """SUCCESS, FAILURE, or PENDING for anything still running or not documented."""
        if self.raw_status == ExecutionStatus.SUCCESS:
            return ExecutionStatus.SUCCESS
        if self.raw_status in COMMAND_FAILED_STATUSES:
            return ExecutionStatus.FAILURE
        return ExecutionStatus.PENDING

    @classmethod
    def from_payload(cls, payload: Any, accepted: bool) -> Execution:
        """Read `{"data": {id, type, attributes {status, ...}}}`; None: a 2xx without a body.

        `accepted` is True for a 202 answer: Smartcar took the request but it may still be running.
        An empty 2xx answer (a `204 No Content` to a delete) is a success (no id, no attributes).
        """
        if payload is None:
            return cls(None, ExecutionStatus.SUCCESS.value, None, {})
        data = as_mapping(as_mapping(payload).get("data"))
        if not data:
            raise SmartcarResponseError("An execution answer has no data object")
        attributes = as_mapping(data.get("attributes"))
        status = as_mapping(attributes.get("status"))
        return cls(
            id=as_str(data.get("id")),
            # No status at all on a 200 means the request simply succeeded.
            raw_status=(
                as_str(status.get("value")) or ("PENDING" if accepted else "SUCCESS")
            ).upper(),
            error=ErrorDetail.optional(status.get("error")),
            attributes=attributes,
        )
