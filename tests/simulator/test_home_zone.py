"""Smartcar's daily refresh of a followed month: at 04:00 in the vehicle's home time (issue 20 §5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from smartcar_simulator import OWNER_EMAIL, Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.upstream import Upstream
from smartcar_simulator.vehicles import EX30_ID, XC40_ID

PACIFIC = ZoneInfo("America/Los_Angeles")
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(
    ("utc_hour", "zone", "seen_day", "seen_utc_hour"),
    [
        # 04:00 Pacific (PST, UTC-8) is 12:00 UTC: before it, yesterday's refresh shows.
        (11, PACIFIC, 1, 12),
        (12, PACIFIC, 2, 12),
        (
            20,
            PACIFIC,
            2,
            12,
        ),  # 12:00 Pacific: the morning's refresh, not the day before's
        # 04:00 Stockholm (CET, UTC+1) is 03:00 UTC.
        (2, STOCKHOLM, 1, 3),
        (3, STOCKHOLM, 2, 3),
    ],
)
def test_daily_refresh_in_home_time(
    utc_hour: int, zone: ZoneInfo, seen_day: int, seen_utc_hour: int
) -> None:
    """On a UTC clock, `daily` shows the car as at the last 04:00 of its home time.

    Before issue 20 the refresh was at 04:00 of the clock's zone (UTC): 20:00 Pacific.
    """
    upstream = Upstream("daily", home=zone)
    at = datetime(2026, 11, 2, utc_hour, 30, tzinfo=UTC)
    seen = upstream.visible_at(at)
    assert seen == datetime(2026, 11, seen_day, seen_utc_hour, tzinfo=UTC)
    assert seen.astimezone(zone).hour == 4
    assert seen.tzinfo is UTC  # in the zone of the clock that asked
    assert Upstream("live", home=zone).visible_at(at) == at


def test_daily_refresh_across_daylight_saving() -> None:
    """The refresh stays at 04:00 local when the clocks change (1 November 2026, US)."""
    upstream = Upstream("daily")  # US Pacific by default
    before = upstream.visible_at(datetime(2026, 10, 31, 12, 0, tzinfo=UTC))
    after = upstream.visible_at(datetime(2026, 11, 1, 13, 0, tzinfo=UTC))
    assert before == datetime(2026, 10, 31, 11, 0, tzinfo=UTC)  # 04:00 PDT
    assert after == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)  # 04:00 PST


def test_followed_month_refreshes_in_home_time(
    simulator: Simulator, sim_clock: ManualClock
) -> None:
    """A simulator vehicle's daily stamp is 04:00 at its home (EX30: Pacific; XC40: EU)."""
    sim_clock.set(datetime(2026, 11, 2, 11, 0, tzinfo=UTC))
    for vehicle_id, zone in ((EX30_ID, PACIFIC), (XC40_ID, STOCKHOLM)):
        simulator.follow_month(
            vehicle_id, seed=3, refresh="daily", start=sim_clock() - timedelta(days=2)
        )
        record = simulator.vehicle(vehicle_id).signals["tractionbattery-stateofcharge"]
        assert record.oem_updated_at.astimezone(zone).hour == 4
    added = simulator.add_vehicle(OWNER_EMAIL, "EX30", home_zone="Europe/Stockholm")
    simulator.follow_month(added, seed=3, refresh="daily")
    record = simulator.vehicle(added).signals["tractionbattery-stateofcharge"]
    assert record.oem_updated_at == datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
