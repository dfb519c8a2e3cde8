"""The Smartcar v3 client: connections, vehicle signals, commands and charge schedules."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
import logging
from typing import Any, Final

import aiohttp

from . import contract, errors, signals
from .auth import AbstractAuth
from .commands import charge_limit_percent, destination_attributes
from .contract import SCHEDULE_ROUTES, Endpoint, ScheduleContract, ScheduleRoutes
from .http import RawResponse, bearer_headers, send
from .models import Connection, Execution, ExecutionStatus
from .paging import ForeignLinkError, iterate_pages
from .parsing import as_list, as_mapping
from .ratelimit import TokenBucket
from .schedules import (
    ChargeSchedule,
    ScheduleCreation,
    ScheduleProblem,
    ScheduleValidationError,
    created_schedule_id,
    readable_schedules,
)
from .settings import DEFAULT_SETTINGS, SmartcarSettings

_LOGGER = logging.getLogger(__name__)

# A paged listing that goes on longer than this is taken to be looping.
MAX_PAGES: Final = 100
# Connections asked for per page of the listing.
CONNECTIONS_PAGE_SIZE: Final = 50


@dataclass(frozen=True, slots=True)
class ScheduleListing:
    """A vehicle's charge schedules, and the ChargeTimers signal read for them (if one was).

    `timers` are the charge timers listed (None: listed from `GET .../schedules`), every one
    of them, also those that do not read as a schedule.
    """

    schedules: list[ChargeSchedule]
    timers_read: signals.Signal[Any] | None = None
    timers: signals.ChargeTimers | None = None


class SmartcarClient:
    """Application-level client; `vehicle()` gives a handle for one owner's vehicle."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        auth: AbstractAuth,
        settings: SmartcarSettings = DEFAULT_SETTINGS,
        on_request: Callable[[Endpoint, str | None], None] | None = None,
        *,
        schedule_contract: ScheduleContract | None = None,
        on_schedule_contract: Callable[[ScheduleContract], None] | None = None,
        limiter: TokenBucket | None = None,
    ) -> None:
        """Use the caller's aiohttp session and token source.

        `on_request` is told of every HTTP request sent (endpoint, vehicle id or None), e.g. to
        count requests against a plan's allowance. `schedule_contract` is the family of
        charge-schedule paths known to work (None: not known yet); `on_schedule_contract` is
        told when it is learnt, to keep it. `limiter` is the application's token
        bucket (`ratelimit.bucket_for(client_id)`): each request waits for a token.
        """
        self.limiter = limiter
        self._session = session
        self._auth = auth
        self.settings = settings
        self.on_request = on_request
        self.schedule_contract = schedule_contract
        self.on_schedule_contract = on_schedule_contract
        # Warns once per client (one per entry) of each unreadable or future-dated signal, and
        # of a paging link to another host.
        self.log = signals.OnceLogger()

    def vehicle(self, vehicle_id: str, user_id: str) -> SmartcarVehicle:
        """Return a handle for a vehicle connected by the Smartcar user `user_id`."""
        return SmartcarVehicle(self, vehicle_id, user_id)

    async def async_get_connections(
        self,
        *,
        user_id: str | None = None,
        mode: str | None = None,
    ) -> list[Connection]:
        """List every connection of the application (all pages), optionally filtered.

        Smartcar lists only `live` vehicles unless asked otherwise: pass
        `mode="simulated"` to find the vehicles of Smartcar's vehicle simulator.
        """
        filters = {"userId": user_id, "vehicle.mode": mode}
        params = {f"filter[{name}]": value for name, value in filters.items() if value}
        params["page[size]"] = str(CONNECTIONS_PAGE_SIZE)
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
        path: Mapping[str, str] | None = None,
    ) -> RawResponse:
        """Send an authorised request; re-mint the token once and retry once on a 401.

        Error answers raise the typed `SmartcarApiError` subclass; `url` (a `links.next`)
        replaces the endpoint's path. Smartcar's 429 for the application's bucket empties the
        shared bucket until its Retry-After. A request that changes something (any method
        but GET: a command, a schedule) waits the command timeout.
        """
        target = url or endpoint.url(self.settings.vehicle_api_url, **(path or {}))
        time_limit = self.settings.request_timeout
        if endpoint.method != "GET":
            time_limit = self.settings.command_timeout
        token = await self._auth.async_get_access_token()
        for attempt in range(2):
            headers = bearer_headers(token)
            if user_id:
                headers["sc-user-id"] = user_id
            if self.limiter is not None:
                await self.limiter.acquire()
            if self.on_request is not None:
                self.on_request(endpoint, (path or {}).get("vehicle_id"))
            response = await send(
                self._session,
                endpoint.method,
                target,
                time_limit=time_limit,
                headers=headers,
                params=params,
                json_body=json_body,
            )
            if response.status != 401 or attempt:
                break
            _LOGGER.debug("Token refused on %s; minting a new one", endpoint.name)
            token = await self._auth.async_renew_access_token(token)
        if (error := response.error()) is None:
            return response
        if self.limiter is not None and error.code == contract.APP_RATE_LIMIT_CODE:
            self.limiter.drain(error.retry_after or 60.0)
        raise error

    async def async_with_schedule_routes[T](
        self, attempt: Callable[[ScheduleRoutes], Awaitable[T]]
    ) -> T:
        """Run a schedule request on the known path family, or find the family that answers.

        Unknown yet: the documented paths first; when Smartcar answers 404 for the route itself
        (RESOURCE_NOT_FOUND PATH/VERSION), the partner page's. The family that answered
        successfully is remembered (learnt only from a success: an error says little about
        the route) and `on_schedule_contract` is told.
        """
        known = self.schedule_contract
        order = [known] if known else list(ScheduleContract)
        for family in order:
            try:
                result = await attempt(SCHEDULE_ROUTES[family])
            except errors.SmartcarNotFoundError as err:
                if family is order[-1] or not err.unknown_route:
                    raise
                _LOGGER.debug("No %s schedule route; trying the next family", family)
                continue
            if self.schedule_contract is not family:
                self.schedule_contract = family
                _LOGGER.info("Charge schedules use the %s paths", family)
                if self.on_schedule_contract is not None:
                    self.on_schedule_contract(family)
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    async def async_pages(
        self,
        endpoint: Endpoint,
        *,
        params: Mapping[str, str] | None = None,
        user_id: str | None = None,
        path: Mapping[str, str] | None = None,
    ) -> AsyncIterator[Mapping[str, Any]]:
        """Yield each page of a JSON:API listing, following `links.next`.

        A link to another host is an error, logged once by this client.
        """

        async def fetch(url: str, query: Mapping[str, str] | None) -> Any:
            response = await self.async_request(
                endpoint, user_id=user_id, url=url, params=query, path=path
            )
            return response.json()

        root = self.settings.vehicle_api_url
        pages = iterate_pages(
            endpoint.name,
            fetch,
            root_url=root,
            first_url=endpoint.url(root, **(path or {})),
            params=params,
            max_pages=MAX_PAGES,
        )
        try:
            async for page in pages:
                yield page
        except ForeignLinkError as err:
            self.log.warn_once("foreign-link", "%s; not followed", err)
            raise


class SmartcarVehicle:
    """Requests about one vehicle, made on behalf of the user who connected it."""

    def __init__(self, client: SmartcarClient, vehicle_id: str, user_id: str) -> None:
        """Bind the vehicle and its user; no request is made."""
        self._client = client
        self.vehicle_id = vehicle_id
        self.user_id = user_id

    async def _async_send(
        self, endpoint: Endpoint, body: Any = None, **extra_path: str
    ) -> RawResponse:
        path = {"vehicle_id": self.vehicle_id, **extra_path}
        return await self._client.async_request(
            endpoint, user_id=self.user_id, path=path, json_body=body
        )

    async def async_get_signals(self) -> signals.VehicleSignals:
        """Read every signal the vehicle reports (one request, more only if paged)."""
        log = self._client.log
        data = signals.VehicleSignals(log=log)
        async for page in self._client.async_pages(
            contract.SIGNALS, user_id=self.user_id, path={"vehicle_id": self.vehicle_id}
        ):
            data = data.merged(
                signal
                for element in as_list(page.get("data"))
                if (signal := signals.parse_signal(as_mapping(element), log=log))
                is not None
            )
        return data

    async def async_get_signal[B](
        self, spec: signals.SignalSpec[B]
    ) -> signals.Signal[B]:
        """Read one signal; an answer about another signal (or none) is an error."""
        payload = as_mapping(
            (await self._async_send(contract.SIGNAL, code=spec.code)).json()
        )
        # The resource itself (docs, Node SDK) or wrapped in `data` (the live capture).
        element = as_mapping(payload["data"]) if "data" in payload else payload
        signal = signals.parse_signal(element, log=self._client.log)
        if signal is None or signal.code != spec.code:
            raise errors.SmartcarResponseError("The answer is not the signal asked for")
        return signal

    async def async_lock(self) -> Execution:
        """Lock the doors."""
        return await self._async_execute(contract.LOCK)

    async def async_unlock(self) -> Execution:
        """Unlock the doors."""
        return await self._async_execute(contract.UNLOCK)

    async def async_start_charge(self) -> Execution:
        """Start charging (the car must be plugged in)."""
        return await self._async_execute(contract.CHARGE_START)

    async def async_stop_charge(self) -> Execution:
        """Stop charging."""
        return await self._async_execute(contract.CHARGE_STOP)

    async def async_set_charge_limit(self, percent: int) -> Execution:
        """Set the charge limit (the GLOBAL one) to a whole percentage from 50 to 100.

        Anything else raises `CommandValidationError` before any request.
        """
        limit = {contract.CHARGE_LIMIT_FIELD: charge_limit_percent(percent)}
        return await self._async_execute(contract.CHARGE_SET_LIMIT, limit)

    async def async_set_destination(
        self, latitude: float, longitude: float, name: str | None = None
    ) -> Execution:
        """Send a destination to the car's navigation.

        Coordinates that are not finite numbers in range, or a name that is not short text,
        raise `CommandValidationError` before any request.
        """
        destination = destination_attributes(latitude, longitude, name)
        return await self._async_execute(contract.SET_DESTINATION, destination)

    async def async_create_charge_schedule(self, schedule: ChargeSchedule) -> Execution:
        """Create a charge schedule; the new id is `execution.attributes["scheduleId"]`.

        A `202` may come without it: `async_add_charge_schedule` reads the id back.
        """
        return await self._client.async_with_schedule_routes(
            lambda routes: self._async_execute(
                routes.create[schedule.schedule_type], schedule.to_attributes()
            )
        )

    async def async_add_charge_schedule(
        self, schedule: ChargeSchedule, known_ids: Collection[str] = ()
    ) -> ScheduleCreation:
        """Create a charge schedule and return it with its id, or as pending.

        When Smartcar answers without `scheduleId` (a long-running `202`), the schedules are
        read back once (`async_list_charge_schedules`): the one schedule like `schedule` whose
        id is not in `known_ids` (the ids held before) is the new one. None such, several, or a
        failed read: pending (the create itself went through; a later read shows it).
        """
        execution = await self.async_create_charge_schedule(schedule)
        if schedule_id := created_schedule_id(execution):
            return ScheduleCreation(execution, schedule.with_id(schedule_id))
        try:
            listing = await self.async_list_charge_schedules()
        except errors.SmartcarError as err:
            _LOGGER.debug("Reading the new schedule back failed: %s", err)
            return ScheduleCreation(execution, None)
        found = [
            listed
            for listed in listing.schedules
            if listed.id and listed.id not in known_ids and listed.same_as(schedule)
        ]
        return ScheduleCreation(
            execution, found[0] if len(found) == 1 else None, listing.timers_read
        )

    async def async_list_charge_schedules(
        self, recent: signals.Signal[signals.ChargeTimers] | None = None
    ) -> ScheduleListing:
        """List the vehicle's charge schedules; unreadable entries are skipped and logged.

        Where the partner family is known to work, from its `GET .../schedules`; else from the
        ChargeTimers signal: `recent` when the caller has a recent one, otherwise one read.
        """
        partner = SCHEDULE_ROUTES[ScheduleContract.PARTNER].list
        if self._client.schedule_contract is ScheduleContract.PARTNER and partner:
            payload = (await self._async_send(partner)).json()
            resources = as_list(as_mapping(payload).get("data"))
            return ScheduleListing(
                readable_schedules(resources, ChargeSchedule.from_resource)
            )
        no_timers = errors.SmartcarNoChargeTimersError("The vehicle reports no timers")
        try:
            signal = recent or await self.async_get_signal(signals.CHARGE_TIMERS)
        except errors.SmartcarNotFoundError as err:  # the car does not report them
            raise no_timers from err
        if (timers := signal.body) is None:  # an error instead (e.g. not capable)
            raise no_timers
        return ScheduleListing(
            readable_schedules(timers.location_timers, ChargeSchedule.from_timer),
            None if recent else signal,
            timers,
        )

    async def async_delete_charge_schedule(self, schedule_id: str) -> Execution:
        """Delete a charge schedule; a malformed id is refused before any request."""
        if not contract.SCHEDULE_ID_PATTERN.match(schedule_id):
            raise ScheduleValidationError(ScheduleProblem.INVALID_ID, "schedule_id")
        return await self._client.async_with_schedule_routes(
            lambda routes: self._async_execute(routes.delete, schedule_id=schedule_id)
        )

    async def _async_execute(
        self, endpoint: Endpoint, attributes: Any = None, **extra_path: str
    ) -> Execution:
        """Run a command-like request; 200 and 202 bodies both carry the execution status.

        `attributes` go as the body's `data.attributes`; None sends no body.
        """
        body = None if attributes is None else {"data": {"attributes": attributes}}
        response = await self._async_send(endpoint, body, **extra_path)
        payload = response.json() if response.text.strip() else None
        execution = Execution.from_payload(payload, response.status == 202)
        if execution.status is ExecutionStatus.FAILURE:
            failure = errors.ErrorDetail("COMMAND_FAILED", execution.raw_status)
            raise errors.SmartcarCommandFailedError(
                response.status, execution.error or failure
            )
        return execution
