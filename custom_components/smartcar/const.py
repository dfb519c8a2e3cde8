"""Constants of the Smartcar integration."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "smartcar"
LOGGER = logging.getLogger(__package__)
