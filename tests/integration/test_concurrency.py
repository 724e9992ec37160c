"""Exactly once under contention: 50 concurrent confirmations of one charge, 20 rounds."""

from __future__ import annotations

import secrets
import threading
from concurrent.futures import ThreadPoolExecutor

from flask import Flask

from pixgate.charges import payment, service
from pixgate.charges.errors import Conflict
from pixgate.charges.models import ChargeEvent
from pixgate.extensions import db
from pixgate.outbox.models import OutboxMessage
from tests.factories import random_amount
from tests.integration.helpers import count

WORKERS = 50
ROUNDS = 20


def _confirm(app: Flask, barrier: threading.Barrier, txid: str, amount: object, n: int) -> str:
    with app.app_context():
        barrier.wait(timeout=30)
        e2e = None if n % 2 else f"E00000000202611261200{secrets.token_hex(6)[:11]}"
        try:
            result = payment.confirm_payment(
                db.session, txid=txid, amount=amount, source="test", end_to_end_id=e2e
            )
            return "applied" if result.applied else "repeat"
        except Conflict:
            return "conflict"
        finally:
            db.session.remove()


def test_fifty_concurrent_confirmations_pay_once_per_round(app: Flask) -> None:
    receiver = app.extensions["pixgate.receiver"]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for _ in range(ROUNDS):
            charge = service.create_charge(
                db.session, amount=random_amount(), receiver=receiver, ttl_seconds=600,
                source="test",
            ).charge
            barrier = threading.Barrier(WORKERS)
            txid, amount = charge.txid, charge.amount
            outcomes = list(pool.map(
                lambda n, t=txid, a=amount, b=barrier: _confirm(app, b, t, a, n), range(WORKERS)
            ))
            assert outcomes.count("applied") == 1, outcomes
            db.session.rollback()  # a fresh snapshot: MariaDB reads are REPEATABLE READ
            assert count(ChargeEvent, ChargeEvent.charge_id == charge.id,
                         ChargeEvent.kind == "paid") == 1
            assert count(OutboxMessage, OutboxMessage.charge_id == charge.id) == 1
            db.session.rollback()
