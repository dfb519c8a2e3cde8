"""Values that move with the simulator clock, and the charging helpers."""

from __future__ import annotations

from typing import Any

import pytest

from smartcar_simulator import (
    EX30_ID,
    SECOND_EMAIL,
    XC40_ID,
    XC60_ID,
    XC90_ID,
    Simulator,
)
from smartcar_simulator.clock import ManualClock

from .helpers import Api


async def _signals(api: Api, user: str, vehicle_id: str) -> dict[str, dict[str, Any]]:
    reply = await api.get(f"/v3/vehicles/{vehicle_id}/signals", user=user)
    return {element["id"]: element for element in reply.json["data"]}


async def test_charging_moves_with_the_clock(
    api: Api, owner: str, sim_clock: ManualClock
) -> None:
    """After 30 minutes at 11 kW on 69 kWh the EX30 gained ~8 % and 30 minutes less to go."""
    sim_clock.advance(minutes=30)
    signals = await _signals(api, owner, EX30_ID)
    soc = signals["tractionbattery-stateofcharge"]
    assert soc["attributes"]["body"]["value"] == pytest.approx(
        45 + 11 / 69 * 100 / 2, abs=0.05
    )
    assert soc["meta"]["oemUpdatedAt"] == "2026-11-01T10:30:00.000Z"
    ttc = signals["charge-timetocomplete"]["attributes"]["body"]["value"]
    assert ttc == 102
    range_km = signals["tractionbattery-range"]["attributes"]["body"]["value"]
    assert range_km == round(soc["attributes"]["body"]["value"] * 4.76)
    assert signals["charge-ischarging"]["attributes"]["body"] == {"value": True}


async def test_charging_stops_at_the_limit(
    api: Api, owner: str, sim_clock: ManualClock
) -> None:
    """At 80 % the charge ends: FULLY_CHARGED, wattage and time-to-complete NOT_CHARGING."""
    sim_clock.advance(hours=5)
    signals = await _signals(api, owner, EX30_ID)
    soc = signals["tractionbattery-stateofcharge"]
    assert soc["attributes"]["body"]["value"] == 80
    assert soc["meta"]["oemUpdatedAt"].startswith("2026-11-01T12:11:")
    assert signals["charge-ischarging"]["attributes"]["body"] == {"value": False}
    assert signals["charge-detailedchargingstatus"]["attributes"]["body"] == {
        "value": "FULLY_CHARGED"
    }
    for code in ("charge-wattage", "charge-timetocomplete"):
        status = signals[code]["attributes"]["status"]
        assert status["error"]["code"] == "NOT_CHARGING"
    assert signals["charge-timetocomplete"]["attributes"]["body"]["value"] == 0
    assert signals["charge-wattage"]["attributes"]["body"]["value"] == 11000
    sim_clock.advance(hours=1)
    later = await _signals(api, owner, EX30_ID)
    assert later["tractionbattery-stateofcharge"]["meta"] == soc["meta"]


def test_many_small_reads_do_not_lose_charge(
    simulator: Simulator, sim_clock: ManualClock
) -> None:
    """Reading every second gives the same result as one read later (no rounding drift)."""
    for _ in range(600):
        sim_clock.advance(1)
        simulator.vehicle(EX30_ID)
    body = simulator.signal_body(EX30_ID, "tractionbattery-stateofcharge")
    assert body == {
        "value": pytest.approx(45 + 11 / 69 * 100 / 6, abs=0.05),
        "unit": "percent",
    }


def test_stop_and_restart(simulator: Simulator, sim_clock: ManualClock) -> None:
    """Stopping freezes the state of charge; starting again continues from there."""
    sim_clock.advance(minutes=60)
    simulator.stop_charging(EX30_ID)
    vehicle = simulator.vehicle(EX30_ID)
    stopped = vehicle.body("tractionbattery-stateofcharge")["value"]
    assert vehicle.body("charge-detailedchargingstatus") == {"value": "NOT_CHARGING"}
    assert vehicle.signals["charge-wattage"].error is not None
    sim_clock.advance(minutes=60)
    assert simulator.signal_body(EX30_ID, "tractionbattery-stateofcharge") == {
        "value": stopped,
        "unit": "percent",
    }
    simulator.stop_charging(EX30_ID)  # stopping twice is harmless
    simulator.start_charging(EX30_ID, watts=22_000)
    vehicle = simulator.vehicle(EX30_ID)
    assert vehicle.body("charge-wattage") == {"value": 22000, "unit": "watts"}
    assert vehicle.signals["charge-wattage"].error is None
    assert vehicle.body("charge-detailedchargingstatus") == {"value": "CHARGING"}
    sim_clock.advance(minutes=30)
    restarted = simulator.signal_body(EX30_ID, "tractionbattery-stateofcharge")
    assert restarted is not None
    assert restarted["value"] > stopped


def test_plug_and_unplug(simulator: Simulator, sim_clock: ManualClock) -> None:
    """Unplugging ends the charge and clears activeLimit; plugging restores it."""
    simulator.unplug(EX30_ID)
    vehicle = simulator.vehicle(EX30_ID)
    assert vehicle.body("charge-ischargingcableconnected") == {"value": False}
    assert vehicle.body("charge-chargelimits")["activeLimit"] is None
    assert vehicle.charge_session is None
    with pytest.raises(ValueError, match="not plugged in"):
        simulator.start_charging(EX30_ID)
    simulator.plug(EX30_ID)
    assert simulator.vehicle(EX30_ID).body("charge-chargelimits")["activeLimit"] == 80


def test_xc40_starts_with_global_limit(
    simulator: Simulator, sim_clock: ManualClock
) -> None:
    """Plugging the XC40 in and charging uses its GLOBAL limit and last wattage."""
    simulator.plug(XC40_ID)
    simulator.start_charging(XC40_ID)
    session = simulator.vehicle(XC40_ID).charge_session
    assert session is not None
    assert (session.limit, session.watts, session.capacity_kwh) == (90, 11000, 82)


def test_limit_fallbacks(simulator: Simulator) -> None:
    """Without activeLimit and GLOBAL entry the limit is 100 %."""
    simulator.unplug(XC40_ID)
    simulator.set_signal(
        XC40_ID,
        "charge-chargelimits",
        {"values": [{"type": "LOCATION", "limit": 70}], "activeLimit": None},
    )
    simulator.plug(XC40_ID)
    assert simulator.vehicle(XC40_ID).body("charge-chargelimits")["activeLimit"] is None
    simulator.start_charging(XC40_ID)
    session = simulator.vehicle(XC40_ID).charge_session
    assert session is not None
    assert session.limit == 100


def test_overwriting_charge_inputs_restarts_the_charge(
    simulator: Simulator, sim_clock: ManualClock
) -> None:
    """Setting the state of charge of a charging car continues from the new value."""
    sim_clock.advance(minutes=30)
    simulator.set_signal(
        EX30_ID, "tractionbattery-stateofcharge", {"value": 70, "unit": "percent"}
    )
    sim_clock.advance(minutes=30)
    body = simulator.signal_body(EX30_ID, "tractionbattery-stateofcharge")
    assert body == {
        "value": pytest.approx(70 + 11 / 69 * 100 / 2, abs=0.05),
        "unit": "percent",
    }
    simulator.set_signal(EX30_ID, "charge-wattage", {"value": 50_000, "unit": "watts"})
    session = simulator.vehicle(EX30_ID).charge_session
    assert session is not None
    assert session.watts == 50_000
    simulator.set_signal(
        EX30_ID, "odometer-traveleddistance", {"value": 1, "unit": "km"}
    )
    assert simulator.vehicle(EX30_ID).charge_session is session


def test_start_when_full(simulator: Simulator) -> None:
    """Starting a car already at its limit reports FULLY_CHARGED without a session."""
    simulator.stop_charging(EX30_ID)
    simulator.set_signal(
        EX30_ID, "tractionbattery-stateofcharge", {"value": 85, "unit": "percent"}
    )
    simulator.start_charging(EX30_ID)
    vehicle = simulator.vehicle(EX30_ID)
    assert vehicle.charge_session is None
    assert vehicle.body("charge-detailedchargingstatus") == {"value": "FULLY_CHARGED"}


def test_phev_range_scales_extra_values(
    simulator: Simulator, sim_clock: ManualClock
) -> None:
    """The XC60 charges with its stale 3.7 kW; ideal range scales with the estimate."""
    simulator.start_charging(XC60_ID)
    sim_clock.advance(hours=1)
    body = simulator.signal_body(XC60_ID, "tractionbattery-range")
    assert body is not None
    soc = simulator.signal_body(XC60_ID, "tractionbattery-stateofcharge")
    assert soc is not None
    assert soc["value"] == pytest.approx(62 + 3.7 / 18.8 * 100, abs=0.05)
    assert body["value"] == round(soc["value"] * 0.78)
    assert body["additionalValues"][0]["value"] == round(56 * body["value"] / 48)
    assert body["unit"] == "kilometers"


def test_range_without_estimate(simulator: Simulator, sim_clock: ManualClock) -> None:
    """A zero range with extra values keeps them; a car without range still charges."""
    simulator.set_signal(
        XC60_ID,
        "tractionbattery-range",
        {"value": 0, "additionalValues": [{"type": "RATED", "value": 5}]},
    )
    simulator.start_charging(XC60_ID)
    sim_clock.advance(minutes=10)
    body = simulator.signal_body(XC60_ID, "tractionbattery-range")
    assert body is not None
    assert body["additionalValues"] == [{"type": "RATED", "value": 5}]
    simulator.remove_signal(XC60_ID, "tractionbattery-range")
    sim_clock.advance(minutes=10)
    assert simulator.vehicle(XC60_ID).charge_session is not None


def test_ice_car_has_no_charging(simulator: Simulator) -> None:
    """Charging helpers refuse an ICE car."""
    for action in (simulator.plug, simulator.unplug, simulator.start_charging):
        with pytest.raises(ValueError, match="no traction battery"):
            action(XC90_ID)


def test_second_account_connect(simulator: Simulator) -> None:
    """The second account's XC40 can be connected."""
    assert simulator.connect(SECOND_EMAIL)
    assert simulator.connections()[0].vehicle_id == XC40_ID
