"""Money flows between two processes: A (the merchant, PIXGATE_PSP=bcb) and B (pixgate's sandbox
acting as A's PSP behind mutual TLS, tests/psp_harness.py), on SQLite and on PostgreSQL for A.

B's sandbox payer pays what A created at B; B notifies A; A reads every Pix back from B before
it credits anything; a lost webhook is made good by A's poller; refunds travel A -> B -> A.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from pixgate.psp.bcb import BcbPsp
from tests.conftest import _fresh_database
from tests.e2e.conftest import LiveServer, free_port, server_env, start_server, stop_server
from tests.e2e.test_psp_client import settings_for
from tests.psp_harness import PspServer, make_certificates, merchant_env, start_psp

pytestmark = pytest.mark.e2e
A_KEY = "pagamentos@pixgate.example"  # server_env's PIXGATE_PIX_KEY: A's key, held at B
POLL_SECONDS = 2


@dataclass
class Pair:
    """A (merchant) and B (its PSP), with what the tests need to drive and inspect them."""

    a: LiveServer
    b: PspServer
    a_env: dict[str, str]
    a_db: Engine
    b_db: Engine
    token: str
    bearer: dict[str, str]

    def rows(self, engine: Engine, sql: str, **params: Any) -> list[Any]:
        """Rows of a query on A's or B's own database."""
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params))


def _wait(check: Callable[[], Any], seconds: float = 15) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    return check()


def _pixgate(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "pixgate", *args], env=env,
                          capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return done.stdout.decode()


def _bearer(server: LiveServer, env: dict[str, str]) -> dict[str, str]:
    created = _pixgate(env, "client", "create", "tests")
    fields = dict(line.split(":", 1) for line in created.splitlines() if ":" in line)
    token = requests.post(server.url + "/oauth/token", data={"grant_type": "client_credentials"},
                          auth=(fields["client_id"].strip(), fields["client_secret"].strip()),
                          timeout=10)
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def pair(request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """B on SQLite; A on SQLite or PostgreSQL with auto-refund on and its webhook at B."""
    root = tmp_path_factory.mktemp(f"flows-{request.param}")
    b = start_psp(root / "b", make_certificates(root / "pki"),
                  PIXGATE_ALLOW_PRIVATE_WEBHOOK_URLS="1")  # B notifies A on 127.0.0.1
    closers: list[Iterator[str]] = []
    a: LiveServer | None = None
    try:
        port = free_port()
        env = server_env(root / "a", **merchant_env(b),
                         PIXGATE_PUBLIC_URL=f"http://127.0.0.1:{port}",
                         PIXGATE_AUTO_REFUND_UNMATCHED="1", PIXGATE_SWEEP_SECONDS="1",
                         PIXGATE_PSP_RECONCILE_SECONDS="3600")  # poller tests start their own
        if request.param == "postgres":
            closers.append(_fresh_database("postgres"))
            env["PIXGATE_DATABASE_URL"] = next(closers[-1])
        a = start_server(root / "a", env, port)
        _pixgate(env, "psp", "webhook", "register")
        a_url = (env.get("PIXGATE_DATABASE_URL")
                 or f"sqlite:///{root / 'a' / 'instance' / 'pixgate.db'}")
        yield Pair(a=a, b=b, a_env=env, a_db=create_engine(a_url),
                   b_db=create_engine(f"sqlite:///{root / 'b' / 'instance' / 'pixgate.db'}"),
                   token=env["PIXGATE_PSP_WEBHOOK_TOKEN"], bearer=_bearer(a, env))
    finally:
        if a is not None:
            stop_server(a)
        b.stop()
        for closer in closers:
            for _ in closer:
                pass


def _create(pair: Pair, value: str) -> dict:
    answer = requests.post(pair.a.url + "/payments/pix", json={"value": value}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()["payment"]


def _status(pair: Pair, payment: dict) -> str:
    return requests.get(f"{pair.a.url}/payments/pix/{payment['id']}/status",
                        timeout=10).json()["status"]


def _pay_at_b(pair: Pair, txid: str, valor: str | None = None) -> requests.Response:
    """B's sandbox payer sends a Pix with this txid: the cob's amount, or `valor`."""
    body: dict[str, Any] = {"txid": txid}
    if valor is not None:
        body.update(valor=valor, forcarValor=True)
    with pair.b.session() as session:
        return session.post(pair.b.url + "/sandbox/pay", json=body, timeout=30)


def _pix_at_a(pair: Pair, txid: str) -> list[Any]:
    return pair.rows(pair.a_db, "SELECT end_to_end_id, match_status, reason, source, charge_id "
                                "FROM received_pix WHERE txid = :t ORDER BY id", t=txid)


class Page:
    """A Socket.IO client standing in for A's open payment page."""

    def __init__(self, server: LiveServer, payment_id: int) -> None:
        self.confirmed = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record)
        self.client.connect(server.url, auth={"payment_id": payment_id},
                            transports=["websocket"], wait_timeout=10)

    def _record(self, event: str, data: dict) -> None:
        if event.startswith("payment-confirmed-") or data.get("status") == "PAID":
            self.confirmed.set()


def test_b_pays_b_notifies_a_reads_back_and_the_page_flips(pair: Pair) -> None:
    payment = _create(pair, "12.34")
    txid = payment["bank_payment_id"]
    assert 26 <= len(txid) <= 35 and f"127.0.0.1:{pair.b.port}" in payment["brcode"]
    page = Page(pair.a, payment["id"])
    try:
        paid = _pay_at_b(pair, txid)
        assert paid.status_code == 201, paid.text
        assert page.confirmed.wait(20), "A's page never heard the payment"
    finally:
        page.client.disconnect()
    assert _status(pair, payment) == "PAID"
    [(e2e, match, reason, source, charge_id)] = _pix_at_a(pair, txid)
    assert (e2e, match, reason, source) == (paid.json()["endToEndId"], "matched", None,
                                            "psp_webhook")
    assert charge_id == payment["id"]


def test_forged_or_replayed_webhook_bodies_credit_nothing(pair: Pair) -> None:
    payment = _create(pair, "7.00")
    txid, url = payment["bank_payment_id"], f"{pair.a.url}/webhooks/psp/{pair.token}/pix"
    forged = {"endToEndId": "E" + secrets.token_hex(16)[:31], "txid": txid, "valor": "7.00",
              "horario": "2026-12-01T10:00:00Z"}
    answer = requests.post(url, json={"pix": [forged]}, timeout=30)
    assert answer.status_code == 200 and answer.json()["notAtPsp"] == 1
    only_txid = requests.post(url, json=[{"txid": txid, "valor": "7.00"}], timeout=30)
    assert only_txid.status_code == 200 and only_txid.json()["seen"] == 0  # B: nothing paid it
    assert requests.post(pair.a.url + "/webhooks/psp/not-the-token/pix", json={"pix": [forged]},
                         timeout=10).status_code == 404
    other = _create(pair, "5.00")
    paid = _pay_at_b(pair, other["bank_payment_id"]).json()
    assert _wait(lambda: _status(pair, other) == "PAID")
    replay = {**paid, "txid": txid, "valor": "7.00"}  # a real Pix, retargeted at another charge
    answer = requests.post(url, json={"pix": [replay]}, timeout=30)
    assert answer.status_code == 200 and answer.json()["known"] == 1
    assert _status(pair, payment) == "ACTIVE" and _pix_at_a(pair, txid) == []


def test_a_lost_webhook_is_credited_by_the_poller_within_one_interval(pair: Pair,
                                                                      tmp_path: Path) -> None:
    client = BcbPsp(settings_for(pair.b))
    lost = f"{pair.a.url}/webhooks/psp/{secrets.token_urlsafe(20)}"  # A answers 404 there
    client.put_webhook(A_KEY, lost)
    poller = start_server(tmp_path, {**pair.a_env, "PIXGATE_PSP_RECONCILE_SECONDS":
                                     str(POLL_SECONDS), "PIXGATE_INSTANCE_PATH":
                                     pair.a_env["PIXGATE_INSTANCE_PATH"]})
    try:
        payment = _create(pair, "3.21")
        paid_at = time.monotonic()
        assert _pay_at_b(pair, payment["bank_payment_id"]).status_code == 201
        assert _wait(lambda: _status(pair, payment) == "PAID", POLL_SECONDS * 2 + 3)
        took = time.monotonic() - paid_at
        [(_e2e, match, _reason, source, _charge)] = _pix_at_a(pair, payment["bank_payment_id"])
        assert (match, source) == ("matched", "poller"), took
    finally:
        stop_server(poller)
        _pixgate(pair.a_env, "psp", "webhook", "register")
        client.close()


def test_under_over_late_and_double_payments_are_unmatched_and_refunded_once(
    pair: Pair,
) -> None:
    under, over, double = _create(pair, "10.00"), _create(pair, "10.00"), _create(pair, "4.00")
    late = requests.put(f"{pair.a.url}/v2/cob/{secrets.token_hex(15)}", headers=pair.bearer,
                        json={"calendario": {"expiracao": 1}, "valor": {"original": "6.00"},
                              "chave": A_KEY}, timeout=30)
    assert late.status_code == 201, late.text
    assert _pay_at_b(pair, double["bank_payment_id"]).status_code == 201
    assert _wait(lambda: _status(pair, double) == "PAID")
    time.sleep(1.5)  # the cob is past its expiry
    cases = {under["bank_payment_id"]: ("9.00", "amount_differs"),
             over["bank_payment_id"]: ("11.00", "amount_differs"),
             late.json()["txid"]: ("6.00", "charge_expired"),
             double["bank_payment_id"]: ("4.00", "already_paid")}
    for txid, (valor, _reason) in cases.items():
        assert _pay_at_b(pair, txid, valor).status_code in (409, 422)  # money moved at B anyway
    for txid, (valor, reason) in cases.items():
        rows = _wait(lambda t=txid: [r for r in _pix_at_a(pair, t) if r[1] == "unmatched"])
        assert [(r[2], r[4]) for r in rows] == [(reason, None)], (txid, rows)
        e2e = rows[0][0]
        returned = [("auto", valor, "DEVOLVIDO")]
        assert _wait(lambda e=e2e, r=returned: _refunds(pair, pair.a_db, e) == r)
        assert _refunds(pair, pair.b_db, e2e) == returned
    assert _status(pair, under) == _status(pair, over) == "ACTIVE"
    listed = requests.get(f"{pair.a.url}/v2/pix", headers=pair.bearer, timeout=10, params={
        "inicio": "2000-01-01T00:00:00Z", "fim": "2100-01-01T00:00:00Z"}).json()["pix"]
    assert {row[0] for t in cases for row in _pix_at_a(pair, t)} <= {p["endToEndId"]
                                                                       for p in listed}


def _refunds(pair: Pair, engine: Engine, e2e: str) -> list[tuple[str, str, str]]:
    rows = pair.rows(engine, "SELECT r.refund_id, r.amount_cents, r.status FROM refunds r "
                             "JOIN received_pix p ON p.id = r.pix_id WHERE p.end_to_end_id = :e",
                     e=e2e)
    return [(r[0], str((Decimal(r[1]) / 100).quantize(Decimal("0.01"))), r[2]) for r in rows]


def test_a_refund_through_a_reaches_b_and_comes_back_settled(pair: Pair) -> None:
    payment = _create(pair, "20.00")
    e2e = _pay_at_b(pair, payment["bank_payment_id"]).json()["endToEndId"]
    assert _wait(lambda: _status(pair, payment) == "PAID")
    done = requests.put(f"{pair.a.url}/v2/pix/{e2e}/devolucao/d1", json={"valor": "5.00"},
                        headers=pair.bearer, timeout=30)
    assert done.status_code == 201 and done.json()["status"] == "DEVOLVIDO", done.text
    refused = requests.put(f"{pair.a.url}/v2/pix/{e2e}/devolucao/d2", json={"valor": "1.13"},
                           headers=pair.bearer, timeout=30)
    assert refused.status_code == 201 and refused.json()["status"] == "NAO_REALIZADO"
    assert _refunds(pair, pair.b_db, e2e) == [("d1", "5.00", "DEVOLVIDO"),
                                              ("d2", "1.13", "NAO_REALIZADO")]
    again = requests.put(f"{pair.a.url}/v2/pix/{e2e}/devolucao/d1", json={"valor": "5.00"},
                         headers=pair.bearer, timeout=30)
    assert again.status_code == 200 and len(_refunds(pair, pair.b_db, e2e)) == 2


def test_a_revision_and_a_removal_at_a_are_made_at_b_first(pair: Pair) -> None:
    txid, client = secrets.token_hex(15), BcbPsp(settings_for(pair.b))
    url = f"{pair.a.url}/v2/cob/{txid}"
    created = requests.put(url, headers=pair.bearer, timeout=30, json={
        "calendario": {"expiracao": 600}, "valor": {"original": "8.00"}, "chave": A_KEY})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["location"] in body["pixCopiaECola"] and str(pair.b.port) in body["location"]
    try:
        revised = requests.patch(url, json={"valor": {"original": "9.50"}}, headers=pair.bearer,
                                 timeout=30)
        assert revised.status_code == 200 and revised.json()["revisao"] == 1, revised.text
        assert client.get_cob(txid).amount == Decimal("9.50")
        removed = requests.patch(url, json={"status": "REMOVIDA_PELO_USUARIO_RECEBEDOR"},
                                 headers=pair.bearer, timeout=30)
        assert removed.status_code == 200, removed.text
        assert client.get_cob(txid).status == "REMOVIDA_PELO_USUARIO_RECEBEDOR"
        assert requests.get(url, headers=pair.bearer, timeout=10).json()["status"] == \
            "REMOVIDA_PELO_USUARIO_RECEBEDOR"
    finally:
        client.close()


def test_a_charge_paid_in_time_is_credited_by_the_check_before_expiry(pair: Pair) -> None:
    client = BcbPsp(settings_for(pair.b))
    client.put_webhook(A_KEY, f"{pair.a.url}/webhooks/psp/{secrets.token_urlsafe(20)}")  # lost
    try:
        txid = secrets.token_hex(15)
        url = f"{pair.a.url}/v2/cob/{txid}"
        created = requests.put(url, headers=pair.bearer, timeout=30, json={
            "calendario": {"expiracao": 3}, "valor": {"original": "2.50"}, "chave": A_KEY})
        assert created.status_code == 201, created.text
        assert _pay_at_b(pair, txid).status_code == 201  # in time, but nobody tells A
        assert _wait(lambda: requests.get(url, headers=pair.bearer, timeout=10)
                     .json()["status"] == "CONCLUIDA", 20)
        [(_e2e, match, _reason, source, _charge)] = _pix_at_a(pair, txid)
        assert (match, source) == ("matched", "expiry_check")
    finally:
        _pixgate(pair.a_env, "psp", "webhook", "register")
        client.close()


def _put_cob_calls(pair: Pair) -> float:
    metrics = requests.get(pair.a.url + "/metrics", timeout=10).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
               if line.startswith("pixgate_psp_request_duration_seconds_count")
               and 'operation="put_cob"' in line)


def test_a_create_at_the_psp_shows_on_a_metrics(pair: Pair) -> None:
    before = _put_cob_calls(pair)
    _create(pair, "3.21")
    assert _put_cob_calls(pair) == before + 1
