"""Commands (lock, charging, charge limit, destination; 200 and 202 answers) and schedules."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from custom_components.smartcar.api import (
    ChargeSchedule,
    ChargeWindow,
    CommandValidationError,
    ExecutionStatus,
    GeoLocation,
    ScheduleTimers,
    ScheduleType,
    SmartcarClient,
    SmartcarCommandFailedError,
    SmartcarCompatibilityError,
    SmartcarNotFoundError,
    SmartcarPermissionError,
    SmartcarVehicleStateError,
    Unit,
    VehicleSignals,
    Weekday,
    readers,
    signals as sig,
)
from custom_components.smartcar.api.commands import (
    CommandProblem,
    destination_attributes,
)
from custom_components.smartcar.api.contract import (
    CHARGE_SET_LIMIT,
    CHARGE_START,
    CHARGE_STOP,
    MAX_CHARGE_SCHEDULES,
    SCHEDULE_ROUTES,
    SIGNAL,
    Endpoint,
    ScheduleContract,
)
from custom_components.smartcar.api.errors import SmartcarValidationError
from custom_components.smartcar.api.schedules import (
    ScheduleProblem,
    ScheduleValidationError,
)
from smartcar_simulator import Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.vehicles import (
    EX30_ID,
    ID4_ID,
    OTHER_MAKES_EMAIL,
    OWNER_EMAIL,
    XC60_ID,
    XC90_ID,
)

HOME = GeoLocation(57.7089, 11.9746)
SIGNAL_ENDPOINT = SIGNAL
NIGHT = ChargeWindow(time(1, 0), time(6, 0))


async def test_lock_and_unlock(client: SmartcarClient, simulator: Simulator) -> None:
    """A synchronous command succeeds and changes the car."""
    user_id = simulator.connect(OWNER_EMAIL)
    vehicle = client.vehicle(XC90_ID, user_id)
    execution = await vehicle.async_lock()
    assert execution.status is ExecutionStatus.SUCCESS
    assert execution.attributes["commandType"] == "security-lock"
    assert simulator.signal_body(XC90_ID, sig.IS_LOCKED.code) == {"value": True}
    await vehicle.async_unlock()
    assert simulator.signal_body(XC90_ID, sig.IS_LOCKED.code) == {"value": False}


async def test_202_success(client: SmartcarClient, simulator: Simulator) -> None:
    """A 202 whose body reports SUCCESS is a success."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.faults.async_commands(final_status="SUCCESS")
    execution = await client.vehicle(XC90_ID, user_id).async_lock()
    assert execution.status is ExecutionStatus.SUCCESS


async def test_202_pending_then_applied(
    client: SmartcarClient, simulator: Simulator, sim_clock: ManualClock
) -> None:
    """A 202 PENDING is still running; the car changes later."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.faults.async_commands(final_status="PENDING")
    execution = await client.vehicle(XC90_ID, user_id).async_lock()
    assert execution.status is ExecutionStatus.PENDING
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
    assert delete.url("https://h/v3", vehicle_id="v/1", schedule_id="../x?y#") == (
        "https://h/v3/vehicles/v%2F1/charge-schedules/..%2Fx%3Fy%23"
    )
    partner = SCHEDULE_ROUTES[ScheduleContract.PARTNER].delete
    assert partner.url(
        "https://vehicle.api.smartcar.com/v3", vehicle_id="v", schedule_id="s"
    ) == ("https://vehicle.api.smartcar.com/v3.0/vehicles/v/schedules/s")


def test_schedules_from_charge_timers() -> None:
    """LOCATION timers read back as schedules; days in any case; unreadable ones refused."""
    timers = readers.charge_timers(
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


# -- charging, charge limit and destination ------------------------------------------------


def _limits(simulator: Simulator, vehicle_id: str) -> dict[str, object]:
    body = simulator.signal_body(vehicle_id, sig.CHARGE_LIMITS.code)
    assert body is not None
    return body


async def test_stop_and_start_charge(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """Stop and start are bodiless commands that change the car's charging state."""
    sent: list[tuple[Endpoint, str | None]] = []
    client.on_request = lambda endpoint, vehicle: sent.append((endpoint, vehicle))
    vehicle = client.vehicle(EX30_ID, simulator.connect(OWNER_EMAIL))
    stopped = await vehicle.async_stop_charge()
    assert stopped.status is ExecutionStatus.SUCCESS
    assert stopped.attributes["commandType"] == "charge-stop"
    assert simulator.signal_body(EX30_ID, sig.IS_CHARGING.code) == {"value": False}
    started = await vehicle.async_start_charge()
    assert started.attributes["commandType"] == "charge-start"
    assert simulator.signal_body(EX30_ID, sig.IS_CHARGING.code) == {"value": True}
    assert sent == [(CHARGE_STOP, EX30_ID), (CHARGE_START, EX30_ID)]


@pytest.mark.parametrize(
    ("prepare", "command", "code"),
    [
        ("unplug", "async_start_charge", "CHARGING_PLUG_NOT_CONNECTED"),
        ("stop_charging", "async_stop_charge", "NOT_CHARGING"),
    ],
)
async def test_charge_refused_by_the_car(
    client: SmartcarClient,
    simulator: Simulator,
    prepare: str,
    command: str,
    code: str,
) -> None:
    """The car refuses a start while unplugged, a stop while not charging (409)."""
    getattr(simulator, prepare)(EX30_ID)
    vehicle = client.vehicle(EX30_ID, simulator.connect(OWNER_EMAIL))
    with pytest.raises(SmartcarVehicleStateError) as err:
        await getattr(vehicle, command)()
    assert (err.value.status, err.value.code) == (409, code)


async def test_start_at_the_limit_is_fully_charged(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """A car already at its charge limit answers FULLY_CHARGED."""
    simulator.set_signal(XC60_ID, sig.STATE_OF_CHARGE.code, {"value": 90, "unit": "%"})
    vehicle = client.vehicle(XC60_ID, simulator.connect(OWNER_EMAIL))
    with pytest.raises(SmartcarVehicleStateError) as err:
        await vehicle.async_start_charge()
    assert err.value.code == "FULLY_CHARGED"


async def test_set_charge_limit(client: SmartcarClient, simulator: Simulator) -> None:
    """The limit goes as `data.attributes.percent`; the GLOBAL and active limits follow."""
    vehicle = client.vehicle(XC60_ID, simulator.connect(OWNER_EMAIL))
    execution = await vehicle.async_set_charge_limit(70)
    assert execution.status is ExecutionStatus.SUCCESS
    assert execution.attributes["commandType"] == "charge-set-limit"
    assert execution.attributes["parameters"] == {"percent": 70}
    limits = _limits(simulator, XC60_ID)
    assert limits["values"] == [{"type": "GLOBAL", "limit": 70, "condition": None}]
    assert limits["activeLimit"] == 70
    await vehicle.async_set_charge_limit(100.0)  # type: ignore[arg-type]  # a whole float
    assert _limits(simulator, XC60_ID)["activeLimit"] == 100


@pytest.mark.parametrize("percent", [49, 101, 80.5, True, float("nan"), "80", None])
async def test_set_charge_limit_refused_before_any_request(
    client: SmartcarClient, simulator: Simulator, percent: object
) -> None:
    """Anything but a whole percentage from 50 to 100 is refused; nothing is sent."""
    sent: list[Endpoint] = []
    client.on_request = lambda endpoint, _vehicle: sent.append(endpoint)
    vehicle = client.vehicle(XC60_ID, simulator.connect(OWNER_EMAIL))
    with pytest.raises(CommandValidationError) as err:
        await vehicle.async_set_charge_limit(percent)  # type: ignore[arg-type]
    assert (err.value.problem, err.value.field) == (
        CommandProblem.INVALID_CHARGE_LIMIT,
        "percent",
    )
    assert sent == []
    assert _limits(simulator, XC60_ID)["activeLimit"] == 90


async def test_simulator_refuses_an_out_of_range_limit(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """Should a limit out of range reach Smartcar, it answers 400 VALIDATION."""
    user_id = simulator.connect(OWNER_EMAIL)
    with pytest.raises(SmartcarValidationError):
        await client.async_request(
            CHARGE_SET_LIMIT,
            user_id=user_id,
            path={"vehicle_id": XC60_ID},
            json_body={"data": {"attributes": {"percent": 101}}},
        )


async def test_set_destination(client: SmartcarClient, simulator: Simulator) -> None:
    """Latitude and longitude go in `data.attributes`; the name only when given.

    Sent to the Volkswagen, the only make that takes a destination at Smartcar.
    """
    vehicle = client.vehicle(ID4_ID, simulator.connect(OTHER_MAKES_EMAIL))
    execution = await vehicle.async_set_destination(57.7089, 11.9746)
    assert execution.status is ExecutionStatus.SUCCESS
    assert execution.attributes["parameters"] == {
        "latitude": 57.7089,
        "longitude": 11.9746,
    }
    await vehicle.async_set_destination(59.3293, 18.0686, "  Office ")
    destination = simulator.vehicle(ID4_ID).last_destination
    assert destination is not None
    assert (destination.latitude, destination.longitude, destination.name) == (
        59.3293,
        18.0686,
        "Office",
    )
    assert len(simulator.vehicle(ID4_ID).destinations) == 2


@pytest.mark.parametrize(
    ("latitude", "longitude", "name", "problem"),
    [
        (91, 0, None, CommandProblem.INVALID_LATITUDE),
        (float("nan"), 0, None, CommandProblem.INVALID_LATITUDE),
        (float("inf"), 0, None, CommandProblem.INVALID_LATITUDE),
        ("57", 0, None, CommandProblem.INVALID_LATITUDE),
        (0, -180.5, None, CommandProblem.INVALID_LONGITUDE),
        (0, float("nan"), None, CommandProblem.INVALID_LONGITUDE),
        (0, 0, "x" * 101, CommandProblem.INVALID_NAME),
        (0, 0, 7, CommandProblem.INVALID_NAME),
    ],
)
async def test_set_destination_refused_before_any_request(
    client: SmartcarClient,
    simulator: Simulator,
    latitude: object,
    longitude: object,
    *,
    name: object,
    problem: CommandProblem,
) -> None:
    """Coordinates out of range or not finite, or a long name, never reach the network."""
    sent: list[Endpoint] = []
    client.on_request = lambda endpoint, _vehicle: sent.append(endpoint)
    vehicle = client.vehicle(ID4_ID, simulator.connect(OTHER_MAKES_EMAIL))
    with pytest.raises(CommandValidationError) as err:
        await vehicle.async_set_destination(latitude, longitude, name)  # type: ignore[arg-type]
    assert err.value.problem is problem
    assert sent == []
    assert simulator.vehicle(ID4_ID).destinations == []


def test_destination_body() -> None:
    """The body's attributes: coordinates, and the (trimmed) name only when there is one."""
    assert destination_attributes(1, 2, " ") == {"latitude": 1.0, "longitude": 2.0}
    assert destination_attributes(1, 2, " Home")["name"] == "Home"


@pytest.mark.parametrize(
    ("command", "args", "endpoint"),
    [
        ("async_start_charge", (), "charge_start"),
        ("async_stop_charge", (), "charge_stop"),
        ("async_set_charge_limit", (80,), "charge_set_limit"),
        ("async_set_destination", (1.0, 2.0), "set_destination"),
    ],
)
async def test_not_capable_is_a_compatibility_error(
    client: SmartcarClient,
    simulator: Simulator,
    command: str,
    args: tuple[object, ...],
    endpoint: str,
) -> None:
    """A car that cannot run a command answers 501 COMPATIBILITY VEHICLE_NOT_CAPABLE."""
    simulator.vehicle(EX30_ID).unsupported_commands.add(endpoint)
    vehicle = client.vehicle(EX30_ID, simulator.connect(OWNER_EMAIL))
    with pytest.raises(SmartcarCompatibilityError) as err:
        await getattr(vehicle, command)(*args)
    assert (err.value.status, err.value.code) == (501, "VEHICLE_NOT_CAPABLE")


async def test_charge_commands_on_a_petrol_car(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """A car without a traction battery cannot charge: 501 for every charge command."""
    vehicle = client.vehicle(XC90_ID, simulator.connect(OWNER_EMAIL))
    for command in (vehicle.async_start_charge, vehicle.async_stop_charge):
        with pytest.raises(SmartcarCompatibilityError):
            await command()


@pytest.mark.parametrize(
    ("command", "args", "permission"),
    [
        ("async_start_charge", (), "control_charge"),
        ("async_set_charge_limit", (80,), "control_charge"),
        ("async_set_destination", (1.0, 2.0), "control_navigation"),
    ],
)
async def test_commands_need_their_permission(
    client: SmartcarClient,
    simulator: Simulator,
    command: str,
    args: tuple[object, ...],
    permission: str,
) -> None:
    """Without its control permission a command is 403 PERMISSION naming it."""
    user_id = simulator.connect(OWNER_EMAIL, [EX30_ID], ["read_charge"])
    with pytest.raises(SmartcarPermissionError) as err:
        await getattr(client.vehicle(EX30_ID, user_id), command)(*args)
    assert permission in (err.value.error.detail or "")


async def test_charge_limit_202_pending_lands_later(
    client: SmartcarClient, simulator: Simulator, sim_clock: ManualClock
) -> None:
    """A set-limit still running answers 202 PENDING; the limit changes after the delay."""
    simulator.faults.async_commands(final_status="PENDING")
    vehicle = client.vehicle(XC60_ID, simulator.connect(OWNER_EMAIL))
    execution = await vehicle.async_set_charge_limit(60)
    assert execution.status is ExecutionStatus.PENDING
    assert _limits(simulator, XC60_ID)["activeLimit"] == 90
    sim_clock.advance(simulator.command_delay + 1)
    assert _limits(simulator, XC60_ID)["activeLimit"] == 60


def test_charge_limit_state() -> None:
    """What a set-limit that succeeded implies: GLOBAL updated, active follows it, rest kept."""
    at = datetime(2026, 11, 1, 10, tzinfo=UTC)
    location = {"type": "LOCATION", "limit": 70, "condition": {"name": "Office"}}
    plugged = VehicleSignals({}).updated(
        sig.CHARGE_LIMITS,
        {
            "values": [{"type": "GLOBAL", "limit": 80}, location],
            "activeLimit": 80,
            "unit": "percent",
        },
        at,
    )
    held = plugged.get(sig.CHARGE_LIMITS)
    body = sig.charge_limit_state(held, 65, at).body
    assert isinstance(body, sig.ChargeLimits)
    assert (body.global_limit, body.active_limit) == (65, 65)
    assert body.limits[1].limit == 70
    # A location limit in force stays in force; unknown (unplugged) stays unknown.
    at_office = VehicleSignals({}).updated(
        sig.CHARGE_LIMITS,
        {"values": [{"type": "GLOBAL", "limit": 80}, location], "activeLimit": 70},
        at,
    )
    body = sig.charge_limit_state(at_office.get(sig.CHARGE_LIMITS), 90, at).body
    assert isinstance(body, sig.ChargeLimits)
    assert (body.global_limit, body.active_limit) == (90, 70)
    unplugged = VehicleSignals({}).updated(
        sig.CHARGE_LIMITS, {"values": [], "activeLimit": None}, at
    )
    body = sig.charge_limit_state(unplugged.get(sig.CHARGE_LIMITS), 75, at).body
    assert isinstance(body, sig.ChargeLimits)
    assert (body.global_limit, body.active_limit) == (75, None)
    # Nothing known before: a GLOBAL limit alone.
    body = sig.charge_limit_state(None, 55, at).body
    assert isinstance(body, sig.ChargeLimits)
    assert (body.global_limit, body.active_limit, body.unit) == (55, None, Unit.PERCENT)


def test_charging_state() -> None:
    """A start or stop that succeeded implies IsCharging and the charging status."""
    at = datetime(2026, 11, 1, 10, tzinfo=UTC)
    held = VehicleSignals({}).merged(sig.charging_state(True, at))
    assert held.body(sig.IS_CHARGING) == sig.BooleanValue(True)
    assert held.body(sig.DETAILED_CHARGING_STATUS) == sig.TextValue("CHARGING")
    held = held.merged(sig.charging_state(False, at))
    assert held.body(sig.DETAILED_CHARGING_STATUS) == sig.TextValue("NOT_CHARGING")
