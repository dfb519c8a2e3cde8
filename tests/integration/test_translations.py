"""Every translation key the code uses has its text (and its icon), and en.json is up to date."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

import pytest

from custom_components.smartcar.api.schedules import ScheduleProblem
from custom_components.smartcar.binary_sensor import BINARY_SENSORS
from custom_components.smartcar.device_tracker import LOCATION
from custom_components.smartcar.lock import LOCK
from custom_components.smartcar.sensor import (
    SENSORS,
    TIRES,
    VEHICLE_SENSORS,
    SmartcarSensorDescription,
)
from scripts.translations import build

COMPONENT = Path(__file__).parents[2] / "custom_components" / "smartcar"
STRINGS: dict[str, Any] = json.loads((COMPONENT / "strings.json").read_text())
ICONS: dict[str, Any] = json.loads((COMPONENT / "icons.json").read_text())

# Every entity translation key, and whether a device class gives the entity its icon.
DESCRIBED: list[tuple[str, str, bool]] = [
    *(
        ("sensor", d.translation_key, d.device_class is not None)
        for d in SENSORS
        if d.translation_key
    ),
    *(
        ("sensor", str(d.translation_key), d.device_class is not None)
        for d in VEHICLE_SENSORS
    ),
    *(
        ("binary_sensor", d.translation_key, d.device_class is not None)
        for d in BINARY_SENSORS
        if d.translation_key
    ),
    ("lock", str(LOCK.translation_key), False),
    ("device_tracker", str(LOCATION.translation_key), False),
]
# The entities of one door, window or tyre, named by their place.
PLACES: list[tuple[str, str]] = [
    (platform, f"{kind}_{place}")
    for platform, kind in (
        ("binary_sensor", "door"),
        ("binary_sensor", "window"),
        ("sensor", TIRES.key),
    )
    for place in ("front_left", "front_right", "rear_left", "rear_right", "position")
]
ENTITY_KEYS: list[tuple[str, str]] = [
    *((platform, key) for platform, key, _ in DESCRIBED),
    *PLACES,
]


@pytest.mark.parametrize(("platform", "key"), ENTITY_KEYS)
def test_entity_names(platform: str, key: str) -> None:
    """Each entity translation key has a name."""
    assert STRINGS["entity"][platform][key]["name"]


@pytest.mark.parametrize(
    ("platform", "key"),
    [(p, k) for p, k, has_device_class in DESCRIBED if not has_device_class],
)
def test_entity_icons(platform: str, key: str) -> None:
    """Each entity whose device class gives no icon has its own."""
    assert ICONS["entity"][platform][key]["default"].startswith("mdi:")


def test_icons_name_entities() -> None:
    """Every icon belongs to an entity translation key (none is left over)."""
    for platform, icons in ICONS["entity"].items():
        assert set(icons) <= set(STRINGS["entity"][platform]), platform


@pytest.mark.parametrize(
    "description",
    [d for d in SENSORS if d.options],
    ids=lambda d: d.key,
)
def test_enum_states(description: SmartcarSensorDescription[Any]) -> None:
    """Every option of an enum sensor has a translated state, and its icons name options."""
    key = str(description.translation_key)
    assert description.options is not None
    assert set(STRINGS["entity"]["sensor"][key]["state"]) == set(description.options)
    icons = ICONS["entity"]["sensor"].get(key, {}).get("state", {})
    assert set(icons) <= set(description.options)


def test_exception_keys() -> None:
    """Every translation_key raised in the code has a message, and no message is unused."""
    source = "\n".join(path.read_text() for path in COMPONENT.glob("*.py"))
    raised = set(
        re.findall(r'translation_domain=DOMAIN,\s+translation_key="([a-z_]+)"', source)
    )
    raised |= set(re.findall(r'"(command_[a-z_]+)"', source))
    raised |= set(re.findall(r'(?:\b|_)invalid\(\s*"([a-z_]+)"', source))
    raised |= set(re.findall(r'\btranslated\(\s*\w+,\s*"([a-z_]+)"', source))
    raised |= set(re.findall(r'\bfailure\(\s*\w+,\s*\w+,\s*"([a-z_]+)"', source))
    raised |= {f"schedule_{problem}" for problem in ScheduleProblem}
    assert raised == set(STRINGS["exceptions"])


def test_en_json_is_built_from_strings() -> None:
    """translations/en.json is strings.json with its references resolved."""
    assert (COMPONENT / "translations" / "en.json").read_text() == build()
