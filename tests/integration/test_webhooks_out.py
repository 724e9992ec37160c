"""Outbox to merchant webhooks: signed, de-duplicable, retried with backoff, dead-lettered."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from pixgate import signing
from pixgate.db.types import utcnow
from pixgate.extensions import db
from pixgate.outbox.relay import Relay
from pixgate.webhooks import delivery, fanout
from pixgate.webhooks.models import DEAD, DELIVERED, PENDING, WebhookDelivery, WebhookEndpoint
from tests.factories import WEBHOOK_SECRET
from tests.integration.helpers import confirm, count, create_payment
from tests.receiver import Receiver, start_receiver

POLICY = delivery.Policy(base_seconds=0.01, timeout_seconds=5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = start_receiver()
    yield server
    server.stop()


def _relay(app: Flask, notify_url: str | None) -> Relay:
    return Relay(app, [lambda s, m: fanout.fan_out(s, m, notify_url=notify_url) and None])


def _deliver() -> int:
    db.session.rollback()  # see the relay's commits: MariaDB reads are REPEATABLE READ
    return delivery.deliver_due(db.session, secret=WEBHOOK_SECRET, policy=POLICY)


def test_paid_event_reaches_notify_url_and_bcb_endpoint_signed(
    app: Flask, client: FlaskClient, receiver: Receiver
) -> None:
    key = app.extensions["pixgate.receiver"].pix_key
    db.session.add(WebhookEndpoint(chave=key, url=receiver.url + "/bcb"))
    db.session.commit()
    payment = create_payment(client)
    confirm(client, payment)
    assert _relay(app, receiver.url + "/events").run_once() == 1
    assert _deliver() == 2
    by_path = {call.path: call for call in receiver.calls}
    envelope, bcb = by_path["/events"].json(), by_path["/bcb/pix"].json()
    assert envelope["type"] == "payment.confirmed" and envelope["data"]["status"] == "PAID"
    assert bcb["pix"][0]["txid"] == payment["bank_payment_id"]
    assert bcb["pix"][0]["valor"] == payment["value"]
    for call in receiver.calls:
        signing.verify(call.headers[signing.HEADER], call.body, [WEBHOOK_SECRET])
        assert call.headers["X-Pixgate-Event-Id"] == envelope["id"]


def test_republishing_an_event_adds_no_second_delivery(
    app: Flask, client: FlaskClient, receiver: Receiver
) -> None:
    confirm(client, create_payment(client))
    relay = _relay(app, receiver.url)
    relay.run_once()
    message = db.session.scalar(select(delivery.WebhookDelivery))
    assert message is not None
    from pixgate.outbox.models import OutboxMessage

    db.session.execute(update(OutboxMessage).values(published_at=None, claimed_until=None))
    db.session.commit()
    assert relay.run_once() == 1
    assert count(WebhookDelivery) == 1


def test_failures_back_off_then_dead_letter_then_replay(
    app: Flask, client: FlaskClient, receiver: Receiver
) -> None:
    receiver.statuses = [500, 503]
    confirm(client, create_payment(client))
    _relay(app, receiver.url).run_once()
    assert _deliver() == 1
    row = db.session.scalar(select(WebhookDelivery))
    assert row.status == PENDING and row.attempts == 1 and row.last_status_code == 500
    past = utcnow() - timedelta(seconds=1)
    db.session.execute(update(WebhookDelivery).values(next_attempt_at=past, give_up_at=past))
    db.session.commit()
    assert _deliver() == 1
    db.session.rollback()
    row = db.session.scalar(select(WebhookDelivery))
    assert row.status == DEAD and row.attempts == 2 and receiver.calls == []
    assert delivery.replay(db.session) == 1
    assert _deliver() == 1
    db.session.rollback()
    assert db.session.scalar(select(WebhookDelivery)).status == DELIVERED
    assert len(receiver.calls) == 1


def test_backoff_grows_exponentially_with_jitter() -> None:
    policy = delivery.Policy(base_seconds=10)
    delays = [delivery.next_delay(n, policy) for n in range(1, 8)]
    for n, value in enumerate(delays, start=1):
        assert 0.5 * 10 * 2 ** (n - 1) <= value <= 1.5 * 10 * 2 ** (n - 1)
    assert delivery.next_delay(40, policy) <= 1.5 * delivery.MAX_DELAY_SECONDS
