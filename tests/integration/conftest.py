"""Home Assistant with the Smartcar integration pointed at the simulator."""

from __future__ import annotations

from collections.abc import Generator, Iterable
from datetime import UTC, datetime, timedelta
import json
import logging
import traceback
from typing import Any, Final
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.smartcar import diagnostics
from custom_components.smartcar.api import ratelimit
from custom_components.smartcar.const import (
    CONF_APPLICATION_ID,
    CONF_MANAGEMENT_TOKEN,
    CONF_MODE,
    CONF_USER_ID,
    CONF_WEBHOOK_ID,
    DOMAIN,
    ENV_BASE_URL,
    MODE_LIVE,
    SCOPES,
)
from smartcar_simulator import (
    DEMO_APPLICATION_ID,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_MANAGEMENT_TOKEN,
    OTHER_MAKES_EMAIL,
    Simulator,
)
from smartcar_simulator.vehicles import OWNER_EMAIL, SECOND_EMAIL
from tests.leakwatch import WATCH

# The moment snapshot tests run at (the simulator's clock starts there too), so stored times
# never depend on the date of the run.
SNAPSHOT_TIME: Final = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
# A moment in the middle of a month, for tests about monthly limits.
MID_MONTH: Final = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
INTEGRATION_LOGGER: Final = "custom_components.smartcar"
UNHANDLED_MARKERS: Final = ("Error doing job", "Unexpected error")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/smartcar."""


@pytest.fixture(autouse=True)
def fresh_app_buckets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start each test with the application's rate-limit bucket full (tests are independent)."""
    monkeypatch.setattr(ratelimit, "_BUCKETS", {})


@pytest.fixture(autouse=True)
def scan_diagnostics() -> Generator[None]:
    """Hand every diagnostics output the integration produces to the secrets scan."""
    produce = diagnostics.async_get_config_entry_diagnostics

    async def produce_and_keep(hass: HomeAssistant, entry: Any) -> dict[str, Any]:
        output = await produce(hass, entry)
        WATCH.add_text("diagnostics", json.dumps(output, default=str))
        return output

    with patch.object(
        diagnostics, "async_get_config_entry_diagnostics", produce_and_keep
    ):
        yield


def _names_the_integration(record: logging.LogRecord) -> bool:
    """Whether a record comes from, or its traceback runs through, the integration."""
    if record.name.startswith(INTEGRATION_LOGGER):
        return True
    text = record.getMessage()
    if record.exc_info:
        text += "".join(traceback.format_exception(*record.exc_info))
    return "custom_components/smartcar" in text or "smartcar" in text.lower()


def unhandled_exceptions(records: Iterable[logging.LogRecord]) -> list[str]:
    """Return the ERROR records that show an unhandled exception of the integration.

    That is a traceback (exc_info) logged by the integration, or Home Assistant's "Error doing
    job" / "Unexpected error" / any traceback record that names it.
    """
    return [
        record.getMessage()
        for record in records
        if record.levelno >= logging.ERROR
        and (
            record.exc_info
            or any(marker in record.getMessage() for marker in UNHANDLED_MARKERS)
        )
        and _names_the_integration(record)
    ]


@pytest.fixture(autouse=True)
def no_unhandled_exceptions(caplog: pytest.LogCaptureFixture) -> Generator[None]:
    """Fail every test in which the integration let an exception reach a traceback."""
    yield
    unhandled = unhandled_exceptions(
        (*caplog.get_records("setup"), *caplog.get_records("call"))
    )
    assert not unhandled, unhandled


@pytest.fixture
def smartcar(simulator: Simulator, monkeypatch: pytest.MonkeyPatch) -> Simulator:
    """Point the integration at the simulator (the documented override)."""
    monkeypatch.setenv(ENV_BASE_URL, simulator.url)
    return simulator


@pytest.fixture
async def credentials(hass: HomeAssistant, smartcar: Simulator) -> None:
    """Store the simulator's API client id and secret as application credentials."""
    assert await async_setup_component(hass, "application_credentials", {})
    await async_import_client_credential(
        hass, DOMAIN, ClientCredential(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), DOMAIN
    )


@pytest.fixture
def owner_user_id(smartcar: Simulator) -> str:
    """Connect the owner's three Volvos, as Smartcar Connect would have."""
    return smartcar.connect(OWNER_EMAIL)


def add_entry(
    hass: HomeAssistant, user_id: str, title: str, options: dict[str, Any] | None = None
) -> MockConfigEntry:
    """Add an entry for a Smartcar user, with a token that has expired (set-up mints one)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=user_id,
        data={
            "auth_implementation": DOMAIN,
            "token": {
                "access_token": "expired",
                "token_type": "Bearer",
                "expires_in": 3600,
                "expires_at": 0,
            },
            CONF_APPLICATION_ID: DEMO_APPLICATION_ID,
            CONF_MODE: MODE_LIVE,
            CONF_USER_ID: user_id,
        },
        options=options or {},
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def config_entry(hass: HomeAssistant, owner_user_id: str) -> MockConfigEntry:
    """Add the owner's entry."""
    return add_entry(hass, owner_user_id, "Volvo EX30, Volvo XC60, Volvo XC90")


@pytest.fixture
def makes_entry(hass: HomeAssistant, smartcar: Simulator) -> MockConfigEntry:
    """Add the other makes' owner (Tesla, Volkswagen, Jaguar), connected with every permission."""
    user_id = smartcar.connect(OTHER_MAKES_EMAIL, permissions=SCOPES)
    return add_entry(hass, user_id, "Smartcar account")


@pytest.fixture
def second_owner_entry(hass: HomeAssistant, smartcar: Simulator) -> MockConfigEntry:
    """Add the second owner (a Volvo XC40 Recharge), connected with every permission."""
    user_id = smartcar.connect(SECOND_EMAIL, permissions=SCOPES)
    return add_entry(hass, user_id, "Volvo account 2")


@pytest.fixture(params=["makes_entry", "second_owner_entry"])
def other_owner_entry(request: pytest.FixtureRequest) -> MockConfigEntry:
    """Add one of the other owners, one per test run.

    The other makes' owner has a Tesla, a Volkswagen (live shapes) and the error-heavy Jaguar;
    the second owner a Volvo XC40 Recharge.
    """
    entry: MockConfigEntry = request.getfixturevalue(request.param)
    return entry


@pytest.fixture
def platforms() -> list[Platform]:
    """List the platforms to load (a snapshot test narrows this to one)."""
    return [
        Platform.BINARY_SENSOR,
        Platform.DEVICE_TRACKER,
        Platform.LOCK,
        Platform.SENSOR,
    ]


@pytest.fixture
def only_platforms(platforms: list[Platform]) -> Generator[None]:
    """Load only `platforms`."""
    with patch("custom_components.smartcar.PLATFORMS", platforms):
        yield


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """Return an entity's state, failing the test (naming the entity) when it has none."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


async def pass_time(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    duration: timedelta,
    step: timedelta | None = None,
) -> None:
    """Let `duration` pass (in `step`s, default one), running every timer that comes due."""
    end = dt_util.utcnow() + duration
    while dt_util.utcnow() < end:
        freezer.tick(step or duration)
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up and wait until everything settled."""
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


# What every per-platform snapshot module marks its tests with: the simulator's credentials,
# only that platform, every entity enabled, and one fixed moment (snapshots hold times).
SNAPSHOT_MARKS: Final = [
    pytest.mark.usefixtures(
        "credentials", "only_platforms", "entity_registry_enabled_by_default"
    ),
    pytest.mark.freeze_time(SNAPSHOT_TIME),
]


async def assert_platform_snapshot(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Set the entry up and compare every entity of the loaded platforms with the snapshot."""
    await setup_entry(hass, entry)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


@pytest.fixture
async def loaded_entry(
    request: pytest.FixtureRequest,
    hass: HomeAssistant,
    credentials: None,
    config_entry: MockConfigEntry,
    only_platforms: None,
) -> MockConfigEntry:
    """Set up the owner's entry (on the test's frozen clock, when it freezes one).

    Home Assistant's poll timers run on the event loop's clock: set before the clock freezes,
    they would all fire as it jumps.
    """
    if "freezer" in request.fixturenames:
        request.getfixturevalue("freezer")
    await setup_entry(hass, config_entry)
    return config_entry


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Enable the entities that are disabled by default, so snapshots show them too."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


@pytest.fixture
async def webhook_entry(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> MockConfigEntry:
    """Load the owner's entry with the Application Management Token set."""
    hass.config_entries.async_update_entry(
        config_entry, options={CONF_MANAGEMENT_TOKEN: DEMO_MANAGEMENT_TOKEN}
    )
    await setup_entry(hass, config_entry)
    return config_entry


@pytest.fixture
async def callback_url(
    hass_client_no_auth: ClientSessionGenerator, webhook_entry: MockConfigEntry
) -> str:
    """Return the entry's webhook URL on Home Assistant's test HTTP server (a real socket)."""
    client = await hass_client_no_auth()
    return str(client.make_url(f"/api/webhook/{webhook_entry.data[CONF_WEBHOOK_ID]}"))
