"""Background work every serving process runs: outbox relay and settler, webhook sender, expiry
sweeper, and with a PSP that holds charges, reconciliation (one process at a time, by lease)."""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy.orm import Session

from pixgate.charges import lifecycle
from pixgate.extensions import db, socketio
from pixgate.idempotency import service as idempotency
from pixgate.loops import Loop
from pixgate.outbox.fastpath import FastPath
from pixgate.outbox.models import OutboxMessage
from pixgate.outbox.relay import Relay
from pixgate.psp import reconcile, registry
from pixgate.psp.base import Psp, PspError
from pixgate.realtime import publisher
from pixgate.signing import secrets_from
from pixgate.webhooks import delivery, fanout

log = logging.getLogger(__name__)


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
    def fan_out_all(session: Session, messages: list[OutboxMessage]) -> None:
        if fanout.fan_out_all(session, messages, notify_url=config["NOTIFY_URL"]):
            sender.kick()

    fast = FastPath(app, inline=[publisher.publish], deferred=[fan_out_all])
    settler = Loop("outbox settler", fast.settle, config["RELAY_POLL_SECONDS"])
    fast.wake = settler.kick

    psp, flows = registry.charge_psp(app), registry.flows(app)

    def sweep() -> None:
        with app.app_context():
            try:
                checked = (reconcile.check_due(
                    db.session, psp, lease_seconds=config["SWEEP_SECONDS"] * 3,
                    auto_refund=flows.auto_refund_unmatched) if psp is not None else None)
                if lifecycle.expire_due(db.session, psp_checked=checked or ()):
                    relay.kick()
                if checked is not None:
                    relay.kick()  # a Pix the check found was credited
                idempotency.purge_expired(db.session)
            finally:
                db.session.remove()

    sweeper = Loop("expiry sweeper", sweep, config["SWEEP_SECONDS"])
    app.extensions["pixgate.relay"] = relay
    loops = [relay, settler, sender, sweeper]
    if psp is not None:
        loops.append(_poller(app, psp, flows, relay))
    for loop in loops:
        socketio.start_background_task(loop.run)
    return loops


def _poller(app: Flask, psp: Psp, flows: registry.Flows, relay: Loop) -> Loop:
    """Reconciliation every PIXGATE_PSP_RECONCILE_SECONDS: whatever a lost webhook missed."""

    def poll() -> None:
        with app.app_context():
            try:
                tally = reconcile.poll(db.session, psp, interval=flows.reconcile_seconds,
                                       auto_refund=flows.auto_refund_unmatched)
                if tally is not None and (tally.credited or tally.unmatched
                                          or tally.refunds_moved):
                    relay.kick()
            except PspError as exc:  # the PSP is down: nothing moved, the next pass retries
                log.warning("reconciliation skipped: %s", exc.detail)
            finally:
                db.session.remove()

    return Loop("PSP reconciliation", poll, flows.reconcile_seconds)
