"""Send due deliveries, signed; on failure back off exponentially with jitter, then dead-letter."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pixgate import egress, signing
from pixgate.db.types import utcnow
from pixgate.webhooks.models import (
    DEAD,
    DELIVERED,
    PENDING,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

GIVE_UP_AFTER = timedelta(days=3)
MAX_DELAY_SECONDS = 6 * 3600


@dataclass(frozen=True)
class Policy:
    """Retry policy: first retry after `base_seconds`, doubling up to six hours."""

    base_seconds: float = 10.0
    timeout_seconds: float = 10.0
    allow_private: bool = False  # PIXGATE_ALLOW_PRIVATE_WEBHOOK_URLS, for development and tests

    def rules(self, delivery: WebhookDelivery) -> egress.Rules:
        """Registered URLs go through the SSRF guard; PIXGATE_NOTIFY_URL is the operator's."""
        return egress.Rules(allow_private=self.allow_private, https_only=True,
                            trusted=delivery.endpoint_id is None,
                            timeout=self.timeout_seconds, max_bytes=64 * 1024)

    @property
    def lease(self) -> timedelta:
        """How long a claimed delivery stays with its sender: the timeout plus a margin."""
        return timedelta(seconds=self.timeout_seconds + 5)


def next_delay(attempts: int, policy: Policy) -> float:
    """Exponential backoff with +/-50% jitter so failed receivers are not hit in lockstep."""
    delay = min(policy.base_seconds * 2 ** max(attempts - 1, 0), MAX_DELAY_SECONDS)
    return delay * random.uniform(0.5, 1.5)


def claim_due(session: Session, *, policy: Policy, limit: int = 50) -> list[WebhookDelivery]:
    """Lease due deliveries; a conditional UPDATE per row keeps two relays off the same one."""
    now = utcnow()
    due: Sequence[int] = session.scalars(
        select(WebhookDelivery.id)
        .where(WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)  # senders in other processes take other rows
    ).all()
    claimed = []
    for delivery_id in due:
        moved = session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == PENDING,
                   WebhookDelivery.next_attempt_at <= now)
            .values(next_attempt_at=now + policy.lease, attempts=WebhookDelivery.attempts + 1)
        ).rowcount  # type: ignore[attr-defined]
        if moved == 1:
            claimed.append(delivery_id)
    session.commit()
    if not claimed:
        return []
    return list(session.scalars(select(WebhookDelivery).where(WebhookDelivery.id.in_(claimed))))


def send(
    delivery: WebhookDelivery, *, secret: str | None, policy: Policy
) -> tuple[int | None, str | None, int]:
    """POST one delivery; returns (status code, error, duration in ms). Never raises."""
    body = delivery.body.encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "pixgate-webhooks/1",
        "X-Pixgate-Event-Id": delivery.event_id,
        "X-Pixgate-Event-Type": delivery.topic,
    }
    if secret:
        headers[signing.HEADER] = signing.sign(secret, body)
    started = time.monotonic()
    code: int | None = None
    try:
        reply = egress.request("POST", delivery.url, data=body, headers=headers,
                               rules=policy.rules(delivery))
        code = reply.status
        error = None if 200 <= code < 300 else f"HTTP {code}"  # a redirect is not a delivery
    except egress.Refused as exc:
        error = f"refused: {exc.reason}"[:500]
    except egress.FetchFailed as exc:
        error = exc.reason[:500]
    return code, error, int((time.monotonic() - started) * 1000)


def secret_for(session: Session, delivery: WebhookDelivery, notify_secret: str | None
               ) -> tuple[str | None, str | None]:
    """(secret, refusal): a registration's own secret, or PIXGATE_NOTIFY_SECRET for the
    operator's URL; a refusal when the registration is gone or predates its secret."""
    if delivery.endpoint_id is None:
        return notify_secret, None
    endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
    if endpoint is None:
        return None, "the webhook registration was removed"
    if not endpoint.secret:
        return None, "the registration has no signing secret (made before 0002): register again"
    return endpoint.secret, None


def record(
    session: Session, delivery: WebhookDelivery, *, code: int | None, error: str | None,
    duration_ms: int, policy: Policy, final: bool = False,
) -> str:
    """Store the attempt and the delivery's next state: delivered, retry later, or dead."""
    now = utcnow()
    session.add(WebhookAttempt(delivery_id=delivery.id, attempted_at=now, status_code=code,
                               error=error, duration_ms=duration_ms))
    values: dict = {"last_status_code": code, "last_error": error}
    if error is None:
        values.update(status=DELIVERED, delivered_at=now)
    elif final or now >= delivery.give_up_at:
        values.update(status=DEAD)
    else:
        delay = timedelta(seconds=next_delay(delivery.attempts, policy))
        values.update(next_attempt_at=now + delay)
    session.execute(
        update(WebhookDelivery).where(WebhookDelivery.id == delivery.id).values(**values)
    )
    session.commit()
    return values.get("status", PENDING)


def deliver_due(
    session: Session, *, notify_secret: str | None, policy: Policy, limit: int = 50
) -> int:
    """One pass: send what is due, record every outcome; returns how many were attempted."""
    deliveries = claim_due(session, policy=policy, limit=limit)
    for delivery in deliveries:
        secret, refusal = secret_for(session, delivery, notify_secret)
        if refusal:  # never send a registration's delivery unsigned
            record(session, delivery, code=None, error=refusal, duration_ms=0, policy=policy,
                   final=True)
            continue
        code, error, duration = send(delivery, secret=secret, policy=policy)
        record(session, delivery, code=code, error=error, duration_ms=duration, policy=policy)
    return len(deliveries)


def replay(session: Session, *, delivery_ids: Sequence[int] | None = None) -> int:
    """Requeue dead (or named) deliveries, due now: the CLI's and the dashboard's retry."""
    now = utcnow()
    query = update(WebhookDelivery).values(
        status=PENDING, next_attempt_at=now, give_up_at=now + GIVE_UP_AFTER
    )
    if delivery_ids is None:
        query = query.where(WebhookDelivery.status == DEAD)
    else:
        query = query.where(WebhookDelivery.id.in_(list(delivery_ids)),
                            WebhookDelivery.status != DELIVERED)
    count = int(session.execute(query).rowcount or 0)  # type: ignore[attr-defined]
    session.commit()
    return count
