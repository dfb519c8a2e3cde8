"""The "Charge in the cheapest hours" blueprint, run in Home Assistant against the simulator.

Prices come from stubs: a fake `nordpool.get_prices_for_date` action answering Nord Pool's
shape (per area a list of `start`, `end`, `price`), or a sensor with prices in attributes. The
check runs at 14:00 in Stockholm; the car is plugged in from 18:00 and leaves at 07:00.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall, SupportsResponse
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.smartcar.const import DOMAIN
from smartcar_simulator import Simulator
from smartcar_simulator.vehicles import EX30_ID

from .conftest import state_of
from .test_blueprints import blueprints_in_config  # noqa: F401  (the fixture)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAY = date(2026, 12, 7)
CHECK = datetime.combine(DAY, time(14), STOCKHOLM)
MEMORY = "input_text.cheapest_schedule"
SCHEDULES = "sensor.volvo_ex30_charge_schedules"
FAILED = "cheapest_schedule_failed"
# Schedule endpoints and single-signal reads: what the blueprint may spend (polls aside).
SPENT = ("schedule_create", "schedule_delete", "schedule_list", "signal")

Prices = Callable[[datetime], float | None]
pytestmark = pytest.mark.parametrize("expected_lingering_timers", [True])


def quarter_hours(day: date, price: Prices) -> list[dict[str, Any]]:
    """Return a day's prices as Nord Pool's action answers them (96 quarter-hours, UTC)."""
    start = datetime.combine(day, time(0), STOCKHOLM)
    slots = []
    for quarter in range(96):
        at = start + timedelta(minutes=15 * quarter)
        if (value := price(at)) is not None:
            end = at + timedelta(minutes=15)
            slots.append(
                {
                    "start": at.astimezone(UTC).isoformat(),
                    "end": end.astimezone(UTC).isoformat(),
                    "price": value,
                }
            )
    return slots


def cheap_between(first: int, last: int) -> Prices:
    """Return prices of 100 with 10 from hour `first` to `last` (local; may wrap midnight)."""

    def price(at: datetime) -> float:
        hour = at.astimezone(STOCKHOLM).hour
        inside = first <= hour < last if first < last else hour >= first or hour < last
        return 10.0 if inside else 100.0

    return price


def stub_nordpool(hass: HomeAssistant, price: Prices, days: int = 7) -> list[str]:
    """Register a fake Nord Pool price action with prices for `days` days from DAY."""
    asked: list[str] = []

    def answer(call: ServiceCall) -> dict[str, Any]:
        asked.append(str(call.data["date"]))
        day = date.fromisoformat(str(call.data["date"]))
        known = DAY <= day < DAY + timedelta(days=days)
        return {"SE3": quarter_hours(day, price) if known else []}

    hass.services.async_register(
        "nordpool",
        "get_prices_for_date",
        answer,
        supports_response=SupportsResponse.ONLY,
    )
    return asked


@pytest.fixture
async def ex30(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, loaded_entry: MockConfigEntry
) -> str:
    """Return the EX30's device id, with Stockholm's time zone and the memory helper."""
    await hass.config.async_set_time_zone("Europe/Stockholm")
    freezer.move_to(CHECK - timedelta(minutes=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    helper = {"cheapest_schedule": {"max": 255}}
    assert await async_setup_component(hass, "input_text", {"input_text": helper})
    (device,) = dr.async_get(hass).async_get_devices(identifiers={(DOMAIN, EX30_ID)})
    return device.id


async def _blueprint(hass: HomeAssistant, vehicle: str, **inputs: Any) -> None:
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "cheapest",
                "use_blueprint": {
                    "path": "smartcar/charge_in_cheapest_hours.yaml",
                    "input": {
                        "vehicle": vehicle,
                        "memory": MEMORY,
                        "charge_hours": 3,
                        "nordpool_entry": "nordpool_entry_id",
                        "nordpool_area": "se3",
                        "when_failed": [
                            {"event": FAILED, "event_data": {"reason": "{{ reason }}"}}
                        ],
                    }
                    | inputs,
                },
            }
        },
    )
    await hass.async_block_till_done()


async def _run_at(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartcar: Simulator,
    at: datetime,
) -> int:
    """Let the clock reach `at` (its daily trigger fires); return the requests it spent."""
    freezer.move_to(at - timedelta(seconds=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    smartcar.counters.reset()
    freezer.move_to(at)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    return sum(smartcar.counters.count(endpoint, EX30_ID) for endpoint in SPENT)


def _windows(smartcar: Simulator) -> list[tuple[str, str]]:
    """Return the car's schedules as (id, "start-stop"), oldest first."""
    return [
        (s.id, f"{s.attributes['startTime']}-{s.attributes['stopTime']}")
        for s in smartcar.schedules(EX30_ID)
    ]


async def _owner_schedule(hass: HomeAssistant, vehicle: str) -> str:
    """Create a schedule of the owner's own (the blueprint must never touch it)."""
    response = await hass.services.async_call(
        DOMAIN,
        "create_charge_schedule",
        {
            "device_id": vehicle,
            "type": "daily",
            "start_time": "22:00",
            "stop_time": "23:00",
        },
        blocking=True,
        return_response=True,
    )
    assert response is not None
    schedule_id = response["schedule_id"]
    assert isinstance(schedule_id, str)
    return schedule_id


@pytest.mark.parametrize(
    ("cheap", "expected"),
    [((2, 5), "02:00-05:00"), ((23, 2), "23:00-02:00"), ((5, 9), "04:00-07:00")],
    ids=["night", "across_midnight", "bounded_by_departure"],
)
async def test_cheapest_window_replaces_only_its_own_schedule(  # noqa: PLR0917
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartcar: Simulator,
    ex30: str,
    cheap: tuple[int, int],
    expected: str,
) -> None:
    """Day 1 sets the cheapest window; day 2 replaces it (2 requests), the owner's stays."""
    owner = await _owner_schedule(hass, ex30)
    stub_nordpool(hass, cheap_between(*cheap))
    failures = async_capture_events(hass, FAILED)
    await _blueprint(hass, ex30)
    assert await _run_at(hass, freezer, smartcar, CHECK) == 1
    ((_, owners), (first, window)) = _windows(smartcar)
    assert (owners, window) == ("22:00-23:00", expected)
    assert state_of(hass, MEMORY) == f"{first} {expected.replace('-', ' ')}"
    # The next day the prices (the same here) give the same window: nothing is spent.
    assert await _run_at(hass, freezer, smartcar, CHECK + timedelta(days=1)) == 0
    assert _windows(smartcar) == [(owner, owners), (first, window)]
    # New prices, a new window: create it, then delete yesterday's (2 requests).
    stub_nordpool(hass, cheap_between(0, 3))
    assert await _run_at(hass, freezer, smartcar, CHECK + timedelta(days=2)) == 2
    ((kept, owners), (second, window)) = _windows(smartcar)
    assert (kept, owners, window) == (owner, "22:00-23:00", "00:00-03:00")
    assert second != first
    assert failures == []


def _hourly(day: date, price: Prices) -> list[dict[str, Any]]:
    """Return a day's hourly prices as the custom Nord Pool integration's `raw_today`."""
    start = datetime.combine(day, time(0), STOCKHOLM)
    return [
        {"start": at, "end": at + timedelta(hours=1), "value": price(at)}
        for at in (start + timedelta(hours=hour) for hour in range(24))
    ]


def _adapted(day: date, price: Prices) -> list[dict[str, Any]]:
    """Return hourly prices as docs/blueprints.md's template sensor writes them: no end, text times."""
    return [
        {"startsAt": entry["start"].isoformat(), "total": entry["value"]}
        for entry in _hourly(day, price)
    ]


@pytest.mark.parametrize(
    ("shape", "names"),
    [(_hourly, ["raw_today", "raw_tomorrow"]), (_adapted, ["prices"])],
    ids=["custom_nordpool", "adapted"],
)
async def test_prices_from_a_sensor(  # noqa: PLR0917
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartcar: Simulator,
    ex30: str,
    shape: Callable[[date, Prices], list[dict[str, Any]]],
    names: list[str],
) -> None:
    """Hourly prices in a sensor's attributes: per day, or all in one (docs/blueprints.md's shapes)."""
    price = cheap_between(1, 4)
    days = [shape(DAY, price), shape(DAY + timedelta(days=1), price)]
    if len(names) == 1:
        attributes = {names[0]: days[0] + days[1]}
    else:
        attributes = dict(zip(names, days, strict=True))
    hass.states.async_set("sensor.electricity_price", "100", attributes)
    await _blueprint(
        hass,
        ex30,
        nordpool_entry="",
        price_sensor="sensor.electricity_price",
        price_attributes=", ".join(names),
    )
    assert await _run_at(hass, freezer, smartcar, CHECK) == 1
    assert [window for _, window in _windows(smartcar)] == ["01:00-04:00"]


async def test_flat_day_takes_the_earliest_window(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, smartcar: Simulator, ex30: str
) -> None:
    """Every quarter-hour costs the same: the window starts when the car is plugged in."""
    asked = stub_nordpool(hass, lambda at: 42.0)
    await _blueprint(hass, ex30, charge_hours=2.5)
    await _run_at(hass, freezer, smartcar, CHECK)
    assert asked == ["2026-12-07", "2026-12-08"]
    assert [window for _, window in _windows(smartcar)] == ["18:00-20:30"]


async def test_window_never_starts_before_the_check(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, smartcar: Simulator, ex30: str
) -> None:
    """Plugged in from noon, cheap from 13:00 to 16:00: at 14:00 the rest of it is taken."""
    stub_nordpool(hass, cheap_between(13, 16))
    await _blueprint(hass, ex30, plugged_in_from="12:00:00")
    await _run_at(hass, freezer, smartcar, CHECK)
    assert [window for _, window in _windows(smartcar)] == ["14:00-17:00"]


@pytest.mark.parametrize(
    "prices",
    [
        pytest.param({"days": 1}, id="tomorrow_unpublished"),
        pytest.param({"price": lambda at: None if at.hour == 3 else 50.0}, id="gap"),
    ],
)
async def test_missing_prices_leave_the_schedules(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartcar: Simulator,
    ex30: str,
    prices: dict[str, Any],
) -> None:
    """Prices that do not cover the night: no request, the schedules stay, the owner is told."""
    owner = await _owner_schedule(hass, ex30)
    stub_nordpool(hass, **({"price": cheap_between(2, 5)} | prices))
    failures = async_capture_events(hass, FAILED)
    await _blueprint(hass, ex30)
    assert await _run_at(hass, freezer, smartcar, CHECK) == 0
    assert _windows(smartcar) == [(owner, "22:00-23:00")]
    (failure,) = failures
    assert failure.data["reason"].startswith(
        "No price for every hour from 18:00 to 07:00"
    )


@pytest.mark.parametrize(
    "fault",
    [
        {
            "status": 409,
            "error_type": "VEHICLE_STATE",
            "code": "REMOTE_ACCESS_DISABLED",
        },
        {"status": 502, "error_type": "UPSTREAM", "code": "NO_RESPONSE"},
    ],
    ids=["refused", "unreachable"],
)
async def test_refused_create_keeps_yesterdays_schedule(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartcar: Simulator,
    ex30: str,
    fault: dict[str, Any],
) -> None:
    """The car refuses (or cannot be reached): yesterday's schedule stays, still the one kept."""
    stub_nordpool(hass, cheap_between(2, 5))
    failures = async_capture_events(hass, FAILED)
    await _blueprint(hass, ex30)
    await _run_at(hass, freezer, smartcar, CHECK)
    before = _windows(smartcar)
    memory = state_of(hass, MEMORY)
    stub_nordpool(hass, cheap_between(0, 3))
    smartcar.faults.fail_next("schedule_create", **fault)
    assert await _run_at(hass, freezer, smartcar, CHECK + timedelta(days=1)) == 1
    assert _windows(smartcar) == before
    assert state_of(hass, MEMORY) == memory
    (failure,) = failures
    assert "refused the schedule 00:00-03:00" in failure.data["reason"]


async def test_old_schedule_gone_or_not_deleted(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, smartcar: Simulator, ex30: str
) -> None:
    """Yesterday's schedule the owner deleted costs nothing; one the car keeps is reported."""
    stub_nordpool(hass, cheap_between(2, 5))
    failures = async_capture_events(hass, FAILED)
    await _blueprint(hass, ex30)
    await _run_at(hass, freezer, smartcar, CHECK)
    ((first, _),) = _windows(smartcar)
    await hass.services.async_call(
        DOMAIN,
        "delete_charge_schedule",
        {"device_id": ex30, "schedule_id": first},
        blocking=True,
    )
    # Gone from the car (its schedules sensor says so): the window is simply set again.
    assert await _run_at(hass, freezer, smartcar, CHECK + timedelta(days=1)) == 1
    ((second, _),) = _windows(smartcar)
    stub_nordpool(hass, cheap_between(0, 3))
    smartcar.faults.fail_next(
        "schedule_delete",
        status=409,
        error_type="VEHICLE_STATE",
        code="REMOTE_ACCESS_DISABLED",
    )
    assert await _run_at(hass, freezer, smartcar, CHECK + timedelta(days=2)) == 2
    ((kept, old), (third, new)) = _windows(smartcar)
    assert (kept, old, new) == (second, "02:00-05:00", "00:00-03:00")
    assert state_of(hass, MEMORY) == f"{third} 00:00 03:00"
    (failure,) = failures
    assert f"the old one ({second}) could not be deleted" in failure.data["reason"]


async def test_create_answered_without_the_id(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, smartcar: Simulator, ex30: str
) -> None:
    """A 202 create: the id is read back (one request more); unreadable, the old one stays."""
    smartcar.schedule_create_answer = "202"
    stub_nordpool(hass, cheap_between(2, 5))
    failures = async_capture_events(hass, FAILED)
    await _blueprint(hass, ex30)
    assert await _run_at(hass, freezer, smartcar, CHECK) == 2
    ((first, _),) = _windows(smartcar)
    assert state_of(hass, MEMORY) == f"{first} 02:00 05:00"
    stub_nordpool(hass, cheap_between(0, 3))
    smartcar.faults.fail_next("signal", status=500, error_type="SERVER", count=3)
    await _run_at(hass, freezer, smartcar, CHECK + timedelta(days=1))
    # The new one is on the car, but nobody knows its id: yesterday's is kept and named.
    assert [window for _, window in _windows(smartcar)] == [
        "02:00-05:00",
        "00:00-03:00",
    ]
    assert state_of(hass, MEMORY) == f"{first} 02:00 05:00"
    (failure,) = failures
    assert "has not named it yet" in failure.data["reason"]


def _steps(prices: dict[int, float]) -> Prices:
    """Return the price of each local hour given, 100 for the others."""
    return lambda at: prices.get(at.astimezone(STOCKHOLM).hour, 100.0)


@pytest.mark.parametrize(
    ("slots", "prices", "inputs", "expected"),
    [
        # 05:00-06:30 costs 1.0, 05:30-07:00 0.5: the window ends at the departure.
        ("hourly", {4: 3, 5: 1, 6: 0}, {"charge_hours": 1.5}, "05:30-07:00"),
        # 01:00-02:30 costs 1.0, 02:00-03:30 2.5, 01:30-03:00 0.5: it ends at a price's end.
        ("hourly", {1: 1, 2: 0, 3: 5}, {"charge_hours": 1.5}, "01:30-03:00"),
        # A departure off the quarter-hours: 05:45-06:45 costs 0.25, 05:50-06:50 1/6.
        (
            "quarter",
            {5: 1, 6: 0},
            {"charge_hours": 1, "departure": "06:50:00"},
            "05:50-06:50",
        ),
    ],
    ids=["ends_at_departure", "ends_at_a_price_boundary", "departure_off_the_slots"],
)
async def test_cheapest_window_may_end_at_a_boundary(  # noqa: PLR0917
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartcar: Simulator,
    ex30: str,
    slots: str,
    prices: dict[int, float],
    inputs: dict[str, Any],
    expected: str,
) -> None:
    """The cheapest window need not start at a price's start: windows ending at one count."""
    price = _steps(prices)
    if slots == "hourly":
        days = {"raw_today": _hourly(DAY, price)}
        days["raw_tomorrow"] = _hourly(DAY + timedelta(days=1), price)
        hass.states.async_set("sensor.electricity_price", "100", days)
        inputs |= {"nordpool_entry": "", "price_sensor": "sensor.electricity_price"}
    else:
        stub_nordpool(hass, price)
    await _blueprint(hass, ex30, **inputs)
    assert await _run_at(hass, freezer, smartcar, CHECK) == 1
    assert [window for _, window in _windows(smartcar)] == [expected]


async def test_without_the_schedules_list_the_memory_decides(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartcar: Simulator,
    ex30: str,
    loaded_entry: MockConfigEntry,
) -> None:
    """No Charge schedules sensor to read: the same window costs nothing, a new one 2 requests."""
    stub_nordpool(hass, cheap_between(2, 5))
    failures = async_capture_events(hass, FAILED)
    await _blueprint(hass, ex30)
    await _run_at(hass, freezer, smartcar, CHECK)
    ((first, window),) = _windows(smartcar)
    er.async_get(hass).async_update_entity(
        SCHEDULES, disabled_by=er.RegistryEntryDisabler.USER
    )
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(SCHEDULES) is None
    # The memory says yesterday's schedule has this window: kept, nothing spent.
    assert await _run_at(hass, freezer, smartcar, CHECK + timedelta(days=1)) == 0
    assert _windows(smartcar) == [(first, window)]
    assert state_of(hass, MEMORY) == f"{first} 02:00 05:00"
    # A new window: created, and yesterday's deleted without the list to check it against.
    stub_nordpool(hass, cheap_between(0, 3))
    assert await _run_at(hass, freezer, smartcar, CHECK + timedelta(days=2)) == 2
    ((second, window),) = _windows(smartcar)
    assert (window, state_of(hass, MEMORY)) == ("00:00-03:00", f"{second} 00:00 03:00")
    assert failures == []


async def test_create_answering_the_old_id_deletes_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, smartcar: Simulator, ex30: str
) -> None:
    """A create answered with yesterday's schedule id (a read-back gone wrong): no delete."""
    stub_nordpool(hass, cheap_between(2, 5))
    failures = async_capture_events(hass, FAILED)
    await _blueprint(hass, ex30)
    await _run_at(hass, freezer, smartcar, CHECK)
    ((first, _),) = _windows(smartcar)
    create = hass.services.async_services_for_domain(DOMAIN)["create_charge_schedule"]

    async def answer_the_old_id(call: ServiceCall) -> dict[str, Any]:
        created = hass.async_run_hass_job(create.job, call)  # really on the car
        assert created is not None
        await created
        return {"schedule_id": first, "pending": False}

    hass.services.async_register(
        DOMAIN,
        "create_charge_schedule",
        answer_the_old_id,
        create.schema,
        SupportsResponse.OPTIONAL,
    )
    stub_nordpool(hass, cheap_between(0, 3))
    assert await _run_at(hass, freezer, smartcar, CHECK + timedelta(days=1)) == 1
    ((kept, old), (_, new)) = _windows(smartcar)
    assert (kept, old, new) == (first, "02:00-05:00", "00:00-03:00")
    assert smartcar.counters.count("schedule_delete", EX30_ID) == 0
    assert failures == []
