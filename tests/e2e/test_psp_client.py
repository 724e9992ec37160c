"""The PSP client (BcbPsp) against process B: pixgate's sandbox behind mutual TLS.

Every call goes through a recording proxy that demands the client certificate too; each test
ends by checking that every request the client sent is valid against BCB's API Pix spec.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pixgate.psp.base import PspNotFound, PspUnavailable
from pixgate.psp.bcb import BcbPsp
from pixgate.psp.settings import PspSettings
from tests.bcb_schema import request_errors
from tests.fault_proxy import HttpFaultProxy
from tests.psp_harness import Certificates, PspServer, front, merchant_env, start_psp

pytestmark = pytest.mark.e2e
KEY = "psp-b@pixgate.example"


def settings_for(psp: PspServer, proxy: HttpFaultProxy | None = None, **changes: Any
                 ) -> PspSettings:
    """A's PspSettings as `from_env` would read them from `merchant_env`."""
    env = merchant_env(psp, via=proxy)
    settings = PspSettings(
        kind="bcb", base_url=env["PIXGATE_PSP_BASE_URL"], token_url=env["PIXGATE_PSP_TOKEN_URL"],
        client_id=env["PIXGATE_PSP_CLIENT_ID"], client_secret=env["PIXGATE_PSP_CLIENT_SECRET"],
        cert=env["PIXGATE_PSP_CERT"], cert_password=env["PIXGATE_PSP_CERT_PASSWORD"],
        ca_bundle=env["PIXGATE_PSP_CA_BUNDLE"], timeout_seconds=3.0)
    settings = PspSettings(**{**settings.__dict__, **changes})
    settings.check()
    return settings


@pytest.fixture(scope="module")
def proxy(psp_server: PspServer) -> Iterator[HttpFaultProxy]:
    """The recording, fault-injecting proxy in front of B."""
    proxy = front(psp_server)
    yield proxy
    proxy.close()


@pytest.fixture
def client(psp_server: PspServer, proxy: HttpFaultProxy) -> Iterator[BcbPsp]:
    """A fresh client (own token, own pool) through the proxy; its requests are checked."""
    proxy.clear()
    psp = BcbPsp(settings_for(psp_server, proxy), sleep=lambda _seconds: None)
    yield psp
    psp.close()
    assert_requests_follow_the_spec(proxy)


def assert_requests_follow_the_spec(proxy: HttpFaultProxy) -> None:
    """Every request the client sent through `proxy` is valid against BCB's API Pix."""
    errors = []
    assert proxy.records, "the client sent nothing through the proxy"
    for record in proxy.records:
        if record.route == "/oauth/token":
            assert b"grant_type=client_credentials" in record.body
            continue
        route = record.route.removeprefix("/v2")
        errors += [f"{record.method} {record.path}: {e}"
                   for e in request_errors(record.method, route, record.query, record.body)]
    assert not errors, "\n".join(errors)


def new_cob(psp: BcbPsp, amount: str = "12.34") -> str:
    """PUT a cob with our own txid, as the charge service will."""
    txid = secrets.token_hex(16)[:30]
    psp.put_cob(txid, {"calendario": {"expiracao": 3600}, "valor": {"original": amount},
                       "chave": KEY, "solicitacaoPagador": "Pedido de teste"})
    return txid


def pay(psp_server: PspServer, txid: str) -> str:
    """B's sandbox payer pays the cob; returns the endToEndId."""
    with psp_server.session() as session:
        answer = session.post(psp_server.url + "/sandbox/pay", json={"txid": txid}, timeout=10)
    assert answer.status_code == 201, answer.text
    return answer.json()["endToEndId"]


def test_every_operation_round_trips_through_b(client: BcbPsp, psp_server: PspServer) -> None:
    round_trip(client, psp_server)


@pytest.mark.postgres
def test_the_round_trip_with_b_on_postgresql(
        tmp_path: Path, psp_certificates: Certificates, own_database: Callable[[str], str]
) -> None:
    psp_server = start_psp(tmp_path, psp_certificates, database_url=own_database("postgres"))
    proxy = front(psp_server)
    client = BcbPsp(settings_for(psp_server, proxy))
    try:
        round_trip(client, psp_server)
    finally:
        client.close()
        proxy.close()
        psp_server.stop()
    assert_requests_follow_the_spec(proxy)


def round_trip(client: BcbPsp, psp_server: PspServer) -> None:
    """Create, pay at B, read back the cob, the Pix and the listing, refund and be refused."""
    txid = secrets.token_hex(15)
    cob = client.put_cob(txid, {"calendario": {"expiracao": 600}, "valor": {"original": "7.00"},
                                "chave": KEY})
    assert (cob.txid, cob.status, cob.amount) == (txid, "ATIVA", Decimal("7.00"))
    assert cob.pix_copia_e_cola and cob.pix_copia_e_cola.startswith("000201")
    assert cob.location and cob.location in cob.pix_copia_e_cola
    e2eid = pay(psp_server, txid)
    read = client.get_cob(txid)
    assert read.status == "CONCLUIDA" and [p.end_to_end_id for p in read.pix] == [e2eid]
    pix = client.get_pix(e2eid)
    assert (pix.txid, pix.amount, pix.paid_at.tzinfo is not None) == (txid, Decimal("7.00"), True)
    now = datetime.now(UTC)
    page = client.list_pix(start=now - timedelta(minutes=5), end=now + timedelta(minutes=1))
    assert e2eid in {p.end_to_end_id for p in page.pix} and page.pages >= 1
    refund_id = "dev" + secrets.token_hex(6)
    refund = client.put_refund(e2eid, refund_id, Decimal("2.50"))
    assert (refund.refund_id, refund.amount, refund.status) == (refund_id, Decimal("2.50"),
                                                                "DEVOLVIDO")
    assert client.get_refund(e2eid, refund_id).status == "DEVOLVIDO"
    refused = client.put_refund(e2eid, "dev" + secrets.token_hex(6), Decimal("0.13"))
    assert refused.status == "NAO_REALIZADO"  # B's sandbox refuses amounts ending in ,13
    assert client.get_pix(e2eid).refunds[0].refund_id == refund_id


def test_webhook_is_registered_and_read_back(client: BcbPsp) -> None:
    url = f"https://merchant.example/webhooks/psp/{secrets.token_urlsafe(20)}"
    client.put_webhook(KEY, url)
    assert client.get_webhook(KEY)["webhookUrl"] == url  # type: ignore[index]
    assert client.get_webhook("nobody-" + secrets.token_hex(4) + "@example.com") is None


def test_unknown_objects_are_not_found(client: BcbPsp) -> None:
    with pytest.raises(PspNotFound) as caught:
        client.get_pix("E" + secrets.token_hex(15) + "X")
    assert caught.value.status == 404 and caught.value.upstream_status == 404
    with pytest.raises(PspNotFound):
        client.get_cob(secrets.token_hex(15))


def test_token_is_fetched_once_and_renewed_before_expiry(client: BcbPsp,
                                                         proxy: HttpFaultProxy) -> None:
    for _ in range(5):
        new_cob(client)
    assert client.tokens.fetches == 1
    token = client.tokens.current()
    assert {"cob.write", "pix.read", "webhook.write"} <= set(token.scopes)
    real_clock = client.tokens.clock
    client.tokens.clock = lambda: real_clock() + token.lifetime - 30  # inside the margin
    new_cob(client)
    assert client.tokens.fetches == 2
    assert [r.route for r in proxy.records].count("/oauth/token") == 2


def test_a_401_renews_the_token_and_the_call_succeeds(client: BcbPsp,
                                                       proxy: HttpFaultProxy) -> None:
    txid = new_cob(client)
    proxy.inject("status", status=401, when=lambda r: r.route.startswith("/v2/cob/"))
    assert client.get_cob(txid).txid == txid
    assert client.tokens.fetches == 2
    assert [(r.route, r.status) for r in proxy.records][-3:] == [
        (f"/v2/cob/{txid}", 401), ("/oauth/token", 200), (f"/v2/cob/{txid}", 200)]


def test_get_and_put_are_retried_patch_is_not(client: BcbPsp, proxy: HttpFaultProxy) -> None:
    txid = new_cob(client)
    proxy.inject("after", status=500, when=lambda r: r.method == "PUT")  # B did create it
    again = client.put_cob(txid, {"calendario": {"expiracao": 3600},
                                  "valor": {"original": "12.34"}, "chave": KEY})
    assert again.txid == txid
    proxy.inject("reset", when=lambda r: r.method == "GET")
    assert client.get_cob(txid).txid == txid
    proxy.inject("status", status=503, when=lambda r: r.method == "PATCH")
    with pytest.raises(PspUnavailable) as caught:
        client.patch_cob(txid, {"solicitacaoPagador": "revisado"})
    assert caught.value.status == 503 and caught.value.upstream_status == 503
    assert [r.method for r in proxy.records].count("PATCH") == 1


def test_a_slow_psp_times_out_as_unavailable(client: BcbPsp, proxy: HttpFaultProxy) -> None:
    txid = new_cob(client)
    proxy.inject("delay", seconds=4.0, when=lambda r: r.method == "PATCH")
    with pytest.raises(PspUnavailable, match="timed out"):
        client.patch_cob(txid, {"solicitacaoPagador": "revisado"})
    proxy.inject("delay", seconds=4.0, when=lambda r: r.method == "GET")
    assert client.get_cob(txid).txid == txid  # the second attempt is not delayed


def test_no_tls_handshake_per_call_after_warm_up(client: BcbPsp, proxy: HttpFaultProxy) -> None:
    new_cob(client)
    warm_client, warm_proxy = client.transport.handshakes, proxy.handshakes
    assert warm_client >= 1
    for _ in range(20):
        client.get_cob(new_cob(client))
    assert client.transport.handshakes == warm_client
    assert proxy.handshakes == warm_proxy  # counted by the server side as well
