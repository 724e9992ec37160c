"""What a merchant can do from the dashboard: refund a Pix, retry a webhook delivery."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from pixgate.charges.errors import Conflict, NotFound
from pixgate.charges.models import Charge
from pixgate.psp import registry
from pixgate.refunds import service as refunds
from pixgate.refunds.models import Refund
from pixgate.webhooks.delivery import replay
from pixgate.webhooks.models import DELIVERED, WebhookDelivery


def refund(
    session: Session, *, charge: Charge, end_to_end_id: str, refund_id: str,
    amount: Decimal,
) -> Refund:
    """Refund part of a Pix of this charge through the one refund path; a resubmit is a no-op."""
    pix = refunds.get_pix(session, end_to_end_id=end_to_end_id)
    if pix.charge_id != charge.id:
        raise NotFound(f"Pix {end_to_end_id} did not pay charge {charge.id}")
    result = refunds.refund(session, psp=registry.get_psp(), end_to_end_id=end_to_end_id,
                            refund_id=refund_id, amount=amount, source="dashboard")
    return result.refund


def retry_delivery(session: Session, *, delivery_id: int) -> None:
    """Queue one delivery again, due now; a delivered one is left alone (Conflict)."""
    status = session.scalar(select(WebhookDelivery.status).where(
        WebhookDelivery.id == delivery_id))
    if status is None:
        raise NotFound(f"webhook delivery {delivery_id} does not exist")
    if status == DELIVERED:
        raise Conflict(f"webhook delivery {delivery_id} was already delivered")
    replay(session, delivery_ids=[delivery_id])
