"""Signals as received (REST or webhook), checked, and merged per vehicle by their timestamps.

Adding a signal is one `SignalSpec` entry in `catalogue.py` (its body class in `bodies.py`, its
reader in `readers.py`); every entry, body class and record view is importable from here. Unknown
signals are kept (bounded) with their raw body; a known body that does not read, or holds an
impossible value, becomes a read error with no body.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
import json
import logging
import re
from typing import Any, Final, cast

import orjson

from . import catalogue
from .bodies import *  # noqa: F403  (every body class and record view, by name)
from .bodies import BooleanValue, ChargeLimits
from .catalogue import *  # noqa: F403  (every entry, by name)
from .catalogue import CATALOGUE, SignalSpec
from .contract import MERGE_TIMESTAMP
from .errors import ErrorDetail
from .parsing import as_list, as_mapping, as_str, parse_timestamp
from .readers import BodyError

_LOGGER = logging.getLogger(__name__)

# A timestamp further ahead than this (clock skew allowance) is not trusted for ordering.
FUTURE_TOLERANCE: Final = timedelta(minutes=5)
# Signals outside the catalogue are kept for diagnostics, within these bounds per vehicle.
MAX_UNKNOWN_SIGNALS: Final = 100
MAX_UNKNOWN_BODY_CHARS: Final = 2_000
# A known signal's body larger than this (e.g. 100 charge records) is refused.
MAX_BODY_CHARS: Final = 100_000
# The times a signal's `meta` carries, the one that orders it first (contract.MERGE_TIMESTAMP).
META_TIMES: Final = (MERGE_TIMESTAMP, "retrievedAt", "fetchedAt")
_CODE: Final = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
# The error code a signal gets (type SERVER) when its body is unreadable or implausible.
READ_ERROR_CODE: Final = "INVALID_VALUE"


class OnceLogger:
    """Log-once state with a lifetime: each key's first warning is logged, the others are not.

    Each client (one per entry) and each vehicle's signals hold their own, so a car that keeps
    sending an unreadable value fills no log, and one entry never silences another's warning.
    """

    def __init__(self) -> None:
        """Start with nothing logged."""
        self._logged: set[str] = set()

    def warn_once(self, key: str, message: str, *args: object) -> None:
        """Log `message` as a warning the first time `key` comes."""
        if key not in self._logged:
            self._logged.add(key)
            _LOGGER.warning(message, *args)


@dataclass(frozen=True, slots=True)
class Signal[B]:
    """One signal as received: status, error, parsed body (None if absent or unreadable).

    `B` is the body type of the signal's catalogue entry (`Any` for a signal outside it);
    `status` is Smartcar's `status.value` upper-case (SUCCESS, ERROR; others kept as they come).

    `oem_updated_at` (when the car updated the value) is None when Smartcar sent none, or one
    too far in the future to trust (then `future_dated`); `retrieved_at` and `fetched_at` are
    Smartcar's `retrievedAt` and `fetchedAt` (when it fetched the value), likewise None when
    absent or in the future; `received_at` is when this client read it. Only `oem_updated_at`
    orders signals (`VehicleSignals.merged`, see `contract.MERGE_TIMESTAMP`).
    """

    code: str
    status: str
    error: ErrorDetail | None
    body: B | None
    raw_body: Mapping[str, Any] | None
    oem_updated_at: datetime | None = None
    retrieved_at: datetime | None = None
    received_at: datetime | None = None
    future_dated: bool = False
    fetched_at: datetime | None = None

    @property
    def ok(self) -> bool:
        """Whether Smartcar reports the value as current (`SUCCESS`)."""
        return self.status == "SUCCESS"

    @property
    def measured_at(self) -> datetime | None:
        """When the value was true: the car's time, else when Smartcar retrieved it."""
        return self.oem_updated_at or self.retrieved_at


def _json_size(value: object) -> int | None:
    try:  # orjson is several times faster; json takes what it refuses (integers past 64 bits)
        return len(orjson.dumps(value))
    except TypeError:
        try:
            return len(json.dumps(value))
        except RecursionError, TypeError, ValueError:
            return None


def _warn(log: OnceLogger | None, key: str, message: str, *args: object) -> None:
    """Warn through `log`; without one (no lifetime to warn once in), log at debug level."""
    if log is None:
        _LOGGER.debug(message, *args)
    else:
        log.warn_once(key, message, *args)


def _read(spec: SignalSpec[Any], raw: Mapping[str, Any], size: int | None) -> object:
    if size is None or size > MAX_BODY_CHARS:
        raise BodyError("body too large")
    return spec.read(raw)


def parse_signal(
    element: Mapping[str, Any],
    *,
    received_at: datetime | None = None,
    log: OnceLogger | None = None,
) -> Signal[Any] | None:
    """Read a signal from a REST element (`attributes`) or a webhook's flat form.

    Returns None when the element names no usable code. A known signal whose body does not
    read, or holds an impossible value, becomes a read error (status ERROR, no body), warned
    about once per code through `log` (the caller's, e.g. its client's); the value itself is
    never logged.
    """
    attributes = as_mapping(element.get("attributes")) or element
    raw_code = as_str(attributes.get("code")) or as_str(element.get("id"))
    code = raw_code.lower() if raw_code else None
    if not code or not _CODE.fullmatch(code):
        return None
    now = received_at or datetime.now(UTC)
    status = as_mapping(attributes.get("status"))
    status_value = (as_str(status.get("value")) or "SUCCESS").upper()[:32]
    error = ErrorDetail.optional(status.get("error"))
    raw_body = raw if isinstance(raw := attributes.get("body"), Mapping) else None
    body: object | None = None
    spec = CATALOGUE.get(code)
    size = _json_size(raw_body) if raw_body is not None else 0
    if spec is None and (size is None or size > MAX_UNKNOWN_BODY_CHARS):
        raw_body = None
    elif spec is not None and raw_body is not None:
        try:
            body = _read(spec, raw_body, size)
        except BodyError as err:
            _warn(log, f"body:{code}", "Smartcar sent an unreadable %s: %s", code, err)
            raw_body = None
            if status_value == "SUCCESS":
                status_value = "ERROR"
                error = ErrorDetail("SERVER", READ_ERROR_CODE)
    meta = as_mapping(element.get("meta")) or as_mapping(attributes.get("meta"))
    times = [parse_timestamp(meta.get(key)) for key in META_TIMES]
    # Beyond the clock skew allowance a time is not trusted for ordering.
    future = [t is not None and t > now + FUTURE_TOLERANCE for t in times]
    at, retrieved_at, fetched_at = (
        None if ahead else t for t, ahead in zip(times, future, strict=True)
    )
    if any(future):
        _warn(log, f"future:{code}", "%s dated in the future: ordered by arrival", code)
    return Signal(
        code=code,
        status=status_value,
        error=error,
        body=body,
        raw_body=raw_body,
        oem_updated_at=at,
        retrieved_at=retrieved_at,
        received_at=now,
        future_dated=future[0],
        fetched_at=fetched_at,
    )


def current_signal[B](
    spec: SignalSpec[B], raw_body: Mapping[str, Any], at: datetime
) -> Signal[B]:
    """Return a catalogue signal with a value known to be current at `at`."""
    return Signal(
        code=spec.code,
        status="SUCCESS",
        error=None,
        body=spec.read(raw_body),
        raw_body=raw_body,
        oem_updated_at=at,
        retrieved_at=at,
        received_at=at,
    )


@dataclass(frozen=True, slots=True)
class VehicleSignals:
    """Every signal of one vehicle, by code.

    `log` is the log-once state of this vehicle's data: `merged` hands it on to the copy.
    """

    signals: Mapping[str, Signal[Any]] = field(default_factory=dict)
    log: OnceLogger = field(default_factory=OnceLogger, compare=False, repr=False)

    def get[B](self, spec: SignalSpec[B]) -> Signal[B] | None:
        """Return the signal of a catalogue entry (its body typed), if the vehicle reported it."""
        # The one place a code maps to its body type: the entry read every body of its code.
        # A quoted type: `Signal[B] | None` would build a union on every call.
        return cast("Signal[B] | None", self.signals.get(spec.code))

    def body[B](self, spec: SignalSpec[B]) -> B | None:
        """Return the parsed body of a catalogue entry (also a stale one on ERROR), or None."""
        return signal.body if (signal := self.get(spec)) is not None else None

    def updated[B](
        self, spec: SignalSpec[B], raw_body: Mapping[str, Any], at: datetime
    ) -> VehicleSignals:
        """Return a copy where a catalogue signal has a new value, known to be current at `at`."""
        return self.merged((current_signal(spec, raw_body, at),))

    def merged(self, updates: Iterable[Signal[Any]]) -> VehicleSignals:
        """Return a copy with `updates` applied, except those older than what is held.

        Deliveries can arrive out of order, so a signal whose `oem_updated_at` is before the
        held one's is ignored; one at the same time, or without a timestamp, applies (the later
        arrival wins). A held signal whose timestamp was not trusted (far in the future) is
        ordered by when it arrived, so one bad delivery cannot freeze it. At most
        MAX_UNKNOWN_SIGNALS codes outside the catalogue are kept.
        """
        merged = dict(self.signals)
        unknown = sum(1 for code in merged if code not in CATALOGUE)
        for signal in updates:
            held = merged.get(signal.code)
            if held is None and signal.code not in CATALOGUE:
                if unknown >= MAX_UNKNOWN_SIGNALS:
                    self.log.warn_once(
                        "unknown-limit",
                        "A vehicle reports more than %s unknown signals; the rest are dropped",
                        MAX_UNKNOWN_SIGNALS,
                    )
                    continue
                unknown += 1
            at = signal.oem_updated_at
            if held is not None and at is not None:
                held_at = held.received_at if held.future_dated else held.oem_updated_at
                if held_at is not None and at < held_at:
                    continue
                if at == held.oem_updated_at and _same_reading(signal, held):
                    continue  # the same reading again: the held object stays (nothing new)
            merged[signal.code] = signal
        return VehicleSignals(merged, self.log)

    def latest_update(self) -> datetime | None:
        """Return the newest time a signal carries: when the car measured it, else when fetched.

        Untrusted (future) and missing times count as none; None when no signal has a time.
        """
        times = [s.measured_at or s.fetched_at for s in self.signals.values()]
        return max((at for at in times if at is not None), default=None)


def _same_reading(signal: Signal[Any], held: Signal[Any]) -> bool:
    """Whether `signal` says what `held` says (status, value, error) at the same time."""
    return (signal.status, signal.body, signal.error) == (
        held.status,
        held.body,
        held.error,
    )


def lock_state(locked: bool, at: datetime) -> Signal[BooleanValue]:
    """Return the IsLocked signal a lock or unlock command that succeeded implies."""
    return current_signal(catalogue.IS_LOCKED, {"value": locked}, at)


class ChargingStatus(StrEnum):
    """Documented values of Charge.DetailedChargingStatus (others are kept as they come)."""

    CHARGING = "CHARGING"
    NOT_CHARGING = "NOT_CHARGING"
    FULLY_CHARGED = "FULLY_CHARGED"


# A charger's readings: what they were before a start or stop no longer holds after it.
CHARGER_READINGS: Final = (
    catalogue.CHARGE_WATTAGE,
    catalogue.AMPERAGE,
    catalogue.CHARGE_VOLTAGE,
    catalogue.CHARGE_RATE,
    catalogue.TIME_TO_COMPLETE,
)


def charging_state(
    charging: bool, at: datetime, held: VehicleSignals | None = None
) -> list[Signal[Any]]:
    """Return what a start or stop command that succeeded implies.

    IsCharging and the status; and each charger reading `held` has: once stopped, idle as the
    car reports it (VEHICLE_STATE NOT_CHARGING: 0, no end), once started unknown (SUCCESS, no
    body) until the car is read. A reading the car never reported is not made up.
    """
    status = ChargingStatus.CHARGING if charging else ChargingStatus.NOT_CHARGING
    idle = None if charging else ErrorDetail("VEHICLE_STATE", status.value)
    readings: list[Signal[Any]] = [
        Signal(
            spec.code, "SUCCESS" if charging else "ERROR", idle, None, None, at, at, at
        )
        for spec in CHARGER_READINGS
        if held is not None and held.get(spec) is not None
    ]
    return [
        current_signal(catalogue.IS_CHARGING, {"value": charging}, at),
        current_signal(catalogue.DETAILED_CHARGING_STATUS, {"value": status.value}, at),
        *readings,
    ]


def charge_limit_state(
    held: Signal[ChargeLimits] | None, percent: int, at: datetime
) -> Signal[ChargeLimits]:
    """Return the ChargeLimits a set-limit command that succeeded implies.

    The GLOBAL entry takes the new limit (one is added when the car listed none); the other
    entries stay as they came. The active limit follows when it was the GLOBAL one (a car
    plugged in where no location limit applies); unknown (unplugged) it stays unknown.
    """
    raw: dict[str, Any] = dict(held.raw_body) if held and held.raw_body else {}
    limits = held.body if held else None
    entries = [dict(as_mapping(entry)) for entry in as_list(raw.get("values"))]
    global_entries = [e for e in entries if str(e.get("type", "")).upper() == "GLOBAL"]
    for entry in global_entries:
        entry["limit"] = percent
    if not global_entries:
        entries.append({"type": "GLOBAL", "limit": percent, "condition": None})
    raw["values"] = entries
    if limits and limits.active_limit is not None:
        if limits.global_limit in (None, limits.active_limit):
            raw["activeLimit"] = percent
    raw.setdefault("activeLimit", None)
    raw.setdefault("unit", "percent")
    return current_signal(catalogue.CHARGE_LIMITS, raw, at)
