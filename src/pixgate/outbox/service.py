"""Write outbox rows inside the caller's transaction; claim and settle them from the relay."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from pixgate.db.types import utcnow
from pixgate.outbox.models import OutboxMessage

LEASE = timedelta(seconds=10)  # publishing takes milliseconds; a crashed relay's rows wait this


def add_event(
    session: Session, *, topic: str, payload: dict[str, Any], charge_id: int | None = None
) -> OutboxMessage:
    """Queue an event in the open transaction; it exists only if the change commits."""
    message = OutboxMessage(
        event_id=str(uuid.uuid4()), topic=topic, charge_id=charge_id, payload=payload
    )
    session.add(message)
    return message


def claim_pending(session: Session, *, limit: int = 100) -> list[OutboxMessage]:
    """Lease unpublished rows: one leased by another relay is skipped, an expired lease retaken."""
    now = utcnow()
    candidates: Sequence[int] = session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.published_at.is_(None))
        .where(or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # relays in other processes take other rows
    ).all()
    claimed: list[int] = []
    for message_id in candidates:
        result = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .where(OutboxMessage.published_at.is_(None))
            .where(or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
            .values(claimed_until=now + LEASE, attempts=OutboxMessage.attempts + 1)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(message_id)
    session.commit()
    if not claimed:
        return []
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
        )
    )


def mark_published(session: Session, *, message_ids: Sequence[int]) -> None:
    """Settle delivered rows so no relay publishes them again."""
    if not message_ids:
        return
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(list(message_ids)))
        .values(published_at=utcnow(), claimed_until=None)
    )
    session.commit()


def pending_count(session: Session) -> int:
    """Backlog size, for readiness and metrics."""
    from sqlalchemy import func

    return int(
        session.scalar(
            select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.published_at.is_(None)
            )
        )
        or 0
    )
