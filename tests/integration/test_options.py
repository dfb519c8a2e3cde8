"""Options: management token, polling interval, monthly budget; the callback URL to paste."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import network
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartcar.const import (
    CONF_MANAGEMENT_TOKEN,
    CONF_MONTHLY_BUDGET,
    CONF_SCAN_INTERVAL,
    CONF_WEBHOOK_ID,
)
from smartcar_simulator import DEMO_MANAGEMENT_TOKEN


@pytest.fixture
async def with_external_url(hass: HomeAssistant) -> None:
    """Give Home Assistant an external URL, as a user with remote access has."""
    await hass.config.async_update(external_url="https://ha.example.com")


@pytest.mark.usefixtures("with_external_url")
async def test_options_show_url_and_store_values(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """The form shows the webhook URL; valid values are stored and the entry reloads with them."""
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["description_placeholders"] is not None
    url = result["description_placeholders"]["webhook_url"]
    assert (
        url
        == f"https://ha.example.com/api/webhook/{loaded_entry.data[CONF_WEBHOOK_ID]}"
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_MANAGEMENT_TOKEN: f"  {DEMO_MANAGEMENT_TOKEN} ",
            CONF_SCAN_INTERVAL: 120,
            CONF_MONTHLY_BUDGET: 1000,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert loaded_entry.options == {
        CONF_MANAGEMENT_TOKEN: DEMO_MANAGEMENT_TOKEN,
        CONF_SCAN_INTERVAL: 120,
        CONF_MONTHLY_BUDGET: 1000,
    }
    assert loaded_entry.runtime_data.budget.budget == 1000


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        (
            {CONF_SCAN_INTERVAL: 10, CONF_MONTHLY_BUDGET: 500},
            {CONF_SCAN_INTERVAL: "interval_too_short"},
        ),
        (
            {CONF_SCAN_INTERVAL: 29, CONF_MONTHLY_BUDGET: 500},
            {CONF_SCAN_INTERVAL: "interval_too_short"},
        ),
        (
            {CONF_SCAN_INTERVAL: 60, CONF_MONTHLY_BUDGET: 30},
            {CONF_MONTHLY_BUDGET: "budget_too_small"},
        ),
    ],
)
async def test_options_refuse_bad_values(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    values: dict[str, int],
    errors: dict[str, str],
) -> None:
    """Too short an interval or too small a budget is refused with a translated error; nothing is stored."""
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], values
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert loaded_entry.options == {}


async def test_options_without_a_reachable_url(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Without any URL for Home Assistant the form says so instead of failing."""
    with patch(
        "homeassistant.components.webhook.get_url",
        side_effect=network.NoURLAvailableError,
    ):
        result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["description_placeholders"] == {"webhook_url": "-"}
