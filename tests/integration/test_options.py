"""Options: management token and monthly budget; the callback URL to paste, with its caveats."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import network
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartcar.const import (
    CONF_CLOUDHOOK_URL,
    CONF_MANAGEMENT_TOKEN,
    CONF_MONTHLY_BUDGET,
    CONF_SMARTCAR_WEBHOOK_ID,
    CONF_WEBHOOK_ID,
    DOMAIN,
)
from smartcar_simulator import DEMO_MANAGEMENT_TOKEN
from smartcar_simulator.vehicles import EX30_ID


@pytest.fixture
async def with_external_url(hass: HomeAssistant) -> None:
    """Give Home Assistant an external HTTPS URL, as a user with remote access has."""
    await hass.config.async_update(external_url="https://ha.example.com")


@pytest.mark.usefixtures("with_external_url")
async def test_options_show_url_and_store_integers(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """The form shows the external URL without a warning; the budget is stored as an integer."""
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {}
    assert result["description_placeholders"] == {
        "webhook_url": f"https://ha.example.com/api/webhook/{loaded_entry.data[CONF_WEBHOOK_ID]}",
        "min_budget": "40",
        "max_budget": "1000000",
    }
    schema = result["data_schema"]
    assert schema is not None
    assert set(schema.schema) == {
        CONF_MANAGEMENT_TOKEN,
        CONF_MONTHLY_BUDGET,
        CONF_SMARTCAR_WEBHOOK_ID,
    }
    # The number selector hands over floats.
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_MANAGEMENT_TOKEN: f"  {DEMO_MANAGEMENT_TOKEN} ",
            CONF_MONTHLY_BUDGET: 1000.0,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert loaded_entry.options == {
        CONF_MANAGEMENT_TOKEN: DEMO_MANAGEMENT_TOKEN,
        CONF_MONTHLY_BUDGET: 1000,
        CONF_SMARTCAR_WEBHOOK_ID: "",
    }
    assert type(loaded_entry.options[CONF_MONTHLY_BUDGET]) is int
    assert loaded_entry.runtime_data.budget.budget == 1000
    assert type(loaded_entry.runtime_data.budget.budget) is int
    # The polling interval is no option: the budget is the one knob (30 % of it for polls).
    coordinator = loaded_entry.runtime_data.coordinators[EX30_ID]
    assert coordinator.budget.state(coordinator.vehicle_id).share == 300


async def test_old_options_still_load(
    hass: HomeAssistant,
    credentials: None,
    config_entry: MockConfigEntry,
    only_platforms: None,
) -> None:
    """An entry saved with the former interval option and a float budget loads on defaults."""
    hass.config_entries.async_update_entry(
        config_entry, options={"scan_interval": 30.0, CONF_MONTHLY_BUDGET: 800.0}
    )
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    coordinator = config_entry.runtime_data.coordinators[EX30_ID]
    assert not hasattr(coordinator.policy, "interval")  # the old option is not read
    assert coordinator.budget.state(coordinator.vehicle_id).share == 240
    assert config_entry.runtime_data.budget.budget == 800
    assert type(config_entry.runtime_data.budget.budget) is int


@pytest.mark.usefixtures("with_external_url")
@pytest.mark.parametrize(
    ("budget", "error", "shown"),
    [
        (0.0, "budget_too_small", "enter at least 40 requests"),
        (39.0, "budget_too_small", "enter at least 40 requests"),
        (-5.0, "budget_too_small", "enter at least 40 requests"),
        (
            999_999_999.0,
            "budget_invalid",
            "whole number of requests, from 40 to 1000000",
        ),
        (120.5, "budget_invalid", "whole number of requests, from 40 to 1000000"),
    ],
)
async def test_options_refuse_a_budget_out_of_range_then_save(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    budget: float,
    error: str,
    shown: str,
) -> None:
    """A budget too small, too large or not whole: a translated error naming the range.

    Not voluptuous' "Value 0.0 is too small"; corrected, the budget is stored.
    """
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_MONTHLY_BUDGET: budget}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_MONTHLY_BUDGET: error}
    texts = await async_get_translations(hass, "en", "options", [DOMAIN])
    text = texts[f"component.{DOMAIN}.options.error.{error}"]
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    assert shown in text.format(**placeholders)
    assert loaded_entry.options == {}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_MONTHLY_BUDGET: 40.0},  # the smallest accepted
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert loaded_entry.options == {
        CONF_MANAGEMENT_TOKEN: "",
        CONF_MONTHLY_BUDGET: 40,
        CONF_SMARTCAR_WEBHOOK_ID: "",
    }


@pytest.mark.usefixtures("with_external_url")
@pytest.mark.parametrize(
    "bad_id", ["../webhooks", "a b", "x?delete=all", "é" * 3, "a" * 65, "-dash"]
)
async def test_options_refuse_a_malformed_webhook_id_then_save(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, bad_id: str
) -> None:
    """A webhook id that is not one is refused (translated), nothing stored; a good one is."""
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_MONTHLY_BUDGET: 500.0, CONF_SMARTCAR_WEBHOOK_ID: bad_id},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_SMARTCAR_WEBHOOK_ID: "webhook_id_invalid"}
    assert loaded_entry.options == {}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_MONTHLY_BUDGET: 500.0, CONF_SMARTCAR_WEBHOOK_ID: " wh_1234-abcd "},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert loaded_entry.options[CONF_SMARTCAR_WEBHOOK_ID] == "wh_1234-abcd"


@pytest.mark.parametrize(
    ("external_url", "shown", "warning"),
    [
        ("https://ha.example.com", "https://ha.example.com", None),
        ("http://ha.example.com:8123", "http://ha.example.com:8123", "not_https"),
        (None, "http://10.10.10.10:8123", "internal"),
    ],
)
async def test_options_warn_about_the_url(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    external_url: str | None,
    shown: str,
    warning: str | None,
) -> None:
    """An external HTTPS URL is shown plainly; plain HTTP or a local URL comes with a warning."""
    await hass.config.async_update(
        external_url=external_url, internal_url="http://10.10.10.10:8123"
    )
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert (result["description_placeholders"] or {})["webhook_url"] == (
        f"{shown}/api/webhook/{loaded_entry.data[CONF_WEBHOOK_ID]}"
    )
    assert result["errors"] == ({"base": f"webhook_url_{warning}"} if warning else {})
    # A warning does not stop the values from saving.
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_MONTHLY_BUDGET: 500.0}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Saving reloads the entry: let it finish before the test's Home Assistant stops.
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.LOADED


async def test_options_prefer_the_cloudhook(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """With a cloudhook, that is the URL to paste, even beside an external HTTP URL."""
    await hass.config.async_update(external_url="http://ha.example.com")
    hass.config_entries.async_update_entry(
        loaded_entry,
        data={**loaded_entry.data, CONF_CLOUDHOOK_URL: "https://hooks.nabu.casa/x"},
    )
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    placeholders = result["description_placeholders"] or {}
    assert placeholders["webhook_url"] == "https://hooks.nabu.casa/x"
    assert result["errors"] == {}


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
    assert (result["description_placeholders"] or {})["webhook_url"] == "-"
    assert result["errors"] == {"base": "webhook_url_missing"}
