"""Refunds at the PSP: send the devolução, and follow it to DEVOLVIDO or NAO_REALIZADO."""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pixgate.charges.models import ReceivedPix
from pixgate.db.types import utcnow
from pixgate.psp.base import Psp, PspError, PspNotFound, PspRefund, PspUnavailable
from pixgate.refunds.models import DONE, FAILED, IN_PROGRESS, Refund
from pixgate.refunds.service import settle_refund

log = logging.getLogger(__name__)


def send(session: Session, psp: Psp, refund: Refund) -> None:
    """PUT the devolução (idempotent on its id). Unreachable: stays EM_PROCESSAMENTO, unsent,
    and the poller sends it again; refused (4xx): NAO_REALIZADO, the amount released."""
    pix = session.get(ReceivedPix, refund.pix_id)
    assert pix is not None
    try:
        answer = psp.put_refund(pix.end_to_end_id, refund.refund_id, refund.amount)
    except PspUnavailable as exc:
        log.warning("refund %s of %s not sent yet: %s", refund.refund_id, pix.end_to_end_id, exc)
        return
    except PspError as exc:
        if exc.upstream_status is None or exc.upstream_status >= 500:
            log.warning("refund %s of %s: PSP error, retried later: %s", refund.refund_id,
                        pix.end_to_end_id, exc)
            return
        settle_refund(session, refund=refund, failure=f"refused by the PSP: {exc.detail}",
                      source="psp")
        return
    session.execute(update(Refund).where(Refund.id == refund.id, Refund.sent_at.is_(None))
                    .values(sent_at=utcnow()).execution_options(synchronize_session=False))
    session.commit()
    apply(session, refund, answer)


def apply(session: Session, refund: Refund, answer: PspRefund) -> bool:
    """Take the PSP's status for a refund; True when it moved (once, by conditional UPDATE)."""
    if answer.status == DONE:
        return settle_refund(session, refund=refund, failure=None, source="psp",
                             rtr_id=answer.rtr_id)
    if answer.status == FAILED:
        return settle_refund(session, refund=refund, source="psp", rtr_id=answer.rtr_id,
                             failure=answer.reason or "the PSP did not carry out the refund")
    return False


def sync_from_pix(session: Session, pix: ReceivedPix, answers: tuple[PspRefund, ...]) -> int:
    """Apply the refund statuses a PSP reported with a Pix (webhook or poll); returns moves."""
    moved = 0
    for answer in answers:
        refund = session.scalar(select(Refund).where(
            Refund.pix_id == pix.id, Refund.refund_id == answer.refund_id))
        if refund is not None and refund.status == IN_PROGRESS and apply(session, refund, answer):
            moved += 1
    return moved


def follow_pending(session: Session, psp: Psp, *, limit: int = 100) -> int:
    """Poller: send what never reached the PSP, ask about what is still in progress."""
    pending = session.scalars(
        select(Refund).where(Refund.status == IN_PROGRESS).order_by(Refund.id).limit(limit)
    ).all()
    moved = 0
    for refund in pending:
        if refund.sent_at is None:
            send(session, psp, refund)
        else:
            _ask(session, psp, refund)
        session.refresh(refund)
        moved += refund.status != IN_PROGRESS
    return moved


def _ask(session: Session, psp: Psp, refund: Refund) -> None:
    pix = session.get(ReceivedPix, refund.pix_id)
    assert pix is not None
    try:
        answer = psp.get_refund(pix.end_to_end_id, refund.refund_id)
    except PspNotFound:
        send(session, psp, refund)  # the PSP has no such refund: PUT it again with the same id
        return
    except PspError as exc:
        log.warning("refund %s of %s: status not read: %s", refund.refund_id,
                    pix.end_to_end_id, exc)
        return
    apply(session, refund, answer)
