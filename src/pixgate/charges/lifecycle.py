"""Transitions other than payment: removal by the merchant and expiry by the sweeper."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from pixgate.charges import events
from pixgate.charges.errors import Conflict
from pixgate.charges.models import ACTIVE, EXPIRED, REMOVED, Charge
from pixgate.charges.service import get_charge
from pixgate.db.types import utcnow
from pixgate.psp import upstream
from pixgate.psp.base import Psp


def remove_charge(
    session: Session, *, charge_id: int, source: str, psp: Psp | None = None
) -> Charge:
    """ACTIVE -> REMOVED by the merchant; a paid or expired charge cannot be removed. A charge
    held at the PSP is removed there first, so nobody can pay what pixgate calls removed."""
    charge = get_charge(session, charge_id=charge_id)
    if charge.status == REMOVED:
        return charge
    if charge.psp is not None and charge.status == ACTIVE:
        if psp is None:
            raise Conflict(f"payment {charge.id} is held at PSP {charge.psp}, not configured")
        upstream.remove_cob(psp, charge.txid, kind=charge.kind)
    moved = session.execute(
        update(Charge)
        .where(Charge.id == charge.id, Charge.status == ACTIVE)
        .values(status=REMOVED, revision=Charge.revision + 1)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if moved != 1:
        session.rollback()
        charge = get_charge(session, charge_id=charge_id)
        raise Conflict(f"payment {charge.id} is {charge.status} and cannot be removed")
    session.refresh(charge)
    events.transition(session, charge, kind="removed", topic="payment.removed", source=source,
                      data={})
    session.commit()
    return charge


def expire_due(
    session: Session, *, limit: int = 200, psp_checked: Collection[int] = ()
) -> int:
    """Sweeper: ACTIVE -> EXPIRED past expiry, once per charge even with many sweepers. A charge
    held at a PSP expires only once `GET /cob` said it is unpaid (its id in `psp_checked`)."""
    now = utcnow()
    held_at_psp = Charge.psp.is_not(None)
    if psp_checked:
        held_at_psp = and_(held_at_psp, Charge.id.not_in(list(psp_checked)))
    due = session.scalars(
        select(Charge)
        .where(Charge.status == ACTIVE, Charge.expires_at <= now, ~held_at_psp)
        .order_by(Charge.expires_at)
        .limit(limit)
        .with_for_update(skip_locked=True)  # other sweepers take other rows (no-op on SQLite)
    ).all()
    expired = 0
    for charge in due:
        moved = session.execute(
            update(Charge)
            .where(Charge.id == charge.id, Charge.status == ACTIVE, Charge.expires_at <= now)
            .values(status=EXPIRED, revision=Charge.revision + 1)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if moved != 1:
            continue
        session.refresh(charge)
        events.transition(session, charge, kind="expired", topic="payment.expired",
                          source="sweeper", data={})
        expired += 1
    session.commit()
    return expired
