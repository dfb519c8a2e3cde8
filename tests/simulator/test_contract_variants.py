"""The answers the docs allow, as the simulator's variant flags (issue 20 §2)."""

from __future__ import annotations

import pytest

from smartcar_simulator import Simulator, __main__ as cli
from smartcar_simulator.vehicles import EX30_ID, OWNER_USER_ID
from tests.simulator.helpers import Api

MGMT = "/management/v3"
DAILY = {
    "data": {
        "attributes": {
            "location": {"latitude": 57.7, "longitude": 11.9},
            "startTime": "01:00",
            "stopTime": "06:00",
        }
    }
}
SCHEDULES = f"/v3/vehicles/{EX30_ID}/charge-schedules"


async def _timer_ids(api: Api) -> list[str]:
    reply = await api.get(
        f"/v3/vehicles/{EX30_ID}/signals/charge-chargetimers", user=OWNER_USER_ID
    )
    values = reply.json["data"]["attributes"]["body"]["values"]
    return [timer["scheduleId"] for timer in values if timer["type"] == "LOCATION"]


@pytest.mark.usefixtures("owner")
async def test_create_answered_202_without_schedule_id(
    api: Api, simulator: Simulator
) -> None:
    """`schedule_create_answer = "202"`: PENDING, no scheduleId; the id is in ChargeTimers."""
    simulator.schedule_create_answer = "202"
    reply = await api.post(f"{SCHEDULES}/daily", user=OWNER_USER_ID, json=DAILY)
    assert reply.status == 202
    data = reply.json["data"]
    assert "scheduleId" not in data["attributes"]
    assert "links" not in data
    assert data["attributes"]["status"] == {"value": "PENDING"}
    assert data["attributes"]["executionMode"] == "async"
    (stored,) = simulator.schedules(EX30_ID)
    assert stored.id != data["id"]
    assert await _timer_ids(api) == [stored.id]


@pytest.mark.usefixtures("owner")
async def test_delete_answered_204(api: Api, simulator: Simulator) -> None:
    """`schedule_delete_answer = "204"`: No Content, an empty body; the schedule is gone."""
    created = await api.post(f"{SCHEDULES}/daily", user=OWNER_USER_ID, json=DAILY)
    schedule_id = created.json["data"]["attributes"]["scheduleId"]
    simulator.schedule_delete_answer = "204"
    reply = await api.delete(f"{SCHEDULES}/{schedule_id}", user=OWNER_USER_ID)
    assert (reply.status, reply.text) == (204, "")
    assert simulator.schedules(EX30_ID) == []
    assert await _timer_ids(api) == []


@pytest.mark.usefixtures("owner")
async def test_single_signal_bare(api: Api, simulator: Simulator) -> None:
    """`signal_form = "bare"`: the signal resource itself, as the docs and Node SDK show it."""
    path = f"/v3/vehicles/{EX30_ID}/signals/closure-islocked"
    wrapped = (await api.get(path, user=OWNER_USER_ID)).json
    simulator.signal_form = "bare"
    bare = (await api.get(path, user=OWNER_USER_ID)).json
    assert bare == wrapped["data"]
    assert bare["attributes"]["code"] == "closure-islocked"


async def test_webhook_filters_and_attributes(api: Api, simulator: Simulator) -> None:
    """`GET /webhooks` takes the documented filters and pages (at most 100)."""
    simulator.add_webhook("https://a.example.com/hook", webhook_id="a")
    simulator.add_webhook(
        "https://b.example.com/hook",
        webhook_id="b",
        name="Errors elsewhere",
        enabled=False,
        auto_subscribe=True,
        error_callback_uri="https://b.example.com/errors",
    )

    async def ids(**query: str) -> list[str]:
        reply = await api.get(f"{MGMT}/webhooks", params=query)
        assert reply.status == 200
        return [item["id"] for item in reply.json["data"]]

    assert await ids() == ["a", "b"]
    assert await ids(**{"filter[callbackUri]": "https://b.example.com/hook"}) == ["b"]
    assert await ids(**{"filter[callbackUri]": "https://b.example.com"}) == []
    assert await ids(**{"filter[isEnabled]": "false"}) == ["b"]
    assert await ids(**{"filter[isEnabled]": "true"}) == ["a"]
    assert await ids(**{"filter[autoSubscribe]": "true"}) == ["b"]
    assert await ids(**{"filter[name]": "Errors elsewhere"}) == ["b"]
    first = await api.get(f"{MGMT}/webhooks", params={"page[size]": "1"})
    assert [item["id"] for item in first.json["data"]] == ["a"]
    second = await api.get(first.json["links"]["next"])
    assert [item["id"] for item in second.json["data"]] == ["b"]
    assert second.json["links"]["next"] is None
    too_big = await api.get(f"{MGMT}/webhooks", params={"page[size]": "101"})
    assert too_big.status == 400
    attributes = (await api.get(f"{MGMT}/webhooks/b")).json["data"]["attributes"]
    assert attributes == {
        "name": "Errors elsewhere",
        "callbackUri": "https://b.example.com/hook",
        "isEnabled": False,
        "autoSubscribe": True,
        "errorCallbackUri": "https://b.example.com/errors",
    }


def test_cli_variant_flags() -> None:
    """The variant flags are command-line options too."""
    args = cli.parse_args(
        [
            "--schedule-create-answer",
            "202",
            "--schedule-delete-answer",
            "204",
            "--signal-form",
            "bare",
        ]
    )
    sim = cli.configure(args)
    assert (
        sim.schedule_create_answer,
        sim.schedule_delete_answer,
        sim.signal_form,
    ) == ("202", "204", "bare")
