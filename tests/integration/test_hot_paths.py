"""The hot paths' database work, counted: a regression here costs every payment a round trip."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from pixgate.charges.models import Charge
from pixgate.extensions import db
from pixgate.outbox.fastpath import FastPath
from pixgate.realtime import publisher
from pixgate.webhooks import fanout
from tests.integration.helpers import StatementCounter, confirm, create_payment


def test_create_is_two_inserts_and_a_commit(app: Flask, client: FlaskClient) -> None:
    with StatementCounter() as seen:
        create_payment(client)
    assert seen.count("INSERT") == 2  # the charge and its "created" log row
    assert seen.count("SELECT") == 0 and seen.count("UPDATE") == 0


def test_confirmation_reads_once_and_answers_the_stored_state(
    app: Flask, client: FlaskClient
) -> None:
    payment = create_payment(client)
    with StatementCounter() as seen:
        response = confirm(client, payment)
    assert response.status_code == 200, response.get_json()
    # the charge by txid; the conditional UPDATE; the Pix, event and outbox rows; no read-back
    assert (seen.count("SELECT"), seen.count("UPDATE"), seen.count("INSERT")) == (1, 1, 3)
    answered = response.get_json()["payment"]
    db.session.expire_all()
    stored = db.session.scalar(select(Charge).where(Charge.id == payment["id"]))
    assert stored is not None and stored.status == "PAID" and stored.revision == 1
    assert answered["status"] == "PAID" and answered["paid"] is True
    assert answered["paid_at"] == stored.paid_at.isoformat()


def test_settling_a_batch_looks_up_webhook_endpoints_once(
    app: Flask, client: FlaskClient
) -> None:
    fast = FastPath(app, inline=[publisher.publish], deferred=[
        lambda session, batch: fanout.fan_out_all(session, batch, notify_url=None)])
    fast.settle_delay = 0.0
    for _ in range(5):
        assert confirm(client, create_payment(client)).status_code == 200
    with StatementCounter() as seen:
        assert fast.settle() == 5
    # one endpoint lookup for the batch (none registered), one UPDATE marking all five
    assert (seen.count("SELECT"), seen.count("UPDATE"), seen.count("INSERT")) == (1, 1, 0)
