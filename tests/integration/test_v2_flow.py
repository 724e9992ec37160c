"""loc, the signed payload, sandbox payment, pix, devolução and webhook registrations."""

from __future__ import annotations

import jwt
import pytest
from flask import Flask
from flask.testing import FlaskClient

from pixgate.jws.sign import verify_payload
from tests.bcb_schema import assert_matches
from tests.integration.helpers import create_payment
from tests.integration.test_v2_cob import BODY, txid

PERIOD = {"inicio": "2000-01-01T00:00:00Z", "fim": "2100-01-01T00:00:00Z"}


def _cob(client: FlaskClient, bearer: dict, **overrides: object) -> dict:
    response = client.put(f"/v2/cob/{txid()}", json={**BODY, **overrides}, headers=bearer)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _pay(client: FlaskClient, code: str, **extra: object):  # type: ignore[no-untyped-def]
    return client.post("/sandbox/pay", json={"pixCopiaECola": code, **extra})


@pytest.fixture
def sandbox(app: Flask, internal_fetch: object) -> Flask:
    assert app.config["SANDBOX"]
    return app


def test_sandbox_is_off_unless_enabled(tmp_path: object, backend_url: str) -> None:
    from pixgate.app import create_app
    from tests.factories import make_config

    plain = create_app(make_config(tmp_path, DATABASE_URL=backend_url))  # type: ignore[arg-type]
    assert plain.test_client().post("/sandbox/pay", json={"txid": "x"}).status_code == 404


def test_location_serves_a_verifiable_current_jws(client: FlaskClient, bearer: dict) -> None:
    cob = _cob(client, bearer)
    path = "/" + cob["location"].split("/", 1)[1]
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/jose"
    header = jwt.get_unverified_header(response.get_data(as_text=True))
    assert header["alg"] == "RS256" and {"jku", "kid", "x5t", "x5t#S256"} <= set(header)
    jwks = client.get("/.well-known/jwks.json").get_json()
    payload = verify_payload(response.get_data(as_text=True), jwks)
    assert_matches(payload, "CobPayload")
    assert payload["txid"] == cob["txid"] and payload["valor"]["original"] == "123.45"
    client.patch(f"/v2/cob/{cob['txid']}", json={"valor": {"original": "7.00"}}, headers=bearer)
    fresh = verify_payload(client.get(path).get_data(as_text=True), jwks)
    assert fresh["revisao"] == 1 and fresh["valor"]["original"] == "7.00"
    tampered = response.get_data(as_text=True)[:-4] + "AAAA"
    with pytest.raises(jwt.PyJWTError):
        verify_payload(tampered, jwks)


def test_sandbox_pays_dynamic_and_static_codes(
    client: FlaskClient, bearer: dict, sandbox: Flask
) -> None:
    cob = _cob(client, bearer)
    paid = _pay(client, cob["pixCopiaECola"], pagador={"nome": "Ana", "cpf": "12345678909"})
    assert paid.status_code == 201, paid.get_json()
    pix = paid.get_json()
    assert_matches(pix, "Pix")
    assert pix["txid"] == cob["txid"] and pix["valor"] == "123.45"
    assert client.get(f"/v2/cob/{cob['txid']}", headers=bearer).get_json()["status"] == \
        "CONCLUIDA"
    again = _pay(client, cob["pixCopiaECola"])
    assert again.status_code == 409
    legacy = create_payment(client, "10.00")
    assert _pay(client, legacy["brcode"]).status_code == 201
    assert client.get(f"/payments/pix/{legacy['id']}/status").get_json()["status"] == "PAID"


def test_sandbox_magic_payer_is_refused_and_changes_nothing(
    client: FlaskClient, bearer: dict, sandbox: Flask
) -> None:
    cob = _cob(client, bearer)
    refused = _pay(client, cob["pixCopiaECola"], pagador={"nome": "recusado"})
    assert refused.status_code == 422
    assert client.get(f"/v2/cob/{cob['txid']}", headers=bearer).get_json()["status"] == "ATIVA"
    for bad in ("0002", "not a code", 5):
        assert _pay(client, bad).status_code in (400, 422)  # type: ignore[arg-type]


def test_pix_listing_and_refunds(client: FlaskClient, bearer: dict, sandbox: Flask) -> None:
    cob = _cob(client, bearer)
    e2e = _pay(client, cob["pixCopiaECola"]).get_json()["endToEndId"]
    assert_matches(client.get(f"/v2/pix/{e2e}", headers=bearer).get_json(), "Pix")
    listed = client.get("/v2/pix", query_string={**PERIOD, "txid": cob["txid"]},
                        headers=bearer).get_json()
    assert_matches(listed, "PixConsultados")
    assert [p["endToEndId"] for p in listed["pix"]] == [e2e]
    done = client.put(f"/v2/pix/{e2e}/devolucao/dev1", json={"valor": "20.00"}, headers=bearer)
    assert done.status_code == 201 and done.get_json()["status"] == "DEVOLVIDO"
    assert_matches(done.get_json(), "Devolucao")
    failed = client.put(f"/v2/pix/{e2e}/devolucao/dev2", json={"valor": "1.13"}, headers=bearer)
    assert failed.get_json()["status"] == "NAO_REALIZADO"
    too_much = client.put(f"/v2/pix/{e2e}/devolucao/dev3", json={"valor": "103.46"},
                          headers=bearer)
    assert too_much.status_code == 400
    assert too_much.get_json()["type"].endswith("/PixDevolucaoInvalida")
    got = client.get(f"/v2/pix/{e2e}/devolucao/dev1", headers=bearer)
    assert got.get_json()["rtrId"] == done.get_json()["rtrId"]
    assert client.get(f"/v2/pix/{e2e}/devolucao/nope", headers=bearer).get_json()["type"] \
        .endswith("/PixDevolucaoNaoEncontrada")
    with_refund = client.get("/v2/pix", query_string={**PERIOD, "devolucaoPresente": "true"},
                             headers=bearer).get_json()
    assert len(with_refund["pix"]) == 1 and len(with_refund["pix"][0]["devolucoes"]) == 2


def test_locations(client: FlaskClient, bearer: dict) -> None:
    created = client.post("/v2/loc", json={"tipoCob": "cob"}, headers=bearer)
    assert created.status_code == 201
    loc = created.get_json()
    assert_matches(loc, "PayloadLocation")
    cob = _cob(client, bearer, loc={"id": loc["id"]})
    assert cob["loc"]["id"] == loc["id"]
    assert _cob_conflict(client, bearer, loc["id"])
    listed = client.get("/v2/loc", query_string={**PERIOD, "txIdPresente": "true"},
                        headers=bearer).get_json()
    assert_matches(listed, "PayloadLocationConsultadas")
    assert [item["txid"] for item in listed["loc"]] == [cob["txid"]]
    unlinked = client.delete(f"/v2/loc/{loc['id']}/txid", headers=bearer)
    assert unlinked.status_code == 200 and "txid" not in unlinked.get_json()
    assert client.get("/v2/loc/999999", headers=bearer).get_json()["type"] \
        .endswith("/PayloadLocationNaoEncontrado")
    cobv_loc = client.post("/v2/loc", json={"tipoCob": "cobv"}, headers=bearer)
    assert cobv_loc.status_code == 201 and "/qr/v2/cobv/" in cobv_loc.get_json()["location"]
    assert _cob_conflict(client, bearer, cobv_loc.get_json()["id"])  # a cob needs a cob location
    assert client.post("/v2/loc", json={"tipoCob": "rec"}, headers=bearer).status_code == 400


def _cob_conflict(client: FlaskClient, bearer: dict, loc_id: int) -> bool:
    response = client.put(f"/v2/cob/{txid()}", json={**BODY, "loc": {"id": loc_id}},
                          headers=bearer)
    return response.status_code == 400 and response.get_json()["violacoes"][0]["propriedade"] \
        == "loc.id"


def test_webhook_registration(client: FlaskClient, bearer: dict) -> None:
    key = "pagamentos@pixgate.example"
    put = client.put(f"/v2/webhook/{key}", json={"webhookUrl": "https://merchant.example/hook"},
                     headers=bearer)
    assert put.status_code == 200
    assert_matches(client.get(f"/v2/webhook/{key}", headers=bearer).get_json(),
                   "WebhookCompleto")
    assert_matches(client.get("/v2/webhook", headers=bearer).get_json(), "WebhooksConsultados")
    assert client.put("/v2/webhook/NOT%20A%20KEY", json={"webhookUrl": "https://x.example"},
                      headers=bearer).status_code == 400
    assert client.put(f"/v2/webhook/{key}", json={"webhookUrl": "ftp://x"},
                      headers=bearer).status_code == 400
    assert client.delete(f"/v2/webhook/{key}", headers=bearer).status_code == 204
    assert client.get(f"/v2/webhook/{key}", headers=bearer).status_code == 404


def test_oauth_token_errors(app: Flask, client: FlaskClient) -> None:
    from pixgate.extensions import db
    from pixgate.oauth import service

    client_id, secret = service.create_client(db.session, name="t", scopes=("cob.read",))
    form = client.post("/oauth/token", data={"grant_type": "client_credentials",
                                             "scope": "cob.read"}, auth=(client_id, secret))
    assert form.status_code == 200 and form.get_json()["scope"] == "cob.read"
    assert 3000 <= form.get_json()["expires_in"] <= 3600
    assert client.post("/oauth/token", json={"grant_type": "client_credentials"},
                       auth=(client_id, "wrong")).status_code == 401
    assert client.post("/oauth/token", json={"grant_type": "password"},
                       auth=(client_id, secret)).status_code == 400
    assert client.post("/oauth/token", json={"grant_type": "client_credentials",
                                             "scope": "cob.write"},
                       auth=(client_id, secret)).status_code == 400
    assert client.post("/oauth/token", json={}).status_code == 401
    token = form.get_json()["access_token"]
    read_only = {"Authorization": f"Bearer {token}"}
    assert client.post("/v2/cob", json=BODY, headers=read_only).status_code == 403
