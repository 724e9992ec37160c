"""Outbox to merchant webhooks: signed, de-duplicable, retried with backoff, dead-lettered."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from pixgate import signing
from pixgate.charges.models import Charge
from pixgate.db.types import utcnow
from pixgate.extensions import db
from pixgate.outbox.relay import Relay
from pixgate.webhooks import delivery, endpoints, fanout
from pixgate.webhooks.models import DEAD, DELIVERED, PENDING, WebhookDelivery
from tests.factories import NOTIFY_SECRET, WEBHOOK_SECRET, json_bytes
from tests.integration.helpers import confirm, count, create_payment
from tests.receiver import Receiver, start_receiver

POLICY = delivery.Policy(base_seconds=0.01, timeout_seconds=5, allow_private=True)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = start_receiver()
    yield server
    server.stop()


def _relay(app: Flask, notify_url: str | None) -> Relay:
    return Relay(app, [lambda s, m: fanout.fan_out(s, m, notify_url=notify_url) and None])


def _deliver(policy: delivery.Policy = POLICY) -> int:
    db.session.rollback()  # see the relay's commits: MariaDB reads are REPEATABLE READ
    return delivery.deliver_due(db.session, notify_secret=NOTIFY_SECRET, policy=policy)


def test_paid_event_reaches_notify_url_and_bcb_endpoint_signed(
    app: Flask, client: FlaskClient, receiver: Receiver
) -> None:
    key = app.extensions["pixgate.receiver"].pix_key
    registration = endpoints.register(db.session, chave=key, url=receiver.url + "/bcb",
                                      allow_private=True)
    assert registration.secret and registration.secret != NOTIFY_SECRET
    payment = create_payment(client)
    confirm(client, payment)
    assert _relay(app, receiver.url + "/events").run_once() == 1
    assert _deliver() == 2
    by_path = {call.path: call for call in receiver.calls}
    envelope, bcb = by_path["/events"].json(), by_path["/bcb/pix"].json()
    assert envelope["type"] == "payment.confirmed" and envelope["data"]["status"] == "PAID"
    assert bcb["pix"][0]["txid"] == payment["bank_payment_id"]
    assert bcb["pix"][0]["valor"] == payment["value"]
    signing.verify(by_path["/events"].headers[signing.HEADER], by_path["/events"].body,
                   [NOTIFY_SECRET])
    signing.verify(by_path["/bcb/pix"].headers[signing.HEADER], by_path["/bcb/pix"].body,
                   [registration.secret])
    for call in receiver.calls:
        assert call.headers["X-Pixgate-Event-Id"] == envelope["id"]
        with pytest.raises(signing.SignatureError):  # no receiver holds the incoming key
            signing.verify(call.headers[signing.HEADER], call.body, [WEBHOOK_SECRET])


def test_a_captured_delivery_reposted_to_the_pix_callback_is_refused(
    app: Flask, client: FlaskClient, receiver: Receiver
) -> None:
    key = app.extensions["pixgate.receiver"].pix_key
    endpoints.register(db.session, chave=key, url=receiver.url, allow_private=True)
    paid, victim = create_payment(client), create_payment(client)
    confirm(client, paid)
    _relay(app, receiver.url + "/events").run_once()
    assert _deliver() == 2 and len(receiver.calls) == 2
    bcb = next(call for call in receiver.calls if call.path == "/pix")
    forged = bcb.json()
    forged["pix"][0]["txid"] = victim["bank_payment_id"]  # what a receiver would try
    for call, body in ((bcb, bcb.body), (bcb, forged)):
        raw = body if isinstance(body, bytes) else json_bytes(body)
        answer = client.post("/webhooks/pix", data=raw, headers={
            "Content-Type": "application/json", signing.HEADER: call.headers[signing.HEADER]})
        assert answer.status_code == 401, answer.get_json()
    envelope = next(call for call in receiver.calls if call.path == "/events")
    answer = client.post("/webhooks/pix", data=envelope.body, headers={
        "Content-Type": "application/json", signing.HEADER: envelope.headers[signing.HEADER]})
    assert answer.status_code == 401
    db.session.rollback()
    assert db.session.get(Charge, victim["id"]).status == "ACTIVE"


def test_a_registration_on_a_private_address_is_refused_at_send_time(
    app: Flask, client: FlaskClient, receiver: Receiver
) -> None:
    key = app.extensions["pixgate.receiver"].pix_key
    https = receiver.url.replace("http://", "https://")  # passes every rule but the address
    endpoints.register(db.session, chave=key, url=https, allow_private=True)
    confirm(client, create_payment(client))
    _relay(app, receiver.url + "/events").run_once()  # the operator's URL: trusted as given
    strict = delivery.Policy(base_seconds=0.01, timeout_seconds=5, allow_private=False)
    assert _deliver(strict) == 2
    db.session.rollback()
    rows = {row.endpoint_id is None: row for row in db.session.scalars(select(WebhookDelivery))}
    assert rows[True].status == DELIVERED
    assert rows[False].status == PENDING and rows[False].last_error.startswith("refused:")
    assert "loopback" in rows[False].last_error
    assert [call.path for call in receiver.calls] == ["/events"]


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


def test_a_delivery_whose_registration_has_no_secret_is_never_sent(
    app: Flask, client: FlaskClient, receiver: Receiver
) -> None:
    key = app.extensions["pixgate.receiver"].pix_key
    made = endpoints.register(db.session, chave=key, url=receiver.url, allow_private=True)
    made.endpoint.secret = None  # a registration from before migration 0002
    db.session.commit()
    confirm(client, create_payment(client))
    _relay(app, None).run_once()
    assert _deliver() == 1
    db.session.rollback()
    row = db.session.scalar(select(WebhookDelivery))
    assert row.status == DEAD and "register again" in row.last_error and receiver.calls == []


def test_a_settled_batch_sends_each_pix_to_the_endpoint_of_its_own_key(
    app: Flask, client: FlaskClient, receiver: Receiver
) -> None:
    from pixgate.outbox.fastpath import FastPath

    key = app.extensions["pixgate.receiver"].pix_key
    endpoints.register(db.session, chave=key, url=receiver.url + "/bcb", allow_private=True)
    fast = FastPath(app, inline=[], deferred=[
        lambda session, batch: fanout.fan_out_all(session, batch, notify_url=None)])
    fast.settle_delay = 0.0
    payments = [create_payment(client) for _ in range(3)]
    for payment in payments:
        confirm(client, payment)
    assert fast.settle() == 3
    assert _deliver() == 3
    sent = sorted(call.json()["pix"][0]["txid"] for call in receiver.calls)
    assert sent == sorted(p["bank_payment_id"] for p in payments)
    assert {call.path for call in receiver.calls} == {"/bcb/pix"}
