"""No received Pix is dropped: every arrival path stores it once, unmatched ones with a reason."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from pixgate.app import create_app
from pixgate.charges import lifecycle, received
from pixgate.charges.models import (
    ALREADY_PAID,
    AMOUNT_DIFFERS,
    CHARGE_EXPIRED,
    CHARGE_REMOVED,
    MATCHED,
    NO_TXID,
    UNKNOWN_TXID,
    UNMATCHED,
    Charge,
    ReceivedPix,
)
from pixgate.db.types import utcnow
from pixgate.extensions import db
from pixgate.outbox.models import OutboxMessage
from pixgate.psp.settings import PspSettings
from pixgate.refunds.models import DONE, Refund
from tests.factories import make_config, random_amount
from tests.integration.helpers import confirm, count, create_payment, signed_post

PERIOD = {"inicio": "2000-01-01T00:00:00Z", "fim": "2100-01-01T00:00:00Z"}


def _e2e() -> str:
    return "E00000000" + utcnow().strftime("%Y%m%d%H%M") + secrets.token_hex(6)[:11]


def _webhook(client: FlaskClient, txid: str | None, valor: str, e2e: str | None = None):  # type: ignore[no-untyped-def]
    item = {"endToEndId": e2e or _e2e(), "txid": txid, "valor": valor,
            "horario": utcnow().isoformat()}
    return signed_post(client, "/webhooks/pix", {"pix": [item]}), item["endToEndId"]


def _stored(e2e: str) -> ReceivedPix:
    db.session.rollback()
    return db.session.scalars(select(ReceivedPix).where(ReceivedPix.end_to_end_id == e2e)).one()


@pytest.fixture
def auto_refund_app(app: Flask, backend_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The same database with PIXGATE_AUTO_REFUND_UNMATCHED=1 on the in-process sandbox PSP."""
    settings = PspSettings(kind="sandbox", auto_refund_unmatched=True)
    other = create_app(make_config(tmp_path / "auto", DATABASE_URL=backend_url, SANDBOX=True,
                                   PSP=settings))
    with other.app_context():
        yield other
        db.session.remove()
        db.engine.dispose()


def test_each_mismatch_keeps_its_answer_and_is_on_record_with_its_reason(
    client: FlaskClient,
) -> None:
    paid = create_payment(client, "10.00")
    assert confirm(client, paid).status_code == 200
    expired, removed, cheap = (create_payment(client, "10.00") for _ in range(3))
    db.session.execute(update(Charge).where(Charge.id == expired["id"])
                       .values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    lifecycle.remove_charge(db.session, charge_id=removed["id"], source="test")
    cases = [(paid, "10.00", 409, ALREADY_PAID), (expired, "10.00", 409, CHARGE_EXPIRED),
             (removed, "10.00", 409, CHARGE_REMOVED), (cheap, "9.99", 422, AMOUNT_DIFFERS)]
    for payment, valor, status, reason in cases:
        response, e2e = _webhook(client, payment["bank_payment_id"], valor)
        assert response.status_code == status, response.get_json()
        pix = _stored(e2e)
        assert (pix.match_status, pix.reason, pix.charge_id) == (UNMATCHED, reason, None)
        assert pix.txid == payment["bank_payment_id"] and pix.amount == Decimal(valor)
    response, e2e = _webhook(client, "unknownTxid" + secrets.token_hex(5), "3.00")
    assert response.status_code == 404 and _stored(e2e).reason == UNKNOWN_TXID
    assert count(OutboxMessage, OutboxMessage.topic == "pix.unmatched") == 5
    assert count(ReceivedPix, ReceivedPix.match_status == MATCHED) == 1


def test_the_seed_confirmation_records_a_wrong_amount_though_it_answers_422(
    client: FlaskClient,
) -> None:
    payment = create_payment(client, "50.00")
    response = confirm(client, payment, "49.99")
    assert response.status_code == 422, response.get_json()
    pix = db.session.scalars(select(ReceivedPix)).one()
    assert (pix.reason, pix.txid, pix.amount) == (AMOUNT_DIFFERS, payment["bank_payment_id"],
                                                   Decimal("49.99"))
    assert client.get(f"/payments/pix/{payment['id']}/status").get_json()["status"] == "ACTIVE"


def test_a_pix_is_stored_once_by_end_to_end_id_and_a_repeat_keeps_its_answer(
    client: FlaskClient,
) -> None:
    payment = create_payment(client, "8.00")
    first, e2e = _webhook(client, payment["bank_payment_id"], "7.00")
    again, _ = _webhook(client, payment["bank_payment_id"], "7.00", e2e)
    assert first.status_code == again.status_code == 422
    assert count(ReceivedPix) == 1
    assert count(OutboxMessage, OutboxMessage.topic == "pix.unmatched") == 1


def test_a_pix_without_txid_is_kept(app: Flask) -> None:
    amount = random_amount()
    receipt = received.receive(db.session, txid=None, amount=amount, source="test",
                               end_to_end_id=_e2e())
    assert receipt.stored and not receipt.matched and receipt.pix.reason == NO_TXID
    again = received.receive(db.session, txid=None, amount=amount, source="test",
                             end_to_end_id=receipt.pix.end_to_end_id)
    assert not again.stored and count(ReceivedPix) == 1


def test_a_pix_made_before_expiry_credits_its_charge_when_read_back_late(
    client: FlaskClient,
) -> None:
    payment = create_payment(client, "5.00")
    charge = db.session.get(Charge, payment["id"])
    assert charge is not None
    made = utcnow() - timedelta(seconds=30)
    db.session.execute(update(Charge).where(Charge.id == charge.id)
                       .values(created_at=made - timedelta(seconds=60),
                               expires_at=made + timedelta(seconds=10)))
    db.session.commit()
    receipt = received.receive(db.session, txid=charge.txid, amount=Decimal("5.00"),
                               source="test", end_to_end_id=_e2e(), paid_at=made)
    assert receipt.applied and receipt.matched
    late = received.receive(db.session, txid=charge.txid, amount=Decimal("5.00"), source="test",
                            end_to_end_id=_e2e(), paid_at=utcnow())
    assert late.pix.reason == ALREADY_PAID


def test_v2_pix_lists_unmatched_pix_like_every_other(client: FlaskClient, bearer: dict) -> None:
    payment = create_payment(client, "4.00")
    assert confirm(client, payment).status_code == 200
    _, e2e = _webhook(client, payment["bank_payment_id"], "4.00")
    listed = client.get("/v2/pix", query_string=PERIOD, headers=bearer).get_json()["pix"]
    assert {item["endToEndId"] for item in listed} >= {e2e}
    assert len(listed) == 2
    assert client.get(f"/v2/pix/{e2e}", headers=bearer).status_code == 200


def test_auto_refund_returns_each_unmatched_pix_once(auto_refund_app: Flask) -> None:
    client = auto_refund_app.test_client()
    payment = create_payment(client, "30.00")
    response, e2e = _webhook(client, payment["bank_payment_id"], "29.00")
    assert response.status_code == 422
    again, _ = _webhook(client, payment["bank_payment_id"], "29.00", e2e)
    assert again.status_code == 422
    pix = _stored(e2e)
    refunds = db.session.scalars(select(Refund).where(Refund.pix_id == pix.id)).all()
    assert [(r.status, r.amount) for r in refunds] == [(DONE, Decimal("29.00"))]
    assert pix.refunded_cents == 2900
    assert confirm(client, payment).status_code == 200  # the charge itself is still payable
    assert count(Refund) == 1


def test_the_dashboard_shows_unmatched_pix(app: Flask, client: FlaskClient) -> None:
    app.config["DASHBOARD_PASSWORD"] = password = secrets.token_hex(8)
    payment = create_payment(client, "12.00")
    _, e2e = _webhook(client, payment["bank_payment_id"], "11.00")
    form = client.get("/dashboard/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    login = client.post("/dashboard/login", data={"csrf_token": token, "password": password})
    assert login.status_code == 302
    page = client.get("/dashboard/pix").get_data(as_text=True)
    assert e2e in page and "11,00" in page
