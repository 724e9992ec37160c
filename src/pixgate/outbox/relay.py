"""The relay: wakes on a kick after each commit (or on a timer after a crash) and publishes."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask
from sqlalchemy.orm import Session

from pixgate.extensions import db
from pixgate.outbox import fastpath, service
from pixgate.outbox.models import OutboxMessage

log = logging.getLogger(__name__)

Publisher = Callable[[Session, OutboxMessage], None]


class Relay:
    """At-least-once: a row is marked published only after every publisher has taken it."""

    def __init__(self, app: Flask, publishers: list[Publisher]) -> None:
        self.app = app
        self.publishers = publishers

    def run_once(self) -> int:
        """Publish what is pending; a row whose publish fails keeps its lease and is retried."""
        with self.app.app_context():
            try:
                published = 0
                for message in service.claim_pending(db.session):
                    try:
                        for publish in self.publishers:
                            publish(db.session, message)
                        service.mark_published(db.session, message_ids=[message.id])
                        published += 1
                    except Exception:
                        db.session.rollback()
                        log.exception("outbox publish failed; event %s retried after its lease",
                                      message.event_id)
                return published
            finally:
                db.session.remove()

    def drain(self) -> None:
        """Publish until nothing is pending."""
        while self.run_once():
            pass


def kick(app: Flask) -> None:
    """Wake this process's relay, if it runs one; other processes find the row by polling.
    A process with a fast path has published its own events already: nothing to wake for."""
    if fastpath.EXTENSION in app.extensions:
        return
    loop = app.extensions.get("pixgate.relay")
    if loop is not None:
        loop.kick()
