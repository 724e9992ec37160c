"""Write outbox rows inside the caller's transaction; claim and settle them from the relay."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from pixgate.db import core
from pixgate.db.types import utcnow
from pixgate.outbox import fastpath
from pixgate.outbox.models import OutboxMessage

LEASE = timedelta(seconds=10)  # publishing takes milliseconds; a crashed relay's rows wait this


INSERT = OutboxMessage.__table__.insert()  # built once: building it per call costs CPU


def add_event(
    session: core.Writer, *, topic: str, payload: dict[str, Any],
    charge_id: int | None = None,
) -> OutboxMessage:
    """Queue an event in the open transaction (a session's, or a `core.write` block's); it
    exists only if the change commits.

    The row is written at once with a prebuilt INSERT (no unit-of-work pass). Where this
    process publishes straight after commits (`outbox.fastpath`), the row is born leased to
    it, so no relay takes it meanwhile; the returned message is then an unattached copy."""
    now = utcnow()
    message = OutboxMessage(event_id=str(uuid.uuid4()), topic=topic, charge_id=charge_id,
                            payload=payload, created_at=now, attempts=0)
    fast = fastpath.current()
    if fast is not None:
        message.claimed_until, message.attempts = now + LEASE, 1
    connection = core.connection_for(session)  # the rows this event is about go first
    connection.execute(INSERT, {
        "event_id": message.event_id, "topic": topic, "charge_id": charge_id,
        "payload": payload, "created_at": now, "claimed_until": message.claimed_until,
        "attempts": message.attempts, "published_at": None})
    if fast is not None and isinstance(session, Connection):
        core.after_commit(session, partial(fast.committed, None, [message]))
    elif fast is not None:
        fast.announce(session, message)
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


def settle(session: Session, *, event_ids: Sequence[str]) -> int:
    """Mark rows published by event id (the fast path's, still under its lease); commits."""
    if not event_ids:
        return 0
    done = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.event_id.in_(list(event_ids)), OutboxMessage.published_at.is_(None))
        .values(published_at=utcnow(), claimed_until=None)
    ).rowcount  # type: ignore[attr-defined]
    session.commit()
    return int(done)


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
