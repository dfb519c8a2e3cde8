"""Run the simulator: `python -m smartcar_simulator --host 127.0.0.1 --port 8787`."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence

from .credentials import (
    DEMO_APPLICATION_ID,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_MANAGEMENT_TOKEN,
)
from .simulator import Simulator
from .vehicles import DEMO_PASSWORD


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
        help="connect every demo vehicle to its account up front (no Connect needed)",
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
    return parser.parse_args(argv)


def configure(args: argparse.Namespace) -> Simulator:
    """Build a simulator configured from the parsed arguments."""
    sim = Simulator()
    sim.timestamp_format = args.timestamp_format
    sim.signals_page_size = args.signals_page_size
    if args.connect_all:
        for account in sim.world.accounts.values():
            if account.vehicle_ids:
                sim.connect(account.email)
    return sim


def describe(sim: Simulator) -> str:
    """Return the banner: base URL, demo credentials and accounts."""
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
    try:
        print(describe(sim), flush=True)
        await (stop or asyncio.Event()).wait()
    finally:
        await sim.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run until Ctrl-C; return the exit status."""
    args = parse_args(argv)
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        print("Stopped.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
