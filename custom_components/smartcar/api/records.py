"""Typed views of the record lists: Charge.ChargeRecords sessions and Service.Records visits.

The readers keep records as they came (cleaned); these views name the fields the reference
documents and leave everything else out, coordinates included.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from .bodies import Records
from .parsing import as_bool, as_float, as_list, as_mapping, as_str, parse_timestamp


@dataclass(frozen=True, slots=True)
class ChargeSession:
    """One charging session of Charge.ChargeRecords (energy in kWh, states of charge in %)."""

    start: datetime | None
    end: datetime | None
    energy_added: float | None
    start_state_of_charge: float | None
    end_state_of_charge: float | None
    charging_type: str | None
    public_charger: bool | None
    location_name: str | None
    currency: str | None
    energy_cost: float | None
    other_cost: float | None

    @property
    def at(self) -> datetime | None:
        """When the session ended (or started, while no end is known)."""
        return self.end or self.start

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> ChargeSession:
        """Read `{startTime, endTime, energyAdded, cost{...}, location{name}, ...}`."""
        cost = as_mapping(record.get("cost"))
        return cls(
            start=parse_timestamp(record.get("startTime")),
            end=parse_timestamp(record.get("endTime")),
            energy_added=as_float(record.get("energyAdded")),
            start_state_of_charge=as_float(record.get("startStateOfCharge")),
            end_state_of_charge=as_float(record.get("endStateOfCharge")),
            # `chargingType` since 2026-01-28, `connectorType` before (reference 9.8).
            charging_type=as_str(record.get("chargingType"))
            or as_str(record.get("connectorType")),
            public_charger=as_bool(record.get("isPublicCharger")),
            location_name=as_str(as_mapping(record.get("location")).get("name")),
            currency=as_str(cost.get("currency")),
            energy_cost=as_float(cost.get("energyAmount")),
            other_cost=as_float(cost.get("otherAmount")),
        )


@dataclass(frozen=True, slots=True)
class ServiceVisit:
    """One entry of Service.Records: when, at what mileage, what was done, what it cost."""

    time: datetime | None
    odometer: float | None
    tasks: tuple[str, ...]
    details: tuple[str, ...]
    cost: float | None
    currency: str | None

    @property
    def at(self) -> datetime | None:
        """When the service took place."""
        return self.time

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> ServiceVisit:
        """Read `{time, odometer, tasks[{description}], details[{description}], cost{...}}`."""
        cost = as_mapping(record.get("cost"))
        return cls(
            time=parse_timestamp(record.get("time")),
            odometer=as_float(record.get("odometer")),
            tasks=_descriptions(record.get("tasks")),
            details=_descriptions(record.get("details")),
            cost=as_float(cost.get("amount")),
            currency=as_str(cost.get("currency")),
        )


def _descriptions(entries: Any) -> tuple[str, ...]:
    return tuple(
        text
        for entry in as_list(entries)
        if (text := as_str(as_mapping(entry).get("description")))
    )


class DatedRecord(Protocol):
    """A record with a time: a charging session or a service visit."""

    @property
    def at(self) -> datetime | None:
        """When it took place."""
        ...


def _latest[T: DatedRecord](items: Iterable[T]) -> T | None:
    dated = [(when, item) for item in items if (when := item.at) is not None]
    return max(dated, key=lambda pair: pair[0])[1] if dated else None


def last_charge_session(records: Records) -> ChargeSession | None:
    """Return the session that ended last (records without any time are skipped)."""
    return _latest(map(ChargeSession.from_json, records.items))


def last_service_visit(records: Records) -> ServiceVisit | None:
    """Return the most recent service visit (records without a time are skipped)."""
    return _latest(map(ServiceVisit.from_json, records.items))
