"""Small JSON:API helpers: query integers and execution resources."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
import secrets
from typing import Any

from .clock import iso
from .errors import validation_error


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
