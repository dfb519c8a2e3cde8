"""Constants of the Smartcar integration."""

from __future__ import annotations

from datetime import timedelta
import logging
import os
from typing import Final

from homeassistant.const import Platform

from .api import SmartcarSettings, signals
from .api.contract import (
    CHARGE_CONTROL_PERMISSION,
    LOCK_PERMISSION,
    NAVIGATION_PERMISSION,
    VEHICLE_INFO_PERMISSION,
)

DOMAIN: Final = "smartcar"
LOGGER = logging.getLogger(__package__)

PLATFORMS: Final = [
    Platform.BINARY_SENSOR,
    Platform.CALENDAR,
    Platform.DEVICE_TRACKER,
    Platform.LOCK,
    Platform.NUMBER,
    Platform.SENSOR,
    Platform.SWITCH,
]

CONF_APPLICATION_ID: Final = "application_id"
CONF_MODE: Final = "mode"
CONF_USER_ID: Final = "user_id"

MODE_LIVE: Final = "live"
MODE_SIMULATED: Final = "simulated"

# The one override for development and the demo: every Smartcar host under one base URL
# (the local simulator). Unset, the integration talks to Smartcar itself.
ENV_BASE_URL: Final = "SMARTCAR_BASE_URL"

# The signals the integration reads: every signal of the catalogue has an entity (the VIN is
# the device's serial number); tests/integration/test_scopes.py holds the two lists together.
READ_SIGNALS: Final = tuple(signals.CATALOGUE.values())
# Permissions asked of the owner in Smartcar Connect, derived from the catalogue: what the
# signals above need, the vehicle's description, locking, charging control (start, stop, limit,
# schedules) and sending destinations to the navigation.
SCOPES: Final = signals.permissions_for(
    READ_SIGNALS,
    VEHICLE_INFO_PERMISSION,
    LOCK_PERMISSION,
    CHARGE_CONTROL_PERMISSION,
    NAVIGATION_PERMISSION,
)

CONF_WEBHOOK_ID: Final = "webhook_id"
CONF_CLOUDHOOK_URL: Final = "cloudhook_url"
# True once the entry answered Smartcar's VERIFY (kept across restarts).
CONF_WEBHOOK_VERIFIED: Final = "webhook_verified"
# Options
CONF_MANAGEMENT_TOKEN: Final = "management_token"
# The Smartcar webhook to subscribe vehicles to, when it cannot be found by its callback URL.
CONF_SMARTCAR_WEBHOOK_ID: Final = "smartcar_webhook_id"
CONF_MONTHLY_BUDGET: Final = "monthly_budget"

# A vehicle counts as "delivering" while its last signed webhook delivery is this recent.
WEBHOOK_FRESHNESS: Final = timedelta(days=2)
DEFAULT_MONTHLY_BUDGET: Final = 500


def smartcar_settings() -> SmartcarSettings:
    """Return where Smartcar lives: its real hosts, or `$SMARTCAR_BASE_URL` when set."""
    if base_url := os.environ.get(ENV_BASE_URL):
        return SmartcarSettings.at(base_url)
    return SmartcarSettings()
