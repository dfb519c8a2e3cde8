"""The suite-wide secrets scan: what must never show in logs or diagnostics, and where it did.

One `LeakWatch` lives for the whole pytest session (see `tests/conftest.py`). It is a logging
handler on the root logger that keeps every record (the integration and the simulator log at
DEBUG meanwhile), it keeps every diagnostics output the integration produced, and it learns
the secrets as they come into existence: each access token any simulator issues, each vehicle
(VIN and parked coordinates) any simulated world holds, the client secret and the Application
Management Token. At the end of the session it reports every secret found in that text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
import logging
import re
from typing import Any

from smartcar_simulator import DEMO_CLIENT_SECRET, DEMO_MANAGEMENT_TOKEN, Simulator
from smartcar_simulator.state import Vehicle, World

LOCATION_CODE = "location-preciselocation"
# Loggers turned up to DEBUG while the suite runs, so debug messages are scanned too.
DEBUG_LOGGERS = ("custom_components.smartcar", "smartcar_simulator")
# Simulator tokens are `secrets.token_urlsafe(32)`: 43 URL-safe characters.
_TOKEN_LENGTH = 43
_TOKEN_RUN = re.compile(rf"[A-Za-z0-9_-]{{{_TOKEN_LENGTH},}}")


def scanned(record: logging.LogRecord) -> bool:
    """Whether a log record is ours to answer for: all but the event bus's debug records.

    At DEBUG (pytest -v turns the root logger up) Home Assistant's event bus logs every state
    change whole, and a device tracker's state holds its coordinates by design, whatever the
    integration: that is Home Assistant's record of our entity, not something we logged.
    """
    return record.levelno >= logging.WARNING or record.name != "homeassistant.core"


@dataclass(frozen=True, slots=True)
class Leak:
    """A secret found in captured text."""

    kind: str
    origin: str
    excerpt: str

    def __str__(self) -> str:
        """Describe the leak without repeating the secret."""
        return f"{self.kind} in {self.origin}: {self.excerpt}"


def _masked(text: str, start: int, end: int) -> str:
    before = text[max(0, start - 40) : start]
    after = text[end : end + 40]
    return f"…{before}<{end - start} chars>{after}…".replace("\n", " ")


def _number_pattern(value: float) -> re.Pattern[str]:
    """Match a coordinate as Python writes it, not as part of a longer number."""
    return re.compile(rf"(?<![\d.]){re.escape(str(value))}(?!\d)")


class LeakWatch(logging.Handler):
    """Captures log records and diagnostics; knows the secrets; finds them in what it captured."""

    def __init__(self) -> None:
        """Start empty, with the application's fixed secrets."""
        super().__init__(logging.NOTSET)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.texts: list[tuple[str, str]] = []
        self.tokens: set[str] = set()
        self.strings: dict[str, str] = {
            DEMO_CLIENT_SECRET: "client secret",
            DEMO_MANAGEMENT_TOKEN: "management token",
        }
        self.numbers: dict[float, str] = {}
        self.current = "session start"
        self._undo: list[Callable[[], None]] = []

    # -- capture ---------------------------------------------------------------------

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the formatted record (message, arguments, traceback).

        Only the records `scanned` selects are kept.
        """
        if not scanned(record):
            return
        try:
            text = self.format(record)
        except Exception:  # noqa: BLE001 - a bad record must not break the suite
            text = f"{record.msg!r} {record.args!r}"
        self.texts.append((f"log ({record.name}) of {self.current}", text))

    def add_text(self, origin: str, text: str) -> None:
        """Keep text produced outside logging (e.g. a diagnostics download)."""
        self.texts.append((f"{origin} of {self.current}", text))

    def add_token(self, token: str) -> None:
        """Learn an access token a simulator issued."""
        self.tokens.add(token)

    def add_vehicle(self, vehicle: Vehicle) -> None:
        """Learn a simulated vehicle's VIN and where it is parked."""
        self.strings[vehicle.vin] = "VIN"
        record = vehicle.signals.get(LOCATION_CODE)
        body = record.body if record is not None else None
        for key in ("latitude", "longitude"):
            value = (body or {}).get(key)
            if isinstance(value, int | float):
                self.numbers[float(value)] = f"coordinate ({key})"

    # -- lifecycle -------------------------------------------------------------------

    def install(self) -> None:
        """Listen to every logger; spy on token issuance and on vehicles entering a world."""
        root = logging.getLogger()
        root.addHandler(self)
        self._undo.append(lambda: root.removeHandler(self))
        for name in DEBUG_LOGGERS:
            logger = logging.getLogger(name)
            self._undo.append(partial(logger.setLevel, logger.level))
            logger.setLevel(logging.DEBUG)
        self._spy(Simulator, "issue_token", self._after_issue)
        self._spy(World, "add_vehicle", self._after_add_vehicle)

    @property
    def installed(self) -> bool:
        """Whether the watch is listening."""
        return self in logging.getLogger().handlers

    def uninstall(self) -> None:
        """Stop listening and restore what `install` changed."""
        while self._undo:
            self._undo.pop()()

    def _spy(
        self, cls: type, name: str, after: Callable[[tuple[Any, ...], Any], None]
    ) -> None:
        original = getattr(cls, name)

        def spied(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            after(args, result)
            return result

        setattr(cls, name, spied)
        self._undo.append(lambda: setattr(cls, name, original))

    def _after_issue(self, _args: tuple[Any, ...], token: Any) -> None:
        if isinstance(token, str):
            self.add_token(token)

    def _after_add_vehicle(self, args: tuple[Any, ...], _result: Any) -> None:
        vehicle = args[1]
        if isinstance(vehicle, Vehicle):
            self.add_vehicle(vehicle)

    # -- scan ------------------------------------------------------------------------

    def leaks(self, texts: Iterable[tuple[str, str]] | None = None) -> list[Leak]:
        """Return every secret found in the captured (or the given) texts."""
        found: list[Leak] = []
        numbers = [
            (_number_pattern(value), kind) for value, kind in self.numbers.items()
        ]
        for origin, text in self.texts if texts is None else texts:
            for secret, kind in self.strings.items():
                if (start := text.find(secret)) >= 0:
                    found.append(
                        Leak(kind, origin, _masked(text, start, start + len(secret)))
                    )
            for pattern, kind in numbers:
                if match := pattern.search(text):
                    found.append(
                        Leak(kind, origin, _masked(text, match.start(), match.end()))
                    )
            for run in _TOKEN_RUN.finditer(text):
                word = run.group()
                for offset in range(len(word) - _TOKEN_LENGTH + 1):
                    if word[offset : offset + _TOKEN_LENGTH] in self.tokens:
                        start = run.start() + offset
                        found.append(
                            Leak(
                                "access token",
                                origin,
                                _masked(text, start, start + _TOKEN_LENGTH),
                            )
                        )
                        break
        return found


WATCH = LeakWatch()
"""The session's watch (installed by `tests/conftest.py`)."""
