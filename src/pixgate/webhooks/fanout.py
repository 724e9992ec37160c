"""Turn an outbox event into delivery rows: pixgate's envelope and BCB's `{"pix": [...]}`."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pixgate.charges.models import Charge
from pixgate.db.types import utcnow
from pixgate.outbox.models import OutboxMessage
from pixgate.webhooks.delivery import GIVE_UP_AFTER
from pixgate.webhooks.models import WebhookDelivery, WebhookEndpoint

# BCB's callback goes out for every Pix received with a txid, paying its charge or not.
BCB_TOPICS = {"payment.confirmed", "refund.settled", "pix.unmatched"}


def envelope(message: OutboxMessage) -> dict[str, Any]:
    """pixgate's own event body: an id to de-duplicate on, a type, a time and the data."""
    return {
        "id": message.event_id,
        "type": message.topic,
        "created": message.created_at.isoformat(),
        "data": message.payload,
    }


# The endpoint registered for the charge's Pix key, in one statement built once (the two
# per-call SELECTs it replaces were most of the CPU spent settling a confirmation).
_ENDPOINT_OF_CHARGE = (
    select(WebhookEndpoint.url, WebhookEndpoint.id)
    .join(Charge, Charge.pix_key == WebhookEndpoint.chave)
    .where(Charge.id == bindparam("charge_id"))
)


def targets(session: Session, message: OutboxMessage, notify_url: str | None) -> list[tuple]:
    """Every (url, body, registration id or None for the operator's URL) this event goes to."""
    out: list[tuple[str, dict[str, Any], int | None]] = []
    if notify_url:
        out.append((notify_url, envelope(message), None))
    pix = message.payload.get("pix")
    if message.topic in BCB_TOPICS and pix and message.charge_id is not None:
        found = session.execute(_ENDPOINT_OF_CHARGE, {"charge_id": message.charge_id}).first()
        if found is not None:
            out.append((found.url.rstrip("/") + "/pix", {"pix": [pix]}, found.id))
    return out


def fan_out(session: Session, message: OutboxMessage, *, notify_url: str | None) -> int:
    """Insert the event's deliveries in the relay's transaction; existing ones are kept."""
    added = 0
    for url, body, endpoint_id in targets(session, message, notify_url):
        exists = session.scalar(
            select(WebhookDelivery.id).where(
                WebhookDelivery.event_id == message.event_id, WebhookDelivery.url == url
            )
        )
        if exists is not None:
            continue
        delivery = WebhookDelivery(
            event_id=message.event_id, topic=message.topic, charge_id=message.charge_id,
            url=url, endpoint_id=endpoint_id,
            body=json.dumps(body, separators=(",", ":"), ensure_ascii=False),
            give_up_at=utcnow() + GIVE_UP_AFTER,
        )
        try:
            with session.begin_nested():
                session.add(delivery)
        except IntegrityError:
            continue  # another relay inserted it first
        added += 1
    return added
