"""Webhook event payloads (envelope v4.0): `VERIFY`, `VEHICLE_STATE` and `VEHICLE_ERROR`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
import secrets
from typing import Any, Literal, TypedDict
import uuid

from .clock import epoch_millis
from .errors import ApiError, doc_url
from .signals import CATALOGUE, render_signal
from .state import Connection, Vehicle, is_granted

type EventMode = Literal["LIVE", "TEST"]
type ErrorState = Literal["ERROR", "RESOLVED"]

PAYLOAD_VERSION = "4.0"
LEGACY_PAYLOAD_VERSION = "2.0"
WEBHOOK_ID = "3f0e1d2c-4b5a-4697-8a8b-9c0d1e2f3a4b"
"""The id of the one webhook the simulated application has configured."""
WEBHOOK_NAME = "Simulator webhook"


class StateEventOptions(TypedDict, total=False):
    """The keyword options of `Simulator.vehicle_state_event` (and `push`)."""

    user_id: str | None
    event_id: str | None
    trigger_codes: Sequence[str] | None
    first_delivery: bool
    triggers_in_data: bool
    mode: EventMode
    codes: Sequence[str] | None


def is_verify(event: Mapping[str, Any]) -> bool:
    """Return whether an event is a `VERIFY` challenge (v4.0 or legacy v2.0)."""
    return event.get("eventType") == "VERIFY" or event.get("eventName") == "verify"


def signal_reference(vehicle: Vehicle, code: str) -> dict[str, str]:
    """Return `{code, name, group}` of a signal of the vehicle or of the catalogue."""
    record = vehicle.signals.get(code)
    if record is not None:
        return {"code": code, "name": record.name, "group": record.group}
    spec = CATALOGUE.get(code)
    if spec is None:
        raise ValueError(f"unknown signal {code!r}")
    return {"code": code, "name": spec.name, "group": spec.group}


def _meta(now: datetime, mode: EventMode) -> dict[str, Any]:
    return {
        "version": PAYLOAD_VERSION,
        "webhookId": WEBHOOK_ID,
        "webhookName": WEBHOOK_NAME,
        "deliveryId": str(uuid.uuid4()),
        "deliveredAt": epoch_millis(now),
        "mode": mode,
    }


def _user_and_vehicle(vehicle: Vehicle, user_id: str) -> dict[str, Any]:
    return {
        "user": {"id": user_id},
        "vehicle": {"id": vehicle.id, **vehicle.attributes()},
    }


def verify_event(
    now: datetime, challenge: str | None = None, *, legacy: bool = False
) -> dict[str, Any]:
    """Return a `VERIFY` event; `challenge` defaults to a fresh random string."""
    if challenge is None:
        challenge = secrets.token_hex(16)
    if legacy:
        return {
            "version": LEGACY_PAYLOAD_VERSION,
            "webhookId": WEBHOOK_ID,
            "eventName": "verify",
            "payload": {"challenge": challenge},
        }
    return {
        "eventId": str(uuid.uuid4()),
        "eventType": "VERIFY",
        "data": {"challenge": challenge},
        "meta": _meta(now, "LIVE"),
    }


def vehicle_state_event(
    vehicle: Vehicle,
    connection: Connection,
    now: datetime,
    *,
    event_id: str | None = None,
    trigger_codes: Sequence[str] | None = None,
    first_delivery: bool = False,
    triggers_in_data: bool = False,
    mode: EventMode = "LIVE",
    codes: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Return a `VEHICLE_STATE` event carrying every signal the connection grants.

    `codes` narrows the carried signals (each must exist on the vehicle). Triggers
    name `trigger_codes`, by default every carried signal; their type is
    `FIRST_DELIVERY` with `first_delivery`, else `SIGNAL_UPDATED`. They sit at the
    top level, or inside `data` with `triggers_in_data`.
    """
    if codes is not None:
        missing = [code for code in codes if code not in vehicle.signals]
        if missing:
            raise ValueError(f"vehicle {vehicle.id} has no signal {missing[0]!r}")
    records = [
        record
        for record in vehicle.signals.values()
        if (codes is None or record.code in codes) and is_granted(record, connection)
    ]
    if trigger_codes is None:
        trigger_codes = [record.code for record in records]
    trigger_type = "FIRST_DELIVERY" if first_delivery else "SIGNAL_UPDATED"
    triggers = [
        {"type": trigger_type, "signal": signal_reference(vehicle, code)}
        for code in trigger_codes
    ]
    data: dict[str, Any] = {
        **_user_and_vehicle(vehicle, connection.user_id),
        "signals": [
            render_signal(record, vehicle_id=vehicle.id, form="webhook")
            for record in records
        ],
    }
    event: dict[str, Any] = {
        "eventId": event_id or str(uuid.uuid4()),
        "eventType": "VEHICLE_STATE",
        "vehicleId": vehicle.id,
        "data": data,
    }
    if triggers_in_data:
        data["triggers"] = triggers
    else:
        event["triggers"] = triggers
    event["meta"] = _meta(now, mode)
    return event


def vehicle_error_event(
    vehicle: Vehicle,
    user_id: str,
    now: datetime,
    error_type: str,
    code: str | None,
    *,
    state: ErrorState = "ERROR",
    resolution: str | None = None,
    description: str | None = None,
    signal_codes: Sequence[str] | None = None,
    event_id: str | None = None,
    mode: EventMode = "LIVE",
) -> dict[str, Any]:
    """Return a `VEHICLE_ERROR` event with one error (`state` `ERROR` or `RESOLVED`).

    Unset texts and the resolution fall back to the API's per-type defaults.
    """
    defaults = ApiError(0, error_type, code, description, resolution=resolution)
    error = {
        "type": error_type,
        "code": code,
        "state": state,
        "description": defaults.detail,
        "docURL": doc_url(error_type, code),
        "resolution": {"type": defaults.resolution},
        "suggestedUserMessage": defaults.suggested_user_message,
        "signals": [signal_reference(vehicle, item) for item in signal_codes or ()],
    }
    return {
        "eventId": event_id or str(uuid.uuid4()),
        "eventType": "VEHICLE_ERROR",
        "vehicleId": vehicle.id,
        "data": {"errors": [error], **_user_and_vehicle(vehicle, user_id)},
        "meta": _meta(now, mode),
    }
