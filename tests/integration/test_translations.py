"""Every translation key the code uses has its text (and its icon), and en.json is up to date."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

import pytest

from custom_components.smartcar.api import ScheduleProblem
from custom_components.smartcar.binary_sensor import BINARY_SENSORS
from custom_components.smartcar.device_tracker import LOCATION
from custom_components.smartcar.lock import LOCK
from custom_components.smartcar.sensor import SENSORS
from scripts.translations import build

COMPONENT = Path(__file__).parents[2] / "custom_components" / "smartcar"
STRINGS: dict[str, Any] = json.loads((COMPONENT / "strings.json").read_text())
ICONS: dict[str, Any] = json.loads((COMPONENT / "icons.json").read_text())

ENTITY_KEYS: list[tuple[str, str]] = [
    *(("sensor", d.translation_key) for d in SENSORS if d.translation_key),
    *(
        ("binary_sensor", d.translation_key)
        for d in BINARY_SENSORS
        if d.translation_key
    ),
    ("lock", str(LOCK.translation_key)),
    ("device_tracker", str(LOCATION.translation_key)),
    *(
        ("binary_sensor", f"{kind}_{place}")
        for kind in ("door", "window")
        for place in (
            "front_left",
            "front_right",
            "rear_left",
            "rear_right",
            "position",
        )
    ),
]


@pytest.mark.parametrize(("platform", "key"), ENTITY_KEYS)
def test_entity_names(platform: str, key: str) -> None:
    """Each entity translation key has a name."""
    assert STRINGS["entity"][platform][key]["name"]


@pytest.mark.parametrize(
    ("platform", "key"),
    [(p, k) for p, k in ENTITY_KEYS if not k.endswith(("left", "right", "position"))],
)
def test_entity_icons(platform: str, key: str) -> None:
    """Each entity with its own translation key has an icon."""
    assert ICONS["entity"][platform][key]["default"].startswith("mdi:")


def test_exception_keys() -> None:
    """Every translation_key raised in the code has a message, and no message is unused."""
    source = "\n".join(path.read_text() for path in COMPONENT.glob("*.py"))
    raised = set(
        re.findall(r'translation_domain=DOMAIN,\s+translation_key="([a-z_]+)"', source)
    )
    raised |= set(re.findall(r'"(command_[a-z_]+)"', source))
    raised |= set(re.findall(r'(?:\b|_)invalid\(\s*"([a-z_]+)"', source))
    raised |= {f"schedule_{problem}" for problem in ScheduleProblem}
    assert raised == set(STRINGS["exceptions"])


def test_enum_states() -> None:
    """The charging status options all have a translated state."""
    (status,) = (d for d in SENSORS if d.key == "charging_status")
    assert status.options is not None
    assert set(STRINGS["entity"]["sensor"]["charging_status"]["state"]) == set(
        status.options
    )


def test_en_json_is_built_from_strings() -> None:
    """translations/en.json is strings.json with its references resolved."""
    assert (COMPONENT / "translations" / "en.json").read_text() == build()
