"""The BCB list queries (GET /cob, /pix, /loc): filters plus page arithmetic."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from pixgate.charges.models import (
    ACTIVE,
    COB,
    COBV,
    EXPIRED,
    LEGACY,
    PAID,
    REMOVED,
    Charge,
    ReceivedPix,
)
from pixgate.locations.models import Location
from pixgate.refunds.models import Refund

T = TypeVar("T")
BCB_STATUS_TO_OURS = {
    "ATIVA": (ACTIVE, EXPIRED), "CONCLUIDA": (PAID,),
    "REMOVIDA_PELO_USUARIO_RECEBEDOR": (REMOVED,), "REMOVIDA_PELO_PSP": (),
}


@dataclass(frozen=True)
class Page:
    """`paginacao` in, and the counts BCB's answer carries."""

    number: int = 0
    size: int = 100

    def describe(self, total: int) -> dict[str, int]:
        """BCB's `paginacao` object for `total` matching items."""
        return {"paginaAtual": self.number, "itensPorPagina": self.size,
                "quantidadeDePaginas": max(1, -(-total // self.size)),
                "quantidadeTotalDeItens": total}


def _paged(session: Session, query: Select[Any], page: Page) -> tuple[list[Any], int]:
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.offset(page.number * page.size).limit(page.size)).all()
    return list(rows), int(total)


def list_cobs(
    session: Session, *, start: datetime, end: datetime, page: Page, document: str | None = None,
    status: str | None = None, has_location: bool | None = None, cobv: bool = False,
    batch_id: int | None = None,
) -> tuple[list[Charge], int]:
    """Cobs (or cobvs) created in [start, end], by debtor document, status, location, batch."""
    kinds = (COBV,) if cobv else (LEGACY, COB)
    query = select(Charge).where(Charge.created_at >= start, Charge.created_at <= end,
                                 Charge.kind.in_(kinds))
    if batch_id is not None:
        query = query.where(Charge.batch_id == batch_id)
    if document:
        query = query.where(Charge.debtor_document == document)
    if status:
        query = query.where(Charge.status.in_(BCB_STATUS_TO_OURS.get(status, ())))
    if has_location is not None:
        query = query.where(
            Charge.location_id.is_not(None) if has_location else Charge.location_id.is_(None))
    return _paged(session, query.order_by(Charge.created_at, Charge.id), page)


def list_pix(
    session: Session, *, start: datetime, end: datetime, page: Page, txid: str | None = None,
    has_txid: bool | None = None, has_refund: bool | None = None, document: str | None = None,
) -> tuple[list[ReceivedPix], int]:
    """Pix received in [start, end] with BCB's filters."""
    query = select(ReceivedPix).where(ReceivedPix.received_at >= start,
                                      ReceivedPix.received_at <= end)
    if txid:
        query = query.where(ReceivedPix.txid == txid)
    if has_txid is not None:  # unmatched Pix to a static code may carry no txid
        query = query.where(ReceivedPix.txid.is_not(None) if has_txid
                            else ReceivedPix.txid.is_(None))
    if has_refund is not None:
        refunded = exists().where(Refund.pix_id == ReceivedPix.id)
        query = query.where(refunded if has_refund else ~refunded)
    if document:
        query = query.where(ReceivedPix.payer_document == document)
    return _paged(session, query.order_by(ReceivedPix.received_at, ReceivedPix.id), page)


def list_locations(
    session: Session, *, start: datetime, end: datetime, page: Page,
    has_txid: bool | None = None,
) -> tuple[list[Location], int]:
    """Locations created in [start, end], optionally only those linked (or not) to a cob."""
    query = select(Location).where(Location.created_at >= start, Location.created_at <= end)
    if has_txid is not None:
        linked = exists().where(Charge.location_id == Location.id)
        query = query.where(linked if has_txid else ~linked)
    return _paged(session, query.order_by(Location.created_at, Location.id), page)


# A listing page's related rows, one query per kind instead of one per item (a 1,000-item
# page of /cob made 2,001 queries before).

def cob_relations(
    session: Session, charges: Sequence[Charge]
) -> tuple[dict[int, Location], dict[int, list[ReceivedPix]]]:
    """The locations and received Pix of a page of charges, by location id and charge id."""
    location_ids = {c.location_id for c in charges if c.location_id is not None}
    locations = {loc.id: loc for loc in session.scalars(
        select(Location).where(Location.id.in_(location_ids)))} if location_ids else {}
    pix: dict[int, list[ReceivedPix]] = defaultdict(list)
    if charges:
        for item in session.scalars(select(ReceivedPix).where(
                ReceivedPix.charge_id.in_([c.id for c in charges])).order_by(ReceivedPix.id)):
            pix[item.charge_id].append(item)
    return locations, pix


def refunds_by_pix(session: Session, items: Sequence[ReceivedPix]) -> dict[int, list[Refund]]:
    """The refunds of a page of received Pix, by Pix id, oldest first."""
    found: dict[int, list[Refund]] = defaultdict(list)
    if items:
        for refund in session.scalars(select(Refund).where(
                Refund.pix_id.in_([p.id for p in items])).order_by(Refund.id)):
            found[refund.pix_id].append(refund)
    return found


def txids_by_location(session: Session, locations: Sequence[Location]) -> dict[int, str]:
    """The txid of the cob using each location of a page, by location id (unused: absent)."""
    if not locations:
        return {}
    rows = session.execute(select(Charge.location_id, Charge.txid).where(
        Charge.location_id.in_([loc.id for loc in locations])))
    return {location_id: txid for location_id, txid in rows}
