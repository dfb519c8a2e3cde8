"""Signals as received (REST or webhook), checked, and merged per vehicle in delivery order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from enum import StrEnum
import json
import logging
import re
from typing import Any, Final, cast

from .catalogue import CATALOGUE, SignalSpec
from .errors import ErrorDetail
from .parsing import as_mapping, as_str, parse_timestamp
from .signal_readers import MAX_TEXT, BodyError

_LOGGER = logging.getLogger(__name__)

# A timestamp further ahead than this (clock skew allowance) is not trusted for ordering.
FUTURE_TOLERANCE: Final = timedelta(minutes=5)
# Signals outside the catalogue are kept for diagnostics, within these bounds per vehicle.
MAX_UNKNOWN_SIGNALS: Final = 100
MAX_UNKNOWN_BODY_CHARS: Final = 2_000
# A known signal's body larger than this (e.g. 100 charge records) is refused.
MAX_BODY_CHARS: Final = 100_000
_CODE: Final = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
# The error a signal gets when its body is unreadable or implausible.
READ_ERROR_TYPE: Final = "SERVER"
READ_ERROR_CODE: Final = "INVALID_VALUE"

_logged: set[str] = set()


def _log_once(key: str, message: str, *args: object) -> None:
    if key not in _logged:
        _logged.add(key)
        _LOGGER.warning(message, *args)


class SignalStatus(StrEnum):
    """A signal's `status.value`."""

    SUCCESS = "SUCCESS"
    ERROR = "ERROR"


@dataclass(frozen=True, slots=True)
class Signal[B]:
    """One signal as received: status, error, parsed body (None if absent or unreadable).

    `B` is the body type of the signal's catalogue entry (`Any` for a signal outside it).

    `oem_updated_at` is None when Smartcar sent none, or one too far in the future to trust
    (then `future_dated`); `received_at` is when this client read it.
    """

    code: str
    name: str | None
    group: str | None
    status: str
    error: ErrorDetail | None
    body: B | None
    raw_body: Mapping[str, Any] | None
    oem_updated_at: datetime | None = None
    retrieved_at: datetime | None = None
    received_at: datetime | None = None
    future_dated: bool = False

    @property
    def ok(self) -> bool:
        """Whether Smartcar reports the value as current (`SUCCESS`)."""
        return self.status == SignalStatus.SUCCESS


def _json_size(value: object) -> int | None:
    try:
        return len(json.dumps(value))
    except RecursionError, TypeError, ValueError:
        return None


def _short(text: str | None) -> str | None:
    return text if text is None or len(text) <= MAX_TEXT else text[:MAX_TEXT]


def _error(value: Any) -> ErrorDetail | None:
    if not isinstance(value, Mapping):
        return None
    error = ErrorDetail.from_json(value, "UNKNOWN")
    return ErrorDetail(
        _short(error.type) or "UNKNOWN",
        *(_short(getattr(error, item.name)) for item in fields(error)[1:]),
    )


def _trusted(at: datetime | None, now: datetime, code: str) -> datetime | None:
    if at is not None and at > now + FUTURE_TOLERANCE:
        _log_once(
            f"future:{code}",
            "Smartcar dated %s in the future; ordering it by arrival time instead",
            code,
        )
        return None
    return at


def parse_signal(
    element: Mapping[str, Any], *, received_at: datetime | None = None
) -> Signal[Any] | None:
    """Read a signal from a REST element (`attributes`) or a webhook's flat form.

    Returns None when the element names no usable code. A known signal whose body does not
    read, or holds an impossible value, becomes a read error (status ERROR, no body), logged
    once per code; the value itself is never logged.
    """
    attributes = as_mapping(element.get("attributes")) or element
    raw_code = as_str(attributes.get("code")) or as_str(element.get("id"))
    code = raw_code.lower() if raw_code else None
    if not code or not _CODE.fullmatch(code):
        return None
    now = received_at or datetime.now(UTC)
    status = as_mapping(attributes.get("status"))
    status_value = (as_str(status.get("value")) or SignalStatus.SUCCESS).upper()[:32]
    error = _error(status.get("error"))
    raw_body = attributes.get("body")
    raw_body = raw_body if isinstance(raw_body, Mapping) else None
    body: object | None = None
    spec = CATALOGUE.get(code)
    if spec is None:
        size = _json_size(raw_body) if raw_body is not None else 0
        if size is None or size > MAX_UNKNOWN_BODY_CHARS:
            raw_body = None
    elif raw_body is not None:
        try:
            body = _read(spec, raw_body)
        except BodyError as err:
            _log_once(f"body:{code}", "Smartcar sent an unreadable %s: %s", code, err)
            raw_body = None
            if status_value == SignalStatus.SUCCESS:
                status_value = SignalStatus.ERROR
                error = ErrorDetail(
                    READ_ERROR_TYPE, READ_ERROR_CODE, title=f"Unreadable {code}"
                )
    meta = as_mapping(element.get("meta")) or as_mapping(attributes.get("meta"))
    oem_updated_at = parse_timestamp(meta.get("oemUpdatedAt"))
    trusted_at = _trusted(oem_updated_at, now, code)
    return Signal(
        code=code,
        name=_short(as_str(attributes.get("name"))),
        group=_short(as_str(attributes.get("group"))),
        status=status_value,
        error=error,
        body=body,
        raw_body=raw_body,
        oem_updated_at=trusted_at,
        retrieved_at=_trusted(parse_timestamp(meta.get("retrievedAt")), now, code),
        received_at=now,
        future_dated=trusted_at is None and oem_updated_at is not None,
    )


def _read(spec: SignalSpec[Any], raw_body: Mapping[str, Any]) -> object:
    size = _json_size(raw_body)
    if size is None or size > MAX_BODY_CHARS:
        raise BodyError("body too large")
    return cast(object, spec.read(raw_body))


def current_signal[B](
    spec: SignalSpec[B], raw_body: Mapping[str, Any], at: datetime
) -> Signal[B]:
    """Return a catalogue signal with a value known to be current at `at`."""
    return Signal(
        code=spec.code,
        name=spec.name,
        group=spec.group,
        status=SignalStatus.SUCCESS,
        error=None,
        body=spec.read(raw_body),
        raw_body=raw_body,
        oem_updated_at=at,
        retrieved_at=at,
        received_at=at,
    )


@dataclass(frozen=True, slots=True)
class VehicleSignals:
    """Every signal of one vehicle, by code."""

    signals: Mapping[str, Signal[Any]] = field(default_factory=dict)

    def get[B](self, spec: SignalSpec[B]) -> Signal[B] | None:
        """Return the signal of a catalogue entry (its body typed), if the vehicle reported it."""
        return cast(Signal[B] | None, self.signals.get(spec.code))

    def body[B](self, spec: SignalSpec[B]) -> B | None:
        """Return the parsed body of a catalogue entry (also a stale one on ERROR), or None."""
        signal = self.signals.get(spec.code)
        return (
            cast(B, signal.body)
            if signal is not None and signal.body is not None
            else None
        )

    def updated(
        self, spec: SignalSpec[Any], raw_body: Mapping[str, Any], at: datetime
    ) -> VehicleSignals:
        """Return a copy where a catalogue signal has a new value, known to be current at `at`."""
        return self.merged((current_signal(spec, raw_body, at),))

    def merged(self, updates: Iterable[Signal[Any]]) -> VehicleSignals:
        """Return a copy with `updates` applied, except those older than what is held.

        Deliveries can arrive out of order, so a signal whose `oem_updated_at` is before the
        held one's is ignored; one without a timestamp always applies. A held signal whose
        timestamp was not trusted (far in the future) is ordered by when it arrived, so one bad
        delivery cannot freeze it. At most MAX_UNKNOWN_SIGNALS codes outside the catalogue are
        kept.
        """
        merged = dict(self.signals)
        unknown = sum(1 for code in merged if code not in CATALOGUE)
        for signal in updates:
            held = merged.get(signal.code)
            if held is None and signal.code not in CATALOGUE:
                if unknown >= MAX_UNKNOWN_SIGNALS:
                    _log_once(
                        "unknown-limit",
                        "A vehicle reports more than %s unknown signals; the rest are dropped",
                        MAX_UNKNOWN_SIGNALS,
                    )
                    continue
                unknown += 1
            held_at = (
                None
                if held is None
                else held.received_at
                if held.future_dated
                else held.oem_updated_at
            )
            if (
                held_at is not None
                and signal.oem_updated_at is not None
                and signal.oem_updated_at < held_at
            ):
                continue
            merged[signal.code] = signal
        return VehicleSignals(merged)

    def latest_update(self) -> datetime | None:
        """Return the newest time a signal carries: when the car measured it, else when read.

        Untrusted (future) and missing times count as none; None when no signal has a time.
        """
        return max(
            (
                at
                for signal in self.signals.values()
                if (at := signal.oem_updated_at or signal.retrieved_at) is not None
            ),
            default=None,
        )

    def __contains__(self, spec: object) -> bool:
        """Whether the vehicle reported the signal of a catalogue entry."""
        return isinstance(spec, SignalSpec) and spec.code in self.signals
