"""lotecobv: a batch of cobv requests, each item CRIADA or NEGADA with its own problem."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pixgate.db.types import UTCDateTime, utcnow
from pixgate.extensions import db


class CobvBatch(db.Model):
    """`PUT /lotecobv/{id}`: the id is the client's; the set of txids is fixed at creation."""

    __tablename__ = "cobv_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    description: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class CobvBatchItem(db.Model):
    """One request of a batch: its txid, CRIADA or NEGADA, and why it was refused."""

    __tablename__ = "cobv_batch_items"
    __table_args__ = (UniqueConstraint("batch_id", "txid", name="uq_cobv_batch_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("cobv_batches.id", ondelete="CASCADE"))
    txid: Mapped[str] = mapped_column(String(35))
    status: Mapped[str] = mapped_column(String(16))
    problem: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
