"""Property tests of the polling cadence over random months, charging patterns and upstreams.

Each example drives the pure `plan_next_poll` through a whole month of the simulator's upstream
model (a seeded driving and charging pattern, `live` or `daily` refresh), with commands and
actions spending requests at random moments, and checks the invariants the policy promises.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from homeassistant.util import dt as dt_util
from hypothesis import HealthCheck, given, settings, strategies as st

from benchmarks.policy_month import adaptive_planner, run_month, signals_of
from custom_components.smartcar.budget import reserve_for
from custom_components.smartcar.cadence import (
    MIN_INTERVAL,
    SAFETY_INTERVAL,
    Freshness,
    MonthBudget,
    plan_next_poll,
    polling_share,
)
from smartcar_simulator.upstream import Upstream, month_pattern

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
    polls = len(run.polls) - 1  # the first read is the set-up read, not a poll
    assert polls <= polling_share(budget)
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
    """A single decision: none past the share or into the reserve, never before the floor."""
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
    if polls >= polling_share(budget) or used >= budget - reserve_for(budget):
        assert planned is None
        return
    assert planned is not None
    assert planned >= now
    assert planned - last >= max(MIN_INTERVAL, freshness.floor)
    if webhooks:
        assert planned - last >= SAFETY_INTERVAL
