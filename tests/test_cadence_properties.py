"""The polling cadence: properties over random months, charging patterns and upstreams; examples.

Each example drives the pure `polling.plan_next_poll` through a whole month of the simulator's upstream
model (a seeded driving and charging pattern, `live` or `daily` refresh), with commands and
actions spending requests at random moments, and checks the invariants the policy promises.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from homeassistant.util import dt as dt_util
from hypothesis import HealthCheck, given, settings, strategies as st

from benchmarks.policy_month import adaptive_planner, run_month, signals_of
from custom_components.smartcar.api import VehicleSignals
from custom_components.smartcar.budget import MonthBudget, reserve_for
from custom_components.smartcar.polling import (
    AFTER_EVENT,
    AFTER_REFRESH,
    CHARGING_INTERVAL,
    EVEN_PACE,
    IDLE_INTERVAL,
    MAX_FLOOR,
    MIN_INTERVAL,
    SAFETY_INTERVAL,
    WATCH_INTERVAL,
    Freshness,
    plan_next_poll,
)
from smartcar_simulator.upstream import Snapshot, Upstream, month_pattern

START = datetime(2026, 11, 1, 0, 0, tzinfo=dt_util.UTC)
END = datetime(2026, 12, 1, 0, 0, tzinfo=dt_util.UTC)

months = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 2**32 - 1),
        "refresh": st.sampled_from(["live", "daily"]),
        "budget": st.integers(25, 5000),
        "start_hours": st.integers(0, 27 * 24),
        "commands": st.lists(st.integers(0, 30 * 24), max_size=80),
    }
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(months)
def test_month_within_share_floor_and_reserve(case: dict[str, object]) -> None:
    """Never more polls than the share, never faster than the floor, never into the reserve."""
    budget = int(str(case["budget"]))
    reserve = reserve_for(budget)
    commands = sorted(
        START + timedelta(hours=int(str(h)))
        for h in case["commands"]  # type: ignore[attr-defined]
    )
    start = START + timedelta(hours=int(str(case["start_hours"])))
    pattern = month_pattern(int(str(case["seed"])), START)
    run = run_month(
        pattern,
        Upstream("live" if case["refresh"] == "live" else "daily"),
        adaptive_planner,
        start,
        END,
        budget=budget,
        reserve=reserve,
        other_requests=lambda at: sum(1 for c in commands if c <= at),
    )
    # The set-up read is spent from the share too.
    assert len(run.polls) <= MonthBudget(0, 0, budget, reserve, END).share
    assert run.intervals_ok
    # A poll never spends out of the reserve: each one is sent while above it.
    for used in run.used_at_polls[1:]:
        assert used <= budget - reserve


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 1000),
    hours=st.integers(0, 30 * 24 - 1),
    polls=st.integers(0, 200),
    used=st.integers(0, 600),
    budget=st.integers(1, 1000),
    webhooks=st.booleans(),
    refresh=st.sampled_from(["live", "daily"]),
    since=st.integers(0, 48 * 60),
)
def test_one_decision(
    *,
    seed: int,
    hours: int,
    polls: int,
    used: int,
    budget: int,
    webhooks: bool,
    refresh: str,
    since: int,
) -> None:
    """A single decision: none past the share or into the reserve, never before the floor.

    And never later than 12 hours after the last read (the idle ceiling) while the month's pace
    is faster and no refresh clock is known, unless webhooks deliver.
    """
    pattern = month_pattern(seed, START)
    now = START + timedelta(hours=hours)
    last = now - timedelta(minutes=since)
    upstream = Upstream("live" if refresh == "live" else "daily")
    freshness = Freshness().observe(last, signals_of(upstream.report(pattern, last)))
    month = MonthBudget(polls, used, budget, reserve_for(budget), END)
    planned = plan_next_poll(
        now,
        signals_of(upstream.report(pattern, now)),
        freshness,
        month,
        webhooks_delivering=webhooks,
    )
    if polls >= month.share or used >= budget - reserve_for(budget):
        assert planned is None
        return
    assert planned is not None
    assert planned >= now
    assert planned - last >= max(MIN_INTERVAL, freshness.floor)
    if webhooks:
        assert planned - last >= SAFETY_INTERVAL
        return
    pace = (END - now) / month.polls_left
    # (Stretched intervals are rounded up to whole seconds.)
    assert planned <= max(now, last + max(IDLE_INTERVAL, pace)) + timedelta(seconds=1)


# Single decisions, each at the pace the intervals hold at (pressure 1).
DAY = datetime(2026, 11, 10, 0, 0, tzinfo=dt_util.UTC)


def _read(
    at: datetime,
    *,
    level: int = 60,
    charging: bool = False,
    plugged: bool = False,
    minutes: float | None = None,
    stamp: datetime | None = None,
) -> VehicleSignals:
    """Return what a read at `at` brings (with a charge timer starting at 01:00)."""
    return signals_of(Snapshot(level, charging, plugged, minutes, stamp or at, at))


def _plan(at: datetime, signals: VehicleSignals, freshness: Freshness) -> datetime:
    month = MonthBudget(0, 1, 500, 50, at + EVEN_PACE * 150)
    assert (month.month_end - at) / month.polls_left == EVEN_PACE  # pressure 1
    planned = plan_next_poll(at, signals, freshness, month)
    assert planned is not None
    return planned


def _after(at: datetime, signals: VehicleSignals) -> datetime:
    return _plan(at, signals, Freshness().observe(at, signals))


def test_unplugged_car_is_watched_in_the_evening() -> None:
    """Before any session is learned, the evening (18-22 h) is watched every 110 minutes."""
    noon = DAY.replace(hour=12)
    assert _after(noon, _read(noon)) == DAY.replace(hour=18) + WATCH_INTERVAL / 2
    seven = DAY.replace(hour=19)
    assert _after(seven, _read(seven)) == seven + WATCH_INTERVAL
    nine = DAY.replace(hour=21)
    assert _after(nine, _read(nine)) == DAY.replace(hour=22)  # the window's end
    late = DAY.replace(hour=21, minute=30)
    assert _after(late, _read(late)) == late + IDLE_INTERVAL  # too close to the end


def test_plugged_car_waits_for_its_timer_unless_full() -> None:
    """Plugged in and waiting: read right after the charge timer's start (not when full)."""
    at = DAY.replace(hour=19, minute=40)
    timer = DAY.replace(hour=1) + timedelta(days=1)
    assert _after(at, _read(at, plugged=True)) == timer + AFTER_EVENT
    assert _after(at, _read(at, plugged=True, level=100)) == at + IDLE_INTERVAL


def test_charging_car_is_read_every_38_minutes() -> None:
    """Charging: every 38 minutes, whatever TimeToComplete predicts."""
    at = DAY.replace(hour=20)
    for minutes in (20, 120):
        charging = _read(at, charging=True, plugged=True, minutes=minutes)
        assert _after(at, charging) == at + CHARGING_INTERVAL


def test_reads_bringing_nothing_newer_back_off_under_the_ceiling() -> None:
    """Stale reads double the wait (twice at most); idle, no wait exceeds 12 hours."""
    at = DAY.replace(hour=2)
    charging = _read(at, charging=True, plugged=True, minutes=300, stamp=at)
    freshness = Freshness().observe(at, charging)
    for doubling in (1, 2, 4, 4):
        assert _plan(at, charging, freshness) == at + CHARGING_INTERVAL * doubling
        freshness = freshness.observe(at, charging)  # the same stamp again: stale
    idle = _read(at, stamp=at)
    assert freshness.stale_reads == 4
    assert _plan(at, idle, freshness) == at + IDLE_INTERVAL


def test_daily_upstream_is_read_right_after_its_refresh() -> None:
    """Stamps on one daily clock: read just after the next refresh, whatever the car does."""
    freshness = Freshness()
    for day in range(4):
        at = DAY + timedelta(days=day, hours=12)
        stamp = DAY + timedelta(days=day, hours=4)
        freshness = freshness.observe(at, _read(at, stamp=stamp))
        # The set-up read's stamp is no change seen arrive: three are needed.
        assert (freshness.period is None) == (day < 3)
    assert freshness.period == timedelta(days=1)
    assert freshness.floor == MAX_FLOOR
    at = DAY + timedelta(days=3, hours=12)
    charging = _read(at, charging=True, plugged=True, minutes=300, stamp=at)
    refresh = DAY + timedelta(days=4, hours=4)
    assert _plan(at, charging, freshness) == refresh + AFTER_REFRESH


def test_stamps_without_a_clock_have_no_period() -> None:
    """Stamps set by the car's own changes (10 h, then 14 h apart): no period, 15-min floor.

    No refresh is predicted either: the plan is the one without the refresh clock rule.
    """
    freshness = Freshness()
    for hours in (0, 8, 18, 32):
        at = DAY + timedelta(hours=hours, minutes=30)
        stamp = DAY + timedelta(hours=hours, minutes=5)
        signals = _read(at, charging=True, plugged=True, minutes=300, stamp=stamp)
        freshness = freshness.observe(at, signals)
    assert freshness.period is None
    assert freshness.floor == MIN_INTERVAL
    month = MonthBudget(0, 1, 500, 50, at + EVEN_PACE * 150)
    planned = plan_next_poll(at, signals, freshness, month)
    assert planned == plan_next_poll(
        at, signals, freshness, month, off=["refresh clock"]
    )
    assert planned == at + CHARGING_INTERVAL


def test_drive_ends_near_a_clock_have_no_period() -> None:
    """Changes at 12:10, 08:05 and 18:05 (19 h 55 min, then 10 h apart): no refresh clock."""
    freshness = Freshness()
    for stamp in (
        DAY.replace(hour=6),  # the set-up read's
        DAY.replace(hour=12, minute=10),
        DAY + timedelta(days=1, hours=8, minutes=5),
        DAY + timedelta(days=1, hours=18, minutes=5),
    ):
        at = stamp + timedelta(minutes=30)
        freshness = freshness.observe(at, _read(at, stamp=stamp))
    assert freshness.period is None


def test_scarce_polls_follow_the_pace_without_events() -> None:
    """Ten polls for 30 days: one every three days, no timer or watch polls."""
    at = DAY.replace(hour=19, minute=40)
    signals = _read(at, plugged=True)
    month = MonthBudget(140, 141, 500, 50, at + timedelta(days=30))
    assert month.polls_left == 10  # pressure 20
    planned = plan_next_poll(at, signals, Freshness().observe(at, signals), month)
    assert planned == at + timedelta(days=3)


def test_idle_car_is_read_after_it_usually_stops_changing() -> None:
    """Changes seen at 08:05 on three days: the idle read comes at 08:15, not 12 h after."""
    freshness = Freshness()
    for day in range(4):
        at = DAY + timedelta(days=day, hours=12)
        stamp = DAY + timedelta(days=day, hours=8, minutes=5)
        freshness = freshness.observe(at, _read(at, stamp=stamp))
    assert freshness.settled == (485, 485, 485)  # the set-up read's is none
    at = DAY + timedelta(days=4, hours=22)
    signals = _read(at, stamp=DAY + timedelta(days=4, hours=18, minutes=5))
    freshness = freshness.observe(at, signals)
    morning = DAY + timedelta(days=5, hours=8, minutes=5)
    assert _plan(at, signals, freshness) == morning + AFTER_EVENT
