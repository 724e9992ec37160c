"""Dashboard sign-in throttle: per client, growing delays, shared by every process (the database).

A few free failures, then each one doubles the wait (capped). Rows are keyed by client, so one
client's failures never slow another; quiet rows are forgotten, rows still blocking never are.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pixgate.dashboard.models import LoginFailure
from pixgate.db.types import utcnow

FREE_FAILURES = 5
MAX_DELAY_SECONDS = 15 * 60
FORGET_AFTER = timedelta(hours=24)


def client_key(address: str | None) -> str:
    """IPv4 addresses as they are; IPv6 by /64, the block one subscriber usually holds."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def delay_after(failures: int) -> float:
    """Seconds to wait after this many failures in a row: 0, then 1, 2, 4 ... up to 15 min."""
    if failures < FREE_FAILURES:
        return 0.0
    return float(min(2 ** (failures - FREE_FAILURES), MAX_DELAY_SECONDS))


def wait_seconds(session: Session, address: str | None, now: datetime | None = None) -> int:
    """How long this client must wait before its next try (0: it may try now)."""
    now = now or utcnow()
    until = session.scalar(select(LoginFailure.blocked_until)
                           .where(LoginFailure.client == client_key(address)))
    if until is None or until <= now:
        return 0
    return max(1, int((until - now).total_seconds() + 0.999))


def _bump(session: Session, key: str, now: datetime) -> int:
    stale = LoginFailure.last_failure_at < now - FORGET_AFTER
    return int(session.execute(
        update(LoginFailure).where(LoginFailure.client == key)
        .values(failures=case((stale, 1), else_=LoginFailure.failures + 1), last_failure_at=now)
    ).rowcount or 0)  # type: ignore[attr-defined]


def record_failure(session: Session, address: str | None) -> int:
    """Count a wrong password (atomically, across processes); returns the wait it earned."""
    now, key = utcnow(), client_key(address)
    if not _bump(session, key, now):
        try:
            with session.begin_nested():
                session.add(LoginFailure(client=key, failures=1, last_failure_at=now))
        except IntegrityError:  # another process inserted it first: count on its row
            _bump(session, key, now)
    failures = session.scalar(select(LoginFailure.failures).where(LoginFailure.client == key))
    delay = delay_after(failures or 0)
    if delay:
        session.execute(update(LoginFailure).where(LoginFailure.client == key)
                        .values(blocked_until=now + timedelta(seconds=delay)))
    _forget_quiet(session, now)
    session.commit()
    return int(delay)


def record_success(session: Session, address: str | None) -> None:
    """The right password clears this client's record (and no one else's)."""
    session.execute(delete(LoginFailure).where(LoginFailure.client == client_key(address)))
    session.commit()


def _forget_quiet(session: Session, now: datetime) -> None:
    # Invariant: a row is deleted only when it is both old and no longer blocking.
    session.execute(delete(LoginFailure).where(
        LoginFailure.last_failure_at < now - FORGET_AFTER,
        or_(LoginFailure.blocked_until.is_(None), LoginFailure.blocked_until <= now)))
