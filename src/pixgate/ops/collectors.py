"""Figures read from the database at scrape time: payments by status, outbox, webhooks.

They describe the shared database, so every process reports the same values; dashboards should
take `max` across instances, not `sum`. Results are cached for a few seconds so several
scrapers (or a scrape storm) cost one set of queries. Each query is a GROUP BY over an indexed
status column or an indexed `published_at IS NULL` range.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

from flask import Flask
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import case, func, select
from sqlalchemy.exc import SQLAlchemyError

from pixgate.db.types import utcnow
from pixgate.extensions import db

log = logging.getLogger(__name__)

PAYMENT_STATUSES = ("ACTIVE", "PAID", "EXPIRED", "REMOVED")
DELIVERY_STATUSES = ("PENDING", "DELIVERED", "DEAD")
CACHE_SECONDS = 5.0


class DatabaseCollector(Collector):
    """A custom collector: queries on collect, reports `pixgate_database_up 0` when it cannot."""

    def __init__(self, app: Flask, cache_seconds: float = CACHE_SECONDS) -> None:
        self.app = app
        self.cache_seconds = cache_seconds
        self._lock = threading.Lock()
        self._cached: tuple[float, list[Metric]] | None = None

    def describe(self) -> list[Metric]:
        """Nothing to describe up front: registering must not touch the database."""
        return []

    def collect(self) -> Iterator[Metric]:
        """Yield the families, from cache when a scrape happened in the last few seconds."""
        with self._lock:
            now = time.monotonic()
            if self._cached is None or now - self._cached[0] > self.cache_seconds:
                self._cached = (now, self._query())
            families = self._cached[1]
        yield from families

    def _query(self) -> list[Metric]:
        up = GaugeMetricFamily("pixgate_database_up", "1 if the last metrics query succeeded")
        try:
            with self.app.app_context():
                try:
                    families = _families()
                finally:
                    db.session.remove()
        except SQLAlchemyError as exc:
            log.warning("metrics: database query failed: %s", str(exc).splitlines()[0][:200])
            up.add_metric([], 0)
            return [up]
        up.add_metric([], 1)
        return [up, *families]


def _families() -> list[Metric]:
    from pixgate.charges.models import Charge
    from pixgate.outbox.models import OutboxMessage
    from pixgate.webhooks.models import WebhookDelivery

    session = db.session
    payments = GaugeMetricFamily("pixgate_payments", "Payments stored, by status",
                                 labels=["status"])
    by_charge_status = select(Charge.status, func.count()).group_by(Charge.status)
    counts = {status: int(n) for status, n in session.execute(by_charge_status).all()}
    for status in sorted(set(PAYMENT_STATUSES) | set(counts)):
        payments.add_metric([status], counts.get(status, 0))

    pending = OutboxMessage.published_at.is_(None)
    retried = func.coalesce(func.sum(case((OutboxMessage.attempts > 1, 1), else_=0)), 0)
    backlog, oldest, retrying = session.execute(
        select(func.count(), func.min(OutboxMessage.created_at), retried).where(pending)
    ).one()
    age = (utcnow() - _aware(oldest)).total_seconds() if oldest is not None else 0.0
    outbox = [
        _gauge("pixgate_outbox_backlog", "Outbox events not yet published", backlog),
        _gauge("pixgate_outbox_oldest_age_seconds", "Age of the oldest unpublished event", age),
        _gauge("pixgate_outbox_retrying", "Unpublished events already tried more than once",
               retrying),
    ]

    attempts_sum = func.coalesce(func.sum(WebhookDelivery.attempts), 0)
    rows = session.execute(
        select(WebhookDelivery.status, func.count(), attempts_sum).group_by(WebhookDelivery.status)
    ).all()
    deliveries = GaugeMetricFamily("pixgate_webhook_deliveries", "Webhook deliveries, by status",
                                   labels=["status"])
    by_status = {status: (int(n), int(attempts)) for status, n, attempts in rows}
    for status in sorted(set(DELIVERY_STATUSES) | set(by_status)):
        deliveries.add_metric([status], by_status.get(status, (0, 0))[0])
    attempts = sum(a for _, a in by_status.values())
    delivered = by_status.get("DELIVERED", (0, 0))[0]
    failures = CounterMetricFamily(
        "pixgate_webhook_delivery_failures", "Webhook attempts that did not get a 2xx"
    )
    failures.add_metric([], max(attempts - delivered, 0))
    return [payments, *outbox, deliveries, failures]


def _gauge(name: str, documentation: str, reading: float) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation)
    family.add_metric([], float(reading or 0))
    return family


def _aware(moment: datetime) -> datetime:
    # MIN() keeps the column type on every backend we know; this guards one that does not.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
