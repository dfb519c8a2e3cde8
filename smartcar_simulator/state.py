"""The simulated world: accounts, vehicles, connections, tokens and Connect sessions.

This is the model at the bottom of the simulator: it imports only the signal
records, the clock helpers and the (pure) upstream month model. Behaviour (charging, schedules, closures) sits above
it, the `Simulator` above that, and the HTTP routes on top.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from itertools import count
import math
from typing import Any, Literal
import uuid

from .clock import iso
from .signals import SignalError, SignalRecord
from .upstream import DEFAULT_HOME_ZONE, FollowedMonth


@dataclass(slots=True)
class ChargeSession:
    """A running charge: state of charge is a straight line from its anchor."""

    started_at: datetime
    start_soc: float
    watts: float
    capacity_kwh: float
    limit: float

    @property
    def percent_per_second(self) -> float:
        """Return how many percentage points the battery gains per second."""
        return self.watts / 1000 / self.capacity_kwh * 100 / 3600

    def soc_at(self, moment: datetime) -> float:
        """Return the state of charge at `moment` (never above the limit)."""
        elapsed = (moment - self.started_at).total_seconds()
        return min(self.limit, self.start_soc + self.percent_per_second * elapsed)

    def full_at(self) -> datetime:
        """Return when the limit is reached."""
        seconds = (self.limit - self.start_soc) / self.percent_per_second
        return self.started_at + timedelta(seconds=seconds)

    def minutes_to_complete(self, soc: float) -> int:
        """Return whole minutes left until the limit, rounded up."""
        return math.ceil((self.limit - soc) / self.percent_per_second / 60)


@dataclass(slots=True)
class ChargeSchedule:
    """A stored charge schedule; `attributes` is the validated create body."""

    id: str
    schedule_type: str
    attributes: dict[str, Any]
    created_at: datetime

    def resource(self) -> dict[str, Any]:
        """Return the `charge-schedule` JSON:API resource of the list endpoint."""
        return {
            "id": self.id,
            "type": "charge-schedule",
            "attributes": {"scheduleType": self.schedule_type, **self.attributes},
            "meta": {"createdAt": iso(self.created_at)},
        }


ALL_SCHEDULE_TYPES: frozenset[str] = frozenset({"daily", "weekly", "workweek"})


@dataclass(frozen=True, slots=True)
class Destination:
    """A destination a set-destination command sent to the car."""

    latitude: float
    longitude: float
    name: str | None
    sent_at: datetime


type UnsubscribedAnswer = Literal["404", "empty", "stale"]
"""How `/signals` answers for a vehicle no webhook subscription covers (sources disagree):
`404`, `200` with no signals, or the values of a day ago."""


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
    unsubscribed_answer: UnsubscribedAnswer | None = None
    """Set: the vehicle serves data only while a webhook subscription covers it."""
    schedule_types: frozenset[str] = ALL_SCHEDULE_TYPES
    """Charge schedule types the car takes; others (all, when empty) answer not capable."""
    unsupported_commands: set[str] = field(default_factory=set)
    """Command endpoint names (`charge_start`, ...) the car answers 501 VEHICLE_NOT_CAPABLE."""
    destinations: list[Destination] = field(default_factory=list)
    """Destinations sent to the car's navigation, oldest first."""
    followed: FollowedMonth | None = None
    """Set: battery, cable and charging follow a seeded month, as Smartcar's copy shows it."""
    home_zone: tzinfo = DEFAULT_HOME_ZONE
    """Where the car lives: Smartcar's daily refresh of a followed month is at 04:00 there."""

    @property
    def last_destination(self) -> Destination | None:
        """The destination the navigation shows now (the last one sent), if any."""
        return self.destinations[-1] if self.destinations else None

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
        """Store a fresh successful value of a signal measured at `at` (unless held)."""
        record = self.signals[code]
        if record.held:
            return
        record.body = body
        record.error = None
        record.oem_updated_at = at
        record.retrieved_at = at

    def set_error(self, code: str, error: SignalError, at: datetime) -> None:
        """Mark a signal as failing at `at`, keeping its last (now stale) body (unless held)."""
        record = self.signals[code]
        if record.held:
            return
        record.error = error
        record.retrieved_at = at

    def hold_error(
        self, code: str, error: SignalError, at: datetime, *, keep_body: bool = False
    ) -> None:
        """Put a signal into `error` until `release_error`, whatever the car reports.

        This is how a car answers a signal it cannot give (not capable, a permission its
        maker refuses, an upstream outage): new values and errors are ignored meanwhile.
        Without `keep_body` the error carries no body.
        """
        record = self.signals[code]
        record.error = error
        record.retrieved_at = at
        if not keep_body:
            record.body = None
        record.held = True

    def release_error(self, code: str) -> None:
        """Stop holding a signal's error; it clears with the next value the car reports."""
        self.signals[code].held = False

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
class Webhook:
    """A webhook of the application (created in the Smartcar dashboard)."""

    id: str
    name: str
    callback_uri: str
    is_enabled: bool = True
    auto_subscribe: bool = False
    error_callback_uri: str | None = None
    """Where error events go, when not to `callback_uri`."""

    def resource(self) -> dict[str, Any]:
        """Return the Management API `webhook` resource (attributes as documented)."""
        return {
            "id": self.id,
            "type": "webhook",
            "attributes": {
                "name": self.name,
                "callbackUri": self.callback_uri,
                "isEnabled": self.is_enabled,
                "autoSubscribe": self.auto_subscribe,
                "errorCallbackUri": self.error_callback_uri,
            },
            "links": {"self": f"/management/v3/webhooks/{self.id}"},
        }


@dataclass(slots=True)
class VehicleSubscription:
    """A vehicle subscribed to a webhook on behalf of a user (Management API)."""

    id: str
    webhook_id: str
    user_id: str
    vehicle_id: str
    created_at: datetime


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
        self.webhooks: dict[str, Webhook] = {}
        self.subscriptions: dict[str, VehicleSubscription] = {}
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

    def is_subscribed(self, vehicle_id: str) -> bool:
        """Return whether any webhook subscription covers a vehicle."""
        return any(
            item.vehicle_id == vehicle_id for item in self.subscriptions.values()
        )

    def signals_answer(self, vehicle: Vehicle) -> UnsubscribedAnswer | None:
        """Return how `/signals` answers for `vehicle` now; None for its data."""
        if vehicle.unsubscribed_answer is None or self.is_subscribed(vehicle.id):
            return None
        return vehicle.unsubscribed_answer

    def sorted_connections(self) -> list[Connection]:
        """Return all connections, newest first (createdAt DESC)."""
        return sorted(
            self.connections.values(),
            key=lambda item: (item.created_at, item.sequence),
            reverse=True,
        )


def is_granted(record: SignalRecord, connection: Connection) -> bool:
    """Return whether a connection may read a signal."""
    return record.permission is None or record.permission in connection.permissions
