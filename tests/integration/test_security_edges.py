"""Issue 11 at the edges, on every backend: signatures, webhook registration, the sandbox
fetcher, Socket.IO origins, payment ids and client revocation."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pixgate import brcode, signing
from pixgate.charges.ids import MIN_CHARGE_ID
from pixgate.extensions import db, socketio
from pixgate.sandbox.fetch import make_fetch
from tests.factories import json_bytes, make_config
from tests.integration.helpers import create_payment
from tests.integration.test_cli import run
from tests.receiver import Receiver, start_receiver

KEY = "pagamentos@pixgate.example"
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=120)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = start_receiver()
    yield server
    server.stop()


def _pix_body() -> bytes:
    return json_bytes({"pix": [{"endToEndId": "E" + secrets.token_hex(15) + "a",
                                "txid": "T" + secrets.token_hex(12), "valor": "1.00"}]})


@pytest.mark.parametrize("path", ["/webhooks/pix", "/payments/pix/confirmation"])
@pytest.mark.parametrize("header", ["t=1,v1=é" + "0" * 63, "t=²,v1=" + "0" * 64, "garbage",
                                    "t=1", "v1=00", "=,=,="])
def test_malformed_signatures_answer_401(client: FlaskClient, path: str, header: str) -> None:
    answer = client.post(path, data=_pix_body(), headers={
        "Content-Type": "application/json", signing.HEADER: header})
    assert answer.status_code == 401 and "detail" in answer.get_json()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=HEADER_TEXT)
def test_fuzzed_signature_headers_only_get_4xx(client: FlaskClient, header: str) -> None:
    answer = client.post("/webhooks/pix", data=_pix_body(), headers={
        "Content-Type": "application/json", signing.HEADER: header})
    assert 400 <= answer.status_code < 500


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/hook", "https://169.254.169.254/latest", "https://[::1]/hook",
    "https://[::ffff:10.0.0.1]/hook", "https://100.64.1.1/", "http://merchant.example/hook",
    "https://localhost/hook", "ftp://merchant.example/", 42, None,
])
def test_webhook_registration_refuses_unsafe_urls(
    client: FlaskClient, bearer: dict, url: object
) -> None:
    answer = client.put(f"/v2/webhook/{KEY}", json={"webhookUrl": url}, headers=bearer)
    assert answer.status_code == 400
    problem = answer.get_json()
    assert problem["type"].endswith("/WebhookOperacaoInvalida")
    assert problem["violacoes"][0]["propriedade"] == "webhookUrl"
    assert client.get(f"/v2/webhook/{KEY}", headers=bearer).status_code == 404


def test_a_registration_secret_is_returned_once(client: FlaskClient, bearer: dict) -> None:
    first = client.put(f"/v2/webhook/{KEY}", json={"webhookUrl": "https://shop.example/a"},
                       headers=bearer).get_json()
    assert len(first["webhookSecret"]) >= 32
    again = client.put(f"/v2/webhook/{KEY}", json={"webhookUrl": "https://shop.example/b"},
                       headers=bearer).get_json()
    read = client.get(f"/v2/webhook/{KEY}", headers=bearer).get_json()
    listed = client.get("/v2/webhook", headers=bearer).get_json()["webhooks"][0]
    for view in (again, read, listed):
        assert "webhookSecret" not in view and first["webhookSecret"] not in str(view)


def test_private_webhook_urls_are_accepted_with_the_development_switch(
    app: Flask, client: FlaskClient, bearer: dict
) -> None:
    app.config["ALLOW_PRIVATE_WEBHOOK_URLS"] = True
    answer = client.put(f"/v2/webhook/{KEY}", json={"webhookUrl": "http://127.0.0.1:9/hook"},
                        headers=bearer)
    assert answer.status_code == 200 and answer.get_json()["webhookSecret"]


def test_the_sandbox_does_not_fetch_a_location_on_a_private_address(
    client: FlaskClient, receiver: Receiver
) -> None:
    host = receiver.url.removeprefix("http://")
    code = brcode.encode_dynamic(url=f"{host}/v2/cobv/x", name="Loja", city="Sao Paulo")
    answer = client.post("/sandbox/decode", json={"pixCopiaECola": code})
    assert answer.status_code == 422
    assert "will not fetch" in answer.get_json()["detail"] and receiver.calls == []


def test_the_sandbox_fetcher_trusts_only_pixgates_own_public_url(
    tmp_path: object, receiver: Receiver
) -> None:
    own = make_fetch(make_config(tmp_path, PUBLIC_URL=receiver.url))
    assert own(receiver.url + "/jwks")[0] in (200, 501)  # reached: it is pixgate's own origin
    other = make_fetch(make_config(tmp_path, PUBLIC_URL="https://pix.shop.example"))
    with pytest.raises(Exception, match="will not fetch"):
        other(receiver.url + "/jwks")  # a jku pointing inside the network


def test_socketio_refuses_other_origins(app: Flask, client: FlaskClient) -> None:
    handshake = "/socket.io/?EIO=4&transport=polling"
    evil = client.get(handshake, headers={"Origin": "https://evil.example"})
    assert evil.status_code == 400
    own = client.get(handshake, headers={"Origin": "http://127.0.0.1:5000"})
    assert own.status_code == 200 and own.get_data(as_text=True).startswith("0{")


def test_socketio_accepts_the_allowed_origins(tmp_path: object, backend_url: str,
                                              app: Flask) -> None:
    from pixgate.app import create_app

    other = create_app(make_config(tmp_path, DATABASE_URL=backend_url, SANDBOX=True,
                                   PUBLIC_URL="https://pay.shop.example/base",
                                   ALLOWED_ORIGINS="https://shop.example"))
    handshake = "/socket.io/?EIO=4&transport=polling"
    test_client = other.test_client()
    for origin, status in (("https://pay.shop.example", 200), ("https://shop.example", 200),
                           ("https://evil.example", 400), ("http://shop.example", 400)):
        answer = test_client.get(handshake, headers={"Origin": origin})
        assert answer.status_code == status, origin


def test_payment_ids_are_random_and_every_seed_route_takes_them(
    app: Flask, client: FlaskClient
) -> None:
    payments = [create_payment(client) for _ in range(6)]
    ids = [p["id"] for p in payments]
    assert all(MIN_CHARGE_ID <= i < 2**53 for i in ids)
    assert sorted(ids) != ids or sorted(ids, reverse=True) != ids  # not a sequence
    assert len({b - a for a, b in itertools.pairwise(ids)}) > 1
    mine = payments[0]
    assert client.get(f"/payments/pix/{mine['id']}").status_code == 200
    assert client.get(f"/payments/pix/{mine['id']}/status").get_json()["status"] == "ACTIVE"
    assert client.get(f"/payments/pix/{mine['id'] + 1}/status").status_code == 404
    sio = socketio.test_client(app, auth={"payment_id": mine["id"]})
    assert [r["name"] for r in sio.get_received()] == ["payment-status"]
    assert "error" in sio.emit("subscribe", {"payment_id": 2**53}, callback=True)


def test_a_revoked_client_gets_no_token_and_its_tokens_stop(
    app: Flask, client: FlaskClient
) -> None:
    from pixgate.oauth import service as oauth

    client_id, secret = oauth.create_client(db.session, name="to revoke")
    token = client.post("/oauth/token", json={"grant_type": "client_credentials"},
                        auth=(client_id, secret)).get_json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/v2/webhook", headers=bearer).status_code == 200
    result = run(app, "client", "revoke", client_id)
    assert result.exit_code == 0, result.output
    assert client.get("/v2/webhook", headers=bearer).status_code == 401
    again = client.post("/oauth/token", json={"grant_type": "client_credentials"},
                        auth=(client_id, secret))
    assert again.status_code == 401
    unknown = run(app, "client", "revoke", "pixgate_nobody")
    assert unknown.exit_code != 0 and "no client" in unknown.output
