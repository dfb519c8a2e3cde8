"""`--state FILE`: the simulator keeps its users and connections across restarts."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from smartcar_simulator import EX30_ID, OWNER_EMAIL, Simulator, __main__ as cli, persist


def _connected(sim: Simulator) -> set[tuple[str, str]]:
    return {(c.user_id, c.vehicle_id) for c in sim.world.connections.values()}


def test_restart_keeps_users_connections_and_subscriptions(tmp_path: Path) -> None:
    """A second simulator on the same file has the same user ids and connections."""
    state = tmp_path / "config" / "simulator-state.json"
    first = cli.configure(cli.parse_args(["--state", str(state)]))
    first.connect(OWNER_EMAIL)
    first.world.connections.pop(
        next(c.id for c in first.world.connections.values() if c.vehicle_id == EX30_ID)
    )
    first.subscribe("http://127.0.0.1:8123/api/webhook/x")
    token = first.issue_token()
    persist.write(first.world, state)
    second = cli.configure(cli.parse_args(["--state", str(state)]))
    user_id = first.world.accounts[OWNER_EMAIL].user_id
    assert second.world.accounts[OWNER_EMAIL].user_id == user_id
    assert _connected(second) == _connected(first)
    assert len(_connected(second)) == 2  # the EX30 stays disconnected
    assert second.world.tokens[token] == first.world.tokens[token]
    assert second.world.webhooks.keys() == first.world.webhooks.keys()
    # A new connection is numbered after the kept ones.
    second.connect(OWNER_EMAIL)
    numbers = [c.sequence for c in second.world.connections.values()]
    assert len(set(numbers)) == len(numbers) == 3


@pytest.mark.parametrize("content", ["not json", '{"connections": [{"id": 1}]}', "[]"])
def test_damaged_state_file_starts_afresh(tmp_path: Path, content: str) -> None:
    """A state file that does not read is ignored; the demo world starts as without one."""
    state = tmp_path / "simulator-state.json"
    state.write_text(content, encoding="utf-8")
    sim = cli.configure(cli.parse_args(["--state", str(state)]))
    assert OWNER_EMAIL in sim.world.accounts


async def test_serve_writes_the_state_file_while_running_and_at_stop(
    socket_enabled: None, tmp_path: Path
) -> None:
    """The file follows the connections while serving, and holds them once stopped."""
    state = tmp_path / "simulator-state.json"
    stop = asyncio.Event()
    args = cli.parse_args(["--port", "0", "--connect-all", "--state", str(state)])
    task = asyncio.create_task(cli.serve(args, stop))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if state.exists():
            break
    assert "connections" in state.read_text(encoding="utf-8")
    stop.set()
    await task
    sim = cli.configure(cli.parse_args(["--state", str(state)]))
    assert len(_connected(sim)) >= 3
