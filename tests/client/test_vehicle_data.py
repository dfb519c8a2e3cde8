"""Connections, vehicle attributes and signals: every page, all 19 signals in both forms."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.smartcar.api import (
    SmartcarClient,
    SmartcarNotFoundError,
    Unit,
    signals as sig,
)
from custom_components.smartcar.api.signals import (
    CATALOGUE,
    BooleanValue,
    ChargeLimits,
    ChargeTimers,
    Closures,
    NominalCapacity,
    PreciseLocation,
    Quantity,
    TextValue,
)
from smartcar_simulator import Simulator
from smartcar_simulator.vehicles import (
    EX30_ID,
    EX30_VIN,
    OWNER_EMAIL,
    SECOND_EMAIL,
    XC60_ID,
    XC90_ID,
)

BODY_TYPES: dict[str, type[Any]] = {
    sig.IS_CHARGING_CABLE_CONNECTED.code: BooleanValue,
    sig.IS_CHARGING.code: BooleanValue,
    sig.DETAILED_CHARGING_STATUS.code: TextValue,
    sig.CHARGING_CONNECTOR_TYPE.code: TextValue,
    sig.CHARGE_TIMERS.code: ChargeTimers,
    sig.CHARGE_LIMITS.code: ChargeLimits,
    sig.TIME_TO_COMPLETE.code: Quantity,
    sig.CHARGE_WATTAGE.code: Quantity,
    sig.DOORS.code: Closures,
    sig.WINDOWS.code: Closures,
    sig.IS_LOCKED.code: BooleanValue,
    sig.FUEL_AMOUNT_REMAINING.code: Quantity,
    sig.FUEL_LEVEL.code: Quantity,
    sig.FUEL_RANGE.code: Quantity,
    sig.STATE_OF_CHARGE.code: Quantity,
    sig.BATTERY_RANGE.code: Quantity,
    sig.NOMINAL_CAPACITY.code: NominalCapacity,
    sig.PRECISE_LOCATION.code: PreciseLocation,
    sig.TRAVELED_DISTANCE.code: Quantity,
    sig.VIN.code: TextValue,
}
CHARGE = {code for code in BODY_TYPES if code.startswith("charge-")}
BATTERY = {code for code in BODY_TYPES if code.startswith("tractionbattery-")}
FUEL = {code for code in BODY_TYPES if code.startswith("internalcombustionengine-")}
COMMON = set(BODY_TYPES) - CHARGE - BATTERY - FUEL


def test_catalogue_has_the_19_signals_and_vin() -> None:
    """Every seed signal has its catalogue entry, among the 93 of the v3 catalogue."""
    assert set(BODY_TYPES) <= set(CATALOGUE)
    assert len(CATALOGUE) == 93


async def test_connections_list_every_page(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """120 connections come back in full (three pages of 50), with their details."""
    user_id = simulator.connect(OWNER_EMAIL)
    for _ in range(117):
        simulator.add_vehicle(OWNER_EMAIL, "EX30", permissions=["read_battery"])
    connections = await client.async_get_connections(user_id=user_id)
    assert len(connections) == 120
    assert len({c.vehicle_id for c in connections}) == 120
    assert simulator.counters.count("connections") == 3
    xc90 = next(c for c in connections if c.vehicle_id == XC90_ID)
    assert xc90.user_id == user_id
    assert (xc90.vehicle.make, xc90.vehicle.model, xc90.vehicle.year) == (
        "VOLVO",
        "XC90",
        2023,
    )
    assert xc90.vehicle.powertrain_type == "ICE"
    assert "read_fuel" in xc90.permissions
    assert xc90.created_at is not None


async def test_connections_filters(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """Filtering by user narrows the listing."""
    owner = simulator.connect(OWNER_EMAIL)
    second = simulator.connect(SECOND_EMAIL)
    assert {c.user_id for c in await client.async_get_connections()} == {owner, second}
    assert len(await client.async_get_connections(user_id=second)) == 1


async def test_vehicle_attributes(client: SmartcarClient, simulator: Simulator) -> None:
    """A connection carries the vehicle's make, model, year and powertrain."""
    user_id = simulator.connect(OWNER_EMAIL)
    connections = await client.async_get_connections(user_id=user_id)
    (connection,) = [c for c in connections if c.vehicle_id == EX30_ID]
    info = connection.vehicle
    assert (info.id, info.make, info.model, info.year, info.powertrain_type) == (
        EX30_ID,
        "VOLVO",
        "EX30",
        2025,
        "BEV",
    )


@pytest.mark.parametrize(
    ("vehicle_id", "expected"),
    [
        (EX30_ID, COMMON | CHARGE | BATTERY),
        (XC60_ID, set(BODY_TYPES)),
        (XC90_ID, COMMON | FUEL),
    ],
)
async def test_signals_parse_for_each_powertrain(
    client: SmartcarClient, simulator: Simulator, vehicle_id: str, expected: set[str]
) -> None:
    """BEV, PHEV and ICE report their signals, each parsed into its typed body."""
    user_id = simulator.connect(OWNER_EMAIL)
    state = await client.vehicle(vehicle_id, user_id).async_get_signals()
    assert set(state.signals) == expected
    for code, signal in state.signals.items():
        assert isinstance(signal.body, BODY_TYPES[code]), code
        assert signal.oem_updated_at is not None
    assert simulator.counters.count("signals") == 1


async def test_units_in_both_spellings(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """Km and kilometers, liters and gallons, miles: each read as one unit."""
    user_id = simulator.connect(OWNER_EMAIL)
    ex30 = await client.vehicle(EX30_ID, user_id).async_get_signals()
    xc60 = await client.vehicle(XC60_ID, user_id).async_get_signals()
    xc90 = await client.vehicle(XC90_ID, user_id).async_get_signals()
    assert ex30.signals[sig.TRAVELED_DISTANCE.code].raw_body == simulator.signal_body(
        EX30_ID, sig.TRAVELED_DISTANCE.code
    )
    odometer = ex30.body(sig.TRAVELED_DISTANCE)
    assert odometer is not None
    assert odometer.unit is Unit.KILOMETERS
    xc60_range = xc60.body(sig.FUEL_RANGE)
    assert xc60_range is not None
    assert xc60.signals[sig.FUEL_RANGE.code].raw_body == {
        "value": xc60_range.value,
        "unit": "kilometers",
    }
    assert xc60_range.unit is Unit.KILOMETERS
    fuel = xc60.body(sig.FUEL_AMOUNT_REMAINING)
    assert fuel is not None
    assert fuel.unit is Unit.LITERS
    us_fuel = xc90.body(sig.FUEL_AMOUNT_REMAINING)
    us_range = xc90.body(sig.FUEL_RANGE)
    assert us_fuel is not None
    assert us_range is not None
    assert (us_fuel.unit, us_range.unit) == (Unit.GALLONS, Unit.MILES)
    soc = ex30.body(sig.STATE_OF_CHARGE)
    assert soc is not None
    assert soc.unit is Unit.PERCENT
    wattage = ex30.body(sig.CHARGE_WATTAGE)
    assert wattage is not None
    assert (wattage.unit, wattage.value) == (Unit.WATTS, 11000)


async def test_signal_error_keeps_stale_body(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """The PHEV's wattage is in ERROR NOT_CHARGING and still carries its last body."""
    user_id = simulator.connect(OWNER_EMAIL)
    state = await client.vehicle(XC60_ID, user_id).async_get_signals()
    wattage = state.get(sig.CHARGE_WATTAGE)
    assert wattage is not None
    assert not wattage.ok
    assert wattage.error is not None
    assert (wattage.error.type, wattage.error.code) == ("VEHICLE_STATE", "NOT_CHARGING")
    assert isinstance(wattage.body, Quantity)


async def test_every_signal_in_error_form(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """Without permissions, all 19 signals (and VIN) come back as typed PERMISSION errors."""
    user_id = simulator.connect(
        OWNER_EMAIL, [XC60_ID], permissions=["read_vehicle_info"]
    )
    state = await client.vehicle(XC60_ID, user_id).async_get_signals()
    assert set(state.signals) == set(BODY_TYPES)
    for signal in state.signals.values():
        assert not signal.ok
        assert signal.error is not None
        assert signal.error.type == "PERMISSION"
        assert signal.body is None


async def test_signals_follow_every_page(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """A paged listing is read in full by following relative links.next."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.signals_page_size = 3
    state = await client.vehicle(XC60_ID, user_id).async_get_signals()
    assert len(state.signals) == 20
    assert simulator.counters.count("signals") == 7


async def test_epoch_timestamps(client: SmartcarClient, simulator: Simulator) -> None:
    """Epoch-second timestamps read as the same instants as ISO ones."""
    user_id = simulator.connect(OWNER_EMAIL)
    iso_state = await client.vehicle(XC90_ID, user_id).async_get_signals()
    simulator.timestamp_format = "epoch"
    epoch_state = await client.vehicle(XC90_ID, user_id).async_get_signals()
    for code, signal in iso_state.signals.items():
        expected = signal.oem_updated_at
        assert expected is not None
        assert epoch_state.signals[code].oem_updated_at == expected.replace(
            microsecond=0
        )


async def test_unknown_signal_and_unknown_enum_kept(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """An unknown signal keeps its raw body; an unknown enum value is kept as it came."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.add_raw_signal(
        EX30_ID, "climate-cabintemperature", {"value": 21.5, "unit": "celsius"}
    )
    simulator.set_signal(
        EX30_ID, sig.DETAILED_CHARGING_STATUS.code, {"value": "PRECONDITIONING"}
    )
    state = await client.vehicle(EX30_ID, user_id).async_get_signals()
    unknown = state.signals["climate-cabintemperature"]
    assert unknown.body is None
    assert unknown.raw_body == {"value": 21.5, "unit": "celsius"}
    status = state.body(sig.DETAILED_CHARGING_STATUS)
    assert status == TextValue("PRECONDITIONING")


async def test_unreadable_body_is_a_read_error(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """A body that does not fit its signal is a read error: no body, nothing raw to show."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.set_signal(
        XC60_ID, sig.STATE_OF_CHARGE.code, {"value": "lots", "unit": "percent"}
    )
    state = await client.vehicle(XC60_ID, user_id).async_get_signals()
    soc = state.get(sig.STATE_OF_CHARGE)
    assert soc is not None
    assert not soc.ok
    assert soc.error is not None
    assert soc.error.code == sig.READ_ERROR_CODE
    assert soc.body is None
    assert soc.raw_body is None


async def test_single_signal(client: SmartcarClient, simulator: Simulator) -> None:
    """GET /signals/{code} reads one signal; the VIN is one."""
    user_id = simulator.connect(OWNER_EMAIL)
    vin = await client.vehicle(EX30_ID, user_id).async_get_signal(sig.VIN)
    assert vin.body == TextValue(EX30_VIN)
    assert simulator.counters.count("signal", EX30_ID) == 1


async def test_single_signal_not_reported(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """A signal the car does not report answers 404."""
    user_id = simulator.connect(OWNER_EMAIL)
    with pytest.raises(SmartcarNotFoundError):
        await client.vehicle(XC90_ID, user_id).async_get_signal(sig.STATE_OF_CHARGE)


async def test_charging_car_gains_charge(
    client: SmartcarClient, simulator: Simulator, sim_clock: Any
) -> None:
    """Values move with time: the charging EX30 gains state of charge."""
    user_id = simulator.connect(OWNER_EMAIL)
    vehicle = client.vehicle(EX30_ID, user_id)
    before = (await vehicle.async_get_signals()).body(sig.STATE_OF_CHARGE)
    sim_clock.advance(minutes=30)
    after = (await vehicle.async_get_signals()).body(sig.STATE_OF_CHARGE)
    assert before is not None
    assert after is not None
    assert after.value > before.value
