"""Run the simulator: `python -m smartcar_simulator --host 127.0.0.1 --port 8787`."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
import contextlib
from pathlib import Path
import signal

from . import persist
from .credentials import (
    DEMO_APPLICATION_ID,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_MANAGEMENT_TOKEN,
)
from .server import Simulator
from .vehicles import DEMO_PASSWORD, OTHER_MAKES_EMAIL, TEMPLATES, VOLVO_DEMO_EMAILS
from .webhook_push import push_periodically


def _seconds(text: str) -> float:
    value = float(text)
    if not value >= 0:  # also refuses NaN
        raise argparse.ArgumentTypeError(f"must not be negative: {text}")
    return value


UNSUBSCRIBED_ANSWERS = ("404", "empty", "stale")


def _unsubscribed(text: str) -> tuple[str, str]:
    vehicle_id, _, answer = text.rpartition(":")
    if not vehicle_id or answer not in UNSUBSCRIBED_ANSWERS:
        raise argparse.ArgumentTypeError(
            f"expected VEHICLE:{'|'.join(UNSUBSCRIBED_ANSWERS)}, got {text!r}"
        )
    return vehicle_id, answer


def _added_vehicle(text: str) -> tuple[str, str]:
    email, _, template = text.rpartition(":")
    if "@" not in email or template not in TEMPLATES:
        raise argparse.ArgumentTypeError(
            f"expected EMAIL:{'|'.join(TEMPLATES)}, got {text!r}"
        )
    return email, template


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m smartcar_simulator",
        description="Run a local Smartcar v3 API simulator until Ctrl-C.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind")
    parser.add_argument("--port", type=int, default=8787, help="port (0 = any free)")
    parser.add_argument(
        "--connect-all",
        action="store_true",
        help="connect every vehicle of the Volvo demo accounts up front (no Connect"
        " needed)",
    )
    parser.add_argument(
        "--connect",
        action="append",
        default=[],
        metavar="EMAIL",
        help=f"connect every vehicle of this account up front, e.g. {OTHER_MAKES_EMAIL}"
        " (the Tesla, Volkswagen and Jaguar)",
    )
    parser.add_argument(
        "--add-vehicle",
        type=_added_vehicle,
        action="append",
        default=[],
        metavar="EMAIL:TEMPLATE",
        help=f"add a car built from a template ({', '.join(TEMPLATES)}) to an account"
        " (created if new)",
    )
    parser.add_argument(
        "--timestamp-format",
        choices=("iso", "epoch"),
        default="iso",
        help="format of signal meta timestamps",
    )
    parser.add_argument(
        "--signals-page-size",
        type=int,
        default=None,
        help="page the signals list with this page size",
    )
    parser.add_argument(
        "--schedule-contract",
        choices=("docs", "seed", "both"),
        default="docs",
        help="charge-schedule paths served: Smartcar's docs (/v3/.../charge-schedules), "
        "the partner page's (/v3.0/.../schedules), or both",
    )
    parser.add_argument(
        "--connect-redirect",
        choices=("docs", "code"),
        default="docs",
        help="Connect's success redirect: user_id and state (the docs), or also a code",
    )
    parser.add_argument(
        "--schedule-create-answer",
        choices=("sync", "202"),
        default="sync",
        help="a schedule create answers 200 with its scheduleId, or 202 PENDING without it",
    )
    parser.add_argument(
        "--schedule-delete-answer",
        choices=("execution", "204"),
        default="execution",
        help="a schedule delete answers 200 with an execution body, or 204 No Content",
    )
    parser.add_argument(
        "--signal-form",
        choices=("data", "bare"),
        default="data",
        help="GET .../signals/{code} answers the signal wrapped in data (live capture) or"
        " bare (docs, Node SDK)",
    )
    parser.add_argument(
        "--webhook-url",
        default=None,
        metavar="URL",
        help="push signed VEHICLE_STATE webhooks here after lock/unlock and schedule changes",
    )
    parser.add_argument(
        "--push-every",
        type=_seconds,
        default=0.0,
        metavar="SECONDS",
        help="also push every connected vehicle's state this often (0 = only after commands)",
    )
    parser.add_argument(
        "--unsubscribed",
        type=_unsubscribed,
        action="append",
        default=[],
        metavar="VEHICLE:404|empty|stale",
        help="the vehicle serves signals only once subscribed to a webhook (Management"
        " API); until then /signals answers 404, an empty list, or day-old values",
    )
    parser.add_argument(
        "--management-auth",
        choices=("app", "amt"),
        default="app",
        help="the token the Management API takes: the app's access token or the"
        " application management token",
    )
    parser.add_argument(
        "--state",
        type=Path,
        default=None,
        metavar="FILE",
        help="keep the accounts' user ids, connections and webhook subscriptions in FILE"
        " across restarts (scripts/develop: config/simulator-state.json)",
    )
    # Both charge-schedule route families are routed; which one --schedule-contract serves is
    # checked per request (routes/schedules._context).
    args = parser.parse_args(argv)
    if args.push_every and args.webhook_url is None:
        parser.error("--push-every needs --webhook-url")
    return args


def configure(args: argparse.Namespace) -> Simulator:
    """Build a simulator configured from the parsed arguments."""
    sim = Simulator()
    sim.timestamp_format = args.timestamp_format
    sim.signals_page_size = args.signals_page_size
    sim.management_auth = args.management_auth
    for vehicle_id, answer in args.unsubscribed:
        if vehicle_id not in sim.world.vehicles:
            raise SystemExit(f"--unsubscribed: no vehicle {vehicle_id}")
        sim.set_unsubscribed(vehicle_id, answer)
    sim.schedule_contract = args.schedule_contract
    sim.connect_redirect = args.connect_redirect
    sim.schedule_create_answer = args.schedule_create_answer
    sim.schedule_delete_answer = args.schedule_delete_answer
    sim.signal_form = args.signal_form
    if args.webhook_url is not None:
        sim.subscribe(args.webhook_url)
    for email, template in args.add_vehicle:
        sim.add_vehicle(email, template)
    if args.state is not None:
        persist.read(sim.world, args.state)
    emails = [*(VOLVO_DEMO_EMAILS if args.connect_all else ()), *args.connect]
    for email in dict.fromkeys(address.strip().lower() for address in emails):
        if email not in sim.world.accounts:
            raise SystemExit(f"--connect: no account {email}")
        if sim.world.accounts[email].vehicle_ids:
            sim.connect(email)
    return sim


def describe(sim: Simulator, push_every: float = 0.0) -> str:
    """Return the banner: base URL, demo credentials, webhook target and accounts."""
    lines = [
        f"Smartcar simulator running at {sim.url}",
        "",
        f"  Token URL      {sim.url}/oauth2/token",
        f"  Connect URL    {sim.url}/oauth/authorize",
        f"  API base       {sim.url}/v3",
        f"  Application ID {DEMO_APPLICATION_ID}",
        f"  Client ID      {DEMO_CLIENT_ID}",
        f"  Client secret  {DEMO_CLIENT_SECRET}",
        f"  Mgmt token     {DEMO_MANAGEMENT_TOKEN}",
    ]
    if sim.subscription is not None:
        cadence = f", and every {push_every:g} s" if push_every else ""
        lines.append(f"  Webhook URL    {sim.subscription.url}")
        lines.append(
            f"  Pushes         after lock/unlock and schedule changes{cadence}"
        )
    lines += [
        "",
        f"Accounts (password {DEMO_PASSWORD!r}):",
    ]
    for account in sim.world.accounts.values():
        lines.append(f"  {account.email}  user_id={account.user_id}")
        for vehicle_id in account.vehicle_ids:
            vehicle = sim.world.vehicles[vehicle_id]
            lines.append(
                f"    {vehicle.year} {vehicle.make.title()} {vehicle.model}"
                f" ({vehicle.powertrain}) id={vehicle.id} vin={vehicle.vin}"
            )
        if not account.vehicle_ids:
            lines.append("    (no vehicles)")
    lines.append("")
    lines.append("Press Ctrl-C to stop.")
    return "\n".join(lines)


async def serve(args: argparse.Namespace, stop: asyncio.Event | None = None) -> None:
    """Start the simulator, print the banner and run until `stop` is set or cancelled."""
    sim = configure(args)
    await sim.start(args.host, args.port)
    pusher = (
        asyncio.create_task(push_periodically(sim, args.push_every))
        if args.push_every
        else None
    )
    keeper = (
        asyncio.create_task(persist.keep(sim.world, args.state))
        if args.state is not None
        else None
    )
    try:
        print(describe(sim, args.push_every), flush=True)
        await (stop or asyncio.Event()).wait()
    finally:
        for task in (pusher, keeper):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await sim.stop()


async def serve_until_terminated(args: argparse.Namespace) -> None:
    """Serve until SIGTERM (scripts/develop's way to stop it) or Ctrl-C.

    SIGTERM ends it as Ctrl-C does, so the state file is written once more.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await serve(args, stop)
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run until Ctrl-C; return the exit status."""
    args = parse_args(argv)
    try:
        asyncio.run(serve_until_terminated(args))
    except KeyboardInterrupt:
        print("Stopped.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
