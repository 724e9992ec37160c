"""Every revision of a cob stays readable, as the standard asks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pixgate.charges.bcb import cob_fields
from pixgate.charges.errors import InvalidInput
from pixgate.charges.models import Charge, ChargeRevision


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
