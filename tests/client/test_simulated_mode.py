"""`GET /connections` lists live vehicles by default; simulated ones when asked."""

from __future__ import annotations

from custom_components.smartcar.api import SmartcarClient
from smartcar_simulator import Simulator
from smartcar_simulator.vehicles import OWNER_EMAIL

SIM_EMAIL = "sim@example.com"


async def test_simulated_vehicles_found_with_the_mode(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """`mode="simulated"` finds the simulator's cars, which the default call misses."""
    simulator.connect(OWNER_EMAIL)
    vehicle_id = simulator.add_vehicle(
        SIM_EMAIL, "XC40", permissions=["read_battery"], mode="simulated"
    )
    user_id = simulator.user_id(SIM_EMAIL)

    assert await client.async_get_connections(user_id=user_id) == []
    live = await client.async_get_connections()
    assert len(live) == 3
    assert vehicle_id not in {connection.vehicle_id for connection in live}

    simulated = await client.async_get_connections(mode="simulated")
    assert [c.vehicle_id for c in simulated] == [vehicle_id]
    assert simulated[0].user_id == user_id
    by_user = await client.async_get_connections(user_id=user_id, mode="simulated")
    assert [c.vehicle_id for c in by_user] == [vehicle_id]
    assert len(await client.async_get_connections(mode="live")) == 3
