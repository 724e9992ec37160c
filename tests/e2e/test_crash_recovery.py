"""SIGKILL in the middle of 500 confirmations: after a restart nothing is lost or doubled."""

from __future__ import annotations

import json
import signal
import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select, text

from pixgate.charges.models import ChargeEvent
from tests.e2e.conftest import free_port, server_env, start_server, stop_server
from tests.factories import json_bytes, random_amount, signed_headers
from tests.receiver import start_receiver

PAYMENTS = 500
KILL_AFTER = 150


def _confirm(url: str, payment: dict) -> bool:
    raw = json_bytes({"bank_payment_id": payment["bank_payment_id"], "value": payment["value"]})
    try:
        response = requests.post(url + "/payments/pix/confirmation", data=raw,
                                 headers=signed_headers(raw), timeout=10)
    except requests.RequestException:
        return False
    return response.status_code == 200


@pytest.mark.parametrize("backend", ["sqlite", "mariadb"])
def test_sigkill_mid_stream_loses_and_doubles_nothing(
    backend: str, tmp_path: Path, own_database: Callable[[str], str]
) -> None:
    receiver = start_receiver()
    extra = {"PIXGATE_NOTIFY_URL": receiver.url + "/events",
             "PIXGATE_WEBHOOK_RETRY_BASE_SECONDS": "0.2", "PIXGATE_RELAY_POLL_SECONDS": "0.2",
             "PIXGATE_WEBHOOK_TIMEOUT_SECONDS": "2"}
    if backend == "mariadb":
        # Its own database: the relay sends every pending event, and every row is counted.
        extra["PIXGATE_DATABASE_URL"] = own_database("mariadb")
    env = server_env(tmp_path, **extra)
    port = free_port()
    server = start_server(tmp_path, env, port)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            payments = list(pool.map(lambda _: requests.post(
                server.url + "/payments/pix", json={"value": str(random_amount())}, timeout=10
            ).json()["payment"], range(PAYMENTS)))
        for payment in payments:
            payment["value"] = f"{payment['value']:.2f}"
        confirmed: set[int] = set()
        killed = threading.Event()

        def stream(chunk: list[dict]) -> None:
            for payment in chunk:
                if _confirm(server.url, payment):
                    confirmed.add(payment["id"])
                if len(confirmed) >= KILL_AFTER and not killed.is_set():
                    killed.set()
                    stop_server(server, signal.SIGKILL)

        chunks = [payments[i::4] for i in range(4)]
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(stream, chunks))
        assert killed.is_set() and KILL_AFTER <= len(confirmed) < PAYMENTS
        server = start_server(tmp_path, env, port)
        for payment in payments:  # the client retries whatever it did not see succeed
            if payment["id"] not in confirmed:
                assert _confirm(server.url, payment), payment
        assert receiver.wait_for(PAYMENTS, timeout=90), len(receiver.calls)
    finally:
        stop_server(server)
        receiver.stop()

    events_by_charge: dict[int, set[str]] = defaultdict(set)
    for call in receiver.calls:
        envelope = json.loads(call.body)
        assert envelope["type"] == "payment.confirmed"
        events_by_charge[envelope["data"]["id"]].add(envelope["id"])
    assert set(events_by_charge) == {p["id"] for p in payments}
    assert all(len(ids) == 1 for ids in events_by_charge.values())

    url = env.get("PIXGATE_DATABASE_URL") or f"sqlite:///{tmp_path}/instance/pixgate.db"
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT status, COUNT(*) FROM charges GROUP BY status"))
        statuses = {status: total for status, total in rows}
        paid_events = conn.scalar(select(func.count()).select_from(ChargeEvent.__table__).where(
            ChargeEvent.__table__.c.kind == "paid"))
    engine.dispose()
    assert statuses == {"PAID": PAYMENTS}
    assert paid_events == PAYMENTS
