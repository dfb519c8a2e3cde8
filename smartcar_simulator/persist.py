"""The simulator's state kept across restarts (`--state FILE`): connections and the cars' values.

`scripts/develop` keeps it under the config folder, so a restart of the development set-up
keeps every car connected and as it was left (a simulator that forgot its connections made
Home Assistant see every car as gone). Kept: each account's user id, the newest access tokens,
the connections, the webhooks and their vehicle subscriptions, and of each car its signals
(charge level, lock, charging, odometer …), its running charge, its charge schedules and the
last destinations sent. Not kept: a command still running at the carmaker (202).

The file is written at every change, checked every SAVE_EVERY seconds, and at stop. A file
that does not read (damaged, or not this format) is ignored as a whole, with a warning: the
demo world starts afresh and the file is overwritten. A file of the first format (connections
only) keeps the connections; the cars start from the demo fleet.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import datetime
from itertools import count
import json
import logging
from pathlib import Path
from typing import Any, Final

from .schedules import MAX_SCHEDULES
from .signals import SignalError
from .state import (
    ChargeSchedule,
    ChargeSession,
    Connection,
    Destination,
    Vehicle,
    VehicleSubscription,
    Webhook,
    World,
)

_LOGGER = logging.getLogger(__name__)

SAVE_EVERY: Final = 2.0  # seconds
VERSION: Final = 2
"""The file's format: 1 (no `version`) held connections only; 2 adds the cars' values."""
MAX_TOKENS: Final = 100
"""Access tokens kept (the latest to expire): a long-running set-up does not grow the file."""
MAX_DESTINATIONS: Final = 10
"""Destinations kept per car (the newest)."""


def _plain(item: Any) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in asdict(item).items()
    }


def _dump_vehicle(vehicle: Vehicle) -> dict[str, Any]:
    signals = {
        code: {
            "body": record.body,
            "oem_updated_at": record.oem_updated_at.isoformat(),
            "retrieved_at": record.retrieved_at.isoformat(),
            "error": None if record.error is None else asdict(record.error),
            "held": record.held,
        }
        for code, record in vehicle.signals.items()
    }
    session = vehicle.charge_session
    return {
        "signals": signals,
        "charge_session": None if session is None else _plain(session),
        "schedules": [_plain(schedule) for schedule in vehicle.schedules],
        "destinations": [_plain(d) for d in vehicle.destinations[-MAX_DESTINATIONS:]],
    }


def dump(world: World) -> dict[str, Any]:
    """Return what is kept of the world, as JSON values."""
    tokens = sorted(world.tokens.items(), key=lambda item: item[1])[-MAX_TOKENS:]
    return {
        "version": VERSION,
        "users": {email: a.user_id for email, a in world.accounts.items()},
        "tokens": {token: at.isoformat() for token, at in tokens},
        "connections": [_plain(c) for c in world.connections.values()],
        "webhooks": [_plain(w) for w in world.webhooks.values()],
        "subscriptions": [_plain(s) for s in world.subscriptions.values()],
        "vehicles": {vid: _dump_vehicle(v) for vid, v in world.vehicles.items()},
    }


def _dated(raw: dict[str, Any], *keys: str) -> dict[str, Any]:
    """Return `raw` with its `keys` read as ISO datetimes (a missing key raises KeyError)."""
    return raw | {key: datetime.fromisoformat(raw[key]) for key in keys}


def _dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {value!r}")
    return float(value)


def _restore_vehicle(vehicle: Vehicle, raw: dict[str, Any]) -> Callable[[], None]:
    """Read a car's kept values; return what puts them on the car (nothing changed before)."""
    signals = dict(vehicle.signals)
    for code, item in _dict(raw["signals"]).items():
        if code not in signals:
            continue  # a signal this car no longer has
        item = _dict(item)
        body, error = item["body"], item["error"]
        signals[code] = replace(
            signals[code],
            body=None if body is None else _dict(body),
            oem_updated_at=datetime.fromisoformat(item["oem_updated_at"]),
            retrieved_at=datetime.fromisoformat(item["retrieved_at"]),
            error=None if error is None else SignalError(**_dict(error)),
            held=bool(item["held"]),
        )
    session_raw = raw["charge_session"]
    session = None
    if session_raw is not None:
        session_raw = _dated(_dict(session_raw), "started_at")
        session = ChargeSession(
            session_raw["started_at"],
            *(
                _number(session_raw[key])
                for key in ("start_soc", "watts", "capacity_kwh", "limit")
            ),
        )
        if session.percent_per_second <= 0:
            raise ValueError("a charge that gains nothing")
    schedules = [
        ChargeSchedule(**_dated(_dict(item), "created_at"))
        for item in raw["schedules"][:MAX_SCHEDULES]
    ]
    if any(not isinstance(item.attributes, dict) for item in schedules):
        raise TypeError("schedule attributes are not an object")
    destinations = [
        Destination(**_dated(_dict(item), "sent_at"))
        for item in raw["destinations"][-MAX_DESTINATIONS:]
    ]

    def apply() -> None:
        vehicle.signals = signals
        vehicle.charge_session = session
        vehicle.schedules = schedules
        vehicle.destinations = destinations

    return apply


def load(world: World, data: dict[str, Any]) -> None:
    """Take back what `dump` kept, for the accounts and vehicles the world has.

    Everything is read before anything changes: a file that fails to read leaves the world
    as it was (and raises).
    """
    data = _dict(data)
    users = {
        email: str(user_id)
        for email, user_id in _dict(data.get("users", {})).items()
        if email in world.accounts
    }
    tokens = {
        str(token): datetime.fromisoformat(expires)
        for token, expires in _dict(data.get("tokens", {})).items()
    }
    connections = [
        Connection(**_dated(_dict(raw), "created_at", "updated_at"))
        for raw in data.get("connections", [])
        if _dict(raw).get("vehicle_id") in world.vehicles
    ]
    webhooks = [Webhook(**_dict(raw)) for raw in data.get("webhooks", [])]
    subscriptions = [
        VehicleSubscription(**_dated(_dict(raw), "created_at"))
        for raw in data.get("subscriptions", [])
        if _dict(raw).get("vehicle_id") in world.vehicles
    ]
    cars = [
        _restore_vehicle(world.vehicles[vehicle_id], _dict(raw))
        for vehicle_id, raw in _dict(data.get("vehicles", {})).items()
        if vehicle_id in world.vehicles
    ]
    for email, user_id in users.items():
        world.accounts[email].user_id = user_id
    world.tokens.update(tokens)
    world.connections.update((c.id, c) for c in connections)
    # New connections are numbered after the kept ones.
    numbers = [c.sequence for c in world.connections.values()]
    world._sequence = count(max(numbers, default=0) + 1)  # noqa: SLF001
    world.webhooks.update((w.id, w) for w in webhooks)
    world.subscriptions.update((s.id, s) for s in subscriptions)
    for apply in cars:
        apply()


def read(world: World, path: Path) -> None:
    """Load the state file when there is one; one that does not read is ignored (logged)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return
    except OSError as err:
        _LOGGER.warning("State file %s unreadable (%s): starting afresh", path, err)
        return
    try:
        data = json.loads(text)
        load(world, data)
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        _LOGGER.warning(
            "State file %s does not read (%s: %s): starting afresh; it will be overwritten",
            path,
            type(err).__name__,
            err,
        )
        return
    if data.get("version") != VERSION:
        _LOGGER.warning(
            "State file %s is of an older format: connections kept, the cars start afresh",
            path,
        )


def write(world: World, path: Path, last: str | None = None) -> str:
    """Write the state file when it changed since `last`; return what it holds now."""
    text = json.dumps(dump(world), indent=1, sort_keys=True)
    if text != last:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_suffix(".tmp").write_text(text, encoding="utf-8")
        path.with_suffix(".tmp").replace(path)
    return text


async def keep(world: World, path: Path) -> None:
    """Write the state file whenever it changed, until cancelled (then once more)."""
    last = None
    try:
        while True:
            last = write(world, path, last)
            await asyncio.sleep(SAVE_EVERY)
    finally:
        write(world, path, last)
