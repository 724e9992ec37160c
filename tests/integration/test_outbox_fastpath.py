"""Events published straight after their commit: once, and by the relay only after a crash."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from pixgate.charges.models import Charge
from pixgate.db import core
from pixgate.db.types import utcnow
from pixgate.extensions import db, socketio
from pixgate.outbox import service as outbox
from pixgate.outbox.fastpath import FastPath
from pixgate.outbox.models import OutboxMessage
from pixgate.outbox.relay import Relay
from pixgate.realtime import publisher
from tests.factories import json_bytes, random_amount, signed_headers


def _pay(client: FlaskClient) -> dict:
    payment = client.post("/payments/pix", json={"value": str(random_amount())}).get_json()
    payment = payment["payment"]
    raw = json_bytes({"bank_payment_id": payment["bank_payment_id"], "value": payment["value"]})
    assert client.post("/payments/pix/confirmation", data=raw,
                       headers=signed_headers(raw)).status_code == 200
    return payment


def _page(app: Flask, payment_id: int):  # type: ignore[no-untyped-def]
    page = socketio.test_client(app, auth={"payment_id": payment_id})
    page.get_received()  # the payment-status pushed on connect
    return page


def _confirmed(page, payment_id: int) -> int:  # type: ignore[no-untyped-def]
    return [r["name"] for r in page.get_received()].count(f"payment-confirmed-{payment_id}")


def _fast_path(app: Flask, deferred: list | None = None) -> FastPath:
    fast = FastPath(app, inline=[publisher.publish], deferred=deferred or [])
    fast.settle_delay = 0.0
    return fast


def _watched_charge(app: Flask, client: FlaskClient):  # type: ignore[no-untyped-def]
    # A fast path, a new charge and its page listening: (fast path, charge id, page).
    fast = _fast_path(app)
    created = client.post("/payments/pix", json={"value": str(random_amount())}).get_json()
    charge_id = created["payment"]["id"]
    return fast, charge_id, _page(app, charge_id)


def test_the_page_hears_it_at_commit_and_the_relay_never_repeats_it(
    app: Flask, client: FlaskClient
) -> None:
    fast = _fast_path(app)
    created = client.post("/payments/pix", json={"value": str(random_amount())}).get_json()
    page = _page(app, created["payment"]["id"])
    raw = json_bytes({"bank_payment_id": created["payment"]["bank_payment_id"],
                      "value": created["payment"]["value"]})
    client.post("/payments/pix/confirmation", data=raw, headers=signed_headers(raw))
    assert _confirmed(page, created["payment"]["id"]) == 1  # no relay pass was needed
    relay = Relay(app, [publisher.publish])
    assert relay.run_once() == 0  # leased to the fast path until it settles
    assert fast.settle() == 1
    assert relay.run_once() == 0
    assert db.session.scalar(select(OutboxMessage.published_at)) is not None
    assert _confirmed(page, created["payment"]["id"]) == 0


def test_a_crash_before_settling_leaves_the_event_to_the_relay(
    app: Flask, client: FlaskClient
) -> None:
    _fast_path(app)
    payment = _pay(client)
    app.extensions.pop("pixgate.fastpath")  # the process died: its queue is gone
    relay = Relay(app, [publisher.publish])
    assert relay.run_once() == 0  # the lease still holds
    db.session.execute(update(OutboxMessage).values(claimed_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    page = _page(app, payment["id"])
    assert relay.run_once() == 1
    assert _confirmed(page, payment["id"]) == 1
    assert relay.run_once() == 0


def test_deferred_publishers_run_in_the_settler_and_see_the_event(
    app: Flask, client: FlaskClient
) -> None:
    seen: list[tuple[str, int | None]] = []
    fast = _fast_path(app, deferred=[
        lambda _s, batch: seen.extend((m.topic, m.charge_id) for m in batch)])
    first, second = _pay(client), _pay(client)
    assert seen == []
    assert fast.settle() == 2  # one batch: the deferred publisher sees both at once
    assert seen == [("payment.confirmed", first["id"]), ("payment.confirmed", second["id"])]


def test_a_failed_emit_is_retried_by_the_settler(app: Flask, client: FlaskClient) -> None:
    calls: list[str] = []

    def flaky(session, message) -> None:  # type: ignore[no-untyped-def]
        calls.append(message.event_id)
        if len(calls) == 1:
            raise ConnectionError("message queue down")

    fast = FastPath(app, inline=[flaky], deferred=[])
    fast.settle_delay = 0.0
    _pay(client)
    assert fast.settle() == 1
    assert len(calls) == 2 and calls[0] == calls[1]


def test_rolled_back_changes_announce_nothing(app: Flask, client: FlaskClient) -> None:
    fast, charge_id, page = _watched_charge(app, client)
    outbox.add_event(db.session, topic="payment.confirmed", charge_id=charge_id,
                     payload={"id": charge_id})
    db.session.rollback()
    savepoint = db.session.begin_nested()
    outbox.add_event(db.session, topic="payment.removed", charge_id=charge_id,
                     payload={"id": charge_id})
    savepoint.rollback()  # the savepoint only: the outer transaction commits
    db.session.execute(update(Charge).where(Charge.id == charge_id).values(revision=1))
    db.session.commit()
    assert db.session.scalar(select(Charge.revision).where(Charge.id == charge_id)) == 1
    assert not fast.queue
    assert page.get_received() == []
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_an_event_in_a_released_savepoint_goes_out_with_the_outer_commit(
    app: Flask, client: FlaskClient
) -> None:
    fast, charge_id, page = _watched_charge(app, client)
    with db.session.begin_nested():
        outbox.add_event(db.session, topic="payment.removed", charge_id=charge_id,
                         payload={"id": charge_id})
    assert page.get_received() == []  # nothing before the real commit
    db.session.execute(update(Charge).where(Charge.id == charge_id).values(revision=1))
    db.session.commit()
    assert [r["name"] for r in page.get_received()].count(f"payment-removed-{charge_id}") == 1
    assert fast.settle() == 1


def test_an_event_written_in_a_core_block_goes_out_once_at_its_commit(
    app: Flask, client: FlaskClient
) -> None:
    fast, charge_id, page = _watched_charge(app, client)
    with core.write(db.session) as connection:
        outbox.add_event(connection, topic="payment.removed", charge_id=charge_id,
                         payload={"id": charge_id})
        assert page.get_received() == []  # nothing before the commit
    assert [r["name"] for r in page.get_received()].count(f"payment-removed-{charge_id}") == 1
    assert fast.settle() == 1


def test_a_core_block_that_rolls_back_announces_nothing(app: Flask, client: FlaskClient) -> None:
    fast, charge_id, page = _watched_charge(app, client)
    with pytest.raises(LookupError), core.write(db.session) as connection:
        outbox.add_event(connection, topic="payment.removed", charge_id=charge_id,
                         payload={"id": charge_id})
        raise LookupError("the transition failed after its outbox row")
    with core.write(db.session) as connection:  # a later commit on a pooled connection
        connection.execute(update(Charge).where(Charge.id == charge_id).values(revision=1))
    assert not fast.queue and page.get_received() == []
    assert db.session.scalar(select(OutboxMessage.id)) is None
