"""The seed's API, kept compatible: `/payments/pix` create and confirm (now signed)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, jsonify, request

from pixgate.api.auth import require_api_token, require_signature
from pixgate.api.body import json_object
from pixgate.charges import received, service
from pixgate.charges.errors import InvalidInput
from pixgate.charges.models import PAID, Charge
from pixgate.charges.money import parse_amount
from pixgate.extensions import db
from pixgate.idempotency.service import Idempotency
from pixgate.psp import inbound, registry

bp = Blueprint("legacy", __name__, url_prefix="/payments/pix")
TXID = re.compile(r"[a-zA-Z0-9]{1,35}")


def payment_json(charge: Charge) -> dict[str, Any]:
    """The seed's payment shape, with exact amounts, ISO-8601 dates and the BR Code added."""
    status = charge.effective_status()
    return {
        "id": charge.id,
        "value": charge.amount,
        "paid": status == PAID,
        "bank_payment_id": charge.txid,
        "qr_code": charge.txid,
        "expiration_date": charge.expires_at.isoformat(),
        "status": status,
        "brcode": charge.brcode,
        "created_at": charge.created_at.isoformat(),
        "paid_at": charge.paid_at.isoformat() if charge.paid_at else None,
        "payment_url": current_app.config["PUBLIC_URL"].rstrip("/") + f"/pay/{charge.txid}",
        "return_url": charge.return_url,
    }


@bp.post("")
def create_payment() -> Response:
    """Create a payment for `value`; answers with the seed's message and payment object."""
    require_api_token()
    body = json_object()
    if "value" not in body:
        raise InvalidInput("value", "is required, e.g. {\"value\": 100.00}")
    created = service.create_charge(
        db.session,
        amount=parse_amount(body["value"]),
        description=_optional_text(body, "description", 140),
        return_url=_return_url(body),
        receiver=current_app.extensions["pixgate.receiver"],
        ttl_seconds=current_app.config["PAYMENT_TTL_SECONDS"],
        source="legacy",
        idempotency=Idempotency.of(
            scope="legacy", key=request.headers.get("Idempotency-Key"), body=request.get_data()
        ),
        psp=registry.charge_psp(),
    )
    response = jsonify(
        {"message": "The payment has been created.", "payment": payment_json(created.charge)}
    )
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def _optional_text(body: dict[str, Any], name: str, limit: int) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidInput(name, f"must be a string of at most {limit} characters")
    return value


def _return_url(body: dict[str, Any]) -> str | None:
    value = _optional_text(body, "return_url", 2048)
    if value is not None and urlsplit(value).scheme not in ("http", "https"):
        raise InvalidInput("return_url", "must be an absolute http(s) URL")
    return value


@bp.post("/confirmation")
def confirm_payment() -> Response:
    """Confirm a payment by its `bank_payment_id` and exact `value` (signed request)."""
    require_signature()
    body = json_object()
    txid = body.get("bank_payment_id")
    if not isinstance(txid, str) or not TXID.fullmatch(txid):
        raise InvalidInput("bank_payment_id",
                           "is required: the payment's bank_payment_id (1 to 35 of [a-zA-Z0-9])")
    if "value" not in body:
        raise InvalidInput("value", "is required and must equal the payment amount")
    receipt = received.receive(
        db.session, txid=txid, amount=parse_amount(body["value"]), source="legacy"
    )
    inbound.after_arrival(db.session, receipt)
    if receipt.error is not None:
        raise receipt.error  # the seed's answer stands; the Pix is on record as unmatched
    assert receipt.charge is not None
    return jsonify(
        {"message": "The payment has been confirmed.", "payment": payment_json(receipt.charge)}
    )
