"""Socket.IO rooms: a page hears its own payment, never another's."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from pixgate.extensions import socketio
from pixgate.outbox.relay import Relay
from pixgate.realtime import publisher
from tests.factories import json_bytes, random_amount, signed_headers


def _new_payment(client: FlaskClient) -> dict:
    return client.post("/payments/pix", json={"value": str(random_amount())}).get_json()["payment"]


def _names(received: list[dict]) -> list[str]:
    return [r["name"] for r in received]


def test_subscriber_gets_state_then_its_event_and_others_get_nothing(
    app: Flask, client: FlaskClient
) -> None:
    mine, other = _new_payment(client), _new_payment(client)
    by_auth = socketio.test_client(app, auth={"payment_id": mine["id"]})
    by_event = socketio.test_client(app)
    ack = by_event.emit("subscribe", {"payment_id": mine["id"]}, callback=True)
    bystander = socketio.test_client(app, auth={"payment_id": other["id"]})
    for sio in (by_auth, by_event):
        first = sio.get_received()
        assert _names(first) == ["payment-status"]
        assert first[0]["args"][0]["status"] == "ACTIVE"
    assert ack["ok"] is True
    bystander.get_received()

    raw = json_bytes({"bank_payment_id": mine["bank_payment_id"], "value": mine["value"]})
    client.post("/payments/pix/confirmation", data=raw, headers=signed_headers(raw))
    assert Relay(app, [publisher.publish]).run_once() == 1

    for sio in (by_auth, by_event):
        received = sio.get_received()
        assert _names(received) == [f"payment-confirmed-{mine['id']}"]  # one event, no echo
        confirmed = next(r for r in received if r["name"].startswith("payment-confirmed"))
        assert confirmed["args"][0]["status"] == "PAID"
    assert bystander.get_received() == []
    assert Relay(app, [publisher.publish]).run_once() == 0


def test_subscribe_errors_are_answered_not_raised(app: Flask) -> None:
    sio = socketio.test_client(app)
    for payload in (None, "x", {"payment_id": "abc"}, {"payment_id": True}, {"payment_id": 10**9}):
        ack = sio.emit("subscribe", payload, callback=True)
        assert "error" in ack
    assert sio.is_connected()


def test_expiry_is_announced_once_to_the_room(app: Flask, client: FlaskClient) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from pixgate.charges import lifecycle
    from pixgate.charges.models import Charge
    from pixgate.db.types import utcnow
    from pixgate.extensions import db

    payment = _new_payment(client)
    page = socketio.test_client(app, auth={"payment_id": payment["id"]})
    page.get_received()
    db.session.execute(update(Charge).where(Charge.id == payment["id"])
                       .values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert lifecycle.expire_due(db.session) == 1
    assert lifecycle.expire_due(db.session) == 0
    Relay(app, [publisher.publish]).run_once()
    names = _names(page.get_received())
    assert names.count(f"payment-expired-{payment['id']}") == 1
    reconnected = socketio.test_client(app, auth={"payment_id": payment["id"]})
    assert reconnected.get_received()[0]["args"][0]["status"] == "EXPIRED"
