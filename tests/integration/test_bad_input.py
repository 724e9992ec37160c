"""Every field of every endpoint against wrong types, bounds, encodings and sizes:
a 4xx with a JSON body that says what is wrong, and nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from pixgate.charges.models import Charge, ChargeEvent, ReceivedPix
from pixgate.extensions import db
from pixgate.outbox.models import OutboxMessage
from pixgate.refunds.models import Refund
from pixgate.webhooks.models import WebhookEndpoint
from tests.factories import json_bytes, signed_headers
from tests.integration.helpers import confirm, create_payment

HUGE = "x" * 70_000
WRONG_TYPES = [None, True, [], {}, 1.5e308]


def _rows() -> tuple[int, ...]:
    db.session.rollback()
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (
        Charge, ChargeEvent, ReceivedPix, OutboxMessage, Refund, WebhookEndpoint))


def _expect_4xx(response: Any) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.data[:300])
    body = response.get_json()
    assert isinstance(body, dict) and (body.get("detail") or body.get("error_description"))


LEGACY_CREATE = [
    *({"value": v} for v in WRONG_TYPES), {"value": "1e3"}, {"value": -5}, {"value": 0},
    {"value": "12.345"}, {"value": 10**12}, {"value": 1, "description": 5},
    {"value": 1, "description": "d" * 141}, {"value": 1, "return_url": "javascript:alert(1)"},
    {"value": 1, "return_url": 7}, {"value": 1, "return_url": "/relative"},
]


@pytest.mark.parametrize("body", LEGACY_CREATE)
def test_legacy_create(client: FlaskClient, body: dict) -> None:
    before = _rows()
    _expect_4xx(client.post("/payments/pix", json=body))
    assert _rows() == before


@pytest.mark.parametrize("key", ["", "k" * 256, "tab\tkey"])
def test_idempotency_key_header(client: FlaskClient, key: str) -> None:
    before = _rows()
    _expect_4xx(client.post("/payments/pix", json={"value": 1}, headers={"Idempotency-Key": key}))
    assert _rows() == before


CONFIRMATIONS = [
    {"bank_payment_id": None, "value": 1}, {"bank_payment_id": [], "value": 1},
    {"bank_payment_id": "", "value": 1}, {"bank_payment_id": "é" * 10, "value": 1},
    {"bank_payment_id": "{txid}", "value": None}, {"bank_payment_id": "{txid}", "value": "abc"},
    {"bank_payment_id": "{txid}", "value": True}, {"bank_payment_id": "{txid}", "value": -1},
    {"bank_payment_id": "{txid}", "value": "0.001"}, {"bank_payment_id": "{txid}"},
]


@pytest.mark.parametrize("template", CONFIRMATIONS)
def test_legacy_confirmation(client: FlaskClient, template: dict) -> None:
    payment = create_payment(client)
    body = {k: (v.replace("{txid}", payment["bank_payment_id"]) if isinstance(v, str) else v)
            for k, v in template.items()}
    before = _rows()
    raw = json_bytes(body)
    _expect_4xx(client.post("/payments/pix/confirmation", data=raw, headers=signed_headers(raw)))
    assert _rows() == before


PSP_CALLBACKS = [
    {}, {"pix": None}, {"pix": []}, {"pix": "x"}, {"pix": [None]}, {"pix": [{}] * 101},
    {"pix": [{"endToEndId": "short", "txid": "{txid}", "valor": "{valor}"}]},
    {"pix": [{"endToEndId": "E" * 32, "txid": "bad txid!", "valor": "{valor}"}]},
    {"pix": [{"endToEndId": "E" * 32, "txid": "{txid}", "valor": 10}]},
    {"pix": [{"endToEndId": "E" * 32, "txid": "{txid}", "valor": "10"}]},
    {"pix": [{"endToEndId": "E" * 32, "txid": "{txid}", "valor": "0.00"}]},
]  # a well-formed Pix of another amount is not bad input: it is money, kept as unmatched


@pytest.mark.parametrize("template", PSP_CALLBACKS)
def test_psp_callback(client: FlaskClient, template: dict) -> None:
    payment = create_payment(client, "7.00")
    raw = json_bytes(template).replace(b"{txid}", payment["bank_payment_id"].encode()) \
        .replace(b"{valor}", b"7.00")
    before = _rows()
    _expect_4xx(client.post("/webhooks/pix", data=raw, headers=signed_headers(raw)))
    assert _rows() == before


@pytest.mark.parametrize("path", ["/payments/pix", "/payments/pix/confirmation", "/webhooks/pix",
                                  "/v2/cob", "/oauth/token", "/sandbox/pay"])
@pytest.mark.parametrize("raw", [b"", b"null", b"[]", b'"s"', b"{", b"\xff\xfe", b"NaN",
                                 HUGE.encode()])
def test_every_json_endpoint_refuses_non_objects(
    client: FlaskClient, bearer: dict, path: str, raw: bytes
) -> None:
    headers = {**signed_headers(raw), **bearer}
    if path == "/oauth/token":
        headers["Authorization"] = "Basic dTpw"
    before = _rows()
    _expect_4xx(client.post(path, data=raw, headers=headers))
    assert _rows() == before


V2_BODIES = [
    ("put", "/v2/pix/{e2e}/devolucao/d1", {"valor": 1}),
    ("put", "/v2/pix/{e2e}/devolucao/d1", {"valor": "1"}),
    ("put", "/v2/pix/{e2e}/devolucao/d1", {"valor": "0.00"}),
    ("put", "/v2/pix/{e2e}/devolucao/d1", {"valor": "1.00", "descricao": "d" * 141}),
    ("put", "/v2/pix/{e2e}/devolucao/" + "i" * 36, {"valor": "1.00"}),
    ("put", "/v2/pix/{e2e}/devolucao/bad-id", {"valor": "1.00"}),
    ("put", "/v2/webhook/pagamentos@pixgate.example", {"webhookUrl": None}),
    ("put", "/v2/webhook/pagamentos@pixgate.example", {"webhookUrl": "x" * 3000}),
    ("post", "/v2/loc", {"tipoCob": None}),
    ("post", "/v2/loc", {"tipoCob": "cob", "extra": 1}),
    ("post", "/sandbox/pay", {"pixCopiaECola": "0" * 600}),
    ("post", "/sandbox/pay", {"txid": 5}),
    ("post", "/sandbox/pay", {"txid": "{txid}", "valor": 1}),
    ("post", "/sandbox/pay", {"txid": "{txid}", "pagador": "Ana"}),
    ("post", "/sandbox/pay", {"txid": "{txid}", "valor": "99999.99"}),
    ("post", "/sandbox/pay", {"txid": "{txid}", "valor": "1.00", "forcarValor": "sim"}),
]


@pytest.mark.parametrize(("method", "path", "body"), V2_BODIES)
def test_v2_and_sandbox_bodies(
    client: FlaskClient, bearer: dict, method: str, path: str, body: dict
) -> None:
    payment = create_payment(client, "3.00")
    confirm(client, payment)
    e2e = db.session.scalar(select(ReceivedPix.end_to_end_id))
    raw = json_bytes(body).replace(b"{txid}", payment["bank_payment_id"].encode())
    before = _rows()
    response = getattr(client, method)(path.replace("{e2e}", e2e), data=raw, headers={
        **bearer, "Content-Type": "application/json"})
    _expect_4xx(response)
    assert _rows() == before
