"""Write the README's entity table from the entity descriptions, so that it never drifts.

Every signal of the catalogue gets a row per entity it feeds (platform, English name, class and
unit, permission, shown by default or not), then the entities each vehicle has whatever it
reports. Run: .venv/bin/python scripts/entity_table.py [--check]
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass
import importlib
import json
from pathlib import Path
import sys
from typing import Any, Final

import homeassistant
from homeassistant.const import EntityCategory, Platform
from homeassistant.helpers.entity import EntityDescription

ROOT: Final = Path(__file__).resolve().parent.parent
if (
    str(ROOT) not in sys.path
):  # run as a file: make the repository's packages importable
    sys.path.insert(0, str(ROOT))

from custom_components.smartcar import binary_sensor, sensor  # noqa: E402
from custom_components.smartcar.api import SignalSpec, signals  # noqa: E402
from custom_components.smartcar.const import PLATFORMS  # noqa: E402
from custom_components.smartcar.entity import SmartcarEntityDescription, position_key  # noqa: E402

README: Final = ROOT / "README.md"
STRINGS: Final = json.loads(
    (ROOT / "custom_components" / "smartcar" / "strings.json").read_text()
)
START: Final = "<!-- entity-table: written by scripts/entity_table.py, do not edit -->"
END: Final = "<!-- /entity-table -->"
# What the state of an entity without a device class is, by platform (sensors: text or number).
KINDS: Final = {
    Platform.BINARY_SENSOR: "on/off",
    Platform.CALENDAR: "events",
    Platform.DEVICE_TRACKER: "GPS",
    Platform.LOCK: "locked/unlocked",
}
# The entities of one place (door, window, tyre): how the row names them.
PLACES: Final = (("front_left", 0, 0), ("rear_right", 1, 1))


@dataclass(frozen=True)
class Row:
    """One entity (or one entity per place) fed by a signal."""

    platform: str
    name: str
    shows: str
    permission: str
    default: str


def descriptions() -> list[tuple[Platform, SmartcarEntityDescription[Any]]]:
    """Every entity description of every platform, with its platform, as the modules hold them."""
    found: dict[tuple[Platform, str], SmartcarEntityDescription[Any]] = {}
    for platform in PLATFORMS:
        module = importlib.import_module(f"custom_components.smartcar.{platform}")
        for value in vars(module).values():
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, SmartcarEntityDescription):
                    found.setdefault((platform, item.key), item)
    return [(platform, description) for (platform, _), description in found.items()]


def read_signals(description: SmartcarEntityDescription[Any]) -> list[SignalSpec[Any]]:
    """Return every signal an entity reads: its own, its fallback's, its attributes'."""
    readings = (description.fallback, description.attributes)
    return [description.signal, *(r.signal for r in readings if r is not None)]


def _device_class_name(platform: str, device_class: str) -> str:
    component = Path(homeassistant.__file__).parent / "components" / platform
    strings = json.loads((component / "strings.json").read_text())
    return str(strings["entity_component"][device_class]["name"])


def name(platform: str, description: EntityDescription, key: str | None = None) -> str:
    """Return the entity's English name: its translation, else its device class's."""
    key = key or description.translation_key
    if key:
        return str(STRINGS["entity"][platform][key]["name"])
    return _device_class_name(platform, str(description.device_class))


def _shows(platform: Platform, description: EntityDescription) -> str:
    """Say what the state is: device class or kind, and unit; an enum's options."""
    if options := getattr(description, "options", None):
        return f"enum: {', '.join(options)}"
    device_class = getattr(description, "device_class", None)
    unit = getattr(description, "native_unit_of_measurement", None)
    kind = (
        str(device_class)
        if device_class
        else KINDS.get(platform)
        or (
            "text"
            if getattr(description, "value_fn", None) in (sensor.text, sensor.joined)
            else "number"
        )
    )
    return f"{kind}, {unit}" if unit else kind


def _default(description: EntityDescription, enabled: bool | None = None) -> str:
    shown = description.entity_registry_enabled_default if enabled is None else enabled
    text = "on" if shown else "off"
    if shown and (control := getattr(description, "shown_without", None)):
        text = f"off where `{control}` is granted (the control shows it), else on"
    if description.entity_category is EntityCategory.DIAGNOSTIC:
        text += ", diagnostic"
    return text


def _permission(
    description: SmartcarEntityDescription[Any], spec: SignalSpec[Any]
) -> str:
    return " + ".join(
        f"`{permission}`"
        for permission in (spec.permission, *description.extra_permissions)
    )


def _place_names(platform: str, prefix: str) -> str:
    first, last = (
        name(platform, EntityDescription(key=prefix), f"{prefix}_{position_key(r, c)}")
        for _, r, c in PLACES
    )
    return f"{first} … {last} (one per place reported)"


def rows(spec: SignalSpec[Any]) -> Iterator[Row]:
    """Yield the entities a signal feeds (none: the VIN, the device's serial number)."""
    for platform, description in descriptions():
        if spec not in read_signals(description):
            continue
        label = platform.replace("_", " ")
        permission = _permission(description, spec)
        if description is sensor.TIRES:
            yield Row(
                label,
                _place_names(platform, description.key),
                _shows(platform, description),
                permission,
                _default(description),
            )
            continue
        entity = name(platform, description)
        notes = [
            *(["attributes"] if spec is not description.signal else []),
            *(
                [f"the state when `{_dotted(description.signal)}` is missing"]
                if description.fallback and spec is description.fallback.signal
                else []
            ),
        ]
        if notes:
            entity += f" ({'; '.join(notes)})"
        yield Row(
            label,
            entity,
            _shows(platform, description),
            permission,
            _default(description),
        )
        prefix = description.position_prefix
        if prefix:
            yield Row(
                label,
                _place_names(platform, prefix),
                _shows(platform, description),
                permission,
                _default(description, enabled=False),
            )


def _dotted(spec: SignalSpec[Any]) -> str:
    return f"{spec.group}.{spec.name}"


def _cells(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def build() -> str:
    """Return the generated part of the README: the signal table and the per-vehicle table."""
    lines = [
        START,
        "",
        _cells("Signal", "Platform", "Entity", "Class, unit", "Permission", "Default"),
        _cells(*["---"] * 6),
    ]
    for spec in signals.CATALOGUE.values():
        label = _dotted(spec)
        made = list(rows(spec))
        if spec is signals.VIN:
            made = [Row("device", "serial number", "text", "`read_vin`", "–")]
        assert made, f"{label} has no entity"
        for index, row in enumerate(made):
            lines.append(
                _cells(
                    f"`{label}`" if index == 0 else "″",
                    row.platform,
                    row.name,
                    row.shows,
                    row.permission,
                    row.default,
                )
            )
    lines += [
        "",
        "Each vehicle also has, whatever it reports:",
        "",
        _cells("Platform", "Entity", "Class, unit", "Default"),
        _cells(*["---"] * 4),
    ]
    per_vehicle: list[tuple[Platform, EntityDescription]] = [
        *((Platform.SENSOR, d) for d in sensor.VEHICLE_SENSORS),
        (Platform.BINARY_SENSOR, binary_sensor.PROBLEM),
    ]
    for platform, description in per_vehicle:
        lines.append(
            _cells(
                platform.replace("_", " "),
                name(platform, description),
                _shows(platform, description),
                _default(description),
            )
        )
    return "\n".join([*lines, "", END])


def updated(readme: str) -> str:
    """Return the README with its generated part replaced."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not (start and end):
        raise ValueError(f"README.md lacks the markers {START} … {END}")
    return head + build() + tail


def main() -> int:
    """Rewrite the README's table, or with --check report whether it is out of date."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="fail if the README's table is out of date"
    )
    args = parser.parse_args()
    text = README.read_text()
    new = updated(text)
    if args.check:
        if new != text:
            print(
                "README.md's entity table is out of date: run scripts/entity_table.py"
            )
            return 1
        return 0
    README.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
