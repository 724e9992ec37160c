"""Every revision of a cob stays readable, as the standard asks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pixgate.charges import events
from pixgate.charges.bcb import cob_fields
from pixgate.charges.errors import Conflict, InvalidInput
from pixgate.charges.models import ACTIVE, EXPIRED, Charge, ChargeRevision
from pixgate.db.types import utcnow


def snapshot(session: Session, charge: Charge) -> None:
    """Store the charge's fields at its current revision (in the caller's transaction)."""
    session.add(ChargeRevision(charge_id=charge.id, revision=charge.revision,
                               snapshot=cob_fields(charge)))


def at_revision(session: Session, charge: Charge, revision: int) -> dict[str, Any]:
    """The cob's fields as they were at `revision`."""
    row = session.scalar(select(ChargeRevision).where(
        ChargeRevision.charge_id == charge.id, ChargeRevision.revision == revision))
    if row is None:
        raise InvalidInput("revisao", f"cob {charge.txid} has no revision {revision}")
    return row.snapshot


def commit_revision(
    session: Session, charge: Charge, values: dict[str, Any], *, label: str, source: str,
    new_revision: bool = True,
) -> Charge:
    """Write a cob's or cobv's change by conditional UPDATE on the revision it was read at,
    so two revisions never interleave; a new revision is snapshotted with its event."""
    if new_revision:
        values["revision"] = charge.revision + 1
    if "expires_at" in values:
        values["status"] = ACTIVE if values["expires_at"] > utcnow() else EXPIRED
    try:
        moved = session.execute(
            update(Charge)
            .where(Charge.id == charge.id, Charge.revision == charge.revision,
                   Charge.status.in_((ACTIVE, EXPIRED)))
            .values(**values).execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
    except IntegrityError:
        session.rollback()  # only location_id is unique: another charge linked it first
        raise Conflict(f"location {values.get('location_id')} is already linked to a charge",
                       field="loc.id") from None
    if moved != 1:
        session.rollback()
        raise Conflict(f"{label} {charge.txid} changed while revising; read it and retry",
                       field="revisao")
    session.refresh(charge)
    if new_revision:
        snapshot(session, charge)
        events.transition(session, charge, kind="revised", topic="payment.revised",
                          source=source, data={"revisao": charge.revision})
    session.commit()
    return charge
