"""Charge state plus its append-only event log (current state + history, as saleor does)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pixgate.charges.ids import new_charge_id
from pixgate.charges.money import cents_to_decimal
from pixgate.db.types import ChargeId, UTCDateTime, utcnow
from pixgate.extensions import db

ACTIVE = "ACTIVE"
PAID = "PAID"
REMOVED = "REMOVED"
EXPIRED = "EXPIRED"  # stored by the sweeper; an ACTIVE charge past expires_at also reads so

LEGACY = "legacy"  # static BR Code, txid of 25 characters (the seed's /payments/pix)
COB = "cob"  # BCB cobrança imediata: dynamic BR Code pointing at a location, txid of 26-35


class Charge(db.Model):
    """One payable charge; `status` only moves by conditional UPDATE in the service."""

    __tablename__ = "charges"

    id: Mapped[int] = mapped_column(ChargeId, primary_key=True, autoincrement=False,
                                    default=new_charge_id)
    txid: Mapped[str] = mapped_column(String(35), unique=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE, index=True)
    brcode: Mapped[str] = mapped_column(Text)
    pix_key: Mapped[str] = mapped_column(String(77))
    merchant_name: Mapped[str] = mapped_column(String(25))
    merchant_city: Mapped[str] = mapped_column(String(15))
    description: Mapped[str | None] = mapped_column(String(140), default=None)
    return_url: Mapped[str | None] = mapped_column(String(2048), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(8), default=LEGACY)
    debtor: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    debtor_document: Mapped[str | None] = mapped_column(String(14), default=None, index=True)
    payer_request: Mapped[str | None] = mapped_column(String(140), default=None)
    extra_info: Mapped[list[dict[str, str]] | None] = mapped_column(JSON, default=None)
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("locations.id"), default=None, unique=True
    )
    psp: Mapped[str | None] = mapped_column(String(16), default=None)  # held at this PSP
    psp_location: Mapped[str | None] = mapped_column(String(140), default=None)

    @property
    def amount(self) -> Decimal:
        """The amount as an exact Decimal with two places."""
        return cents_to_decimal(self.amount_cents)

    @property
    def expiry_seconds(self) -> int:
        """BCB's `calendario.expiracao`: lifetime in seconds from creation."""
        return int((self.expires_at - self.created_at).total_seconds())

    def effective_status(self, now: datetime | None = None) -> str:
        """The status a client sees: an ACTIVE charge past its expiry reads as EXPIRED."""
        if self.status == ACTIVE and (now or utcnow()) >= self.expires_at:
            return EXPIRED
        return self.status

    def can_be_paid(self, now: datetime | None = None) -> bool:
        """Guard: only an ACTIVE, unexpired charge accepts a payment."""
        return self.effective_status(now) == ACTIVE


class ChargeEvent(db.Model):
    """Append-only audit log: one row per thing that happened to a charge, never updated."""

    __tablename__ = "charge_events"
    __table_args__ = (Index("ix_charge_events_charge_id_id", "charge_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    charge_id: Mapped[int] = mapped_column(ForeignKey("charges.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


MATCHED = "matched"
UNMATCHED = "unmatched"
# Why a Pix that reached the account settled no charge (received_pix.reason).
AMOUNT_DIFFERS = "amount_differs"
CHARGE_EXPIRED = "charge_expired"
CHARGE_REMOVED = "charge_removed"
ALREADY_PAID = "already_paid"
UNKNOWN_TXID = "unknown_txid"
NO_TXID = "no_txid"


class ReceivedPix(db.Model):
    """Every Pix that reached the account, once by endToEndId; unmatched ones keep a reason."""

    __tablename__ = "received_pix"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    end_to_end_id: Mapped[str] = mapped_column(String(32), unique=True)
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("charges.id"), index=True)
    txid: Mapped[str | None] = mapped_column(String(35), index=True)
    match_status: Mapped[str] = mapped_column(String(16), default=MATCHED, index=True)
    reason: Mapped[str | None] = mapped_column(String(20), default=None)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    refunded_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    payer: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    payer_document: Mapped[str | None] = mapped_column(String(14), default=None, index=True)
    source: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    @property
    def amount(self) -> Decimal:
        """The amount as an exact Decimal with two places."""
        return cents_to_decimal(self.amount_cents)


class ChargeRevision(db.Model):
    """BCB keeps every revision of a cob readable (`GET /cob/{txid}?revisao=N`)."""

    __tablename__ = "charge_revisions"
    __table_args__ = (UniqueConstraint("charge_id", "revision", name="uq_charge_revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    charge_id: Mapped[int] = mapped_column(ForeignKey("charges.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
