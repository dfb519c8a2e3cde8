"""The `Simulator`: the simulated Smartcar served over HTTP by aiohttp.

The top of the simulator's layers: it builds the application from `app` (routes)
and `webhook_push` (pushes after changes) around a `SimulatorCore`.
"""

from __future__ import annotations

from aiohttp import web

from .app import build_app
from .simulator import SimulatorCore
from .webhook_push import push_after_changes


class Simulator(SimulatorCore):
    """A local Smartcar v3 API: token, Connect, connections, signals, commands, schedules.

    `SimulatorCore` holds the state and the knobs; this class serves it on
    `start()` at `url` until `stop()`.
    """

    _runner: web.AppRunner | None = None
    _url: str | None = None

    @property
    def url(self) -> str:
        """Return the base URL (`http://host:port`) of the running server."""
        if self._url is None:
            raise RuntimeError("the simulator is not running")
        return self._url

    def make_app(self) -> web.Application:
        """Build the aiohttp application serving this simulator."""
        app = build_app(self)
        app.middlewares.append(push_after_changes(self))
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Start serving on `host:port` (0 = a free port); return the base URL."""
        if self._runner is not None:
            raise RuntimeError("the simulator is already running")
        runner = web.AppRunner(self.make_app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        bound_host, bound_port = runner.addresses[0][:2]
        if ":" in bound_host:
            bound_host = f"[{bound_host}]"
        self._url = f"http://{bound_host}:{bound_port}"
        return self._url

    async def stop(self) -> None:
        """Stop the server, cancel pending webhook pushes and close every connection."""
        if self._runner is not None:
            runner, self._runner, self._url = self._runner, None, None
            await runner.cleanup()
        await self.close()
