"""Polling benchmarks on a simulated clock (run by `scripts/bench`): figures, never asserted goals.

- One vehicle over a simulated month without webhooks: fixed 6 h polling against the adaptive
  cadence, for `live` and `daily` upstream, averaged over seeded months: requests, and mean and
  p95 age of the displayed battery level while charging and while idle.
- The ablation: the same months with each rule of the cadence (`polling.RULES`) switched off
  alone, and how much that moves the figures above (a rule is kept only when it moves one by at
  least 5 %).
- 100 vehicles for a simulated day against the application bucket the server enforces: 429s,
  and the time one refresh of all 100 takes against 10.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache, partial
import heapq
import random
import statistics
from typing import Final

from homeassistant.util import dt as dt_util

from benchmarks.policy_month import (
    adaptive_planner,
    ages,
    fixed_planner,
    run_month,
    signals_of,
)
from custom_components.smartcar.api.ratelimit import TokenBucket
from custom_components.smartcar.budget import MonthBudget
from custom_components.smartcar.polling import RULES, Freshness, plan_next_poll
from smartcar_simulator.app_limit import AppRateLimit
from smartcar_simulator.upstream import Upstream, month_pattern

from .conftest import FIGURES, Figure
from .helpers import LATENCY

START: Final = datetime(2026, 11, 1, 0, 0, tzinfo=dt_util.UTC)
END: Final = datetime(2026, 12, 1, 0, 0, tzinfo=dt_util.UTC)
SEEDS: Final = range(1, 11)
# The most requests one seeded month took, per (upstream, adaptive).
MOST: dict[tuple[str, bool], int] = {}
COLUMNS: Final = ("requests", "charging mean", "charging p95", "idle mean", "idle p95")


@cache
def _month(refresh: str, off: tuple[str, ...] | None) -> tuple[float, ...]:
    """Mean over the seeds of (requests, charging mean/p95, idle mean/p95) in minutes.

    `off` None: fixed 6 h polling; else the adaptive cadence with these rules switched off.
    """
    rows = []
    planner = fixed_planner if off is None else partial(adaptive_planner, off=off)
    for seed in SEEDS:
        pattern = month_pattern(seed, START)
        # Set up at a seeded minute of the first day, the same for both policies: a fixed
        # timer started at midnight would read exactly as a daily copy refreshes at 04:00
        # in the car's zone (12:00 UTC), a luck no owner's set-up time promises.
        setup = START + timedelta(minutes=random.Random(seed).randrange(24 * 60))
        run = run_month(
            pattern,
            Upstream("live" if refresh == "live" else "daily"),
            planner,
            setup,
            END,
        )
        age = ages(pattern, run, setup, END)
        rows.append(
            (
                len(run.polls),
                age.charging_mean,
                age.charging_p95,
                age.idle_mean,
                age.idle_p95,
            )
        )
    if not off:
        MOST[refresh, off is not None] = max(row[0] for row in rows)
    return tuple(statistics.fmean(column) for column in zip(*rows, strict=True))


def test_month_fixed_against_adaptive() -> None:
    """Requests and age of the shown battery level, fixed 6 h against the adaptive cadence."""
    for refresh in ("live", "daily"):
        fixed = _month(refresh, None)
        adaptive = _month(refresh, ())
        for name, row, is_adaptive in (
            ("fixed 6 h", fixed, False),
            ("adaptive", adaptive, True),
        ):
            label = f"month {refresh} upstream, {name}"
            FIGURES.append(
                Figure(
                    f"{label}: requests",
                    row[0],
                    "requests",
                    note=f"mean of {len(SEEDS)} months, the most "
                    f"{MOST[refresh, is_adaptive]}",
                )
            )
            FIGURES.append(Figure(f"{label}: age charging mean", row[1], "min"))
            FIGURES.append(Figure(f"{label}: age charging p95", row[2], "min"))
            FIGURES.append(Figure(f"{label}: age idle mean", row[3], "min"))
            FIGURES.append(Figure(f"{label}: age idle p95", row[4], "min"))
        if refresh == "live":
            FIGURES.append(
                Figure(
                    "month live: adaptive/fixed mean age charging",
                    adaptive[1] / fixed[1],
                    "",
                    "<= 0.25 at <= 150 requests",
                    adaptive[1] <= fixed[1] / 4 and adaptive[0] <= 150,
                )
            )
        else:
            FIGURES.append(
                Figure(
                    "month daily: adaptive/fixed requests",
                    adaptive[0] / fixed[0],
                    "",
                    "<= 0.33 at no worse mean age",
                    adaptive[0] <= fixed[0] / 3
                    and adaptive[1] <= fixed[1]
                    and adaptive[3] <= fixed[3],
                )
            )
        worse = [
            name
            for name, a, f in zip(COLUMNS[1:], adaptive[1:], fixed[1:], strict=True)
            if a > f
        ]
        FIGURES.append(
            Figure(
                f"month {refresh}: age columns worse than fixed 6 h",
                len(worse),
                "",
                "0",
                not worse,
                ", ".join(worse),
            )
        )


def _row(figures: tuple[float, ...]) -> str:
    return "/".join(f"{value:.0f}" for value in figures)


def test_ablation_of_the_cadence_rules() -> None:
    """Each rule switched off alone: the figures, and the largest move against all rules on."""
    full = {refresh: _month(refresh, ()) for refresh in ("live", "daily")}
    fixed = {refresh: _month(refresh, None) for refresh in ("live", "daily")}
    order = "requests/charging mean/p95/idle mean/p95"
    for label, row in (("all rules", full), ("fixed 6 h", fixed)):
        FIGURES.append(
            Figure(
                f"ablation, {label}",
                row["live"][0],
                "requests",
                note=f"{order}: live {_row(row['live'])}, daily {_row(row['daily'])}",
            )
        )
    for rule in RULES:
        row = {refresh: _month(refresh, (rule,)) for refresh in ("live", "daily")}
        moves = {
            f"{refresh} {name}": (value - before) / before * 100
            for refresh in ("live", "daily")
            for name, value, before in zip(
                COLUMNS, row[refresh], full[refresh], strict=True
            )
        }
        largest = max(moves, key=lambda name: abs(moves[name]))
        FIGURES.append(
            Figure(
                f"ablation, {rule} off: largest move",
                abs(moves[largest]),
                "%",
                ">= 5 to keep the rule",
                abs(moves[largest]) >= 5,
                f"{largest} {moves[largest]:+.0f} %; {order}: "
                f"live {_row(row['live'])}, daily {_row(row['daily'])}",
            )
        )


class _Fleet:
    """Vehicles sharing one application: the client's bucket in front of the server's."""

    def __init__(self) -> None:
        self.now = 0.0
        self.client = TokenBucket(clock=lambda: self.now)
        self.server = AppRateLimit(lambda: self.now)
        self.refused = 0
        self.waited = 0.0

    def request(self, at: float) -> float:
        """Send one request no earlier than `at`; return when its answer arrives."""
        self.now = max(self.now, at)
        wait = self.client.wait_time()
        self.waited += wait
        self.now += wait
        self.client.consume()
        if self.server.admit() is not None:
            self.refused += 1
        return self.now + LATENCY

    def refresh_all(self, size: int, at: float) -> float:
        """Return how long one refresh of `size` vehicles sent together at `at` takes."""
        return max(self.request(at) for _ in range(size)) - at


def test_fleet_day_within_the_app_bucket() -> None:
    """100 vehicles for a day behind the shared bucket: no 429; refresh of 100 against 10."""
    fleet = _Fleet()
    day = timedelta(days=1)
    start = START + timedelta(days=10)
    queue: list[tuple[float, int]] = []
    states: dict[int, tuple[Freshness, int]] = {}
    patterns = {v: month_pattern(1000 + v, START) for v in range(100)}
    upstreams = {v: Upstream("live" if v % 2 else "daily") for v in range(100)}
    for vehicle in range(100):
        heapq.heappush(queue, (0.0, vehicle))  # set-up: every vehicle read at once
        states[vehicle] = (Freshness(), 0)
    polls = 0
    while queue:
        at, vehicle = heapq.heappop(queue)
        if at > day.total_seconds():
            break
        sent = fleet.request(at)
        polls += 1
        moment = start + timedelta(seconds=sent)
        freshness, count = states[vehicle]
        signals = signals_of(upstreams[vehicle].report(patterns[vehicle], moment))
        freshness = freshness.observe(moment, signals)
        states[vehicle] = (freshness, count + 1)
        planned = plan_next_poll(
            moment, signals, freshness, MonthBudget(count + 1, count + 2, 500, 50, END)
        )
        if planned is not None:
            heapq.heappush(queue, ((planned - start).total_seconds(), vehicle))
    FIGURES.append(
        Figure(
            "fleet of 100 for a simulated day: responses 429",
            fleet.refused,
            "",
            "0",
            fleet.refused == 0,
            f"{polls} requests, client waited {fleet.waited:.0f} s",
        )
    )
    # One refresh of every vehicle, from a full bucket and right after a set-up of all of them.
    for label, drained in (("full bucket", False), ("right after set-up", True)):
        times = {}
        for size in (10, 100):
            fleet = _Fleet()
            if drained:
                fleet.refresh_all(size, 0.0)
            times[size] = fleet.refresh_all(size, fleet.now)
            assert fleet.refused == 0
        FIGURES.append(
            Figure(
                f"refresh of all vehicles, {label}: 100 against 10",
                times[100] / times[10],
                "x",
                note=f"{times[100]:.1f} s against {times[10]:.1f} s at {LATENCY * 1000:.0f} ms",
            )
        )
