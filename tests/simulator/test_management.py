"""Unsubscribed vehicles (404, empty, stale) and the Management API's webhook subscriptions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from smartcar_simulator import (
    DEMO_MANAGEMENT_TOKEN,
    EX30_ID,
    OWNER_USER_ID,
    WEBHOOK_ID,
    XC60_ID,
    Simulator,
    __main__ as cli,
)
from smartcar_simulator.clock import ManualClock, iso
from tests.simulator.helpers import Api

MGMT = "/management/v3"
CALLBACK = "https://example.com/api/webhook/abc"


def _body(webhook_id: str, user_id: str, vehicle_id: str) -> dict[str, Any]:
    return {
        "data": {
            "attributes": {
                "webhookId": webhook_id,
                "userId": user_id,
                "vehicleId": vehicle_id,
            }
        }
    }


@pytest.mark.usefixtures("owner")
async def test_404_until_subscribed(api: Api, simulator: Simulator) -> None:
    """`404` on the list and on each signal; the vehicle itself and others still answer."""
    simulator.set_unsubscribed(EX30_ID, "404")
    reply = await api.get(f"/v3/vehicles/{EX30_ID}/signals", user=OWNER_USER_ID)
    assert reply.status == 404
    assert reply.error["type"] == "RESOURCE_NOT_FOUND"
    assert reply.error["code"] is None
    single = await api.get(
        f"/v3/vehicles/{EX30_ID}/signals/closure-islocked", user=OWNER_USER_ID
    )
    assert single.status == 404
    vehicle = await api.get(f"/v3/vehicles/{EX30_ID}", user=OWNER_USER_ID)
    assert vehicle.status == 200
    other = await api.get(f"/v3/vehicles/{XC60_ID}/signals", user=OWNER_USER_ID)
    assert other.status == 200
    assert other.json["data"]


@pytest.mark.usefixtures("owner")
async def test_empty_until_subscribed(api: Api, simulator: Simulator) -> None:
    """`200` with no signals on the list, `404` on each signal."""
    simulator.set_unsubscribed(EX30_ID, "empty")
    reply = await api.get(f"/v3/vehicles/{EX30_ID}/signals", user=OWNER_USER_ID)
    assert reply.status == 200
    assert reply.json["data"] == []
    assert reply.json["meta"]["totalCount"] == 0
    single = await api.get(
        f"/v3/vehicles/{EX30_ID}/signals/closure-islocked", user=OWNER_USER_ID
    )
    assert single.status == 404


@pytest.mark.usefixtures("owner")
async def test_stale_until_subscribed(
    api: Api, simulator: Simulator, sim_clock: ManualClock
) -> None:
    """Values dated a day back; fresh timestamps once subscribed."""
    simulator.set_unsubscribed(EX30_ID, "stale")
    sim_clock.advance(60)
    simulator.set_locked(EX30_ID, True)
    day_old = iso(sim_clock() - timedelta(days=1))
    reply = await api.get(f"/v3/vehicles/{EX30_ID}/signals", user=OWNER_USER_ID)
    assert reply.status == 200
    metas = [item["meta"] for item in reply.json["data"]]
    assert metas
    assert all(meta["retrievedAt"] <= day_old for meta in metas)
    single = await api.get(
        f"/v3/vehicles/{EX30_ID}/signals/closure-islocked", user=OWNER_USER_ID
    )
    assert single.json["data"]["meta"]["oemUpdatedAt"] == day_old
    simulator.add_webhook(CALLBACK, webhook_id=WEBHOOK_ID)
    simulator.add_subscription(WEBHOOK_ID, OWNER_USER_ID, EX30_ID)
    fresh = await api.get(
        f"/v3/vehicles/{EX30_ID}/signals/closure-islocked", user=OWNER_USER_ID
    )
    assert fresh.json["data"]["meta"]["oemUpdatedAt"] == iso(sim_clock())


@pytest.mark.usefixtures("owner")
async def test_subscribe_lists_and_unsubscribe(api: Api, simulator: Simulator) -> None:
    """202 then 409; the signals appear; listing filters; DELETE brings the 404 back."""
    simulator.set_unsubscribed(EX30_ID)
    webhook_id = simulator.add_webhook(CALLBACK)
    webhooks = await api.get(f"{MGMT}/webhooks")
    assert webhooks.status == 200
    assert webhooks.json["data"] == [
        {
            "id": webhook_id,
            "type": "webhook",
            "attributes": {
                "name": "Simulator webhook",
                "callbackUri": CALLBACK,
                "isEnabled": True,
                "autoSubscribe": False,
                "errorCallbackUri": None,
            },
            "links": {"self": f"/management/v3/webhooks/{webhook_id}"},
        }
    ]
    one = await api.get(f"{MGMT}/webhooks/{webhook_id}")
    assert one.json["data"]["id"] == webhook_id
    assert (await api.get(f"{MGMT}/webhooks/nope")).status == 404

    body = _body(webhook_id, OWNER_USER_ID, EX30_ID)
    created = await api.post(f"{MGMT}/subscriptions", json=body)
    assert created.status == 202
    assert created.json == {"meta": {"message": "subscription creation in progress"}}
    again = await api.post(f"{MGMT}/subscriptions", json=body)
    assert again.status == 409
    signals = await api.get(f"/v3/vehicles/{EX30_ID}/signals", user=OWNER_USER_ID)
    assert signals.status == 200
    assert signals.json["data"]

    listed = await api.get(
        f"{MGMT}/subscriptions",
        params={"filter[vehicleId]": EX30_ID, "filter[webhookId]": webhook_id},
    )
    (item,) = listed.json["data"]
    assert item["type"] == "subscription"
    assert item["relationships"]["vehicle"]["data"]["id"] == EX30_ID
    assert item["relationships"]["user"]["data"]["id"] == OWNER_USER_ID
    assert item["attributes"]["vehicle"]["make"] == "VOLVO"
    none = await api.get(f"{MGMT}/subscriptions", params={"filter[vehicleId]": XC60_ID})
    assert none.json["data"] == []

    gone = await api.delete(f"{MGMT}/subscriptions/{item['id']}")
    assert gone.status == 204
    assert (await api.delete(f"{MGMT}/subscriptions/{item['id']}")).status == 404
    after = await api.get(f"/v3/vehicles/{EX30_ID}/signals", user=OWNER_USER_ID)
    assert after.status == 404


@pytest.mark.usefixtures("owner")
async def test_subscription_listing_pages(api: Api, simulator: Simulator) -> None:
    """Subscriptions page by `page[size]`; `links.next` keeps the filters."""
    webhook_id = simulator.add_webhook(CALLBACK)
    for vehicle_id in simulator.world.account("owner@example.com").vehicle_ids:
        simulator.add_subscription(webhook_id, OWNER_USER_ID, vehicle_id)
    first = await api.get(
        f"{MGMT}/subscriptions",
        params={"filter[userId]": OWNER_USER_ID, "page[size]": "2"},
    )
    assert first.json["meta"]["totalCount"] == 3
    assert len(first.json["data"]) == 2
    second = await api.get(first.json["links"]["next"])
    assert len(second.json["data"]) == 1
    assert second.json["links"]["next"] is None
    simulated = await api.get(
        f"{MGMT}/subscriptions", params={"filter[vehicle.mode]": "simulated"}
    )
    assert simulated.json["data"] == []


@pytest.mark.usefixtures("owner")
@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 400, "data.attributes"),
        ({"data": {"attributes": {"webhookId": 1}}}, 400, "webhookId"),
        (_body(WEBHOOK_ID, OWNER_USER_ID, ""), 400, "vehicleId"),
        (_body("unknown", OWNER_USER_ID, EX30_ID), 404, None),
        (_body(WEBHOOK_ID, "someone-else", EX30_ID), 404, None),
    ],
)
async def test_subscribe_rejects(
    api: Api,
    simulator: Simulator,
    body: dict[str, Any],
    status: int,
    field: str | None,
) -> None:
    """A bad body is 400 naming the field; an unknown webhook or connection is 404."""
    simulator.add_webhook(CALLBACK, webhook_id=WEBHOOK_ID)
    reply = await api.post(f"{MGMT}/subscriptions", json=body)
    assert reply.status == status
    if field is not None:
        assert field in reply.error["detail"]
    assert simulator.subscriptions() == []


async def test_subscribe_rejects_a_non_json_body(api: Api) -> None:
    """A body that is not JSON is 400."""
    reply = await api.post(f"{MGMT}/subscriptions", data=b"{")
    assert reply.status == 400


@pytest.mark.parametrize(("accepted", "refused"), [("app", "amt"), ("amt", "app")])
async def test_management_token(
    api: Api, simulator: Simulator, accepted: str, refused: str
) -> None:
    """The Management API takes the token `management_auth` names and refuses the other."""
    simulator.management_auth = "amt" if accepted == "amt" else "app"
    tokens = {"app": await api.token(), "amt": DEMO_MANAGEMENT_TOKEN}
    ok = await api.get(
        f"{MGMT}/webhooks",
        auth=False,
        headers={"Authorization": f"Bearer {tokens[accepted]}"},
    )
    assert ok.status == 200
    refused_reply = await api.get(
        f"{MGMT}/webhooks",
        auth=False,
        headers={"Authorization": f"Bearer {tokens[refused]}"},
    )
    assert refused_reply.status == 401
    assert refused_reply.error["type"] == "AUTHENTICATION"
    unknown = await api.get(
        f"{MGMT}/nowhere",
        auth=False,
        headers={"Authorization": f"Bearer {tokens[accepted]}"},
    )
    assert unknown.status == 404
    assert unknown.error["type"] == "RESOURCE_NOT_FOUND"


async def test_subscribing_pushes_the_first_delivery(
    api: Api, simulator: Simulator, owner: str
) -> None:
    """Subscribing to the webhook pushes go to sends the vehicle's state as FIRST_DELIVERY."""
    received: list[dict[str, Any]] = []

    async def fake_deliver(url: str, event: dict[str, Any], **_: Any) -> None:
        received.append({"url": url, **event})

    simulator.subscribe(CALLBACK)
    simulator.set_unsubscribed(EX30_ID, "empty")
    assert await simulator.push(EX30_ID) is None
    simulator.deliver = fake_deliver  # type: ignore[method-assign,assignment]
    reply = await api.post(
        f"{MGMT}/subscriptions", json=_body(WEBHOOK_ID, owner, EX30_ID)
    )
    assert reply.status == 202
    await simulator.webhooks.drain()
    assert [event["url"] for event in received] == [CALLBACK]
    assert received[0]["data"]["vehicle"]["id"] == EX30_ID


def test_cli_unsubscribed_and_management_auth() -> None:
    """`--unsubscribed VEHICLE:answer` (repeatable) and `--management-auth` configure it."""
    args = cli.parse_args(
        [
            "--unsubscribed",
            f"{EX30_ID}:empty",
            "--unsubscribed",
            f"{XC60_ID}:404",
            "--management-auth",
            "amt",
        ]
    )
    sim = cli.configure(args)
    assert sim.world.vehicles[EX30_ID].unsubscribed_answer == "empty"
    assert sim.world.vehicles[XC60_ID].unsubscribed_answer == "404"
    assert sim.management_auth == "amt"
    for bad in ("nope", f"{EX30_ID}:later", ":404"):
        with pytest.raises(SystemExit):
            cli.parse_args(["--unsubscribed", bad])
    with pytest.raises(SystemExit, match="no vehicle"):
        cli.configure(cli.parse_args(["--unsubscribed", "unknown:404"]))


def test_reset_keeps_the_push_webhook() -> None:
    """A reset drops subscriptions and extra webhooks, not the webhook pushes go to."""
    sim = Simulator(ManualClock())
    sim.subscribe(CALLBACK)
    sim.add_webhook("https://other.example.com/hook")
    sim.reset_world()
    assert [(w.id, w.callback_uri) for w in sim.world.webhooks.values()] == [
        (WEBHOOK_ID, CALLBACK)
    ]
    bare = Simulator(ManualClock())
    bare.reset_world()
    assert bare.world.webhooks == {}
