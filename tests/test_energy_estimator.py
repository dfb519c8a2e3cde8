"""The charging energy estimate: only a rise of the state of charge that came from charging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.energy import ChargedEnergy, estimable

T0 = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
CAPACITY = 69.0


def at(minutes: float) -> datetime:
    """Return the time `minutes` after T0."""
    return T0 + timedelta(minutes=minutes)


def level(percent: float, minutes: float) -> sig.Signal[sig.Quantity]:
    """Return a state of charge measured at T0 + `minutes`."""
    body = {"value": percent, "unit": "percent"}
    return sig.current_signal(sig.STATE_OF_CHARGE, body, at(minutes))


def charging(on: bool, minutes: float) -> list[sig.Signal[object]]:
    """Return IsCharging and the charging status as the car reports them at T0 + `minutes`."""
    status = sig.ChargingStatus.CHARGING if on else sig.ChargingStatus.NOT_CHARGING
    return [
        sig.current_signal(sig.IS_CHARGING, {"value": on}, at(minutes)),
        sig.current_signal(
            sig.DETAILED_CHARGING_STATUS, {"value": status.value}, at(minutes)
        ),
    ]


def car() -> sig.VehicleSignals:
    """Return a Volvo that reports its battery's nominal capacity (69 kWh) and no EnergyAdded."""
    capacity = {"capacity": CAPACITY, "unit": "kWh"}
    return sig.VehicleSignals().merged(
        [sig.current_signal(sig.NOMINAL_CAPACITY, capacity, at(-60 * 24))]
    )


def follow(
    energy: ChargedEnergy, data: sig.VehicleSignals, *updates: sig.Signal[object]
) -> sig.VehicleSignals:
    """Merge `updates` as any source would, and let the estimate take the result."""
    data = data.merged(updates)
    energy.follow(data)
    return data


def test_a_rise_while_charging_counts() -> None:
    """45 % → 53 % → 80 % of 69 kWh while charging: 35 % of the capacity."""
    energy = ChargedEnergy()
    data = follow(energy, car(), level(45, 0), *charging(True, 0))
    assert energy.total == 0
    data = follow(energy, data, level(53, 30))
    assert energy.total == pytest.approx(8 * 0.69)
    # The session ends with the last reading (FULLY_CHARGED at the same time): it counts.
    follow(energy, data, level(80, 120), *charging(False, 120))
    assert energy.total == pytest.approx(35 * 0.69)
    assert not energy.charging


def test_driving_down_and_back_up_without_a_session_does_not_count() -> None:
    """80 % → 60 % (a drive) → 75 % with the car never seen charging: nothing counted."""
    energy = ChargedEnergy()
    data = follow(energy, car(), level(80, 0), *charging(False, 0))
    data = follow(energy, data, level(60, 60))
    follow(energy, data, level(75, 120))
    assert energy.total == 0


def test_a_jump_after_a_gap_counts_only_with_charging_seen() -> None:
    """A higher reading after hours with no charging state seen is not counted; one seen is."""
    energy = ChargedEnergy()
    data = follow(energy, car(), level(45, 0), *charging(False, 0))
    data = follow(energy, data, level(80, 600), *charging(False, 590))
    assert energy.total == 0
    # A session seen (a webhook's IsCharging), then the level it reached.
    data = follow(energy, data, *charging(True, 700))
    follow(energy, data, level(90, 760), *charging(False, 760))
    assert energy.total == pytest.approx(10 * 0.69)


def test_a_drop_while_charging_is_not_a_negative_count() -> None:
    """A lower reading during a session (the cabin heated from the battery) subtracts nothing."""
    energy = ChargedEnergy()
    data = follow(energy, car(), level(50, 0), *charging(True, 0))
    data = follow(energy, data, level(49, 10))
    follow(energy, data, level(52, 20))
    assert energy.total == pytest.approx(3 * 0.69)


def test_the_same_reading_by_webhook_then_poll_counts_once() -> None:
    """A reading delivered twice, or an older one arriving late, adds nothing more."""
    energy = ChargedEnergy()
    data = follow(energy, car(), level(45, 0), *charging(True, 0))
    data = follow(energy, data, level(55, 30))  # the webhook
    assert energy.total == pytest.approx(10 * 0.69)
    data = follow(energy, data, level(55, 30))  # the poll, same reading
    data = follow(energy, data, level(50, 15))  # an older one, out of order
    assert energy.total == pytest.approx(10 * 0.69)
    # Taken directly (not through the merge): the same time, or an older one, is ignored.
    assert energy.take_level(60, at(30), CAPACITY) == 0
    assert energy.take_level(40, at(10), CAPACITY) == 0
    assert energy.take_level(60, at(31), CAPACITY) == pytest.approx(5 * 0.69)


def test_no_capacity_counts_nothing() -> None:
    """Without a nominal capacity there is nothing to multiply the rise by."""
    energy = ChargedEnergy()
    data = follow(energy, sig.VehicleSignals(), level(45, 0), *charging(True, 0))
    follow(energy, data, level(55, 30))
    assert energy.total == 0


def test_a_restart_goes_on_from_the_stored_count() -> None:
    """The stored estimate continues: the session running at the restart still counts.

    The signals start afresh after a restart, so no merge keeps out what the car reported
    before it (the stored 55 % reading, or an older one delivered late): the estimate does.
    """
    energy = ChargedEnergy()
    data = follow(energy, car(), level(45, 0), *charging(True, 0))
    follow(energy, data, level(55, 30))
    restored = ChargedEnergy.from_dict(energy.as_dict())
    assert restored == energy
    charging_since_before = car().merged(charging(True, 0))
    for reading in (level(55, 30), level(50, 15)):  # each in the signals of a restart
        follow(restored, charging_since_before, reading)
    assert restored.total == pytest.approx(10 * 0.69)
    # Counted from the stored 55 %, not from the older 50 % (which would count 10 %).
    follow(restored, charging_since_before, level(60, 60))
    assert restored.total == pytest.approx(15 * 0.69)


@pytest.mark.parametrize(
    "stored",
    [
        {},
        {"total": "12", "percent": 50, "percent_at": "yesterday", "charged": "yes"},
        {"total": float("nan"), "percent": -3, "percent_at": "2026-11-01T10:00:00"},
        {"total": True, "charging": True, "charging_at": None},
    ],
)
def test_stored_data_that_does_not_read_starts_clean(stored: dict[str, object]) -> None:
    """Unreadable stored values (hostile or damaged) fall back to nothing counted, no level."""
    energy = ChargedEnergy.from_dict(stored)
    assert energy == ChargedEnergy()


def test_which_cars_get_the_estimate() -> None:
    """A capacity and a charging state without EnergyAdded; a car with EnergyAdded has its own."""
    assert not estimable(sig.VehicleSignals())
    assert not estimable(car())
    volvo = car().merged(charging(False, 0))
    assert estimable(volvo)
    energy_added = {"value": 3.2, "unit": "kWh"}
    tesla = volvo.merged([sig.current_signal(sig.ENERGY_ADDED, energy_added, at(0))])
    assert not estimable(tesla)
