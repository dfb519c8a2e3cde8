"""The test suite's fixtures (simulator, Home Assistant with the integration), and the report.

Every benchmark adds its figures to `FIGURES`; they are printed together at the end of the run,
one line per figure, each with the machine's CPU count. A goal is reported as met or not met,
never asserted: a benchmark fails only when it cannot measure.
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from dataclasses import dataclass
import logging
import os
import platform

from homeassistant.config_entries import ConfigEntryState
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import http_session, sim_clock, simulator
from tests.integration.conftest import (
    auto_enable_custom_integrations,
    callback_url,
    config_entry,
    credentials,
    owner_user_id,
    smartcar,
    webhook_entry,
)

__all__ = [
    "FIGURES",
    "Figure",
    "auto_enable_custom_integrations",
    "callback_url",
    "config_entry",
    "credentials",
    "enable_event_loop_debug",
    "http_session",
    "owner_user_id",
    "quiet_logs",
    "sim_clock",
    "simulator",
    "smartcar",
    "webhook_entry",
    "webhook_url",
]

CPUS = os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class Figure:
    """One measured figure, with its goal when the issue states one."""

    name: str
    value: float
    unit: str
    goal: str | None = None
    met: bool | None = None
    note: str = ""

    def line(self) -> str:
        """Render the figure as one line."""
        if self.value.is_integer() or self.value >= 100:
            number = f"{self.value:.0f}"
        else:
            number = f"{self.value:.2f}"
        text = f"bench: {self.name} = {number}"
        if self.unit:
            text += f" {self.unit}"
        if self.goal is not None:
            text += f" (goal {self.goal}: {'met' if self.met else 'NOT MET'})"
        if self.note:
            text += f" [{self.note}]"
        return f"{text} cpus={CPUS}"


FIGURES: list[Figure] = []


@pytest.fixture(autouse=True)
async def enable_event_loop_debug() -> None:
    """Run the loop as Home Assistant does in production: without asyncio's debug mode.

    (Home Assistant's test plugin turns debug mode on for every test; it slows every callback.)
    """
    asyncio.get_running_loop().set_debug(False)


@pytest.fixture(autouse=True)
def quiet_logs() -> Generator[None]:
    """Log at WARNING, as a production Home Assistant does for this integration."""
    loggers = [logging.getLogger(name) for name in ("", "aiohttp.access")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
async def webhook_url(
    credentials: None, webhook_entry: MockConfigEntry, callback_url: str
) -> str:
    """Load the owner's entry with webhooks on (credentials stored first); return its URL."""
    assert webhook_entry.state is ConfigEntryState.LOADED
    return callback_url


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print every figure, one per line."""
    terminalreporter.ensure_newline()
    terminalreporter.write_sep("=", "benchmark figures")
    terminalreporter.write_line(
        f"bench: machine cpus={CPUS} python={platform.python_version()} "
        f"platform={platform.machine()}"
    )
    for figure in FIGURES:
        terminalreporter.write_line(figure.line())
