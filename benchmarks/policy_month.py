"""A vehicle's month of polls on a simulated clock: fixed 6 h against the adaptive cadence.

Pure and fast (no Home Assistant, no HTTP): the simulator's upstream model (`upstream.py`) says
what a read would bring at each moment, the integration's own `polling.plan_next_poll` decides
when the next read happens. Used by `scripts/bench` and by the property tests.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import statistics
from typing import Any, Final

from custom_components.smartcar.api import VehicleSignals, signals as sig
from custom_components.smartcar.api.signals import current_signal
from custom_components.smartcar.budget import MonthBudget
from custom_components.smartcar.polling import Freshness, plan_next_poll
from smartcar_simulator.upstream import (
    CHARGE_TIMERS_BODY,
    MonthPattern,
    Snapshot,
    Upstream,
)

FIXED_INTERVAL: Final = timedelta(hours=6)
STEP: Final = timedelta(minutes=1)


def signals_of(snapshot: Snapshot) -> VehicleSignals:
    """Return the signals a read of this snapshot brings (as the client would parse them)."""
    at = snapshot.updated_at
    bodies: list[tuple[sig.SignalSpec[Any], dict[str, Any]]] = [
        (sig.STATE_OF_CHARGE, {"value": snapshot.level, "unit": "percent"}),
        (sig.IS_CHARGING, {"value": snapshot.charging}),
        (sig.IS_CHARGING_CABLE_CONNECTED, {"value": snapshot.plugged}),
        (sig.CHARGE_TIMERS, CHARGE_TIMERS_BODY),
    ]
    if snapshot.minutes_to_complete is not None:
        bodies.append(
            (
                sig.TIME_TO_COMPLETE,
                {"value": round(snapshot.minutes_to_complete), "unit": "minutes"},
            )
        )
    return VehicleSignals().merged(
        current_signal(spec, body, at) for spec, body in bodies
    )


type Planner = Callable[
    [datetime, VehicleSignals, Freshness, MonthBudget], datetime | None
]


def fixed_planner(
    now: datetime, _signals: VehicleSignals, freshness: Freshness, _month: MonthBudget
) -> datetime | None:
    """Today's policy before the cadence: every 6 hours."""
    return (freshness.last_poll or now) + FIXED_INTERVAL


def adaptive_planner(
    now: datetime,
    signals: VehicleSignals,
    freshness: Freshness,
    month: MonthBudget,
    *,
    off: Collection[str] = (),
) -> datetime | None:
    """Plan as the integration does (`polling.plan_next_poll`), or with the rules `off` names off."""
    return plan_next_poll(now, signals, freshness, month, off=off)


@dataclass
class MonthRun:
    """The polls of one month and what they showed."""

    polls: list[datetime] = field(default_factory=list)
    shown: list[Snapshot] = field(default_factory=list)
    intervals_ok: bool = True
    # Every request (set-up read, polls, other requests) at the moment of each poll.
    used_at_polls: list[int] = field(default_factory=list)


def run_month(
    pattern: MonthPattern,
    upstream: Upstream,
    planner: Planner,
    start: datetime,
    end: datetime,
    *,
    budget: int = 500,
    reserve: int = 50,
    other_requests: Callable[[datetime], int] = lambda _at: 0,
) -> MonthRun:
    """Poll from `start` (a set-up read) to `end`; `other_requests` counts commands by then.

    The set-up read is spent from the polling share like the polls (as in the integration).
    """
    run = MonthRun()
    freshness = Freshness()
    now = start
    while now < end:
        reads = len(run.polls)
        month = MonthBudget(reads, reads + other_requests(now), budget, reserve, end)
        if reads and month.polls_left <= 0:
            break  # held back at poll time, as `PollingPolicy.hold_back` does
        snapshot = upstream.report(pattern, now)
        signals = signals_of(snapshot)
        floor = freshness.floor
        if freshness.last_poll is not None and now - freshness.last_poll < floor:
            run.intervals_ok = False
        freshness = freshness.observe(now, signals)
        run.polls.append(now)
        run.used_at_polls.append(reads + 1 + other_requests(now))
        run.shown.append(snapshot)
        month = MonthBudget(
            reads + 1, reads + 1 + other_requests(now), budget, reserve, end
        )
        planned = planner(now, signals, freshness, month)
        if planned is None:
            break
        now = max(planned, now + timedelta(seconds=1))
    return run


@dataclass(frozen=True)
class Ages:
    """Age of the displayed battery level (minutes), while charging and while idle."""

    charging_mean: float
    charging_p95: float
    idle_mean: float
    idle_p95: float


def ages(pattern: MonthPattern, run: MonthRun, start: datetime, end: datetime) -> Ages:
    """Measure, minute by minute, how long ago the displayed level stopped being true."""
    charging: list[float] = []
    idle: list[float] = []
    index = 0
    stopped_at: datetime | None = None
    now = start
    while now < end:
        while index + 1 < len(run.polls) and run.polls[index + 1] <= now:
            index += 1
            stopped_at = _stopped(pattern, run.shown[index], now)
        shown = run.shown[index]
        truth = pattern.snapshot(now)
        if stopped_at is None and truth.level != shown.level:
            stopped_at = now
        age = (now - stopped_at).total_seconds() / 60 if stopped_at else 0.0
        (charging if truth.charging else idle).append(age)
        now += STEP
    return Ages(_mean(charging), _p95(charging), _mean(idle), _p95(idle))


def _stopped(pattern: MonthPattern, shown: Snapshot, now: datetime) -> datetime | None:
    """Return when the shown level stopped being true after the moment it describes."""
    moment = shown.true_at
    while moment <= now:
        if pattern.snapshot(moment).level != shown.level:
            return moment
        moment += STEP
    return None


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def _p95(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
