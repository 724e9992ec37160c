"""Paying a charge: the one transaction that credits a Pix to it, exactly once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from pixgate.charges import events, settlement
from pixgate.charges.errors import Conflict, InvalidInput, PixOnRecord
from pixgate.charges.ids import new_end_to_end_id
from pixgate.charges.models import ACTIVE, MATCHED, PAID, Charge, ReceivedPix
from pixgate.charges.money import check_amount, decimal_to_cents
from pixgate.charges.service import get_charge_by_txid, no_payment
from pixgate.db import core
from pixgate.db.types import utcnow


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation did: `applied` is False for a harmless repeat."""

    charge: Charge
    pix: ReceivedPix | None
    applied: bool


_charges = Charge.__table__.c
# What a payment reads of its charge: the rules (status, expiry, amount, kind, a cobv's
# terms), the UPDATE's guard (revision), the event's payload and the seed route's answer. The
# other columns stay unloaded on the answer's instance. perf (issue 13): PyMySQL spends ~60
# Python calls describing each column of a result; all 28 were ~40 % of a confirmation's calls.
PAYMENT_COLUMNS = ("id", "txid", "amount_cents", "status", "brcode", "return_url",
                   "created_at", "expires_at", "paid_at", "revision", "kind",
                   "amount_editable", "due_date", "validity_days", "terms")
_PAYABLE_BY_TXID = (select(*(_charges[name] for name in PAYMENT_COLUMNS))
                    .where(_charges.txid == bindparam("txid")))
_INSERT_PIX = ReceivedPix.__table__.insert()
# The one paying UPDATE: exactly the state _check_payable judged (status, expiry, amount,
# revision), so a revision in between makes it lose. Built once, run on the Core connection
# (an ORM-enabled UPDATE rebuilt per call was a tenth of a confirmation's CPU).
_PAY = (
    update(Charge.__table__)
    .where(_charges.id == bindparam("charge_id"), _charges.status == ACTIVE,
           _charges.expires_at > bindparam("not_after"),
           _charges.amount_cents == bindparam("checked_amount_cents"),
           _charges.revision == bindparam("checked_revision"))
    .values(status=PAID, paid_at=bindparam("paid_now"), revision=_charges.revision + 1)
)


def confirm_payment(
    session: Session,
    *,
    txid: str,
    amount: Decimal,
    source: str,
    end_to_end_id: str | None = None,
    payer: dict[str, Any] | None = None,
    paid_at: datetime | None = None,
    on: date | None = None,
    _retries: int = 2,
) -> Confirmation:
    """Credit a Pix to a charge exactly once; repeating an applied one changes nothing.

    `paid_at` is when the PSP says the Pix was made (read back from it, so trusted): a Pix made
    before expiry credits its charge even when the notice arrives after it. `on` is the
    Brasília date the Pix counts as paid (default: that of `paid_at`, or today); a cobv's
    amount depends on it (the sandbox sets it to test early or late payment)."""
    try:
        # perf (issue 13): one Core transaction, no Session bookkeeping; its event goes out
        # when it commits (outbox.add_event's after_commit)
        with core.write(session) as connection:
            paid = _pay(session, connection, txid=txid, amount=amount, source=source,
                        end_to_end_id=end_to_end_id, payer=payer, paid_at=paid_at, on=on)
    except _Lost as lost:
        session.rollback()
        if _retries > 0 and _payable_at(session, txid=txid, amount=amount, now=lost.now, on=on):
            # a revision of something other than the amount won: pay the new revision
            return confirm_payment(session, txid=txid, amount=amount, source=source,
                                   end_to_end_id=end_to_end_id, payer=payer, paid_at=paid_at,
                                   on=on, _retries=_retries - 1)
        return _after_lost_race(session, txid=txid, amount=amount, end_to_end_id=end_to_end_id,
                                on=on)
    except _Collided as collided:
        session.rollback()
        known = find_pix(session, end_to_end_id) if end_to_end_id is not None else None
        if known is not None and known.charge_id != collided.charge_id:
            raise PixOnRecord(known) from None
        return _after_lost_race(session, txid=txid, amount=amount, end_to_end_id=end_to_end_id,
                                on=on)
    if paid.pix is None:  # already paid: nothing was written
        return _repeat_or_conflict(session, paid.charge, amount, end_to_end_id)
    return paid


class _Lost(Exception):
    # The paying UPDATE matched no row: another transaction changed the charge first.
    def __init__(self, now: datetime) -> None:
        self.now = now


class _Collided(Exception):
    # The Pix's endToEndId is on record already (for this charge or not).
    def __init__(self, charge_id: int) -> None:
        self.charge_id = charge_id


def _pay(
    session: Session, connection: Connection, *, txid: str, amount: Decimal, source: str,
    end_to_end_id: str | None, payer: dict[str, Any] | None, paid_at: datetime | None,
    on: date | None,
) -> Confirmation:
    # The one transaction of a payment: read, judge, the paying UPDATE, the Pix, the log.
    row = connection.execute(_PAYABLE_BY_TXID, {"txid": txid}).mappings().first()
    if row is None:
        raise no_payment(txid)
    charge = core.fresh(session, Charge, row)  # perf (issue 13): a Core read, no ORM load
    if charge.status == PAID:
        return Confirmation(charge=charge, pix=None, applied=False)
    now = min(paid_at, utcnow()) if paid_at is not None else utcnow()
    _check_payable(charge, amount, now, on)
    won = connection.execute(_PAY, {
        "charge_id": charge.id, "not_after": now, "checked_amount_cents": charge.amount_cents,
        "checked_revision": charge.revision, "paid_now": now}).rowcount
    if won != 1:
        raise _Lost(now)
    values = {
        "end_to_end_id": end_to_end_id or new_end_to_end_id(now), "charge_id": charge.id,
        "txid": txid, "match_status": MATCHED, "reason": None,
        "amount_cents": decimal_to_cents(amount), "refunded_cents": 0, "payer": payer,
        "payer_document": payer_document_of(payer), "source": source, "received_at": now,
    }
    # The endToEndId is unique: a Pix already on record fails here (IntegrityError), so no
    # SELECT is spent looking for it first on every arrival.
    try:
        values["id"] = connection.execute(
            _INSERT_PIX, {k: v for k, v in values.items() if v is not None}
        ).inserted_primary_key[0]
    except IntegrityError as exc:
        raise _Collided(charge.id) from exc
    pix = core.loaded(ReceivedPix, values)
    # the UPDATE matched that revision, so the row holds exactly these values: no read-back
    for name, value in (("status", PAID), ("paid_at", now), ("revision", charge.revision + 1)):
        set_committed_value(charge, name, value)
    events.record_paid(connection, charge, pix=pix, source=source)
    return Confirmation(charge=charge, pix=pix, applied=True)


def find_pix(session: Session, end_to_end_id: str) -> ReceivedPix | None:
    """The stored Pix with this endToEndId, if any."""
    return session.scalar(select(ReceivedPix).where(ReceivedPix.end_to_end_id == end_to_end_id))


def _check_payable(
    charge: Charge, amount: Decimal, now: datetime | None = None, on: date | None = None
) -> None:
    if not charge.can_be_paid(now):
        raise Conflict(
            f"payment {charge.id} is {charge.effective_status()} and cannot be paid",
            field="status",
        )
    # The amount rule (fixed, payer-chosen, or a cobv's amount due that day) lives in settlement.
    reason = settlement.refusal(charge, check_amount(amount), on or now or utcnow())
    if reason is not None:
        raise InvalidInput("value", reason)


def _payable_at(
    session: Session, *, txid: str, amount: Decimal, now: datetime, on: date | None = None
) -> bool:
    charge = get_charge_by_txid(session, txid=txid)
    return charge.can_be_paid(now) and settlement.refusal(charge, amount, on or now) is None


def _after_lost_race(
    session: Session, *, txid: str, amount: Decimal, end_to_end_id: str | None,
    on: date | None = None,
) -> Confirmation:
    # Another transaction changed the charge first: judge this request against the new state.
    charge = get_charge_by_txid(session, txid=txid)
    if charge.status == PAID:
        return _repeat_or_conflict(session, charge, amount, end_to_end_id)
    _check_payable(charge, amount, on=on)
    raise Conflict(f"payment {charge.id} changed while confirming; retry", field="status")


def _repeat_or_conflict(
    session: Session, charge: Charge, amount: Decimal, end_to_end_id: str | None
) -> Confirmation:
    # The charge is paid: a repeat of that very payment is harmless, anything else conflicts.
    known = session.scalar(select(ReceivedPix).where(ReceivedPix.charge_id == charge.id))
    same = (
        known is not None
        and known.amount_cents == decimal_to_cents(amount)
        and end_to_end_id in (None, known.end_to_end_id)
    )
    if not same:
        raise Conflict(f"payment {charge.id} was already paid by another Pix", field="status")
    return Confirmation(charge=charge, pix=known, applied=False)


def payer_document_of(payer: dict[str, Any] | None) -> str | None:
    """The payer's CPF or CNPJ from a Pix's payer fields, kept in a column to search by."""
    person = (payer or {}).get("pagador")
    if not isinstance(person, dict):
        return None
    document = person.get("cpf") or person.get("cnpj")
    return document if isinstance(document, str) and len(document) <= 14 else None
