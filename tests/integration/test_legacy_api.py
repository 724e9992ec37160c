"""The seed's HTTP interface over each real database."""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal

import pytest
import zxingcpp
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select

from pixgate import brcode
from pixgate.charges.models import Charge, ChargeEvent
from pixgate.extensions import db
from tests.factories import json_bytes, random_amount, signed_headers


def confirm(client: FlaskClient, body: dict):  # type: ignore[no-untyped-def]
    raw = json_bytes(body)
    return client.post("/payments/pix/confirmation", data=raw, headers=signed_headers(raw))


def create(client: FlaskClient, value: object) -> dict:
    response = client.post("/payments/pix", json={"value": value})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["payment"]


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_returns_seed_shape_with_exact_value_and_iso_date(client: FlaskClient) -> None:
    response = client.post(
        "/payments/pix", data='{"value": 12345.67}', content_type="application/json"
    )
    body = response.get_json()
    assert response.status_code == 200
    assert body["message"] == "The payment has been created."
    payment = body["payment"]
    assert {"id", "value", "paid", "bank_payment_id", "qr_code", "expiration_date"} <= set(payment)
    assert b'"value": 12345.67' in response.data or b'"value":12345.67' in response.data
    assert payment["paid"] is False
    expires = datetime.fromisoformat(payment["expiration_date"])
    assert expires.utcoffset() is not None
    decoded = brcode.decode(payment["brcode"])
    assert decoded.amount == Decimal("12345.67")
    assert decoded.txid == payment["bank_payment_id"]


def test_each_payment_gets_its_own_txid(client: FlaskClient) -> None:
    txids = {create(client, str(random_amount()))["bank_payment_id"] for _ in range(5)}
    assert len(txids) == 5
    assert all(re.fullmatch(r"[A-Za-z0-9]{1,25}", txid) for txid in txids)


BAD_BODIES = [
    ("missing value", "{}"),
    ("negative", '{"value": -1}'),
    ("zero", '{"value": 0}'),
    ("text", '{"value": "abc"}'),
    ("boolean", '{"value": true}'),
    ("null value", '{"value": null}'),
    ("NaN", '{"value": NaN}'),
    ("Infinity", '{"value": Infinity}'),
    ("huge", '{"value": 1e308}'),
    ("three decimals", '{"value": 10.001}'),
    ("null body", "null"),
    ("array body", "[1, 2]"),
    ("string body", '"100.00"'),
    ("not json", "value=100"),
    ("empty", ""),
    ("bad utf-8", b'{"value": "\xff"}'),
    ("object value", '{"value": {"a": 1}}'),
    ("deep nesting", "[" * 50_000 + "]" * 50_000),
]


@pytest.mark.parametrize(("case", "body"), BAD_BODIES, ids=[c for c, _ in BAD_BODIES])
def test_bad_create_bodies_get_a_json_4xx_and_write_nothing(
    client: FlaskClient, case: str, body: str | bytes
) -> None:
    response = client.post("/payments/pix", data=body, content_type="application/json")
    assert 400 <= response.status_code < 500, (case, response.status_code)
    problem = response.get_json()
    assert problem["detail"] and problem["message"]
    assert count(Charge) == 0


def test_body_over_64_kib_is_413(client: FlaskClient) -> None:
    response = client.post(
        "/payments/pix", data='{"value": 1, "pad": "' + "x" * 70_000 + '"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.get_json()["status"] == 413


def test_confirmation_pays_once_and_repeats_harmlessly(client: FlaskClient) -> None:
    payment = create(client, "150.10")
    body = {"bank_payment_id": payment["bank_payment_id"], "value": 150.10}
    first = confirm(client, body)
    assert first.status_code == 200
    assert first.get_json()["message"] == "The payment has been confirmed."
    again = confirm(client, body)
    assert again.status_code == 200
    paid_events = db.session.scalar(
        select(func.count()).select_from(ChargeEvent).where(ChargeEvent.kind == "paid")
    )
    assert paid_events == 1


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"bank_payment_id": "doesNotExist1234", "value": 10}, 404),
        ({"value": 10}, 422),
        ({"bank_payment_id": 12, "value": 10}, 422),
        ({"bank_payment_id": "x" * 36, "value": 10}, 422),
    ],
)
def test_bad_confirmations(client: FlaskClient, body: dict, status: int) -> None:
    response = confirm(client, body)
    assert response.status_code == status
    assert response.get_json()["detail"]


def test_wrong_amount_is_refused_and_changes_nothing(client: FlaskClient) -> None:
    payment = create(client, "10.00")
    response = confirm(client, {"bank_payment_id": payment["bank_payment_id"], "value": "10.01"})
    assert response.status_code == 422
    assert "10.00" in response.get_json()["detail"]
    assert db.session.get(Charge, payment["id"]).status == "ACTIVE"


def test_payment_page_shows_amount_and_code(client: FlaskClient) -> None:
    payment = create(client, "42.50")
    page = client.get(f"/payments/pix/{payment['id']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "42.50" in html and "<svg" in html
    assert "https://" not in html.split("<body>", 1)[1].replace("http://www.w3.org", "")
    assert client.get("/payments/pix/999999").status_code == 404


def test_qr_png_decodes_to_the_copy_paste_code_and_is_cached(client: FlaskClient) -> None:
    payment = create(client, str(random_amount()))
    response = client.get(f"/payments/pix/qr_code/{payment['qr_code']}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.data)))
    assert [r.text for r in found] == [payment["brcode"]]
    etag = response.headers["ETag"]
    assert "max-age" in response.headers["Cache-Control"]
    cached = client.get(
        f"/payments/pix/qr_code/{payment['qr_code']}", headers={"If-None-Match": etag}
    )
    assert cached.status_code == 304


def test_unknown_routes_answer_json(app: Flask, client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert client.get("/payments/pix").status_code == 405
