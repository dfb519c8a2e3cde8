"""Fault injection: latency, scripted failures, rate and billing limits, broken JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
import math
from typing import Literal

from .clock import Clock
from .endpoints import ALL_ENDPOINTS, COMMAND_ENDPOINTS
from .errors import ApiError, Envelope

type CommandStatus = Literal["SUCCESS", "PENDING", "FAILURE"]

COMMAND_STATUSES: frozenset[str] = frozenset({"SUCCESS", "PENDING", "FAILURE"})
DEFAULT_RETRY_AFTER = 60
"""Seconds sent in `Retry-After` by an injected 429 that names no delay."""


def _check_endpoint(endpoint: str) -> None:
    if endpoint not in ALL_ENDPOINTS:
        raise ValueError(f"unknown endpoint {endpoint!r}")


def _check_count(count: int) -> None:
    if count < 1:
        raise ValueError("count must be at least 1")


@dataclass(slots=True)
class FailureRule:
    """Answer the next `remaining` matching requests with an error."""

    endpoint: str
    status: int
    error_type: str
    code: str | None
    remaining: int
    vehicle_id: str | None
    page: int | None
    retry_after: int | None
    envelope: Envelope
    resolution: str | None
    detail: str | None

    def matches(self, endpoint: str | None, vehicle_id: str | None, page: int) -> bool:
        """Return whether a request is covered by this rule."""
        return (
            self.endpoint == endpoint
            and (self.vehicle_id is None or self.vehicle_id == vehicle_id)
            and (self.page is None or self.page == page)
        )

    def error(self) -> ApiError:
        """Return the error to answer with (a 429 always carries `Retry-After`)."""
        retry_after = self.retry_after
        if retry_after is None and self.status == 429:
            retry_after = DEFAULT_RETRY_AFTER
        return ApiError(
            self.status,
            self.error_type,
            self.code,
            self.detail,
            resolution=self.resolution,
            retry_after=retry_after,
            envelope=self.envelope,
        )


@dataclass(slots=True)
class MalformedRule:
    """Answer the next `remaining` matching requests with a broken JSON body."""

    endpoint: str
    remaining: int
    vehicle_id: str | None


@dataclass(slots=True)
class AsyncCommandRule:
    """Answer the next `remaining` commands with 202 and `final_status`."""

    remaining: int
    final_status: CommandStatus


class Faults:
    """All injected faults; consumed by the request pipeline."""

    def __init__(self, clock: Clock) -> None:
        """Use `clock` (simulator time) for rate limits and monthly quotas."""
        self._clock = clock
        self.latency: float = 0.0
        """Seconds added to every API request."""
        self.endpoint_latency: dict[str, float] = {}
        """Extra seconds per endpoint name."""
        self.monthly_request_limit: int | None = None
        """Requests allowed per vehicle per calendar month on vehicle endpoints."""
        self._failures: list[FailureRule] = []
        self._malformed: list[MalformedRule] = []
        self._async: list[AsyncCommandRule] = []
        self._rate_limited: dict[str, datetime] = {}
        self._monthly_usage: dict[tuple[str, int, int], int] = {}

    def clear(self) -> None:
        """Remove every fault and forget the monthly usage."""
        self.latency = 0.0
        self.endpoint_latency.clear()
        self.monthly_request_limit = None
        self._failures.clear()
        self._malformed.clear()
        self._async.clear()
        self._rate_limited.clear()
        self._monthly_usage.clear()

    def delay_for(self, endpoint: str | None) -> float:
        """Return the seconds to wait before serving a request to `endpoint`."""
        extra = self.endpoint_latency.get(endpoint, 0.0) if endpoint else 0.0
        return self.latency + extra

    def fail_next(
        self,
        endpoint: str,
        *,
        status: int,
        error_type: str,
        code: str | None = None,
        count: int = 1,
        vehicle_id: str | None = None,
        page: int | None = None,
        retry_after: int | None = None,
        envelope: Envelope = "v3",
        resolution: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Answer the next `count` requests to `endpoint` with this error.

        `vehicle_id` and `page` narrow the match; `retry_after` sets the
        `Retry-After` header (a 429 without it sends 60);
        `envelope` picks the v3 `errors[]` form or the flat v2 object.
        """
        _check_endpoint(endpoint)
        _check_count(count)
        if not 400 <= status <= 599:
            raise ValueError("status must be a 4xx or 5xx code")
        if envelope not in ("v3", "v2"):
            raise ValueError("envelope must be 'v3' or 'v2'")
        self._failures.append(
            FailureRule(
                endpoint,
                status,
                error_type,
                code,
                count,
                vehicle_id,
                page,
                retry_after,
                envelope,
                resolution,
                detail,
            )
        )

    def malformed_json(
        self, endpoint: str, count: int = 1, vehicle_id: str | None = None
    ) -> None:
        """Answer the next `count` requests to `endpoint` with 200 and broken JSON."""
        _check_endpoint(endpoint)
        _check_count(count)
        self._malformed.append(MalformedRule(endpoint, count, vehicle_id))

    def async_commands(
        self, count: int = 1, final_status: CommandStatus = "SUCCESS"
    ) -> None:
        """Answer the next `count` commands with 202, `executionMode: async`.

        SUCCESS applies the change at once, PENDING after `Simulator.command_delay`
        seconds of simulator time, FAILURE never.
        """
        _check_count(count)
        if final_status not in COMMAND_STATUSES:
            raise ValueError(f"final_status must be one of {sorted(COMMAND_STATUSES)}")
        self._async.append(AsyncCommandRule(count, final_status))

    def rate_limit_vehicle(self, vehicle_id: str, retry_after: float) -> None:
        """Answer requests for a vehicle with 429 for `retry_after` simulator seconds."""
        self._rate_limited[vehicle_id] = self._clock() + timedelta(seconds=retry_after)

    def take_failure(
        self, endpoint: str | None, vehicle_id: str | None, page: int
    ) -> ApiError | None:
        """Consume and return the first failure matching a request, if any."""
        for rule in self._failures:
            if rule.matches(endpoint, vehicle_id, page):
                rule.remaining -= 1
                if rule.remaining == 0:
                    self._failures.remove(rule)
                return rule.error()
        return None

    def take_malformed(self, endpoint: str | None, vehicle_id: str | None) -> bool:
        """Consume a malformed-JSON fault matching a request; return whether one did."""
        for rule in self._malformed:
            if rule.endpoint == endpoint and rule.vehicle_id in (None, vehicle_id):
                rule.remaining -= 1
                if rule.remaining == 0:
                    self._malformed.remove(rule)
                return True
        return False

    def take_async_command(self, endpoint: str) -> CommandStatus | None:
        """Consume an async-command fault for a command; return its final status."""
        if endpoint not in COMMAND_ENDPOINTS or not self._async:
            return None
        rule = self._async[0]
        rule.remaining -= 1
        if rule.remaining == 0:
            self._async.pop(0)
        return rule.final_status

    def check_rate_limit(self, vehicle_id: str) -> None:
        """Raise 429 RATE_LIMIT VEHICLE while a vehicle is rate limited."""
        until = self._rate_limited.get(vehicle_id)
        if until is None:
            return
        remaining = (until - self._clock()).total_seconds()
        if remaining <= 0:
            del self._rate_limited[vehicle_id]
            return
        raise ApiError(
            429,
            "RATE_LIMIT",
            "VEHICLE",
            "Too many requests for this vehicle; retry after the Retry-After delay.",
            retry_after=math.ceil(remaining),
        )

    def check_monthly_limit(self, vehicle_id: str) -> None:
        """Count a vehicle request; raise 430 BILLING once the monthly limit is used up."""
        now = self._clock()
        key = (vehicle_id, now.year, now.month)
        self._monthly_usage[key] = self._monthly_usage.get(key, 0) + 1
        limit = self.monthly_request_limit
        if limit is not None and self._monthly_usage[key] > limit:
            raise ApiError(
                430,
                "BILLING",
                "VEHICLE_REQUEST_LIMIT",
                f"This vehicle has used its {limit} requests for this month.",
            )

    def monthly_usage(self, vehicle_id: str) -> int:
        """Return how many vehicle requests were counted this calendar month."""
        now = self._clock()
        return self._monthly_usage.get((vehicle_id, now.year, now.month), 0)
