"""The simulated Smartcar: owns the world, faults, counters and webhook deliveries.

It sits above the model (`state`) and the behaviour modules (charging, schedules,
closures, webhook events) and below the HTTP layer (`context`, `pipeline`, `routes`,
`app`); `server.Simulator` adds the aiohttp server on top. Nothing here imports
the HTTP layer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
import secrets
from typing import Any, Literal
import uuid
from zoneinfo import ZoneInfo

from . import charging, closures
from .app_limit import AppRateLimit
from .clock import Clock, utc_now
from .counters import Counters
from .credentials import DEMO_MANAGEMENT_TOKEN
from .dynamics import advance
from .faults import Faults
from .permissions import DEFAULT_PERMISSIONS
from .signals import SignalError, SignalRecord, TimestampFormat
from .simulator_webhooks import WebhookSide
from .state import ChargeSchedule, Connection, Vehicle, World
from .upstream import FollowedMonth, Refresh, Upstream, month_pattern
from .vehicles import TEMPLATES, VehicleTemplate, build_demo_world, instantiate
from .webhook_delivery import WebhookSender
from .webhook_events import WEBHOOK_ID

type VehicleMode = Literal["live", "simulated"]
type ScheduleCreateAnswer = Literal["sync", "202"]
"""`sync`: 200 with `scheduleId`; `202`: a long-running create, answered without `scheduleId`."""
type ScheduleDeleteAnswer = Literal["execution", "204"]
"""`execution`: 200 with an execution body; `204`: No Content (the docs leave it open)."""
type SignalForm = Literal["data", "bare"]
"""`GET .../signals/{code}`: wrapped in `data` (the live capture) or bare (docs, Node SDK)."""
type ManagementAuth = Literal["app", "amt"]
"""The token the Management API takes: the application's access token, or the AMT."""


class SimulatorCore(WebhookSide):
    """A local Smartcar v3 API without its server: the state every route reads and changes.

    Knobs: `token_lifetime` (seconds), `signals_page_size` (None = one page),
    `timestamp_format` ("iso" or "epoch" signal meta), `command_delay` (seconds of
    simulator time before a PENDING async command lands).

    It also plays Smartcar's webhook side: it builds and delivers signed events,
    and pushes a subscribed vehicle's state after lock/unlock and schedule changes.
    """

    def __init__(self, clock: Clock | None = None) -> None:
        """Create the demo world; `clock` defaults to the real UTC time."""
        self._clock: Clock = clock or utc_now
        self.token_lifetime = 3600
        self.signals_page_size: int | None = None
        self.timestamp_format: TimestampFormat = "iso"
        self.command_delay = 30.0
        # Charge-schedule paths served: "docs" (/v3/.../charge-schedules), "seed" (the
        # partner page's /v3.0/.../schedules) or "both".
        self.schedule_contract: str = "docs"
        # Connect's success redirect: "docs" (`user_id` and `state`, no `code`, as the current
        # docs page shows it) or "code" (also a `code`, as older pages and the live v3 redirect
        # reported by the community).
        self.connect_redirect: str = "docs"
        # How schedule creates and deletes and a single signal are answered (each form the
        # docs allow; see the type aliases above).
        self.schedule_create_answer: ScheduleCreateAnswer = "sync"
        self.schedule_delete_answer: ScheduleDeleteAnswer = "execution"
        self.signal_form: SignalForm = "data"
        self.faults: Faults = Faults(self.now)
        # Smartcar's application bucket, enforced once set (`AppRateLimit.following(self.now)`).
        self.app_limit: AppRateLimit | None = None
        self.counters: Counters = Counters()
        self.world: World = build_demo_world(self.now())
        self.webhooks: WebhookSender = WebhookSender(self.counters)
        self.management_auth: ManagementAuth = "app"
        self.management_token = DEMO_MANAGEMENT_TOKEN

    # -- time ---------------------------------------------------------------------------

    def now(self) -> datetime:
        """Return the simulator time."""
        return self._clock()

    async def close(self) -> None:
        """Cancel pending webhook pushes and close their connections."""
        await self.webhooks.close()

    # -- tokens ------------------------------------------------------------------------

    def issue_token(self) -> str:
        """Mint an application access token valid for `token_lifetime` seconds."""
        token = secrets.token_urlsafe(32)
        self.world.tokens[token] = self.now() + timedelta(seconds=self.token_lifetime)
        return token

    def token_valid(self, token: str) -> bool:
        """Return whether a bearer token was issued and has not expired."""
        expires_at = self.world.tokens.get(token)
        return expires_at is not None and self.now() < expires_at

    def revoke_tokens(self) -> None:
        """Invalidate every issued token."""
        self.world.tokens.clear()

    # -- world -------------------------------------------------------------------------

    def reset_world(self) -> None:
        """Rebuild the demo world (connections, schedules, subscriptions and tokens are dropped)."""
        self.world = build_demo_world(self.now())
        if self.webhooks.subscription is not None:
            self.add_webhook(self.webhooks.subscription.url, webhook_id=WEBHOOK_ID)

    def management_token_valid(self, token: str) -> bool:
        """Return whether the Management API takes `token` (see `management_auth`)."""
        if self.management_auth == "amt":
            return secrets.compare_digest(token, self.management_token)
        return self.token_valid(token)

    # -- accounts and vehicles ---------------------------------------------------------

    def user_id(self, account_email: str) -> str:
        """Return the Smartcar user id of an account (created if new)."""
        return self.world.account(account_email).user_id

    def add_vehicle(
        self,
        account_email: str,
        model_template: str | VehicleTemplate = "EX30",
        *,
        vehicle_id: str | None = None,
        vin: str | None = None,
        permissions: Iterable[str] | None = None,
        mode: VehicleMode = "live",
        home_zone: str | None = None,
    ) -> str:
        """Add a car built from a template (`vehicles.TEMPLATES`); return its id.

        Templates: `EX30`, `XC60`, `XC90`, `XC40` (Volvo), `MODEL_Y` (Tesla), `ID4`
        (Volkswagen), `IPACE` (Jaguar). The account is created if new. With `permissions`, the account's user is
        connected to the car at once. `mode="simulated"` makes it a car of Smartcar's
        vehicle simulator, listed by `/connections` only when asked for. `home_zone` (an IANA
        name) is where the car lives: a followed month's daily refresh is at 04:00 there
        (default: US Pacific, `upstream.DEFAULT_HOME_ZONE`).
        """
        template = (
            TEMPLATES[model_template]
            if isinstance(model_template, str)
            else model_template
        )
        vehicle = instantiate(
            template,
            account_email,
            self.now(),
            vehicle_id=vehicle_id or str(uuid.uuid4()),
            vin=vin,
        )
        vehicle.mode = mode
        if home_zone is not None:
            vehicle.home_zone = ZoneInfo(home_zone)
        self.world.add_vehicle(vehicle)
        if permissions is not None:
            self.connect(account_email, [vehicle.id], permissions)
        return vehicle.id

    def connect(
        self,
        account_email: str,
        vehicle_ids: Iterable[str] | None = None,
        permissions: Iterable[str] | None = None,
    ) -> str:
        """Connect an account's vehicles (default: all) as Connect would; return the user id."""
        account = self.world.account(account_email)
        chosen = list(account.vehicle_ids if vehicle_ids is None else vehicle_ids)
        for vehicle_id in chosen:
            if vehicle_id not in account.vehicle_ids:
                raise ValueError(f"{vehicle_id} does not belong to {account.email}")
        granted = list(DEFAULT_PERMISSIONS if permissions is None else permissions)
        now = self.now()
        for vehicle_id in chosen:
            self.world.upsert_connection(account.user_id, vehicle_id, granted, now)
        return account.user_id

    def connections(self, user_id: str | None = None) -> list[Connection]:
        """Return the connections (newest first), optionally of one user."""
        return [
            connection
            for connection in self.world.sorted_connections()
            if user_id is None or connection.user_id == user_id
        ]

    def vehicle(self, vehicle_id: str) -> Vehicle:
        """Return a vehicle with its state brought up to the current simulator time."""
        return advance(self.world.vehicles[vehicle_id], self.now())

    def signal_body(self, vehicle_id: str, code: str) -> dict[str, Any] | None:
        """Return the current body of a signal."""
        return self.vehicle(vehicle_id).signals[code].body

    def schedules(self, vehicle_id: str) -> list[ChargeSchedule]:
        """Return the stored charge schedules of a vehicle, oldest first."""
        return list(self.world.vehicles[vehicle_id].schedules)

    # -- state setters (all stamp the change with the simulator time) -------------------

    def open_door(self, vehicle_id: str, row: int = 0, column: int = 0) -> None:
        """Open a door (this unlocks the car)."""
        closures.set_door(
            self.vehicle(vehicle_id), row, column, is_open=True, at=self.now()
        )

    def close_door(self, vehicle_id: str, row: int = 0, column: int = 0) -> None:
        """Close a door."""
        closures.set_door(
            self.vehicle(vehicle_id), row, column, is_open=False, at=self.now()
        )

    def set_window(
        self, vehicle_id: str, row: int, column: int, *, is_open: bool
    ) -> None:
        """Open or close a window."""
        closures.set_window(
            self.vehicle(vehicle_id), row, column, is_open=is_open, at=self.now()
        )

    def set_locked(self, vehicle_id: str, locked: bool) -> None:
        """Lock or unlock the car directly (no command, no checks)."""
        closures.set_locked(self.vehicle(vehicle_id), locked, self.now())

    def plug(self, vehicle_id: str) -> None:
        """Connect the charging cable."""
        charging.plug(self.vehicle(vehicle_id), self.now())

    def unplug(self, vehicle_id: str) -> None:
        """Disconnect the charging cable (ends a running charge)."""
        charging.unplug(self.vehicle(vehicle_id), self.now())

    def start_charging(self, vehicle_id: str, watts: float | None = None) -> None:
        """Start charging a plugged-in car."""
        charging.start_charging(self.vehicle(vehicle_id), self.now(), watts)

    def stop_charging(self, vehicle_id: str) -> None:
        """Stop a running charge."""
        charging.stop_charging(self.vehicle(vehicle_id), self.now())

    def follow_month(
        self,
        vehicle_id: str,
        *,
        seed: int,
        refresh: Refresh = "live",
        start: datetime | None = None,
    ) -> None:
        """Let the vehicle's battery, cable and charging follow a seeded month from `start`.

        Reads then show what Smartcar would (`upstream.py`): the car as it is (`live`), or
        Smartcar's copy refreshed once a day (`daily`, at 04:00 in the vehicle's home time
        zone). `start` defaults to now.
        """
        pattern = month_pattern(seed, start or self.now())
        vehicle = self.world.vehicles[vehicle_id]
        upstream = Upstream(refresh, home=vehicle.home_zone)
        vehicle.followed = FollowedMonth(pattern, upstream)

    def set_signal(self, vehicle_id: str, code: str, body: dict[str, Any]) -> None:
        """Overwrite a signal's raw body (status SUCCESS, fresh timestamps).

        Overwriting an input of a running charge (state of charge, capacity, limits,
        wattage) restarts the charge from the new values.
        """
        vehicle = self.vehicle(vehicle_id)
        now = self.now()
        vehicle.set_body(code, body, now)
        if code in charging.SESSION_INPUTS:
            charging.restart_charging(vehicle, now)

    def set_signal_error(
        self,
        vehicle_id: str,
        code: str,
        error_type: str,
        error_code: str | None = None,
        detail: str = "The vehicle could not provide this signal.",
        *,
        resolution: str | None = None,
    ) -> None:
        """Put a signal into ERROR, keeping its last body as a stale value."""
        self.vehicle(vehicle_id).set_error(
            code,
            SignalError(error_type, error_code, detail, resolution=resolution),
            self.now(),
        )

    def hold_signal_error(
        self,
        vehicle_id: str,
        code: str,
        error_type: str,
        error_code: str | None = None,
        detail: str = "The vehicle cannot provide this signal.",
        *,
        resolution: str | None = None,
        keep_body: bool = False,
    ) -> None:
        """Hold a signal in ERROR (e.g. `COMPATIBILITY`/`VEHICLE_NOT_CAPABLE`) until released.

        Unlike `set_signal_error`, the error survives new values (`set_signal`, charging,
        commands), as a signal the car cannot give or the maker refuses does. Without
        `keep_body` the signal answers without a body.
        """
        self.vehicle(vehicle_id).hold_error(
            code,
            SignalError(error_type, error_code, detail, resolution=resolution),
            self.now(),
            keep_body=keep_body,
        )

    def release_signal_error(self, vehicle_id: str, code: str) -> None:
        """Stop holding a signal's error; the next value (`set_signal`) clears it."""
        self.vehicle(vehicle_id).release_error(code)

    def add_raw_signal(
        self,
        vehicle_id: str,
        code: str,
        body: dict[str, Any] | None,
        *,
        name: str | None = None,
        group: str | None = None,
        permission: str | None = None,
    ) -> None:
        """Add an extra (e.g. unknown to clients) signal element to a vehicle."""
        head, _, tail = code.partition("-")
        now = self.now()
        self.vehicle(vehicle_id).signals[code] = SignalRecord(
            code=code,
            name=name or tail.capitalize(),
            group=group or head.capitalize(),
            body=body,
            oem_updated_at=now,
            retrieved_at=now,
            permission=permission,
        )

    def remove_signal(self, vehicle_id: str, code: str) -> None:
        """Drop a signal from a vehicle (as if the car never reported it)."""
        del self.vehicle(vehicle_id).signals[code]
