"""The dashboard over the test client, on every backend: sign-in, CSRF, filters, totals, actions."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from pixgate.charges import lifecycle
from pixgate.charges.models import Charge
from pixgate.db.types import utcnow
from pixgate.extensions import db
from pixgate.refunds.models import Refund
from pixgate.web.i18n import format_brl
from pixgate.webhooks.models import DEAD, DELIVERED, PENDING, WebhookDelivery
from tests.factories import random_amount
from tests.integration.helpers import confirm, count, create_payment

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def signed_in(app: Flask, client: FlaskClient) -> str:
    """Enable the dashboard, sign in, return the CSRF token of the session."""
    app.config["DASHBOARD_PASSWORD"] = password = secrets.token_urlsafe()
    token = TOKEN.search(client.get("/dashboard/login").get_data(as_text=True)).group(1)
    response = client.post("/dashboard/login", data={"csrf_token": token, "password": password})
    assert response.status_code == 302
    return TOKEN.search(client.get("/dashboard").get_data(as_text=True)).group(1)


def test_disabled_dashboard_answers_404_saying_how_to_enable(client: FlaskClient) -> None:
    response = client.get("/dashboard")
    assert response.status_code == 404 and "PIXGATE_DASHBOARD_PASSWORD" in response.get_data(
        as_text=True)


def test_sign_in_needs_the_password_and_a_csrf_token(app: Flask, client: FlaskClient) -> None:
    app.config["DASHBOARD_PASSWORD"] = password = secrets.token_urlsafe()
    assert client.get("/dashboard/webhooks").headers["Location"].startswith("/dashboard/login")
    assert client.get("/dashboard/states?ids=1").status_code == 401
    token = TOKEN.search(client.get("/dashboard/login").get_data(as_text=True)).group(1)
    assert client.post("/dashboard/login", data={"password": password}).status_code == 400
    wrong = client.post("/dashboard/login", data={"csrf_token": token, "password": "nope"})
    assert wrong.status_code == 401
    evil = client.post("/dashboard/login?next=https://evil.example/dashboard",
                       data={"csrf_token": token, "password": password})
    assert evil.headers["Location"] == "/dashboard"
    page = client.get("/dashboard")
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]


def _ids(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'data-charge-id="(\d+)"', html)}


def test_filters_by_effective_status_and_brasilia_day(client: FlaskClient, signed_in: str) -> None:
    active, paid, expired, removed, old = (create_payment(client) for _ in range(5))
    confirm(client, paid)
    lifecycle.remove_charge(db.session, charge_id=removed["id"], source="test")
    db.session.execute(update(Charge).where(Charge.id == expired["id"])
                       .values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.execute(update(Charge).where(Charge.id == old["id"])
                       .values(created_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    ids = {s: _ids(client.get(f"/dashboard?status={s}").get_data(as_text=True))
           for s in ("ACTIVE", "PAID", "EXPIRED", "REMOVED")}
    assert ids == {"ACTIVE": {active["id"]}, "PAID": {paid["id"]}, "EXPIRED": {expired["id"]},
                   "REMOVED": {removed["id"]}}
    everything = _ids(client.get("/dashboard?day=").get_data(as_text=True))
    assert old["id"] in everything and old["id"] not in _ids(client.get("/dashboard").get_data(
        as_text=True))
    assert client.get("/dashboard?day=31-12-2026").status_code == 422
    assert client.get("/dashboard?status=PAGA").status_code == 422
    assert client.get("/dashboard?page=-1").status_code == 422
    states = client.get(f"/dashboard/states?ids={paid['id']},{active['id']}").get_json()
    assert states == {str(paid["id"]): "PAID", str(active["id"]): "ACTIVE"}
    assert client.get("/dashboard/states?ids=1;drop").status_code == 422


def test_day_totals_and_a_refund_from_the_charge_page(client: FlaskClient, signed_in: str) -> None:
    amounts = [random_amount(2000, 90_000) for _ in range(3)]
    payments = [create_payment(client, a) for a in amounts]
    for payment in payments[:2]:
        confirm(client, payment)
    html = client.get("/dashboard").get_data(as_text=True)
    received = sum(amounts[:2], Decimal(0))
    assert re.search(r'id="total-paid">2<', html)
    assert f'id="total-received">{format_brl(received, "pt-BR")}<' in html
    target = payments[0]
    page = client.get(f"/dashboard/charges/{target['id']}").get_data(as_text=True)
    form = dict(re.findall(r'name="(end_to_end_id|refund_id)" value="([^"]+)"', page))
    body = {"csrf_token": signed_in, "valor": "10,00", **form}
    url = f"/dashboard/charges/{target['id']}/refund"
    for _ in range(2):  # a double submit of one form is one refund
        assert client.post(url, data=body).status_code == 302
    assert count(Refund) == 1 and db.session.scalar(select(Refund.status)) == "DEVOLVIDO"
    assert re.search(r'id="total-refunded">R\$ 10,00<', client.get("/dashboard").get_data(
        as_text=True))
    too_much = {**body, "refund_id": "other1", "valor": str(amounts[0])}
    client.post(f"/dashboard/charges/{target['id']}/refund", data=too_much)
    failing = {**body, "refund_id": "other2", "valor": "1,13"}
    client.post(f"/dashboard/charges/{target['id']}/refund", data=failing)
    statuses = sorted(db.session.scalars(select(Refund.status)))
    assert statuses == ["DEVOLVIDO", "NAO_REALIZADO"]
    shown = client.get(f"/dashboard/charges/{target['id']}").get_data(as_text=True)
    assert "NAO_REALIZADO" in shown
    elsewhere = {**body, "refund_id": "other3"}
    client.post(f"/dashboard/charges/{payments[2]['id']}/refund", data=elsewhere)
    assert count(Refund) == 2  # a Pix can only be refunded from its own charge
    no_csrf = client.post(url, data={**body, "csrf_token": "x"})
    assert no_csrf.status_code == 400


def _delivery(status: str) -> int:
    now = utcnow()
    row = WebhookDelivery(event_id=secrets.token_hex(8), topic="payment.confirmed",
                          url="http://127.0.0.1:9/hook", body="{}", status=status, attempts=3,
                          next_attempt_at=now, give_up_at=now, created_at=now)
    db.session.add(row)
    db.session.commit()
    return row.id


def test_webhook_retry_requeues_failed_deliveries_only(client: FlaskClient, signed_in: str) -> None:
    dead, delivered = _delivery(DEAD), _delivery(DELIVERED)
    html = client.get("/dashboard/webhooks?status=DEAD").get_data(as_text=True)
    assert f"/dashboard/webhooks/{dead}/retry" in html and f"/{delivered}/retry" not in html
    assert client.post(f"/dashboard/webhooks/{dead}/retry",
                       data={"csrf_token": signed_in}).status_code == 302
    db.session.expire_all()
    assert db.session.get(WebhookDelivery, dead).status == PENDING
    client.post(f"/dashboard/webhooks/{delivered}/retry", data={"csrf_token": signed_in})
    db.session.expire_all()
    assert db.session.get(WebhookDelivery, delivered).status == DELIVERED
    assert client.get("/dashboard/webhooks?status=LOST").status_code == 422
