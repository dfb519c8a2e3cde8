"""The Smartcar v3 client: connections, vehicle signals, commands and charge schedules."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
import logging
from typing import Any, Final

import aiohttp

from . import contract
from .auth import AbstractAuth
from .contract import Endpoint
from .errors import (
    ErrorDetail,
    SmartcarCommandFailedError,
    SmartcarResponseError,
    error_from_response,
)
from .http import RawResponse, send
from .models import Connection, Execution, ExecutionStatus, VehicleInfo
from .paging import iterate_pages
from .parsing import as_list, as_mapping
from .schedules import ChargeSchedule, ScheduleType, ScheduleValidationError
from .settings import DEFAULT_SETTINGS, SmartcarSettings
from .signals import Signal, SignalSpec, VehicleSignals, parse_signal

_LOGGER = logging.getLogger(__name__)

# A paged listing that goes on longer than this is taken to be looping.
MAX_PAGES: Final = 100
CONNECTIONS_PAGE_SIZE: Final = 50

_CREATE_ENDPOINTS: Final[Mapping[ScheduleType, Endpoint]] = {
    ScheduleType.DAILY: contract.SCHEDULE_CREATE_DAILY,
    ScheduleType.WEEKLY: contract.SCHEDULE_CREATE_WEEKLY,
    ScheduleType.WORKWEEK: contract.SCHEDULE_CREATE_WORKWEEK,
}


class SmartcarClient:
    """Application-level client; `vehicle()` gives a handle for one owner's vehicle."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        auth: AbstractAuth,
        settings: SmartcarSettings = DEFAULT_SETTINGS,
        on_request: Callable[[Endpoint, str | None], None] | None = None,
    ) -> None:
        """Use the caller's aiohttp session and token source.

        `on_request` is told of every HTTP request sent (endpoint, vehicle id or None), e.g. to
        count requests against a plan's allowance.
        """
        self._session = session
        self._auth = auth
        self.settings = settings
        self.on_request = on_request

    def vehicle(self, vehicle_id: str, user_id: str) -> SmartcarVehicle:
        """Return a handle for a vehicle connected by the Smartcar user `user_id`."""
        return SmartcarVehicle(self, vehicle_id, user_id)

    async def async_get_connections(
        self,
        *,
        user_id: str | None = None,
        vehicle_id: str | None = None,
        mode: str | None = None,
    ) -> list[Connection]:
        """List every connection of the application (all pages), optionally filtered.

        Smartcar lists only `live` vehicles unless asked otherwise: pass
        `mode="simulated"` to find the vehicles of Smartcar's vehicle simulator.
        """
        params = {"page[size]": str(CONNECTIONS_PAGE_SIZE)}
        if user_id:
            params["filter[userId]"] = user_id
        if vehicle_id:
            params["filter[vehicleId]"] = vehicle_id
        if mode:
            params["filter[vehicle.mode]"] = mode
        return [
            Connection.from_resource(as_mapping(resource))
            async for page in self.async_pages(
                contract.CONNECTIONS, params=params, user_id=user_id
            )
            for resource in as_list(page.get("data"))
        ]

    async def async_request(
        self,
        endpoint: Endpoint,
        *,
        user_id: str | None = None,
        url: str | None = None,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        time_limit: float | None = None,
        path: Mapping[str, str] | None = None,
    ) -> RawResponse:
        """Send an authorised request; re-mint the token once and retry once on a 401.

        Error answers raise the typed `SmartcarApiError` subclass; `url` (a `links.next`)
        replaces the endpoint's path.
        """
        target = (
            url or f"{self.settings.vehicle_api_url}{endpoint.format(**(path or {}))}"
        )
        token = await self._auth.async_get_access_token()
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
            if user_id:
                headers["sc-user-id"] = user_id
            if self.on_request is not None:
                self.on_request(endpoint, (path or {}).get("vehicle_id"))
            response = await send(
                self._session,
                endpoint.method,
                target,
                time_limit=time_limit or self.settings.request_timeout,
                headers=headers,
                params=params,
                json_body=json_body,
            )
            if response.status != 401 or attempt:
                break
            _LOGGER.debug("Token refused on %s; minting a new one", endpoint.name)
            token = await self._auth.async_renew_access_token(token)
        if response.status >= 400:
            raise error_from_response(
                response.status,
                response.json_or_none(),
                response.headers.get("Retry-After"),
            )
        return response

    async def async_pages(
        self,
        endpoint: Endpoint,
        *,
        params: Mapping[str, str] | None = None,
        user_id: str | None = None,
        path: Mapping[str, str] | None = None,
    ) -> AsyncIterator[Mapping[str, Any]]:
        """Yield each page of a JSON:API listing, following `links.next`."""

        async def fetch(url: str, query: Mapping[str, str] | None) -> Any:
            response = await self.async_request(
                endpoint, user_id=user_id, url=url, params=query, path=path
            )
            return response.json()

        root = self.settings.vehicle_api_url
        first = f"{root}{endpoint.format(**(path or {}))}"
        async for page in iterate_pages(
            endpoint.name,
            fetch,
            root_url=root,
            first_url=first,
            params=params,
            max_pages=MAX_PAGES,
        ):
            yield page


class SmartcarVehicle:
    """Requests about one vehicle, made on behalf of the user who connected it."""

    def __init__(self, client: SmartcarClient, vehicle_id: str, user_id: str) -> None:
        """Bind the vehicle and its user; no request is made."""
        self._client = client
        self.vehicle_id = vehicle_id
        self.user_id = user_id

    def _path(self, **extra: str) -> dict[str, str]:
        return {"vehicle_id": self.vehicle_id, **extra}

    async def _async_json(self, endpoint: Endpoint, **extra_path: str) -> Any:
        response = await self._client.async_request(
            endpoint, user_id=self.user_id, path=self._path(**extra_path)
        )
        return response.json()

    async def async_get_info(self) -> VehicleInfo:
        """Read make, model, year, powertrain and mode."""
        payload = await self._async_json(contract.VEHICLE)
        return VehicleInfo.from_resource(as_mapping(as_mapping(payload).get("data")))

    async def async_get_signals(self) -> VehicleSignals:
        """Read every signal the vehicle reports (one request, more only if paged)."""
        signals = VehicleSignals()
        async for page in self._client.async_pages(
            contract.SIGNALS, user_id=self.user_id, path=self._path()
        ):
            signals = signals.merged(
                signal
                for element in as_list(page.get("data"))
                if (signal := parse_signal(as_mapping(element))) is not None
            )
        return signals

    async def async_get_signal(self, spec: SignalSpec[Any]) -> Signal:
        """Read one signal."""
        payload = await self._async_json(contract.SIGNAL, code=spec.code)
        signal = parse_signal(as_mapping(as_mapping(payload).get("data")))
        if signal is None:
            raise SmartcarResponseError("The signal answer names no signal")
        return signal

    async def async_lock(self) -> Execution:
        """Lock the doors."""
        return await self._async_execute(contract.LOCK)

    async def async_unlock(self) -> Execution:
        """Unlock the doors."""
        return await self._async_execute(contract.UNLOCK)

    async def async_create_charge_schedule(self, schedule: ChargeSchedule) -> Execution:
        """Create a charge schedule; the new id is `execution.attributes["scheduleId"]`."""
        return await self._async_execute(
            _CREATE_ENDPOINTS[schedule.schedule_type],
            json_body={"data": {"attributes": schedule.to_attributes()}},
        )

    async def async_list_charge_schedules(self) -> list[ChargeSchedule]:
        """List the vehicle's charge schedules; unreadable entries are skipped and logged."""
        payload = await self._async_json(contract.SCHEDULE_LIST)
        schedules = []
        for resource in as_list(as_mapping(payload).get("data")):
            try:
                schedules.append(ChargeSchedule.from_resource(as_mapping(resource)))
            except ScheduleValidationError as err:
                _LOGGER.warning(
                    "Skipping a charge schedule Smartcar sent that is not readable: %s",
                    err,
                )
        return schedules

    async def async_delete_charge_schedule(self, schedule_id: str) -> Execution:
        """Delete a charge schedule."""
        return await self._async_execute(
            contract.SCHEDULE_DELETE, schedule_id=schedule_id
        )

    async def _async_execute(
        self,
        endpoint: Endpoint,
        *,
        json_body: Any = None,
        **extra_path: str,
    ) -> Execution:
        """Run a command-like request; 200 and 202 bodies both carry the execution status."""
        response = await self._client.async_request(
            endpoint,
            user_id=self.user_id,
            path=self._path(**extra_path),
            json_body=json_body,
            time_limit=self._client.settings.command_timeout,
        )
        execution = Execution.from_payload(
            response.json(), accepted=response.status == 202
        )
        if execution.status is ExecutionStatus.FAILURE:
            raise SmartcarCommandFailedError(
                response.status,
                execution.error
                or ErrorDetail(type="COMMAND_FAILED", code=execution.raw_status),
            )
        return execution
