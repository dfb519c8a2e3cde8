"""Signed deliveries failing their signature after VERIFY: a repair; polling goes on."""

from __future__ import annotations

import logging

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartcar.const import CONF_WEBHOOK_VERIFIED, DOMAIN
from custom_components.smartcar.webhook import SIGNATURE_FAILURES, SIGNATURE_ISSUE
from smartcar_simulator import Simulator
from smartcar_simulator.vehicles import XC90_ID

from .conftest import state_of

pytestmark = pytest.mark.usefixtures("credentials", "only_platforms")
XC90_LOCK = "lock.volvo_xc90_lock"
# Smartcar's signature with a token that is not the one in the options (a migrated application).
MIGRATED = "the-token-smartcar-signs-with"


def _issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    registry = ir.async_get(hass)
    return registry.async_get_issue(DOMAIN, f"{SIGNATURE_ISSUE}_{entry.entry_id}")


async def _fail(smartcar: Simulator, url: str, times: int) -> None:
    for _ in range(times):
        event = smartcar.vehicle_state_event(XC90_ID)
        delivery = await smartcar.deliver(url, event, management_token=MIGRATED)
        assert delivery.status == 401


async def test_signature_failures_after_verify_raise_a_repair(
    hass: HomeAssistant,
    smartcar: Simulator,
    callback_url: str,
    webhook_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """N-1 failures in a row: no repair; N: the repair; one signed delivery passing clears it."""
    assert (await smartcar.deliver(callback_url, smartcar.verify_event("c"))).ok
    assert webhook_entry.data[CONF_WEBHOOK_VERIFIED] is True
    await _fail(smartcar, callback_url, SIGNATURE_FAILURES - 1)
    assert _issue(hass, webhook_entry) is None
    # A delivery that passes starts the count again.
    ok = await smartcar.deliver(callback_url, smartcar.vehicle_state_event(XC90_ID))
    assert ok.json == {"status": "applied"}
    await _fail(smartcar, callback_url, SIGNATURE_FAILURES - 1)
    assert _issue(hass, webhook_entry) is None
    await _fail(smartcar, callback_url, 1)
    issue = _issue(hass, webhook_entry)
    assert issue is not None
    assert issue.translation_key == SIGNATURE_ISSUE
    assert issue.translation_placeholders == {"account": webhook_entry.title}
    # Refusals stay logged once a minute, repair or not.
    refusals = [r for r in caplog.records if "Refused a Smartcar" in r.getMessage()]
    assert len(refusals) == 1
    assert refusals[0].levelno == logging.WARNING
    ok = await smartcar.deliver(callback_url, smartcar.vehicle_state_event(XC90_ID))
    assert ok.json == {"status": "applied"}
    assert _issue(hass, webhook_entry) is None
    await _fail(smartcar, callback_url, SIGNATURE_FAILURES)
    assert _issue(hass, webhook_entry) is not None
    await hass.config_entries.async_remove(webhook_entry.entry_id)
    assert _issue(hass, webhook_entry) is None


async def test_no_repair_before_verify(
    hass: HomeAssistant,
    smartcar: Simulator,
    callback_url: str,
    webhook_entry: MockConfigEntry,
) -> None:
    """Without a VERIFY answered, failing deliveries are someone else's: refused, no repair."""
    await _fail(smartcar, callback_url, SIGNATURE_FAILURES * 2)
    assert CONF_WEBHOOK_VERIFIED not in webhook_entry.data
    assert _issue(hass, webhook_entry) is None


async def test_failed_deliveries_do_not_count_as_delivering(
    hass: HomeAssistant,
    smartcar: Simulator,
    callback_url: str,
    webhook_entry: MockConfigEntry,
) -> None:
    """Refused deliveries never switch polling to the webhook cadence; a verified one does."""
    coordinator = webhook_entry.runtime_data.coordinators[XC90_ID]
    planned = coordinator.next_poll
    assert (await smartcar.deliver(callback_url, smartcar.verify_event("c"))).ok
    smartcar.set_locked(XC90_ID, True)
    await _fail(smartcar, callback_url, SIGNATURE_FAILURES + 1)
    assert coordinator.last_delivery is None
    assert not coordinator.policy.webhook_delivering(dt_util.utcnow())
    assert coordinator.next_poll == planned
    assert state_of(hass, XC90_LOCK) == "unlocked"
    ok = await smartcar.deliver(callback_url, smartcar.vehicle_state_event(XC90_ID))
    assert ok.json == {"status": "applied"}
    assert coordinator.policy.webhook_delivering(dt_util.utcnow())
    assert coordinator.next_poll != planned
