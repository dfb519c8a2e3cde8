"""Smartcar webhook deliveries: typed events, the `SC-Signature` check and the VERIFY answer.

Everything here works on the raw bytes Smartcar posted; nothing is trusted before it is checked.
VERIFY requests are unsigned (as Smartcar sends them), so answering one signs whatever the
sender chose: `verify_answer` refuses any challenge that could be (part of) an event body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
import hashlib
import hmac
import re
from typing import Any, Final

import orjson

from .contract import (
    GROUP_PERMISSIONS,
    VERIFY_CHALLENGE_MAX_LENGTH,
    VERIFY_CHALLENGE_REFUSED,
)
from .errors import ErrorDetail
from .parsing import as_list, as_mapping, as_str
from .signals import CATALOGUE, Signal, parse_signal

SIGNATURE_HEADER: Final = "SC-Signature"
# hex(HMAC-SHA256) is 64 hex digits; anything else is refused before any comparison.
_SIGNATURE: Final = re.compile(r"[0-9a-fA-F]{64}", re.ASCII)
# Smartcar's challenges are random strings. A delivery is a JSON object, which needs `{` and
# `"`: a challenge without them (and without `\` and control characters) can never be
# signed into a valid delivery (the rule: `contract.VERIFY_CHALLENGE_REFUSED`).
_CHALLENGE: Final = re.compile(
    rf"[^{VERIFY_CHALLENGE_REFUSED}]{{1,{VERIFY_CHALLENGE_MAX_LENGTH}}}"
)
_PERMISSION_BY_GROUP: Final = {
    group.lower(): permission for group, permission in GROUP_PERMISSIONS.items()
}


class EventType(StrEnum):
    """What a delivery is."""

    VERIFY = "VERIFY"
    VEHICLE_STATE = "VEHICLE_STATE"
    VEHICLE_ERROR = "VEHICLE_ERROR"
    # The dashboard's "test webhook" (any event type with `meta.mode` TEST): never applied.
    TEST = "TEST"
    UNKNOWN = "UNKNOWN"


class WebhookPayloadError(ValueError):
    """The body is not a JSON object."""


@dataclass(frozen=True, slots=True)
class VehicleError:
    """One error of a `VEHICLE_ERROR` delivery."""

    detail: ErrorDetail
    resolved: bool
    # The error's identity, which its RESOLVED repeats: its type, its code and the codes
    # (lower case, sorted) of the signals it names, as far as they name one.
    key: tuple[str, str | None, tuple[str, ...]]
    # The permissions the error's signals need (None: a signal whose permission is unknown).
    # Empty when the error names no signal, i.e. concerns the whole vehicle connection.
    permissions: tuple[str | None, ...] = ()


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """A delivery, read leniently: what is missing or malformed is left empty."""

    type: EventType
    event_id: str | None = None
    vehicle_id: str | None = None
    challenge: str | None = None
    # The raw `signals[]` (VEHICLE_STATE) or `errors[]` (VEHICLE_ERROR) entries.
    items: tuple[Any, ...] = ()

    def read_signals(self) -> tuple[Signal[Any], ...]:
        """Read a VEHICLE_STATE's signals (entries that do not read are left out)."""
        if self.type is not EventType.VEHICLE_STATE:
            return ()
        now = datetime.now(UTC)
        return tuple(
            signal
            for element in self.items
            if (signal := parse_signal(as_mapping(element), received_at=now))
            is not None
        )

    def read_errors(self) -> tuple[VehicleError, ...]:
        """Read a VEHICLE_ERROR's errors."""
        if self.type is not EventType.VEHICLE_ERROR:
            return ()
        return tuple(_vehicle_error(as_mapping(item)) for item in self.items)


def parse_event(body: bytes) -> WebhookEvent:
    """Read a delivery's raw body; raise `WebhookPayloadError` when it is not a JSON object.

    Only a body whose signature was checked, or one small enough to be an unsigned VERIFY,
    should come here.
    """
    try:  # orjson: several times faster, and strict (no NaN, a bounded nesting depth)
        raw = orjson.loads(body)
    except ValueError as err:  # also invalid UTF-8 and too deep a nesting
        raise WebhookPayloadError("body is not JSON") from err
    if not isinstance(raw, Mapping):
        raise WebhookPayloadError("body is not a JSON object")
    data = as_mapping(raw.get("data"))
    event_id = as_str(raw.get("eventId"))
    if raw.get("eventType") == "VERIFY" or raw.get("eventName") == "verify":
        challenge = as_str(data.get("challenge")) or as_str(
            as_mapping(raw.get("payload")).get("challenge")
        )
        return WebhookEvent(EventType.VERIFY, event_id, challenge=challenge)
    vehicle_id = as_str(raw.get("vehicleId")) or as_str(
        as_mapping(data.get("vehicle")).get("id")
    )
    if (as_str(as_mapping(raw.get("meta")).get("mode")) or "").upper() == "TEST":
        return WebhookEvent(EventType.TEST, event_id, vehicle_id)
    kind = raw.get("eventType")
    if kind in (EventType.VEHICLE_STATE, EventType.VEHICLE_ERROR):
        items = as_list(data.get("signals" if kind == "VEHICLE_STATE" else "errors"))
        return WebhookEvent(EventType(kind), event_id, vehicle_id, items=tuple(items))
    return WebhookEvent(EventType.UNKNOWN, event_id, vehicle_id)


def _vehicle_error(raw: Mapping[str, Any]) -> VehicleError:
    named = [_signal(item) for item in as_list(raw.get("signals"))]
    detail = ErrorDetail.from_json(raw, "UNKNOWN")
    return VehicleError(
        detail,
        resolved=(as_str(raw.get("state")) or "").upper() == "RESOLVED",
        key=(detail.type, detail.code, tuple(sorted({c for c, _ in named if c}))),
        permissions=tuple(permission for _, permission in named),
    )


def _signal(reference: Any) -> tuple[str | None, str | None]:
    """Return the code (lower case) of a signal named in an error, and the permission it needs.

    Smartcar names it as `"Group.Name"` or as `{code, group}`. A catalogue signal needs the
    catalogue's permission (e.g. `read_vin` for the VIN); any other signal its group's.
    """
    group: str | None
    if isinstance(reference, str):
        group, _, name = reference.partition(".")
        code = f"{group}-{name}" if name else None
    else:
        item = as_mapping(reference)
        code, group = as_str(item.get("code")), as_str(item.get("group"))
    code = code.lower() if code else None
    if code and (spec := CATALOGUE.get(code)) is not None:
        return code, spec.permission
    group = group or (code.partition("-")[0] if code else None)
    return code, _PERMISSION_BY_GROUP.get(group.lower()) if group else None


def sign(management_token: str, message: bytes) -> str:
    """Return hex HMAC-SHA256 of `message` keyed with the Application Management Token."""
    return hmac.new(management_token.encode(), message, hashlib.sha256).hexdigest()


def signature_valid(management_token: str, body: bytes, signature: str | None) -> bool:
    """Whether `signature` is Smartcar's signature of exactly these body bytes.

    A malformed value (not 64 ASCII hex digits) is refused before comparing.
    """
    if signature is None or _SIGNATURE.fullmatch(signature) is None:
        return False
    return hmac.compare_digest(signature.lower(), sign(management_token, body))


def verify_answer(
    management_token: str, challenge: str | None
) -> dict[str, str] | None:
    """Return the JSON body answering a VERIFY; None for a challenge that may not be signed.

    Only a bounded string without braces, quotes, backslashes or control characters is signed,
    which no event body can be: no signing oracle.
    """
    if challenge is None or _CHALLENGE.fullmatch(challenge) is None:
        return None
    return {"challenge": sign(management_token, challenge.encode())}
