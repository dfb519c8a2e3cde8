"""Lock and unlock (200 and 202 answers) and charge schedules."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from custom_components.smartcar.api import (
    ChargeSchedule,
    ChargeWindow,
    ExecutionStatus,
    GeoLocation,
    ScheduleProblem,
    ScheduleTimers,
    ScheduleType,
    ScheduleValidationError,
    SmartcarClient,
    SmartcarCommandFailedError,
    SmartcarCompatibilityError,
    SmartcarNotFoundError,
    SmartcarPermissionError,
    SmartcarValidationError,
    SmartcarVehicleStateError,
    VehicleSignals,
    Weekday,
    signals as sig,
)
from custom_components.smartcar.api.contract import (
    MAX_CHARGE_SCHEDULES,
    SCHEDULE_ROUTES,
    SIGNAL,
    Endpoint,
    ScheduleContract,
)
from custom_components.smartcar.api.signal_readers import read_charge_timers
from smartcar_simulator import Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.vehicles import EX30_ID, OWNER_EMAIL, XC60_ID, XC90_ID

HOME = GeoLocation(57.7089, 11.9746)
SIGNAL_ENDPOINT = SIGNAL
NIGHT = ChargeWindow(time(1, 0), time(6, 0))


async def test_lock_and_unlock(client: SmartcarClient, simulator: Simulator) -> None:
    """A synchronous command succeeds and changes the car."""
    user_id = simulator.connect(OWNER_EMAIL)
    vehicle = client.vehicle(XC90_ID, user_id)
    execution = await vehicle.async_lock()
    assert execution.status is ExecutionStatus.SUCCESS
    assert not execution.accepted
    assert execution.attributes["commandType"] == "security-lock"
    assert simulator.signal_body(XC90_ID, sig.IS_LOCKED.code) == {"value": True}
    await vehicle.async_unlock()
    assert simulator.signal_body(XC90_ID, sig.IS_LOCKED.code) == {"value": False}


async def test_202_success(client: SmartcarClient, simulator: Simulator) -> None:
    """A 202 whose body reports SUCCESS is a success."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.faults.async_commands(final_status="SUCCESS")
    execution = await client.vehicle(XC90_ID, user_id).async_lock()
    assert execution.accepted
    assert execution.status is ExecutionStatus.SUCCESS


async def test_202_pending_then_applied(
    client: SmartcarClient, simulator: Simulator, sim_clock: ManualClock
) -> None:
    """A 202 PENDING is still running; the car changes later."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.faults.async_commands(final_status="PENDING")
    execution = await client.vehicle(XC90_ID, user_id).async_lock()
    assert execution.status is ExecutionStatus.PENDING
    assert execution.is_known_pending
    assert simulator.signal_body(XC90_ID, sig.IS_LOCKED.code) == {"value": False}
    sim_clock.advance(simulator.command_delay + 1)
    assert simulator.signal_body(XC90_ID, sig.IS_LOCKED.code) == {"value": True}


async def test_202_failure_raises(client: SmartcarClient, simulator: Simulator) -> None:
    """A 202 whose body reports FAILURE raises and the car is unchanged."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.faults.async_commands(final_status="FAILURE")
    with pytest.raises(SmartcarCommandFailedError):
        await client.vehicle(XC90_ID, user_id).async_lock()
    assert simulator.signal_body(XC90_ID, sig.IS_LOCKED.code) == {"value": False}


async def test_lock_with_door_open(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """The car refuses to lock with a door open: VEHICLE_STATE DOOR_OPEN."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.open_door(XC90_ID, 1, 0)
    with pytest.raises(SmartcarVehicleStateError) as err:
        await client.vehicle(XC90_ID, user_id).async_lock()
    assert err.value.status == 409
    assert err.value.code == "DOOR_OPEN"


async def test_lock_without_permission(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """Without control_security the command is refused with PERMISSION."""
    user_id = simulator.connect(OWNER_EMAIL, [XC90_ID], ["read_security"])
    with pytest.raises(SmartcarPermissionError):
        await client.vehicle(XC90_ID, user_id).async_lock()


async def test_schedule_types_round_trip(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """Daily, weekly and workweek schedules are created, listed and mirrored in ChargeTimers."""
    user_id = simulator.connect(OWNER_EMAIL)
    vehicle = client.vehicle(EX30_ID, user_id)
    wanted = [
        ChargeSchedule.daily(HOME, NIGHT),
        ChargeSchedule.weekly(
            HOME,
            {
                Weekday.MONDAY: NIGHT,
                Weekday.FRIDAY: ChargeWindow(time(22, 0), time(5, 0)),
            },
        ),
        ChargeSchedule.workweek(HOME, NIGHT, ChargeWindow(time(9, 30), time(15, 0))),
    ]
    ids = []
    for schedule in wanted:
        execution = await vehicle.async_create_charge_schedule(schedule)
        assert execution.status is ExecutionStatus.SUCCESS
        ids.append(execution.attributes["scheduleId"])
    listing = await vehicle.async_list_charge_schedules()
    listed = listing.schedules
    assert (
        listing.timers_read is not None
    )  # the documented way: ChargeTimers, read once
    assert [s.id for s in listed] == ids
    for got, want in zip(listed, wanted, strict=True):
        assert (got.schedule_type, got.location, dict(got.days)) == (
            want.schedule_type,
            want.location,
            dict(want.days),
        )
    timers = (await vehicle.async_get_signals()).body(sig.CHARGE_TIMERS)
    assert timers is not None
    assert {t.schedule_id for t in timers.timers if t.type == "LOCATION"} == set(ids)
    await vehicle.async_delete_charge_schedule(ids[0])
    listing = await vehicle.async_list_charge_schedules()
    assert [s.id for s in listing.schedules] == ids[1:]


async def test_eleventh_schedule_refused(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """Ten schedules fit; the eleventh is a VALIDATION error and nothing changes."""
    user_id = simulator.connect(OWNER_EMAIL)
    vehicle = client.vehicle(XC60_ID, user_id)
    for _ in range(MAX_CHARGE_SCHEDULES):
        await vehicle.async_create_charge_schedule(ChargeSchedule.daily(HOME, NIGHT))
    with pytest.raises(SmartcarValidationError):
        await vehicle.async_create_charge_schedule(ChargeSchedule.daily(HOME, NIGHT))
    assert len(simulator.schedules(XC60_ID)) == MAX_CHARGE_SCHEDULES


async def test_schedule_on_ice_car(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """A petrol car cannot have charge schedules: 501 COMPATIBILITY."""
    user_id = simulator.connect(OWNER_EMAIL)
    with pytest.raises(SmartcarCompatibilityError) as err:
        await client.vehicle(XC90_ID, user_id).async_create_charge_schedule(
            ChargeSchedule.daily(HOME, NIGHT)
        )
    assert err.value.code == "VEHICLE_NOT_CAPABLE"


async def test_delete_unknown_schedule(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """Deleting a schedule that does not exist is RESOURCE_NOT_FOUND."""
    user_id = simulator.connect(OWNER_EMAIL)
    with pytest.raises(SmartcarNotFoundError):
        await client.vehicle(EX30_ID, user_id).async_delete_charge_schedule(
            "sch_missing"
        )


@pytest.mark.parametrize(
    ("build", "problem", "field"),
    [
        (
            lambda: ChargeWindow.parse("25:00", "06:00"),
            ScheduleProblem.INVALID_TIME,
            "start_time",
        ),
        (
            lambda: ChargeWindow.parse("01:00", "1:5"),
            ScheduleProblem.INVALID_TIME,
            "stop_time",
        ),
        (
            lambda: ChargeWindow.parse("01:00", "01:00"),
            ScheduleProblem.SAME_START_STOP,
            "stop_time",
        ),
        (
            lambda: GeoLocation.parse(91, 0),
            ScheduleProblem.INVALID_LATITUDE,
            "latitude",
        ),
        (
            lambda: GeoLocation.parse(0, -181),
            ScheduleProblem.INVALID_LONGITUDE,
            "longitude",
        ),
        (
            lambda: GeoLocation.parse("x", 0),
            ScheduleProblem.INVALID_LATITUDE,
            "latitude",
        ),
        (lambda: ChargeSchedule.weekly(HOME, {}), ScheduleProblem.NO_DAYS, "days"),
    ],
)
def test_schedule_validation(
    build: object, problem: ScheduleProblem, field: str
) -> None:
    """Invalid schedules are refused before any request, naming the field."""
    assert callable(build)
    with pytest.raises(ScheduleValidationError) as err:
        build()
    assert (err.value.problem, err.value.field) == (problem, field)


def test_schedule_bodies() -> None:
    """Each type's request body has the documented shape."""
    assert ChargeSchedule.daily(HOME, NIGHT).to_attributes() == {
        "location": {"latitude": 57.7089, "longitude": 11.9746},
        "startTime": "01:00",
        "stopTime": "06:00",
    }
    workweek = ChargeSchedule.workweek(HOME, NIGHT, ChargeWindow(time(9), time(15)))
    assert workweek.to_attributes()["weekends"] == {
        "startTime": "09:00",
        "stopTime": "15:00",
    }
    weekly = ChargeSchedule.weekly(HOME, {Weekday.SUNDAY: NIGHT})
    assert weekly.schedule_type is ScheduleType.WEEKLY
    assert weekly.to_attributes()["days"] == {
        "sunday": {"startTime": "01:00", "stopTime": "06:00"}
    }


@pytest.mark.parametrize(
    ("served", "learnt", "first_create_requests"),
    [
        ("docs", ScheduleContract.DOCS, 1),
        ("seed", ScheduleContract.PARTNER, 2),
        ("both", ScheduleContract.DOCS, 1),
    ],
)
async def test_schedule_path_family(
    client: SmartcarClient,
    simulator: Simulator,
    served: str,
    learnt: ScheduleContract,
    first_create_requests: int,
) -> None:
    """Documented paths first; the partner page's after a route 404; the one that works kept."""
    simulator.schedule_contract = served
    told: list[ScheduleContract] = []
    sent: list[Endpoint] = []
    client.on_schedule_contract = told.append
    client.on_request = lambda endpoint, _vehicle: sent.append(endpoint)
    vehicle = client.vehicle(EX30_ID, simulator.connect(OWNER_EMAIL))
    first = await vehicle.async_create_charge_schedule(
        ChargeSchedule.daily(HOME, NIGHT)
    )
    assert len(sent) == first_create_requests
    assert (client.schedule_contract, told) == (learnt, [learnt])
    sent.clear()
    await vehicle.async_create_charge_schedule(ChargeSchedule.daily(HOME, NIGHT))
    assert sent == [SCHEDULE_ROUTES[learnt].create["daily"]]
    sent.clear()
    listing = await vehicle.async_list_charge_schedules()
    assert [s.id for s in listing.schedules] == [
        s.id for s in simulator.schedules(EX30_ID)
    ]
    assert sent == [
        SCHEDULE_ROUTES[learnt].list
        if learnt is ScheduleContract.PARTNER
        else SIGNAL_ENDPOINT
    ]
    await vehicle.async_delete_charge_schedule(first.attributes["scheduleId"])
    assert len(simulator.schedules(EX30_ID)) == 1
    assert told == [learnt]


async def test_unknown_family_both_missing(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """When neither family has the route, the 404 is raised and nothing is learnt."""
    simulator.schedule_contract = "none"
    vehicle = client.vehicle(EX30_ID, simulator.connect(OWNER_EMAIL))
    with pytest.raises(SmartcarNotFoundError) as err:
        await vehicle.async_create_charge_schedule(ChargeSchedule.daily(HOME, NIGHT))
    assert err.value.code == "PATH"
    assert client.schedule_contract is None


async def test_delete_id_checked_and_quoted(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """Malformed ids never reach the network; path values are quoted as one segment."""
    sent: list[Endpoint] = []
    client.on_request = lambda endpoint, _vehicle: sent.append(endpoint)
    vehicle = client.vehicle(EX30_ID, simulator.connect(OWNER_EMAIL))
    for bad in ("../../../../v3/connections", "x?delete=all#", "a" * 129, "é", ""):
        with pytest.raises(ScheduleValidationError) as err:
            await vehicle.async_delete_charge_schedule(bad)
        assert err.value.problem is ScheduleProblem.INVALID_ID
    assert sent == []
    delete = SCHEDULE_ROUTES[ScheduleContract.DOCS].delete
    assert delete.format(vehicle_id="v/1", schedule_id="../x?y#") == (
        "/vehicles/v%2F1/charge-schedules/..%2Fx%3Fy%23"
    )
    partner = SCHEDULE_ROUTES[ScheduleContract.PARTNER].delete
    assert partner.url(
        "https://vehicle.api.smartcar.com/v3", vehicle_id="v", schedule_id="s"
    ) == ("https://vehicle.api.smartcar.com/v3.0/vehicles/v/schedules/s")


def test_schedules_from_charge_timers() -> None:
    """LOCATION timers read back as schedules; days in any case; unreadable ones refused."""
    timers = read_charge_timers(
        {
            "values": [
                ChargeSchedule.workweek(HOME, NIGHT, ChargeWindow(time(9), time(15)))
                .with_id("sch_1")
                .to_timer(),
                {
                    "type": "LOCATION",
                    "scheduleType": "weekly",
                    "scheduleId": "sch_2",
                    "condition": {"latitude": 1.0, "longitude": 2.0},
                    "schedules": [
                        {"start": "22:00:00", "end": "05:00:00", "days": ["monday"]}
                    ],
                },
                {"type": "LOCATION", "scheduleType": "MONTHLY", "schedules": []},
            ]
        }
    )
    first, second, third = timers.timers
    workweek = ChargeSchedule.from_timer(first)
    assert workweek.schedule_type is ScheduleType.WORKWEEK
    assert workweek.days[Weekday.SATURDAY] == ChargeWindow(time(9), time(15))
    assert workweek.id == "sch_1"
    weekly = ChargeSchedule.from_timer(second)
    assert dict(weekly.days) == {Weekday.MONDAY: ChargeWindow(time(22), time(5))}
    with pytest.raises(ScheduleValidationError):
        ChargeSchedule.from_timer(third)


def test_schedule_timers_updates() -> None:
    """Typed ChargeTimers updates: add and remove a schedule, other timers kept as they came."""
    oem_timer = {"type": "GLOBAL", "schedules": [], "departureTimers": []}
    broken = {"type": "LOCATION", "scheduleId": "sch_x", "scheduleType": "DAILY"}
    at = datetime(2026, 11, 1, 10, tzinfo=UTC)
    held = VehicleSignals({}).updated(
        sig.CHARGE_TIMERS, {"values": [oem_timer, broken]}, at
    )
    timers = ScheduleTimers.of(held)
    assert timers is not None
    assert timers.read_at == at
    assert timers.schedule_ids == ["sch_x"]
    assert timers.schedules() == []  # the broken one has no window to read
    added = timers.with_schedule(ChargeSchedule.daily(HOME, NIGHT).with_id("sch_1"), at)
    after = ScheduleTimers.of(held.merged([added]))
    assert after is not None
    assert after.schedule_ids == ["sch_x", "sch_1"]
    assert [s.id for s in after.schedules()] == ["sch_1"]
    removed = ScheduleTimers.of(held.merged([after.without("sch_x", at)]))
    assert removed is not None
    assert removed.schedule_ids == ["sch_1"]
    assert removed.raw["values"][0] == oem_timer
    assert ScheduleTimers.of(None) is None
    assert ScheduleTimers.of(VehicleSignals({})) is None
