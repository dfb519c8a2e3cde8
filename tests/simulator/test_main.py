"""`python -m smartcar_simulator`: argument parsing, banner and serving."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
import re
import runpy
from typing import Any

import aiohttp
import pytest

from smartcar_simulator import (
    DEMO_APPLICATION_ID,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    EX30_ID,
    NO_VEHICLES_EMAIL,
    OWNER_EMAIL,
    __main__ as cli,
)


def test_parse_defaults() -> None:
    """Defaults: 127.0.0.1:8787, ISO timestamps, one signals page, no connections."""
    args = cli.parse_args([])
    assert (args.host, args.port) == ("127.0.0.1", 8787)
    assert args.timestamp_format == "iso"
    assert args.signals_page_size is None
    assert args.connect_all is False
    assert cli.configure(args).connect_redirect == "docs"


def test_parse_options() -> None:
    """Every option is parsed."""
    args = cli.parse_args(
        [
            "--host",
            "0.0.0.0",
            "--port",
            "9000",
            "--connect-all",
            "--timestamp-format",
            "epoch",
            "--signals-page-size",
            "5",
            "--connect-redirect",
            "code",
        ]
    )
    assert (args.host, args.port, args.connect_all) == ("0.0.0.0", 9000, True)
    sim = cli.configure(args)
    assert sim.timestamp_format == "epoch"
    assert sim.signals_page_size == 5
    assert sim.connect_redirect == "code"
    assert len(sim.connections()) == 4


def test_parse_rejects_bad_port() -> None:
    """A non-numeric port is a usage error."""
    with pytest.raises(SystemExit):
        cli.parse_args(["--port", "http"])


async def test_serve_prints_banner_and_stops(
    socket_enabled: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """`serve` starts a reachable simulator, prints URL, credentials and accounts, stops."""
    stop = asyncio.Event()
    task = asyncio.create_task(cli.serve(cli.parse_args(["--port", "0"]), stop))
    output = ""
    for _ in range(200):
        await asyncio.sleep(0.01)
        output += capsys.readouterr().out
        if "Press Ctrl-C" in output:
            break
    match = re.search(r"running at (http://127\.0\.0\.1:\d+)", output)
    assert match, output
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{match.group(1)}/v3/connections") as response,
    ):
        assert response.status == 401
    stop.set()
    await task
    for text in (
        DEMO_APPLICATION_ID,
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        OWNER_EMAIL,
        NO_VEHICLES_EMAIL,
        "(no vehicles)",
        EX30_ID,
        "2025 Volvo EX30 (BEV)",
    ):
        assert text in output, text


def test_main_runs_until_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    """`main` runs `serve` and treats Ctrl-C as a clean exit."""
    seen: list[Any] = []

    def fake_run(coroutine: Coroutine[Any, Any, None]) -> None:
        seen.append(coroutine)
        coroutine.close()
        raise KeyboardInterrupt

    monkeypatch.setattr(asyncio, "run", fake_run)
    assert cli.main(["--port", "0"]) == 0
    assert len(seen) == 1


def test_module_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    """Running the package as a module exits with main's status."""

    def fake_run(coroutine: Coroutine[Any, Any, None]) -> None:
        coroutine.close()

    monkeypatch.setattr(asyncio, "run", fake_run)
    monkeypatch.setattr("sys.argv", ["smartcar_simulator", "--port", "0"])
    with pytest.raises(SystemExit) as exit_info, pytest.warns(RuntimeWarning):
        runpy.run_module("smartcar_simulator.__main__", run_name="__main__")
    assert exit_info.value.code == 0
