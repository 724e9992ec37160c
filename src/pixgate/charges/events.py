"""Event rows (audit) and outbox rows, written together with every transition."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from pixgate.charges.models import Charge, ChargeEvent, ReceivedPix
from pixgate.charges.snapshot import charge_state, pix_state
from pixgate.db import core
from pixgate.db.core import Writer
from pixgate.db.types import utcnow
from pixgate.outbox import service as outbox

if TYPE_CHECKING:
    from pixgate.refunds.models import Refund


INSERT = ChargeEvent.__table__.insert()  # built once: building it per call costs CPU


def record(
    session: Writer, charge: Charge, *, kind: str, source: str, data: dict[str, Any]
) -> None:
    """Append to the charge's log in the open transaction (a prebuilt INSERT, written at once:
    the log is never read back in the transaction that writes it)."""
    core.connection_for(session).execute(INSERT, {
        "charge_id": charge.id, "kind": kind, "source": source, "data": data,
        "created_at": utcnow()})


def transition(
    session: Writer,
    charge: Charge,
    *,
    kind: str,
    topic: str,
    source: str,
    data: dict[str, Any],
    payload: dict[str, Any] | None = None,
) -> None:
    """A state change's log row and its outbox announcement, in the caller's transaction."""
    record(session, charge, kind=kind, source=source, data=data)
    outbox.add_event(
        session, topic=topic, charge_id=charge.id, payload=payload or charge_state(charge)
    )


def record_paid(session: Writer, charge: Charge, *, pix: ReceivedPix, source: str) -> None:
    """ACTIVE -> PAID: carries the Pix so webhooks can send BCB's callback body."""
    transition(
        session, charge, kind="paid", topic="payment.confirmed", source=source,
        data={"endToEndId": pix.end_to_end_id, "amount": str(pix.amount)},
        payload={**charge_state(charge), "pix": pix_state(pix)},
    )


def record_refund_settled(
    session: Session, charge: Charge, *, pix: ReceivedPix, refund: Refund, source: str
) -> None:
    """A refund reached DEVOLVIDO or NAO_REALIZADO."""
    kind = "refunded" if refund.status == "DEVOLVIDO" else "refund_failed"
    transition(
        session, charge, kind=kind, topic="refund.settled", source=source,
        data={"id": refund.refund_id, "rtrId": refund.rtr_id, "status": refund.status,
              "amount": str(refund.amount)},
        payload={**charge_state(charge), "pix": pix_state(pix, refunds=[refund])},
    )
