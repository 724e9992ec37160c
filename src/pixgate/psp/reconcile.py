"""Reconciliation: ask the PSP what arrived, so a lost webhook never loses a Pix.

Every process runs the poller; a lease on a `psp_cursors` row (claimed by conditional UPDATE,
FOR UPDATE SKIP LOCKED where the database has it) lets one of them work per interval.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pixgate.charges.models import ACTIVE, PAID, Charge
from pixgate.db.types import utcnow
from pixgate.psp import inbound, upstream
from pixgate.psp.base import Psp, PspError, PspNotFound
from pixgate.psp.inbound import Tally
from pixgate.psp.models import PspCursor
from pixgate.refunds import upstream as refund_upstream

log = logging.getLogger(__name__)

PIX_CURSOR = "pix"
EXPIRY_CURSOR = "expiry"
FIRST_LOOKBACK = timedelta(days=1)  # a fresh install reads the last day once
OVERLAP = timedelta(minutes=5)  # the PSP may list a Pix a little after its horario
MAX_PAGES = 1000


def reconcile(session: Session, psp: Psp, *, start: datetime, end: datetime,
              auto_refund: bool, source: str = "reconcile") -> Tally:
    """Read `GET /pix?inicio=&fim=` page by page and store every Pix not yet on record."""
    tally = Tally()
    page = 0
    while page < MAX_PAGES:
        batch = psp.list_pix(start=start, end=end, page=page)
        for item in batch.pix:
            inbound.take(session, psp, item, source=source, auto_refund=auto_refund, tally=tally)
        page += 1
        if page >= batch.pages:
            break
    return tally


def claim(session: Session, name: str, *, lease: timedelta) -> PspCursor | None:
    """Take the named pass for `lease`, or None when another process holds it or ran it lately."""
    now = utcnow()
    if session.get(PspCursor, name) is None:
        session.add(PspCursor(name=name))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()  # another process created it first
    free = or_(PspCursor.claimed_until.is_(None), PspCursor.claimed_until < now)
    row = session.scalar(select(PspCursor).where(PspCursor.name == name, free)
                         .with_for_update(skip_locked=True))
    if row is None:
        session.rollback()
        return None
    won = session.execute(update(PspCursor).where(PspCursor.name == name, free)
                          .values(claimed_until=now + lease)
                          .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    session.commit()
    if won != 1:
        return None
    session.refresh(row)
    return row


def release(session: Session, name: str, *, next_run: datetime,
            watermark: datetime | None = None) -> None:
    """End a pass: nobody takes it again before `next_run`; advance the watermark if given."""
    values: dict[str, datetime] = {"claimed_until": next_run}
    if watermark is not None:
        values["watermark"] = watermark
    session.execute(update(PspCursor).where(PspCursor.name == name).values(**values))
    session.commit()


def poll(session: Session, psp: Psp, *, interval: float, auto_refund: bool) -> Tally | None:
    """One poller pass, if it is this process's turn: new Pix from the watermark on, refunds
    still in progress, and unmatched Pix that auto-refund has not returned yet."""
    cursor = claim(session, PIX_CURSOR, lease=timedelta(seconds=max(60.0, interval * 5)))
    if cursor is None:
        return None
    now = utcnow()
    start = (cursor.watermark or now - FIRST_LOOKBACK) - OVERLAP
    try:
        tally = reconcile(session, psp, start=start, end=now, auto_refund=auto_refund,
                          source="poller")
        tally.refunds_moved += refund_upstream.follow_pending(session, psp)
        if auto_refund:
            inbound.auto_refund_missing(session, psp)
    except Exception:
        session.rollback()
        release(session, PIX_CURSOR, next_run=utcnow() + timedelta(seconds=interval))
        raise
    release(session, PIX_CURSOR, next_run=now + timedelta(seconds=interval * 0.9),
            watermark=now)
    if tally.seen:
        log.info("reconciliation: %s", tally.as_dict())
    return tally


def check_due(session: Session, psp: Psp, *, lease_seconds: float, auto_refund: bool,
              limit: int = 50) -> list[int] | None:
    """Before the sweeper expires a charge held at the PSP, `GET /cob(v)/{txid}`: credit a Pix it
    missed, and list the ids the PSP says are unpaid (only those may expire). None: not our turn."""
    if claim(session, EXPIRY_CURSOR, lease=timedelta(seconds=max(30.0, lease_seconds))) is None:
        return None
    checked: list[int] = []
    try:
        due = session.scalars(
            select(Charge).where(Charge.status == ACTIVE, Charge.psp.is_not(None),
                                 Charge.expires_at <= utcnow())
            .order_by(Charge.expires_at).limit(limit)).all()
        for charge in due:
            try:
                cob = upstream.read(psp, charge.txid, kind=charge.kind)
            except PspNotFound:
                checked.append(charge.id)  # the PSP has no such charge: nothing can pay it
                continue
            except PspError as exc:
                log.warning("cob %s not checked before expiry: %s", charge.txid, exc)
                continue
            for pix in cob.pix:
                inbound.take(session, psp, pix, source="expiry_check", auto_refund=auto_refund,
                             tally=Tally())
            session.refresh(charge)
            if charge.status != PAID:
                checked.append(charge.id)
    finally:
        release(session, EXPIRY_CURSOR, next_run=utcnow())
    return checked
