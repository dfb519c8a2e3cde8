"""The car dashboard of dashboards/: loads in Home Assistant, core cards only, every entity exists."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
import re
from typing import Any

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.template import Template
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from .conftest import SNAPSHOT_TIME

DASHBOARD = Path(__file__).parents[2] / "dashboards" / "smartcar.yaml"
DASHBOARD_DOC = Path(__file__).parents[2] / "docs" / "dashboard.md"
# Cards Home Assistant's frontend ships (no custom card).
CORE_CARDS = {
    "entities",
    "gauge",
    "glance",
    "heading",
    "history-graph",
    "map",
    "markdown",
    "tile",
    "vertical-stack",
    "horizontal-stack",
}
ENTITY_IN_TEMPLATE = re.compile(
    r"'((?:sensor|binary_sensor|lock|device_tracker)\.\w+)'"
)

pytestmark = pytest.mark.freeze_time(SNAPSHOT_TIME)


@pytest.fixture
def platforms() -> list[Platform]:
    """Load every platform the dashboard shows, controls included."""
    return [
        Platform.BINARY_SENSOR,
        Platform.DEVICE_TRACKER,
        Platform.LOCK,
        Platform.NUMBER,
        Platform.SENSOR,
        Platform.SWITCH,
    ]


def _cards(cards: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for card in cards:
        yield card
        yield from _cards(card.get("cards", []))


def _entities(card: dict[str, Any]) -> Iterator[str]:
    if "entity" in card:
        yield card["entity"]
    for item in card.get("entities", []):
        yield item if isinstance(item, str) else item["entity"]
    yield from ENTITY_IN_TEMPLATE.findall(card.get("content", ""))


def _all_cards() -> list[dict[str, Any]]:
    config = load_yaml_dict(DASHBOARD)
    return [c for view in config["views"] for c in _cards(view["cards"])]


def test_core_cards_only() -> None:
    """Every card is one Home Assistant ships, and each car has a lock tile and a gauge."""
    cards = _all_cards()
    assert {card["type"] for card in cards} <= CORE_CARDS
    assert sum(1 for c in cards if c["type"] == "tile" and "lock" in c["entity"]) == 3
    assert sum(1 for c in cards if c["type"] == "gauge") >= 3
    assert {c["type"] for c in cards} >= {"map", "history-graph", "markdown"}


def test_docs_show_the_dashboard() -> None:
    """docs/dashboard.md carries the same YAML as the repository's file."""
    body = DASHBOARD.read_text().split("\ntitle: Cars\n", 1)[1]
    assert body in DASHBOARD_DOC.read_text()


async def test_dashboard_loads_and_its_entities_exist(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Home Assistant serves the YAML dashboard; every entity it names is a simulator car's."""
    assert await async_setup_component(
        hass,
        "lovelace",
        {
            "lovelace": {
                "dashboards": {
                    "smartcar-cars": {
                        "mode": "yaml",
                        "title": "Cars",
                        "filename": str(DASHBOARD),
                    }
                }
            }
        },
    )
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "lovelace/config", "url_path": "smartcar-cars"}
    )
    answer = await client.receive_json()
    assert answer["success"], answer
    assert answer["result"]["title"] == "Cars"

    cards = _all_cards()
    referenced = {entity for card in cards for entity in _entities(card)}
    assert len(referenced) > 20
    missing = sorted(e for e in referenced if hass.states.get(e) is None)
    assert not missing
    unavailable = sorted(
        e
        for e in referenced
        if hass.states.get(e).state == "unavailable"  # type: ignore[union-attr]
    )
    assert not unavailable

    for card in (c for c in cards if c["type"] == "markdown"):
        text = Template(card["content"], hass).async_render(parse_result=False)
        assert "**" in text or "No charge schedule." in text, text
