"""`POST /sandbox/pay`: pay a BR Code or a txid as the sandbox payer (PIXGATE_SANDBOX=1 only)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, jsonify

from pixgate.api.body import json_object
from pixgate.charges import service as charges
from pixgate.charges import settlement
from pixgate.charges.errors import InvalidInput
from pixgate.charges.money import parse_valor
from pixgate.charges.snapshot import pix_state
from pixgate.cobv import calendar
from pixgate.cobv.valor import parse_date
from pixgate.extensions import db
from pixgate.psp import inbound
from pixgate.sandbox import service
from pixgate.sandbox.service import Reading

bp = Blueprint("sandbox_api", __name__)


def _date(body: dict) -> date | None:
    raw = body.get("data")
    if raw is None:
        return None
    day = parse_date(raw)
    if day is None:
        raise InvalidInput("data", "must be a date YYYY-MM-DD (the day the Pix arrives)")
    return service.payment_date(day)


def _reading(body: dict, on: date | None) -> Reading:
    code, txid = body.get("pixCopiaECola"), body.get("txid")
    if isinstance(code, str) and code:
        fetch = current_app.extensions["pixgate.fetch"]
        scheme = urlsplit(current_app.config["PUBLIC_URL"]).scheme or "https"
        return service.read_code(code, fetch=fetch, scheme=scheme, on=on)
    if isinstance(txid, str) and txid:
        charge = charges.get_charge_by_txid(db.session, txid=txid)
        amount = settlement.expected_amount(charge, on or calendar.brasilia_today())
        return Reading("txid", txid, amount or charge.amount, charge.merchant_name,
                       charge.merchant_city, None, editable=amount is None)
    raise InvalidInput("pixCopiaECola", "send pixCopiaECola (a BR Code) or txid")


@bp.post("/sandbox/decode")
def decode() -> Response:
    """What a bank app shows before paying: receiver, amount, txid, static or dynamic."""
    body = json_object()
    reading = _reading(body, _date(body))
    return jsonify({"tipo": reading.kind, "txid": reading.txid,
                    "valor": str(reading.amount) if reading.amount is not None else None,
                    "recebedor": reading.receiver, "cidade": reading.city, "chave": reading.key,
                    "valorAlteravel": reading.editable})


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
    on = _date(body)
    receipt = service.pay(db.session, reading=_reading(body, on), amount=amount, payer=payer,
                          any_amount=forced, on=on)
    inbound.after_arrival(db.session, receipt)
    if receipt.error is not None:
        raise receipt.error  # the money moved and is on record, but it paid no charge
    return jsonify(pix_state(receipt.pix)), 201 if receipt.applied else 200
