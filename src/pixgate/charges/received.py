"""Every Pix that reaches the account is stored once by endToEndId, whether it pays a charge or not.

Every arrival path (seed confirmation, `/webhooks/pix`, the sandbox, PSP webhooks, the poller)
calls `receive`: a Pix that settles its charge goes through `confirm_payment`; one that cannot
is committed as `unmatched` with its reason before the caller hears why, so money that reached
the merchant's account is never only an error answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pixgate.charges import events, settlement
from pixgate.charges.errors import ChargeError, Conflict, InvalidInput, NotFound, PixOnRecord
from pixgate.charges.ids import new_end_to_end_id
from pixgate.charges.models import (
    ALREADY_PAID,
    AMOUNT_DIFFERS,
    CHARGE_EXPIRED,
    CHARGE_REMOVED,
    EXPIRED,
    MATCHED,
    NO_TXID,
    PAID,
    REMOVED,
    UNKNOWN_TXID,
    UNMATCHED,
    Charge,
    ReceivedPix,
)
from pixgate.charges.money import check_amount, decimal_to_cents
from pixgate.charges.payment import confirm_payment, find_pix, payer_document_of
from pixgate.charges.snapshot import pix_state
from pixgate.db.types import utcnow
from pixgate.outbox import service as outbox

UNMATCHED_TOPIC = "pix.unmatched"
RACE_RETRIES = 3
REASON_TEXT = {
    AMOUNT_DIFFERS: "the amount differs from the charge's",
    CHARGE_EXPIRED: "the charge had expired",
    CHARGE_REMOVED: "the charge had been removed",
    ALREADY_PAID: "the charge was already paid by another Pix",
    UNKNOWN_TXID: "no charge has this txid",
    NO_TXID: "the Pix carries no txid",
}


@dataclass(frozen=True)
class Receipt:
    """What receiving did: `stored` is False for a Pix already on record; `error` is the answer
    the seed route and `/webhooks/pix` keep giving when it settled no charge."""

    pix: ReceivedPix
    charge: Charge | None
    stored: bool
    applied: bool
    error: ChargeError | None = None

    @property
    def matched(self) -> bool:
        """True when the Pix paid its charge."""
        return self.pix.match_status == MATCHED


def receive(
    session: Session,
    *,
    txid: str | None,
    amount: Decimal,
    source: str,
    end_to_end_id: str | None = None,
    payer: dict[str, Any] | None = None,
    paid_at: datetime | None = None,
    on: date | None = None,
) -> Receipt:
    """Store a Pix exactly once: credited to its charge, or kept as unmatched with a reason.

    `on` is the Brasília day the Pix counts as arriving (the sandbox's date; default today)."""
    amount = check_amount(amount)
    # A Pix already on record is found when storing it collides on its endToEndId (here, in
    # confirm_payment or in _unmatched), not by a SELECT before every arrival.
    for _ in range(RACE_RETRIES):
        if txid is None:
            return _unmatched(session, NO_TXID, None, txid=txid, amount=amount, source=source,
                              end_to_end_id=end_to_end_id, payer=payer, paid_at=paid_at)
        try:
            done = confirm_payment(session, txid=txid, amount=amount, source=source,
                                   end_to_end_id=end_to_end_id, payer=payer, paid_at=paid_at,
                                   on=on)
        except PixOnRecord as exc:
            return _repeat(session, exc.pix)
        except ChargeError as exc:
            session.rollback()
            charge = session.scalar(select(Charge).where(Charge.txid == txid))
            reason = _reason(charge, amount, paid_at, on)
            if reason is None:
                continue  # the charge changed under us and is payable again: try once more
            return _unmatched(session, reason, charge, txid=txid, amount=amount, source=source,
                              end_to_end_id=end_to_end_id, payer=payer, paid_at=paid_at,
                              error=exc)
        assert done.pix is not None
        return Receipt(pix=done.pix, charge=done.charge, stored=done.applied,
                       applied=done.applied)
    raise Conflict(f"charge {txid} kept changing while a Pix was credited; retry")


find = find_pix  # the one lookup by endToEndId, beside the payment

def _reason(
    charge: Charge | None, amount: Decimal, paid_at: datetime | None, on: date | None = None
) -> str | None:
    if charge is None:
        return UNKNOWN_TXID
    if charge.status == PAID:
        return ALREADY_PAID
    if charge.status == REMOVED:
        return CHARGE_REMOVED
    if charge.effective_status(paid_at) == EXPIRED:
        return CHARGE_EXPIRED
    # One amount rule for every kind (fixed, payer-chosen, a cobv's amount due that day).
    if settlement.refusal(charge, amount, on or paid_at or utcnow()) is not None:
        return AMOUNT_DIFFERS
    return None


def error_for(reason: str, txid: str | None) -> ChargeError:
    """The answer the seed route and `/webhooks/pix` give for a Pix that settled nothing."""
    text = f"{REASON_TEXT[reason]}; the Pix is on record as unmatched"
    if reason == AMOUNT_DIFFERS:
        return InvalidInput("value", text)
    if reason == UNKNOWN_TXID:
        return NotFound(f"no payment has bank_payment_id {txid!r}; the Pix is on record")
    if reason == NO_TXID:
        return InvalidInput("txid", text)
    return Conflict(text, field="status")


def _repeat(session: Session, known: ReceivedPix) -> Receipt:
    charge = session.get(Charge, known.charge_id) if known.charge_id is not None else None
    error = error_for(known.reason, known.txid) if known.reason else None
    return Receipt(pix=known, charge=charge, stored=False, applied=False, error=error)


def _unmatched(
    session: Session, reason: str, charge: Charge | None, *, txid: str | None, amount: Decimal,
    source: str, end_to_end_id: str | None, payer: dict[str, Any] | None,
    paid_at: datetime | None, error: ChargeError | None = None,
) -> Receipt:
    now = utcnow()
    pix = ReceivedPix(
        end_to_end_id=end_to_end_id or new_end_to_end_id(now), charge_id=None, txid=txid,
        match_status=UNMATCHED, reason=reason, amount_cents=decimal_to_cents(amount),
        payer=payer, payer_document=payer_document_of(payer), source=source,
        received_at=min(paid_at, now) if paid_at else now,
    )
    session.add(pix)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # stored meanwhile by another arrival path: that record stands
        known = find_pix(session, pix.end_to_end_id)
        assert known is not None
        return _repeat(session, known)
    payload = {"pix": pix_state(pix), "motivo": reason, "detail": REASON_TEXT[reason]}
    if charge is not None:
        payload["chave"] = charge.pix_key
        events.record(session, charge, kind="pix_unmatched", source=source,
                      data={"endToEndId": pix.end_to_end_id, "amount": str(amount),
                            "reason": reason})
    outbox.add_event(session, topic=UNMATCHED_TOPIC, payload=payload,
                     charge_id=charge.id if charge is not None else None)
    session.commit()
    return Receipt(pix=pix, charge=charge, stored=True, applied=False,
                   error=error or error_for(reason, txid))
