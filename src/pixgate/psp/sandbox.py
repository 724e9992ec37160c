"""The built-in sandbox as a PSP: in-process, over pixgate's own tables.

This is the only place the sandbox's magic values apply (docs/sandbox.md): a payer named
RECUSADO is refused and a refund of R$ x,13 ends NAO_REALIZADO. Charges made with the sandbox
live in pixgate's own tables, so the charge service never forwards them here (`holds_charges`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import select

from pixgate.charges.bcb import STATUS
from pixgate.charges.errors import NotFound
from pixgate.charges.models import COBV, Charge, ReceivedPix
from pixgate.extensions import db
from pixgate.psp.base import PixPage, PspCob, PspNotFound, PspPix, PspRefund
from pixgate.refunds.models import DONE, FAILED, Refund
from pixgate.sandbox import rules


class SandboxPsp:
    """Answers as a PSP would, from the same database the charge service writes."""

    name = "sandbox"
    holds_charges = False

    @staticmethod
    def payment_refusal(payer: dict[str, Any] | None) -> str | None:
        """Why the simulated payer's bank refuses to pay, or None."""
        return rules.payment_refusal(payer)

    def put_cob(self, txid: str, body: dict[str, Any]) -> PspCob:
        """Create (or revise) a cob in the sandbox's own tables."""
        from pixgate.api.v2 import parse
        from pixgate.charges import cob

        fields = parse.cob_fields(body, patch=False)
        if db.session.scalar(select(Charge.id).where(Charge.txid == txid)) is not None:
            return self.patch_cob(txid, body)
        created = cob.create_cob(
            db.session, txid=txid, fields=fields, source="sandbox",
            receiver=current_app.extensions["pixgate.receiver"],
            public_url=current_app.config["PUBLIC_URL"])
        return self.get_cob(created.charge.txid)

    def patch_cob(self, txid: str, body: dict[str, Any]) -> PspCob:
        """Revise or remove a cob in the sandbox's own tables."""
        from pixgate.api.v2 import parse
        from pixgate.charges import cob

        self.get_cob(txid)
        cob.revise_cob(db.session, txid=txid, fields=parse.cob_fields(body, patch=True),
                       receiver=current_app.extensions["pixgate.receiver"],
                       public_url=current_app.config["PUBLIC_URL"], source="sandbox")
        return self.get_cob(txid)

    def get_cob(self, txid: str) -> PspCob:
        """The cob with the Pix that paid it."""
        charge = db.session.scalar(select(Charge).where(Charge.txid == txid))
        if charge is None:
            raise PspNotFound(f"no cob with txid {txid!r}", operation="get_cob",
                              upstream_status=404)
        paid = db.session.scalars(select(ReceivedPix).where(ReceivedPix.charge_id == charge.id))
        location = None
        if charge.location_id is not None:
            from pixgate.locations.models import Location

            found = db.session.get(Location, charge.location_id)
            location = found.location if found else None
        return PspCob(txid=charge.txid, status=STATUS[charge.status], revision=charge.revision,
                      amount=charge.amount, pix_copia_e_cola=charge.brcode, location=location,
                      pix=tuple(_pix(item) for item in paid))

    def put_cobv(self, txid: str, body: dict[str, Any]) -> PspCob:
        """Create (or revise) a cobv in the sandbox's own tables."""
        from pixgate.api.v2.parse_cobv import cobv_fields
        from pixgate.cobv import service
        from pixgate.cobv.creditor import creditor_from_config

        fields = cobv_fields(body, patch=False)
        if db.session.scalar(select(Charge.id).where(Charge.txid == txid)) is not None:
            self.get_cobv(txid)
            service.revise_cobv(db.session, txid=txid, fields=fields, source="sandbox",
                                receiver=current_app.extensions["pixgate.receiver"],
                                public_url=current_app.config["PUBLIC_URL"])
        else:
            service.create_cobv(db.session, txid=txid, fields=fields, source="sandbox",
                                receiver=current_app.extensions["pixgate.receiver"],
                                creditor=creditor_from_config(current_app.config["PIXGATE"]),
                                public_url=current_app.config["PUBLIC_URL"])
        return self.get_cobv(txid)

    def patch_cobv(self, txid: str, body: dict[str, Any]) -> PspCob:
        """Revise or remove a cobv in the sandbox's own tables."""
        from pixgate.api.v2.parse_cobv import cobv_fields
        from pixgate.cobv import service

        self.get_cobv(txid)
        service.revise_cobv(db.session, txid=txid, fields=cobv_fields(body, patch=True),
                            receiver=current_app.extensions["pixgate.receiver"],
                            public_url=current_app.config["PUBLIC_URL"], source="sandbox")
        return self.get_cobv(txid)

    def get_cobv(self, txid: str) -> PspCob:
        """The cobv with the Pix that paid it (a cob's txid is not found here)."""
        if db.session.scalar(select(Charge.kind).where(Charge.txid == txid)) != COBV:
            raise PspNotFound(f"no cobv with txid {txid!r}", operation="get_cobv",
                              upstream_status=404)
        return self.get_cob(txid)

    def get_pix(self, end_to_end_id: str) -> PspPix:
        """A Pix on record, or PspNotFound."""
        pix = db.session.scalar(
            select(ReceivedPix).where(ReceivedPix.end_to_end_id == end_to_end_id))
        if pix is None:
            raise PspNotFound(f"no Pix {end_to_end_id!r}", operation="get_pix",
                              upstream_status=404)
        return _pix(pix)

    def list_pix(self, *, start: datetime, end: datetime, page: int = 0) -> PixPage:
        """What was received in [start, end], a page at a time."""
        from pixgate.charges.queries import Page, list_pix

        size = Page().size
        items, total = list_pix(db.session, start=start, end=end, page=Page(number=page))
        return PixPage(pix=tuple(_pix(p) for p in items), page=page,
                       pages=max(1, -(-total // size)))

    def put_refund(self, end_to_end_id: str, refund_id: str, amount: Decimal) -> PspRefund:
        """The sandbox settles at once: DEVOLVIDO, or NAO_REALIZADO for an amount ending in ,13."""
        self.get_pix(end_to_end_id)
        failure = rules.refund_failure(amount)
        return PspRefund(refund_id=refund_id, rtr_id=None, amount=amount,
                         status=FAILED if failure else DONE, reason=failure)

    def get_refund(self, end_to_end_id: str, refund_id: str) -> PspRefund:
        """The refund as recorded."""
        pix = self.get_pix(end_to_end_id)
        for refund in pix.refunds:
            if refund.refund_id == refund_id:
                return refund
        raise PspNotFound(f"no refund {refund_id!r} of {end_to_end_id}", operation="get_refund",
                          upstream_status=404)

    def put_webhook(self, key: str, url: str) -> None:
        """Register where the sandbox notifies (pixgate's own webhook registrations)."""
        from pixgate.webhooks import endpoints

        endpoints.register(db.session, chave=key, url=url)

    def get_webhook(self, key: str) -> dict[str, Any] | None:
        """The registered URL, or None."""
        from pixgate.webhooks import endpoints

        try:
            endpoint = endpoints.get(db.session, chave=key)
        except NotFound:
            return None
        return {"chave": endpoint.chave, "webhookUrl": endpoint.url}


def _pix(pix: ReceivedPix) -> PspPix:
    refunds = db.session.scalars(select(Refund).where(Refund.pix_id == pix.id)
                                 .order_by(Refund.id))
    stored = pix.payer or {}  # kept as {"pagador": ..., "infoPagador": ...}
    return PspPix(
        end_to_end_id=pix.end_to_end_id, txid=pix.txid, amount=pix.amount,
        paid_at=pix.received_at, payer=stored.get("pagador"), info=stored.get("infoPagador"),
        refunds=tuple(PspRefund(refund_id=r.refund_id, rtr_id=r.rtr_id, amount=r.amount,
                                status=r.status, reason=r.failure) for r in refunds))
