"""Command arguments, checked before any request: the charge limit and a destination."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from . import contract
from .errors import ArgumentValidationError
from .parsing import as_coordinate, as_int


class CommandProblem(StrEnum):
    """Why a command's argument is refused (also the integration's translation keys)."""

    INVALID_CHARGE_LIMIT = "invalid_charge_limit"
    INVALID_LATITUDE = "invalid_latitude"
    INVALID_LONGITUDE = "invalid_longitude"
    INVALID_NAME = "invalid_name"


class CommandValidationError(ArgumentValidationError):
    """A command argument Smartcar would refuse; nothing was sent."""

    problem: CommandProblem


def charge_limit_percent(value: Any) -> int:
    """Return a charge limit as the whole percentage Smartcar takes (50 to 100).

    Only integers are taken (a float that is a whole number too, e.g. 80.0 from a slider);
    booleans, fractions, NaN and anything out of range are refused.
    """
    percent = as_int(value)
    if (
        percent is None
        or not contract.CHARGE_LIMIT_MIN <= percent <= contract.CHARGE_LIMIT_MAX
    ):
        raise CommandValidationError(
            CommandProblem.INVALID_CHARGE_LIMIT, contract.CHARGE_LIMIT_FIELD
        )
    return percent


def destination_attributes(
    latitude: Any, longitude: Any, name: Any = None
) -> dict[str, Any]:
    """Return the set-destination body's `data.attributes` (the name only when given).

    The coordinates must be finite numbers in range and the name short text.
    """
    lat, lon = as_coordinate(latitude, 90), as_coordinate(longitude, 180)
    if lat is None:
        raise CommandValidationError(
            CommandProblem.INVALID_LATITUDE, contract.DESTINATION_LATITUDE_FIELD
        )
    if lon is None:
        raise CommandValidationError(
            CommandProblem.INVALID_LONGITUDE, contract.DESTINATION_LONGITUDE_FIELD
        )
    attributes: dict[str, Any] = {
        contract.DESTINATION_LATITUDE_FIELD: lat,
        contract.DESTINATION_LONGITUDE_FIELD: lon,
    }
    if name is not None:
        if (
            not isinstance(name, str)
            or len(name) > contract.DESTINATION_NAME_MAX_LENGTH
        ):
            raise CommandValidationError(
                CommandProblem.INVALID_NAME, contract.DESTINATION_NAME_FIELD
            )
        if name := name.strip():
            attributes[contract.DESTINATION_NAME_FIELD] = name
    return attributes
