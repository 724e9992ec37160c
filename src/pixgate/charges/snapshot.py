"""The small views of charges and Pix that pages, events and webhooks carry."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pixgate.charges.models import PAID, Charge, ReceivedPix

if TYPE_CHECKING:
    from pixgate.refunds.models import Refund


def charge_state(charge: Charge, now: datetime | None = None) -> dict[str, Any]:
    """The state pushed to subscribed pages: small, and enough to render any view."""
    status = charge.effective_status(now)
    return {
        "id": charge.id,
        "txid": charge.txid,
        "status": status,
        "paid": status == PAID,
        "value": str(charge.amount),
        "expiration_date": charge.expires_at.isoformat(),
        "paid_at": charge.paid_at.isoformat() if charge.paid_at else None,
        "revision": charge.revision,
    }


def pix_state(pix: ReceivedPix, refunds: Iterable[Refund] = ()) -> dict[str, Any]:
    """A received Pix in BCB's shape (`endToEndId`, `txid`, `valor`, `horario`, ...)."""
    body: dict[str, Any] = {"endToEndId": pix.end_to_end_id}
    if pix.txid is not None:  # a Pix to a static code without txid has none
        body["txid"] = pix.txid
    body.update(valor=str(pix.amount), horario=pix.received_at.isoformat())
    if pix.payer and pix.payer.get("infoPagador"):
        body["infoPagador"] = pix.payer["infoPagador"]
    items = [
        {
            "id": r.refund_id,
            "rtrId": r.rtr_id,
            "valor": str(r.amount),
            "natureza": r.nature,
            "horario": {"solicitacao": r.requested_at.isoformat(),
                        **({"liquidacao": r.settled_at.isoformat()} if r.settled_at else {})},
            "status": r.status,
            **({"motivo": r.failure} if r.failure else {}),
        }
        for r in refunds
    ]
    if items:
        body["devolucoes"] = items
    return body
