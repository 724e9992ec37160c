"""Read a BR Code as a bank app does (static, or dynamic: fetch and verify the JWS), then pay."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import jwt
from sqlalchemy.orm import Session

from pixgate import brcode
from pixgate.charges import received
from pixgate.charges import service as charges
from pixgate.charges.errors import ChargeError, Conflict, InvalidInput
from pixgate.charges.ids import new_end_to_end_id
from pixgate.charges.money import check_amount, parse_valor
from pixgate.charges.received import Receipt
from pixgate.db.types import utcnow
from pixgate.jws.sign import verify_payload
from pixgate.psp.sandbox import SandboxPsp

Fetch = Callable[[str], tuple[int, str]]  # URL -> (status, body text)


class PaymentRefused(ChargeError):
    """The simulated payer's bank declined; nothing changed."""

    status = 422
    title = "Payment refused"
    code = "refused"


@dataclass(frozen=True)
class Reading:
    """What a bank app shows before the payer presses Pagar."""

    kind: str
    txid: str | None
    amount: Decimal | None
    receiver: str | None
    city: str | None
    key: str | None
    payload: dict[str, Any] | None = None


def read_code(code: str, *, fetch: Fetch, scheme: str) -> Reading:
    """Decode; for a dynamic code fetch its location and verify the JWS with the JWKS."""
    try:
        decoded = brcode.decode(code, lenient=True)
    except brcode.BRCodeError as exc:
        raise InvalidInput("pixCopiaECola", f"{exc.field}: {exc.reason}") from None
    if not decoded.is_dynamic:
        txid = None if decoded.txid in (None, "***") else decoded.txid
        return Reading("static", txid, decoded.amount, decoded.merchant_name,
                       decoded.merchant_city, decoded.pix_key)
    payload = _fetch_payload(f"{scheme}://{decoded.url}", fetch)
    valor = payload.get("valor")
    amount = parse_valor(valor.get("original") if isinstance(valor, dict) else None,
                         field="pixCopiaECola (payload valor.original)")
    return Reading("dynamic", payload.get("txid"), amount, decoded.merchant_name,
                   decoded.merchant_city, payload.get("chave"), payload)


def _fetch_payload(url: str, fetch: Fetch) -> dict[str, Any]:
    status, token = fetch(url)
    if status != 200:
        raise InvalidInput("pixCopiaECola", f"the location answered HTTP {status}")
    try:
        jku = jwt.get_unverified_header(token).get("jku")
        jwks_status, jwks_body = fetch(jku) if isinstance(jku, str) else (0, "")
        if jwks_status != 200:
            raise InvalidInput("pixCopiaECola", "the payload's jku did not serve a JWKS")
        import json

        return verify_payload(token, json.loads(jwks_body))
    except (jwt.PyJWTError, ValueError, KeyError) as exc:
        raise InvalidInput("pixCopiaECola", f"the payload signature is invalid: {exc}") from None


def pay(
    session: Session, *, reading: Reading, amount: Decimal | None, payer: dict[str, Any] | None,
    any_amount: bool = False,
) -> Receipt:
    """Send the Pix the code asks for; it arrives by the same path as any other (a static code
    paid late or twice is money received, kept as unmatched with its reason). `any_amount`
    simulates a payer's bank that sends another amount with the txid (forcarValor)."""
    if reading.txid is None:
        raise InvalidInput("pixCopiaECola", "this code has no txid, so no charge can be matched")
    if reading.payload is not None and reading.payload.get("status") != "ATIVA":
        raise Conflict(f"the cob is {reading.payload.get('status')} and cannot be paid")
    value = amount if amount is not None else reading.amount
    if value is None:
        raise InvalidInput("valor", "the code has no amount: send valor")
    if not any_amount and reading.amount is not None and check_amount(value) != reading.amount:
        raise InvalidInput("valor", f"the code asks for exactly {reading.amount}")
    charge = charges.get_charge_by_txid(session, txid=reading.txid)
    if reading.key is not None and reading.key != charge.pix_key:
        raise InvalidInput("pixCopiaECola", "the code's Pix key is not the charge's receiver")
    refusal = SandboxPsp.payment_refusal(payer)
    if refusal:
        raise PaymentRefused(refusal)
    return received.receive(
        session, txid=reading.txid, amount=value, source="sandbox",
        end_to_end_id=new_end_to_end_id(utcnow()), payer={"pagador": payer} if payer else None,
    )
