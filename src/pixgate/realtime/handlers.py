"""Socket.IO edge: translate connect/subscribe into a room join plus the current state."""

from __future__ import annotations

import logging
from typing import Any

from flask import request
from flask_socketio import SocketIO, emit, join_room

from pixgate import ops
from pixgate.charges import service
from pixgate.charges.errors import ChargeError
from pixgate.charges.snapshot import charge_state
from pixgate.extensions import db
from pixgate.realtime import room_for

log = logging.getLogger(__name__)


def subscribe(payload: Any) -> dict[str, Any]:
    """Join the payment's room and push its state at once, so a late page still ends right."""
    if not isinstance(payload, dict):
        return {"error": "send {\"payment_id\": <id>}"}
    raw = payload.get("payment_id")
    try:
        charge_id = int(raw) if not isinstance(raw, bool) else None
    except (TypeError, ValueError):
        charge_id = None
    if charge_id is None or charge_id < 1:
        return {"error": "payment_id must be a positive integer"}
    try:
        charge = service.get_charge(db.session, charge_id=charge_id)
    except ChargeError as exc:
        return {"error": exc.detail}
    finally:
        db.session.remove()
    join_room(room_for(charge.id))
    state = charge_state(charge)
    emit("payment-status", state)
    return {"ok": True, "status": state["status"]}


def register(socketio: SocketIO) -> None:
    """Attach the handlers to the Socket.IO server."""

    @socketio.on("connect")
    def on_connect(auth: Any = None) -> None:
        ops.socket_connected()  # first: the disconnect handler runs for every accepted connect
        log.info("socket connected sid=%s", request.sid)  # type: ignore[attr-defined]
        if isinstance(auth, dict) and "payment_id" in auth:
            result = subscribe(auth)
            if "error" in result:
                emit("subscribe-error", result)

    @socketio.on("disconnect")
    def on_disconnect(*_args: Any) -> None:
        ops.socket_disconnected()
        log.info("socket disconnected sid=%s", request.sid)  # type: ignore[attr-defined]

    @socketio.on("subscribe")
    def on_subscribe(payload: Any = None) -> dict[str, Any]:
        result = subscribe(payload)
        if "error" in result:
            emit("subscribe-error", result)
        return result
