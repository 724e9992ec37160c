"""A refund of a received Pix, identified by the merchant's own id (idempotent by that id)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pixgate.charges.money import cents_to_decimal
from pixgate.db.types import UTCDateTime, utcnow
from pixgate.extensions import db

IN_PROGRESS = "EM_PROCESSAMENTO"
DONE = "DEVOLVIDO"
FAILED = "NAO_REALIZADO"


class Refund(db.Model):
    """`status` moves IN_PROGRESS -> DONE or FAILED by conditional UPDATE, once."""

    __tablename__ = "refunds"
    __table_args__ = (UniqueConstraint("pix_id", "refund_id", name="uq_refunds_pix_refund_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pix_id: Mapped[int] = mapped_column(ForeignKey("received_pix.id"), index=True)
    refund_id: Mapped[str] = mapped_column(String(35))
    rtr_id: Mapped[str] = mapped_column(String(32), unique=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), default=IN_PROGRESS)
    reason: Mapped[str | None] = mapped_column(String(140), default=None)
    nature: Mapped[str] = mapped_column(String(20), default="ORIGINAL")
    failure: Mapped[str | None] = mapped_column(String(140), default=None)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)  # PSP has it

    @property
    def amount(self) -> Decimal:
        """The amount as an exact Decimal with two places."""
        return cents_to_decimal(self.amount_cents)
