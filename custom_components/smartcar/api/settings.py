"""Where the Smartcar services live and how long the client waits for them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SmartcarSettings:
    """Base URLs and timeouts of every Smartcar service the client talks to.

    One object carries them all, so a single override (`SmartcarSettings.at`) points the whole
    client at another host, such as the local simulator.
    """

    token_url: str = "https://iam.smartcar.com/oauth2/token"
    connect_url: str = "https://connect.smartcar.com/oauth/authorize"
    vehicle_api_url: str = "https://vehicle.api.smartcar.com/v3"
    management_api_url: str = "https://management.api.smartcar.com/v3"
    request_timeout: float = 30.0
    # Commands may take minutes at the carmaker; Smartcar's own SDK waits 310 s.
    command_timeout: float = 310.0

    @classmethod
    def at(cls, base_url: str) -> SmartcarSettings:
        """Return settings with every service under one base URL, as the simulator serves them."""
        base = base_url.rstrip("/")
        return cls(
            token_url=f"{base}/oauth2/token",
            connect_url=f"{base}/oauth/authorize",
            vehicle_api_url=f"{base}/v3",
            management_api_url=f"{base}/management/v3",
        )


DEFAULT_SETTINGS = SmartcarSettings()
