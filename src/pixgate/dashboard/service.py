"""Dashboard queries: charges by status and day, the day's totals, a charge's Pix and refunds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from pixgate.charges.errors import InvalidInput
from pixgate.charges.models import (
    ACTIVE,
    EXPIRED,
    PAID,
    REMOVED,
    UNMATCHED,
    Charge,
    ChargeEvent,
    ReceivedPix,
)
from pixgate.charges.money import cents_to_decimal
from pixgate.dashboard import BRASILIA
from pixgate.db.types import utcnow
from pixgate.refunds.models import DONE, Refund
from pixgate.webhooks.models import DEAD, DELIVERED, PENDING, WebhookAttempt, WebhookDelivery

STATUSES = (ACTIVE, PAID, EXPIRED, REMOVED)
DELIVERY_STATUSES = (PENDING, DELIVERED, DEAD)
PER_PAGE = 50


@dataclass(frozen=True)
class ChargePage:
    """One page of the charge list and whether another follows."""

    charges: list[Charge]
    total: int
    page: int
    has_next: bool


@dataclass(frozen=True)
class DayTotals:
    """What a merchant checks first: created, paid, money in and money refunded that day."""

    created: int
    paid: int
    received: Decimal
    refunded: Decimal


@dataclass(frozen=True)
class ChargeDetail:
    """A charge with the Pix that paid it, their refunds and its event log."""

    charge: Charge
    pix: list[ReceivedPix]
    refunds: dict[int, list[Refund]] = field(default_factory=dict)
    events: list[ChargeEvent] = field(default_factory=list)

    def refundable(self, pix: ReceivedPix) -> Decimal:
        """What can still be refunded of this Pix (refunds in progress are reserved)."""
        return cents_to_decimal(pix.amount_cents - pix.refunded_cents)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a Brasília calendar day, as aware datetimes for the UTC columns."""
    start = datetime.combine(day, time.min, tzinfo=BRASILIA)
    return start, start + timedelta(days=1)


def today(now: datetime | None = None) -> date:
    """The current Brasília day: the dashboard's default filter."""
    return (now or utcnow()).astimezone(BRASILIA).date()


def _status_filter(status: str, now: datetime) -> Any:
    # ACTIVE past its expiry reads as EXPIRED everywhere, before the sweeper stores it.
    if status == ACTIVE:
        return and_(Charge.status == ACTIVE, Charge.expires_at > now)
    if status == EXPIRED:
        return or_(Charge.status == EXPIRED,
                   and_(Charge.status == ACTIVE, Charge.expires_at <= now))
    return Charge.status == status


def list_charges(
    session: Session, *, status: str | None = None, day: date | None = None, page: int = 1,
    now: datetime | None = None,
) -> ChargePage:
    """Newest first, filtered by the status a payer sees and by the Brasília day of creation."""
    if status is not None and status not in STATUSES:
        raise InvalidInput("status", f"must be one of {', '.join(STATUSES)}")
    page = max(1, page)
    query = select(Charge)
    if status:
        query = query.where(_status_filter(status, now or utcnow()))
    if day is not None:
        start, end = day_bounds(day)
        query = query.where(Charge.created_at >= start, Charge.created_at < end)
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = session.scalars(query.order_by(Charge.created_at.desc(), Charge.id.desc())
                           .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    return ChargePage(list(rows), total, page, page * PER_PAGE < total)


def day_totals(session: Session, *, day: date) -> DayTotals:
    """Totals of one Brasília day: charges created, Pix received, refunds settled."""
    start, end = day_bounds(day)
    created = session.scalar(select(func.count(Charge.id)).where(
        Charge.created_at >= start, Charge.created_at < end))
    paid, received = session.execute(select(
        func.count(ReceivedPix.id), func.coalesce(func.sum(ReceivedPix.amount_cents), 0),
    ).where(ReceivedPix.received_at >= start, ReceivedPix.received_at < end)).one()
    refunded = session.scalar(select(func.coalesce(func.sum(Refund.amount_cents), 0)).where(
        Refund.status == DONE, Refund.settled_at >= start, Refund.settled_at < end))
    return DayTotals(int(created or 0), int(paid or 0), cents_to_decimal(int(received or 0)),
                     cents_to_decimal(int(refunded or 0)))


def charge_detail(session: Session, *, charge: Charge) -> ChargeDetail:
    """Everything the charge page shows, in three queries."""
    pix = list(session.scalars(select(ReceivedPix).where(ReceivedPix.charge_id == charge.id)
                               .order_by(ReceivedPix.id)))
    refunds: dict[int, list[Refund]] = {p.id: [] for p in pix}
    if pix:
        for refund in session.scalars(select(Refund).where(Refund.pix_id.in_(list(refunds)))
                                      .order_by(Refund.id)):
            refunds[refund.pix_id].append(refund)
    events = list(session.scalars(select(ChargeEvent).where(ChargeEvent.charge_id == charge.id)
                                  .order_by(ChargeEvent.id)))
    return ChargeDetail(charge, pix, refunds, events)


def charge_states(session: Session, *, ids: list[int], now: datetime | None = None) -> dict:
    """Status per charge id, for the dashboard's polling fallback (unknown ids are left out)."""
    if not ids:
        return {}
    now = now or utcnow()
    rows = session.scalars(select(Charge).where(Charge.id.in_(ids[:PER_PAGE])))
    return {str(c.id): c.effective_status(now) for c in rows}


@dataclass(frozen=True)
class DeliveryView:
    """A webhook delivery with every attempt made so far, oldest first."""

    delivery: WebhookDelivery
    attempts: list[WebhookAttempt]


def list_deliveries(
    session: Session, *, status: str | None = None, charge_id: int | None = None,
    limit: int = PER_PAGE,
) -> list[DeliveryView]:
    """Newest deliveries (optionally one status or one charge) with their attempts."""
    if status is not None and status not in DELIVERY_STATUSES:
        raise InvalidInput("status", f"must be one of {', '.join(DELIVERY_STATUSES)}")
    query = select(WebhookDelivery)
    if status:
        query = query.where(WebhookDelivery.status == status)
    if charge_id is not None:
        query = query.where(WebhookDelivery.charge_id == charge_id)
    deliveries = list(session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(limit)))
    attempts: dict[int, list[WebhookAttempt]] = {d.id: [] for d in deliveries}
    if deliveries:
        for attempt in session.scalars(select(WebhookAttempt).where(
                WebhookAttempt.delivery_id.in_(list(attempts))).order_by(WebhookAttempt.id)):
            attempts[attempt.delivery_id].append(attempt)
    return [DeliveryView(d, attempts[d.id]) for d in deliveries]


def list_unmatched(session: Session, *, limit: int = PER_PAGE * 2) -> list[tuple[ReceivedPix,
                                                                                list[Refund]]]:
    """The latest Pix that settled no charge, newest first, each with its refunds."""
    items = session.scalars(select(ReceivedPix).where(ReceivedPix.match_status == UNMATCHED)
                            .order_by(ReceivedPix.received_at.desc(), ReceivedPix.id.desc())
                            .limit(limit)).all()
    refunds: dict[int, list[Refund]] = {pix.id: [] for pix in items}
    for refund in session.scalars(select(Refund).where(Refund.pix_id.in_(list(refunds)))
                                  .order_by(Refund.id)):
        refunds[refund.pix_id].append(refund)
    return [(pix, refunds[pix.id]) for pix in items]
