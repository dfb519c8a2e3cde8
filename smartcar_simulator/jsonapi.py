"""Small JSON:API helpers: request bodies, query integers and execution resources."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
import secrets
from typing import Any

from aiohttp import web

from .clock import iso
from .errors import validation_error


async def request_attributes(request: web.Request) -> dict[str, Any]:
    """Return the body's `data.attributes` object (400 VALIDATION otherwise)."""
    try:
        payload: Any = await request.json()
    except ValueError as err:
        raise validation_error("data: the body must be a JSON object") from err
    data = payload.get("data") if isinstance(payload, dict) else None
    attributes = data.get("attributes") if isinstance(data, dict) else None
    if not isinstance(attributes, dict):
        raise validation_error("data.attributes: required object")
    return attributes


def positive_int(
    query: Mapping[str, str], name: str, default: int, maximum: int | None = None
) -> int:
    """Read a positive integer query parameter; 400 VALIDATION names it when invalid."""
    raw = query.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise validation_error(f"{name}: must be a positive integer")
    value = int(raw)
    if maximum is not None and value > maximum:
        raise validation_error(f"{name}: must be at most {maximum}")
    return value


def execution_id() -> str:
    """Return a fresh execution id (`exec_…`)."""
    return f"exec_{secrets.token_hex(8)}"


def execution_meta(
    executed_at: datetime, completed_at: datetime | None
) -> dict[str, Any]:
    """Return the `meta` block of a command or schedule execution."""
    return {
        "executedAt": iso(executed_at),
        "completedAt": iso(completed_at) if completed_at else None,
        "durationInSeconds": (
            round((completed_at - executed_at).total_seconds())
            if completed_at
            else None
        ),
    }


def command_execution(
    command_type: str,
    status: str,
    *,
    asynchronous: bool,
    now: datetime,
    parameters: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return a `command-execution` document."""
    status_body: dict[str, Any] = {"value": status}
    if status == "FAILURE":
        status_body["error"] = {
            "type": "VEHICLE_STATE",
            "code": "UNREACHABLE",
            "detail": "The vehicle did not confirm the command.",
        }
    return {
        "data": {
            "id": execution_id(),
            "type": "command-execution",
            "attributes": {
                "commandType": command_type,
                "status": status_body,
                "executionMode": "async" if asynchronous else "sync",
                "parameters": parameters or {},
            },
            "meta": execution_meta(now, None if status == "PENDING" else now),
        }
    }
