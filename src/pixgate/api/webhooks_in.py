"""The bank/PSP callback receiver: BCB's `{"pix": [...]}` body, signed, one Pix at a time."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, jsonify

from pixgate.api.auth import require_signature
from pixgate.api.body import json_object
from pixgate.charges import received
from pixgate.charges.errors import InvalidInput
from pixgate.charges.money import parse_valor
from pixgate.extensions import db
from pixgate.psp import inbound

bp = Blueprint("webhooks_in", __name__)

E2E_ID = re.compile(r"[a-zA-Z0-9]{32}")
TXID = re.compile(r"[a-zA-Z0-9]{1,35}")
MAX_ITEMS = 100


def _parse_item(index: int, item: Any) -> dict[str, Any]:
    where = f"pix[{index}]"
    if not isinstance(item, dict):
        raise InvalidInput(where, "must be an object with endToEndId, txid, valor and horario")
    e2e, txid, valor = item.get("endToEndId"), item.get("txid"), item.get("valor")
    if not isinstance(e2e, str) or not E2E_ID.fullmatch(e2e):
        raise InvalidInput(f"{where}.endToEndId", "must be 32 characters of [a-zA-Z0-9]")
    if not isinstance(txid, str) or not TXID.fullmatch(txid):
        raise InvalidInput(f"{where}.txid", "must be 1 to 35 characters of [a-zA-Z0-9]")
    payer = {k: v for k, v in item.items() if k in ("pagador", "infoPagador") and v}
    amount = parse_valor(valor, field=f"{where}.valor")
    return {"e2e": e2e, "txid": txid, "amount": amount, "payer": payer or None}


@bp.post("/webhooks/pix")
def receive_pix() -> tuple[Response, int]:
    """Apply each Pix in the callback exactly once; repeats answer 200 and change nothing."""
    require_signature()
    body = json_object()
    items = body.get("pix")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
        raise InvalidInput("pix", f"must be a list of 1 to {MAX_ITEMS} Pix objects")
    parsed = [_parse_item(i, item) for i, item in enumerate(items)]
    results: list[dict[str, Any]] = []
    worst = 200
    for item in parsed:
        receipt = received.receive(
            db.session, txid=item["txid"], amount=item["amount"], source="webhook",
            end_to_end_id=item["e2e"], payer=item["payer"],
        )
        inbound.after_arrival(db.session, receipt)
        exc = receipt.error
        if exc is not None:  # the answer stands; the Pix itself is on record as unmatched
            if len(parsed) == 1:
                raise exc  # a single Pix gets the plain problem+json answer
            worst = exc.status if worst == 200 else worst
            results.append({"endToEndId": item["e2e"], "status": exc.status,
                            "detail": exc.detail})
            continue
        results.append({"endToEndId": item["e2e"], "status": 200,
                        "result": "applied" if receipt.applied else "duplicate"})
    return jsonify({"results": results}), worst
