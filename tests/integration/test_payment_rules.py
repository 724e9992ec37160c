"""Money rules at the HTTP edge: signatures, state, amounts, idempotency, API token."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from pixgate.charges import lifecycle
from pixgate.charges.models import Charge, ChargeEvent, ReceivedPix
from pixgate.db.types import utcnow
from pixgate.extensions import db
from pixgate.outbox.models import OutboxMessage
from tests.factories import json_bytes, signed_headers
from tests.integration.helpers import confirm, count, create_payment, signed_post


def _e2e() -> str:
    return "E00000000202611261200" + secrets.token_hex(6)[:11]


def test_unsigned_or_badly_signed_confirmations_are_401_and_change_nothing(
    client: FlaskClient,
) -> None:
    payment = create_payment(client)
    raw = json_bytes({"bank_payment_id": payment["bank_payment_id"], "value": payment["value"]})
    attempts = [
        {"Content-Type": "application/json"},
        signed_headers(raw, secret="not-the-secret"),
        signed_headers(raw, timestamp=1),
        {"Content-Type": "application/json", "X-Pixgate-Signature": "t=1,v1"},
    ]
    for headers in attempts:
        response = client.post("/payments/pix/confirmation", data=raw, headers=headers)
        assert response.status_code == 401, headers
        assert response.mimetype == "application/problem+json"
    assert db.session.get(Charge, payment["id"]).status == "ACTIVE"
    assert count(OutboxMessage) == 0


def test_demo_switch_accepts_unsigned_and_warns(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    app.config["ALLOW_UNSIGNED_CONFIRMATIONS"] = True
    payment = create_payment(client)
    response = client.post("/payments/pix/confirmation", json={
        "bank_payment_id": payment["bank_payment_id"], "value": payment["value"]})
    assert response.status_code == 200
    assert "UNSIGNED confirmation accepted" in caplog.text


def test_expired_charge_cannot_be_paid_and_sweeper_expires_it_once(client: FlaskClient) -> None:
    payment = create_payment(client)
    db.session.execute(update(Charge).where(Charge.id == payment["id"])
                       .values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert confirm(client, payment).status_code == 409
    assert client.get(f"/payments/pix/{payment['id']}/status").get_json()["status"] == "EXPIRED"
    assert lifecycle.expire_due(db.session) == 1
    assert lifecycle.expire_due(db.session) == 0
    assert count(ChargeEvent, ChargeEvent.kind == "expired") == 1
    assert count(OutboxMessage, OutboxMessage.topic == "payment.expired") == 1
    assert confirm(client, payment).status_code == 409


def test_removed_charge_cannot_be_paid(client: FlaskClient) -> None:
    payment = create_payment(client)
    lifecycle.remove_charge(db.session, charge_id=payment["id"], source="test")
    response = confirm(client, payment)
    assert response.status_code == 409 and "REMOVED" in response.get_json()["detail"]


def test_webhook_receiver_applies_once_and_refuses_a_second_pix(client: FlaskClient) -> None:
    payment = create_payment(client)
    pix = {"endToEndId": _e2e(), "txid": payment["bank_payment_id"],
           "valor": payment["value"], "horario": utcnow().isoformat()}
    assert signed_post(client, "/webhooks/pix", {"pix": [pix]}).status_code == 200
    repeat = signed_post(client, "/webhooks/pix", {"pix": [pix]})
    assert repeat.status_code == 200 and repeat.get_json()["results"][0]["result"] == "duplicate"
    second = {**pix, "endToEndId": _e2e()}
    other = signed_post(client, "/webhooks/pix", {"pix": [second]})
    assert other.status_code == 409
    assert count(ChargeEvent, ChargeEvent.kind == "paid") == 1
    assert count(OutboxMessage, OutboxMessage.topic == "payment.confirmed") == 1
    # The second Pix paid nothing, but the money arrived: it is on record, once.
    assert signed_post(client, "/webhooks/pix", {"pix": [second]}).status_code == 409
    assert count(ReceivedPix, ReceivedPix.end_to_end_id == second["endToEndId"],
                 ReceivedPix.reason == "already_paid", ReceivedPix.charge_id.is_(None)) == 1
    assert count(OutboxMessage, OutboxMessage.topic == "pix.unmatched") == 1


def test_webhook_receiver_unknown_txid_is_404(client: FlaskClient) -> None:
    pix = {"endToEndId": _e2e(), "txid": "unknownTxid123", "valor": "1.00", "horario": "x"}
    assert signed_post(client, "/webhooks/pix", {"pix": [pix]}).status_code == 404


def test_idempotency_key_replays_and_refuses_a_different_body(client: FlaskClient) -> None:
    key = secrets.token_hex(8)
    first = client.post("/payments/pix", json={"value": "10.00"}, headers={"Idempotency-Key": key})
    again = client.post("/payments/pix", json={"value": "10.00"}, headers={"Idempotency-Key": key})
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    other = client.post("/payments/pix", json={"value": "11.00"}, headers={"Idempotency-Key": key})
    assert other.status_code == 422
    assert count(Charge) == 1


def test_api_token_guards_the_legacy_api_but_not_the_page(app: Flask, client: FlaskClient) -> None:
    app.config["API_TOKEN"] = token = secrets.token_hex(8)
    assert client.post("/payments/pix", json={"value": 1}).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert client.post("/payments/pix", json={"value": 1}, headers=wrong).status_code == 401
    payment = create_payment(client, Authorization=f"Bearer {token}")
    assert client.get(f"/payments/pix/{payment['id']}").status_code == 200
