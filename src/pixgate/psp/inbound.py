"""Pix the PSP says arrived: a webhook body is only a hint, read back from the PSP before use."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from pixgate.charges import received
from pixgate.charges.errors import ChargeError
from pixgate.charges.models import COB, UNMATCHED, Charge, ReceivedPix
from pixgate.charges.received import Receipt
from pixgate.psp import upstream
from pixgate.psp.base import Psp, PspNotFound, PspPix
from pixgate.refunds import service as refunds
from pixgate.refunds import upstream as refund_upstream
from pixgate.refunds.models import Refund

log = logging.getLogger(__name__)

E2E_ID = re.compile(r"[a-zA-Z0-9]{32}")
TXID = re.compile(r"[a-zA-Z0-9]{26,35}")
AUTO_REFUND_ID = "auto"  # one per Pix (refund ids are per endToEndId), so it happens once
MAX_ITEMS = 100


@dataclass
class Tally:
    """What a webhook or a reconciliation found, for logs, answers and `pixgate reconcile`."""

    seen: int = 0
    credited: int = 0
    unmatched: int = 0
    known: int = 0
    not_at_psp: int = 0
    refunds_moved: int = 0
    details: list[dict[str, Any]] = field(default_factory=list)

    def add(self, receipt: Receipt, moved: int) -> None:
        """Count one stored (or already known) Pix."""
        self.seen += 1
        self.refunds_moved += moved
        if not receipt.stored:
            self.known += 1
        elif receipt.applied:
            self.credited += 1
        else:
            self.unmatched += 1
        self.details.append({"endToEndId": receipt.pix.end_to_end_id, "txid": receipt.pix.txid,
                             "valor": str(receipt.pix.amount), "new": receipt.stored,
                             "match": receipt.pix.match_status, "reason": receipt.pix.reason})

    def as_dict(self) -> dict[str, Any]:
        """The counts, as JSON."""
        return {"seen": self.seen, "credited": self.credited, "unmatched": self.unmatched,
                "known": self.known, "notAtPsp": self.not_at_psp,
                "refundsMoved": self.refunds_moved}


def take(session: Session, psp: Psp, item: PspPix, *, source: str, auto_refund: bool,
         tally: Tally) -> Receipt:
    """Store one Pix as the PSP reports it, follow its refunds, return it if unmatched."""
    payer = {k: v for k, v in (("pagador", item.payer), ("infoPagador", item.info)) if v}
    receipt = received.receive(
        session, txid=item.txid, amount=item.amount, source=source,
        end_to_end_id=item.end_to_end_id, payer=payer or None, paid_at=item.paid_at)
    moved = refund_upstream.sync_from_pix(session, receipt.pix, item.refunds)
    tally.add(receipt, moved)
    if auto_refund and not receipt.matched:
        auto_refund_pix(session, psp, receipt.pix)
    return receipt


def read_back(session: Session, psp: Psp, body: Any, *, auto_refund: bool) -> Tally:
    """Each notified Pix is fetched from the PSP (GET /pix/{e2eid}, else GET /cob(v)/{txid});
    what the PSP does not know is ignored, so a forged or replayed body credits nothing."""
    items = body.get("pix") if isinstance(body, dict) else body
    tally = Tally()
    if not isinstance(items, list):
        return tally
    for item in items[:MAX_ITEMS]:
        if not isinstance(item, dict):
            continue
        e2e, txid = item.get("endToEndId"), item.get("txid")
        try:
            if isinstance(e2e, str) and E2E_ID.fullmatch(e2e):
                found: tuple[PspPix, ...] = (psp.get_pix(e2e),)
            elif isinstance(txid, str) and TXID.fullmatch(txid):
                kind = session.scalar(select(Charge.kind).where(Charge.txid == txid))
                found = upstream.read(psp, txid, kind=kind or COB).pix
            else:
                continue
        except PspNotFound:
            tally.not_at_psp += 1
            log.warning("PSP webhook named %s, which the PSP does not know: ignored", e2e or txid)
            continue
        for pix in found:
            take(session, psp, pix, source="psp_webhook", auto_refund=auto_refund, tally=tally)
    return tally


def auto_refund_pix(session: Session, psp: Psp | None, pix: ReceivedPix) -> None:
    """Return an unmatched Pix to its payer through a devolução (PIXGATE_AUTO_REFUND_UNMATCHED)."""
    if pix.refunded_cents:
        return  # the merchant already returned some of it by hand
    try:
        refunds.refund(session, psp=psp, end_to_end_id=pix.end_to_end_id,
                       refund_id=AUTO_REFUND_ID, amount=pix.amount, source="auto_refund",
                       reason="Pix sem cobrança correspondente")
    except ChargeError as exc:
        session.rollback()
        log.warning("auto-refund of %s not done: %s", pix.end_to_end_id, exc.detail)


def auto_refund_missing(session: Session, psp: Psp, *, limit: int = 100) -> int:
    """Poller: unmatched Pix still without any refund (a crash between storing and refunding)."""
    waiting = session.scalars(
        select(ReceivedPix).where(ReceivedPix.match_status == UNMATCHED,
                                  ~exists().where(Refund.pix_id == ReceivedPix.id))
        .order_by(ReceivedPix.id).limit(limit)).all()
    for pix in waiting:
        auto_refund_pix(session, psp, pix)
    return len(waiting)


def after_arrival(session: Session, receipt: Receipt) -> None:
    """What every edge does once a Pix is stored: wake the relay (pages flip, webhooks leave)
    and, with PIXGATE_AUTO_REFUND_UNMATCHED=1, return an unmatched Pix to its payer."""
    from flask import current_app

    from pixgate.outbox import relay
    from pixgate.psp import registry

    if receipt.stored and not receipt.matched and registry.flows().auto_refund_unmatched:
        auto_refund_pix(session, registry.get_psp(), receipt.pix)
    if receipt.stored:
        relay.kick(current_app)
