"""Endpoint names used by counters and fault injection (see docs/simulator-contract.md)."""

from typing import Final

MANAGEMENT_PREFIX: Final = "/management/v3"
"""Where the Management API (`https://management.api.smartcar.com/v3`) is served."""

TOKEN: Final = "token"
CONNECT: Final = "connect"
CONNECTIONS: Final = "connections"
VEHICLE: Final = "vehicle"
SIGNALS: Final = "signals"
SIGNAL: Final = "signal"
LOCK: Final = "lock"
UNLOCK: Final = "unlock"
CHARGE_START: Final = "charge_start"
CHARGE_STOP: Final = "charge_stop"
CHARGE_SET_LIMIT: Final = "charge_set_limit"
SET_DESTINATION: Final = "set_destination"
SCHEDULE_CREATE: Final = "schedule_create"
SCHEDULE_LIST: Final = "schedule_list"
SCHEDULE_DELETE: Final = "schedule_delete"
WEBHOOKS: Final = "webhooks"
SUBSCRIBE: Final = "subscribe"
SUBSCRIPTIONS: Final = "subscriptions"
UNSUBSCRIBE: Final = "unsubscribe"

ALL_ENDPOINTS: Final = frozenset(
    {
        TOKEN,
        CONNECT,
        CONNECTIONS,
        VEHICLE,
        SIGNALS,
        SIGNAL,
        LOCK,
        UNLOCK,
        CHARGE_START,
        CHARGE_STOP,
        CHARGE_SET_LIMIT,
        SET_DESTINATION,
        SCHEDULE_CREATE,
        SCHEDULE_LIST,
        SCHEDULE_DELETE,
        WEBHOOKS,
        SUBSCRIBE,
        SUBSCRIPTIONS,
        UNSUBSCRIBE,
    }
)
"""Every endpoint name the simulator serves."""

VEHICLE_ENDPOINTS: Final = frozenset(
    {
        VEHICLE,
        SIGNALS,
        SIGNAL,
        LOCK,
        UNLOCK,
        CHARGE_START,
        CHARGE_STOP,
        CHARGE_SET_LIMIT,
        SET_DESTINATION,
        SCHEDULE_CREATE,
        SCHEDULE_LIST,
        SCHEDULE_DELETE,
    }
)
"""Endpoints under `/v3/vehicles/{vehicleId}`: they need `sc-user-id` and a connection."""

COMMAND_ENDPOINTS: Final = frozenset(
    {LOCK, UNLOCK, CHARGE_START, CHARGE_STOP, CHARGE_SET_LIMIT, SET_DESTINATION}
)
"""Endpoints that execute a vehicle command."""
