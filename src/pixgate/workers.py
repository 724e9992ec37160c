"""Background work every serving process runs: outbox relay and settler, webhook sender, expiry
sweeper."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from pixgate.charges import lifecycle
from pixgate.extensions import db, socketio
from pixgate.idempotency import service as idempotency
from pixgate.loops import Loop
from pixgate.outbox.fastpath import FastPath
from pixgate.outbox.models import OutboxMessage
from pixgate.outbox.relay import Relay
from pixgate.realtime import publisher
from pixgate.signing import secrets_from
from pixgate.webhooks import delivery, fanout


def start(app: Flask) -> list[Loop]:
    """Start the loops as background tasks of the Socket.IO async mode (greenlets or threads)."""
    config = app.config
    policy = delivery.Policy(
        base_seconds=config["WEBHOOK_RETRY_BASE_SECONDS"],
        timeout_seconds=config["WEBHOOK_TIMEOUT_SECONDS"],
        allow_private=config["ALLOW_PRIVATE_WEBHOOK_URLS"],
    )
    # Outgoing deliveries are signed with PIXGATE_NOTIFY_SECRET, never the incoming key.
    notify_secrets = secrets_from(config["NOTIFY_SECRET"])

    def send_webhooks() -> None:
        with app.app_context():
            try:
                while delivery.deliver_due(
                    db.session, notify_secret=notify_secrets[0] if notify_secrets else None,
                    policy=policy,
                ):
                    pass
            finally:
                db.session.remove()

    sender = Loop("webhook sender", send_webhooks, config["RELAY_POLL_SECONDS"])

    def fan_out(session: Session, message: OutboxMessage) -> None:
        if fanout.fan_out(session, message, notify_url=config["NOTIFY_URL"]):
            sender.kick()

    relay = Loop("outbox relay", Relay(app, [publisher.publish, fan_out]).drain,
                 config["RELAY_POLL_SECONDS"])
    # Events are emitted by the request that commits them; the settler fans them out to
    # webhooks and marks them published. The relay is left with what a crash leaves behind.
    fast = FastPath(app, inline=[publisher.publish], deferred=[fan_out])
    settler = Loop("outbox settler", fast.settle, config["RELAY_POLL_SECONDS"])
    fast.wake = settler.kick

    def sweep() -> None:
        with app.app_context():
            try:
                if lifecycle.expire_due(db.session):
                    relay.kick()
                idempotency.purge_expired(db.session)
            finally:
                db.session.remove()

    sweeper = Loop("expiry sweeper", sweep, config["SWEEP_SECONDS"])
    app.extensions["pixgate.relay"] = relay
    loops = [relay, settler, sender, sweeper]
    for loop in loops:
        socketio.start_background_task(loop.run)
    return loops
