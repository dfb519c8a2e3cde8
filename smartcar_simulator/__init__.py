"""A local Smartcar v3 API simulator (aiohttp) for tests, benchmarks and the demo."""

from .clock import ManualClock
from .credentials import (
    DEMO_APPLICATION_ID,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_MANAGEMENT_TOKEN,
)
from .server import Simulator
from .vehicles import (
    DEMO_PASSWORD,
    EX30_ID,
    EX30_VIN,
    NO_VEHICLES_EMAIL,
    NO_VEHICLES_USER_ID,
    OWNER_EMAIL,
    OWNER_USER_ID,
    SECOND_EMAIL,
    SECOND_USER_ID,
    TEMPLATES,
    XC40_ID,
    XC40_VIN,
    XC60_ID,
    XC60_VIN,
    XC90_ID,
    XC90_VIN,
)
from .webhook_delivery import USER_AGENT, Delivery, Subscription, sign
from .webhook_events import WEBHOOK_ID, WEBHOOK_NAME

__all__ = [
    "DEMO_APPLICATION_ID",
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_MANAGEMENT_TOKEN",
    "DEMO_PASSWORD",
    "EX30_ID",
    "EX30_VIN",
    "NO_VEHICLES_EMAIL",
    "NO_VEHICLES_USER_ID",
    "OWNER_EMAIL",
    "OWNER_USER_ID",
    "SECOND_EMAIL",
    "SECOND_USER_ID",
    "TEMPLATES",
    "USER_AGENT",
    "WEBHOOK_ID",
    "WEBHOOK_NAME",
    "XC40_ID",
    "XC40_VIN",
    "XC60_ID",
    "XC60_VIN",
    "XC90_ID",
    "XC90_VIN",
    "Delivery",
    "ManualClock",
    "Simulator",
    "Subscription",
    "sign",
]
