"""The simulated world: accounts, vehicles, connections, tokens and Connect sessions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from typing import TYPE_CHECKING, Any
import uuid

from .signals import SignalError, SignalRecord

if TYPE_CHECKING:
    from .charging import ChargeSession
    from .schedules import ChargeSchedule


@dataclass(slots=True)
class PendingChange:
    """A state change that lands on the vehicle once simulator time reaches `due`."""

    due: datetime
    apply: Callable[[Vehicle, datetime], None]


@dataclass(slots=True)
class Vehicle:
    """One simulated car and its raw signal store."""

    id: str
    account_email: str
    make: str
    model: str
    year: int
    powertrain: str
    vin: str
    signals: dict[str, SignalRecord]
    range_per_percent: float | None = None
    mode: str = "live"
    charge_session: ChargeSession | None = None
    pending: list[PendingChange] = field(default_factory=list)
    schedules: list[ChargeSchedule] = field(default_factory=list)

    def attributes(self) -> dict[str, Any]:
        """Return the vehicle attributes shown by `/vehicles/{id}` and `included.vehicle`."""
        return {
            "make": self.make,
            "model": self.model,
            "year": self.year,
            "powertrainType": self.powertrain,
            "mode": self.mode,
        }

    def resource(self) -> dict[str, Any]:
        """Return the JSON:API `vehicle` resource."""
        return {
            "id": self.id,
            "type": "vehicle",
            "attributes": self.attributes(),
            "links": {"self": f"/v3/vehicles/{self.id}"},
        }

    def body(self, code: str) -> dict[str, Any]:
        """Return the stored body of a signal (raises `KeyError` if absent)."""
        body = self.signals[code].body
        if body is None:
            raise KeyError(code)
        return body

    def set_body(self, code: str, body: dict[str, Any], at: datetime) -> None:
        """Store a fresh successful value of a signal measured at `at`."""
        record = self.signals[code]
        record.body = body
        record.error = None
        record.oem_updated_at = at
        record.retrieved_at = at

    def set_error(self, code: str, error: SignalError, at: datetime) -> None:
        """Mark a signal as failing at `at`, keeping its last (now stale) body."""
        record = self.signals[code]
        record.error = error
        record.retrieved_at = at

    @property
    def is_electric(self) -> bool:
        """Return whether the car has a traction battery (BEV or PHEV)."""
        return self.powertrain in {"BEV", "PHEV"}


@dataclass(slots=True)
class Account:
    """An OEM login known to Connect; each account maps to one Smartcar user id."""

    email: str
    password: str
    user_id: str
    vehicle_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Connection:
    """A user-vehicle connection created by Connect."""

    id: str
    user_id: str
    vehicle_id: str
    permissions: list[str]
    created_at: datetime
    updated_at: datetime
    sequence: int


@dataclass(slots=True)
class ConnectSession:
    """The state carried between the Connect login page and the vehicle page."""

    email: str
    redirect_uri: str
    state: str | None
    permissions: list[str]


class World:
    """All mutable simulator data."""

    def __init__(self) -> None:
        """Start empty; `vehicles.build_demo_world` fills in the demo fleet."""
        self.accounts: dict[str, Account] = {}
        self.vehicles: dict[str, Vehicle] = {}
        self.connections: dict[str, Connection] = {}
        self.tokens: dict[str, datetime] = {}
        self.connect_sessions: dict[str, ConnectSession] = {}
        self._sequence = count(1)

    def account(self, email: str) -> Account:
        """Return the account for `email`, creating it (password `demo`) if new."""
        key = email.strip().lower()
        if key not in self.accounts:
            self.accounts[key] = Account(key, "demo", str(uuid.uuid4()))
        return self.accounts[key]

    def add_vehicle(self, vehicle: Vehicle) -> None:
        """Register a vehicle under its account."""
        self.vehicles[vehicle.id] = vehicle
        self.account(vehicle.account_email).vehicle_ids.append(vehicle.id)

    def connection_for(self, user_id: str, vehicle_id: str) -> Connection | None:
        """Return the connection between a user and a vehicle, if any."""
        for connection in self.connections.values():
            if connection.user_id == user_id and connection.vehicle_id == vehicle_id:
                return connection
        return None

    def upsert_connection(
        self, user_id: str, vehicle_id: str, permissions: list[str], now: datetime
    ) -> Connection:
        """Create a connection, or refresh the permissions of an existing one."""
        existing = self.connection_for(user_id, vehicle_id)
        if existing is not None:
            existing.permissions = list(permissions)
            existing.updated_at = now
            return existing
        connection = Connection(
            id=str(uuid.uuid4()),
            user_id=user_id,
            vehicle_id=vehicle_id,
            permissions=list(permissions),
            created_at=now,
            updated_at=now,
            sequence=next(self._sequence),
        )
        self.connections[connection.id] = connection
        return connection

    def sorted_connections(self) -> list[Connection]:
        """Return all connections, newest first (createdAt DESC)."""
        return sorted(
            self.connections.values(),
            key=lambda item: (item.created_at, item.sequence),
            reverse=True,
        )
