"""Turn an outbox event into delivery rows: pixgate's envelope and BCB's `{"pix": [...]}`."""

from __future__ import annotations

import json
from collections.abc import Sequence
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


# The endpoints registered for the charges' Pix keys, for a whole batch of events in one
# statement built once (a SELECT per event was most of the CPU spent settling confirmations).
_ENDPOINTS_OF_CHARGES = (
    select(Charge.id.label("charge_id"), WebhookEndpoint.url, WebhookEndpoint.id)
    .join(Charge, Charge.pix_key == WebhookEndpoint.chave)
    .where(Charge.id.in_(bindparam("charge_ids", expanding=True)))
)

Target = tuple[OutboxMessage, str, dict[str, Any], int | None]


def targets(
    session: Session, messages: Sequence[OutboxMessage], notify_url: str | None
) -> list[Target]:
    """Every (event, url, body, registration id or None for the operator's URL) these events
    go to."""
    charge_ids = {m.charge_id for m in messages if _bcb_callback(m)}
    endpoints = {
        row.charge_id: (row.url, row.id)
        for row in session.execute(_ENDPOINTS_OF_CHARGES, {"charge_ids": sorted(charge_ids)})
    } if charge_ids else {}
    out: list[Target] = []
    for message in messages:
        if notify_url:
            out.append((message, notify_url, envelope(message), None))
        found = endpoints.get(message.charge_id) if _bcb_callback(message) else None
        if found is not None:
            url, endpoint_id = found
            out.append((message, url.rstrip("/") + "/pix",
                        {"pix": [message.payload["pix"]]}, endpoint_id))
    return out


def _bcb_callback(message: OutboxMessage) -> bool:
    return bool(message.topic in BCB_TOPICS and message.payload.get("pix")
                and message.charge_id is not None)


def fan_out(session: Session, message: OutboxMessage, *, notify_url: str | None) -> int:
    """Insert one event's deliveries in the relay's transaction; existing ones are kept."""
    return fan_out_all(session, [message], notify_url=notify_url)


def fan_out_all(
    session: Session, messages: Sequence[OutboxMessage], *, notify_url: str | None
) -> int:
    """Insert a batch of events' deliveries in the caller's transaction; existing ones are
    kept. Returns how many were added."""
    added = 0
    for message, url, body, endpoint_id in targets(session, messages, notify_url):
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
