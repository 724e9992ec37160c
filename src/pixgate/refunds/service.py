"""Refund rules live here so the BCB API, the dashboard and the CLI all get them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pixgate.charges import events
from pixgate.charges.errors import Conflict, InvalidInput, NotFound
from pixgate.charges.ids import new_return_id
from pixgate.charges.models import Charge, ReceivedPix
from pixgate.charges.money import check_amount, decimal_to_cents
from pixgate.charges.snapshot import pix_state
from pixgate.db.types import utcnow
from pixgate.outbox import service as outbox
from pixgate.psp.base import Psp
from pixgate.refunds.models import DONE, FAILED, IN_PROGRESS, Refund

REFUND_WINDOW = timedelta(days=90)
REFUND_ID = re.compile(r"[a-zA-Z0-9]{1,35}")


@dataclass(frozen=True)
class RefundResult:
    """The refund and whether this call created it (False: an idempotent repeat)."""

    refund: Refund
    created: bool


def get_pix(session: Session, *, end_to_end_id: str) -> ReceivedPix:
    """A received Pix by endToEndId, or NotFound."""
    pix = session.scalar(select(ReceivedPix).where(ReceivedPix.end_to_end_id == end_to_end_id))
    if pix is None:
        raise NotFound(f"no Pix with endToEndId {end_to_end_id!r}")
    return pix


def get_refund(session: Session, *, end_to_end_id: str, refund_id: str) -> Refund:
    """A refund by the Pix it returns and the merchant's id, or NotFound."""
    pix = get_pix(session, end_to_end_id=end_to_end_id)
    refund = session.scalar(
        select(Refund).where(Refund.pix_id == pix.id, Refund.refund_id == refund_id)
    )
    if refund is None:
        raise NotFound(f"no refund {refund_id!r} for Pix {end_to_end_id!r}")
    return refund


def request_refund(
    session: Session,
    *,
    end_to_end_id: str,
    refund_id: str,
    amount: Decimal,
    source: str,
    reason: str | None = None,
) -> RefundResult:
    """Reserve the amount against the Pix (never above what was paid) and record the refund."""
    if not REFUND_ID.fullmatch(refund_id or ""):
        raise InvalidInput("id", "must be 1 to 35 characters of [a-zA-Z0-9]")
    amount = check_amount(amount, field="valor")
    pix = get_pix(session, end_to_end_id=end_to_end_id)
    repeat = _repeat(session, pix=pix, refund_id=refund_id, amount=amount)
    if repeat is not None:
        return repeat
    now = utcnow()
    if now - pix.received_at > REFUND_WINDOW:
        raise Conflict("a Pix can only be refunded within 90 days of payment", field="valor")
    cents = decimal_to_cents(amount)
    reserved = session.execute(
        update(ReceivedPix)
        .where(ReceivedPix.id == pix.id, ReceivedPix.refunded_cents + cents <= pix.amount_cents)
        .values(refunded_cents=ReceivedPix.refunded_cents + cents)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if reserved != 1:
        session.rollback()
        return _after_lost_race(session, pix_id=pix.id, refund_id=refund_id, amount=amount)
    refund = Refund(
        pix_id=pix.id, refund_id=refund_id, rtr_id=new_return_id(now), amount_cents=cents,
        status=IN_PROGRESS, reason=reason, requested_at=now,
    )
    session.add(refund)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # the same refund id was requested concurrently and won
        return _after_lost_race(session, pix_id=pix.id, refund_id=refund_id, amount=amount)
    charge = session.get(Charge, pix.charge_id) if pix.charge_id is not None else None
    if charge is not None:  # an unmatched Pix has no charge log; its refund is in its own row
        events.record(session, charge, kind="refund_requested", source=source,
                      data={"id": refund_id, "rtrId": refund.rtr_id, "amount": str(amount)})
    session.commit()
    return RefundResult(refund=refund, created=True)


def refund(
    session: Session, *, psp: Psp | None, end_to_end_id: str, refund_id: str, amount: Decimal,
    source: str, reason: str | None = None,
) -> RefundResult:
    """The one refund path (API, dashboard, CLI, auto-refund): reserve the amount, send the
    devolução to the PSP and follow its answer; never reported done without the PSP."""
    if psp is None:
        raise NoPsp("refunds need a PSP (PIXGATE_PSP): without API access pixgate cannot "
                    "return money, so nothing was recorded")
    result = request_refund(session, end_to_end_id=end_to_end_id, refund_id=refund_id,
                            amount=amount, source=source, reason=reason)
    if result.refund.status == IN_PROGRESS and result.refund.sent_at is None:
        from pixgate.refunds import upstream

        upstream.send(session, psp, result.refund)
    session.refresh(result.refund)
    return result


def _repeat(
    session: Session, *, pix: ReceivedPix, refund_id: str, amount: Decimal
) -> RefundResult | None:
    # The refund id is the client's idempotency key: same amount = same refund.
    existing = session.scalar(
        select(Refund).where(Refund.pix_id == pix.id, Refund.refund_id == refund_id)
    )
    if existing is None:
        return None
    if existing.amount_cents != decimal_to_cents(amount):
        raise Conflict(f"refund {refund_id!r} already exists with another amount", field="id")
    return RefundResult(refund=existing, created=False)


def _after_lost_race(
    session: Session, *, pix_id: int, refund_id: str, amount: Decimal
) -> RefundResult:
    pix = session.get(ReceivedPix, pix_id)
    repeat = None if pix is None else _repeat(session, pix=pix, refund_id=refund_id,
                                               amount=amount)
    if repeat is None:
        raise Conflict("refunds would exceed the amount paid", field="valor")
    return repeat


def settle_refund(
    session: Session, *, refund: Refund, failure: str | None, source: str,
    rtr_id: str | None = None,
) -> bool:
    """Move a refund to DEVOLVIDO (or NAO_REALIZADO, releasing the amount) exactly once."""
    now = utcnow()
    status = FAILED if failure else DONE
    values: dict[str, object] = {"status": status, "settled_at": now,
                                 "failure": failure[:140] if failure else None}
    if rtr_id:
        values["rtr_id"] = rtr_id
    moved = session.execute(
        update(Refund)
        .where(Refund.id == refund.id, Refund.status == IN_PROGRESS)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if moved != 1:
        session.rollback()
        return False
    if failure:
        session.execute(
            update(ReceivedPix)
            .where(ReceivedPix.id == refund.pix_id)
            .values(refunded_cents=ReceivedPix.refunded_cents - refund.amount_cents)
        )
    session.refresh(refund)
    pix = session.get(ReceivedPix, refund.pix_id)
    assert pix is not None
    charge = session.get(Charge, pix.charge_id) if pix.charge_id is not None else None
    if charge is not None:
        events.record_refund_settled(session, charge, pix=pix, refund=refund, source=source)
    else:
        outbox.add_event(session, topic="refund.settled", payload={"pix": pix_state(pix, [refund])})
    session.commit()
    return True


class NoPsp(Conflict):
    """No PSP is configured, so no money can be returned: a refund is refused, never faked."""

    code = "no_psp"
