"""The BCB list queries (GET /cob, /pix, /loc): filters plus page arithmetic."""

from __future__ import annotations

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
