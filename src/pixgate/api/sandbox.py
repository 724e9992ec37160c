"""`POST /sandbox/pay`: pay a BR Code or a txid as the sandbox payer (PIXGATE_SANDBOX=1 only)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, jsonify

from pixgate.api.body import json_object
from pixgate.charges import service as charges
from pixgate.charges.errors import InvalidInput
from pixgate.charges.money import parse_valor
from pixgate.charges.snapshot import pix_state
from pixgate.extensions import db
from pixgate.psp import inbound
from pixgate.sandbox import service
from pixgate.sandbox.service import Reading

bp = Blueprint("sandbox_api", __name__)


def _reading(body: dict) -> Reading:
    code, txid = body.get("pixCopiaECola"), body.get("txid")
    if isinstance(code, str) and code:
        fetch = current_app.extensions["pixgate.fetch"]
        scheme = urlsplit(current_app.config["PUBLIC_URL"]).scheme or "https"
        return service.read_code(code, fetch=fetch, scheme=scheme)
    if isinstance(txid, str) and txid:
        charge = charges.get_charge_by_txid(db.session, txid=txid)
        return Reading("txid", txid, charge.amount, charge.merchant_name, charge.merchant_city,
                       None)
    raise InvalidInput("pixCopiaECola", "send pixCopiaECola (a BR Code) or txid")


@bp.post("/sandbox/decode")
def decode() -> Response:
    """What a bank app shows before paying: receiver, amount, txid, static or dynamic."""
    reading = _reading(json_object())
    return jsonify({"tipo": reading.kind, "txid": reading.txid,
                    "valor": str(reading.amount) if reading.amount is not None else None,
                    "recebedor": reading.receiver, "cidade": reading.city, "chave": reading.key})


@bp.post("/sandbox/pay")
def pay() -> tuple[Response, int]:
    """Settle the code through the normal confirmation path; returns the Pix."""
    body = json_object()
    valor, payer = body.get("valor"), body.get("pagador")
    amount = None if valor is None else parse_valor(valor, field="valor")
    if payer is not None and not isinstance(payer, dict):
        raise InvalidInput("pagador", "must be an object such as {\"nome\": ..., \"cpf\": ...}")
    forced = body.get("forcarValor", False)
    if not isinstance(forced, bool):
        raise InvalidInput("forcarValor", "must be true or false")
    receipt = service.pay(db.session, reading=_reading(body), amount=amount, payer=payer,
                          any_amount=forced)
    inbound.after_arrival(db.session, receipt)
    if receipt.error is not None:
        raise receipt.error  # the money moved and is on record, but it paid no charge
    return jsonify(pix_state(receipt.pix)), 201 if receipt.applied else 200
