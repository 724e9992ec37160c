"""Publish an event straight after the commit that wrote it; the relay keeps what a crash leaves.

In a serving process, a transition's outbox row is born leased to that process
(`claimed_until` = now + LEASE, in the same transaction as the change), so no relay claims it.
When the transaction commits, the committing greenlet hands the event to the inline publishers
(the Socket.IO emit: the page hears it as the HTTP answer leaves, with no claim transaction in
between), and a background settler runs the deferred publishers (webhook fan-out) and marks the
rows published, many per UPDATE.

Exactly once: a row is published by this path, or, if the process dies before settling it, by
a relay once the lease has expired (the at-least-once fallback the relay always was: a crash
between the emit and the settle can repeat an event, which carries its `event_id`). A rolled-back
transaction or savepoint announces nothing.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

from pixgate.extensions import db
from pixgate.outbox.models import OutboxMessage

log = logging.getLogger(__name__)

Publisher = Callable[[Session, OutboxMessage], None]
InlinePublisher = Callable[[Session | None, OutboxMessage], None]
BatchPublisher = Callable[[Session, list[OutboxMessage]], None]  # a settle's whole batch
EXTENSION = "pixgate.fastpath"
PENDING = "pixgate.outbox.announced"  # session.info: [transaction, message, fast path] entries
BATCH_SECONDS = 0.05  # the settler waits this long for company: one UPDATE marks them all


def current() -> FastPath | None:
    """This app's fast path, if its process runs one (serving processes do; tests and CLI not)."""
    if not has_app_context():
        return None
    return current_app.extensions.get(EXTENSION)


class FastPath:
    """Inline publishers run right after the commit; deferred ones and the settle run later."""

    def __init__(self, app: Flask, *, inline: list[InlinePublisher],
                 deferred: list[BatchPublisher]) -> None:
        self.app = app
        self.inline = inline
        self.deferred = deferred
        # (message, inline publishers done); a deque: appends and pops stay atomic under threads
        self.queue: deque[tuple[OutboxMessage, bool]] = deque()
        self.wake: Callable[[], None] = lambda: None
        self.settle_delay = BATCH_SECONDS
        _listen()
        app.extensions[EXTENSION] = self

    def announce(self, session: Session, message: OutboxMessage) -> None:
        """Publish `message` when the transaction open now commits (not if it rolls back)."""
        if isinstance(session, scoped_session):
            session = session()  # the request's own session, whose transactions end
        transaction = session.get_nested_transaction() or session.get_transaction()
        session.info.setdefault(PENDING, []).append([transaction, message, self])

    def committed(self, session: Session | None, messages: list[OutboxMessage]) -> None:
        """Emit now; an emit that fails is left to the settler, which runs every publisher.
        `session` is None after a `core.write` block: inline publishers need none."""
        for message in messages:
            try:
                for publish in self.inline:
                    publish(session, message)
                self.queue.append((message, True))
            except Exception:
                log.exception("publishing event %s after its commit failed; the settler retries",
                              message.event_id)
                self.queue.append((message, False))
        self.wake()

    def settle(self) -> int:
        """Run the deferred publishers and mark the rows published; a failure leaves them leased,
        so a relay publishes them after the lease (a repeat of the emit, carrying its event_id)."""
        from pixgate.outbox import service

        if self.settle_delay > 0:
            time.sleep(self.settle_delay)
        batch = []
        while self.queue:
            batch.append(self.queue.popleft())
        if not batch:
            return 0
        with self.app.app_context():
            try:
                for message, emitted in batch:
                    for publish in () if emitted else self.inline:
                        publish(db.session, message)
                messages = [message for message, _ in batch]
                for publish_all in self.deferred:
                    publish_all(db.session, messages)
                return service.settle(db.session, event_ids=[m.event_id for m in messages])
            except Exception:
                db.session.rollback()
                log.exception("settling %d published events failed; the relay takes them after "
                              "their lease", len(batch))
                return 0
            finally:
                db.session.remove()


def _after_commit(session: Session) -> None:
    pending = session.info.get(PENDING)
    if not pending:
        return
    transaction = session.get_nested_transaction()
    if transaction is not None:  # a savepoint was released: its events follow the outer one
        for entry in pending:
            if entry[0] is transaction:
                entry[0] = transaction.parent
        return
    session.info[PENDING] = []
    by_path: dict[int, tuple[FastPath, list[OutboxMessage]]] = {}
    for _transaction, message, fast in pending:
        by_path.setdefault(id(fast), (fast, []))[1].append(message)
    for fast, messages in by_path.values():
        fast.committed(session, messages)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    pending = session.info.get(PENDING)
    if pending:  # whatever is still tagged with the ending transaction was rolled back
        session.info[PENDING] = [entry for entry in pending if entry[0] is not transaction]


def _listen() -> None:
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_transaction_end", _after_transaction_end)
