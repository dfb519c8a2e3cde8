"""The simulator's state kept across restarts (`--state FILE`): who is connected to what.

`scripts/develop` keeps it under the config folder, so a restart of the development set-up
keeps every car connected (a simulator that forgot its connections made Home Assistant see
every car as gone). Kept: each account's user id, the access tokens issued, the connections,
the webhooks and their vehicle subscriptions. The cars themselves (their signals) start from the demo fleet again.
The file is written at every change of those, checked every SAVE_EVERY seconds, and at stop.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import datetime
from itertools import count
import json
from pathlib import Path
from typing import Any, Final

from .state import Connection, VehicleSubscription, Webhook, World

SAVE_EVERY: Final = 2.0  # seconds


def dump(world: World) -> dict[str, Any]:
    """Return what is kept of the world, as JSON values."""

    def plain(item: Any) -> dict[str, Any]:
        return {
            key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in asdict(item).items()
        }

    return {
        "users": {email: a.user_id for email, a in world.accounts.items()},
        "tokens": {token: at.isoformat() for token, at in world.tokens.items()},
        "connections": [plain(c) for c in world.connections.values()],
        "webhooks": [plain(w) for w in world.webhooks.values()],
        "subscriptions": [plain(s) for s in world.subscriptions.values()],
    }


def load(world: World, data: dict[str, Any]) -> None:
    """Take back what `dump` kept, for the accounts and vehicles the world has."""
    for email, user_id in data.get("users", {}).items():
        if email in world.accounts:
            world.accounts[email].user_id = str(user_id)
    for token, expires in data.get("tokens", {}).items():
        world.tokens[str(token)] = datetime.fromisoformat(expires)
    dated = ("created_at", "updated_at")
    for raw in data.get("connections", []):
        if raw.get("vehicle_id") in world.vehicles:
            raw |= {k: datetime.fromisoformat(raw[k]) for k in dated if k in raw}
            world.connections[raw["id"]] = Connection(**raw)
    # New connections are numbered after the kept ones.
    numbers = [c.sequence for c in world.connections.values()]
    world._sequence = count(max(numbers, default=0) + 1)  # noqa: SLF001
    for raw in data.get("webhooks", []):
        world.webhooks[raw["id"]] = Webhook(**raw)
    for raw in data.get("subscriptions", []):
        if raw.get("vehicle_id") in world.vehicles:
            raw["created_at"] = datetime.fromisoformat(raw["created_at"])
            world.subscriptions[raw["id"]] = VehicleSubscription(**raw)


def read(world: World, path: Path) -> None:
    """Load the state file when there is one (a damaged one is ignored, then overwritten)."""
    try:
        load(world, json.loads(path.read_text(encoding="utf-8")))
    except OSError, ValueError, TypeError, KeyError, AttributeError:
        return


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
