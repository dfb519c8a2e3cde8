"""The charge-schedule actions' schemas: Home Assistant validators, translated errors.

Each field is checked declaratively; a value voluptuous refuses becomes the translated
`ServiceValidationError` of its field (`_field_error`), and the rules that join
fields (stop differs from start, weekend times for workweek, days for weekly) live in
`_cross_field_rules`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Any, Final

from homeassistant.const import ATTR_DEVICE_ID, ATTR_LATITUDE, ATTR_LONGITUDE
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .api import ScheduleType, Weekday
from .api.contract import SCHEDULE_ID_PATTERN
from .const import DOMAIN

ATTR_TYPE: Final = "type"
ATTR_START_TIME: Final = "start_time"
ATTR_STOP_TIME: Final = "stop_time"
ATTR_DAYS: Final = "days"
ATTR_WEEKEND_START_TIME: Final = "weekend_start_time"
ATTR_WEEKEND_STOP_TIME: Final = "weekend_stop_time"
ATTR_LOCATION: Final = "location"
ATTR_SCHEDULE_ID: Final = "schedule_id"

# A list longer than this (devices, days) is refused: no use needs it, and it bounds the work.
MAX_LIST_ITEMS: Final = 14
# Hostile values are shown shortened in error messages.
_SHOWN_CHARS: Final = 40
_TIME_FIELDS: Final = (
    ATTR_START_TIME,
    ATTR_STOP_TIME,
    ATTR_WEEKEND_START_TIME,
    ATTR_WEEKEND_STOP_TIME,
)


def shown(value: object) -> str:
    """Return a value as it may appear in a message (shortened)."""
    text = str(value)
    return text if len(text) <= _SHOWN_CHARS else f"{text[:_SHOWN_CHARS]}…"


def invalid(key: str, **placeholders: str) -> ServiceValidationError:
    """Return the translated error `key` of the integration."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


_DEVICES = vol.All(
    cv.ensure_list,
    vol.Length(min=1, max=MAX_LIST_ITEMS),
    [vol.All(str, vol.Length(min=1))],
)
# One Smartcar vehicle's device id, or a list of them (every vehicle action takes these).
DEVICE_IDS: Final = _DEVICES
_LOCATION = vol.Schema(
    {
        vol.Required(ATTR_LATITUDE): cv.latitude,
        vol.Required(ATTR_LONGITUDE): cv.longitude,
        vol.Optional("radius"): vol.Coerce(float),  # the location selector adds it
    }
)

CREATE_FIELDS: Final = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): _DEVICES,
        vol.Required(ATTR_TYPE): vol.All(
            cv.string, vol.Lower, vol.In([kind.value for kind in ScheduleType])
        ),
        vol.Required(ATTR_START_TIME): cv.time,
        vol.Required(ATTR_STOP_TIME): cv.time,
        vol.Optional(ATTR_DAYS): vol.All(
            cv.ensure_list,
            vol.Length(max=MAX_LIST_ITEMS),
            [vol.All(cv.string, vol.Lower, vol.In([day.value for day in Weekday]))],
        ),
        vol.Optional(ATTR_WEEKEND_START_TIME): cv.time,
        vol.Optional(ATTR_WEEKEND_STOP_TIME): cv.time,
        vol.Optional(ATTR_LOCATION): _LOCATION,
    }
)
LIST_FIELDS: Final = vol.Schema({vol.Required(ATTR_DEVICE_ID): _DEVICES})
DELETE_FIELDS: Final = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): _DEVICES,
        vol.Required(ATTR_SCHEDULE_ID): vol.All(
            str, vol.Strip, vol.Match(SCHEDULE_ID_PATTERN)
        ),
    }
)


def _value_at(data: Any, path: list[Any]) -> Any:
    for part in path:
        try:
            data = data[part]
        except KeyError, IndexError, TypeError:
            return None
    return data


def _too_long(value: Any) -> bool:
    return isinstance(value, list) and len(value) > MAX_LIST_ITEMS


def _too_many(field: str) -> ServiceValidationError:
    return invalid("schedule_too_many_items", field=field, limit=str(MAX_LIST_ITEMS))


def device_id_error(value: Any) -> ServiceValidationError:
    """Return the translated error for a refused `device_id` (too many, or not an id)."""
    if _too_long(value):
        return _too_many(ATTR_DEVICE_ID)
    return invalid("invalid_device", device_id=shown(value))


def _field_error(data: Any, err: vol.Invalid) -> ServiceValidationError:
    """Return the translated error for the first field voluptuous refused."""
    path = [str(part) if isinstance(part, str) else part for part in err.path]
    field = str(path[0]) if path else ""
    value = _value_at(data, path[:1])
    if field == ATTR_DEVICE_ID:
        return device_id_error(value)
    if field == ATTR_DAYS and _too_long(value):
        return _too_many(field)
    if field == ATTR_TYPE:
        return invalid("schedule_invalid_type", type=shown(value))
    if field in _TIME_FIELDS:
        if value is None:
            return invalid("schedule_missing_field", field=field)
        return invalid("schedule_invalid_time", field=field)
    if field == ATTR_DAYS:
        return invalid(
            "schedule_invalid_day", field=field, day=shown(_value_at(data, path[:2]))
        )
    if field == ATTR_LOCATION and len(path) > 1 and path[1] == ATTR_LATITUDE:
        return invalid("schedule_invalid_latitude", field=ATTR_LATITUDE)
    if field == ATTR_LOCATION and len(path) > 1 and path[1] == ATTR_LONGITUDE:
        return invalid("schedule_invalid_longitude", field=ATTR_LONGITUDE)
    if field == ATTR_LOCATION:
        return invalid("schedule_invalid_location", field=field)
    return invalid("schedule_invalid_id", schedule_id=shown(value))


def _cross_field_rules(data: dict[str, Any]) -> dict[str, Any]:
    """Check what joins fields: each window's stop, workweek's weekend, weekly's days.

    A window may run past midnight (22:00 to 05:00); only a stop equal to its start is
    refused. Repeated days count once.
    """
    windows = [(ATTR_START_TIME, ATTR_STOP_TIME)]
    if data[ATTR_TYPE] == ScheduleType.WORKWEEK:
        windows.append((ATTR_WEEKEND_START_TIME, ATTR_WEEKEND_STOP_TIME))
    for start, stop in windows:
        for field in (start, stop):
            if data.get(field) is None:
                raise invalid("schedule_missing_field", field=field)
        first: time = data[start]
        last: time = data[stop]
        if first.replace(second=0, microsecond=0) == last.replace(
            second=0, microsecond=0
        ):
            raise invalid("schedule_same_start_stop", field=stop)
    if data[ATTR_TYPE] == ScheduleType.WEEKLY:
        days = list(dict.fromkeys(data.get(ATTR_DAYS) or ()))
        if not days:
            raise invalid("schedule_no_days", field=ATTR_DAYS)
        data = {**data, ATTR_DAYS: days}
    return data


def translated(
    fields: vol.Schema,
    rules: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    field_error: Callable[[Any, vol.Invalid], ServiceValidationError] = _field_error,
) -> vol.All[Any]:
    """Return an action schema whose errors are the integration's translated messages.

    `field_error` turns the first error voluptuous reports into the translated error (the
    charge-schedule fields' table unless told otherwise).
    """

    def validate(data: Any) -> dict[str, Any]:
        try:
            checked: dict[str, Any] = fields(data)
        except vol.MultipleInvalid as err:  # a dict schema reports every error so
            raise field_error(data, err.errors[0]) from err
        return rules(checked) if rules else checked

    return vol.All(validate)


CREATE_SCHEMA: Final = translated(CREATE_FIELDS, _cross_field_rules)
LIST_SCHEMA: Final = translated(LIST_FIELDS)
DELETE_SCHEMA: Final = translated(DELETE_FIELDS)
