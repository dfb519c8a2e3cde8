"""Smartcar error envelopes (v3 JSON:API `errors[]` and the flat v2 object)."""

from __future__ import annotations

from typing import Any, Literal

from aiohttp import web

type Envelope = Literal["v3", "v2"]

DOCS_BASE = "https://smartcar.com/docs/errors/api-errors"

_TITLES: dict[str, str] = {
    "AUTHENTICATION": "Authentication failed",
    "BILLING": "Billing limit reached",
    "COMPATIBILITY": "Not compatible",
    "CONNECTED_SERVICES_ACCOUNT": "Connected services account issue",
    "PERMISSION": "Permission denied",
    "RATE_LIMIT": "Rate limit exceeded",
    "RESOURCE_NOT_FOUND": "Resource not found",
    "SERVER": "Internal server error",
    "UPSTREAM": "Upstream error",
    "VALIDATION": "Invalid request",
    "VEHICLE_STATE": "Vehicle state prevents this request",
}

_RESOLUTIONS: dict[str, str] = {
    "BILLING": "CONTACT_SUPPORT",
    "CONNECTED_SERVICES_ACCOUNT": "REAUTHENTICATE",
    "PERMISSION": "REAUTHENTICATE",
    "RATE_LIMIT": "RETRY_LATER",
    "SERVER": "RETRY_LATER",
    "UPSTREAM": "RETRY_LATER",
    "VEHICLE_STATE": "RETRY_LATER",
}

_USER_MESSAGES: dict[str, str] = {
    "AUTHENTICATION": "Your app could not sign in to Smartcar. Please try again.",
    "BILLING": "Your Smartcar plan does not allow more requests right now.",
    "PERMISSION": "Please reconnect your vehicle and grant the missing permission.",
    "RATE_LIMIT": "Your vehicle is temporarily busy. Please try again later.",
    "VEHICLE_STATE": "Your vehicle is not in a state that allows this request.",
}


def default_title(error_type: str) -> str:
    """Return the human title used for an error type."""
    return _TITLES.get(error_type, error_type.replace("_", " ").capitalize())


def default_resolution(error_type: str) -> str | None:
    """Return the `resolution.type` Smartcar suggests for an error type."""
    return _RESOLUTIONS.get(error_type)


def doc_url(error_type: str, code: str | None) -> str:
    """Return the documentation link for an error."""
    page = f"{DOCS_BASE}/{error_type.lower().replace('_', '-')}-errors"
    return f"{page}#{code.lower().replace('_', '-')}" if code else page


class ApiError(Exception):
    """An error answer of the simulated API; raised anywhere, rendered by the middleware."""

    def __init__(
        self,
        status: int,
        error_type: str,
        code: str | None = None,
        detail: str | None = None,
        *,
        title: str | None = None,
        resolution: str | None = None,
        suggested_user_message: str | None = None,
        retry_after: int | None = None,
        envelope: Envelope = "v3",
    ) -> None:
        """Describe the error; unset texts fall back to per-type defaults."""
        self.status = status
        self.error_type = error_type
        self.code = code
        self.title = title or default_title(error_type)
        self.detail = detail or self.title
        super().__init__(self.detail)
        self.resolution = resolution or default_resolution(error_type)
        self.suggested_user_message = suggested_user_message or _USER_MESSAGES.get(
            error_type, "Something went wrong. Please try again later."
        )
        self.retry_after = retry_after
        self.envelope: Envelope = envelope

    def v3_body(self) -> dict[str, Any]:
        """Render the v3 `{"errors": [...]}` envelope."""
        return {
            "errors": [
                {
                    "status": str(self.status),
                    "type": self.error_type,
                    "code": self.code,
                    "title": self.title,
                    "detail": self.detail,
                    "links": {"about": doc_url(self.error_type, self.code)},
                    "resolution": {"type": self.resolution},
                    "suggestedUserMessage": self.suggested_user_message,
                }
            ]
        }

    def v2_body(self, request_id: str) -> dict[str, Any]:
        """Render the flat v2 error object."""
        return {
            "type": self.error_type,
            "code": self.code,
            "description": self.detail,
            "docURL": doc_url(self.error_type, self.code),
            "statusCode": self.status,
            "requestId": request_id,
            "resolution": {"type": self.resolution},
            "suggestedUserMessage": self.suggested_user_message,
        }

    def response(self, request_id: str) -> web.Response:
        """Build the HTTP response, with `Retry-After` when set."""
        body = self.v2_body(request_id) if self.envelope == "v2" else self.v3_body()
        headers = {}
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return web.json_response(body, status=self.status, headers=headers)


def validation_error(detail: str) -> ApiError:
    """Return a `400 VALIDATION PARAMETER` error naming the bad field in `detail`."""
    return ApiError(400, "VALIDATION", "PARAMETER", detail)


def not_found(detail: str) -> ApiError:
    """Return a `404 RESOURCE_NOT_FOUND PATH` error."""
    return ApiError(404, "RESOURCE_NOT_FOUND", "PATH", detail)


def not_capable(detail: str) -> ApiError:
    """Return a `501 COMPATIBILITY VEHICLE_NOT_CAPABLE` error."""
    return ApiError(501, "COMPATIBILITY", "VEHICLE_NOT_CAPABLE", detail)


def permission_error(permission: str) -> ApiError:
    """Return a `403 PERMISSION` error naming the missing permission."""
    return ApiError(
        403,
        "PERMISSION",
        None,
        f"The connection was not granted the {permission} permission.",
    )


def oauth_error(status: int, error: str, description: str) -> web.Response:
    """Return an OAuth2 token endpoint error (`{"error", "error_description"}`)."""
    return web.json_response(
        {"error": error, "error_description": description}, status=status
    )
