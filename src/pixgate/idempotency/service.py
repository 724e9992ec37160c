"""Look up, record and expire idempotency keys; the caller owns the transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pixgate.charges.errors import InvalidInput
from pixgate.db.types import utcnow
from pixgate.idempotency.models import IdempotencyKey

RETENTION = timedelta(hours=48)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Idempotency:
    """A client's key plus a fingerprint of what it asked, scoped per API."""

    scope: str
    key: str
    fingerprint: str

    @classmethod
    def of(cls, *, scope: str, key: str | None, body: bytes) -> Idempotency | None:
        """Build from a request's header and raw body; None when no key was sent."""
        if key is None:
            return None
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise InvalidInput("Idempotency-Key", f"must be 1 to {MAX_KEY_LENGTH} printable chars")
        return cls(scope=scope, key=key, fingerprint=hashlib.sha256(body).hexdigest())


def find(session: Session, request: Idempotency) -> int | None:
    """The charge a previous identical request created; a different body under the key is 422."""
    row = session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.scope == request.scope,
            IdempotencyKey.key == request.key,
        )
    )
    if row is None:
        return None
    if row.fingerprint != request.fingerprint:
        raise InvalidInput("Idempotency-Key", "was already used with a different request body")
    return row.charge_id


def remember(session: Session, request: Idempotency, *, charge_id: int) -> None:
    """Store the key in the same transaction as the charge it guards."""
    session.add(
        IdempotencyKey(
            scope=request.scope, key=request.key, fingerprint=request.fingerprint,
            charge_id=charge_id,
        )
    )


def purge_expired(session: Session) -> int:
    """Drop keys past retention (at least 24 h are always kept)."""
    result = session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.created_at <= utcnow() - RETENTION)
    )
    session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
