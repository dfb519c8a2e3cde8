"""Error texts name what the owner saw: a command by its label, an action by its name.

Not the internal key (`start_charge`, `list_charge_schedules`), and in Home Assistant's language.
"""

from __future__ import annotations

from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, SERVICE_TURN_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.translation import async_get_translations
import pytest

from custom_components.smartcar.const import DOMAIN
from smartcar_simulator import Simulator
from smartcar_simulator.vehicles import EX30_ID, XC60_ID

pytestmark = pytest.mark.usefixtures("loaded_entry")

XC60_CHARGING = "switch.volvo_xc60_recharge_charging"


@pytest.fixture
def platforms() -> list[Platform]:
    """Load the charging switch."""
    return [Platform.SWITCH]


async def _start_charging(hass: HomeAssistant) -> HomeAssistantError:
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            SWITCH_DOMAIN,
            SERVICE_TURN_ON,
            {ATTR_ENTITY_ID: XC60_CHARGING},
            blocking=True,
        )
    return err.value


async def test_a_control_command_is_named_by_its_label(
    hass: HomeAssistant, smartcar: Simulator
) -> None:
    """Unplugged: 'then try "Start charging" again', not "start_charge"."""
    smartcar.unplug(XC60_ID)
    err = await _start_charging(hass)
    assert err.translation_key == "command_plug_not_connected"
    assert (err.translation_placeholders or {})["command"] == "Start charging"
    assert str(err) == (
        "Volvo XC60 Recharge is not plugged in: connect the charging cable, "
        'then try "Start charging" again'
    )


async def test_the_label_is_in_home_assistant_s_language(
    hass: HomeAssistant, smartcar: Simulator
) -> None:
    """With Home Assistant in German, the command is named in German."""
    await async_get_translations(hass, "de", "selector", [DOMAIN])
    hass.config.language = "de"
    smartcar.unplug(XC60_ID)
    err = await _start_charging(hass)
    assert (err.translation_placeholders or {})["command"] == "Laden starten"


async def test_an_action_is_named_by_its_name(
    hass: HomeAssistant, smartcar: Simulator
) -> None:
    """A failing action names itself as its form does: "Create charge schedule"."""
    (device,) = dr.async_get(hass).async_get_devices(identifiers={(DOMAIN, EX30_ID)})
    await smartcar.stop()
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "create_charge_schedule",
            {
                "device_id": device.id,
                "type": "daily",
                "start_time": "01:00",
                "stop_time": "06:00",
            },
            blocking=True,
            return_response=True,
        )
    assert err.value.translation_key == "command_no_connection"
    placeholders = err.value.translation_placeholders or {}
    assert placeholders["command"] == "Create charge schedule"
    assert str(err.value) == (
        'Smartcar could not carry out "Create charge schedule": '
        "Smartcar could not be reached"
    )
