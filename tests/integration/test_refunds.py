"""Refund rules: within the amount paid, within 90 days, idempotent by id, exactly once."""

from __future__ import annotations

import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from pixgate.charges.errors import Conflict, InvalidInput, NotFound
from pixgate.charges.models import ChargeEvent, ReceivedPix
from pixgate.db.types import utcnow
from pixgate.extensions import db
from pixgate.outbox.models import OutboxMessage
from pixgate.refunds import service
from pixgate.refunds.models import DONE, FAILED, IN_PROGRESS
from pixgate.refunds.service import RefundResult
from tests.integration.helpers import confirm, count, create_payment


def _paid_pix(client: FlaskClient, value: str = "100.00") -> ReceivedPix:
    payment = create_payment(client, value)
    assert confirm(client, payment).status_code == 200
    pix = db.session.query(ReceivedPix).filter_by(txid=payment["bank_payment_id"]).one()
    return pix


def _refund(pix: ReceivedPix, amount: str, refund_id: str | None = None) -> RefundResult:
    return service.request_refund(
        db.session, end_to_end_id=pix.end_to_end_id,
        refund_id=secrets.token_hex(8) if refund_id is None else refund_id,
        amount=Decimal(amount), source="test",
    )


def test_partial_refunds_up_to_the_amount_paid(client: FlaskClient) -> None:
    pix = _paid_pix(client, "100.00")
    first = _refund(pix, "60.00")
    assert first.created and first.refund.status == IN_PROGRESS
    assert service.settle_refund(db.session, refund=first.refund, failure=None, source="test")
    assert first.refund.status == DONE
    _refund(pix, "40.00")
    with pytest.raises(Conflict, match="exceed"):
        _refund(pix, "0.01")
    assert count(ChargeEvent, ChargeEvent.kind == "refunded") == 1
    assert count(OutboxMessage, OutboxMessage.topic == "refund.settled") == 1


def test_a_failed_refund_releases_its_amount(client: FlaskClient) -> None:
    pix = _paid_pix(client, "10.00")
    refund = _refund(pix, "10.00").refund
    assert service.settle_refund(db.session, refund=refund, failure="sandbox", source="test")
    assert refund.status == FAILED
    assert not service.settle_refund(db.session, refund=refund, failure=None, source="test")
    assert _refund(pix, "10.00").created


def test_same_id_is_idempotent_and_another_amount_conflicts(client: FlaskClient) -> None:
    pix = _paid_pix(client)
    first = _refund(pix, "5.00", "devolucao1")
    again = _refund(pix, "5.00", "devolucao1")
    assert not again.created and again.refund.id == first.refund.id
    with pytest.raises(Conflict):
        _refund(pix, "6.00", "devolucao1")


def test_refund_window_is_ninety_days(client: FlaskClient) -> None:
    pix = _paid_pix(client)
    db.session.execute(update(ReceivedPix).where(ReceivedPix.id == pix.id)
                       .values(received_at=utcnow() - timedelta(days=91)))
    db.session.commit()
    with pytest.raises(Conflict, match="90 days"):
        _refund(pix, "1.00")


@pytest.mark.parametrize("refund_id", ["", "has space", "x" * 36, "ção"])
def test_bad_refund_ids(client: FlaskClient, refund_id: str) -> None:
    with pytest.raises(InvalidInput):
        _refund(_paid_pix(client), "1.00", refund_id)


def test_unknown_pix(app: Flask) -> None:
    with pytest.raises(NotFound):
        service.request_refund(db.session, end_to_end_id="E" + "0" * 31, refund_id="a",
                               amount=Decimal(1), source="test")


def test_concurrent_refunds_never_exceed_the_amount(app: Flask, client: FlaskClient) -> None:
    pix = _paid_pix(client, "10.00")
    e2e, barrier = pix.end_to_end_id, threading.Barrier(20)

    def attempt(n: int) -> bool:
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                return service.request_refund(
                    db.session, end_to_end_id=e2e, refund_id=f"r{n}", amount=Decimal("1.00"),
                    source="test").created
            except Conflict:
                return False
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(attempt, range(20)))
    assert results.count(True) == 10
    db.session.rollback()
    assert db.session.get(ReceivedPix, pix.id).refunded_cents == 1000
