"""lotecobv: create or revise up to 1,000 cobvs in one request; each item succeeds on its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pixgate.charges.errors import ChargeError, Conflict, InvalidInput, NotFound
from pixgate.charges.models import COBV, Charge
from pixgate.charges.receiver import Receiver
from pixgate.cobv import service
from pixgate.cobv.models import CobvBatch, CobvBatchItem
from pixgate.cobv.service import CobvFields

MAX_ITEMS = 1000
CREATED, REFUSED = "CRIADA", "NEGADA"
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class BatchItem:
    """One request of a batch: its txid and either its fields or the error reading them."""

    txid: str
    fields: CobvFields | None
    error: ChargeError | None = None


@dataclass(frozen=True)
class Context:
    """What creating a cobv needs from the app, plus how a refusal is written down."""

    receiver: Receiver
    creditor: Callable[[], dict[str, Any]]
    public_url: str
    describe: Callable[[ChargeError], dict[str, Any]]
    psp: Any = None


def get_batch(session: Session, *, batch_id: int) -> CobvBatch:
    """A batch by id, or NotFound."""
    batch = session.get(CobvBatch, batch_id) if 0 <= batch_id <= MAX_ID else None
    if batch is None:
        raise NotFound(f"lotecobv {batch_id} does not exist")
    return batch


def items_of(session: Session, batch: CobvBatch) -> list[CobvBatchItem]:
    """The batch's items, in the order they were sent."""
    return list(session.scalars(select(CobvBatchItem).where(CobvBatchItem.batch_id == batch.id)
                                .order_by(CobvBatchItem.id)))


def put_batch(session: Session, *, batch_id: int, description: str, items: list[BatchItem],
              context: Context, patch: bool = False) -> CobvBatch:
    """PUT (create, or revise exactly the same txids) or PATCH (a subset) a batch."""
    _check_items(items)
    batch = session.get(CobvBatch, batch_id) if 0 <= batch_id <= MAX_ID else None
    if batch is None:
        if patch:
            raise NotFound(f"lotecobv {batch_id} does not exist")
        if not 0 <= batch_id <= MAX_ID:
            raise InvalidInput("id", f"must be an integer from 0 to {MAX_ID}")
        batch = CobvBatch(id=batch_id, description=description)
        session.add(batch)
        session.commit()
        stored: dict[str, CobvBatchItem] = {}
    else:
        stored = {item.txid: item for item in items_of(session, batch)}
        sent = {item.txid for item in items}
        if (not patch and sent != set(stored)) or (patch and not sent <= set(stored)):
            raise InvalidInput("loteCobV.cobsv", "a lote's cobvs are fixed when it is created: "
                               "PUT must list exactly the same txids, PATCH only some of them")
        if description != batch.description:
            batch.description = description
            session.commit()
    for item in items:
        _apply(session, batch, item, stored.get(item.txid), context, patch=patch)
    return batch


def _check_items(items: list[BatchItem]) -> None:
    if not 0 < len(items) <= MAX_ITEMS:
        raise InvalidInput("loteCobV.cobsv", f"must hold 1 to {MAX_ITEMS} cobvs")
    txids = [item.txid for item in items]
    if len(set(txids)) != len(txids):
        raise InvalidInput("loteCobV.cobsv", "lists a txid more than once")


def _apply(session: Session, batch: CobvBatch, item: BatchItem, row: CobvBatchItem | None,
           context: Context, *, patch: bool) -> None:
    problem = None
    try:
        if item.error is not None:
            raise item.error
        assert item.fields is not None
        existing = session.scalar(select(Charge).where(Charge.txid == item.txid))
        if existing is not None and (existing.kind != COBV or existing.batch_id != batch.id):
            raise Conflict(f"txid {item.txid!r} is already in use", field="txid")
        if existing is not None:
            service.revise_cobv(session, txid=item.txid, fields=item.fields,
                                receiver=context.receiver, public_url=context.public_url,
                                source="lotecobv", psp=context.psp)
        else:
            if patch:
                raise InvalidInput("cobv", "this cobv was refused; send it whole with PUT")
            service.create_cobv(session, txid=item.txid, fields=item.fields,
                                receiver=context.receiver, creditor=context.creditor(),
                                public_url=context.public_url, source="lotecobv",
                                batch_id=batch.id, psp=context.psp)
    except ChargeError as exc:
        session.rollback()
        problem = context.describe(exc)
    status = REFUSED if problem is not None else CREATED
    if row is None:
        session.add(CobvBatchItem(batch_id=batch.id, txid=item.txid, status=status,
                                  problem=problem))
    elif row.status == REFUSED:
        row.status, row.problem = status, problem
    else:
        # A refused revision leaves the created cobv as it was: CRIADA, with the problem.
        row.problem = problem
    session.commit()


def list_batches(session: Session, *, start: datetime, end: datetime, offset: int,
                 limit: int) -> tuple[list[CobvBatch], int]:
    """Batches created in [start, end], oldest first."""
    where = (CobvBatch.created_at >= start, CobvBatch.created_at <= end)
    total = session.scalar(select(func.count()).select_from(CobvBatch).where(*where)) or 0
    rows = session.scalars(select(CobvBatch).where(*where)
                           .order_by(CobvBatch.created_at, CobvBatch.id)
                           .offset(offset).limit(limit)).all()
    return list(rows), int(total)
