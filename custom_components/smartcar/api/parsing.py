"""Tolerant readers for JSON values: the API's payloads vary between doc pages and versions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
import json
import math
from typing import Any, Final

# A Home Assistant state holds 255 characters: texts read from Smartcar are cut or refused
# beyond it.
MAX_TEXT: Final = 255
# Epoch numbers above this are milliseconds (webhooks), below it seconds (docs examples).
_EPOCH_MS_THRESHOLD: Final = 100_000_000_000


def as_mapping(value: Any) -> Mapping[str, Any]:
    """Return `value` if it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    """Return `value` if it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str | None:
    """Return `value` if it is a string."""
    return value if isinstance(value, str) else None


def as_float(value: Any) -> float | None:
    """Return `value` as a finite float if it is a JSON number (booleans are not numbers here).

    NaN, infinities and integers too large for a float are not numbers either.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def as_int(value: Any) -> int | None:
    """Return `value` as an int if it is a whole JSON number."""
    number = as_float(value)
    return int(number) if number is not None and number.is_integer() else None


def as_coordinate(value: Any, limit: float) -> float | None:
    """Return `value` if it is a finite number from -`limit` to `limit` (90: a latitude)."""
    number = as_float(value)
    return number if number is not None and -limit <= number <= limit else None


def as_bool(value: Any) -> bool | None:
    """Return `value` if it is a JSON boolean."""
    return value if isinstance(value, bool) else None


def parse_timestamp(value: Any) -> datetime | None:
    """Read an ISO-8601 string, or epoch seconds or milliseconds, as an aware UTC datetime."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
        if not parsed.tzinfo:
            return parsed.replace(tzinfo=UTC)
        try:
            # Normalised now: comparing "0001-01-01T00:00-05:00" later would overflow.
            return parsed.astimezone(UTC)
        except OverflowError, ValueError:
            return None
    number = as_float(value)
    if number is None or number <= 0:
        return None
    if number > _EPOCH_MS_THRESHOLD:
        number /= 1000
    try:
        return datetime.fromtimestamp(number, UTC)
    except OverflowError, OSError, ValueError:
        return None


def loads(text: str | bytes) -> Any:
    """Parse JSON with every non-finite number (`NaN`, `Infinity`, `1e309`) read as null.

    The number is refused where it stands, so one impossible value makes one signal a read
    error instead of failing the whole answer. Raises ValueError like `json.loads`, also for
    nesting too deep to parse.
    """
    try:
        return json.loads(
            text,
            parse_constant=lambda _name: None,
            parse_float=lambda number: as_float(float(number)),
        )
    except RecursionError as err:
        raise ValueError("JSON nested too deeply") from err
