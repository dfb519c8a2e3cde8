"""What HACS and Home Assistant read from the repository: manifest, hacs.json, brand, quality scale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.util.yaml import load_yaml_dict
from PIL import Image

ROOT = Path(__file__).parents[2]
COMPONENT = ROOT / "custom_components" / "smartcar"
RULES = {
    "action-setup", "appropriate-polling", "brands", "common-modules", "config-flow-test-coverage",
    "config-flow", "dependency-transparency", "docs-actions", "docs-high-level-description",
    "docs-installation-instructions", "docs-removal-instructions", "entity-event-setup",
    "entity-unique-id", "has-entity-name", "runtime-data", "test-before-configure",
    "test-before-setup", "unique-config-entry", "docs-triggers", "docs-conditions",
    "action-exceptions", "config-entry-unloading", "docs-configuration-parameters",
    "docs-installation-parameters", "entity-unavailable", "integration-owner",
    "log-when-unavailable", "parallel-updates", "reauthentication-flow", "test-coverage",
    "devices", "diagnostics", "discovery-update-info", "discovery", "docs-data-update",
    "docs-examples", "docs-known-limitations", "docs-supported-devices",
    "docs-supported-functions", "docs-troubleshooting", "docs-use-cases", "dynamic-devices",
    "entity-category", "entity-device-class", "entity-disabled-by-default", "entity-translations",
    "exception-translations", "icon-translations", "reconfiguration-flow", "repair-issues",
    "stale-devices", "async-dependency", "inject-websession", "strict-typing",
}  # fmt: skip


def _json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def test_manifest() -> None:
    """Every key HACS and Home Assistant require, with no package requirements."""
    manifest = _json(COMPONENT / "manifest.json")
    for key in (
        "domain",
        "name",
        "version",
        "documentation",
        "issue_tracker",
        "codeowners",
        "iot_class",
        "integration_type",
        "loggers",
    ):
        assert manifest[key], key
    assert manifest["domain"] == "smartcar"
    assert manifest["config_flow"] is True
    assert manifest["requirements"] == []
    assert set(manifest["dependencies"]) == {"application_credentials", "webhook"}


def test_hacs_json() -> None:
    """HACS gets a name and the oldest Home Assistant this is tested against."""
    hacs = _json(ROOT / "hacs.json")
    assert hacs["name"] == "Smartcar"
    assert hacs["homeassistant"] == "2026.10.0"


def test_brand_images() -> None:
    """A square 256 px icon and a logo, with @2x variants."""
    with Image.open(COMPONENT / "brand" / "icon.png") as icon:
        assert icon.size == (256, 256)
    with Image.open(COMPONENT / "brand" / "icon@2x.png") as icon2:
        assert icon2.size == (512, 512)
    with Image.open(COMPONENT / "brand" / "logo.png") as logo:
        assert logo.size[1] == 256
        assert logo.size[0] > logo.size[1]


def test_quality_scale_covers_every_rule() -> None:
    """Every rule of the Integration Quality Scale is done, or exempt or todo with a reason."""
    rules: dict[str, Any] = load_yaml_dict(str(COMPONENT / "quality_scale.yaml"))[
        "rules"
    ]
    assert set(rules) == RULES
    for rule, status in rules.items():
        if isinstance(status, dict):
            assert status["status"] in ("done", "exempt", "todo"), rule
            assert status.get("comment") or status["status"] == "done", rule
        else:
            assert status == "done", rule


def test_manifest_keys_in_hassfest_order() -> None:
    """Hassfest's rule: `domain`, `name`, then every other key alphabetically."""
    keys = list(_json(COMPONENT / "manifest.json"))
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def test_license_file_matches_pyproject() -> None:
    """HACS shows the repository's LICENSE; it is the licence pyproject.toml declares."""
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'license = "Apache-2.0"' in pyproject
    text = (ROOT / "LICENSE").read_text()
    assert "Apache License" in text
    assert "Version 2.0, January 2004" in text
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in text


def test_icons_cover_state_icons_of_closures() -> None:
    """Doors and windows change icon with their state; windows never show a door."""
    icons = _json(COMPONENT / "icons.json")["entity"]
    doors, windows = icons["binary_sensor"]["doors"], icons["binary_sensor"]["windows"]
    assert set(doors["state"]) == set(windows["state"]) == {"on", "off"}
    assert doors["state"]["on"] != doors["state"]["off"]
    assert all(
        "window" in icon for icon in (windows["default"], *windows["state"].values())
    )
    assert "lock" in icons and set(icons["lock"]["lock"]["state"]) >= {"unlocked"}
