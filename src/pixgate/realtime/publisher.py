"""Outbox publisher: emit each payment event to its room (through Redis when configured)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pixgate.extensions import socketio
from pixgate.outbox.models import OutboxMessage
from pixgate.realtime import room_for

EVENT_NAMES = {
    "payment.confirmed": "payment-confirmed",
    "payment.expired": "payment-expired",
    "payment.removed": "payment-removed",
}


def publish(_session: Session | None, message: OutboxMessage) -> None:
    """Emit `payment-<what>-<id>` to the payment's room only: one event per transition (a
    page hears `payment-status` once, when it subscribes, for the state it joined in)."""
    name = EVENT_NAMES.get(message.topic)
    if name is None or message.charge_id is None:
        return
    payload = {k: v for k, v in message.payload.items() if k != "pix"}
    payload["event_id"] = message.event_id
    room = room_for(message.charge_id)
    socketio.emit(f"{name}-{message.charge_id}", payload, to=room)
