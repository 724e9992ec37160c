"""No Pix lost, none credited twice, with faults on both wires between A and B.

A (merchant) reaches B (its PSP) through a recording, fault-injecting proxy that also demands
A's client certificate; B's webhooks reach A through a second proxy. Creates are answered 500
after B did the work, connections are reset, webhooks are duplicated, failed or delayed, read-
backs and reconciliation pages fail once: every payment still ends credited exactly once.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from tests.e2e.conftest import LiveServer, free_port, server_env, start_server, stop_server
from tests.e2e.test_psp_client import settings_for
from tests.fault_proxy import HttpFaultProxy
from tests.psp_harness import PspServer, front, make_certificates, merchant_env, start_psp

pytestmark = pytest.mark.e2e
A_KEY = "pagamentos@pixgate.example"
PAYMENTS = 8
POLL_SECONDS = 2


@dataclass
class Wires:
    """A, B, the proxy A -> B (PSP calls) and the proxy B -> A (webhooks)."""

    a: LiveServer
    b: PspServer
    to_b: HttpFaultProxy
    to_a: HttpFaultProxy
    a_db: Engine
    a_env: dict[str, str]


@pytest.fixture(scope="module")
def wires(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wires]:
    """B on SQLite, A on SQLite polling every 2 s, both wires through fault proxies."""
    root = tmp_path_factory.mktemp("faults")
    b = start_psp(root / "b", make_certificates(root / "pki"),
                  PIXGATE_ALLOW_PRIVATE_WEBHOOK_URLS="1")  # B notifies A on 127.0.0.1
    to_b = front(b)
    port = free_port()
    to_a = HttpFaultProxy(f"http://127.0.0.1:{port}")
    env = server_env(root / "a", **merchant_env(b, via=to_b),
                     PIXGATE_PUBLIC_URL=f"http://127.0.0.1:{port}",
                     PIXGATE_PSP_RECONCILE_SECONDS=str(POLL_SECONDS))
    a = start_server(root / "a", env, port)
    from pixgate.psp.bcb import BcbPsp

    client = BcbPsp(settings_for(b))
    client.put_webhook(A_KEY, f"{to_a.url}/webhooks/psp/{env['PIXGATE_PSP_WEBHOOK_TOKEN']}")
    client.close()
    try:
        yield Wires(a=a, b=b, to_b=to_b, to_a=to_a, a_env=env,
                    a_db=create_engine(f"sqlite:///{root / 'a' / 'instance' / 'pixgate.db'}"))
    finally:
        stop_server(a)
        to_a.close()
        to_b.close()
        b.stop()


def _is(method: str, prefix: str):  # type: ignore[no-untyped-def]
    return lambda record: record.method == method and record.route.startswith(prefix)


def test_no_pix_lost_and_none_credited_twice(wires: Wires) -> None:
    wires.to_b.inject("reset", times=3, when=_is("PUT", "/v2/cob/"))  # every attempt fails
    failed = requests.post(wires.a.url + "/payments/pix", json={"value": "1.00"}, timeout=60)
    assert failed.status_code == 503 and failed.json()["code"] == "psp_unavailable"
    assert _count(wires, "SELECT COUNT(*) FROM charges") == 0  # nothing half-written
    payments = []
    for index in range(PAYMENTS):
        if index % 3 == 0:  # B creates it, A hears 500, then a reset: the third PUT lands
            wires.to_b.inject("after", status=500, when=_is("PUT", "/v2/cob/"))
            wires.to_b.inject("reset", when=_is("PUT", "/v2/cob/"))
        answer = requests.post(wires.a.url + "/payments/pix", json={"value": f"{index + 1}.25"},
                               timeout=60)
        assert answer.status_code == 200, answer.text
        payments.append(answer.json()["payment"])
    cob_puts = [r for r in wires.to_b.records if _is("PUT", "/v2/cob/")(r)]
    assert len({r.route for r in cob_puts}) == PAYMENTS + 1 < len(cob_puts)  # retried, same txid
    wires.to_a.inject("duplicate", times=2)
    wires.to_a.inject("status", times=2, status=500)
    wires.to_a.inject("reset")
    wires.to_b.inject("reset", when=_is("GET", "/v2/pix/"))
    wires.to_b.inject("status", status=503, when=lambda r: r.route == "/v2/pix")
    with wires.b.session() as session:
        for payment in payments:
            paid = session.post(wires.b.url + "/sandbox/pay",
                                json={"txid": payment["bank_payment_id"]}, timeout=30)
            assert paid.status_code == 201, paid.text
    deadline = time.monotonic() + POLL_SECONDS * 6 + 10
    while time.monotonic() < deadline and _credited(wires) < PAYMENTS:
        time.sleep(0.3)
    assert _credited(wires) == PAYMENTS
    time.sleep(POLL_SECONDS + 1)  # one more poll and the delayed webhooks: still once each
    with wires.a_db.connect() as conn:
        per_charge = conn.execute(text(
            "SELECT c.id, (SELECT COUNT(*) FROM received_pix p WHERE p.charge_id = c.id), "
            "(SELECT COUNT(*) FROM charge_events e WHERE e.charge_id = c.id AND e.kind = 'paid') "
            "FROM charges c")).all()
        unmatched = conn.execute(text(
            "SELECT COUNT(*) FROM received_pix WHERE match_status = 'unmatched'")).scalar()
        confirmed = conn.execute(text(
            "SELECT COUNT(*) FROM outbox WHERE topic = 'payment.confirmed'")).scalar()
    assert len(per_charge) == PAYMENTS and unmatched == 0 and confirmed == PAYMENTS
    assert {(pix_rows, paid_events) for _id, pix_rows, paid_events in per_charge} == {(1, 1)}
    faults = [r.fault for r in wires.to_a.records + wires.to_b.records if r.fault]
    assert {"duplicate", "status", "reset", "after"} <= set(faults)


def _credited(wires: Wires) -> int:
    return _count(wires, "SELECT COUNT(*) FROM charges WHERE status = 'PAID'")


def _count(wires: Wires, sql: str, **params: str) -> int:
    with wires.a_db.connect() as conn:
        return int(conn.execute(text(sql), params).scalar() or 0)



def test_a_refund_whose_answer_was_lost_follows_b_to_devolvido(wires: Wires) -> None:
    answer = requests.post(wires.a.url + "/payments/pix", json={"value": "30.00"}, timeout=60)
    payment = answer.json()["payment"]
    with wires.b.session() as session:
        e2e = session.post(wires.b.url + "/sandbox/pay", timeout=30,
                           json={"txid": payment["bank_payment_id"]}).json()["endToEndId"]
    deadline = time.monotonic() + POLL_SECONDS * 4 + 10
    while time.monotonic() < deadline and _count(
            wires, "SELECT COUNT(*) FROM received_pix WHERE end_to_end_id = :e", e=e2e) == 0:
        time.sleep(0.3)
    # B carries out the refund each time, but A never hears an answer to its PUT.
    wires.to_b.inject("after", times=3, status=500, when=_is("PUT", f"/v2/pix/{e2e}/devolucao"))
    done = subprocess.run([sys.executable, "-m", "pixgate", "refund", e2e, "lost1", "7.00"],
                          env=wires.a_env, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()
    # No answer reached A: the refund stays EM_PROCESSAMENTO unless B's webhook, read back,
    # already settled it while A was retrying.
    assert json.loads(done.stdout)["devolucoes"][0]["status"] in ("EM_PROCESSAMENTO",
                                                                  "DEVOLVIDO")
    lost = [r for r in wires.to_b.records if r.fault == "after" and "devolucao" in r.route]
    assert len(lost) == 3
    status_sql = "SELECT status FROM refunds WHERE refund_id = 'lost1'"
    deadline = time.monotonic() + POLL_SECONDS * 4 + 10
    while time.monotonic() < deadline and _status(wires, status_sql) != "DEVOLVIDO":
        time.sleep(0.3)
    assert _status(wires, status_sql) == "DEVOLVIDO"  # by B's webhook (read back) or the poller
    assert _b_refunds(wires, e2e) == [("lost1", "DEVOLVIDO")]  # three PUTs, one refund


def _status(wires: Wires, sql: str) -> str | None:
    with wires.a_db.connect() as conn:
        return conn.execute(text(sql)).scalar()


def _b_refunds(wires: Wires, e2e: str) -> list[tuple[str, str]]:
    engine = create_engine(wires.b.env.get("PIXGATE_DATABASE_URL") or
                           f"sqlite:///{Path(wires.b.env['PIXGATE_INSTANCE_PATH'])}/pixgate.db")
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(
                "SELECT r.refund_id, r.status FROM refunds r JOIN received_pix p "
                "ON p.id = r.pix_id WHERE p.end_to_end_id = :e"), {"e": e2e})]
    finally:
        engine.dispose()
