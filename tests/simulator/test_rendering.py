"""The single signal renderer: REST elements and flat webhook entries."""

from __future__ import annotations

from datetime import UTC, datetime

from smartcar_simulator.signals import SignalRecord, not_charging_error, render_signal

AT = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)


def test_webhook_form() -> None:
    """The webhook form is flat with epoch-millisecond meta."""
    record = SignalRecord.known(
        "tractionbattery-stateofcharge", {"value": 57, "unit": "percent"}, AT
    )
    entry = render_signal(record, vehicle_id="v1", form="webhook")
    assert entry == {
        "code": "tractionbattery-stateofcharge",
        "name": "StateOfCharge",
        "group": "TractionBattery",
        "body": {"value": 57, "unit": "percent"},
        "status": {"value": "SUCCESS"},
        "meta": {"oemUpdatedAt": 1793527200000, "retrievedAt": 1793527200000},
    }


def test_webhook_vin_and_errors() -> None:
    """The VIN's webhook meta is 0; errors keep a stale body; denied ones drop it."""
    vin = SignalRecord.known("vehicleidentification-vin", {"value": "X"}, AT)
    assert render_signal(vin, vehicle_id="v1", form="webhook")["meta"] == {
        "oemUpdatedAt": 0,
        "retrievedAt": 0,
    }
    wattage = SignalRecord.known(
        "charge-wattage", {"value": 1, "unit": "watts"}, AT, not_charging_error()
    )
    entry = render_signal(wattage, vehicle_id="v1", form="webhook")
    assert entry["status"]["value"] == "ERROR"
    assert entry["status"]["error"]["code"] == "NOT_CHARGING"
    assert entry["body"] == {"value": 1, "unit": "watts"}
    denied = render_signal(wattage, vehicle_id="v1", form="webhook", granted=False)
    assert "body" not in denied
    assert denied["status"]["error"]["type"] == "PERMISSION"


def test_rest_form_of_a_bodiless_signal() -> None:
    """A record without body renders without `body`."""
    record = SignalRecord.known("charge-wattage", {}, AT)
    record.body = None
    element = render_signal(record, vehicle_id="v1")
    assert "body" not in element["attributes"]
    assert element["links"] == {"self": "/v3/vehicles/v1/signals/charge-wattage"}


def test_denied_signal_without_permission_name() -> None:
    """An extra signal marked ungranted still renders a PERMISSION error."""
    record = SignalRecord("x-y", "Y", "X", {"value": 1}, AT, AT)
    element = render_signal(record, vehicle_id="v1", granted=False)
    assert element["attributes"]["status"]["error"]["type"] == "PERMISSION"
