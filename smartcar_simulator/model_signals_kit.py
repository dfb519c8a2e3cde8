"""Building blocks of the other makes' signal sets: records of one shape, ages, held errors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from .schedules import WEEKDAYS
from .signals import CATALOGUE, SignalError, SignalRecord, SignalShape

type Order = Literal["catalogue", "code"]
"""How a car lists its signals: in catalogue order, or sorted by code (as captured live)."""

WEEK = tuple(day.upper() for day in WEEKDAYS)
_POSITIONS = {code: index for index, code in enumerate(CATALOGUE)}


def by_catalogue(records: Iterable[SignalRecord]) -> dict[str, SignalRecord]:
    """Return the records by code, listed in catalogue order."""
    ranked = sorted(records, key=lambda record: _POSITIONS[record.code])
    return {record.code: record for record in ranked}


def capacity_body(
    capacity: float, capacities: Iterable[tuple[float, str]], source: str = "SMARTCAR"
) -> dict[str, Any]:
    """Return a TractionBattery NominalCapacity body (`capacities`: size and description)."""
    return {
        "capacity": capacity,
        "unit": "kWh",
        "source": source,
        "availableCapacities": [
            {"capacity": size, "description": text} for size, text in capacities
        ],
    }


def not_capable() -> SignalError:
    """Return `COMPATIBILITY`/`VEHICLE_NOT_CAPABLE`: the car cannot report this signal."""
    return SignalError(
        "COMPATIBILITY",
        "VEHICLE_NOT_CAPABLE",
        "This vehicle does not report this signal.",
        title="Vehicle not capable",
    )


def permission_refused() -> SignalError:
    """Return `PERMISSION`/`UNKNOWN`: the owner must log in again to grant this signal."""
    return SignalError(
        "PERMISSION",
        "UNKNOWN",
        "The connection may not read this signal; log in to Smartcar Connect again.",
        title="Permission denied",
        resolution="REAUTHENTICATE",
    )


def vehicle_state(code: str, detail: str) -> SignalError:
    """Return a `VEHICLE_STATE` error: the value is not current in the car's state."""
    return SignalError("VEHICLE_STATE", code, detail, title="Vehicle state")


def server_error() -> SignalError:
    """Return `SERVER`/`INTERNAL` (observed live on a Polestar's ChargeTimers)."""
    return SignalError(
        "SERVER",
        "INTERNAL",
        "Smartcar could not process this signal.",
        title="Internal server error",
        resolution="RETRY_LATER",
    )


def upstream_error() -> SignalError:
    """Return `UPSTREAM`/`NO_RESPONSE`: the carmaker did not answer for this signal."""
    return SignalError(
        "UPSTREAM",
        "NO_RESPONSE",
        "The carmaker did not answer for this signal.",
        title="Upstream error",
        resolution="RETRY_LATER",
    )


@dataclass(slots=True)
class SignalSet:
    """The records of one car as built at `now`, all of one shape."""

    now: datetime
    shape: SignalShape
    records: list[SignalRecord] = field(default_factory=list)

    def value(
        self,
        code: str,
        body: dict[str, Any],
        age: timedelta = timedelta(),
        *,
        error: SignalError | None = None,
        retrieved: timedelta | None = None,
    ) -> None:
        """Add a value the car reported `age` ago (Smartcar fetched it `retrieved` ago).

        With `error` the value is stale: the signal answers ERROR with this body.
        """
        updated = self.now - age
        self.records.append(
            SignalRecord.known(
                code,
                body,
                updated,
                error,
                retrieved_at=self.now - (age if retrieved is None else retrieved),
                shape=self.shape,
            )
        )

    def held(
        self,
        code: str,
        error: SignalError,
        age: timedelta = timedelta(),
        *,
        stale_body: dict[str, Any] | None = None,
    ) -> None:
        """Add a signal held in `error` since `age` ago (with a stale body, or none)."""
        at = self.now - age
        self.records.append(
            SignalRecord.known(code, stale_body, at, error, shape=self.shape, held=True)
        )

    def result(self, order: Order) -> dict[str, SignalRecord]:
        """Return the records by code, listed in `order`."""
        if order == "code":
            ranked = sorted(self.records, key=lambda record: record.code)
            result = {record.code: record for record in ranked}
        else:
            result = by_catalogue(self.records)
        if len(result) != len(self.records):
            raise ValueError("a signal was added twice")
        return result
