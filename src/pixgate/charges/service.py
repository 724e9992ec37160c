"""The charge service: every entry point (legacy API, BCB API, sandbox, CLI) calls these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pixgate import brcode
from pixgate.charges import events
from pixgate.charges.errors import NotFound
from pixgate.charges.ids import MAX_CHARGE_ID, new_charge_id, new_txid
from pixgate.charges.models import ACTIVE, LEGACY, Charge
from pixgate.charges.money import check_amount, decimal_to_cents
from pixgate.charges.receiver import Receiver
from pixgate.db import core
from pixgate.db.types import utcnow
from pixgate.idempotency import service as idempotency_service
from pixgate.idempotency.service import Idempotency
from pixgate.psp import upstream
from pixgate.psp.base import Psp

MAX_ID = MAX_CHARGE_ID  # random BIGINT ids below 2^53; larger ones cannot exist
_INSERT_CHARGE = Charge.__table__.insert()  # perf (issue 13): built once, run on Core
# Every column of a new charge that the INSERT must set and create_charge does not choose.
_NEW_CHARGE_DEFAULTS = {"revision": 0, "kind": LEGACY, "amount_editable": False}


@dataclass(frozen=True)
class Created:
    """A created charge; `replayed` is True when an Idempotency-Key returned an earlier one."""

    charge: Charge
    replayed: bool


def create_charge(
    session: Session,
    *,
    amount: Decimal,
    receiver: Receiver,
    ttl_seconds: int,
    source: str,
    description: str | None = None,
    return_url: str | None = None,
    idempotency: Idempotency | None = None,
    psp: Psp | None = None,
) -> Created:
    """Create an ACTIVE charge: a cob at the merchant's PSP when one holds charges (its dynamic
    code), else a static BR Code on our own key; a retried Idempotency-Key returns the first."""
    amount = check_amount(amount)
    if idempotency is not None:
        previous = idempotency_service.find(session, idempotency)
        if previous is not None:
            return Created(charge=get_charge(session, charge_id=previous), replayed=True)
    if psp is not None:
        txid = new_txid(32)  # a cob's txid (26-35): PUT with our own id makes a retry idempotent
        at_psp = upstream.put_cob(psp, txid, upstream.cob_body(
            amount=amount, key=receiver.pix_key, expiry=ttl_seconds, payer_request=description))
        code, psp_name, psp_location = at_psp.pix_copia_e_cola, psp.name, at_psp.location
    else:
        txid = new_txid()
        code = brcode.encode_static(key=receiver.pix_key, name=receiver.name,
                                    city=receiver.city, amount=amount, txid=txid, reusable=False)
        psp_name = psp_location = None
    now = utcnow()
    row = {
        "id": new_charge_id(), "txid": txid, "amount_cents": decimal_to_cents(amount),
        "status": ACTIVE, "brcode": code, "psp": psp_name, "psp_location": psp_location,
        "pix_key": receiver.pix_key, "merchant_name": receiver.name,
        "merchant_city": receiver.city, "description": description, "return_url": return_url,
        "created_at": now, "expires_at": now + timedelta(seconds=ttl_seconds),
        **_NEW_CHARGE_DEFAULTS,
    }
    try:
        with core.write(session) as connection:  # perf (issue 13): no Session bookkeeping
            # NULL columns are left out: fewer parameters to process on the hottest INSERT
            connection.execute(_INSERT_CHARGE, {k: v for k, v in row.items() if v is not None})
            connection.execute(events.INSERT, {
                "charge_id": row["id"], "kind": "created", "source": source,
                "data": {"amount": str(amount)}, "created_at": now})
            if idempotency is not None:
                idempotency_service.remember(session, idempotency, charge_id=row["id"])
    except IntegrityError:
        if idempotency is None:
            raise
        session.rollback()  # a concurrent first use of the same key won; answer with its charge
        return create_charge(
            session, amount=amount, receiver=receiver, ttl_seconds=ttl_seconds, source=source,
            description=description, return_url=return_url, idempotency=idempotency, psp=psp,
        )
    return Created(charge=core.loaded(Charge, row), replayed=False)


def get_charge(session: Session, *, charge_id: int) -> Charge:
    """Load a charge by its numeric id or raise NotFound."""
    charge = session.get(Charge, charge_id) if 0 < charge_id <= MAX_ID else None
    if charge is None:
        raise NotFound(f"payment {charge_id} does not exist")
    return charge


_BY_TXID = select(Charge).where(Charge.txid == bindparam("txid"))  # perf: built once


def get_charge_by_txid(session: Session, *, txid: str) -> Charge:
    """Load a charge by txid (the legacy `bank_payment_id`) or raise NotFound."""
    charge = session.scalar(_BY_TXID, {"txid": txid})
    if charge is None:
        raise no_payment(txid)
    return charge


def no_payment(txid: str) -> NotFound:
    """The one answer for a txid no charge has."""
    return NotFound(f"no payment has bank_payment_id {txid!r}")
